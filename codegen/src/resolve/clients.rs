//! The client tree: `.d.ts` classes whose methods are API calls, joined with the routes the
//! compiled JS gives for the same class and method. The JS decides what is sent; the
//! declarations decide the Rust types.

use std::collections::{BTreeMap, BTreeSet};

use super::names::{Namer, Scope};
use super::scope::{Found, Modules, Sym, Want};
use super::types::Lowerer;
use super::JsLocator;
use super::calls;
use crate::diag::Diagnostic;
use crate::ir::decl::{Class, DeclKind, Method, TypeExpr};
use crate::ir::call::PageRule;
use crate::ir::route::{Body, JsClass, JsModule, MethodKind, PathSegment, Query, ValueSource};
use crate::ir::space::*;
use crate::parse::jsdoc;

pub struct Built {
    pub clients: Vec<ClientDef>,
    pub roots: Vec<ClientId>,
    pub diags: Vec<Diagnostic>,
}

/// `entry` is the module path of the package's declared entry point: the classes it exports by
/// name (`export { Client, B2BClient }`) are clients even when all their calls are hand-written.
pub fn build(graph: &Modules<'_>, js: &[JsModule], locate: &dyn JsLocator, entry: &str, namer: &Namer, lw: &mut Lowerer<'_>) -> Built {
    let js_classes: BTreeMap<(&str, &str), &JsClass> =
        js.iter().flat_map(|m| m.classes.iter().map(move |c| ((m.file.as_str(), c.name.as_str()), c))).collect();
    let mut diags = Vec::new();
    let pages: BTreeMap<&str, &PageRule> = js.iter().flat_map(|m| m.pages.iter().map(|p| (p.class.as_str(), p))).collect();

    // Every class declaration with its JS counterpart.
    let mut classes: Vec<(Sym, &Class, Option<&JsClass>)> = Vec::new();
    for (mi, m) in graph.mods.iter().enumerate() {
        for (di, d) in m.decls.iter().enumerate() {
            if let DeclKind::Class(c) = &d.kind {
                let file = locate.js_file(&m.path);
                classes.push((Sym { module: mi, decl: di }, c, js_classes.get(&(file.as_str(), d.name.as_str())).copied()));
            }
        }
    }
    let child_syms = |c: &Class, module: usize| -> Vec<(usize, Sym)> {
        c.fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| match &f.ty {
                TypeExpr::Ref { name, args, .. } if args.is_empty() => match graph.lookup(module, name, Want::Class) {
                    Some(Found::Decl(s)) if matches!(graph.mods[s.module].decls[s.decl].kind, DeclKind::Class(_)) => Some((i, s)),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    };

    // A class is a client when its JS has a request call, or when it holds a client.
    let mut is_client: BTreeSet<Sym> = classes
        .iter()
        .filter(|(_, _, j)| j.is_some_and(|j| j.methods.iter().any(|m| matches!(m.kind, MethodKind::Route(_) | MethodKind::Call(_)))))
        .map(|(s, _, _)| *s)
        .collect();
    if let Some(e) = graph.index_of(entry) {
        for export in &graph.mods[e].exports {
            if let crate::ir::decl::Export::Named { exported, .. } = export
                && let Some(Found::Decl(sym)) = graph.lookup_export(e, exported, Want::Class, 0)
                && matches!(graph.mods[sym.module].decls[sym.decl].kind, DeclKind::Class(_))
            {
                is_client.insert(sym);
            }
        }
    }
    loop {
        let before = is_client.len();
        for (sym, c, _) in &classes {
            let children = child_syms(c, sym.module);
            if children.iter().any(|(_, s)| is_client.contains(s)) {
                is_client.insert(*sym);
            }
            if is_client.contains(sym) {
                is_client.extend(children.iter().map(|(_, s)| *s));
            }
        }
        if is_client.len() == before {
            break;
        }
    }

    let mut ids: BTreeMap<Sym, ClientId> = BTreeMap::new();
    let mut clients = Vec::new();
    for (sym, _, _) in &classes {
        let d = &graph.mods[sym.module].decls[sym.decl];
        if !is_client.contains(sym) {
            diags.push(Diagnostic::warning(d.loc.clone(), format!("class `{}` makes no API calls: not emitted", d.name)));
            continue;
        }
        // A class sharing its name with a type of the same module (`ConnectedApp`) gets a suffix.
        let scope = lw.scopes.entry(sym.module).or_default();
        let camel = namer.camel(&d.name);
        let rust_name = if scope.contains(&camel) { scope.unique(format!("{camel}Client")) } else { scope.unique(camel) };
        ids.insert(*sym, ClientId(clients.len()));
        clients.push(ClientDef {
            module: graph.mods[sym.module].path.clone(),
            wire_name: d.name.clone(),
            rust_name,
            doc: d.doc.clone(),
            loc: d.loc.clone(),
            children: Vec::new(),
            operations: Vec::new(),
            calls: Vec::new(),
            skipped: Vec::new(),
        });
    }

    let mut referenced = BTreeSet::new();
    for (sym, c, jsc) in &classes {
        let Some(&id) = ids.get(sym) else { continue };
        let mut scope = Scope::default();
        let mut children = Vec::new();
        for (fi, child) in child_syms(c, sym.module) {
            if let Some(&cid) = ids.get(&child) {
                let f = &c.fields[fi];
                referenced.insert(cid);
                children.push(SubClient { wire_name: f.name.clone(), rust_name: scope.unique(namer.snake(&f.name)), client: cid, doc: f.doc.clone() });
            }
        }
        let mut operations = Vec::new();
        let mut calls = Vec::new();
        let mut skipped = Vec::new();
        let mut seen = BTreeSet::new();
        for m in &c.methods {
            // Overloads (Stainless declares the streaming variants of a method so) share one
            // JS body: the first declaration is the one generated.
            if !seen.insert(m.name.as_str()) {
                diags.push(Diagnostic::warning(m.loc.clone(), format!("overload of `{}.{}` not generated: the first declaration is", c_name(graph, *sym), m.name)));
                continue;
            }
            let js_method = jsc.and_then(|j| j.methods.iter().find(|jm| jm.name == m.name));
            let Some(js_method) = js_method else {
                skipped.push(SkippedMethod { name: m.name.clone(), loc: m.loc.clone(), reason: "no implementation found in the compiled JS".into() });
                continue;
            };
            match &js_method.kind {
                MethodKind::HandWritten { reason } => {
                    skipped.push(SkippedMethod { name: m.name.clone(), loc: js_method.loc.clone(), reason: format!("hand-written upstream: {reason}") })
                }
                MethodKind::NotUnderstood { reason } => {
                    skipped.push(SkippedMethod { name: m.name.clone(), loc: js_method.loc.clone(), reason: format!("request not understood: {reason}") })
                }
                MethodKind::Call(call) => match calls::operation(sym.module, m, &js_method.params, call, &pages, namer, lw) {
                    Ok(mut op) => {
                        op.rust_name = scope.unique(op.rust_name);
                        calls.push(op)
                    }
                    Err(reason) => skipped.push(SkippedMethod { name: m.name.clone(), loc: m.loc.clone(), reason }),
                },
                MethodKind::Route(route) => match operation(sym.module, m, &js_method.params, route, namer, lw, &mut diags) {
                    Ok(mut op) => {
                        op.rust_name = scope.unique(op.rust_name);
                        operations.push(op)
                    }
                    Err(reason) => skipped.push(SkippedMethod { name: m.name.clone(), loc: m.loc.clone(), reason }),
                },
            }
        }
        // Members with no data meaning on a client: said once each, where they are.
        for (what, loc) in &c.skipped {
            if what.starts_with("static") || what.starts_with("computed") {
                diags.push(Diagnostic::warning(loc.clone(), format!("{what} of class `{}` is not emitted", c_name(graph, *sym))));
            }
        }
        for s in &skipped {
            diags.push(Diagnostic::warning(s.loc.clone(), format!("method `{}.{}` is not generated: {}", c_name(graph, *sym), s.name, s.reason)));
        }
        let client = &mut clients[id.0];
        client.children = children;
        client.operations = operations;
        client.calls = calls;
        client.skipped = skipped;
    }
    let mut roots: Vec<ClientId> = (0..clients.len()).map(ClientId).filter(|c| !referenced.contains(c)).collect();
    roots.sort_by(|a, b| clients[a.0].rust_name.cmp(&clients[b.0].rust_name).then(clients[a.0].module.cmp(&clients[b.0].module)));
    Built { clients, roots, diags }
}

fn c_name(graph: &Modules<'_>, sym: Sym) -> String {
    graph.mods[sym.module].decls[sym.decl].name.clone()
}

/// Joins one declared method with its route. `Err` says why it cannot be generated.
fn operation(
    module: usize,
    m: &Method,
    js_params: &[String],
    route: &crate::ir::route::Route,
    namer: &Namer,
    lw: &mut Lowerer<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Operation, String> {
    let hint = namer.camel(&m.name);
    let param_ty = |lw: &mut Lowerer<'_>, i: usize| -> Option<Ty> {
        let p = m.params.get(i)?;
        let expr = p.ty.clone().unwrap_or(TypeExpr::Any);
        Some(lw.lower_standalone(module, &expr, format!("{hint}Param{}", i + 1), m.loc.clone()).0)
    };
    let request = match js_params.first() {
        Some(name) if name != "options" => Some((name.clone(), param_ty(lw, 0).ok_or("the request parameter has no declared type")?)),
        _ => None,
    };
    let options = js_params
        .iter()
        .position(|p| p == "options")
        .and_then(|i| param_ty(lw, i).map(|ty| (js_params[i].clone(), ty)));
    let response = response_type(module, m, request.as_ref().map(|r| &r.1), lw, diags)?;

    // Every request field the route reads must exist in the request type.
    let fields = request.as_ref().and_then(|(_, ty)| match ty {
        Ty::Named(id) => match &lw.types[id.0].kind {
            TypeKind::Struct(s) => Some(s.fields.iter().map(|f| f.wire_name.clone()).collect::<BTreeSet<_>>()),
            _ => None,
        },
        _ => None,
    });
    let used = route_fields(route);
    if !used.is_empty() {
        let Some(fields) = fields else {
            return Err("the route reads request fields but the request type is not an object type".into());
        };
        if let Some(missing) = used.iter().find(|f| !fields.contains(*f)) {
            return Err(format!("the route reads `{missing}`, which the request type does not declare"));
        }
    }
    // Every header must be read from a string field along its path in the options type.
    for h in &route.headers {
        let Some((_, ty)) = options.as_ref().filter(|(n, _)| *n == h.param) else {
            return Err(format!("header `{}` is read from `{}`, which the method does not take", h.name, h.param));
        };
        if !string_at(lw, ty, &h.path) {
            return Err(format!("header `{}` reads `{}.{}`, which the options type does not declare as a string", h.name, h.param, h.path.join(".")));
        }
    }
    // A path is never optional on the wire (JS would send `undefined`), nor is a guarded field:
    // an optional one is made required in the request type.
    if let Some((_, ty)) = &request {
        let needed = route.path.iter().filter_map(|s| match s {
            PathSegment::Param { field, .. } => Some((field, "the URL needs it")),
            PathSegment::Literal(_) => None,
        });
        let guarded = route.guards.iter().map(|g| (&g.field, "the JS refuses the request without it"));
        for (field, why) in needed.chain(guarded) {
            if let Some(type_name) = require_field(lw, ty, field) {
                diags.push(Diagnostic::warning(
                    m.loc.clone(),
                    format!("field `{type_name}.{field}` is optional in the declarations but {why} (method `{}`): it is required in Rust", m.name),
                ));
            }
        }
    }
    Ok(Operation {
        wire_name: m.name.clone(),
        rust_name: namer.snake(&m.name),
        doc: m.doc.clone(),
        loc: m.loc.clone(),
        request,
        options,
        response,
        route: route.clone(),
        pagination: None,
    })
}

/// Makes the field `wire` of the struct `ty` required; the struct's name when it was optional.
fn require_field(lw: &mut Lowerer<'_>, ty: &Ty, wire: &str) -> Option<String> {
    let mut ty = ty.clone();
    loop {
        match ty {
            Ty::Named(id) => match &mut lw.types[id.0].kind {
                TypeKind::Struct(s) => {
                    let f = s.fields.iter_mut().find(|f| f.wire_name == wire && f.optional)?;
                    f.optional = false;
                    return Some(lw.types[id.0].wire_name.clone());
                }
                TypeKind::Alias(inner) => ty = inner.clone(),
                _ => return None,
            },
            Ty::Boxed(inner) => ty = *inner,
            _ => return None,
        }
    }
}

/// Whether `path` leads through struct fields of `ty` to a string.
fn string_at(lw: &Lowerer<'_>, ty: &Ty, path: &[String]) -> bool {
    let Some((first, rest)) = path.split_first() else { return *ty == Ty::String };
    let mut ty = ty;
    loop {
        match ty {
            Ty::Named(id) => match &lw.types[id.0].kind {
                TypeKind::Struct(s) => {
                    return s.fields.iter().find(|f| &f.wire_name == first).is_some_and(|f| string_at(lw, &f.ty, rest));
                }
                TypeKind::Alias(inner) => ty = inner,
                _ => return false,
            },
            Ty::Boxed(inner) => ty = inner,
            _ => return false,
        }
    }
}

fn route_fields(route: &crate::ir::route::Route) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for seg in &route.path {
        if let PathSegment::Param { field, .. } = seg {
            out.insert(field.clone());
        }
    }
    let refs = match &route.body {
        Body::Fields { fields } | Body::Form { fields } => fields.as_slice(),
        _ => &[],
    };
    let query = match &route.query {
        Query::Fields { fields } => fields.as_slice(),
        _ => &[],
    };
    for f in refs.iter().chain(query) {
        if let ValueSource::Field(name) = &f.source {
            out.insert(name.clone());
        }
    }
    out.extend(route.guards.iter().map(|g| g.field.clone()));
    out
}

/// The method's declared `Promise<T>`; when the argument was lost (a bare `Promise`), the type
/// named by the JSDoc `@returns {@link T}`, else the request type's name with `Request`
/// replaced by `Response`, with a warning either way.
fn response_type(module: usize, m: &Method, request: Option<&Ty>, lw: &mut Lowerer<'_>, diags: &mut Vec<Diagnostic>) -> Result<Ty, String> {
    match &m.ret {
        Some(TypeExpr::Ref { name, args, .. }) if name == "Promise" && args.len() == 1 => {
            Ok(lw.lower_standalone(module, &args[0], format!("{}Response", m.name), m.loc.clone()).0)
        }
        Some(TypeExpr::Ref { name, args, loc }) if name == "Promise" && args.is_empty() => {
            let from_doc = m.doc.as_deref().map(jsdoc::parse).and_then(|d| d.tag("returns").and_then(|t| jsdoc::first_link(&t.text)).map(str::to_string));
            let from_name = request.and_then(|r| match r {
                Ty::Named(id) => lw.types[id.0].wire_name.strip_suffix("Request").map(|b| format!("{b}Response")),
                _ => None,
            });
            for (candidate, how) in [(from_doc, "its `@returns` tag"), (from_name, "the Request/Response naming convention")] {
                let Some(candidate) = candidate else { continue };
                if let Some(Found::Decl(_)) = lw.modules().lookup(module, &candidate, Want::Type) {
                    let expr = TypeExpr::Ref { name: candidate.clone(), args: vec![], loc: loc.clone() };
                    let ty = lw.lower_standalone(module, &expr, String::new(), loc.clone()).0;
                    diags.push(Diagnostic::warning(
                        loc.clone(),
                        format!("`Promise` without a type argument: the response type `{candidate}` was recovered from {how}"),
                    ));
                    return Ok(ty);
                }
            }
            Err("its return type is a bare `Promise` and no response type could be recovered".into())
        }
        Some(other) => Ok(lw.lower_standalone(module, other, format!("{}Response", m.name), m.loc.clone()).0),
        None => Err("it declares no return type".into()),
    }
}
