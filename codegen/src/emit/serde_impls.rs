//! The serde traits of structs and open string enums, written out instead of derived: the
//! derives are where a generated crate's compile time goes.
//!
//! `#[derive(Deserialize)]` expands to about 260 lines per struct (a field-identifier enum and
//! its visitor, `visit_seq`, `visit_map` with duplicate checks, missing-field handling), over
//! three quarters of all the code the compiler type-checked in the Stytch crate, and
//! `#[derive(Serialize)]` to about 45 (a field count, then each field or a skip). A JSON object
//! needs only `visit_map` with one `let` and one match arm per field, and a map with one entry
//! per field: about a fifth of the code. Behaviour is the derives', with the lenient decoding
//! policy of `types`:
//! - unknown keys are skipped (or kept in the flattened map of undeclared keys, written last);
//! - a missing optional field is `None`, `null` in one is `None`; `None` is not written;
//! - a missing required field takes its default, or `X::missing()`, where the struct decodes
//!   leniently (see `construct`), and is serde's `missing field` error otherwise;
//! - a repeated key keeps its last value, as `JSON.parse` does (the derive rejects it);
//! - a struct is a map both ways (the derive's struct is a map in every self-describing format,
//!   and its decoder also takes an array of the fields in order, which no JSON API sends): like
//!   the untagged and flattened types, the types need a self-describing format.
//!
//! A string enum is its wire string both ways: `as_str` to encode, `From<String>` to decode,
//! the catch-all keeping any other string.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::construct::Missing;
use super::paths::{Paths, ident};
use crate::ir::space::{Struct, TypeDef, TypeId, Variant};

