//! Data types: structs, open string enums, tagged and untagged enums, aliases.
//!
//! Decoding is lenient by policy, because real responses drift from their declarations:
//! unknown fields are ignored; `null` or a missing key in an optional field is `None`; a
//! missing *required* field takes its type's default (empty string, `0`, `false`, empty list,
//! an enum's catch-all holding `""`) when the type has one, and is a decode error naming the
//! field's JSON path otherwise; an unknown enum string is kept in the catch-all variant.
//! Structs that are variants of an untagged union are the exception: they decode strictly, since
//! only a missing field tells one variant from another.

use proc_macro2::TokenStream;
use quote::quote;

use super::paths::{Paths, ident};
use crate::ir::space::*;

/// A type's items: its declaration and `impl` blocks.
pub(super) fn emit_type(paths: &Paths<'_>, id: TypeId, t: &TypeDef) -> TokenStream {
    let name = ident(&t.rust_name);
    // A comment with nothing but tags (`@deprecated`) renders empty: the default line then.
    let doc = match t.doc.as_deref().map(|d| paths.docs(&t.module, Some(d))).filter(|d| !d.is_empty()) {
        Some(d) => d,
        None => {
            let line = format!(" `{}` in `{}`.", t.wire_name, t.module);
            quote!(#[doc = #line])
        }
    };
    let deprecation = paths.deprecation(t.doc.as_deref());
    // Lint levels apply per item: a field or variant naming a deprecated type needs the allow on
    // the whole struct or enum.
    let allow = paths.allow_deprecated_uses(&named_types(t));
    let doc = quote!(#doc #deprecation #allow);
    match &t.kind {
        TypeKind::Struct(s) => emit_struct(paths, id, t, &name, doc, s),
        TypeKind::StringEnum { variants, other } => {
            let vs = variants.iter().map(|v| {
                let vi = ident(&v.rust_name);
                let d = format!(" `{:?}`", v.wire_name);
                quote!(#[doc = #d] #vi,)
            });
            let other = ident(other);
            let (string, default) = (paths.std(&t.module, "String"), paths.std(&t.module, "Default"));
            let as_str = variants.iter().map(|v| {
                let vi = ident(&v.rust_name);
                let wire = &v.wire_name;
                quote!(Self::#vi => #wire,)
            });
            let serde = super::serde_impls::string_enum_impls(paths, t, &name, variants, &other);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #(#vs)*
                    /// A value this version of the SDK does not know, kept as sent.
                    #other(#string),
                }
                impl #name {
                    /// The value as it goes on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(#as_str)*
                            Self::#other(value) => value,
                        }
                    }
                }
                impl #default for #name {
                    /// The catch-all holding an empty string: what a missing value decodes to.
                    fn default() -> Self {
                        Self::#other(#string::new())
                    }
                }
                #serde
            }
        }
        TypeKind::Tagged { tag, variants, unknown } => {
            let vs = variants.iter().map(|v| {
                let vi = ident(&v.rust_name);
                let wire = &v.tag_value;
                let inner = paths.type_path(&t.module, v.ty);
                let d = format!(" `{tag}: \"{wire}\"`");
                quote!(#[doc = #d] #[serde(rename = #wire)] #vi(#inner),)
            });
            let unknown = unknown.as_ref().map(|u| {
                let u = ident(u);
                quote! {
                    /// A variant this version of the SDK does not know.
                    #[serde(other)]
                    #u,
                }
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[allow(clippy::large_enum_variant)]
                #[serde(tag = #tag)]
                pub enum #name {
                    #(#vs)*
                    #unknown
                }
            }
        }
        TypeKind::Untagged { variants } => {
            let vs = variants.iter().map(|v| {
                let vi = ident(&v.rust_name);
                let ty = paths.ty(&t.module, &v.ty);
                quote!(#vi(#ty),)
            });
            quote! {
                #doc
                ///
                /// Decoding tries the variants in order and keeps the first that matches.
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[allow(clippy::large_enum_variant)]
                #[serde(untagged)]
                pub enum #name {
                    #(#vs)*
                }
            }
        }
        TypeKind::Alias(ty) => {
            let ty = paths.ty(&t.module, ty);
            quote!(#doc pub type #name = #ty;)
        }
    }
}

/// The types a declaration names in its fields, variants or alias target.
fn named_types(t: &TypeDef) -> Vec<Ty> {
    match &t.kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| f.ty.clone()).chain(s.additional.clone()).collect(),
        TypeKind::Tagged { variants, .. } => variants.iter().map(|v| Ty::Named(v.ty)).collect(),
        TypeKind::Untagged { variants } => variants.iter().map(|v| v.ty.clone()).collect(),
        TypeKind::Alias(ty) => vec![ty.clone()],
        TypeKind::StringEnum { .. } => Vec::new(),
    }
}

/// A struct built by constructor (`construct`), or holding one in a required field, derives no
/// `Default`: its required fields are then filled, when decoding, one by one
/// (`Construction::missing`). Both serde traits are written out (`serde_impls`).
fn emit_struct(paths: &Paths<'_>, id: TypeId, t: &TypeDef, name: &proc_macro2::Ident, doc: TokenStream, s: &Struct) -> TokenStream {
    let construction = paths.construction();
    let (constructed, derives) = (construction.built(id), construction.derives(id));
    let derive_default = derives.then(|| quote!(Default,));
    let non_exhaustive = constructed.then(|| quote!(#[non_exhaustive]));
    let option = paths.std(&t.module, "Option");
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let (docs, deprecation) = (paths.docs(&t.module, f.doc.as_deref()), paths.deprecation(f.doc.as_deref()));
        let ty = paths.ty(&t.module, &f.ty);
        let ty = if f.optional { quote!(#option<#ty>) } else { ty };
        quote! {
            #docs
            #deprecation
            pub #fname: #ty,
        }
    });
    let taken = s.fields.iter().any(|f| f.rust_name == "additional_properties");
    let extra_name = s.additional.as_ref().map(|_| ident(if taken { "additional_properties_" } else { "additional_properties" }));
    let debug = super::debug::struct_debug(paths, name, s, extra_name.as_ref());
    let (derive_debug, debug_impl) = (debug.derive, debug.impl_);
    let constructor = constructed.then(|| super::construct::constructor(paths, t, name, s, extra_name.as_ref()));
    let missing = construction.missing_fn(paths, id, t, name, s, extra_name.as_ref());
    let serialize = super::serde_impls::struct_serialize(paths, t, name, s, extra_name.as_ref());
    let deserialize = super::serde_impls::struct_deserialize(paths, id, t, name, s, extra_name.as_ref());
    let extra = s.additional.as_ref().zip(extra_name).map(|(ty, fname)| {
        let ty = paths.ty(&t.module, ty);
        let string = paths.std(&t.module, "String");
        quote! {
            /// Keys beyond the declared fields.
            pub #fname: ::std::collections::BTreeMap<#string, #ty>,
        }
    });
    quote! {
        #doc
        #[derive(#derive_debug Clone, PartialEq, #derive_default)]
        #non_exhaustive
        pub struct #name {
            #(#fields)*
            #extra
        }
        #debug_impl
        #serialize
        #deserialize
        #constructor
        #missing
    }
}
