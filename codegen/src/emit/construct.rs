//! Constructors for the structs callers build: a required field cannot be forgotten.
//!
//! A struct that a request reaches (through an operation's request or options parameter, at any
//! depth) and that has at least one required field is built with `new(required...)` and
//! `with_<field>(value)` setters for its optional fields:
//!
//! ```text
//! let request = UsersCreateRequest::new("ada@example.com").with_name(name);
//! ```
//!
//! - It does not derive `Default`, so `X { ..Default::default() }` and `X::default()` cannot
//!   leave a required field empty (an empty `user_id` sent `GET /v1/users/`).
//! - It is `#[non_exhaustive]`, so other crates cannot write a struct literal: a new optional
//!   field upstream adds a setter and breaks no caller; a new required field changes `new`,
//!   which is breaking, as it is in TypeScript. Fields stay public, to read and to assign.
//! - Decoding stays lenient: a missing required field takes its type's default, as the
//!   struct's `Default` filled it (see `Construction::missing` and `serde_impls`).
//! - A struct that holds such a struct by value in a required field loses `Default` too (it
//!   could not derive it), and decodes per field the same way; a missing field holding a
//!   struct without `Default` decodes to that struct's `missing()` (every required field
//!   empty, as `Default` gave), a `pub(crate)` function emitted only where a holder names it.
//!
//! Structs with no required field keep struct literals with `..Default::default()`: nothing
//! can be forgotten there. A type that no operation reaches (the request of a method upstream
//! writes by hand) counts as a request, as in `diff`. Without operations (`generate = "types"`,
//! or a package without client classes) nothing is known to be a request, and every struct
//! keeps its literal.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::paths::{Paths, ident};
use crate::ir::space::{Field, Space, Struct, Ty, TypeDef, TypeId, TypeKind};

/// Above this many required fields, `new` takes more arguments than clippy's default allows.
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// Which structs are built by constructor, which types implement `Default`, and which get a
/// `missing()` for decoding (see the module docs).
pub(crate) struct Construction {
    built: BTreeSet<TypeId>,
    /// Types whose Rust type implements `Default` (derived, or an enum's catch-all).
    derives: BTreeSet<TypeId>,
    /// Structs with a decoding default but no `Default` that a holder needs `missing()` of.
    needed: BTreeSet<TypeId>,
}

impl Construction {
    pub(crate) fn new(space: &Space) -> Construction {
        let built = built_by_constructor(space);
        let derives = derives_default(space, &built);
        let mut c = Construction { built, derives, needed: BTreeSet::new() };
        c.needed = c.needed_missing(space);
        c
    }

    pub(crate) fn built(&self, id: TypeId) -> bool {
        self.built.contains(&id)
    }

    /// Whether the type implements `Default` (a struct: derives it).
    pub(crate) fn derives(&self, id: TypeId) -> bool {
        self.derives.contains(&id)
    }

    fn has_default(&self, ty: &Ty) -> bool {
        has_default(&self.derives, ty)
    }

    /// The struct whose `missing()` makes a value of `ty` (through an alias, whose path
    /// reaches the struct's associated functions), when `ty` has no `Default`.
    fn missing_of(&self, space: &Space, ty: &Ty) -> Option<TypeId> {
        let Ty::Named(id) = ty else { return None };
        let t = space.ty(*id);
        match &t.kind {
            TypeKind::Struct(_) if t.default && !self.derives(*id) => Some(*id),
            TypeKind::Alias(target @ Ty::Named(_)) => self.missing_of(space, target),
            _ => None,
        }
    }

    /// Structs whose `missing()` a decoding default names: from the required fields of every
    /// lenient struct without `Default`, then from the bodies of those `missing()`s.
    /// A holder's field attribute names `X::missing` only for a field of type `X` (serde wants a
    /// function returning the field's type); a `missing()` body also builds `Box<X>`.
    fn needed_missing(&self, space: &Space) -> BTreeSet<TypeId> {
        let mut stack: Vec<(TypeId, bool)> = (0..space.types.len()).map(TypeId).filter(|id| self.per_field(space.ty(*id), *id)).map(|id| (id, false)).collect();
        let mut needed = BTreeSet::new();
        while let Some((id, is_body)) = stack.pop() {
            let TypeKind::Struct(s) = &space.ty(id).kind else { continue };
            for f in s.fields.iter().filter(|f| !f.optional) {
                let inner = match &f.ty {
                    Ty::Boxed(inner) if is_body => inner,
                    ty => ty,
                };
                if let Some(target) = self.missing_of(space, inner).filter(|t| needed.insert(*t)) {
                    stack.push((target, true));
                }
            }
        }
        needed
    }

