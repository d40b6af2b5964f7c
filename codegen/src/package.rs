//! Reading an npm package folder: `package.json` says where the declarations (`exports`,
//! `typesVersions`, `types` or `typings`; see the `entry` module) and the compiled JS (`main`) are; every
//! declaration file (`.d.ts`, `.d.mts`, `.d.cts`) below the declarations' folder and every JS
//! file (`.js`, `.mjs`, `.cjs`) below the JS folder is read, one file per module. Paths are
//! kept relative to the package root, with `/` separators, so nothing machine-specific reaches
//! the output.
//!
//! The package is untrusted input (a build script runs on whatever sits in `node_modules/`), so
//! the folder is a sandbox: the root is resolved once; entries in `package.json` must be relative
//! paths without `..`; every file read resolves (symlinks followed) inside the root; symlinked
//! folders are not followed (no loops); only regular files are opened (a FIFO would block), each
//! at most [`MAX_FILE_BYTES`]; file names must be UTF-8. Anything refused or skipped is a
//! located diagnostic.

mod entry;

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Loc};

/// Largest input file read: 64 MiB. The largest file of `stytch@14.2.0` is 67,867 bytes
/// (`types/lib/b2b/organizations.d.ts`), about 1,000 times smaller.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the package root (`types/lib/b2b/sso.d.ts`).
    pub path: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Package {
    /// The package folder, symlinks resolved.
    pub root: PathBuf,
    pub name: String,
    pub version: String,
    /// Folder of the declarations' entry point, relative to the root (`types/lib`).
    pub types_root: String,
    /// The declarations' entry point, relative to the root (`types/lib/index.d.ts`).
    pub types_entry: String,
    /// Folder of the JS entry point (`dist`), when the package has one.
    pub js_root: Option<String>,
    pub dts: Vec<SourceFile>,
    pub js: Vec<SourceFile>,
    /// Files skipped and fallbacks taken while reading (symlinks leaving the package, FIFOs,
    /// a missing `types` entry).
    pub warnings: Vec<Diagnostic>,
}

impl Package {
    /// Module path of a declaration file: relative to the types root, without `.d.ts`
    /// (`.d.mts`, `.d.cts`).
    pub fn module_path(&self, dts_path: &str) -> String {
        let rel = match self.types_root.as_str() {
            "" => dts_path,
            root => dts_path.strip_prefix(root).and_then(|r| r.strip_prefix('/')).unwrap_or(dts_path),
        };
        entry::split_suffix(rel, &entry::DTS_SUFFIXES).map_or(rel, |(stem, _)| stem).to_string()
    }

    /// Module path of the declarations' entry point (`index`).
    pub fn entry_module(&self) -> String {
        self.module_path(&self.types_entry)
    }

    /// The compiled JS file that implements a module path: the one read (`.js`, `.mjs` or
    /// `.cjs`), else the `.js` path.
    pub fn js_file(&self, module_path: &str) -> String {
        let stem = match &self.js_root {
            Some(root) if !root.is_empty() => format!("{root}/{module_path}"),
            _ => module_path.to_string(),
        };
        entry::JS_SUFFIXES
            .iter()
            .map(|s| format!("{stem}{s}"))
            .find(|p| self.js.iter().any(|f| &f.path == p))
            .unwrap_or_else(|| format!("{stem}.js"))
    }

    /// Every file read, as absolute paths: what a build script must re-run on. When the types
    /// entry is missing, also the folder read instead (cargo scans a folder for changes), so
    /// that adding the entry re-runs generation.
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut out = vec![self.root.join("package.json")];
        if !self.dts.iter().any(|f| f.path == self.types_entry) {
            out.push(self.root.join(&self.types_root));
        }
        out.extend(self.dts.iter().chain(&self.js).map(|f| self.root.join(&f.path)));
        out
    }
}

fn at(file: &str, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Loc { file: file.to_string(), line: 1, col: 1 }, msg)
}

fn err(file: &str, msg: impl Into<String>) -> Vec<Diagnostic> {
    vec![at(file, msg)]
}

/// What a relative path inside the package is, symlinks resolved.
enum Found {
    File(u64),
    Dir,
    Missing,
    /// Resolves outside the package root (to this path).
    Outside(PathBuf),
    /// A FIFO, socket or device.
    Special,
}

