//! Per-product Cargo features. Each module belongs to the feature with the longest matching
//! prefix; it is compiled when its own feature, or any feature of a module that needs its
//! types, is enabled. Modules no feature claims, and everything they need, are always compiled.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::space::Space;
use crate::options::Options;

/// Module path to its `cfg` predicate; `None` means always compiled.
pub type Gates = BTreeMap<String, Option<TokenStream>>;

pub fn gates(space: &Space, options: &Options) -> Gates {
    if options.features.is_empty() {
        return space.modules.keys().map(|m| (m.clone(), None)).collect();
    }
    let owner = |m: &str| -> Option<&str> {
        options
            .features
            .iter()
            .flat_map(|f| f.modules.iter().map(move |p| (p.len(), f.name.as_str(), p)))
            .filter(|(_, _, p)| m.starts_with(p.as_str()))
            .max_by_key(|(len, _, _)| *len)
            .map(|(_, name, _)| name)
    };
    // None in a set stands for "always".
    let mut enabled: BTreeMap<&str, BTreeSet<Option<&str>>> = BTreeMap::new();
    for start in space.modules.keys() {
        let feature = owner(start);
        let mut stack = vec![start.as_str()];
        let mut seen = BTreeSet::new();
        while let Some(m) = stack.pop() {
            if !seen.insert(m) {
                continue;
            }
            enabled.entry(m).or_default().insert(feature);
            if let Some(info) = space.modules.get(m) {
                stack.extend(info.depends_on.iter().map(String::as_str));
            }
        }
    }
    space
        .modules
        .keys()
        .map(|m| {
            let set = &enabled[m.as_str()];
            let gate = if set.contains(&None) {
                None
            } else {
                let names: Vec<&str> = set.iter().flatten().copied().collect();
                Some(predicate(&names))
            };
            (m.clone(), gate)
        })
        .collect()
}

pub fn predicate(names: &[&str]) -> TokenStream {
    match names {
        [one] => quote!(feature = #one),
        many => quote!(any(#(feature = #many),*)),
    }
}
