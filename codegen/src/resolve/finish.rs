//! The last resolve pass over the whole space: field names, recursion boxing, defaults and the
//! module table.

use std::collections::{BTreeMap, BTreeSet};

use super::names::{Namer, Scope};
use crate::ir::decl::DeclModule;
use crate::ir::space::*;

pub fn finish(space: &mut Space, modules: &[DeclModule], namer: &Namer) {
    name_fields(space, namer);
    borrow_field_docs(space);
    box_cycles(space);
    compute_defaults(space);
    mark_strict(space);
    module_table(space, modules);
}

/// Structs that are variants of an untagged union decode strictly, or the first variant would
/// accept anything by defaulting its missing fields.
fn mark_strict(space: &mut Space) {
    let mut strict = Vec::new();
    for t in &space.types {
        if let TypeKind::Untagged { variants } = &t.kind {
            for v in variants {
                let mut ty = &v.ty;
                while let Ty::Boxed(inner) = ty {
                    ty = inner;
                }
                if let Ty::Named(id) = ty {
                    strict.push(*id);
                }
            }
        }
    }
    for id in strict {
        space.types[id.0].strict = true;
    }
}

fn name_fields(space: &mut Space, namer: &Namer) {
    for t in &mut space.types {
        if let TypeKind::Struct(s) = &mut t.kind {
            // A field whose wire name already is its Rust name keeps it; the others yield
            // (`user_id` stays, `userId` becomes `user_id_2`).
            let mut scope = Scope::default();
            let names: Vec<String> = s.fields.iter().map(|f| namer.snake(&f.wire_name)).collect();
            for (f, name) in s.fields.iter_mut().zip(&names) {
                if *name == f.wire_name {
                    f.rust_name = scope.unique(name.clone());
                }
            }
            for (f, name) in s.fields.iter_mut().zip(names) {
                if f.rust_name.is_empty() {
                    f.rust_name = scope.unique(name);
                }
            }
        }
    }
}

/// A field declared without a doc comment takes the doc of a field of the same name: of its
/// own module when that is unambiguous, else of the package when every documented field of
/// that name says the same thing (`session_token` is explained once and used everywhere).
fn borrow_field_docs(space: &mut Space) {
    let mut by_module: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    let mut by_name: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for t in &space.types {
        if let TypeKind::Struct(s) = &t.kind {
            for f in &s.fields {
                if let Some(doc) = &f.doc {
                    by_module.entry((t.module.as_str(), f.wire_name.as_str())).or_default().insert(doc);
                    by_name.entry(f.wire_name.as_str()).or_default().insert(doc);
                }
            }
        }
    }
    let unique = |docs: Option<&BTreeSet<&str>>| docs.filter(|d| d.len() == 1).and_then(|d| d.first()).map(|d| d.to_string());
    let mut fills = Vec::new();
    for (ti, t) in space.types.iter().enumerate() {
        if let TypeKind::Struct(s) = &t.kind {
            for (fi, f) in s.fields.iter().enumerate() {
                if f.doc.is_none() {
                    let doc = unique(by_module.get(&(t.module.as_str(), f.wire_name.as_str()))).or_else(|| unique(by_name.get(f.wire_name.as_str())));
                    if let Some(doc) = doc {
                        fills.push((ti, fi, doc));
                    }
                }
            }
        }
    }
    for (ti, fi, doc) in fills {
        if let TypeKind::Struct(s) = &mut space.types[ti].kind {
            s.fields[fi].doc = Some(doc);
        }
    }
}

/// Type ids a type holds by value (not behind a `Vec` or map), per field/variant slot.
fn direct_refs(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Tuple(items) => items.iter().for_each(|t| direct_refs(t, out)),
        _ => {}
    }
}

fn slots(kind: &TypeKind) -> Vec<&Ty> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Untagged { variants } => variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::StringEnum { .. } | TypeKind::Tagged { .. } => vec![],
    }
}

fn edges(space: &Space, id: TypeId) -> Vec<TypeId> {
    let mut out = Vec::new();
    for ty in slots(&space.ty(id).kind) {
        direct_refs(ty, &mut out);
    }
    if let TypeKind::Tagged { variants, .. } = &space.ty(id).kind {
        out.extend(variants.iter().map(|v| v.ty));
    }
    out
}