/// The package root, resolved once; every read goes through it.
struct Sandbox {
    root: PathBuf,
}

impl Sandbox {
    fn probe(&self, rel: &str) -> Found {
        let Ok(real) = std::fs::canonicalize(self.root.join(rel)) else { return Found::Missing };
        if !real.starts_with(&self.root) {
            return Found::Outside(real);
        }
        match std::fs::metadata(&real) {
            Ok(m) if m.is_file() => Found::File(m.len()),
            Ok(m) if m.is_dir() => Found::Dir,
            Ok(_) => Found::Special,
            Err(_) => Found::Missing,
        }
    }

    /// Reads a file that [`Sandbox::probe`] found to be a regular file of `len` bytes.
    fn read(&self, rel: &str, len: u64) -> Result<String, Diagnostic> {
        if len > MAX_FILE_BYTES {
            return Err(at(rel, format!("file is {len} bytes, over the limit of {MAX_FILE_BYTES} bytes (64 MiB)")));
        }
        let file = std::fs::File::open(self.root.join(rel)).map_err(|e| at(rel, format!("cannot read: {e}")))?;
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| at(rel, format!("cannot read: {e}")))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(at(rel, format!("file grew over the limit of {MAX_FILE_BYTES} bytes (64 MiB) while being read")));
        }
        String::from_utf8(bytes).map_err(|e| at(rel, format!("file is not UTF-8: {e}")))
    }

    /// Reads `rel` if it is a regular file inside the package.
    fn read_file(&self, rel: &str) -> Result<String, Diagnostic> {
        match self.probe(rel) {
            Found::File(len) => self.read(rel, len),
            Found::Missing => Err(at(rel, "file does not exist")),
            Found::Dir => Err(at(rel, "is a folder, expected a file")),
            Found::Outside(real) => Err(at(rel, format!("resolves outside the package (to `{}`): refused", real.display()))),
            Found::Special => Err(at(rel, "not a regular file (FIFO, socket or device): refused")),
        }
    }
}

/// The location in `package.json` of the value of `key` (its first occurrence), for
/// diagnostics about an entry.
fn key_loc(text: &str, key: &str) -> Loc {
    let offset = text.find(&format!("\"{key}\"")).unwrap_or(0);
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() as u32 + 1;
    Loc { file: "package.json".into(), line, col }
}

/// A path entry of `package.json` as a normalized relative path, or why it is refused: it must
/// stay inside the package, so no absolute path and no `..`.
fn relative_entry(entry: &str) -> Result<String, String> {
    let absolute = entry.starts_with('/') || entry.starts_with('\\') || entry.get(1..2) == Some(":");
    if absolute {
        return Err(format!("`{}` is an absolute path; entries must be relative to the package", entry.escape_debug()));
    }
    let mut parts = Vec::new();
    for part in entry.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return Err(format!("`{}` leaves the package (`..`); entries must stay inside it", entry.escape_debug())),
            p => parts.push(p),
        }
    }
    Ok(parts.join("/"))
}

/// Text from `package.json` that reaches the output header: one line, no control characters.
fn header_field(json: &serde_json::Value, text: &str, key: &str) -> Result<String, Diagnostic> {
    let value = json.get(key).and_then(|v| v.as_str()).unwrap_or_default();
    if value.chars().any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')) {
        return Err(Diagnostic::error(
            key_loc(text, key),
            format!("`{key}` contains a control character or line break (`{}`): refused", value.escape_debug()),
        ));
    }
    Ok(value.to_string())
}

/// The declarations' entry from `package.json`, relative to the root, found as TypeScript
/// does ([`entry::EntryFields::types_entry`]) among the candidates that stay inside the package.
fn types_entry(json: &serde_json::Value, text: &str, fields: &entry::EntryFields, sandbox: &Sandbox) -> Result<String, Diagnostic> {
    let exists = |p: &str| relative_entry(p).is_ok() && matches!(sandbox.probe(p), Found::File(_));
    let entry = fields.types_entry(&exists);
    let key = ["types", "typings", "exports", "typesVersions", "main"].into_iter().find(|k| json.get(k).is_some()).unwrap_or("types");
    relative_entry(&entry).map_err(|why| Diagnostic::error(key_loc(text, key), format!("`{key}` entry refused: {why}")))
}

