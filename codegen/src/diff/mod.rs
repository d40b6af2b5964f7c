//! A semantic diff of two generated APIs, computed from the resolved model (types, client tree,
//! operations, hand-written methods), never from text: what changed for a user of the generated
//! Rust crate, each change classified for the crate's semver.
//!
//! Items are matched across versions by module and wire (TypeScript) name; changes are reported
//! with the Rust path of the item in the generated crate. The classification rules are written
//! down in the README ("Semver rules of `codegen diff`"); [`Class`] and [`Kind`] document them
//! per change.
//!
//! ```no_run
//! # fn run(old: &npm_sdk_codegen::Generated, new: &npm_sdk_codegen::Generated) {
//! let diff = npm_sdk_codegen::diff::diff(old, new);
//! println!("{}", diff.markdown());
//! let next = npm_sdk_codegen::diff::next_version("0.3.1", diff.worst());
//! # }
//! ```

mod compare;
mod model;
mod render;
mod rules;
#[cfg(feature = "cli")]
pub mod source;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Generated;

/// What a change means for the generated crate's semver, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Code that compiled against the old crate may not compile (or may send a request the
    /// API rejects): a major release (`0.x`: minor).
    Breaking,
    /// New API or changed wire behaviour behind an unchanged Rust API: a minor release
    /// (`0.x`: patch).
    Additive,
    /// Only doc comments changed: a patch release.
    DocOnly,
}

impl Class {
    pub fn label(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Additive => "additive",
            Class::DocOnly => "doc-only",
        }
    }
}

/// Where a type is used: reachable from an operation's request (or options) parameter, from
/// its response, or both. Neither: no operation reaches it (hand-written methods' types); the
/// rules count it as both, since it is public all the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Position {
    pub request: bool,
    pub response: bool,
}

/// What changed. Types and fields are matched by module and wire name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    OperationAdded,
    OperationRemoved,
    /// The request, options or response type of an operation changed (its Rust signature).
    OperationSignatureChanged,
    /// What an operation sends changed (HTTP method, path template, path/query/body fields,
    /// headers, base URL, form vs JSON) while its Rust signature did not.
    OperationWireChanged,
    /// A method upstream writes by hand (not generated) appeared.
    HandWrittenAdded,
    /// A method upstream writes by hand disappeared (removed, or now generated).
    HandWrittenRemoved,
    /// A client is reachable at a new path (`client.fraud.rules`).
    ClientAdded,
    /// A client path is gone.
    ClientRemoved,
    /// A client is reachable at other paths than before.
    ClientMoved,
    TypeAdded,
    TypeRemoved,
    /// A type became another kind of type (struct, enum, union, alias), or an alias's target
    /// changed.
    TypeChanged,
    /// A struct lost its `Default` implementation (`..Default::default()` stops compiling).
    DefaultRemoved,
    /// A struct gained a `Default` implementation.
    DefaultAdded,
    FieldAdded,
    FieldRemoved,
    /// A field's Rust type changed (beyond optionality).
    FieldTypeChanged,
    /// `Option<T>` became `T`.
    FieldRequired,
    /// `T` became `Option<T>`.
    FieldOptional,
    EnumValueAdded,
    EnumValueRemoved,
    /// A variant of a tagged or untagged union.
    UnionVariantAdded,
    UnionVariantRemoved,
    /// The same wire item has another Rust name (a collision suffix moved, say).
    Renamed,
    DocChanged,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::OperationAdded => "operation added",
            Kind::OperationRemoved => "operation removed",
            Kind::OperationSignatureChanged => "operation signature changed",
            Kind::OperationWireChanged => "operation wire format changed",
            Kind::HandWrittenAdded => "hand-written method added",
            Kind::HandWrittenRemoved => "hand-written method removed",
            Kind::ClientAdded => "client added",
            Kind::ClientRemoved => "client removed",
            Kind::ClientMoved => "client moved",
            Kind::TypeAdded => "type added",
            Kind::TypeRemoved => "type removed",
            Kind::TypeChanged => "type changed",
            Kind::DefaultRemoved => "`Default` removed",
            Kind::DefaultAdded => "`Default` added",
            Kind::FieldAdded => "field added",
            Kind::FieldRemoved => "field removed",
            Kind::FieldTypeChanged => "field type changed",
            Kind::FieldRequired => "field optional → required",
            Kind::FieldOptional => "field required → optional",
            Kind::EnumValueAdded => "enum value added",
            Kind::EnumValueRemoved => "enum value removed",
            Kind::UnionVariantAdded => "union variant added",
            Kind::UnionVariantRemoved => "union variant removed",
            Kind::Renamed => "Rust name changed",
            Kind::DocChanged => "doc comment changed",
        }
    }
}

