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
