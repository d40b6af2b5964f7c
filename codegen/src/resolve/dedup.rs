//! One type per shape: enums and structs that are structurally identical (same wire values or
//! fields, same Rust names, same field types, same docs but for the owner's name) are emitted
//! once, in a shared module, under a name they share (`Locale`); each keeps its own name as a
//! documented `pub type` alias, so code and docs that name it still find it.
//!
//! Shapes are compared as a whole graph, the way a minimal automaton is found: types start in
//! one class per local shape (references left out), and classes are split by the classes of
//! the types they reference until nothing splits. Two recursive types that mirror each other
//! end in one class; two types that differ anywhere, however deep, never do. Class numbers,
//! groups and names depend only on the declaration order and sorted names, never on hash order.
//!
//! References inside data types move to the shared type (`locale: Option<common::Locale>`);
//! operations keep naming their request, options and response types as upstream does (the
//! aliases), so call signatures read like the SDK's documentation.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use super::names::{Namer, Scope};
use crate::diag::{Diagnostic, Loc};
use crate::ir::decl::DeclModule;
use crate::ir::space::*;

/// What the generated doc of an inline type starts with (see `types::Lowerer::inline`).
const INLINE_DOC: &str = "The type of `";

/// Merges the types of one shape into `module` (numbered if a declaration module holds that
/// path); returns the module path used, or `None` when nothing was merged, and the warnings.
pub(crate) fn dedup(space: &mut Space, modules: &[DeclModule], module: &str, namer: &Namer) -> (Option<String>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let groups = groups(space);
    if groups.is_empty() {
        return (None, diags);
    }
    let module = free_module(modules, module, &mut diags);
    let names = group_names(space, &groups, &module, namer, &mut diags);
    let mut target: BTreeMap<TypeId, TypeId> = BTreeMap::new();
    for (members, name) in groups.iter().zip(&names) {
        let id = TypeId(space.types.len());
        let rep = space.ty(members[0]).clone();
        // A shared type has no TypeScript name: its wire name is its module-qualified Rust name
        // (`common::Locale`), which the aliases' docs link to and no upstream `{@link}` can
        // match, so links by name keep finding the declared types.
        let wire_name = format!("{module}::{name}");
        space.types.push(TypeDef { module: module.clone(), wire_name, rust_name: name.clone(), doc: Some(shared_doc(space, members, name)), ..rep });
        target.extend(members.iter().map(|m| (*m, id)));
    }
    for t in &mut space.types {
        redirect_kind(&mut t.kind, &target);
    }
    for (members, name) in groups.iter().zip(&names) {
        let id = target[&members[0]];
        for m in members {
            let t = &mut space.types[m.0];
            t.doc = Some(alias_doc(t.doc.as_deref(), &format!("{module}::{name}")));
            t.kind = TypeKind::Alias(Ty::Named(id));
        }
    }
    (Some(module), diags)
}

/// The shared module's path: `wanted`, or `wanted_2`, ... when a declaration file or folder
/// already has that path (with a warning).
fn free_module(modules: &[DeclModule], wanted: &str, diags: &mut Vec<Diagnostic>) -> String {
    let taken = |p: &str| modules.iter().any(|m| m.path == p || m.path.starts_with(&format!("{p}/")));
    if !taken(wanted) {
        return wanted.to_string();
    }
    let free = (2..).map(|n| format!("{wanted}_{n}")).find(|p| !taken(p)).expect("an unused number exists");
    let loc = Loc { file: wanted.to_string(), line: 1, col: 1 };
    diags.push(Diagnostic::warning(loc, format!("the shared module for deduplicated types is `{free}`: `{wanted}` is a declaration module of the package")));
    free
}

/// Groups of two or more types of one shape, each sorted by declaration order, the groups in
/// the order of their first member.
fn groups(space: &Space) -> Vec<Vec<TypeId>> {
    let class = classes(space);
    let mut by_class: BTreeMap<usize, Vec<TypeId>> = BTreeMap::new();
    for (i, t) in space.types.iter().enumerate() {
        if mergeable(t) {
            by_class.entry(class[i]).or_default().push(TypeId(i));
        }
    }
    let mut out: Vec<Vec<TypeId>> = by_class.into_values().filter(|g| g.len() > 1).collect();
    out.sort();
    out
}

