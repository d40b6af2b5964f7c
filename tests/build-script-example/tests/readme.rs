//! The README's build-script snippet is this crate's `build.rs`, verbatim.

#[test]
fn readme_shows_this_build_script_verbatim() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let build = std::fs::read_to_string(dir.join("build.rs")).unwrap();
    let readme = std::fs::read_to_string(dir.join("../../README.md")).unwrap();
    assert!(readme.contains(&format!("```rust\n{build}```")), "README.md must show build.rs as it is");
    let lib = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap();
    let include = "pub mod stytch {\n    include!(concat!(env!(\"OUT_DIR\"), \"/stytch.rs\"));\n}\n";
    assert!(lib.contains(include) && readme.contains(include));
}

/// The dependency lines the README tells a build-script user to write name the generator and the
/// runtime as they are published: their package names and a requirement their versions meet.
#[test]
fn readme_dependency_lines_name_the_published_packages() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(dir.join("../../README.md")).unwrap();
    let (generator, generator_version) = package_of(&dir.join("../../codegen/Cargo.toml"));
    let (runtime, runtime_version) = package_of(&dir.join("../../runtime/Cargo.toml"));
    let build_line = format!("{generator} = {{ version = \"{}\", default-features = false }}\n", requirement(&generator_version));
    let runtime_line = format!("{runtime} = \"{}\"\n", requirement(&runtime_version));
    let block = format!("[build-dependencies]\n{build_line}\n[dependencies]\n{runtime_line}");
    assert!(readme.contains(&block), "README.md must show, in its build-script section:\n{block}");
}

/// `name` and `version` of a manifest's `[package]` table (its first two such keys).
fn package_of(manifest: &std::path::Path) -> (String, String) {
    let text = std::fs::read_to_string(manifest).unwrap();
    let value = |key: &str| {
        let line = text.lines().find_map(|l| l.strip_prefix(key)?.trim_start().strip_prefix('='));
        line.unwrap_or_else(|| panic!("no {key} in {}", manifest.display())).trim().trim_matches('"').to_owned()
    };
    (value("name"), value("version"))
}

/// The caret requirement a user writes for a version: `0.1` for `0.1.3`, `2` for `2.4.0`.
fn requirement(version: &str) -> String {
    let mut parts = version.split('.');
    let major = parts.next().unwrap();
    if major == "0" { format!("0.{}", parts.next().unwrap()) } else { major.to_owned() }
}
