//! Name lookup through the module graph. A name is found in the module's own declarations, then
//! through that module's imports, following the target module's exports and re-exports; there is
//! no global table, so a name declared in several files always means the one the file imported.

use std::collections::{BTreeMap, HashMap};

use crate::diag::{Diagnostic, Loc};
use crate::ir::decl::{DeclKind, DeclModule, Export, Imported};

/// A declaration: module index and declaration index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sym {
    pub module: usize,
    pub decl: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Decl(Sym),
    /// Imported from a package outside this one (`undici`, `jose`).
    External { package: String, name: String },
    /// A namespace import or `export * as`: a module, usable only as a qualifier.
    Namespace(usize),
}

/// `""` when `name` is `exported`, `".Rest"` when it is a member of it, else `None`.
fn member_rest<'n>(name: &'n str, exported: &str) -> Option<&'n str> {
    let rest = name.strip_prefix(exported)?;
    (rest.is_empty() || rest.starts_with('.')).then_some(rest)
}

/// Which declarations a lookup wants when a file declares one name twice (an interface and a
/// class `ConnectedApp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Type,
    Class,
}

pub struct Modules<'a> {
    pub mods: &'a [DeclModule],
    by_path: BTreeMap<&'a str, usize>,
    /// Per module: each declared name to its declarations, in source order, so a lookup is not
    /// a scan of the file (which made resolution quadratic in the size of a file).
    decls_by_name: Vec<HashMap<&'a str, Vec<usize>>>,
    /// Per module: each imported local name to its first import.
    imports_by_name: Vec<HashMap<&'a str, usize>>,
}

impl<'a> Modules<'a> {
    pub fn new(mods: &'a [DeclModule]) -> Self {
        let by_path = mods.iter().enumerate().map(|(i, m)| (m.path.as_str(), i)).collect();
        let decls_by_name = mods
            .iter()
            .map(|m| {
                let mut names: HashMap<&str, Vec<usize>> = HashMap::new();
                for (i, d) in m.decls.iter().enumerate() {
                    names.entry(d.name.as_str()).or_default().push(i);
                }
                names
            })
            .collect();
        let imports_by_name = mods
            .iter()
            .map(|m| {
                let mut names = HashMap::new();
                for (i, imp) in m.imports.iter().enumerate() {
                    names.entry(imp.local.as_str()).or_insert(i);
                }
                names
            })
            .collect();
        Modules { mods, by_path, decls_by_name, imports_by_name }
    }

    pub fn index_of(&self, path: &str) -> Option<usize> {
        self.by_path.get(path).copied()
    }

    /// Resolves an import specifier written in module `from`: `Ok(module)` for a module of this
    /// package, `Err(package)` for an external one, `None` when a relative path leads nowhere.
    pub fn specifier(&self, from: usize, spec: &str) -> Option<Result<usize, String>> {
        if !spec.starts_with('.') {
            return Some(Err(spec.to_string()));
        }
        let mut parts: Vec<&str> = self.mods[from].path.split('/').collect();
        parts.pop();
        for seg in spec.split('/') {
            match seg {
                "." | "" => {}
                ".." => {
                    parts.pop()?;
                }
                s => parts.push(s),
            }
        }
        let joined = parts.join("/");
        // `./x.js`, `./x.mjs` (written in `.d.mts` files), `./x.d.ts`: all name module `x`.
        const SUFFIXES: [&str; 6] = [".d.ts", ".d.mts", ".d.cts", ".js", ".mjs", ".cjs"];
        let joined = SUFFIXES.iter().find_map(|s| joined.strip_suffix(s)).unwrap_or(&joined);
        let candidates = [joined.to_string(), format!("{joined}/index")];
        candidates.iter().find_map(|c| self.index_of(c)).map(Ok)
    }

    fn local(&self, module: usize, name: &str, want: Want) -> Option<Sym> {
        let decls = &self.mods[module].decls;
        let same_name = self.decls_by_name[module].get(name)?;
        let matches = |i: &&usize| match want {
            Want::Type => !matches!(decls[**i].kind, DeclKind::Class(_) | DeclKind::Other(_)),
            Want::Class => matches!(decls[**i].kind, DeclKind::Class(_)),
        };
        let decl = *same_name.iter().find(matches).or(same_name.first())?;
        Some(Sym { module, decl })
    }

    /// Looks `name` up as seen from inside `module` (its declarations, then its imports).
    /// A qualified name (`ns.Foo`, `ChatCompletion.Choice`) is a declaration of a namespace
    /// of this module, or a member of what its first segment imports.
    pub fn lookup(&self, module: usize, name: &str, want: Want) -> Option<Found> {
        if let Some(sym) = self.local(module, name, want) {
            return Some(Found::Decl(sym));
        }
        if name.contains('.')
            && let Some(found) = self.named_export(module, name, want, 0)
        {
            return Some(found); // `export { a as b }` inside a namespace of this module
        }
        self.via_import(module, name, want)
    }

    /// `name` through the import of its first segment.
    fn via_import(&self, module: usize, name: &str, want: Want) -> Option<Found> {
        let (head, rest) = match name.split_once('.') {
            Some((head, rest)) => (head, Some(rest)),
            None => (name, None),
        };
        let import = &self.mods[module].imports[*self.imports_by_name[module].get(head)?];
        let member = |n: &str| rest.map_or_else(|| n.to_string(), |r| format!("{n}.{r}"));
        match self.specifier(module, &import.from)? {
            Err(package) => Some(Found::External { package, name: name.to_string() }),
            Ok(target) => match (&import.imported, rest) {
                (Imported::Named(n), _) => self.lookup_export(target, &member(n), want, 0),
                (Imported::Default, _) => self.lookup_export(target, &member("default"), want, 0),
                (Imported::Namespace, None) => Some(Found::Namespace(target)),
                (Imported::Namespace, Some(rest)) => self.lookup_export(target, rest, want, 0),
            },
        }
    }

