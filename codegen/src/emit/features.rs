//! Per-product Cargo features. Each module belongs to the feature with the longest matching
//! prefix; it is compiled when its own feature, or any feature of a module that needs its
//! types, is enabled. Modules no feature claims, and everything they need, are always compiled.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::ir::space::Space;
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
                Some(Gate::any_of(set.iter().flatten().copied()))
            };
            (m.clone(), gate)
        })
        .collect()
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
}
