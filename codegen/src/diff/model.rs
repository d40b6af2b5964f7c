//! One side of a diff, keyed by what stays stable across versions (module and wire names), with
//! every type expression printed as its Rust type, so two versions compare as strings.

use std::collections::{BTreeMap, BTreeSet};

use crate::diff::Position;
use crate::ir::route::{Body, FieldRef, PathSegment, Query, ValueSource};
use crate::ir::space::{ClientId, Space, Ty, TypeId, TypeKind};
use crate::manifest::Manifest;

/// A type's key: module, wire name, and which occurrence of that pair (inline types can share
/// a wire name within a module).
pub(crate) type TypeKey = (String, String, usize);
/// An operation's key: its client's module and wire name, and its own wire name.
pub(crate) type OpKey = (String, String, String);
/// A hand-written method: module, client wire name, method wire name.
pub(crate) type HandKey = (String, String, String);
/// A client: module, wire name, Rust name.
pub(crate) type ClientKey = (String, String, String);

pub(crate) struct Api {
    pub(crate) types: BTreeMap<TypeKey, TypeView>,
    pub(crate) ops: BTreeMap<OpKey, OpView>,
    /// Every path that reaches a client from a root, to the client (module, wire name, Rust name).
    pub(crate) clients: BTreeMap<String, ClientKey>,
    /// Hand-written methods, (module, client, method) to where the crate implements it.
    pub(crate) hand_written: BTreeMap<HandKey, Option<String>>,
}

pub(crate) struct TypeView {
    pub(crate) rust_path: String,
    pub(crate) rust_name: String,
    pub(crate) doc: Option<String>,
    /// Whether the struct derives `Default` (a struct built by constructor does not).
    pub(crate) default: bool,
    /// Whether the struct is built with `new` and setters (`emit::construct`).
    pub(crate) constructed: bool,
    pub(crate) position: Position,
    pub(crate) shape: Shape,
}

pub(crate) enum Shape {
    Struct { fields: BTreeMap<String, FieldView> },
    /// Values by wire name, with their Rust variant names.
    StringEnum { values: BTreeMap<String, String> },
    /// Variants by tag value (tagged) or by Rust type (untagged), with their Rust names.
    Union { tagged: bool, variants: BTreeMap<String, String> },
    Alias { target: String },
}

impl Shape {
    pub(crate) fn label(&self) -> &'static str {
        match self {
            Shape::Struct { .. } => "struct",
            Shape::StringEnum { .. } => "string enum",
            Shape::Union { tagged: true, .. } => "tagged union",
            Shape::Union { tagged: false, .. } => "untagged union",
            Shape::Alias { .. } => "type alias",
        }
    }
}

pub(crate) struct FieldView {
    pub(crate) rust_name: String,
    /// The Rust type without `Option`.
    pub(crate) ty: String,
    pub(crate) optional: bool,
    pub(crate) doc: Option<String>,
}

pub(crate) struct OpView {
    pub(crate) module: String,
    /// `B2BClient.discovery.organizations.create`.
    pub(crate) path: String,
    pub(crate) rust_name: String,
    pub(crate) doc: Option<String>,
    pub(crate) request: Option<String>,
    pub(crate) options: Option<String>,
    pub(crate) response: String,
    /// Each aspect of what goes on the wire, printed (`HTTP method` -> `POST`).
    pub(crate) wire: BTreeMap<&'static str, String>,
}

impl Api {
    pub(crate) fn build(space: &Space, manifest: &Manifest) -> Api {
        let positions = positions(space);
        let construction = crate::emit::construct::Construction::new(space);
        let mut types = BTreeMap::new();
        let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (i, t) in space.types.iter().enumerate() {
            let n = seen.entry((t.module.clone(), t.wire_name.clone())).or_default();
            let key = (t.module.clone(), t.wire_name.clone(), *n);
            *n += 1;
            let position = positions.get(&TypeId(i)).copied().unwrap_or_default();
            types.insert(key, type_view(space, TypeId(i), position, &construction));
        }
        let paths = client_paths(space);
        let mut clients = BTreeMap::new();
        for (i, c) in space.clients.iter().enumerate() {
            for path in &paths[i] {
                clients.insert(path.clone(), (c.module.clone(), c.wire_name.clone(), c.rust_name.clone()));
            }
        }
        let mut ops = BTreeMap::new();
        for (i, c) in space.clients.iter().enumerate() {
            let base = paths[i].iter().next().cloned().unwrap_or_else(|| c.rust_name.clone());
            for op in &c.operations {
                let view = OpView {
                    module: c.module.clone(),
                    path: format!("{base}.{}", op.rust_name),
                    rust_name: op.rust_name.clone(),
                    doc: op.doc.clone(),
                    request: op.request.as_ref().map(|(_, t)| rust_ty(space, t)),
                    options: op.options.as_ref().map(|(_, t)| rust_ty(space, t)),
                    response: rust_ty(space, &op.response),
                    wire: wire(&op.route),
                };
                ops.insert((c.module.clone(), c.wire_name.clone(), op.wire_name.clone()), view);
            }
        }
        let hand_written = manifest
            .hand_written
            .iter()
            .map(|h| ((h.module.clone(), h.client.clone(), h.method.clone()), h.implemented_by.clone()))
            .collect();
        Api { types, ops, clients, hand_written }
    }
}

