//! The one mapping from declaration modules (`b2b/passwords-session`) to Rust module paths
//! (`["b2b", "passwords_session"]`). It is injective by construction: names are handed out per
//! folder, so two files can never share a Rust module (or an output file). A name that Rust or
//! the crate layout reserves (`lib` would overwrite `src/lib.rs`, `mod` a folder's `mod.rs`,
//! `std`, `self`, keywords, the hand-written modules at the root) or that repeats its parent's
//! name (`clippy::module_inception`) gets a trailing `_`; names that collide after case
//! conversion (`a-b` and `a_b`, `Foo` and `foo`) are numbered in sorted order, a name that is
//! already valid Rust keeping it. Every rename is a located warning.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, Loc};
use crate::ir::decl::DeclModule;
use crate::ir::space::Space;

use super::names::Namer;

/// Names no generated module takes, anywhere: they would overwrite a layout file (`lib.rs`,
/// `mod.rs`, `main.rs`) or shadow a crate every path may name (`std`, `core`, `alloc`).
const RESERVED: &[&str] = &["lib", "mod", "main", "std", "core", "alloc", "proc_macro", "test", "self", "super", "crate"];

/// A folder of the declaration tree: child segment to child folder.
#[derive(Default)]
struct Folder {
    children: BTreeMap<String, Folder>,
}

/// Sets `rust_path` of every module in `space.modules`. `root_reserved` are names the crate
/// root already uses (hand-written modules, the runtime re-export).
pub(crate) fn assign(space: &mut Space, modules: &[DeclModule], namer: &Namer, root_reserved: &[String]) -> Vec<Diagnostic> {
    let mut tree = Folder::default();
    for path in space.modules.keys() {
        let mut node = &mut tree;
        for seg in path.split('/') {
            node = node.children.entry(seg.to_string()).or_default();
        }
    }
    let files: BTreeMap<&str, &str> = modules.iter().map(|m| (m.path.as_str(), m.file.as_str())).collect();
    let mut naming = Naming { namer, files, out: BTreeMap::new(), diags: Vec::new() };
    let reserved: BTreeSet<String> = root_reserved.iter().cloned().collect();
    naming.folder(&tree, "", &[], reserved);
    for (path, info) in space.modules.iter_mut() {
        info.rust_path = naming.out.remove(path).unwrap_or_default();
    }
    naming.diags
}

struct Naming<'a> {
    namer: &'a Namer,
    /// Module path to its declaration file, for warnings.
    files: BTreeMap<&'a str, &'a str>,
    /// Module path (and folder path) to Rust path.
    out: BTreeMap<String, Vec<String>>,
    diags: Vec<Diagnostic>,
}

impl Naming<'_> {
    fn folder(&mut self, folder: &Folder, prefix: &str, rust_prefix: &[String], mut reserved: BTreeSet<String>) {
        if let Some(parent) = rust_prefix.last() {
            reserved.insert(parent.clone());
        }
        let segs: Vec<&str> = folder.children.keys().map(String::as_str).collect();
        let names = name_children(&segs, self.namer, &reserved);
        for ((seg, child), (name, why)) in folder.children.iter().zip(names) {
            let path = if prefix.is_empty() { seg.clone() } else { format!("{prefix}/{seg}") };
            if let Some(why) = why {
                let file = self.file_under(&path);
                let msg = format!("module `{}` is emitted as `{name}`: {why}", path.escape_debug());
                self.diags.push(Diagnostic::warning(Loc { file, line: 1, col: 1 }, msg));
            }
            let mut rust = rust_prefix.to_vec();
            rust.push(name);
            self.folder(child, &path, &rust, BTreeSet::new());
            self.out.insert(path, rust);
        }
    }

    /// The declaration file of a module, or of the first module inside a folder.
    fn file_under(&self, path: &str) -> String {
        let folder = format!("{path}/");
        let found = self.files.get(path).or_else(|| self.files.range(folder.as_str()..).next().filter(|(k, _)| k.starts_with(&folder)).map(|(_, f)| f));
        found.map_or_else(|| path.to_string(), |f| f.to_string())
    }
}