/// Enums and structs merge; aliases are names, not shapes. A deprecated type stays itself, so
/// its `#[deprecated]` warns exactly the callers that name it.
fn mergeable(t: &TypeDef) -> bool {
    // The tag's name is in the text as written: most comments have none, and need no parse.
    let deprecated = t.doc.as_deref().is_some_and(|d| d.contains("@deprecated") && crate::parse::jsdoc::parse(d).tag("deprecated").is_some());
    !matches!(t.kind, TypeKind::Alias(_)) && !deprecated
}

/// The coarsest partition in which types of one class have the same local shape and reference
/// types of the same classes, position by position (Moore's refinement). The local shapes are
/// written once; a round only compares class numbers, so it costs a pass over the references,
/// not a rewrite of every name and doc. Classes are numbered by first occurrence in declaration
/// order, whatever the map's order.
fn classes(space: &Space) -> Vec<usize> {
    let locals = local_shapes(space);
    let mut class = vec![0; space.types.len()];
    let mut count = 1;
    loop {
        let mut ids: HashMap<(usize, usize, Vec<usize>), usize> = HashMap::with_capacity(count);
        let next: Vec<usize> = locals
            .iter()
            .enumerate()
            .map(|(i, (shape, refs))| {
                let key = (class[i], *shape, refs.iter().map(|r| class[*r]).collect());
                let fresh = ids.len();
                *ids.entry(key).or_insert(fresh)
            })
            .collect();
        if ids.len() == count {
            return next;
        }
        count = ids.len();
        class = next;
    }
}

/// Each type's local shape, as a number shared by the types whose [`signature`]s are equal,
/// and the types it references, in the order of the signature's `@` marks.
fn local_shapes(space: &Space) -> Vec<(usize, Vec<usize>)> {
    let mut numbers: HashMap<String, usize> = HashMap::new();
    (0..space.types.len())
        .map(|i| {
            let mut refs = Vec::new();
            let sig = signature(space, i, &mut refs);
            let fresh = numbers.len();
            (*numbers.entry(sig).or_insert(fresh), refs)
        })
        .collect()
}

/// Everything that tells type `i` apart but what it references: each reference is an `@`
/// mark in the text, and the referenced type is pushed to `refs`. Strings are written with
/// `{:?}` or after their length (names and docs, which are long and many), so no name or doc
/// can forge a separator or a mark.
fn signature(space: &Space, i: usize, refs: &mut Vec<usize>) -> String {
    let t = &space.types[i];
    if !mergeable(t) {
        return format!("#{i}");
    }
    let mut out = String::new();
    push_opt(&mut out, doc_key(t).as_deref());
    let _ = write!(out, " {} {} ", t.default, t.strict);
    match &t.kind {
        TypeKind::Struct(s) => {
            out.push_str("struct");
            for f in &s.fields {
                out.push(' ');
                push_text(&mut out, &f.wire_name);
                push_text(&mut out, &f.rust_name);
                let _ = write!(out, "{}:", f.optional);
                push_opt(&mut out, f.doc.as_deref());
                push_opt(&mut out, f.fallback.as_deref());
                ty_sig(&f.ty, refs, &mut out);
            }
            if let Some(a) = &s.additional {
                out.push_str(" ..");
                ty_sig(a, refs, &mut out);
            }
        }
        TypeKind::StringEnum { variants, other } => {
            let _ = write!(out, "enum {other:?}");
            for v in variants {
                let _ = write!(out, " {:?}={:?}", v.rust_name, v.wire_name);
            }
        }
        TypeKind::Tagged { tag, variants, unknown } => {
            let _ = write!(out, "tagged {tag:?} {unknown:?}");
            for v in variants {
                let _ = write!(out, " {:?}={:?}@", v.rust_name, v.tag_value);
                refs.push(v.ty.0);
            }
        }
        TypeKind::Untagged { variants } => {
            out.push_str("untagged");
            for v in variants {
                let _ = write!(out, " {:?}=", v.rust_name);
                ty_sig(&v.ty, refs, &mut out);
            }
        }
        TypeKind::Alias(_) => unreachable!("aliases are not mergeable"),
    }
    out
}

