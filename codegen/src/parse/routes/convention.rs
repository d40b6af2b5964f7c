//! Call conventions: how an SDK's methods call its API. Each convention says which calls are
//! API calls and reads a method around its one API call; everything else (finding classes and
//! methods in any JS form, regenerator, `MANUAL` sections) is shared.
//!
//! Stytch's `request(this.fetchConfig, {...})` is [`Stytch`] (`routes/request.rs`), the
//! Stainless `this._client.<verb>(path, {...})` is [`Stainless`] (`routes/stainless.rs`).
//! A new convention is one more module implementing [`Convention`], listed in [`ALL`].

use std::collections::BTreeSet;

use swc_ecma_ast::CallExpr;

use super::classes::{FoundClass, FoundMethod};
use super::modules::{FileCx, FnBody, Index};
use super::{method, stainless};
use crate::ir::route::MethodKind;

pub(crate) trait Convention: Sync {
    /// The name a spec picks it by (`convention = "stainless"`).
    fn name(&self) -> &'static str;

    /// Whether `call` is an API call of this convention.
    fn is_api_call(&self, f: &FileCx<'_>, call: &CallExpr) -> bool;

    /// Reads a method whose body makes exactly one API call, `call`: a [`MethodKind::Route`] or
    /// [`MethodKind::Call`], else why not (which becomes [`MethodKind::NotUnderstood`]).
    fn read(&self, index: &Index<'_>, fi: usize, m: &FoundMethod<'_>, body: FnBody<'_>, call: &CallExpr) -> Result<MethodKind, String>;

    /// `Err(reason)` when the class is not one whose methods are API calls (the client's own
    /// machinery, say): its methods are then hand-written upstream, with that reason.
    fn api_class(&self, _class: &FoundClass<'_>) -> Result<(), String> {
        Ok(())
    }

    /// For a method with no API call: why it is nevertheless not hand-written (it composes
    /// other API calls of the SDK, say), or `None` when it really makes no call. `api_methods`
    /// are the methods of its class that make API calls ([`Convention::api_methods`]).
    fn without_call(&self, _f: &FileCx<'_>, _body: FnBody<'_>, _api_methods: &BTreeSet<String>) -> Option<String> {
        None
    }

    /// The methods of `class` that make API calls, directly or through each other.
    fn api_methods(&self, f: &FileCx<'_>, class: &FoundClass<'_>) -> BTreeSet<String> {
        class.methods.iter().filter(|m| !method::api_calls(f, m.func.body, self.as_dyn()).is_empty()).map(|m| m.name.clone()).collect()
    }

    fn as_dyn(&self) -> &dyn Convention;
}

/// Every convention, the default (Stytch's) first: detection prefers it on a tie.
pub(crate) static ALL: [&dyn Convention; 2] = [&Stytch, &stainless::Stainless];

/// The convention named `name`.
pub(crate) fn by_name(name: &str) -> Option<&'static dyn Convention> {
    ALL.iter().copied().find(|c| c.name() == name)
}

/// The names of every convention, for messages.
pub(crate) fn names() -> String {
    ALL.iter().map(|c| format!("`{}`", c.name())).collect::<Vec<_>>().join(", ")
}

/// Stytch: `request(this.fetchConfig, { method, url, headers, data | dataRaw | params, baseURLType })`.
pub(crate) struct Stytch;

impl Convention for Stytch {
    fn name(&self) -> &'static str {
        "stytch"
    }

    fn is_api_call(&self, f: &FileCx<'_>, call: &CallExpr) -> bool {
        method::is_request_call(f, call)
    }

    fn read(&self, index: &Index<'_>, fi: usize, m: &FoundMethod<'_>, body: FnBody<'_>, call: &CallExpr) -> Result<MethodKind, String> {
        method::analyze_call(index, fi, m, body, call).map(MethodKind::Route)
    }

    fn as_dyn(&self) -> &dyn Convention {
        self
    }
}

/// Which convention a run used, and whether the spec named it or it was detected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConventionChoice {
    pub name: &'static str,
    pub detected: bool,
    /// API calls found with each convention, in `ALL`'s order (when detected).
    pub counts: Vec<(&'static str, usize)>,
}

impl std::fmt::Display for ConventionChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.detected {
            let counts: Vec<String> = self.counts.iter().map(|(n, c)| format!("{n}: {c}")).collect();
            write!(f, "calls read as `{}` (detected; API calls per convention: {})", self.name, counts.join(", "))
        } else {
            write!(f, "calls read as `{}` (from the options)", self.name)
        }
    }
}
