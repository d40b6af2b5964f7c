//! One snapshot per fixture in `tests/fixtures/`: a `.d.ts` file (wrapped into a one-file
//! package) or a package folder. Options for a fixture are written inside it, on a first line
//! `// @options number=integer redact=pin`. Each fixture gives two snapshots: the generated code (compiled
//! by this crate's build script) and the warnings, which list every fallback taken.

use std::path::{Path, PathBuf};

use codegen::{Config, Generate, Layout, NumberPolicy, Options};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixtures").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn options_of(text: &str) -> Options {
    let mut options = Options::default();
    if let Some(line) = text.lines().next().and_then(|l| l.trim().strip_prefix("// @options")) {
        for kv in line.split_whitespace() {
            match kv {
                "number=integer" => options.number = NumberPolicy::Integer,
                "number=float" => options.number = NumberPolicy::Float,
                redact if redact.starts_with("redact=") => {
                    options.redact = redact["redact=".len()..].split(',').map(str::to_owned).collect();
                }
                other => panic!("unknown fixture option {other}"),
            }
        }
    }
    options
}

/// Generates a fixture; returns the single output file and the warnings.
fn generate(name: &str) -> (String, String) {
    let path = fixtures().join(name);
    let (package, options) = if path.is_dir() {
        // Options go on the first line of `types/index.d.ts`, for packages laid out that way.
        let entry = std::fs::read_to_string(path.join("types/index.d.ts")).unwrap_or_default();
        let mut options = options_of(&entry);
        if !path.join("dist").exists() {
            options.generate = Generate::Types;
        }
        (path, options)
    } else {
        let text = std::fs::read_to_string(&path).unwrap();
        let dir = scratch(name);
        std::fs::write(dir.join("package.json"), r#"{"name":"fixture","version":"0.0.0","types":"index.d.ts"}"#).unwrap();
        std::fs::write(dir.join("index.d.ts"), &text).unwrap();
        let mut options = options_of(&text);
        options.generate = Generate::Types;
        (dir, options)
    };
    let generated = Config::new(package)
        .options(options)
        .layout(Layout::SingleFile("out.rs".into()))
        .generate()
        .unwrap_or_else(|e| match e {
            codegen::Error::Input(d) => panic!("{name}: {}", d.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")),
            other => panic!("{name}: {other}"),
        });
    let warnings: String = generated.warnings.iter().map(|w| format!("{}: {}\n", w.loc, w.message)).collect();
    (generated.files["out.rs"].clone(), warnings)
}

macro_rules! fixture_tests {
    ($($test:ident => $file:literal,)*) => {$(
        #[test]
        fn $test() {
            let (code, warnings) = generate($file);
            insta::assert_snapshot!(stringify!($test), code);
            insta::assert_snapshot!(concat!(stringify!($test), "_warnings"), warnings);
        }
    )*};
}

fixture_tests! {
    primitives => "primitives.d.ts",
    string_unions => "string_unions.d.ts",
    tagged_unions => "tagged_unions.d.ts",
    untagged_unions => "untagged_unions.d.ts",
    merging => "merging.d.ts",
    inline_objects => "inline_objects.d.ts",
    keywords => "keywords.d.ts",
    recursion => "recursion.d.ts",
    unsupported => "unsupported.d.ts",
    docs => "docs.d.ts",
    prelude_names => "prelude_names.d.ts",
    limits => "limits.d.ts",
    duplicate_names => "duplicate_names",
    client => "client",
    module_names => "module_names",
    bundled_mts => "bundled_mts",
    acronyms => "acronyms.d.ts",
    namespaces => "namespaces",
    generics => "generics.d.ts",
    not_data => "not_data.d.ts",
    indexed_access => "indexed_access.d.ts",
    redaction => "redaction.d.ts",
    forms => "forms",
    intersections => "intersections.d.ts",
    literals => "literals.d.ts",
    records => "records.d.ts",
    variant_names => "variant_names.d.ts",
}
