//! Compiles every reviewed snapshot: each `tests/snapshots/fixtures__*.snap` minus its insta
//! header becomes a module of this crate, so an expected output that does not compile (or
//! warns: the crate denies warnings) fails the build, not just a text comparison.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new("tests/snapshots");
    println!("cargo:rerun-if-changed={}", dir.display());
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut mods = String::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir).map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let Some(module) = name.strip_prefix("fixtures__").and_then(|n| n.strip_suffix(".snap")) else { continue };
        if module.ends_with("warnings") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).expect("snapshot is readable");
        // An insta snapshot is `---` header `---` then the content.
        let body = text.splitn(3, "---\n").nth(2).expect("insta snapshot header");
        let file = out.join(format!("{module}.rs"));
        std::fs::write(&file, body).expect("OUT_DIR is writable");
        writeln!(mods, "#[allow(clippy::module_inception)]\npub mod {module} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{module}.rs\")); }}").unwrap();
    }
    std::fs::write(out.join("snapshots.rs"), mods).expect("OUT_DIR is writable");
}
