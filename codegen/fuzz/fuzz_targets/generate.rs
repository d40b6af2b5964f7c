//! The whole pipeline (read, parse `.d.ts` and JS, resolve, emit and format) on arbitrary
//! bytes: a package of one declaration file and one JS file, split at the first line
//! `//--js--`. Every input must end in output or in diagnostics, never in a panic, an abort or a
//! hang (libFuzzer's `-timeout` catches those).
//!
//! `cd codegen && cargo +nightly fuzz run generate` (see the README's "Fuzzing" section).

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const JS_SEPARATOR: &[u8] = b"\n//--js--\n";

/// One package folder per process, rewritten for every input.
fn package_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("codegen-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("types")).unwrap();
        std::fs::create_dir_all(dir.join("dist")).unwrap();
        let manifest = r#"{"name":"fuzz","version":"0.0.0","types":"types/index.d.ts","main":"dist/index.js"}"#;
        std::fs::write(dir.join("package.json"), manifest).unwrap();
        dir
    })
}

fn split(data: &[u8]) -> (&[u8], &[u8]) {
    match data.windows(JS_SEPARATOR.len()).position(|w| w == JS_SEPARATOR) {
        Some(at) => (&data[..at], &data[at + JS_SEPARATOR.len()..]),
        None => (data, b""),
    }
}

fuzz_target!(|data: &[u8]| {
    let dir = package_dir();
    let (dts, js) = split(data);
    std::fs::write(dir.join("types/index.d.ts"), dts).unwrap();
    std::fs::write(dir.join("dist/index.js"), js).unwrap();
    let config = npm_sdk_codegen::Config::new(dir).layout(npm_sdk_codegen::Layout::SingleFile("out.rs".into()));
    match config.generate() {
        Ok(_) => {}
        Err(npm_sdk_codegen::Error::Input(diags)) => assert!(diags.iter().any(|d| d.is_error()), "an input error comes with an error"),
        Err(npm_sdk_codegen::Error::Emit(e)) => panic!("the generator emitted code that does not parse: {e}"),
        Err(e) => panic!("unexpected error: {e}"),
    }
});
