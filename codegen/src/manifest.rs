//! The machine-readable API manifest: every operation with what it sends, and every method that
//! was not generated with the reason. Maintainers review it; tests check coverage with it.

use serde::Serialize;

use crate::diag::Loc;
use crate::ir::call::{ApiCall, CallSegment, ValueRef};
use crate::ir::route::{Body, Guard, Header, PathSegment, Query};
use crate::ir::space::{CallOperation, ClientId, Pagination, SkippedMethod, Space, Ty};

#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub package: String,
    pub operations: Vec<OperationEntry>,
    pub hand_written: Vec<SkippedEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OperationEntry {
    /// Rust path from a root client (`Client.passwords.sessions`), with the root's name first.
    pub client_path: String,
    /// Every path that reaches the client, when several roots share it (both clients' `rbac`).
    pub client_paths: Vec<String>,
    pub client: String,
    pub module: String,
    pub method: String,
    pub rust_method: String,
    pub http_method: String,
    pub url_template: String,
    pub path_fields: Vec<String>,
    pub body: Body,
    pub query: Query,
    pub base_url: Option<String>,
    pub headers: Vec<Header>,
    /// Required-field checks made before sending (`if (!data.x) throw ...` in the JS).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub guards: Vec<Guard>,
    pub request_type: Option<String>,
    pub response_type: String,
    /// Where the cursor goes and where pages hold the next cursor and the items, when the
    /// operation is cursor-paginated (the spec's `[options.pagination]`): it has a `_stream`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// A Stainless call: positional arguments, body and query sources, page class, security
    /// (`body`, `query` and `path_fields` above say `none` and the template's names then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call: Option<CallEntry>,
}

/// A Stainless call and the Rust signature's shape.
#[derive(Debug, Clone, Serialize)]
pub struct CallEntry {
    #[serde(flatten)]
    pub call: ApiCall,
    /// Positional path arguments, in order (JS parameter names).
    pub args: Vec<String>,
    /// The object parameter (JS name), and whether the caller may leave it out.
    pub params: Option<String>,
    pub params_optional: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SkippedEntry {
    pub client: String,
    pub module: String,
    pub method: String,
    pub reason: String,
    pub loc: Loc,
    /// Where the output crate implements it by hand (from the options), if it does.
    pub implemented_by: Option<String>,
}

fn ty_name(space: &Space, ty: &Ty) -> String {
    match ty {
        Ty::Named(id) => space.ty(*id).wire_name.clone(),
        Ty::Boxed(t) => ty_name(space, t),
        Ty::Vec(t) => format!("{}[]", ty_name(space, t)),
        Ty::Map(t) => format!("Record<string, {}>", ty_name(space, t)),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// Every way to reach each client from a root, as dotted field paths (`Client.passwords.sessions`).
fn client_paths(space: &Space) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); space.clients.len()];
    fn walk(space: &Space, id: ClientId, path: String, out: &mut Vec<Vec<String>>, depth: usize) {
        if depth > 16 {
            return;
        }
        out[id.0].push(path.clone());
        for ch in &space.client(id).children {
            walk(space, ch.client, format!("{path}.{}", ch.rust_name), out, depth + 1);
        }
    }
    for root in &space.roots {
        walk(space, *root, space.client(*root).rust_name.clone(), &mut out, 0);
    }
    out
}

pub fn build(space: &Space, package: &str, implemented: &std::collections::BTreeMap<String, String>) -> Manifest {
    let paths = client_paths(space);
    let mut operations = Vec::new();
    let mut hand_written = Vec::new();
    for (i, c) in space.clients.iter().enumerate() {
        let path = paths[i].first().cloned().unwrap_or_else(|| c.rust_name.clone());
        for op in &c.operations {
            let r = &op.route;
            operations.push(OperationEntry {
                client_path: path.clone(),
                client_paths: paths[i].clone(),
                client: c.wire_name.clone(),
                module: c.module.clone(),
                method: op.wire_name.clone(),
                rust_method: op.rust_name.clone(),
                http_method: r.method.clone(),
                url_template: r
                    .path
                    .iter()
                    .map(|s| match s {
                        PathSegment::Literal(l) => l.clone(),
                        PathSegment::Param { field, .. } => format!("{{{field}}}"),
                    })
                    .collect(),
                path_fields: r
                    .path
                    .iter()
                    .filter_map(|s| match s {
                        PathSegment::Param { field, .. } => Some(field.clone()),
                        _ => None,
                    })
                    .collect(),
                body: r.body.clone(),
                query: r.query.clone(),
                base_url: r.base_url.clone(),
                headers: r.headers.clone(),
                guards: r.guards.clone(),
                request_type: op.request.as_ref().map(|(_, t)| ty_name(space, t)),
                response_type: ty_name(space, &op.response),
                call: None,
                pagination: op.pagination.clone(),
            });
        }
        for op in &c.calls {
            operations.push(call_entry(space, c, &path, &paths[i], op));
        }
        for SkippedMethod { name, loc, reason } in &c.skipped {
            hand_written.push(SkippedEntry {
                client: c.wire_name.clone(),
                module: c.module.clone(),
                method: name.clone(),
                reason: reason.clone(),
                loc: loc.clone(),
                implemented_by: implemented.get(&format!("{}#{name}", c.module)).cloned(),
            });
        }
    }
    Manifest { package: package.to_string(), operations, hand_written }
}

fn call_entry(space: &Space, c: &crate::ir::space::ClientDef, path: &str, paths: &[String], op: &CallOperation) -> OperationEntry {
    let name = |v: &ValueRef| match v {
        ValueRef::Arg { param } => param.clone(),
        ValueRef::Field { field, .. } => field.clone(),
    };
    OperationEntry {
        client_path: path.to_string(),
        client_paths: paths.to_vec(),
        client: c.wire_name.clone(),
        module: c.module.clone(),
        method: op.wire_name.clone(),
        rust_method: op.rust_name.clone(),
        http_method: op.call.method.clone(),
        url_template: op
            .call
            .path
            .iter()
            .map(|s| match s {
                CallSegment::Literal(l) => l.clone(),
                CallSegment::Value(v) => format!("{{{}}}", name(v)),
            })
            .collect(),
        path_fields: op.call.path.iter().filter_map(|s| if let CallSegment::Value(v) = s { Some(name(v)) } else { None }).collect(),
        body: Body::None,
        query: Query::None,
        base_url: None,
        headers: Vec::new(),
        guards: Vec::new(),
        request_type: op.params.as_ref().map(|p| ty_name(space, &p.ty)),
        response_type: ty_name(space, &op.response),
        call: Some(CallEntry {
            call: op.call.clone(),
            args: op.args.iter().map(|(js, _)| js.clone()).collect(),
            params: op.params.as_ref().map(|p| p.wire_name.clone()),
            params_optional: op.params.as_ref().is_some_and(|p| p.optional),
        }),
        pagination: None,
    }
}
