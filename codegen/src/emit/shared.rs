//! The module of types merged by shape (`resolve::dedup`). Its types serve several products, so
//! each one is compiled under its own feature gate (the features of whatever uses it), not the
//! whole module under the union of them all: a type only `b2b` uses costs a `consumer` build
//! nothing, and pulls none of its `b2b` dependencies into it.

use proc_macro2::TokenStream;
use quote::quote;

use super::features::{self, Gate};
use super::paths::Paths;
use super::types;
use crate::ir::space::{Space, TypeId};
use crate::options::Options;

/// The items of the shared module `module`, whose own gate is `module_gate`, parsed: each type
/// is parsed once to gate its items, and handed to the printer as it is (not printed back to
/// tokens and parsed again).
pub(super) fn emit_module(space: &Space, paths: &Paths<'_>, options: &Options, module: &str, module_gate: Option<&Gate>) -> Result<Vec<syn::Item>, String> {
    let gates = features::shared_type_gates(space, options);
    let mut out = Vec::new();
    for (i, t) in space.types.iter().enumerate().filter(|(_, t)| t.module == module) {
        let items = types::emit_type(paths, TypeId(i), t);
        let gate = gates.get(&TypeId(i)).cloned().flatten().filter(|gate| Some(gate) != module_gate);
        out.extend(gated(items, gate.as_ref()).map_err(|e| format!("shared type `{}`: {e}", t.rust_name))?);
    }
    Ok(out)
}

/// Every item of `items` (the type and its `impl` blocks), under `#[cfg(gate)]` when there is
/// a gate.
fn gated(items: TokenStream, gate: Option<&Gate>) -> Result<Vec<syn::Item>, String> {
    let file: syn::File = syn::parse2(items).map_err(|e| format!("generated code does not parse: {e}"))?;
    let Some(gate) = gate else { return Ok(file.items) };
    let mut out = Vec::with_capacity(file.items.len());
    for mut item in file.items {
        let attrs = match &mut item {
            syn::Item::Struct(i) => &mut i.attrs,
            syn::Item::Enum(i) => &mut i.attrs,
            syn::Item::Impl(i) => &mut i.attrs,
            syn::Item::Type(i) => &mut i.attrs,
            syn::Item::Fn(i) => &mut i.attrs,
            syn::Item::Const(i) => &mut i.attrs,
            syn::Item::Mod(i) => &mut i.attrs,
            syn::Item::Trait(i) => &mut i.attrs,
            syn::Item::Use(i) => &mut i.attrs,
            other => return Err(format!("an item that cannot be feature-gated here: {}", quote!(#other))),
        };
        // After the doc comment, as a hand-written item reads.
        let at = attrs.iter().take_while(|a| a.path().is_ident("doc")).count();
        attrs.insert(at, syn::parse_quote!(#[cfg(#gate)]));
        out.push(item);
    }
    Ok(out)
}
