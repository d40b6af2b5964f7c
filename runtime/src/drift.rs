//! Drift between a response and its declaration, made visible.
//!
//! Decoding is lenient: a missing required field takes its type's default and an unknown field
//! is ignored. Both are found after decoding by comparing the body with the decoded value
//! encoded again: every key the generated types always write (required fields) that the body
//! lacks was filled in, and every key of the body the decoded value does not write back was
//! ignored. This needs nothing from the generated types beyond the `Serialize` they derive, so it
//! costs no generated code, and nothing at all unless someone looks: it runs only when the
//! [`TARGET`] target is enabled at `debug` or [`crate::Config::strict_decoding`] is on.
//!
//! Each path is reported once per response type (array indices aside: `results[0].x` and
//! `results[7].x` are one path), at `debug`, in one event per response listing the paths that
//! are new.

use std::collections::HashSet;
use std::fmt::{self, Write as _};
use std::sync::{Mutex, OnceLock};

use serde::Serialize;
use serde_json::Value;

/// The `tracing` target of drift events: enable `npm_sdk_runtime::drift=debug` to see them.
pub const TARGET: &str = "npm_sdk_runtime::drift";

/// What a response body held beyond, or lacked from, its declared type.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Drift {
    /// JSON paths of required fields the body lacked (decoded to their type's default).
    pub missing: Vec<String>,
    /// JSON paths of keys the declared type does not have (ignored when decoding).
    pub unknown: Vec<String>,
}

impl Drift {
    /// Compares `body` (as decoded, `null` members already dropped) with `decoded` encoded
    /// again. Returns `None` when the value cannot be encoded (then nothing can be said).
    pub(crate) fn find<T: Serialize>(body: &Value, decoded: &T) -> Option<Drift> {
        let written = serde_json::to_value(decoded).ok()?;
        let mut drift = Drift::default();
        let mut path = String::new();
        drift.compare(body, &written, &mut path);
        Some(drift)
    }

    /// Whether the body matched its declaration.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.unknown.is_empty()
    }

    fn compare(&mut self, body: &Value, written: &Value, path: &mut String) {
        match (body, written) {
            (Value::Object(body), Value::Object(written)) => {
                for (key, value) in body {
                    let len = push_key(path, key);
                    match written.get(key) {
                        Some(w) => self.compare(value, w, path),
                        None => self.unknown.push(path.clone()),
                    }
                    path.truncate(len);
                }
                // A required field of a type that is always `null` has nothing to miss.
                for (key, _) in written.iter().filter(|(k, v)| !v.is_null() && !body.contains_key(*k)) {
                    let len = push_key(path, key);
                    self.missing.push(path.clone());
                    path.truncate(len);
                }
            }
            (Value::Array(body), Value::Array(written)) => {
                for (i, (b, w)) in body.iter().zip(written).enumerate() {
                    let len = path.len();
                    let _ = write!(path, "[{i}]");
                    self.compare(b, w, path);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }

    /// The paths not reported before for `type_name` (one per path with indices removed).
    fn unreported(&self, type_name: &'static str) -> Drift {
        static SEEN: OnceLock<Mutex<HashSet<(&'static str, String)>>> = OnceLock::new();
        let mut seen = SEEN.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
        let mut first = |paths: &[String]| -> Vec<String> {
            paths.iter().filter(|p| seen.insert((type_name, without_indices(p)))).cloned().collect()
        };
        Drift { missing: first(&self.missing), unknown: first(&self.unknown) }
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if !self.missing.is_empty() {
            parts.push(format!("required field missing at {}", self.missing.join(", ")));
        }
        if !self.unknown.is_empty() {
            parts.push(format!("unknown field at {}", self.unknown.join(", ")));
        }
        f.write_str(&parts.join("; "))
    }
}

/// Whether someone listens to drift events.
fn listened() -> bool {
    tracing::enabled!(target: TARGET, tracing::Level::DEBUG)
}

/// Whether drift must be looked for: someone listens at `debug`, or strict mode is on.
pub(crate) fn wanted(strict: bool) -> bool {
    strict || listened()
}

/// Emits one `debug` event for the paths of `drift` not reported before for `T`. Nothing is
/// marked as reported while nobody listens.
pub(crate) fn report<T>(drift: &Drift) {
    if drift.is_empty() || !listened() {
        return;
    }
    let type_name = std::any::type_name::<T>();
    let new = drift.unreported(type_name);
    if new.is_empty() {
        return;
    }
    tracing::debug!(
        target: TARGET,
        r#type = type_name,
        missing = ?new.missing,
        unknown = ?new.unknown,
        "response differs from its declaration: {new}"
    );
}

/// `a.b` after `a`; `b` at the root. Returns the length to truncate back to.
fn push_key(path: &mut String, key: &str) -> usize {
    let len = path.len();
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
    len
}

/// `results[].name` for `results[3].name`.
fn without_indices(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push_str("[]");
            }
            ']' => in_index = false,
            _ if in_index => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_and_unknown_keys_are_found_at_any_depth() {
        let body = json!({"a": 1, "extra": true, "list": [{"x": 1}, {"x": 2, "y": 3}]});
        let written = json!({"a": 1, "b": "", "none": null, "list": [{"x": 1, "z": 0}, {"x": 2, "z": 0}]});
        let drift = Drift::find(&body, &written).unwrap();
        assert_eq!(drift.missing, ["list[0].z", "list[1].z", "b"]);
        assert_eq!(drift.unknown, ["extra", "list[1].y"]);
    }

    #[test]
    fn a_path_is_new_once_per_type_whatever_its_indices() {
        struct OnlyHere;
        let drift = Drift { missing: vec!["r[0].a".into(), "r[1].a".into()], unknown: vec!["u".into()] };
        let first = drift.unreported(std::any::type_name::<OnlyHere>());
        assert_eq!(first, Drift { missing: vec!["r[0].a".into()], unknown: vec!["u".into()] });
        assert!(drift.unreported(std::any::type_name::<OnlyHere>()).is_empty());
        assert_eq!(without_indices("a[12].b[0]"), "a[].b[]");
    }
}
