//! Per-product Cargo features. Each module belongs to the feature with the longest matching
//! prefix; it is compiled when its own feature, or any feature of a module that needs its
//! types, is enabled. Modules no feature claims, and everything they need, are always compiled.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::ir::space::{Space, Ty, TypeId, TypeKind};
use crate::options::Options;

/// Module path to its `cfg` predicate; `None` means always compiled.
pub type Gates = BTreeMap<String, Option<Gate>>;

/// A `cfg` predicate that holds when any of its features is enabled, kept flat: a set of feature
/// names, so that combining gates never nests `any(any(..), ..)` nor repeats a feature, and the
/// same set always prints the same (sorted) way. The spec declares no implication between
/// features (in the Stytch crate each is an empty list: `fraud` does not enable `consumer`), so
/// a set has no smaller equivalent.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Gate(BTreeSet<String>);

impl Gate {
    /// Holds when any of `features` is enabled (at least one).
    pub fn any_of<'a>(features: impl IntoIterator<Item = &'a str>) -> Gate {
        Gate(features.into_iter().map(str::to_string).collect())
    }

    /// Holds when `self` or `other` does.
    pub fn or(mut self, other: &Gate) -> Gate {
        self.0.extend(other.0.iter().cloned());
        self
    }
}

impl ToTokens for Gate {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let names = self.0.iter();
        tokens.extend(if self.0.len() == 1 { quote!(#(feature = #names)*) } else { quote!(any(#(feature = #names),*)) });
    }
}

pub fn gates(space: &Space, options: &Options) -> Gates {
    let (modules, types) = enabled(space, options);
    let mut out: Gates = modules.into_iter().map(|(m, set)| (m.to_string(), gate_of(&set))).collect();
    // The shared module is compiled when any of its types is.
    if let Some(shared) = &space.shared {
        let gates: Vec<Option<Gate>> = types.values().map(gate_of).collect();
        let gate = if gates.iter().any(Option::is_none) { None } else { gates.into_iter().flatten().reduce(|a, b| a.or(&b)) };
        out.insert(shared.clone(), gate);
    }
    out
}

/// The gate of each type of the shared module (`Space::shared`): the features of the modules
/// (and shared types) that use it, through any chain of uses.
pub fn shared_type_gates(space: &Space, options: &Options) -> BTreeMap<TypeId, Option<Gate>> {
    let (_, types) = enabled(space, options);
    types.into_iter().map(|(id, set)| (id, gate_of(&set))).collect()
}

/// `None` (always compiled) when the set holds "always" (`None`), else any of its features.
fn gate_of(set: &BTreeSet<Option<&str>>) -> Option<Gate> {
    if set.contains(&None) { None } else { Some(Gate::any_of(set.iter().flatten().copied())) }
}

/// What compiles a module or a shared type: a module, or a type of the shared module.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Node<'s> {
    Module(&'s str),
    Shared(TypeId),
}

/// Which features compile each module and each shared type (`None` in a set: always): each
/// module is compiled under its own feature (or always, when no feature claims it) and
/// compiles everything it reaches. The shared module is not a unit: each of its types is
/// reached on its own, so a type only `b2b` uses pulls nothing into a `consumer` build.
#[allow(clippy::type_complexity)]
fn enabled<'s>(space: &'s Space, options: &'s Options) -> (BTreeMap<&'s str, BTreeSet<Option<&'s str>>>, BTreeMap<TypeId, BTreeSet<Option<&'s str>>>) {
    let shared = space.shared.as_deref();
    let owner = |m: &str| -> Option<&'s str> {
        options
            .features
            .iter()
            .flat_map(|f| f.modules.iter().map(move |p| (p.len(), f.name.as_str(), p)))
            .filter(|(_, _, p)| m.starts_with(p.as_str()))
            .max_by_key(|(len, _, _)| *len)
            .map(|(_, name, _)| name)
    };
    let uses = shared_uses(space);
    let mut modules: BTreeMap<&str, BTreeSet<Option<&str>>> = BTreeMap::new();
    let mut types: BTreeMap<TypeId, BTreeSet<Option<&str>>> = BTreeMap::new();
    for start in space.modules.keys().filter(|m| Some(m.as_str()) != shared) {
        let feature = owner(start);
        let mut stack = vec![Node::Module(start.as_str())];
        let mut seen = BTreeSet::new();
        while let Some(node) = stack.pop() {
            if !seen.insert(node) {
                continue;
            }
            match node {
                Node::Module(m) => {
                    modules.entry(m).or_default().insert(feature);
                    if let Some(info) = space.modules.get(m) {
                        stack.extend(info.depends_on.iter().filter(|d| Some(d.as_str()) != shared).map(|d| Node::Module(d.as_str())));
                    }
                }
                Node::Shared(id) => {
                    types.entry(id).or_default().insert(feature);
                }
            }
            stack.extend(uses.get(&node).into_iter().flatten().copied());
        }
    }
    (modules, types)
}

