//! Stage 5: putting files on disk. A file is written only when its content changed, through a
//! temporary file in the same folder (`.NAME.PID.codegen-tmp`) and a rename, so a build never
//! sees half a file, a run killed midway leaves each file either old or new, and unchanged files
//! keep their modification times; temporary files a killed run left are removed by the next.
//! Check mode compares instead of writing.
//!
//! The writer never leaves the output folder: every output path must be relative, with no `..`
//! or empty component, and may not pass through a symlinked folder; cleaning never follows a
//! symlink, so it cannot delete or loop outside the folder.

use std::collections::BTreeSet;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::emit::{Files, GENERATED_MARKER};

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<String>,
    pub unchanged: Vec<String>,
    /// Generated files of an earlier run that this run no longer produces, now removed.
    pub removed: Vec<String>,
    /// Temporary files of earlier runs that were killed midway, now removed.
    pub temp_removed: Vec<String>,
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

/// Suffix of temporary files; the name starts with `.` so tools listing `*.rs` skip them.
const TEMP_SUFFIX: &str = ".codegen-tmp";

/// Writes `files` below `dir`, and removes generated files (recognised by their header) that
/// are no longer produced. Hand-written files are never touched.
pub fn write(files: &Files, dir: &Path) -> io::Result<WriteReport> {
    let targets = checked_targets(files, dir)?;
    let mut report = WriteReport { temp_removed: remove_leftover_temps(files, dir)?, ..WriteReport::default() };
    for ((rel, content), path) in files.iter().zip(targets) {
        if std::fs::read(&path).is_ok_and(|old| old == content.as_bytes()) {
            report.unchanged.push(rel.clone());
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        replace(&path, content.as_bytes())?;
        report.written.push(rel.clone());
    }
    for rel in stale_generated(files, dir)? {
        std::fs::remove_file(dir.join(&rel))?;
        report.removed.push(rel);
    }
    Ok(report)
}

/// Writes `path` through a temporary file beside it and a rename: either the old or the new
/// content is ever at `path`.
fn replace(path: &Path, content: &[u8]) -> io::Result<()> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = path.with_file_name(format!(".{name}.{}{TEMP_SUFFIX}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        io::Write::write_all(&mut file, content)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Compares `files` with what is below `dir` without writing anything.
pub fn check(files: &Files, dir: &Path, diff: &dyn Fn(&str, &str) -> String) -> io::Result<Staleness> {
    let targets = checked_targets(files, dir)?;
    let mut s = Staleness::default();
    for ((rel, content), path) in files.iter().zip(targets) {
        match std::fs::read_to_string(path) {
            Ok(old) if old == *content => {}
            Ok(old) => s.changed.push((rel.clone(), diff(&old, content))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => s.missing.push(rel.clone()),
            Err(e) => return Err(e),
        }
    }
    s.extra = stale_generated(files, dir)?;
    Ok(s)
}

fn refused(rel: &str, why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, format!("output path `{}` refused: {why}", rel.escape_debug()))
}

/// The absolute path of every output file, in `files` order, after checking that each stays
/// inside `dir`: relative, `/`-separated plain names (no `..`, `.`, empty or absolute
/// component), and no folder on the way that is a symlink.
fn checked_targets(files: &Files, dir: &Path) -> io::Result<Vec<PathBuf>> {
    files.keys().map(|rel| checked_target(rel, dir)).collect()
}

fn checked_target(rel: &str, dir: &Path) -> io::Result<PathBuf> {
    let mut path = dir.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        let plain = matches!(Path::new(part).components().collect::<Vec<_>>().as_slice(), [Component::Normal(_)]);
        if !plain || part.contains('\\') {
            return Err(refused(rel, "it must be a relative path of plain names inside the output folder (no `..`, no absolute path, no empty part)"));
        }
        path.push(part);
        let is_folder = i + 1 < parts.len();
        if is_folder && std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(refused(rel, &format!("`{}` is a symlink; the writer does not write through links", path.display())));
        }
    }
    Ok(path)
}

/// The folders below `dir` that the output writes into: only these are scanned for stale
/// generated files and leftover temporary files; nothing else in `dir` is ours.
fn owned_roots(files: &Files, dir: &Path) -> BTreeSet<PathBuf> {
    files.keys().filter_map(|f| f.split('/').next()).map(|top| dir.join(top)).collect()
}

/// Every regular file below the owned roots, walked without following symlinks (a link is
/// neither entered nor listed), so the walk stays inside `dir` and ends.
fn owned_files(files: &Files, dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for root in owned_roots(files, dir) {
        let mut stack = vec![root];
        while let Some(p) = stack.pop() {
            let Ok(meta) = std::fs::symlink_metadata(&p) else { continue };
            if meta.is_dir() {
                for e in std::fs::read_dir(&p)? {
                    stack.push(e?.path());
                }
            } else if meta.is_file() {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn relative(dir: &Path, p: &Path) -> String {
    p.strip_prefix(dir).unwrap_or(p).to_string_lossy().replace('\\', "/")
}

/// Removes temporary files that a killed run left; returns them.
fn remove_leftover_temps(files: &Files, dir: &Path) -> io::Result<Vec<String>> {
    let mut removed = Vec::new();
    for p in owned_files(files, dir)? {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') && name.ends_with(TEMP_SUFFIX) {
            std::fs::remove_file(&p)?;
            removed.push(relative(dir, &p));
        }
    }
    Ok(removed)
}

/// Files below `dir` that carry the generated header but are not in `files`.
fn stale_generated(files: &Files, dir: &Path) -> io::Result<Vec<String>> {
    let wanted: BTreeSet<&str> = files.keys().map(String::as_str).collect();
    let mut out = Vec::new();
    for p in owned_files(files, dir)? {
        let rel = relative(dir, &p);
        if p.extension().is_some_and(|e| e == "rs") && !wanted.contains(rel.as_str()) && is_generated(&p) {
            out.push(rel);
        }
    }
    Ok(out)
}

fn is_generated(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| t.lines().next().is_some_and(|l| l.contains(GENERATED_MARKER)))
}
