//! Namespaces in declaration files (`declare namespace A { ... }`, nested, dotted `A.B`,
//! merged with a same-named interface, class or function). Their declarations are flattened
//! into the file under qualified names (`ChatCompletion.Choice`), which the resolver looks up
//! like any name and the namer turns into one readable type name (`ChatCompletionChoice`).
//! This module finds every qualified name a file declares, so a reference written inside a
//! namespace (`Choice.Logprobs`) can be qualified the way TypeScript scopes it.

use std::collections::BTreeSet;

use swc_ecma_ast::{Decl, ModuleDecl, ModuleItem, Stmt, TsModuleDecl, TsModuleName, TsNamespaceBody};

/// Every name declared inside a namespace of these items, qualified (`A`, `A.B`, `A.B.X`).
pub(crate) fn declared_names(items: &[ModuleItem]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for item in items {
        if let Some(m) = namespace_of(item) {
            walk_namespace(m, "", &mut out);
        }
    }
    out
}

/// The namespace an item declares, if any (`namespace A {}` or `export namespace A {}`).
pub(crate) fn namespace_of(item: &ModuleItem) -> Option<&TsModuleDecl> {
    match item {
        ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => match &e.decl {
            Decl::TsModule(m) => Some(m),
            _ => None,
        },
        ModuleItem::Stmt(Stmt::Decl(Decl::TsModule(m))) => Some(m),
        _ => None,
    }
}

/// A namespace's name (`None` for `declare module "x"` and `declare global`).
pub(crate) fn namespace_name(m: &TsModuleDecl) -> Option<String> {
    match &m.id {
        TsModuleName::Ident(i) if !m.global => Some(i.sym.to_string()),
        _ => None,
    }
}

/// The items of a namespace body with the extra name segments of a dotted
/// `namespace A.B.C { }` (`["B", "C"]`).
pub(crate) fn body_of(body: &TsNamespaceBody) -> (Vec<String>, &[ModuleItem]) {
    let mut segments = Vec::new();
    let mut body = body;
    loop {
        match body {
            TsNamespaceBody::TsModuleBlock(b) => return (segments, &b.body),
            TsNamespaceBody::TsNamespaceDecl(d) => {
                segments.push(d.id.sym.to_string());
                body = &d.body;
            }
        }
    }
}

fn walk_namespace(m: &TsModuleDecl, prefix: &str, out: &mut BTreeSet<String>) {
    let Some(name) = namespace_name(m) else { return };
    let Some(body) = &m.body else { return };
    let (more, items) = body_of(body);
    let mut path = join(prefix, &name);
    out.insert(path.clone());
    for seg in more {
        path = join(&path, &seg);
        out.insert(path.clone());
    }
    for item in items {
        if let Some(inner) = namespace_of(item) {
            walk_namespace(inner, &path, out);
        } else if let Some(name) = declared_name(item) {
            out.insert(join(&path, &name));
        }
    }
}

/// The name an item declares (interface, alias, class, enum, function, variable).
fn declared_name(item: &ModuleItem) -> Option<String> {
    let decl = match item {
        ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => &e.decl,
        ModuleItem::Stmt(Stmt::Decl(d)) => d,
        _ => return None,
    };
    Some(match decl {
        Decl::TsInterface(i) => i.id.sym.to_string(),
        Decl::TsTypeAlias(a) => a.id.sym.to_string(),
        Decl::Class(c) => c.ident.sym.to_string(),
        Decl::TsEnum(e) => e.id.sym.to_string(),
        Decl::Fn(f) => f.ident.sym.to_string(),
        _ => return None,
    })
}

pub(crate) fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") }
}

/// The declared name a reference written inside namespace `path` means: the innermost
/// enclosing namespace that declares its first segment, else the name as written.
pub(crate) fn qualify(declared: &BTreeSet<String>, path: &[String], name: &str) -> String {
    let head = name.split('.').next().unwrap_or(name);
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("."))
        .find(|prefix| declared.contains(&format!("{prefix}.{head}")))
        .map_or_else(|| name.to_string(), |prefix| format!("{prefix}.{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_to_the_innermost_namespace_that_declares_them() {
        let declared: BTreeSet<String> =
            ["A", "A.Choice", "A.Choice.Logprobs", "A.B", "A.B.X"].iter().map(|s| s.to_string()).collect();
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(qualify(&declared, &path(&["A", "Choice"]), "Logprobs"), "A.Choice.Logprobs");
        assert_eq!(qualify(&declared, &path(&["A"]), "Choice.Logprobs"), "A.Choice.Logprobs");
        assert_eq!(qualify(&declared, &path(&["A", "B"]), "Choice"), "A.Choice");
        assert_eq!(qualify(&declared, &path(&["A", "B"]), "Outside"), "Outside");
        assert_eq!(qualify(&declared, &[], "Choice"), "Choice");
    }
}