    /// Whether the struct decodes leniently field by field (a default per required field),
    /// having no `Default` to use as a whole.
    pub(crate) fn per_field(&self, t: &TypeDef, id: TypeId) -> bool {
        t.default && !t.strict && !self.derives(id) && matches!(t.kind, TypeKind::Struct(_))
    }

    /// What a missing required field `f` of struct `t` decodes to: the field's default where
    /// the struct decodes leniently as a whole (it derives `Default`, whose fields are these
    /// defaults), or per field (its type's default, else the struct's `missing()`); an error in
    /// a strict struct and where the field's type has neither.
    pub(crate) fn missing(&self, paths: &Paths<'_>, id: TypeId, t: &TypeDef, f: &Field) -> Missing {
        if self.derives(id) && !t.strict {
            return Missing::Default;
        }
        if !self.per_field(t, id) {
            return Missing::Error;
        }
        if self.has_default(&f.ty) {
            return Missing::Default;
        }
        match self.missing_of(paths.space(), &f.ty) {
            Some(_) => {
                let ty = paths.ty(&t.module, &f.ty);
                Missing::Function(quote!(#ty::missing))
            }
            None => Missing::Error,
        }
    }

    /// `impl Name { fn missing() }`: what a missing value of the struct decodes to (every
    /// required field empty, as `Default` would give), for the holders that need it.
    pub(crate) fn missing_fn(&self, paths: &Paths<'_>, id: TypeId, t: &TypeDef, name: &Ident, s: &Struct, extra: Option<&Ident>) -> TokenStream {
        if !self.needed.contains(&id) {
            return TokenStream::new();
        }
        let default = paths.std(&t.module, "Default");
        let boxed = paths.std(&t.module, "Box");
        let inits = s.fields.iter().map(|f| {
            let fname = ident(&f.rust_name);
            let inner = if let Ty::Boxed(inner) = &f.ty { inner.as_ref() } else { &f.ty };
            let value = if f.optional {
                quote!(None)
            } else if self.has_default(&f.ty) || self.missing_of(paths.space(), inner).is_none() {
                quote!(#default::default())
            } else {
                let ty = paths.ty(&t.module, inner);
                if matches!(f.ty, Ty::Boxed(_)) { quote!(#boxed::new(#ty::missing())) } else { quote!(#ty::missing()) }
            };
            quote!(#fname: #value)
        });
        let extra = extra.map(|e| quote!(#e: ::std::collections::BTreeMap::new(),));
        let allow = allow_deprecated(paths, t, s);
        quote! {
            #allow
            impl #name {
                /// What a missing value decodes to: every required field empty.
                pub(crate) fn missing() -> Self {
                    Self { #(#inits,)* #extra }
                }
            }
        }
    }
}

/// What a missing required field decodes to (`Construction::missing`).
pub(crate) enum Missing {
    /// Its type's `Default`.
    Default,
    /// The `missing()` function at this path.
    Function(TokenStream),
    /// Decoding fails with serde's `missing field` error.
    Error,
}

/// `#[allow(deprecated)]` for an impl block that names a deprecated struct, field or field
/// type: only callers who use them should be warned.
pub(crate) fn allow_deprecated(paths: &Paths<'_>, t: &TypeDef, s: &Struct) -> TokenStream {
    let docs = std::iter::once(&t.doc).chain(s.fields.iter().map(|f| &f.doc));
    match docs.into_iter().any(|doc| !paths.deprecation(doc.as_deref()).is_empty()) {
        true => quote!(#[allow(deprecated)]),
        false => paths.allow_deprecated_uses(s.fields.iter().map(|f| &f.ty)),
    }
}

/// Whether `ty`'s Rust type implements `Default`, given the types that do.
fn has_default(derives: &BTreeSet<TypeId>, ty: &Ty) -> bool {
    match ty {
        Ty::Named(id) => derives.contains(id),
        Ty::Boxed(inner) => has_default(derives, inner),
        Ty::Tuple(items) => items.iter().all(|t| has_default(derives, t)),
        Ty::String | Ty::Bool | Ty::Integer | Ty::Float | Ty::Json | Ty::Unit | Ty::Vec(_) | Ty::Map(_) => true,
    }
}

/// The types that implement `Default`: string enums (their catch-all), and the structs and
/// aliases with a decoding default (`TypeDef::default`) that are not built by constructor and
/// hold no such struct by value in a required field. The greatest fixed point: start from all
/// candidates and drop those that need a dropped one, until nothing changes.
fn derives_default(space: &Space, built: &BTreeSet<TypeId>) -> BTreeSet<TypeId> {
    let mut derives: BTreeSet<TypeId> = (0..space.types.len()).map(TypeId).filter(|id| space.ty(*id).default && !built.contains(id)).collect();
    loop {
        let keeps = |id: &TypeId| match &space.ty(*id).kind {
            TypeKind::Struct(s) => s.fields.iter().filter(|f| !f.optional).all(|f| has_default(&derives, &f.ty)),
            TypeKind::Alias(ty) => has_default(&derives, ty),
            _ => true,
        };
        let kept: BTreeSet<TypeId> = derives.iter().copied().filter(keeps).collect();
        if kept.len() == derives.len() {
            return kept;
        }
        derives = kept;
    }
}

/// The structs built with `new` and setters (see the module docs).
pub(crate) fn built_by_constructor(space: &Space) -> BTreeSet<TypeId> {
    let operations = space.clients.iter().flat_map(|c| &c.operations);
    if operations.clone().next().is_none() {
        return BTreeSet::new();
    }
    let requests: Vec<Ty> = operations.clone().flat_map(|op| op.request.iter().chain(&op.options).map(|(_, ty)| ty.clone())).collect();
    let responses: Vec<Ty> = operations.map(|op| op.response.clone()).collect();
    let in_request = space.reachable(requests);
    let in_response = space.reachable(responses);
    (0..space.types.len())
        .map(TypeId)
        .filter(|id| in_request.contains(id) || !in_response.contains(id))
        .filter(|id| matches!(&space.ty(*id).kind, TypeKind::Struct(s) if s.fields.iter().any(|f| !f.optional)))
        .collect()
}

/// `impl Name { new(...), with_...(...) }` for a struct built by constructor. `extra` names
/// the flattened map of undeclared keys, which starts empty.
pub(crate) fn constructor(paths: &Paths<'_>, t: &TypeDef, name: &Ident, s: &Struct, extra: Option<&Ident>) -> TokenStream {
    let required: Vec<&Field> = s.fields.iter().filter(|f| !f.optional).collect();
    let params = required.iter().map(|f| {
        let (fname, ty) = (ident(&f.rust_name), param_type(paths, t, &f.ty));
        quote!(#fname: #ty)
    });
    // `None` and `Some` are safe bare: generated modules declare only braced structs and enums,
    // which do not enter the value namespace.
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        match (f.optional, f.ty == Ty::String) {
            (true, _) => quote!(#fname: None),
            (false, true) => quote!(#fname: #fname.into()),
            (false, false) => quote!(#fname),
        }
    });
    let extra = extra.map(|e| quote!(#e: ::std::collections::BTreeMap::new(),));
    let many = (required.len() > CLIPPY_MAX_ARGUMENTS).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let setters = s.fields.iter().filter(|f| f.optional).map(|f| setter(paths, t, f));
    let allow = allow_deprecated(paths, t, s);
    let doc = match required.len() == s.fields.len() {
        true => " From its fields.",
        false => " From its required fields; the optional ones start as `None` (set them with the `with_` methods).",
    };
    quote! {
        #allow
        impl #name {
            #[doc = #doc]
            #many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* #extra }
            }
            #(#setters)*
        }
    }
}

/// `with_<field>(value)`: sets an optional field, taking what `new` would take for it.
fn setter(paths: &Paths<'_>, t: &TypeDef, f: &Field) -> TokenStream {
    let fname = ident(&f.rust_name);
    let method = format_ident!("with_{}", f.rust_name.trim_start_matches("r#"));
    let ty = param_type(paths, t, &f.ty);
    let value = if f.ty == Ty::String { quote!(#fname.into()) } else { quote!(#fname) };
    let doc = format!(" Sets `{}`.", f.rust_name.trim_start_matches("r#"));
    let deprecation = paths.deprecation(f.doc.as_deref());
    quote! {
        #[doc = #doc]
        #deprecation
        pub fn #method(mut self, #fname: #ty) -> Self {
            self.#fname = Some(#value);
            self
        }
    }
}

/// Strings are taken as `impl Into<String>`, so `"literal"` and a `String` both fit; every
/// other type as it is stored.
fn param_type(paths: &Paths<'_>, t: &TypeDef, ty: &Ty) -> TokenStream {
    let rust = paths.ty(&t.module, ty);
    let into = paths.std(&t.module, "Into");
    if *ty == Ty::String { quote!(impl #into<#rust>) } else { rust }
}
