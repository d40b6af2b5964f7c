//! The resolved type space and client tree: the output of `resolve`, the only input of `emit`.
//!
//! Types live in one arena indexed by [`TypeId`], in a deterministic order (module path, then
//! declaration order, then the inline types each one introduced). Every item carries its wire
//! (TypeScript) name and its Rust name; the emitter never derives names itself.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Loc;
use crate::ir::route::Route;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClientId(pub usize);

#[derive(Debug, Clone, Default)]
pub struct Space {
    /// Emitted modules by module path (`b2b/passwords_session`).
    pub modules: BTreeMap<String, ModuleInfo>,
    pub types: Vec<TypeDef>,
    pub clients: Vec<ClientDef>,
    /// Client classes that are roots of the tree (not a field of another client), in name order.
    pub roots: Vec<ClientId>,
    /// The client class's defaults when the package's calls follow the Stainless convention.
    pub call_defaults: Option<crate::ir::call::ClientDefaults>,
    /// The module holding the types merged by shape (`resolve::dedup`), if any: compiled as
    /// far as the modules that use its types are, each type under its own feature gate.
    pub shared: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ModuleInfo {
    /// Rust module names from the crate root (`["b2b", "passwords_session"]`).
    pub rust_path: Vec<String>,
    /// Module paths this module's items refer to (for per-product feature gates).
    pub depends_on: Vec<String>,
}

impl Space {
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
    pub fn client(&self, id: ClientId) -> &ClientDef {
        &self.clients[id.0]
    }

    /// The named types reachable from `roots` through fields, variants and aliases.
    pub(crate) fn reachable(&self, roots: Vec<Ty>) -> BTreeSet<TypeId> {
        let mut seen = BTreeSet::new();
        let mut stack = roots;
        while let Some(ty) = stack.pop() {
            match ty {
                Ty::Vec(t) | Ty::Map(t) | Ty::Boxed(t) => stack.push(*t),
                Ty::Tuple(ts) => stack.extend(ts),
                Ty::Named(id) if seen.insert(id) => match &self.ty(id).kind {
                    TypeKind::Struct(s) => stack.extend(s.fields.iter().map(|f| f.ty.clone()).chain(s.additional.clone())),
                    TypeKind::Tagged { variants, .. } => stack.extend(variants.iter().map(|v| Ty::Named(v.ty))),
                    TypeKind::Untagged { variants } => stack.extend(variants.iter().map(|v| v.ty.clone())),
                    TypeKind::Alias(t) => stack.push(t.clone()),
                    TypeKind::StringEnum { .. } => {}
                },
                _ => {}
            }
        }
        seen
    }
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub module: String,
    pub wire_name: String,
    pub rust_name: String,
    pub doc: Option<String>,
    pub loc: Loc,
    pub kind: TypeKind,
    /// Whether a value can be built with `Default::default()` (all parts have a default).
    pub default: bool,
    /// Decoding must fail on a missing required field instead of defaulting it: the type is a
    /// variant of an untagged union, where only strictness tells the variants apart.
    pub strict: bool,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    /// A union of string literals. Always open: unknown strings are kept in a catch-all variant.
    StringEnum { variants: Vec<Variant>, other: String },
    /// A union of object types that share a string-literal discriminant field. `unknown` names
    /// the unit variant unknown tags decode to; `None` when an enclosing type keeps them.
    Tagged { tag: String, variants: Vec<TaggedVariant>, unknown: Option<String> },
    /// Any other union: tried in order, first match wins.
    Untagged { variants: Vec<UntaggedVariant> },
    /// `type X = <something that is not a new shape>`.
    Alias(Ty),
}

#[derive(Debug, Clone, Default)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Extra keys (an index signature), kept in a flattened map.
    pub additional: Option<Ty>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: Ty,
    /// `x?: T`, `T | undefined`, `T | null`: an `Option` omitted on the wire when `None`.
    pub optional: bool,
    pub doc: Option<String>,
    /// Why the field holds `serde_json::Value` when it was not declared `any`/`unknown`
    /// (`external package`, `open type parameter`, `function type`, ...): counted by the summary.
    pub fallback: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub wire_name: String,
    pub rust_name: String,
}

#[derive(Debug, Clone)]
pub struct TaggedVariant {
    pub tag_value: String,
    pub rust_name: String,
    pub ty: TypeId,
}

#[derive(Debug, Clone)]
pub struct UntaggedVariant {
    pub rust_name: String,
    pub ty: Ty,
}

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ty {
    String,
    Bool,
    Integer,
    Float,
    /// Any JSON value (`any`, `unknown`, and every deliberate fallback).
    Json,
    /// A value that is always `null`/absent (`null`, `undefined`, `void`).
    Unit,
    Vec(Box<Ty>),
    /// A map with string keys.
    Map(Box<Ty>),
    Tuple(Vec<Ty>),
    Named(TypeId),
    /// A `Named` reference that closes a cycle of owned values.
    Boxed(Box<Ty>),
}

#[derive(Debug, Clone)]
pub struct ClientDef {
    pub module: String,
    pub wire_name: String,
    pub rust_name: String,
    pub doc: Option<String>,
    pub loc: Loc,
    pub children: Vec<SubClient>,
    pub operations: Vec<Operation>,
    /// API calls of the Stainless convention (see [`CallOperation`]).
    pub calls: Vec<CallOperation>,
    /// Methods declared in the `.d.ts` that are not generated, with the reason.
    pub skipped: Vec<SkippedMethod>,
}

#[derive(Debug, Clone)]
pub struct SubClient {
    pub wire_name: String,
    pub rust_name: String,
    pub client: ClientId,
    pub doc: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub wire_name: String,
    pub rust_name: String,
    pub doc: Option<String>,
    pub loc: Loc,
    /// The request parameter (`data`/`params`) and its type.
    pub request: Option<(String, Ty)>,
    /// The method options parameter (`options`) and its type.
    pub options: Option<(String, Ty)>,
    pub response: Ty,
    pub route: Route,
    /// How to page through the results, when the operation is cursor-paginated.
    pub pagination: Option<Pagination>,
}

/// Where a cursor-paginated operation's cursor goes and where its pages hold the next cursor
/// and the items (wire names).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Pagination {
    /// The request field that takes the cursor.
    pub cursor: String,
    /// Response fields leading to the next cursor (`["results_metadata", "next_cursor"]`).
    pub next_cursor: Vec<String>,
    /// The response field holding the page's items.
    pub items: String,
}

/// One API call of the Stainless convention: `retrieve(fileID, params, options)`.
#[derive(Debug, Clone)]
pub struct CallOperation {
    pub wire_name: String,
    pub rust_name: String,
    pub doc: Option<String>,
    pub loc: Loc,
    /// Positional path arguments, in order: JS parameter name, Rust name. Always strings.
    pub args: Vec<(String, String)>,
    /// The object parameter (body, query, or fields taken out for the path), its Rust name and
    /// type, and whether the caller may leave it out (`query?: ListParams`).
    pub params: Option<CallParams>,
    /// The response type; for a list method, the type of one item.
    pub response: Ty,
    /// A list method's page rule.
    pub page: Option<crate::ir::call::PageRule>,
    pub call: crate::ir::call::ApiCall,
}

#[derive(Debug, Clone)]
pub struct CallParams {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: Ty,
    pub optional: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SkippedMethod {
    pub name: String,
    pub loc: Loc,
    pub reason: String,
}