fn reaches(space: &Space, from: TypeId, target: TypeId) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(n) = stack.pop() {
        if n == target {
            return true;
        }
        if seen.insert(n) {
            stack.extend(edges(space, n));
        }
    }
    false
}

/// A value that contains itself by value has infinite size: every by-value reference that
/// leads back to its own type is boxed.
fn box_cycles(space: &mut Space) {
    for i in 0..space.types.len() {
        let id = TypeId(i);
        let mut to_box = BTreeSet::new();
        for target in edges(space, id) {
            if reaches(space, target, id) {
                to_box.insert(target);
            }
        }
        if to_box.is_empty() {
            continue;
        }
        let wrap = |ty: &mut Ty| box_in(ty, &to_box);
        match &mut space.types[i].kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| wrap(&mut f.ty)),
            TypeKind::Untagged { variants } => variants.iter_mut().for_each(|v| wrap(&mut v.ty)),
            TypeKind::Alias(ty) => wrap(ty),
            _ => {}
        }
    }
}

fn box_in(ty: &mut Ty, targets: &BTreeSet<TypeId>) {
    match ty {
        Ty::Named(id) if targets.contains(id) => *ty = Ty::Boxed(Box::new(ty.clone())),
        Ty::Tuple(items) => items.iter_mut().for_each(|t| box_in(t, targets)),
        _ => {}
    }
}

/// Structs whose every required part has a default derive `Default`; string enums default to
/// their catch-all holding an empty string, so a missing value is detectable.
fn compute_defaults(space: &mut Space) {
    loop {
        let mut changed = false;
        for i in 0..space.types.len() {
            if space.types[i].default {
                continue;
            }
            let d = match &space.types[i].kind {
                TypeKind::StringEnum { .. } => true,
                TypeKind::Struct(s) => s.fields.iter().all(|f| f.optional || ty_default(space, &f.ty)),
                TypeKind::Alias(ty) => ty_default(space, ty),
                TypeKind::Tagged { .. } | TypeKind::Untagged { .. } => false,
            };
            if d {
                space.types[i].default = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

pub fn ty_default(space: &Space, ty: &Ty) -> bool {
    match ty {
        Ty::Named(id) => space.ty(*id).default,
        Ty::Boxed(inner) => ty_default(space, inner),
        Ty::Tuple(items) => items.iter().all(|t| ty_default(space, t)),
        _ => true,
    }
}

fn module_table(space: &mut Space, modules: &[DeclModule]) {
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let module_of = |space: &Space, ty: &Ty, out: &mut BTreeSet<String>| {
        fn walk(space: &Space, ty: &Ty, out: &mut BTreeSet<String>) {
            match ty {
                Ty::Named(id) => {
                    out.insert(space.ty(*id).module.clone());
                }
                Ty::Boxed(t) | Ty::Vec(t) | Ty::Map(t) => walk(space, t, out),
                Ty::Tuple(items) => items.iter().for_each(|t| walk(space, t, out)),
                _ => {}
            }
        }
        walk(space, ty, out)
    };
    for t in &space.types {
        let entry = deps.entry(t.module.clone()).or_default();
        let mut tys: Vec<Ty> = slots(&t.kind).into_iter().cloned().collect();
        if let TypeKind::Tagged { variants, .. } = &t.kind {
            tys.extend(variants.iter().map(|v| Ty::Named(v.ty)));
        }
        if let TypeKind::Struct(Struct { additional: Some(a), .. }) = &t.kind {
            tys.push(a.clone());
        }
        for ty in &tys {
            module_of(space, ty, entry);
        }
    }
    for c in &space.clients {
        // Sub-clients are not dependencies: a product feature gates them field by field.
        let entry = deps.entry(c.module.clone()).or_default();
        for op in &c.operations {
            let tys = op.request.iter().chain(&op.options).map(|(_, t)| t).chain(std::iter::once(&op.response));
            for ty in tys {
                module_of(space, ty, entry);
            }
        }
    }
    let known: BTreeSet<&str> = modules.iter().map(|m| m.path.as_str()).collect();
    for (path, mut depends_on) in deps {
        debug_assert!(known.contains(path.as_str()));
        depends_on.remove(&path);
        // Rust paths are handed out afterwards, for all modules at once (`super::modules`).
        space.modules.insert(path, ModuleInfo { rust_path: Vec::new(), depends_on: depends_on.into_iter().collect() });
    }
}
