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
        let joined = joined.strip_suffix(".js").unwrap_or(&joined);
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
    /// A dotted name (`ns.Foo`) goes through a namespace import.
    pub fn lookup(&self, module: usize, name: &str, want: Want) -> Option<Found> {
        if let Some((head, rest)) = name.split_once('.') {
            return match self.lookup(module, head, want)? {
                Found::Namespace(m) => self.lookup_export(m, rest, want, 0),
                Found::External { package, name } => Some(Found::External { package, name: format!("{name}.{rest}") }),
                Found::Decl(_) => None,
            };
        }
        if let Some(sym) = self.local(module, name, want) {
            return Some(Found::Decl(sym));
        }
        let import = &self.mods[module].imports[*self.imports_by_name[module].get(name)?];
        match self.specifier(module, &import.from)? {
            Err(package) => Some(Found::External { package, name: name.to_string() }),
            Ok(target) => match &import.imported {
                Imported::Named(n) => self.lookup_export(target, n, want, 0),
                Imported::Default => self.lookup_export(target, "default", want, 0),
                Imported::Namespace => Some(Found::Namespace(target)),
            },
        }
    }

    /// What module `module` exports under `name`.
    pub fn lookup_export(&self, module: usize, name: &str, want: Want, depth: usize) -> Option<Found> {
        if depth > 32 {
            return None; // a re-export cycle: report as unresolved rather than loop
        }
        let m = &self.mods[module];
        if let Some(sym) = self.local(module, name, want).filter(|s| m.decls[s.decl].exported) {
            return Some(Found::Decl(sym));
        }
        for e in &m.exports {
            match e {
                Export::Named { local, exported, from, .. } if exported == name => {
                    return match from {
                        None => self.lookup(module, local, want),
                        Some(spec) => match self.specifier(module, spec)? {
                            Ok(t) => self.lookup_export(t, local, want, depth + 1),
                            Err(package) => Some(Found::External { package, name: local.clone() }),
                        },
                    };
                }
                Export::Namespace { name: ns, from, .. } if ns == name => {
                    if let Some(Ok(t)) = self.specifier(module, from) {
                        return Some(Found::Namespace(t));
                    }
                }
                _ => {}
            }
        }
        m.exports.iter().find_map(|e| match e {
            Export::All { from, .. } => match self.specifier(module, from)? {
                Ok(t) => self.lookup_export(t, name, want, depth + 1),
                Err(_) => None,
            },
            _ => None,
        })
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
