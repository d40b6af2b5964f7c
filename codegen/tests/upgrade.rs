//! `codegen upgrade` on a copy of the workspace's spec and generated crate: a move to the older
//! pin (`specs/stytch-13.2.5.toml`) and back. Needs npm (version lookup) and the packages in the
//! repository's cache (`scripts/test.sh` fetches every pin first).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Every file below `dir`: content and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else {
            let meta = std::fs::metadata(&p).unwrap();
            out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), (std::fs::read(&p).unwrap(), meta.modified().unwrap()));
        }
    }
    out
}

fn upgrade(spec: &Path, to: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(["upgrade", spec.to_str().unwrap(), "--to", to])
        .env("CODEGEN_CACHE_DIR", workspace().join(".cache/npm"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn pin_line(spec_text: &str, key: &str) -> String {
    spec_text.lines().find(|l| l.starts_with(&format!("{key} ="))).unwrap().to_string()
}

#[test]
fn upgrade_moves_the_pin_regenerates_and_records_the_change_and_the_way_back_restores_the_sources() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("upgrade-workspace");
    let _ = std::fs::remove_dir_all(&root);
    copy_dir(&workspace().join("specs"), &root.join("specs"));
    copy_dir(&workspace().join("generated/src"), &root.join("generated/src"));
    for file in ["Cargo.toml", "CRATE_DOC.md"] {
        std::fs::copy(workspace().join("generated").join(file), root.join("generated").join(file)).unwrap();
    }
    let _ = std::fs::remove_file(root.join("generated/CHANGELOG.md"));
    let spec = root.join("specs/stytch.toml");
    let spec_before = std::fs::read_to_string(&spec).unwrap();
    let older = std::fs::read_to_string(root.join("specs/stytch-13.2.5.toml")).unwrap();
    let current = pin_line(&spec_before, "version").trim_start_matches("version = ").trim_matches('"').to_string();
    let version_before = crate_version(&root);
    let src_before = snapshot(&root.join("generated/src"));

    // Down to 13.2.5: the pin moves (comments and layout kept), changed files are rewritten.
    let changelog = upgrade(&spec, "13.2.5");
    let spec_after = std::fs::read_to_string(&spec).unwrap();
    let expected = spec_before.replace(&pin_line(&spec_before, "version"), &pin_line(&older, "version")).replace(&pin_line(&spec_before, "integrity"), &pin_line(&older, "integrity"));
    assert_eq!(spec_after, expected);
    assert!(changelog.starts_with(&format!("## API changes: `stytch@{current}` → `stytch@13.2.5`")), "{changelog}");
    let src_after = snapshot(&root.join("generated/src"));
    let changed: Vec<_> = src_after.iter().filter(|(p, (bytes, _))| src_before.get(*p).is_none_or(|(b, _)| b != bytes)).map(|(p, _)| p).collect();
    assert!(!changed.is_empty());
    for (path, (bytes, modified)) in &src_after {
        if let Some((old_bytes, old_modified)) = src_before.get(path).filter(|(b, _)| b == bytes) {
            assert_eq!((old_bytes, old_modified), (bytes, modified), "{} was touched though unchanged", path.display());
        }
    }
    let down = crate_version(&root);
    assert_ne!(down, version_before);
    let log = std::fs::read_to_string(root.join("generated/CHANGELOG.md")).unwrap();
    assert!(log.contains(&format!("\n## {down} (stytch@13.2.5)\n")), "{log}");

    // Back up: the generated sources and the spec are byte-identical to where they started; the
    // crate version moves on and the changelog gains a second entry, newest first.
    upgrade(&spec, &current);
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), spec_before);
    let src_back = snapshot(&root.join("generated/src"));
    assert_eq!(src_back.keys().collect::<Vec<_>>(), src_before.keys().collect::<Vec<_>>());
    for (path, (bytes, _)) in &src_back {
        assert!(src_before[path].0 == *bytes, "{} differs after the way back", path.display());
    }
    let up = crate_version(&root);
    assert_ne!(up, down);
    let log = std::fs::read_to_string(root.join("generated/CHANGELOG.md")).unwrap();
    let newest = log.find(&format!("\n## {up} (stytch@{current})\n")).expect(&log);
    let older_entry = log.find(&format!("\n## {down} (stytch@13.2.5)\n")).expect(&log);
    assert!(newest < older_entry, "{log}");

    // Already there: nothing to do, nothing written.
    let before = snapshot(&root.join("generated"));
    upgrade(&spec, &current);
    assert_eq!(snapshot(&root.join("generated")), before);
}

fn crate_version(root: &Path) -> String {
    let text = std::fs::read_to_string(root.join("generated/Cargo.toml")).unwrap();
    text.lines().find_map(|l| l.strip_prefix("version = ")).unwrap().trim_matches('"').to_string()
}