/// `text` after its length, so it ends where it says: cheaper than `{:?}`, which escapes.
fn push_text(out: &mut String, text: &str) {
    let _ = write!(out, "{}:", text.len());
    out.push_str(text);
}

/// [`push_text`] of an optional text: `-` for none.
fn push_opt(out: &mut String, text: Option<&str>) {
    match text {
        Some(text) => {
            out.push('+');
            push_text(out, text);
        }
        None => out.push('-'),
    }
}

fn ty_sig(ty: &Ty, refs: &mut Vec<usize>, out: &mut String) {
    match ty {
        Ty::Named(id) => {
            out.push('@');
            refs.push(id.0);
        }
        Ty::Vec(t) | Ty::Map(t) | Ty::Boxed(t) => {
            out.push_str(match ty {
                Ty::Vec(_) => "vec(",
                Ty::Map(_) => "map(",
                _ => "box(",
            });
            ty_sig(t, refs, out);
            out.push(')');
        }
        Ty::Tuple(items) => {
            out.push('(');
            for t in items {
                ty_sig(t, refs, out);
                out.push(',');
            }
            out.push(')');
        }
        other => {
            let _ = write!(out, "{other:?}");
        }
    }
}

/// A type's doc with its owner's name left out: an inline type's generated doc names the
/// field it types (`The type of `Request.locale`.` reads `.locale`); another doc has its own
/// name blanked.
fn doc_key(t: &TypeDef) -> Option<String> {
    let doc = t.doc.as_deref()?;
    match inline_origin(doc) {
        Some(origin) => Some(format!("inline {}", origin.rsplit_once('.').map_or(origin, |(_, field)| field))),
        None => Some(doc.replace(&t.wire_name, "\u{0}")),
    }
}

/// `Outer.field` from the generated doc of an inline type.
fn inline_origin(doc: &str) -> Option<&str> {
    doc.strip_prefix(INLINE_DOC)?.strip_suffix("`.")
}

fn redirect_kind(kind: &mut TypeKind, target: &BTreeMap<TypeId, TypeId>) {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter_mut().for_each(|f| redirect(&mut f.ty, target));
            if let Some(a) = &mut s.additional {
                redirect(a, target);
            }
        }
        TypeKind::Tagged { variants, .. } => variants.iter_mut().for_each(|v| v.ty = *target.get(&v.ty).unwrap_or(&v.ty)),
        TypeKind::Untagged { variants } => variants.iter_mut().for_each(|v| redirect(&mut v.ty, target)),
        TypeKind::Alias(ty) => redirect(ty, target),
        TypeKind::StringEnum { .. } => {}
    }
}

fn redirect(ty: &mut Ty, target: &BTreeMap<TypeId, TypeId>) {
    match ty {
        Ty::Named(id) => *id = *target.get(id).unwrap_or(id),
        Ty::Vec(t) | Ty::Map(t) | Ty::Boxed(t) => redirect(t, target),
        Ty::Tuple(items) => items.iter_mut().for_each(|t| redirect(t, target)),
        _ => {}
    }
}

/// CamelCase words (`B2BResetRequestLocale` -> `B2B`, `Reset`, `Request`, `Locale`).
fn words(name: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    let mut starts = vec![0];
    for w in 1..chars.len() {
        let (i, c) = chars[w];
        let prev = chars[w - 1].1;
        let next_lower = chars.get(w + 1).is_some_and(|(_, n)| n.is_lowercase());
        if c.is_uppercase() && (prev.is_lowercase() || (prev.is_uppercase() && next_lower)) {
            starts.push(i);
        }
    }
    starts.iter().zip(starts.iter().skip(1).chain([&name.len()])).map(|(&a, &b)| &name[a..b]).collect()
}

