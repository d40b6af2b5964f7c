//! The last resolve pass over the whole space: field names, recursion boxing, defaults and the
//! module table.

use std::collections::{BTreeMap, BTreeSet};

use super::graph::components;
use super::names::{Namer, Scope};
use crate::diag::Diagnostic;
use crate::ir::decl::DeclModule;
use crate::ir::space::*;

/// `dedup_into`: the module that types of one shape are merged into (see `dedup`), if any.
pub fn finish(space: &mut Space, modules: &[DeclModule], namer: &Namer, dedup_into: Option<&str>) -> Vec<Diagnostic> {
    name_fields(space, namer);
    borrow_field_docs(space);
    let mut diags = break_alias_cycles(space);
    box_cycles(space);
    compute_defaults(space);
    mark_strict(space);
    let (shared, merged) = dedup_into.filter(|m| !m.is_empty()).map_or((None, Vec::new()), |m| super::dedup::dedup(space, modules, m, namer));
    diags.extend(merged);
    module_table(space, modules, shared.as_deref());
    space.shared = shared;
    diags
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

/// The by-value reference graph: node `i` is type `i`.
fn by_value_graph(space: &Space) -> Vec<Vec<usize>> {
    (0..space.types.len()).map(|i| edges(space, TypeId(i)).into_iter().map(|t| t.0).collect()).collect()
}

/// A value that contains itself by value has infinite size: references that lead back to
/// their own type are boxed, as few as the order of declaration allows. Within a strongly
/// connected set of types (each reaches every other by value), the first type in declaration
/// order gets its references into the set boxed, which takes it off every cycle; what remains
/// is split into strongly connected sets again, and so on. Sets are found with Tarjan's
/// algorithm, so this is linear in the size of the graph when the sets are small, as they are in
/// real packages (a few mutually recursive types); a set of `k` types costs at most `k` passes.
fn box_cycles(space: &mut Space) {
    let graph = by_value_graph(space);
    let mut to_box: Vec<BTreeSet<TypeId>> = vec![BTreeSet::new(); graph.len()];
    let all: Vec<usize> = (0..graph.len()).collect();
    let mut work = cyclic_sets(&graph, &all);
    while let Some(set) = work.pop() {
        let first = set[0];
        let rest = &set[1..];
        to_box[first].extend(graph[first].iter().filter(|t| set.binary_search(t).is_ok()).map(|&t| TypeId(t)));
        work.extend(cyclic_sets(&graph, rest));
    }
    for (i, targets) in to_box.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
        let wrap = |ty: &mut Ty| box_in(ty, targets);
        match &mut space.types[i].kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| wrap(&mut f.ty)),
            TypeKind::Untagged { variants } => variants.iter_mut().for_each(|v| wrap(&mut v.ty)),
            TypeKind::Alias(ty) => wrap(ty),
            _ => {}
        }
    }
}

/// The strongly connected sets of the subgraph on `nodes` (sorted) that hold a cycle, each as
/// its sorted nodes.
fn cyclic_sets(graph: &[Vec<usize>], nodes: &[usize]) -> Vec<Vec<usize>> {
    let local: std::collections::HashMap<usize, usize> = nodes.iter().enumerate().map(|(i, &n)| (n, i)).collect();
    let sub: Vec<Vec<usize>> = nodes.iter().map(|n| graph[*n].iter().filter_map(|t| local.get(t).copied()).collect()).collect();
    let component = components(&sub);
    let mut sets: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &c) in component.iter().enumerate() {
        sets.entry(c).or_default().push(nodes[i]);
    }
    sets.into_values()
        .filter(|set| set.len() > 1 || sub[local[&set[0]]].contains(&local[&set[0]]))
        .collect()
}

/// Every type named anywhere inside `ty` (behind `Vec`, maps, `Box` too).
fn named_in(ty: &Ty, out: &mut Vec<usize>) {
    match ty {
        Ty::Named(id) => out.push(id.0),
        Ty::Boxed(t) | Ty::Vec(t) | Ty::Map(t) => named_in(t, out),
        Ty::Tuple(items) => items.iter().for_each(|t| named_in(t, out)),
        _ => {}
    }
}

