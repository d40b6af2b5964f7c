//! One snapshot per fixture in `tests/fixtures/`: a `.d.ts` file (wrapped into a one-file
//! package) or a package folder. Options for a fixture are written inside it, on a first line
//! `// @options number=integer redact=pin pagination=cursor,next_cursor`. Each fixture gives two
//! snapshots: the generated code (compiled by this crate's build script) and the warnings, which
//! list every fallback taken.

use std::path::{Path, PathBuf};

use npm_sdk_codegen::{Config, Generate, Layout, NumberPolicy, Options};

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
                pagination if pagination.starts_with("pagination=") => {
                    let (cursor, next_cursor) = pagination["pagination=".len()..].split_once(',').expect("pagination=CURSOR,NEXT_CURSOR");
                    let (cursor, next_cursor) = (cursor.to_owned(), next_cursor.to_owned());
                    options.pagination = Some(npm_sdk_codegen::options::PaginationRule { cursor, next_cursor, items: Default::default() });
                }
                dedup if dedup.starts_with("dedup=") => options.dedup_module = Some(dedup["dedup=".len()..].to_string()),
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
            npm_sdk_codegen::Error::Input(d) => panic!("{name}: {}", d.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")),
            other => panic!("{name}: {other}"),
        });
    let warnings: String = generated.warnings.iter().map(|w| format!("{}: {}\n", w.loc, w.message)).collect();
    (generated.files["out.rs"].clone(), warnings)
}

/// The fixtures: every `.d.ts` file and every package folder (one with a `package.json`) in
/// `tests/fixtures/`, by name. `seed.d.ts` belongs to the seed document's test.
fn discover() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_owned();
        let name = match file.strip_suffix(".d.ts") {
            Some(_) if file == "seed.d.ts" => continue,
            Some(stem) => stem.to_owned(),
            None if path.join("package.json").is_file() => file.clone(),
            None => continue,
        };
        found.push((name, file));
    }
    found.sort();
    found
}

/// Every fixture against its two snapshots; all of them are checked before the test fails, so
/// one run lists every fixture whose output changed.
#[test]
fn every_fixture_matches_its_snapshots() {
    let fixtures = discover();
    assert!(fixtures.len() >= 20, "fixtures not found: {fixtures:?}");
    let mut failed = Vec::new();
    for (name, file) in &fixtures {
        let checked = std::panic::catch_unwind(|| {
            let (code, warnings) = generate(file);
            insta::assert_snapshot!(name.as_str(), code);
            insta::assert_snapshot!(format!("{name}_warnings"), warnings);
        });
        if checked.is_err() {
            failed.push(name.as_str());
        }
    }
    assert!(failed.is_empty(), "fixtures whose output differs from the reviewed snapshot: {failed:?}");
}