/// `impl Deserialize for Name`, reading the struct's JSON object. `extra` names the flattened
/// map of undeclared keys.
pub(super) fn struct_deserialize(paths: &Paths<'_>, id: TypeId, t: &TypeDef, name: &Ident, s: &Struct, extra: Option<&Ident>) -> TokenStream {
    let map = internal_name(s, "map");
    let slots = s.fields.iter().map(|f| ident(&f.rust_name));
    let entries = read_entries(paths, t, s, &map, extra);
    let values = field_values(paths, id, t, s);
    let extra_slot = extra.map(|e| quote!(let mut #e = ::std::collections::BTreeMap::new();));
    let extra_value = extra.map(|e| quote!(#e,));
    let result = paths.std(&t.module, "Result");
    let plain_name = t.rust_name.trim_start_matches("r#");
    let visitor = format_ident!("{}Visitor", plain_name);
    let expecting = format!("struct {plain_name}");
    let allow = super::construct::allow_deprecated(paths, t, s);
    quote! {
        #allow
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                struct #visitor;
                impl<'de> ::serde::de::Visitor<'de> for #visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut #map: A) -> #result<#name, A::Error> {
                        #(let mut #slots = None;)*
                        #extra_slot
                        #entries
                        Ok(#name { #(#values)* #extra_value })
                    }
                }
                deserializer.deserialize_map(#visitor)
            }
        }
    }
}

/// The loop of `visit_map` over the object's entries: each declared key into its field's slot,
/// any other key skipped or kept in `extra`.
fn read_entries(paths: &Paths<'_>, t: &TypeDef, s: &Struct, map: &Ident, extra: Option<&Ident>) -> TokenStream {
    let (key, string) = (internal_name(s, "key"), paths.std(&t.module, "String"));
    let arms = s.fields.iter().map(|f| {
        let (wire, slot) = (&f.wire_name, ident(&f.rust_name));
        match f.optional {
            // The slot is the field: `null` and absence are both `None`.
            true => quote!(#wire => #slot = #map.next_value()?,),
            false => quote!(#wire => #slot = Some(#map.next_value()?),),
        }
    });
    let other = match extra {
        Some(extra) => quote!(#extra.insert(#key, #map.next_value()?);),
        None => quote!(#map.next_value::<::serde::de::IgnoredAny>()?;),
    };
    match (s.fields.is_empty(), extra) {
        // Nothing to keep: skip every entry.
        (true, None) => quote!(while #map.next_entry::<::serde::de::IgnoredAny, ::serde::de::IgnoredAny>()?.is_some() {}),
        // Every key is undeclared (a one-arm `match` is a clippy warning).
        (true, Some(_)) => quote!(while let Some(#key) = #map.next_key::<#string>()? { #other }),
        (false, _) => quote! {
            while let Some(#key) = #map.next_key::<#string>()? {
                match #key.as_str() { #(#arms)* _ => { #other } }
            }
        },
    }
}

/// Each field's value from its slot: an optional field is its slot; a missing required one
/// takes what `Construction::missing` says.
fn field_values<'a>(paths: &'a Paths<'_>, id: TypeId, t: &'a TypeDef, s: &'a Struct) -> impl Iterator<Item = TokenStream> + 'a {
    s.fields.iter().map(move |f| {
        let (slot, wire) = (ident(&f.rust_name), &f.wire_name);
        let value = match (f.optional, paths.construction().missing(paths, id, t, f)) {
            (true, _) => return quote!(#slot,),
            (false, Missing::Default) => quote!(#slot.unwrap_or_default()),
            (false, Missing::Function(path)) => quote!(#slot.unwrap_or_else(#path)),
            (false, Missing::Error) => quote!(#slot.ok_or_else(|| ::serde::de::Error::missing_field(#wire))?),
        };
        quote!(#slot: #value,)
    })
}

/// `impl Serialize for Name`: a map of the fields in declaration order, `None`s left out, then
/// the undeclared keys of `extra`.
pub(super) fn struct_serialize(paths: &Paths<'_>, t: &TypeDef, name: &Ident, s: &Struct, extra: Option<&Ident>) -> TokenStream {
    let map = internal_name(s, "map");
    let entries = s.fields.iter().map(|f| {
        let (wire, field) = (&f.wire_name, ident(&f.rust_name));
        match f.optional {
            true => quote!(if let Some(value) = &self.#field { #map.serialize_entry(#wire, value)?; }),
            false => quote!(#map.serialize_entry(#wire, &self.#field)?;),
        }
    });
    let extra = extra.map(|e| quote!(for (key, value) in &self.#e { #map.serialize_entry(key, value)?; }));
    let result = paths.std(&t.module, "Result");
    let mutable = (!s.fields.is_empty() || extra.is_some()).then(|| quote!(mut));
    let allow = super::construct::allow_deprecated(paths, t, s);
    quote! {
        #allow
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let #mutable #map = serializer.serialize_map(None)?;
                #(#entries)*
                #extra
                #map.end()
            }
        }
    }
}

/// The name of a local of `visit_map` or `serialize` (`map`, `key`), with `_` appended while a field has it.
fn internal_name(s: &Struct, base: &str) -> Ident {
    let mut name = base.to_string();
    while s.fields.iter().any(|f| f.rust_name == name) {
        name.push('_');
    }
    format_ident!("{}", name)
}

/// `From<String>`, `Serialize` and `Deserialize` for an open string enum: the wire string,
/// with unknown strings kept in the catch-all `other`.
pub(super) fn string_enum_impls(paths: &Paths<'_>, t: &TypeDef, name: &Ident, variants: &[Variant], other: &Ident) -> TokenStream {
    let (result, string, from) = (paths.std(&t.module, "Result"), paths.std(&t.module, "String"), paths.std(&t.module, "From"));
    let arms = variants.iter().map(|v| {
        let (wire, variant) = (&v.wire_name, ident(&v.rust_name));
        quote!(#wire => Self::#variant,)
    });
    quote! {
        impl #from<#string> for #name {
            /// The variant of a wire value; the catch-all keeps one this version does not know.
            fn from(value: #string) -> Self {
                match value.as_str() {
                    #(#arms)*
                    _ => Self::#other(value),
                }
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                <#string as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}
