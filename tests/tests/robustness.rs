//! Bad input never panics: every prefix of real declaration and JS files (cut at many points,
//! so most are syntax errors and some are odd but valid) gives either output or diagnostics.

use std::path::Path;

use npm_sdk_codegen::{Config, Layout};

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn run(dir: &Path) -> Result<(), Vec<npm_sdk_codegen::Diagnostic>> {
    match Config::new(dir).layout(Layout::SingleFile("out.rs".into())).generate() {
        Ok(_) => Ok(()),
        Err(npm_sdk_codegen::Error::Input(d)) => {
            assert!(d.iter().any(|d| d.is_error()), "an input error comes with an error diagnostic");
            assert!(d.iter().all(|d| d.loc.line >= 1 && d.loc.col >= 1), "every diagnostic is located: {d:?}");
            Err(d)
        }
        Err(other) => panic!("unexpected error: {other}"),
    }
}

fn cuts(len: usize, count: usize) -> impl Iterator<Item = usize> {
    (1..count).map(move |i| i * len / count)
}

#[test]
fn every_prefix_of_a_declaration_file_is_handled() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("robust-dts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("package.json"), r#"{"name":"r","version":"0","types":"index.d.ts"}"#).unwrap();
    let mut errors = 0;
    for name in ["seed.d.ts", "tagged_unions.d.ts", "docs.d.ts", "keywords.d.ts", "unsupported.d.ts"] {
        let text = std::fs::read_to_string(fixtures().join(name)).unwrap();
        for cut in cuts(text.len(), 60) {
            let Some(prefix) = text.get(..cut) else { continue };
            std::fs::write(dir.join("index.d.ts"), prefix).unwrap();
            errors += run(&dir).is_err() as usize;
        }
    }
    assert!(errors > 100, "most prefixes are syntax errors ({errors})");
}

#[test]
fn every_prefix_of_a_js_file_is_handled() {
    let src = fixtures().join("client");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("robust-js");
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["types", "dist/shared"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    for f in ["package.json", "types/index.d.ts", "types/client.d.ts", "types/users.d.ts", "dist/index.js", "dist/client.js", "dist/shared/index.js", "dist/shared/method_options.js"] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    let text = std::fs::read_to_string(src.join("dist/users.js")).unwrap();
    let mut ok = 0;
    for cut in cuts(text.len(), 80) {
        std::fs::write(dir.join("dist/users.js"), &text[..cut]).unwrap();
        ok += run(&dir).is_ok() as usize;
    }
    std::fs::write(dir.join("dist/users.js"), &text).unwrap();
    assert!(run(&dir).is_ok());
    assert!(ok < 80, "a cut JS file is a syntax error");
}