    /// What module `module` exports under `name` (qualified names go through the export of
    /// their first segments: `export { ChatCompletion } from "./x"` exports
    /// `ChatCompletion.Choice` too).
    pub fn lookup_export(&self, module: usize, name: &str, want: Want, depth: usize) -> Option<Found> {
        if depth > 32 {
            return None; // a re-export cycle: report as unresolved rather than loop
        }
        let m = &self.mods[module];
        if let Some(sym) = self.local(module, name, want).filter(|s| m.decls[s.decl].exported) {
            return Some(Found::Decl(sym));
        }
        if let Some(found) = self.named_export(module, name, want, depth) {
            return Some(found);
        }
        m.exports.iter().find_map(|e| match e {
            Export::All { from, .. } => match self.specifier(module, from)? {
                Ok(t) => self.lookup_export(t, name, want, depth + 1),
                Err(_) => None,
            },
            _ => None,
        })
    }

    /// `name` through the module's `export { a as b }` and `export * as ns` entries.
    fn named_export(&self, module: usize, name: &str, want: Want, depth: usize) -> Option<Found> {
        for e in &self.mods[module].exports {
            match e {
                Export::Named { local, exported, from, .. } => {
                    let Some(rest) = member_rest(name, exported) else { continue };
                    let target = format!("{local}{rest}");
                    return match from {
                        None if target == name => {
                            self.local(module, &target, want).map(Found::Decl).or_else(|| self.via_import(module, &target, want))
                        }
                        None => self.lookup(module, &target, want),
                        Some(spec) => match self.specifier(module, spec)? {
                            Ok(t) => self.lookup_export(t, &target, want, depth + 1),
                            Err(package) => Some(Found::External { package, name: target }),
                        },
                    };
                }
                Export::Namespace { name: ns, from, .. } => {
                    let Some(rest) = member_rest(name, ns) else { continue };
                    if let Some(Ok(t)) = self.specifier(module, from) {
                        return match rest.strip_prefix('.') {
                            None => Some(Found::Namespace(t)),
                            Some(rest) => self.lookup_export(t, rest, want, depth + 1),
                        };
                    }
                }
                Export::All { .. } => {}
            }
        }
        None
    }

    /// The names declarations are exported under when that is not their own: bundlers emit
    /// `type t = ...; export { t as Tag }`, in one file or re-exported from a chunk, and the
    /// public name is the one to show. The entry module's re-exports of other modules'
    /// declarations decide first (the package's public API), then each module's own
    /// `export { a as b }` of a name it does not export as itself; the first such name, in
    /// module order, wins.
    pub fn public_names(&self, entry: Option<usize>) -> BTreeMap<Sym, String> {
        let mut out = BTreeMap::new();
        let order = entry.into_iter().chain((0..self.mods.len()).filter(|i| Some(*i) != entry));
        for i in order {
            for e in &self.mods[i].exports {
                let Export::Named { local, exported, from, .. } = e else { continue };
                // A namespace's member list (`export { A as B }` inside it) names nothing new.
                if local == exported || exported.contains('.') {
                    continue;
                }
                let found = match from {
                    None => self.local(i, local, Want::Type).map(Found::Decl),
                    Some(spec) => match self.specifier(i, spec) {
                        Some(Ok(t)) => self.lookup_export(t, local, Want::Type, 0),
                        _ => None,
                    },
                };
                if let Some(Found::Decl(sym)) = found
                    && ((Some(i) == entry && sym.module != i) || !self.exported_as_itself(sym))
                {
                    out.entry(sym).or_insert_with(|| exported.clone());
                }
            }
        }
        out
    }

    /// Whether a declaration is public under its own name in its module.
    fn exported_as_itself(&self, sym: Sym) -> bool {
        let m = &self.mods[sym.module];
        let d = &m.decls[sym.decl];
        d.exported || m.exports.iter().any(|e| matches!(e, Export::Named { local, exported, from: None, .. } if *local == d.name && *exported == d.name))
    }

    /// Checks every import and re-export of the package: a relative specifier that leads to no
    /// module, or a name the target does not export, is an error.
    pub fn check_imports(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (i, m) in self.mods.iter().enumerate() {
            let mut check = |spec: &str, name: Option<&str>, loc: &Loc| match self.specifier(i, spec) {
                None => out.push(Diagnostic::error(loc.clone(), format!("unresolved import: no module `{spec}` in this package"))),
                Some(Ok(t)) => {
                    if let Some(name) = name
                        && self.lookup_export(t, name, Want::Type, 0).is_none()
                    {
                        out.push(Diagnostic::error(
                            loc.clone(),
                            format!("unresolved import: `{spec}` does not export `{name}`"),
                        ));
                    }
                }
                Some(Err(_)) => {}
            };
            for imp in &m.imports {
                let name = match &imp.imported {
                    Imported::Named(n) => Some(n.as_str()),
                    _ => None,
                };
                check(&imp.from, name, &imp.loc);
            }
            for e in &m.exports {
                match e {
                    Export::All { from, loc } | Export::Namespace { from, loc, .. } => check(from, None, loc),
                    Export::Named { local, from: Some(from), loc, .. } => check(from, Some(local), loc),
                    Export::Named { .. } => {}
                }
            }
        }
        out
    }
}