pub fn load(root: &Path) -> Result<Package, Vec<Diagnostic>> {
    let root = std::fs::canonicalize(root)
        .map_err(|e| err(&root.join("package.json").display().to_string(), format!("cannot read the package folder: {e}")))?;
    let sandbox = Sandbox { root };
    let text = sandbox.read_file("package.json").map_err(|d| vec![d])?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        vec![Diagnostic::error(
            Loc { file: "package.json".into(), line: e.line() as u32, col: e.column() as u32 },
            format!("package.json is not valid JSON: {e}"),
        )]
    })?;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let name = header_field(&json, &text, "name").map_err(|d| errors.push(d)).unwrap_or_default();
    let version = header_field(&json, &text, "version").map_err(|d| errors.push(d)).unwrap_or_default();
    let entry_fields = entry::EntryFields::parse(&text);
    let types_entry = types_entry(&json, &text, &entry_fields, &sandbox).map_err(|d| errors.push(d)).unwrap_or_default();
    let js_root = match json.get("main").and_then(|v| v.as_str()).map(relative_entry) {
        Some(Ok(main)) => Some(parent(&main)),
        Some(Err(why)) => {
            errors.push(Diagnostic::error(key_loc(&text, "main"), format!("`main` entry refused: {why}")));
            None
        }
        None => None,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let types_root = types_folder(&sandbox, &types_entry, &text, &mut warnings)?;

    let mut dts = Vec::new();
    let is_dts = |p: &str| entry::split_suffix(p, &entry::DTS_SUFFIXES).is_some();
    collect(&sandbox, &types_root, &is_dts, &mut dts, &mut warnings)?;
    let dts_flavour = entry::split_suffix(&types_entry, &entry::DTS_SUFFIXES).map(|(_, s)| s);
    let dts = entry::one_per_module(dts, &entry::DTS_SUFFIXES, dts_flavour);
    if dts.is_empty() {
        let folder = if types_root.is_empty() { "." } else { &types_root };
        return Err(err("package.json", format!("no declaration files (`.d.ts`, `.d.mts`, `.d.cts`) in `{folder}`: nothing to generate from")));
    }
    let mut js = Vec::new();
    // A package may declare a `main` it does not ship (types-only builds): no JS, no routes.
    if let Some(js_root) = &js_root {
        match sandbox.probe(js_root) {
            Found::Dir => {
                let is_js = |p: &str| entry::split_suffix(p, &entry::JS_SUFFIXES).is_some();
                collect(&sandbox, js_root, &is_js, &mut js, &mut warnings)?;
                js = entry::one_per_module(js, &entry::JS_SUFFIXES, entry_fields.main_suffix());
            }
            Found::Outside(real) => warnings.push(Diagnostic::warning(
                key_loc(&text, "main"),
                format!("the JS folder `{js_root}` resolves outside the package (to `{}`): no JS is read", real.display()),
            )),
            _ => {}
        }
    }
    Ok(Package { root: sandbox.root, name, version, types_root, types_entry, js_root, dts, js, warnings })
}

/// The folder whose declarations are read: the entry's folder. An entry that does not exist
/// falls back (with a warning) to its folder if that exists, else to the package root.
fn types_folder(sandbox: &Sandbox, entry: &str, text: &str, warnings: &mut Vec<Diagnostic>) -> Result<String, Vec<Diagnostic>> {
    let loc = key_loc(text, if text.contains("\"types\"") { "types" } else { "typings" });
    match sandbox.probe(entry) {
        Found::File(_) => return Ok(parent(entry)),
        Found::Outside(real) => {
            return Err(vec![Diagnostic::error(loc, format!("the types entry `{entry}` resolves outside the package (to `{}`): refused", real.display()))]);
        }
        Found::Dir | Found::Special => {
            return Err(vec![Diagnostic::error(loc, format!("the types entry `{entry}` is not a regular file"))]);
        }
        Found::Missing => {}
    }
    let folder = parent(entry);
    let fallback = if matches!(sandbox.probe(&folder), Found::Dir) { folder } else { String::new() };
    let shown = if fallback.is_empty() { "the package root".to_string() } else { format!("`{fallback}`") };
    warnings.push(Diagnostic::warning(
        loc,
        format!("the declared types entry `{entry}` does not exist: reading the declarations found in {shown} instead"),
    ));
    Ok(fallback)
}

