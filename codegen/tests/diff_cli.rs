//! `codegen diff` between package folders (exit codes for CI, JSON), and the warnings about
//! spec options that match nothing, from the command line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-cli").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A package folder `dir` whose `types/index.d.ts` is `dts`.
fn package(dir: &Path, version: &str, dts: &str) -> PathBuf {
    std::fs::create_dir_all(dir.join("types")).unwrap();
    let json = format!(r#"{{"name":"p","version":"{version}","types":"types/index.d.ts"}}"#);
    std::fs::write(dir.join("package.json"), json).unwrap();
    std::fs::write(dir.join("types/index.d.ts"), dts).unwrap();
    dir.to_path_buf()
}

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen")).args(args).output().unwrap()
}

const BASE: &str = "export interface Thing {\n    /** The name. */\n    name: string;\n}\n";

/// `codegen diff OLD NEW ARGS` on the base package and one with `new_dts`.
fn diff(name: &str, new_dts: &str, args: &[&str]) -> Output {
    let dir = scratch(name);
    let old = package(&dir.join("old"), "1.0.0", BASE);
    let new = package(&dir.join("new"), "1.1.0", new_dts);
    let mut all = vec!["diff", old.to_str().unwrap(), new.to_str().unwrap()];
    all.extend(args);
    codegen(&all)
}

#[test]
fn fail_on_sets_the_exit_code_by_the_worst_change() {
    let breaking = BASE.replace("name: string;", "name: string;\n    size: number;");
    let additive = BASE.replace("}\n", "}\nexport interface Other { a?: string; }\n");
    let doc_only = BASE.replace("The name.", "The display name.");
    let code = |name, dts: &str, fail_on| diff(name, dts, &["--fail-on", fail_on]).status.code();
    assert_eq!(code("b-b", &breaking, "breaking"), Some(1));
    assert_eq!(code("b-a", &breaking, "additive"), Some(1));
    assert_eq!(code("a-b", &additive, "breaking"), Some(0));
    assert_eq!(code("a-a", &additive, "additive"), Some(1));
    assert_eq!(code("d-a", &doc_only, "additive"), Some(0));
    assert_eq!(diff("none", &breaking, &[]).status.code(), Some(0), "without --fail-on the diff only reports");
}

#[test]
fn markdown_and_json_name_the_change_with_its_rust_path() {
    let breaking = BASE.replace("name: string;", "name: string;\n    size: number;");
    let out = diff("md", &breaking, &[]);
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("## API changes: `p@1.0.0` → `p@1.1.0`"), "{md}");
    assert!(md.contains("- `index::Thing::size`: field added: `f64` [no operation]"), "{md}");
    let out = diff("json", &breaking, &["--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema"], 1);
    assert_eq!(json["worst"], "breaking");
    assert_eq!(json["changes"][0]["kind"], "field_added");
    assert_eq!(json["changes"][0]["path"], "index::Thing::size");
    assert_eq!(json["by_kind"]["field_added"]["breaking"], 1);
}

#[test]
fn a_side_that_is_nothing_known_is_an_error() {
    let out = codegen(&["diff", "no/such/folder", "also-not-a-version"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("neither a package folder, a spec file nor NAME@VERSION"));
}

#[test]
fn generate_warns_about_options_that_match_nothing() {
    let dir = scratch("stale");
    // A cache entry the fetcher trusts (its recorded integrity matches the pin): no network.
    package(&dir.join("cache/p-1.0.0/package"), "1.0.0", BASE);
    std::fs::write(dir.join("cache/p-1.0.0/.integrity"), "sha512-test").unwrap();
    let spec = "[package]\nname = \"p\"\nversion = \"1.0.0\"\nintegrity = \"sha512-test\"\n\n[output]\ndir = \"out\"\n\n[options]\nfeatures = [{ name = \"gone\", modules = [\"nothing/\"] }]\n\n[options.implemented]\n\"index#gone\" = \"ext::gone\"\n";
    std::fs::write(dir.join("spec.toml"), spec).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(["generate", dir.join("spec.toml").to_str().unwrap(), "--quiet"])
        .env("CODEGEN_CACHE_DIR", dir.join("cache"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("`[options.implemented]` entry `index#gone` matches no hand-written method: p@1.0.0 has no such method"), "{err}");
    assert!(err.contains("spec.toml:13:1"), "located at the entry: {err}");
    assert!(err.contains("feature `gone`: module prefix `nothing/` matches no module of p@1.0.0"), "{err}");
    assert!(err.contains("spec.toml:10:"), "{err}");
}