fn type_view(space: &Space, id: TypeId, position: Position, construction: &crate::emit::construct::Construction) -> TypeView {
    let t = space.ty(id);
    let shape = match &t.kind {
        TypeKind::Struct(s) => {
            let mut fields: BTreeMap<String, FieldView> = s
                .fields
                .iter()
                .map(|f| {
                    let view = FieldView { rust_name: f.rust_name.clone(), ty: rust_ty(space, &f.ty), optional: f.optional, doc: f.doc.clone() };
                    (f.wire_name.clone(), view)
                })
                .collect();
            if let Some(extra) = &s.additional {
                let view = FieldView { rust_name: "additional_properties".into(), ty: format!("BTreeMap<String, {}>", rust_ty(space, extra)), optional: false, doc: None };
                fields.insert("[key: string]".into(), view);
            }
            Shape::Struct { fields }
        }
        TypeKind::StringEnum { variants, .. } => {
            Shape::StringEnum { values: variants.iter().map(|v| (v.wire_name.clone(), v.rust_name.clone())).collect() }
        }
        TypeKind::Tagged { variants, .. } => {
            Shape::Union { tagged: true, variants: variants.iter().map(|v| (v.tag_value.clone(), v.rust_name.clone())).collect() }
        }
        TypeKind::Untagged { variants } => {
            Shape::Union { tagged: false, variants: variants.iter().map(|v| (rust_ty(space, &v.ty), v.rust_name.clone())).collect() }
        }
        TypeKind::Alias(ty) => Shape::Alias { target: rust_ty(space, ty) },
    };
    TypeView { rust_path: type_path(space, id), rust_name: t.rust_name.clone(), doc: t.doc.clone(), default: construction.derives(id), constructed: construction.built(id), position, shape }
}

/// `b2b::discovery::B2BDiscoveryOrganizationsCreateResponse`: the path from the crate root.
fn type_path(space: &Space, id: TypeId) -> String {
    let t = space.ty(id);
    let mut segs: Vec<&str> = space.modules.get(&t.module).map(|m| m.rust_path.iter().map(String::as_str).collect()).unwrap_or_default();
    segs.push(&t.rust_name);
    segs.join("::")
}

/// The Rust type, named types by their full path (two types of one name in two modules differ).
pub(crate) fn rust_ty(space: &Space, ty: &Ty) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Bool => "bool".into(),
        Ty::Integer => "i64".into(),
        Ty::Float => "f64".into(),
        Ty::Json => "serde_json::Value".into(),
        Ty::Unit => "()".into(),
        Ty::Vec(t) => format!("Vec<{}>", rust_ty(space, t)),
        Ty::Map(t) => format!("BTreeMap<String, {}>", rust_ty(space, t)),
        Ty::Tuple(ts) => format!("({})", ts.iter().map(|t| rust_ty(space, t)).collect::<Vec<_>>().join(", ")),
        Ty::Named(id) => type_path(space, *id),
        Ty::Boxed(t) => format!("Box<{}>", rust_ty(space, t)),
    }
}

/// Which types each operation's request (and options) and response reach.
fn positions(space: &Space) -> BTreeMap<TypeId, Position> {
    let mut out: BTreeMap<TypeId, Position> = BTreeMap::new();
    for op in space.clients.iter().flat_map(|c| &c.operations) {
        for (_, ty) in op.request.iter().chain(&op.options) {
            for id in space.reachable(vec![ty.clone()]) {
                out.entry(id).or_default().request = true;
            }
        }
        for id in space.reachable(vec![op.response.clone()]) {
            out.entry(id).or_default().response = true;
        }
    }
    out
}

/// Every path that reaches each client from a root (`B2BClient.discovery.organizations`).
fn client_paths(space: &Space) -> Vec<BTreeSet<String>> {
    let mut out = vec![BTreeSet::new(); space.clients.len()];
    let mut stack: Vec<(ClientId, String, usize)> = space.roots.iter().map(|r| (*r, space.client(*r).rust_name.clone(), 0)).collect();
    while let Some((id, path, depth)) = stack.pop() {
        // A client that holds itself would loop; real trees are a few levels deep.
        if depth > 16 || !out[id.0].insert(path.clone()) {
            continue;
        }
        for ch in &space.client(id).children {
            stack.push((ch.client, format!("{path}.{}", ch.rust_name), depth + 1));
        }
    }
    out
}

/// Each aspect of a route, printed for comparison and for the report.
fn wire(route: &crate::ir::route::Route) -> BTreeMap<&'static str, String> {
    let template: String = route
        .path
        .iter()
        .map(|s| match s {
            PathSegment::Literal(l) => l.clone(),
            PathSegment::Param { field, encoded: true } => format!("{{{field}}}"),
            PathSegment::Param { field, encoded: false } => format!("{{{field} (not encoded)}}"),
        })
        .collect();
    let (body_kind, body_fields) = match &route.body {
        Body::None => ("none", String::new()),
        Body::Whole => ("JSON (whole request)", String::new()),
        Body::Empty => ("JSON `{}`", String::new()),
        Body::Fields { fields } => ("JSON (some fields)", refs(fields)),
        Body::Form { fields } => ("form", refs(fields)),
    };
    let query = match &route.query {
        Query::None => "none".to_string(),
        Query::Empty => "empty".to_string(),
        Query::Whole => "whole request".to_string(),
        Query::Fields { fields } => refs(fields),
    };
    let headers = route.headers.iter().map(|h| format!("{} from {}.{}", h.name, h.param, h.path.join("."))).collect::<Vec<_>>().join(", ");
    BTreeMap::from([
        ("HTTP method", route.method.clone()),
        ("path template", template),
        ("body", body_kind.to_string()),
        ("body fields", body_fields),
        ("query", query),
        ("headers", headers),
        ("base URL", route.base_url.clone().unwrap_or_else(|| "default".into())),
    ])
}

fn refs(fields: &[FieldRef]) -> String {
    fields
        .iter()
        .map(|f| match &f.source {
            ValueSource::Field(name) if *name == f.key => f.key.clone(),
            ValueSource::Field(name) => format!("{}={name}", f.key),
            ValueSource::Const(value) => format!("{}={value:?}", f.key),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
