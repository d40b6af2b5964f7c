//! The client tree: one struct per client class holding the shared transport and its
//! sub-clients, one `async fn` per API call that builds exactly the request the JS SDK builds.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::features::Gates;
use super::paths::{Paths, ident};
use crate::ir::route::{Body, FieldRef, PathSegment, Query, Route, ValueSource};
use crate::ir::space::*;

pub fn emit_module(space: &Space, paths: &Paths<'_>, gates: &Gates, module: &str) -> TokenStream {
    let mut out = TokenStream::new();
    for c in space.clients.iter().filter(|c| c.module == module) {
        out.extend(emit_client(space, paths, gates, c));
    }
    out
}

fn emit_client(space: &Space, paths: &Paths<'_>, gates: &Gates, c: &ClientDef) -> TokenStream {
    let rt = paths.runtime();
    let name = ident(&c.rust_name);
    let doc = match &c.doc {
        Some(d) => paths.docs(&c.module, Some(d)),
        None => {
            let line = format!(" The `{}` API client.", c.wire_name);
            quote!(#[doc = #line])
        }
    };
    let own_gate = gates.get(&c.module).cloned().flatten();
    let child_cfg = |child: &SubClient| {
        let m = &space.client(child.client).module;
        match gates.get(m).cloned().flatten() {
            Some(g) if Some(&g) != own_gate.as_ref() => quote!(#[cfg(#g)]),
            _ => TokenStream::new(),
        }
    };
    let fields = c.children.iter().map(|ch| {
        let f = ident(&ch.rust_name);
        let ty = paths.client_path(&c.module, ch.client);
        let cfg = child_cfg(ch);
        let d = match &ch.doc {
            Some(d) => paths.docs(&c.module, Some(d)),
            None => {
                let line = format!(" The `{}` calls.", ch.wire_name);
                quote!(#[doc = #line])
            }
        };
        quote!(#cfg #d pub #f: #ty,)
    });
    let inits = c.children.iter().map(|ch| {
        let f = ident(&ch.rust_name);
        let ty = paths.client_path(&c.module, ch.client);
        let cfg = child_cfg(ch);
        quote!(#cfg #f: #ty::from_transport(transport.clone()),)
    });
    let ops = c.operations.iter().map(|op| emit_operation(space, paths, c, op));
    let streams = c.operations.iter().filter_map(|op| super::stream::emit_stream(space, paths, c, op));
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #name {
            transport: #rt::Transport,
            #(#fields)*
        }

        impl #name {
            /// Builds this client and its sub-clients on one shared transport.
            pub fn from_transport(transport: #rt::Transport) -> Self {
                Self { #(#inits)* transport }
            }

            /// The transport every call of this client goes through.
            pub fn transport(&self) -> &#rt::Transport {
                &self.transport
            }

            #(#ops)*
            #(#streams)*
        }
    }
}

pub(super) fn struct_of<'s>(space: &'s Space, ty: &Ty) -> Option<&'s Struct> {
    match ty {
        Ty::Named(id) => match &space.ty(*id).kind {
            TypeKind::Struct(s) => Some(s),
            TypeKind::Alias(inner) => struct_of(space, inner),
            _ => None,
        },
        Ty::Boxed(inner) => struct_of(space, inner),
        _ => None,
    }
}

