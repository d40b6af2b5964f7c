//! The build script re-runs exactly when an input changes, and rewrites nothing that did not
//! change. Runs cargo on this crate the way a user's build does (same target folder).

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Builds the example; returns whether its build script ran, and its `OUT_DIR`.
fn build() -> (bool, PathBuf) {
    let out = Command::new(env!("CARGO"))
        .args(["build", "-v", "-p", "build-script-example", "--message-format=json"])
        .current_dir(workspace())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut out_dir = None;
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let msg: serde_json::Value = serde_json::from_str(line).unwrap();
        if msg["reason"] == "build-script-executed" && msg["package_id"].as_str().unwrap().contains("build-script-example") {
            out_dir = Some(PathBuf::from(msg["out_dir"].as_str().unwrap()));
        }
    }
    // cargo reports the script's output also when it is fresh; `-v` shows whether it ran.
    let stderr = String::from_utf8_lossy(&out.stderr);
    let ran = stderr.lines().any(|l| l.trim_start().starts_with("Running `") && l.contains("build-script-example-") && l.contains("build-script-build"));
    (ran, out_dir.expect("cargo reports the build script"))
}

#[test]
fn reruns_only_when_an_input_changes_and_keeps_unchanged_files() {
    // Bring the crate up to date, then a second build must do nothing.
    build();
    let (ran, out_dir) = build();
    assert!(!ran, "a no-op rebuild must not re-run the build script");
    let generated = out_dir.join("stytch.rs");
    let before = std::fs::metadata(&generated).unwrap().modified().unwrap();

    // The rerun lines name every input the generator read, as plain paths, none in OUT_DIR.
    let output = std::fs::read_to_string(out_dir.parent().unwrap().join("output")).unwrap();
    let reruns: Vec<&str> = output.lines().filter_map(|l| l.strip_prefix("cargo::rerun-if-changed=")).collect();
    // The package is the one `specs/stytch.toml` pins: every declaration file in it is an input.
    let package_json = reruns.iter().find(|p| p.ends_with("package.json")).expect("package.json is an input");
    let package = Path::new(package_json).parent().unwrap();
    assert!(reruns.iter().any(|p| p.ends_with("specs/stytch.toml")), "the pin is an input");
    assert_eq!(reruns.iter().filter(|p| p.ends_with(".d.ts")).count(), count_files(package, ".d.ts"));
    assert!(reruns.iter().filter(|p| p.ends_with(".js")).count() > 0);
    assert!(reruns.iter().all(|p| !p.contains(out_dir.to_str().unwrap()) && !p.starts_with('"')));

    // Touching one declaration file re-runs generation; the same content rewrites nothing.
    let dts = PathBuf::from(reruns.iter().find(|p| p.ends_with(".d.ts")).unwrap());
    let file = std::fs::File::options().append(true).open(&dts).unwrap();
    file.set_modified(std::time::SystemTime::now()).unwrap();
    let (ran, _) = build();
    assert!(ran, "touching an input must re-run the build script");
    assert_eq!(std::fs::metadata(&generated).unwrap().modified().unwrap(), before, "unchanged output must keep its mtime");
}

/// Files below `dir` whose name ends with `suffix`.
fn count_files(dir: &Path, suffix: &str) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { count_files(&p, suffix) } else { usize::from(p.to_string_lossy().ends_with(suffix)) })
        .sum()
}
