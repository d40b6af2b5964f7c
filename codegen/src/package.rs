//! Reading an npm package folder: `package.json` says where the declarations (`types` or
//! `typings`) and the compiled JS (`main`) are; every `.d.ts` below the declarations' folder and
//! every `.js` below the JS folder is read. Paths are kept relative to the package root, with
//! `/` separators, so nothing machine-specific reaches the output.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Loc};

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the package root (`types/lib/b2b/sso.d.ts`).
    pub path: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Package {
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
}

impl Package {
    /// Module path of a declaration file: relative to the types root, without `.d.ts`.
    pub fn module_path(&self, dts_path: &str) -> String {
        let rel = dts_path.strip_prefix(&self.types_root).unwrap_or(dts_path).trim_start_matches('/');
        rel.strip_suffix(".d.ts").unwrap_or(rel).to_string()
    }

    /// Module path of the declarations' entry point (`index`).
    pub fn entry_module(&self) -> String {
        self.module_path(&self.types_entry)
    }

    /// The compiled JS file that implements a module path.
    pub fn js_file(&self, module_path: &str) -> String {
        match &self.js_root {
            Some(root) if !root.is_empty() => format!("{root}/{module_path}.js"),
            _ => format!("{module_path}.js"),
        }
    }

    /// Every file read, as absolute paths: what a build script must re-run on.
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut out = vec![self.root.join("package.json")];
        out.extend(self.dts.iter().chain(&self.js).map(|f| self.root.join(&f.path)));
        out
    }
}

fn err(file: &str, msg: impl Into<String>) -> Vec<Diagnostic> {
    vec![Diagnostic::error(Loc { file: file.to_string(), line: 1, col: 1 }, msg)]
}

pub fn load(root: &Path) -> Result<Package, Vec<Diagnostic>> {
    let manifest_path = root.join("package.json");
    let text = std::fs::read_to_string(&manifest_path)
        .map_err(|e| err(&manifest_path.display().to_string(), format!("cannot read package.json: {e}")))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        vec![Diagnostic::error(
            Loc { file: "package.json".into(), line: e.line() as u32, col: e.column() as u32 },
            format!("package.json is not valid JSON: {e}"),
        )]
    })?;
    let field = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let types_entry = field("types")
        .or_else(|| field("typings"))
        .or_else(|| json.pointer("/exports/types").and_then(|v| v.as_str()).map(str::to_string))
        .unwrap_or_else(|| "index.d.ts".to_string());
    let types_entry = normalize(&types_entry);
    if !root.join(&types_entry).is_file() {
        return Err(err("package.json", format!("the declared types entry `{types_entry}` does not exist")));
    }
    let types_root = parent(&types_entry);
    let js_root = field("main").map(|m| parent(&normalize(&m)));

    let mut dts = Vec::new();
    collect(root, &types_root, &|p| p.ends_with(".d.ts"), &mut dts)?;
    let mut js = Vec::new();
    // A package may declare a `main` it does not ship (types-only builds): no JS, no routes.
    if let Some(js_root) = js_root.as_ref().filter(|r| root.join(r).is_dir()) {
        collect(root, js_root, &|p| p.ends_with(".js"), &mut js)?;
    }
    Ok(Package {
        root: root.to_path_buf(),
        name: field("name").unwrap_or_default(),
        version: field("version").unwrap_or_default(),
        types_root,
        types_entry,
        js_root,
        dts,
        js,
    })
}

fn normalize(p: &str) -> String {
    p.trim_start_matches("./").to_string()
}

fn parent(p: &str) -> String {
    p.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default()
}

/// Reads matching files below `dir` (relative to `root`), sorted by path.
fn collect(root: &Path, dir: &str, keep: &dyn Fn(&str) -> bool, out: &mut Vec<SourceFile>) -> Result<(), Vec<Diagnostic>> {
    let mut stack = vec![dir.to_string()];
    let mut found = Vec::new();
    while let Some(rel) = stack.pop() {
        let abs = root.join(&rel);
        let entries = std::fs::read_dir(&abs).map_err(|e| err(&rel, format!("cannot read folder: {e}")))?;
        for entry in entries {
            let entry = entry.map_err(|e| err(&rel, format!("cannot read folder: {e}")))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let child = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
            let ty = entry.file_type().map_err(|e| err(&child, e.to_string()))?;
            if ty.is_dir() {
                if name != "node_modules" {
                    stack.push(child);
                }
            } else if keep(&child) {
                found.push(child);
            }
        }
    }
    found.sort();
    for path in found {
        let text = std::fs::read_to_string(root.join(&path)).map_err(|e| err(&path, format!("cannot read: {e}")))?;
        out.push(SourceFile { path, text });
    }
    Ok(())
}