/// Rust names for the sorted, distinct `segs` of one folder, each with why it was renamed.
/// Distinct inputs always get distinct names, none of them in `reserved` or [`RESERVED`].
fn name_children(segs: &[&str], namer: &Namer, reserved: &BTreeSet<String>) -> Vec<(String, Option<String>)> {
    let is_reserved = |n: &str| RESERVED.contains(&n) || reserved.contains(n);
    let wanted: Vec<(String, Option<String>)> = segs
        .iter()
        .map(|seg| {
            let snake = namer.snake(seg);
            let plain = snake.trim_start_matches("r#").to_string();
            if snake.starts_with("r#") || is_reserved(&plain) {
                let why = if reserved.contains(&plain) && !RESERVED.contains(&plain.as_str()) {
                    format!("`{plain}` is taken by its parent or the crate root (a module named like its parent trips clippy::module_inception)")
                } else {
                    format!("`{plain}` is reserved in Rust or by the crate layout")
                };
                (format!("{plain}_"), Some(why))
            } else {
                (plain, None)
            }
        })
        .collect();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut out: Vec<Option<(String, Option<String>)>> = vec![None; segs.len()];
    // Names already valid as written keep them, whatever sorts first.
    for (i, (name, why)) in wanted.iter().enumerate() {
        if why.is_none() && segs[i] == name && taken.insert(name.clone()) {
            out[i] = Some((name.clone(), None));
        }
    }
    for (i, (name, why)) in wanted.into_iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        if !is_reserved(&name) && taken.insert(name.clone()) {
            out[i] = Some((name, why));
            continue;
        }
        // `foo_` numbers as `foo_2`: a double underscore is not snake case.
        let stem = name.trim_end_matches('_');
        let numbered = (2..).map(|n| format!("{stem}_{n}")).find(|c| !is_reserved(c) && !taken.contains(c)).expect("an unused number exists");
        taken.insert(numbered.clone());
        let why = format!("`{name}` is already the name of another module in this folder (numbered in sorted order)");
        out[i] = Some((numbered, Some(why)));
    }
    out.into_iter().map(|o| o.expect("every child is named")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(segs: &[&str], reserved: &[&str]) -> Vec<String> {
        let namer = Namer::new(&[]);
        let reserved = reserved.iter().map(|s| s.to_string()).collect();
        name_children(segs, &namer, &reserved).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn collisions_are_numbered_and_valid_names_keep_theirs() {
        assert_eq!(names(&["a-b", "a_b"], &[]), ["a_b_2", "a_b"]);
        assert_eq!(names(&["Foo", "foo"], &[]), ["foo_2", "foo"]);
        assert_eq!(names(&["A-B", "a-b", "a_b_2"], &[]), ["a_b", "a_b_3", "a_b_2"]);
    }

    #[test]
    fn reserved_names_and_the_parent_name_are_renamed() {
        assert_eq!(names(&["lib", "mod", "main", "std", "type", "self"], &[]), ["lib_", "mod_", "main_", "std_", "type_", "self_"]);
        assert_eq!(names(&["foo", "foo_"], &["foo"]), ["foo_", "foo_2"]);
        assert_eq!(names(&["ext"], &["ext"]), ["ext_"]);
    }

    #[test]
    fn names_are_distinct_for_any_input() {
        let segs = ["A", "a", "a_", "a-", "a__", "lib", "lib_", "Lib", "mod", "mod_2", "x-1", "x_1", "X1"];
        let mut sorted = segs.to_vec();
        sorted.sort();
        let got = names(&sorted, &["a"]);
        let set: BTreeSet<&String> = got.iter().collect();
        assert_eq!(set.len(), got.len(), "{got:?}");
        assert!(got.iter().all(|n| !RESERVED.contains(&n.as_str()) && n != "a" && !n.contains("__")), "{got:?}");
    }
}
