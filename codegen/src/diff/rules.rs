//! The semver rules, one function per decision, each with its reason. The README's "Semver
//! rules" section states the same rules; `diff::tests` checks each one.

use crate::diff::{Class, Position};

/// Whether the generated string enums and unions are `#[non_exhaustive]`. They are not
/// (`emit::types`), so a new variant breaks an exhaustive `match`, and the catch-all
/// (`Other(String)`) makes exhaustive matches the natural way to consume them: a `_ =>` arm
/// beside every variant and `Other` is an unreachable pattern. A unit test checks this constant
/// against what the emitter writes.
pub(crate) const ENUMS_NON_EXHAUSTIVE: bool = false;

pub(crate) type Rule = (Class, &'static str);

/// A type no operation reaches is public all the same: it counts as both request and response.
fn in_request(p: Position) -> bool {
    p.request || !p.response
}

fn in_response(p: Position) -> bool {
    p.response || !p.request
}

/// A new field in a struct. `constructed`: the struct is built with `new` and setters
/// (`emit::construct`), `#[non_exhaustive]`, so a new optional field is one more setter.
pub(crate) fn field_added(position: Position, optional: bool, has_default: bool, constructed: bool) -> Rule {
    if !position.request && !position.response && !optional {
        return (Class::Breaking, "new required field of a type no operation reaches (counted as a request type)");
    }
    if constructed && optional {
        return (Class::Additive, "new optional field of a struct built with `new`: one more setter, no struct literal to break");
    }
    match (in_request(position), optional, has_default) {
        (true, false, _) => (Class::Breaking, "new required request field: every caller must set it"),
        (true, true, false) => (Class::Breaking, "new request field in a struct without `Default`: struct literals stop compiling"),
        (true, true, true) => (Class::Additive, "new optional request field: requests are built with `..Default::default()`"),
        (false, ..) => (Class::Additive, "new response field: responses are read, not built"),
    }
}

/// A value added to a string enum, or a variant to a union.
pub(crate) fn variant_added(position: Position) -> Rule {
    if ENUMS_NON_EXHAUSTIVE {
        (Class::Additive, "new variant of a `#[non_exhaustive]` enum")
    } else if in_response(position) {
        (Class::Breaking, "new variant in a response enum: an exhaustive `match` stops compiling")
    } else {
        (Class::Additive, "new variant in a request-only enum: callers build values, they do not match on them")
    }
}

pub(crate) fn removed(what: &'static str) -> Rule {
    match what {
        "operation" => (Class::Breaking, "callers of the method stop compiling"),
        "client" => (Class::Breaking, "code using this client path stops compiling"),
        "value" => (Class::Breaking, "code naming the variant stops compiling"),
        _ => (Class::Breaking, "code naming it stops compiling"),
    }
}

pub(crate) fn added(what: &'static str) -> Rule {
    match what {
        "operation" => (Class::Additive, "new method"),
        "client" => (Class::Additive, "new client path"),
        _ => (Class::Additive, "new type"),
    }
}

/// A field's Rust type changed, optionality included (`Option<T>` <-> `T`).
pub(crate) fn type_changed() -> Rule {
    (Class::Breaking, "the Rust type changed: code reading or building it stops compiling")
}

pub(crate) fn renamed() -> Rule {
    (Class::Breaking, "the Rust name changed: code naming it stops compiling")
}

pub(crate) fn default_removed() -> Rule {
    (Class::Breaking, "`..Default::default()` and `Default::default()` stop compiling")
}

pub(crate) fn default_added() -> Rule {
    (Class::Additive, "the type can now be built with `..Default::default()`")
}

pub(crate) fn signature_changed() -> Rule {
    (Class::Breaking, "the method's Rust signature changed")
}

pub(crate) fn wire_changed() -> Rule {
    (Class::Additive, "same Rust signature, the request follows the new upstream SDK")
}

/// Hand-written methods are not generated: they change nothing in the generated API, but
/// `ext/` and `[options.implemented]` may have to follow.
pub(crate) fn hand_written() -> Rule {
    (Class::Additive, "not generated: check `ext/` and `[options.implemented]`")
}

pub(crate) fn doc() -> Rule {
    (Class::DocOnly, "doc comment only")
}