fn emit_operation(space: &Space, paths: &Paths<'_>, c: &ClientDef, op: &Operation) -> TokenStream {
    let rt = paths.runtime();
    let name = ident(&op.rust_name);
    let route = &op.route;
    let template: String = route
        .path
        .iter()
        .map(|s| match s {
            PathSegment::Literal(l) => l.clone(),
            PathSegment::Param { field, .. } => format!("{{{field}}}"),
        })
        .collect();
    // The template is text from the package: one code span, whatever it holds.
    let route_line = format!(" {}", super::docs::code_span(&format!("{} {template}", route.method)));
    let doc = paths.docs(&c.module, op.doc.as_deref());
    let doc = if doc.is_empty() { quote!(#[doc = #route_line]) } else { quote!(#doc #[doc = ""] #[doc = #route_line]) };
    let mut params = Vec::new();
    let req_struct = op.request.as_ref().and_then(|(_, ty)| struct_of(space, ty));
    let req_ident = op.request.as_ref().map(|(n, _)| ident(n)).unwrap_or_else(|| format_ident!("request"));
    if let Some((_, ty)) = &op.request {
        let ty = paths.ty(&c.module, ty);
        params.push(quote!(#req_ident: &#ty));
    }
    if let Some((n, ty)) = &op.options {
        let n = ident(n);
        let ty = paths.ty(&c.module, ty);
        let option = paths.std(&c.module, "Option");
        params.push(quote!(#n: #option<&#ty>));
    }
    let field = |wire: &str| -> Option<&Field> { req_struct.and_then(|s| s.fields.iter().find(|f| f.wire_name == wire)) };
    let access = |wire: &str| -> TokenStream {
        let f = ident(field(wire).map(|f| f.rust_name.as_str()).unwrap_or(wire));
        quote!(#req_ident.#f)
    };

    let path = path_expr(route, &rt, &|wire| {
        let acc = access(wire);
        match field(wire) {
            Some(Field { optional: true, ty: Ty::String, .. }) => quote!(#acc.as_deref().unwrap_or("undefined")),
            // An enum goes on the wire as its wire string.
            Some(Field { ty: Ty::String, .. }) => quote!(#acc.as_str()),
            Some(Field { optional: false, ty: Ty::Named(id), .. }) if is_string_enum(space, *id) => quote!(#acc.as_str()),
            _ => quote!(&#acc.to_string()),
        }
    });
    let guards = route.guards.iter().filter_map(|g| {
        let falsy = falsy(space, field(&g.field)?, access(&g.field))?;
        let (code, message) = (&g.code, &g.message);
        Some(quote! {
            if #falsy {
                return Err(#rt::Error::Client { code: #code.to_owned(), message: #message.to_owned() });
            }
        })
    });
    let method = http_method(&rt, &route.method);
    let mut calls = Vec::new();
    if let Some(base) = &route.base_url {
        calls.push(quote!(.base_url(#base)));
    }
    let value = |f: &FieldRef| -> TokenStream {
        match &f.source {
            ValueSource::Field(wire) => {
                let acc = access(wire);
                quote!(&#acc)
            }
            ValueSource::Const(s) => quote!(#s),
        }
    };
    match &route.query {
        Query::None | Query::Empty => {}
        Query::Whole => {
            for f in req_struct.map(|s| s.fields.as_slice()).unwrap_or_default() {
                let key = &f.wire_name;
                let fi = ident(&f.rust_name);
                calls.push(quote!(.query(#key, &#req_ident.#fi)));
            }
        }
        Query::Fields { fields } => {
            for f in fields {
                let key = &f.key;
                let v = value(f);
                calls.push(quote!(.query(#key, #v)));
            }
        }
    }
    for h in &route.headers {
        let name = &h.name;
        if let Some(chain) = header_chain(space, op, &h.param, &h.path) {
            calls.push(quote!(.header_if_present(#name, #chain)));
        }
    }
    match &route.body {
        Body::None => {}
        Body::Whole => calls.push(quote!(.json(#req_ident))),
        Body::Empty => calls.push(quote!(.empty_json())),
        Body::Fields { fields } => {
            calls.push(quote!(.empty_json()));
            for f in fields {
                let key = &f.key;
                let v = value(f);
                calls.push(quote!(.json_field(#key, #v)));
            }
        }
        Body::Form { fields } => {
            for f in fields {
                let key = &f.key;
                let v = value(f);
                calls.push(quote!(.form_field(#key, #v)));
            }
        }
    }
    let response = paths.ty(&c.module, &op.response);
    let unused_request = op.request.is_some() && !uses_request(route, req_struct.is_some());
    let allow = unused_request.then(|| quote!(let _ = #req_ident;));
    let deprecation = paths.deprecation(op.doc.as_deref());
    let allow_deprecated = allow_deprecated_uses(paths, op, req_struct);
    let result = paths.std(&c.module, "Result");
    quote! {
        #doc
        #deprecation
        #allow_deprecated
        pub async fn #name(&self, #(#params),*) -> #result<#response, #rt::Error> {
            #allow
            #(#guards)*
            let request = #rt::Request::new(#method, #path) #(#calls)*;
            self.transport.send_checked(request).await
        }
    }
}

fn is_string_enum(space: &Space, id: TypeId) -> bool {
    matches!(space.ty(id).kind, TypeKind::StringEnum { .. })
}

/// `Method::PATCH` for the methods `http` names; any other verb from its bytes (an upper-case
/// token, so this cannot fail, but it is not unwrapped either).
fn http_method(rt: &TokenStream, verb: &str) -> TokenStream {
    const KNOWN: [&str; 9] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE"];
    if KNOWN.contains(&verb) {
        let v = format_ident!("{verb}");
        return quote!(#rt::Method::#v);
    }
    let bytes = proc_macro2::Literal::byte_string(verb.as_bytes());
    quote!(#rt::Method::from_bytes(#bytes).map_err(|e| #rt::Error::Encode(e.to_string()))?)
}

/// When JS's `!value` holds for a required field (absent is impossible): an empty string, `0`,
/// `NaN`, `false`, an empty enum string. Objects and arrays are never falsy.
fn falsy(space: &Space, f: &Field, acc: TokenStream) -> Option<TokenStream> {
    if f.optional {
        return Some(quote!(#acc.is_none()));
    }
    match &f.ty {
        Ty::String => Some(quote!(#acc.is_empty())),
        Ty::Bool => Some(quote!(!#acc)),
        Ty::Integer => Some(quote!(#acc == 0)),
        Ty::Float => Some(quote!(#acc == 0.0 || #acc.is_nan())),
        Ty::Named(id) if is_string_enum(space, *id) => Some(quote!(#acc.as_str().is_empty())),
        _ => None,
    }
}

/// `#[allow(deprecated)]` for an operation that names a deprecated type or reads a deprecated
/// field of its request.
fn allow_deprecated_uses(paths: &Paths<'_>, op: &Operation, req_struct: Option<&Struct>) -> TokenStream {
    let deprecated_field = req_struct.is_some_and(|s| s.fields.iter().any(|f| !paths.deprecation(f.doc.as_deref()).is_empty()));
    if deprecated_field {
        return quote!(#[allow(deprecated)]);
    }
    let named = op.request.iter().chain(&op.options).map(|(_, ty)| ty);
    paths.allow_deprecated_uses(named.chain([&op.response]))
}

fn uses_request(route: &Route, has_struct: bool) -> bool {
    route.path.iter().any(|s| matches!(s, PathSegment::Param { .. }))
        || matches!(route.body, Body::Whole)
        || (has_struct && matches!(route.query, Query::Whole))
        || matches!(&route.body, Body::Fields { fields } | Body::Form { fields } if fields.iter().any(|f| matches!(f.source, ValueSource::Field(_))))
        || matches!(&route.query, Query::Fields { fields } if fields.iter().any(|f| matches!(f.source, ValueSource::Field(_))))
}

/// `"/v1/x"` or `["/v1/users/", &encode(&data.user_id)].concat()` (no `format!`: macro
/// arguments would escape the formatter).
fn path_expr(route: &Route, rt: &TokenStream, arg: &dyn Fn(&str) -> TokenStream) -> TokenStream {
    let mut parts = Vec::new();
    let mut has_param = false;
    for seg in &route.path {
        match seg {
            PathSegment::Literal(s) => parts.push(quote!(#s)),
            PathSegment::Param { field, encoded } => {
                has_param = true;
                let a = arg(field);
                parts.push(if *encoded { quote!(&#rt::encode_path_segment(#a)) } else { a });
            }
        }
    }
    if !has_param {
        let lit: String = route.path.iter().map(|s| match s {
            PathSegment::Literal(l) => l.as_str(),
            PathSegment::Param { .. } => "",
        }).collect();
        quote!(#lit)
    } else {
        quote!([#(#parts),*].concat())
    }
}

/// `options.and_then(|v| v.authorization.as_ref()).and_then(|v| v.session_token.as_deref())`:
/// an `Option<&str>` read along `path` from the options parameter.
fn header_chain(space: &Space, op: &Operation, param: &str, path: &[String]) -> Option<TokenStream> {
    let (name, ty) = op.options.as_ref().filter(|(n, _)| n == param)?;
    let mut expr = {
        let n = ident(name);
        quote!(#n)
    };
    let mut current = ty.clone();
    for (i, hop) in path.iter().enumerate() {
        let s = struct_of(space, &current)?;
        let f = s.fields.iter().find(|f| &f.wire_name == hop)?;
        let fi = ident(&f.rust_name);
        let last = i + 1 == path.len();
        expr = match (last, f.optional) {
            (true, true) if f.ty == Ty::String => quote!(#expr.and_then(|v| v.#fi.as_deref())),
            (true, false) if f.ty == Ty::String => quote!(#expr.map(|v| v.#fi.as_str())),
            (true, _) => return None,
            (false, true) => quote!(#expr.and_then(|v| v.#fi.as_ref())),
            (false, false) => quote!(#expr.map(|v| &v.#fi)),
        };
        current = f.ty.clone();
    }
    Some(expr)
}
