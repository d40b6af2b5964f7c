//! The command-line tool end to end: exit codes, diagnostics, nothing written on error,
//! write-only-changed, and check mode.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A package folder with these declaration files under `types/`.
fn package(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name).join("pkg");
    std::fs::create_dir_all(dir.join("types")).unwrap();
    std::fs::write(dir.join("package.json"), r#"{"name":"p","version":"1.0.0","types":"types/index.d.ts"}"#).unwrap();
    for (path, text) in files {
        let p = dir.join("types").join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn codegen(args: &[&str], pkg: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(["generate", "--package"])
        .arg(pkg)
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn syntax_errors_in_several_files_are_all_reported_and_nothing_is_written() {
    let pkg = package(
        "syntax",
        &[
            ("index.d.ts", "export interface Ok { a: string; }\n"),
            ("bad1.d.ts", "export interface A {\n    a: string\n    b: ;\n}\n"),
            ("bad2.d.ts", "export type B = {{;\n"),
        ],
    );
    let out = pkg.parent().unwrap().join("out");
    let o = codegen(&[], &pkg, &out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("types/bad1.d.ts:3:8"), "{err}");
    assert!(err.contains("    b: ;"), "the source line is shown: {err}");
    assert!(err.contains("types/bad2.d.ts:1:"), "{err}");
    assert!(!out.exists(), "nothing may be written on error");
}

#[test]
fn unresolved_imports_are_errors_with_locations() {
    let pkg = package(
        "unresolved",
        &[
            ("index.d.ts", "import { Gone } from \"./missing\";\nimport { Nope } from \"./other\";\nexport interface A { x: Unknown; }\n"),
            ("other.d.ts", "export interface Other { y: string; }\n"),
        ],
    );
    let out = pkg.parent().unwrap().join("out");
    let o = codegen(&[], &pkg, &out);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("types/index.d.ts:1:10") && err.contains("no module `./missing`"), "{err}");
    assert!(err.contains("types/index.d.ts:2:10") && err.contains("does not export `Nope`"), "{err}");
    assert!(!err.contains("Unknown"), "an undeclared name is a global type: a warning, not an error: {err}");
    assert!(!out.exists());
}

#[test]
fn writes_only_what_changed_and_check_mode_reports_staleness() {
    let pkg = package("write", &[("index.d.ts", "export interface A { x: string; }\n"), ("b.d.ts", "export interface B { y: number; }\n")]);
    let out = pkg.parent().unwrap().join("out");
    let o = codegen(&[], &pkg, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("3 written, 0 unchanged"), "{}", stderr(&o));
    let lib = out.join("src/lib.rs");
    let before = std::fs::metadata(&lib).unwrap().modified().unwrap();

    let o = codegen(&["--check"], &pkg, &out);
    assert!(o.status.success(), "fresh output passes the check: {}", stderr(&o));

    std::thread::sleep(std::time::Duration::from_millis(20));
    let o = codegen(&[], &pkg, &out);
    assert!(stderr(&o).contains("0 written, 3 unchanged"), "{}", stderr(&o));
    assert_eq!(std::fs::metadata(&lib).unwrap().modified().unwrap(), before, "an unchanged file is not rewritten");

    // A hand edit and an upstream change are both reported, with a diff.
    std::fs::write(pkg.join("types/b.d.ts"), "export interface B { y: number; z?: boolean; }\n").unwrap();
    let o = codegen(&["--check"], &pkg, &out);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("changed: src/b.rs") && err.contains("+    pub z: Option<bool>,"), "{err}");

    // A module that disappears upstream is reported, then removed; hand-written files stay.
    std::fs::write(out.join("src/hand_written.rs"), "// mine\n").unwrap();
    std::fs::remove_file(pkg.join("types/b.d.ts")).unwrap();
    let o = codegen(&["--check"], &pkg, &out);
    assert!(stderr(&o).contains("no longer generated: src/b.rs"), "{}", stderr(&o));
    let o = codegen(&[], &pkg, &out);
    assert!(o.status.success());
    assert!(!out.join("src/b.rs").exists());
    assert!(out.join("src/hand_written.rs").exists());
}

#[test]
fn a_single_file_outside_the_output_folder_is_refused_and_nothing_is_written() {
    let pkg = package("single-escape", &[("index.d.ts", "export interface Ok { a: string; }\n")]);
    let out = pkg.parent().unwrap().join("out");
    for name in ["../x.rs", "/tmp/codegen-cli-escape.rs"] {
        let o = codegen(&["--single-file", name], &pkg, &out);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains("refused: it must be a relative path"), "{}", stderr(&o));
    }
    assert!(!pkg.parent().unwrap().join("x.rs").exists() && !Path::new("/tmp/codegen-cli-escape.rs").exists());
    assert!(!out.exists(), "nothing may be written on error");
}

#[test]
fn leftover_temporary_files_are_removed_and_reported() {
    let pkg = package("temp-report", &[("index.d.ts", "export interface Ok { a: string; }\n")]);
    let out = pkg.parent().unwrap().join("out");
    assert!(codegen(&[], &pkg, &out).status.success());
    std::fs::write(out.join("src/.index.rs.99.codegen-tmp"), "half").unwrap();
    let o = codegen(&[], &pkg, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("removed 1 temporary file(s) left by an interrupted run"), "{}", stderr(&o));
    assert!(!out.join("src/.index.rs.99.codegen-tmp").exists());
}