fn parent(p: &str) -> String {
    p.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default()
}

/// Reads matching files below `dir` (relative to the root), sorted by path. Real folders are
/// walked (never `node_modules`); a symlinked file is read only if it resolves to a regular file
/// inside the package; symlinked folders are not followed.
fn collect(
    sandbox: &Sandbox,
    dir: &str,
    keep: &dyn Fn(&str) -> bool,
    out: &mut Vec<SourceFile>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), Vec<Diagnostic>> {
    let mut stack = vec![dir.to_string()];
    let mut found = Vec::new();
    let mut errors = Vec::new();
    while let Some(rel) = stack.pop() {
        let entries = std::fs::read_dir(sandbox.root.join(&rel)).map_err(|e| err(&rel, format!("cannot read folder: {e}")))?;
        for entry in entries {
            let entry = entry.map_err(|e| err(&rel, format!("cannot read folder: {e}")))?;
            let lossy = entry.file_name().to_string_lossy().into_owned();
            let child = if rel.is_empty() { lossy.clone() } else { format!("{rel}/{lossy}") };
            let ty = entry.file_type().map_err(|e| err(&child, e.to_string()))?;
            if entry.file_name().to_str().is_none() {
                if ty.is_dir() || keep(&child) {
                    errors.push(at(&child, format!("file name is not valid UTF-8 (shown with U+FFFD): `{child}`: rename it")));
                }
                continue;
            }
            if ty.is_dir() {
                if lossy != "node_modules" {
                    stack.push(child);
                }
            } else if ty.is_symlink() {
                if let Some(len) = symlinked_file(sandbox, &child, keep, warnings) {
                    found.push((child, len));
                }
            } else if keep(&child) {
                match sandbox.probe(&child) {
                    Found::File(len) => found.push((child, len)),
                    _ => warnings.push(Diagnostic::warning(
                        Loc { file: child.clone(), line: 1, col: 1 },
                        "not a regular file (FIFO, socket or device): skipped",
                    )),
                }
            }
        }
    }
    found.sort();
    for (path, len) in found {
        match sandbox.read(&path, len) {
            Ok(text) => out.push(SourceFile { path, text }),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// A symlink met while walking: its size if it is a wanted file inside the package, else
/// `None` with a warning saying why it is skipped.
fn symlinked_file(sandbox: &Sandbox, rel: &str, keep: &dyn Fn(&str) -> bool, warnings: &mut Vec<Diagnostic>) -> Option<u64> {
    let found = sandbox.probe(rel);
    let why = match found {
        Found::File(len) if keep(rel) => return Some(len),
        Found::Dir => "is a symlinked folder: not followed".to_string(),
        Found::Outside(real) if keep(rel) || real.is_dir() => {
            format!("is a symlink that resolves outside the package (to `{}`): skipped", real.display())
        }
        _ if !keep(rel) => return None,
        Found::Missing => "is a symlink to nothing: skipped".to_string(),
        _ => "is a symlink to something that is not a regular file: skipped".to_string(),
    };
    warnings.push(Diagnostic::warning(Loc { file: rel.to_string(), line: 1, col: 1 }, why));
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_stay_relative_and_inside() {
        assert_eq!(relative_entry("./types/lib/index.d.ts").unwrap(), "types/lib/index.d.ts");
        assert_eq!(relative_entry("types//./index.d.ts").unwrap(), "types/index.d.ts");
        for bad in ["/etc/hostname", "\\\\server\\share", "C:\\x.d.ts", "../x.d.ts", "types/../../x.d.ts", "a\\..\\..\\b"] {
            assert!(relative_entry(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_key_is_located_at_its_line_and_column() {
        let text = "{\n  \"name\": \"p\",\n    \"types\": \"x\"\n}";
        assert_eq!((key_loc(text, "types").line, key_loc(text, "types").col), (3, 5));
        assert_eq!(key_loc(text, "absent").line, 1);
    }
}