/// One change of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub class: Class,
    pub kind: Kind,
    /// First segment of the module path (`b2b`, `b2c`, `shared`): the product it belongs to.
    pub product: String,
    /// The upstream module path (`b2b/discovery`).
    pub module: String,
    /// Where it is in the generated crate: a Rust path from the crate root for types, fields
    /// and enum values (`b2b::discovery::B2BDiscoveryOrganizationsCreateResponse::organization`),
    /// a field path from the root client for clients and operations (`B2BClient.discovery.organizations.create`).
    pub path: String,
    /// Where the type is used (types, fields, values and variants only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// What it was (a Rust type, a route, a value), when that says something.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// What it is now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// Why it has its class, in a few words.
    pub why: String,
}

/// Counts per class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub breaking: usize,
    pub additive: usize,
    pub doc_only: usize,
}

impl Counts {
    fn add(&mut self, class: Class) {
        match class {
            Class::Breaking => self.breaking += 1,
            Class::Additive => self.additive += 1,
            Class::DocOnly => self.doc_only += 1,
        }
    }
}

/// The diff of two APIs.
#[derive(Debug, Clone, Serialize)]
pub struct ApiDiff {
    /// Format version of this JSON document.
    pub schema: u32,
    /// `name@version` of the old package.
    pub old: String,
    /// `name@version` of the new package.
    pub new: String,
    /// The worst class of all changes, `null` when nothing changed.
    pub worst: Option<Class>,
    pub totals: Counts,
    /// Counts per kind (keys: [`Kind`] in snake case).
    pub by_kind: BTreeMap<Kind, Counts>,
    /// Every change, worst class first, then by product, module, path.
    pub changes: Vec<Change>,
}

/// The version of the JSON document's format ([`ApiDiff::schema`]).
pub const SCHEMA_VERSION: u32 = 1;

/// Compares two generation results.
pub fn diff(old: &Generated, new: &Generated) -> ApiDiff {
    let old_view = model::Api::build(&old.space, &old.manifest);
    let new_view = model::Api::build(&new.space, &new.manifest);
    let mut changes = compare::compare(&old_view, &new_view);
    changes.sort_by(|a, b| {
        (a.class, &a.product, &a.module, &a.path, a.kind, &a.new).cmp(&(b.class, &b.product, &b.module, &b.path, b.kind, &b.new))
    });
    let mut totals = Counts::default();
    let mut by_kind: BTreeMap<Kind, Counts> = BTreeMap::new();
    for c in &changes {
        totals.add(c.class);
        by_kind.entry(c.kind).or_default().add(c.class);
    }
    ApiDiff {
        schema: SCHEMA_VERSION,
        old: old.manifest.package.clone(),
        new: new.manifest.package.clone(),
        worst: changes.iter().map(|c| c.class).min(),
        totals,
        by_kind,
        changes,
    }
}

impl ApiDiff {
    /// The worst class of all changes; `None` when the APIs are the same.
    pub fn worst(&self) -> Option<Class> {
        self.worst
    }

    /// Markdown for a pull request or a CHANGELOG entry: a summary table, then the changes,
    /// breaking first, grouped by product, with Rust paths.
    pub fn markdown(&self) -> String {
        render::markdown(self)
    }

    /// Only the summary table of [`ApiDiff::markdown`].
    pub fn summary_markdown(&self) -> String {
        render::summary(self)
    }
}

/// The crate version that follows `current` given the worst change (semver; on `0.x` a
/// breaking change bumps the minor version and anything else the patch, on `0.0.x` every
/// change bumps the patch). `None` (no API change) still bumps the patch: the upstream
/// version moved. Pre-release and build suffixes are dropped.
pub fn next_version(current: &str, worst: Option<Class>) -> Result<String, String> {
    let core = current.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<u64> = core.split('.').map(str::parse).collect::<Result<_, _>>().map_err(|_| format!("`{current}` is not a semver version"))?;
    let [major, minor, patch] = parts[..] else { return Err(format!("`{current}` is not a semver version (x.y.z)")) };
    let bump = match (major, minor, worst) {
        (0, 0, _) => [0, 0, patch + 1],
        (0, _, Some(Class::Breaking)) => [0, minor + 1, 0],
        (0, _, _) => [0, minor, patch + 1],
        (_, _, Some(Class::Breaking)) => [major + 1, 0, 0],
        (_, _, Some(Class::Additive)) => [major, minor + 1, 0],
        (_, _, _) => [major, minor, patch + 1],
    };
    Ok(format!("{}.{}.{}", bump[0], bump[1], bump[2]))
}

#[cfg(test)]
mod tests;