/// Type aliases that expand to themselves (`type A = B; type B = A;`, `type A = A[]`) are
/// infinite types in Rust (E0391), whatever wraps them; only a struct or enum can break such a
/// cycle. Every alias on such a cycle becomes `serde_json::Value`, with a warning.
fn break_alias_cycles(space: &mut Space) -> Vec<Diagnostic> {
    let is_alias = |space: &Space, i: usize| matches!(space.types[i].kind, TypeKind::Alias(_));
    let graph: Vec<Vec<usize>> = (0..space.types.len())
        .map(|i| {
            let mut out = Vec::new();
            if let TypeKind::Alias(ty) = &space.types[i].kind {
                named_in(ty, &mut out);
                out.retain(|&t| is_alias(space, t));
            }
            out
        })
        .collect();
    let component = components(&graph);
    let mut size = vec![0usize; space.types.len()];
    component.iter().for_each(|&c| size[c] += 1);
    let mut diags = Vec::new();
    for (i, targets) in graph.iter().enumerate() {
        let on_cycle = size[component[i]] > 1 || targets.contains(&i);
        if !on_cycle {
            continue;
        }
        let t = &mut space.types[i];
        t.kind = TypeKind::Alias(Ty::Json);
        let msg = format!("type alias `{}` expands to itself (an alias cycle, which Rust cannot express): emitted as `serde_json::Value`", t.wire_name);
        diags.push(Diagnostic::warning(t.loc.clone(), msg));
    }
    diags
}

fn box_in(ty: &mut Ty, targets: &BTreeSet<TypeId>) {
    match ty {
        Ty::Named(id) if targets.contains(id) => *ty = Ty::Boxed(Box::new(ty.clone())),
        Ty::Tuple(items) => items.iter_mut().for_each(|t| box_in(t, targets)),
        _ => {}
    }
}

/// Structs whose every required part has a default derive `Default`; string enums default to
/// their catch-all holding an empty string, so a missing value is detectable. The least fixed
/// point, found with a work list: a type is settled once every type it needs is, so a chain of
/// any length costs one visit per reference.
fn compute_defaults(space: &mut Space) {
    let n = space.types.len();
    // What each type needs to have a default (`None`: it never has one).
    let needs: Vec<Option<Vec<usize>>> = space.types.iter().map(|t| default_needs(&t.kind)).collect();
    let mut needed_by: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting: Vec<usize> = vec![0; n];
    let mut ready = Vec::new();
    for (i, need) in needs.iter().enumerate() {
        let Some(need) = need else { continue };
        for &dep in need {
            needed_by[dep].push(i);
        }
        waiting[i] = need.len();
        if need.is_empty() {
            ready.push(i);
        }
    }
    while let Some(i) = ready.pop() {
        space.types[i].default = true;
        for &user in &needed_by[i] {
            waiting[user] -= 1;
            if waiting[user] == 0 {
                ready.push(user);
            }
        }
    }
}

/// The types whose defaults a type's default is made of: the types held by value by its
/// required fields (or by its aliased type).
fn default_needs(kind: &TypeKind) -> Option<Vec<usize>> {
    fn by_value(ty: &Ty, out: &mut Vec<usize>) {
        match ty {
            Ty::Named(id) => out.push(id.0),
            Ty::Boxed(inner) => by_value(inner, out),
            Ty::Tuple(items) => items.iter().for_each(|t| by_value(t, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match kind {
        TypeKind::StringEnum { .. } => {}
        TypeKind::Struct(s) => s.fields.iter().filter(|f| !f.optional).for_each(|f| by_value(&f.ty, &mut out)),
        TypeKind::Alias(ty) => by_value(ty, &mut out),
        TypeKind::Tagged { .. } | TypeKind::Untagged { .. } => return None,
    }
    Some(out)
}

fn module_table(space: &mut Space, modules: &[DeclModule], shared: Option<&str>) {
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
        for op in &c.calls {
            for ty in op.params.iter().map(|p| &p.ty).chain(std::iter::once(&op.response)) {
                module_of(space, ty, entry);
            }
        }
    }
    let known: BTreeSet<&str> = modules.iter().map(|m| m.path.as_str()).collect();
    for (path, mut depends_on) in deps {
        debug_assert!(known.contains(path.as_str()) || shared == Some(path.as_str()));
        depends_on.remove(&path);
        // Rust paths are handed out afterwards, for all modules at once (`super::modules`).
        space.modules.insert(path, ModuleInfo { rust_path: Vec::new(), depends_on: depends_on.into_iter().collect() });
    }
}