/// One-word names that say nothing about a shape: a shared type is not named just `Response`.
const VAGUE: &[&str] = &["Request", "Response", "Options", "Params", "Data", "Result", "Type", "Value", "Object", "Item", "Items"];

/// The longest run of whole words every name ends with (`Locale`, `RequestOptions`), unless it
/// is one vague word.
fn common_suffix(names: &[&str]) -> Option<String> {
    let split: Vec<Vec<&str>> = names.iter().map(|n| words(n)).collect();
    let shortest = split.iter().map(Vec::len).min()?;
    let len = (0..shortest).take_while(|&k| split.iter().all(|w| w[w.len() - 1 - k] == split[0][split[0].len() - 1 - k])).count();
    let first = &split[0];
    let suffix = first[first.len() - len..].concat();
    (suffix.starts_with(|c: char| c.is_ascii_uppercase()) && !VAGUE.contains(&suffix.as_str())).then_some(suffix)
}

/// The name a group asks for: the field its inline types type (`locale` -> `Locale`), else the
/// words all its members' names end with.
fn wanted_name(space: &Space, group: &[TypeId], namer: &Namer) -> Option<String> {
    let field = space.ty(group[0]).doc.as_deref().and_then(inline_origin).and_then(|o| o.rsplit_once('.')).map(|(_, f)| namer.camel(f));
    field.filter(|f| !VAGUE.contains(&f.as_str()) && !f.starts_with("r#")).or_else(|| common_suffix(&sorted_names(space, group)))
}

fn sorted_names<'s>(space: &'s Space, group: &[TypeId]) -> Vec<&'s str> {
    let mut names: Vec<&str> = group.iter().map(|m| space.ty(*m).rust_name.as_str()).collect();
    names.sort_unstable();
    names
}

/// The Rust name of each group's shared type ([`wanted_name`]). When several groups want one
/// name, the largest gets it (ties: the first by sorted member names) and the others, like a
/// group that wants none, take their first member's name in sorted order, with a warning.
/// Unique within the shared module.
fn group_names(space: &Space, groups: &[Vec<TypeId>], module: &str, namer: &Namer, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let wanted: Vec<Option<String>> = groups.iter().map(|g| wanted_name(space, g, namer)).collect();
    let mut winner: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, w) in wanted.iter().enumerate() {
        let Some(w) = w else { continue };
        let better = |j: usize| (groups[i].len(), std::cmp::Reverse(sorted_names(space, &groups[i]))) > (groups[j].len(), std::cmp::Reverse(sorted_names(space, &groups[j])));
        let entry = winner.entry(w.as_str()).or_insert(i);
        if better(*entry) {
            *entry = i;
        }
    }
    let mut scope = Scope::default();
    winner.keys().for_each(|w| scope.reserve(w));
    let mut out = Vec::new();
    for (i, (g, w)) in groups.iter().zip(&wanted).enumerate() {
        match w {
            Some(w) if winner[w.as_str()] == i => out.push(w.clone()),
            _ => {
                let name = scope.unique(sorted_names(space, g)[0].to_string());
                if let Some(w) = w {
                    let won = &groups[winner[w.as_str()]];
                    let msg = format!(
                        "`{module}::{w}` is the type of another shape ({} types, `{}` first): this one ({} types) is emitted as `{module}::{name}`",
                        won.len(),
                        sorted_names(space, won)[0],
                        g.len()
                    );
                    diags.push(Diagnostic::warning(space.ty(g[0]).loc.clone(), msg));
                }
                out.push(name);
            }
        }
    }
    out
}