/// For each module and each shared type, the shared types and (for a shared type) the modules
/// its definitions name; operations count for their client's module.
fn shared_uses(space: &Space) -> BTreeMap<Node<'_>, BTreeSet<Node<'_>>> {
    let mut out: BTreeMap<Node<'_>, BTreeSet<Node<'_>>> = BTreeMap::new();
    let Some(shared) = space.shared.as_deref() else { return out };
    let node = |id: TypeId| if space.ty(id).module == shared { Node::Shared(id) } else { Node::Module(space.ty(id).module.as_str()) };
    for (i, t) in space.types.iter().enumerate() {
        let from = node(TypeId(i));
        let mut named = Vec::new();
        kind_names(&t.kind, &mut named);
        let targets = named.into_iter().map(node).filter(|n| matches!(n, Node::Shared(_)) || matches!(from, Node::Shared(_)));
        out.entry(from).or_default().extend(targets);
    }
    for c in &space.clients {
        let mut named = Vec::new();
        for op in &c.operations {
            op.request.iter().chain(&op.options).for_each(|(_, ty)| ty_names(ty, &mut named));
            ty_names(&op.response, &mut named);
        }
        out.entry(Node::Module(c.module.as_str())).or_default().extend(named.into_iter().map(node).filter(|n| matches!(n, Node::Shared(_))));
    }
    out
}

fn kind_names(kind: &TypeKind, out: &mut Vec<TypeId>) {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(&s.additional).for_each(|t| ty_names(t, out)),
        TypeKind::Tagged { variants, .. } => out.extend(variants.iter().map(|v| v.ty)),
        TypeKind::Untagged { variants } => variants.iter().for_each(|v| ty_names(&v.ty, out)),
        TypeKind::Alias(ty) => ty_names(ty, out),
        TypeKind::StringEnum { .. } => {}
    }
}

fn ty_names(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Vec(t) | Ty::Map(t) | Ty::Boxed(t) => ty_names(t, out),
        Ty::Tuple(items) => items.iter().for_each(|t| ty_names(t, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::Gate;
    use quote::quote;

    #[test]
    fn one_feature_is_a_plain_predicate() {
        let gate = Gate::any_of(["b2b"]);
        assert_eq!(quote!(#[cfg(#gate)]).to_string(), quote!(#[cfg(feature = "b2b")]).to_string());
    }

    #[test]
    fn combined_gates_are_flat_sorted_and_without_repeats() {
        // What a folder module holding a shared module, a consumer module and the fraud module
        // used to get: any(any(feature = "b2b", feature = "consumer"), feature = "consumer", feature = "fraud").
        let shared = Gate::any_of(["consumer", "b2b"]);
        let gate = shared.or(&Gate::any_of(["consumer"])).or(&Gate::any_of(["fraud"]));
        let expected = quote!(any(feature = "b2b", feature = "consumer", feature = "fraud"));
        assert_eq!(quote!(#gate).to_string(), expected.to_string());
    }

    #[test]
    fn the_same_features_in_any_order_are_one_gate() {
        assert_eq!(Gate::any_of(["consumer", "b2b"]), Gate::any_of(["b2b", "consumer", "b2b"]));
        let gate = Gate::any_of(["consumer", "b2b"]);
        assert_eq!(quote!(#gate).to_string(), quote!(any(feature = "b2b", feature = "consumer")).to_string());
    }

    /// `b2b/a` and `b2c/b` alias one shared `Locale`; `b2b/a` alone uses `Only`, which names a
    /// type of `b2b/x`: a `consumer` build compiles `Locale` but neither `Only` nor `b2b/x`.
    #[test]
    fn each_shared_type_is_gated_by_its_users_only() {
        use crate::ir::space::{Field, ModuleInfo, Space, Struct, Ty, TypeDef, TypeId, TypeKind};
        use crate::options::{Feature, Options};
        let def = |module: &str, name: &str, kind: TypeKind| {
            let loc = crate::diag::Loc { file: String::new(), line: 1, col: 1 };
            TypeDef { module: module.into(), wire_name: name.into(), rust_name: name.into(), doc: None, loc, kind, default: true, strict: false }
        };
        let field = |ty: Ty| TypeKind::Struct(Struct { fields: vec![Field { wire_name: "f".into(), rust_name: "f".into(), ty, optional: false, doc: None, fallback: None }], additional: None });
        let locale = TypeKind::StringEnum { variants: Vec::new(), other: "Other".into() };
        let mut space = Space { shared: Some("common".into()), ..Space::default() };
        space.types = vec![
            def("common", "Locale", locale),
            def("common", "Only", field(Ty::Named(TypeId(5)))),
            def("b2b/a", "ALocale", TypeKind::Alias(Ty::Named(TypeId(0)))),
            def("b2c/b", "BLocale", TypeKind::Alias(Ty::Named(TypeId(0)))),
            def("b2b/a", "AOnly", TypeKind::Alias(Ty::Named(TypeId(1)))),
            def("b2b/x", "X", field(Ty::String)),
        ];
        let deps = |d: &[&str]| ModuleInfo { rust_path: Vec::new(), depends_on: d.iter().map(|s| s.to_string()).collect() };
        space.modules.insert("common".into(), deps(&["b2b/x"]));
        space.modules.insert("b2b/a".into(), deps(&["common"]));
        space.modules.insert("b2c/b".into(), deps(&["common"]));
        space.modules.insert("b2b/x".into(), deps(&[]));
        let feature = |name: &str, prefix: &str| Feature { name: name.into(), modules: vec![prefix.into()] };
        let options = Options { features: vec![feature("b2b", "b2b/"), feature("consumer", "b2c/")], ..Options::default() };
        let types = super::shared_type_gates(&space, &options);
        assert_eq!(types[&TypeId(0)], Some(Gate::any_of(["b2b", "consumer"])));
        assert_eq!(types[&TypeId(1)], Some(Gate::any_of(["b2b"])));
        let modules = super::gates(&space, &options);
        assert_eq!(modules["b2b/x"], Some(Gate::any_of(["b2b"])), "not pulled into consumer through `common`");
        assert_eq!(modules["common"], Some(Gate::any_of(["b2b", "consumer"])));
    }
}
