//! Stage 5: putting files on disk. A file is written only when its content changed, through a
//! temporary file and a rename, so a build never sees half a file and unchanged files keep their
//! modification times. Check mode compares instead of writing.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use crate::emit::{Files, GENERATED_MARKER};

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<String>,
    pub unchanged: Vec<String>,
    /// Generated files of an earlier run that this run no longer produces, now removed.
    pub removed: Vec<String>,
}

/// How the files on disk differ from what the generator produces now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Staleness {
    pub missing: Vec<String>,
    /// Files whose content differs, each with a short diff summary.
    pub changed: Vec<(String, String)>,
    /// Generated files on disk that the generator no longer produces.
    pub extra: Vec<String>,
}

impl Staleness {
    pub fn is_fresh(&self) -> bool {
        self.missing.is_empty() && self.changed.is_empty() && self.extra.is_empty()
    }
}

impl std::fmt::Display for Staleness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for m in &self.missing {
            writeln!(f, "missing: {m}")?;
        }
        for (c, summary) in &self.changed {
            writeln!(f, "changed: {c}\n{summary}")?;
        }
        for e in &self.extra {
            writeln!(f, "no longer generated: {e}")?;
        }
        Ok(())
    }
}

/// Writes `files` below `dir`, and removes generated files (recognised by their header) that
/// are no longer produced. Hand-written files are never touched.
pub fn write(files: &Files, dir: &Path) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    for (rel, content) in files {
        let path = dir.join(rel);
        if std::fs::read(&path).is_ok_and(|old| old == content.as_bytes()) {
            report.unchanged.push(rel.clone());
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = path.with_extension("rs.tmp");
        std::fs::write(&tmp, content)?;
        std::fs::rename(&tmp, &path)?;
        report.written.push(rel.clone());
    }
    for rel in stale_generated(files, dir)? {
        std::fs::remove_file(dir.join(&rel))?;
        report.removed.push(rel);
    }
    Ok(report)
}

/// Compares `files` with what is below `dir` without writing anything.
pub fn check(files: &Files, dir: &Path, diff: &dyn Fn(&str, &str) -> String) -> io::Result<Staleness> {
    let mut s = Staleness::default();
    for (rel, content) in files {
        match std::fs::read_to_string(dir.join(rel)) {
            Ok(old) if old == *content => {}
            Ok(old) => s.changed.push((rel.clone(), diff(&old, content))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => s.missing.push(rel.clone()),
            Err(e) => return Err(e),
        }
    }
    s.extra = stale_generated(files, dir)?;
    Ok(s)
}

/// Files below `dir` that carry the generated header but are not in `files`.
fn stale_generated(files: &Files, dir: &Path) -> io::Result<Vec<String>> {
    let wanted: BTreeSet<&str> = files.keys().map(String::as_str).collect();
    // Only folders the output writes into are scanned; nothing else in `dir` is ours.
    let roots: BTreeSet<PathBuf> = files.keys().filter_map(|f| f.split('/').next()).map(|top| dir.join(top)).collect();
    let mut out = Vec::new();
    for root in roots {
        let mut stack = vec![root];
        while let Some(p) = stack.pop() {
            let Ok(meta) = std::fs::metadata(&p) else { continue };
            if meta.is_dir() {
                for e in std::fs::read_dir(&p)? {
                    stack.push(e?.path());
                }
            } else if p.extension().is_some_and(|e| e == "rs") {
                let rel = p.strip_prefix(dir).unwrap_or(&p).to_string_lossy().replace('\\', "/");
                if !wanted.contains(rel.as_str()) && is_generated(&p) {
                    out.push(rel);
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

fn is_generated(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| t.lines().next().is_some_and(|l| l.contains(GENERATED_MARKER)))
}