/// The shared type's doc: for inline types, which fields it types; otherwise the members' doc
/// (their names as the shared one), then which types it stands for.
fn shared_doc(space: &Space, members: &[TypeId], name: &str) -> String {
    let rep = space.ty(members[0]);
    let mut names: Vec<&str> = members.iter().map(|m| space.ty(*m).rust_name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let list = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    match rep.doc.as_deref() {
        Some(doc) if inline_origin(doc).is_some() => {
            let field = inline_origin(doc).and_then(|o| o.rsplit_once('.')).map(|(_, f)| f);
            let owners: BTreeSet<&str> = members.iter().filter_map(|m| space.ty(*m).doc.as_deref().and_then(inline_origin)).collect();
            let owners = owners.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ");
            match field {
                Some(field) => format!("The type of `{field}` in {} places: {owners}.\n\nEach place keeps its own name as an alias: {list}.", members.len()),
                None => format!("The type of {owners}.\n\nEach keeps its own name as an alias: {list}."),
            }
        }
        Some(doc) => format!("{}\n\nOne type for {} types of this shape, each keeping its name as an alias: {list}.", doc.replace(&rep.wire_name, name), members.len()),
        None => format!("One type for {} types of this shape, each keeping its name as an alias: {list}.", members.len()),
    }
}

/// A merged type's doc, now on its alias: where it comes from, and the shared type (`wire`).
/// Nothing that changes when other types join or leave the shape.
fn alias_doc(own: Option<&str>, wire: &str) -> String {
    let same = format!("The same type as {{@link {wire}}}, shared by every type of this shape.");
    match own {
        Some(doc) if inline_origin(doc).is_some() => format!("{}: {}", doc.trim_end_matches('.'), same[..1].to_lowercase() + &same[1..]),
        Some(doc) => format!("{doc}\n\n{same}"),
        None => same,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(module: &str, name: &str, doc: Option<&str>, kind: TypeKind) -> TypeDef {
        let loc = Loc { file: format!("{module}.d.ts"), line: 1, col: 1 };
        TypeDef { module: module.into(), wire_name: name.into(), rust_name: name.into(), doc: doc.map(str::to_string), loc, kind, default: true, strict: false }
    }

    fn string_enum(values: &[&str]) -> TypeKind {
        let variants = values.iter().map(|v| Variant { wire_name: v.to_string(), rust_name: v.to_uppercase() }).collect();
        TypeKind::StringEnum { variants, other: "Other".into() }
    }

    fn one_field(name: &str, ty: Ty) -> TypeKind {
        let field = Field { wire_name: name.into(), rust_name: name.into(), ty, optional: false, doc: None, fallback: None };
        TypeKind::Struct(Struct { fields: vec![field], additional: None })
    }

    fn run(types: Vec<TypeDef>) -> (Space, Vec<Diagnostic>) {
        let mut space = Space { types, ..Space::default() };
        let (_, diags) = dedup(&mut space, &[], "common", &Namer::new(&[]));
        (space, diags)
    }

    /// The Rust name of what type `i` is now: its own, or `common::X` when it became an alias.
    fn now(space: &Space, i: usize) -> String {
        match &space.types[i].kind {
            TypeKind::Alias(Ty::Named(id)) => format!("{}::{}", space.ty(*id).module, space.ty(*id).rust_name),
            _ => space.types[i].rust_name.clone(),
        }
    }

    #[test]
    fn names_are_the_words_all_members_end_with_unless_vague() {
        assert_eq!(words("B2BResetRequestLocale"), ["B2B", "Reset", "Request", "Locale"]);
        assert_eq!(words("OIDCSSOFactor"), ["OIDCSSO", "Factor"]);
        assert_eq!(common_suffix(&["B2BResetRequestOptions", "UsersGetRequestOptions"]).as_deref(), Some("RequestOptions"));
        assert_eq!(common_suffix(&["UsersGetResponse", "OrgsDeleteResponse"]), None);
        assert_eq!(common_suffix(&["UsersDeleteResponse", "OrgsDeleteResponse"]).as_deref(), Some("DeleteResponse"));
        assert_eq!(common_suffix(&["Invite", "Member"]), None);
    }

    #[test]
    fn inline_enums_of_one_field_merge_under_the_field_name_and_keep_aliases() {
        let (space, diags) = run(vec![
            def("b2b/a", "ARequestLocale", Some("The type of `ARequest.locale`."), string_enum(&["en", "fr"])),
            def("b2c/b", "BRequestLocale", Some("The type of `BRequest.locale`."), string_enum(&["en", "fr"])),
            def("b2c/b", "CRequestLocale", Some("The type of `CRequest.locale`."), string_enum(&["fr", "en"])),
        ]);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!((now(&space, 0), now(&space, 1)), ("common::Locale".to_string(), "common::Locale".to_string()));
        // Another order is another derived `Ord`: not the same type.
        assert_eq!(now(&space, 2), "CRequestLocale");
        assert_eq!(space.types.len(), 4);
        assert!(space.types[0].doc.as_deref().unwrap().contains("{@link common::Locale}"));
    }

    #[test]
    fn structs_merge_when_their_fields_types_do_even_recursively() {
        let (space, _) = run(vec![
            def("x", "Folder", None, one_field("children", Ty::Vec(Box::new(Ty::Named(TypeId(0)))))),
            def("y", "Directory", None, one_field("children", Ty::Vec(Box::new(Ty::Named(TypeId(1)))))),
            def("z", "Tree", None, one_field("children", Ty::Vec(Box::new(Ty::Named(TypeId(3)))))),
            def("z", "Leaf", None, one_field("children", Ty::Vec(Box::new(Ty::String)))),
        ]);
        assert_eq!((now(&space, 0), now(&space, 1)), ("common::Directory".to_string(), "common::Directory".to_string()));
        assert_eq!((now(&space, 2), now(&space, 3)), ("Tree".to_string(), "Leaf".to_string()));
        let shared = space.types.iter().find(|t| t.module == "common").unwrap();
        let TypeKind::Struct(s) = &shared.kind else { panic!("a struct") };
        assert_eq!(space.ty(match &s.fields[0].ty {
            Ty::Vec(inner) => match **inner { Ty::Named(id) => id, _ => panic!() },
            _ => panic!(),
        }).module, "common", "the shared struct refers to itself");
    }

    #[test]
    fn different_docs_and_deprecated_types_stay_apart() {
        let (space, _) = run(vec![
            def("a", "A", Some("Says one thing."), string_enum(&["x"])),
            def("b", "B", Some("Says another."), string_enum(&["x"])),
            def("c", "C", Some("@deprecated use D"), string_enum(&["y"])),
            def("d", "D", Some("@deprecated use D"), string_enum(&["y"])),
        ]);
        assert_eq!(space.types.len(), 4, "nothing merged");
    }

    #[test]
    fn a_contested_name_goes_to_the_largest_group_visibly_and_output_is_deterministic() {
        let types = vec![
            def("a", "AStatus", Some("The type of `A.status`."), string_enum(&["on", "off"])),
            def("a", "BStatus", Some("The type of `B.status`."), string_enum(&["on", "off"])),
            def("a", "CStatus", Some("The type of `C.status`."), string_enum(&["up"])),
            def("a", "DStatus", Some("The type of `D.status`."), string_enum(&["up"])),
            def("a", "EStatus", Some("The type of `E.status`."), string_enum(&["up"])),
        ];
        let (space, diags) = run(types.clone());
        assert_eq!(now(&space, 2), "common::Status");
        assert_eq!(now(&space, 0), "common::AStatus");
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("`common::Status` is the type of another shape (3 types"), "{}", diags[0].message);
        let again = run(types).0;
        let names = |s: &Space| s.types.iter().map(|t| (t.module.clone(), t.rust_name.clone(), t.doc.clone())).collect::<Vec<_>>();
        assert_eq!(names(&space), names(&again));
    }

    #[test]
    fn the_shared_module_steps_aside_for_a_declaration_module() {
        let modules = [DeclModule { path: "common".into(), ..DeclModule::default() }];
        let mut diags = Vec::new();
        assert_eq!(free_module(&modules, "common", &mut diags), "common_2");
        assert_eq!(diags.len(), 1);
        assert_eq!(free_module(&modules, "shapes", &mut diags), "shapes");
    }
}
