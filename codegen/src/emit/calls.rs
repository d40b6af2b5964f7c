//! The client tree of a Stainless SDK: one struct per resource class holding the shared
//! `stainless::ApiClient` and its sub-resources, one `async fn` per API call that sends what the
//! JS method sends (positional path arguments, then the body or query object), and on the
//! package's client class the defaults its JS constructor applies (base URL, environment
//! variables).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::features::Gates;
use super::paths::{Paths, ident};
use crate::ir::call::{ClientDefaults, CursorSource, PageRule, Payload, ValueRef};
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
            let line = format!(" The `{}` API calls.", c.wire_name);
            quote!(#[doc = #line])
        }
    };
    let own_gate = gates.get(&c.module).cloned().flatten();
    let child_cfg = |child: &SubClient| match gates.get(&space.client(child.client).module).cloned().flatten() {
        Some(g) if Some(&g) != own_gate.as_ref() => quote!(#[cfg(#g)]),
        _ => TokenStream::new(),
    };
    let fields = c.children.iter().map(|ch| {
        let (f, ty, cfg) = (ident(&ch.rust_name), paths.client_path(&c.module, ch.client), child_cfg(ch));
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
        let (f, ty, cfg) = (ident(&ch.rust_name), paths.client_path(&c.module, ch.client), child_cfg(ch));
        quote!(#cfg #f: #ty::from_client(client.clone()),)
    });
    let result = paths.std(&c.module, "Result");
    let defaults = space.call_defaults.as_ref().filter(|d| d.class == c.wire_name).map(|d| constructors(&rt, &result, d));
    let calls = c.calls.iter().map(|op| emit_call(space, paths, c, op));
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #name {
            client: #rt::stainless::ApiClient,
            #(#fields)*
        }

        impl #name {
            #defaults

            /// Builds this client and its sub-clients on one shared API client.
            pub fn from_client(client: #rt::stainless::ApiClient) -> Self {
                Self { #(#inits)* client }
            }

            /// The API client every call of this client goes through.
            pub fn client(&self) -> &#rt::stainless::ApiClient {
                &self.client
            }

            #(#calls)*
        }
    }
}

/// `DEFAULTS`, `from_env()` and `new(options)` on the package's client class.
fn constructors(rt: &TokenStream, result: &TokenStream, d: &ClientDefaults) -> TokenStream {
    let (class, url) = (&d.class, &d.base_url);
    let url_env = opt_str(d.base_url_env.as_deref());
    let schemes = d.schemes.iter().map(|s| {
        let (n, o, e) = (&s.name, &s.option, opt_str(s.env.as_deref()));
        quote!(#rt::stainless::Scheme { name: #n, option: #o, env: #e })
    });
    let env_doc = {
        let mut vars: Vec<String> = d.base_url_env.iter().map(|v| format!("`{v}` (base URL)")).collect();
        vars.extend(d.schemes.iter().filter_map(|s| Some(format!("`{}` (`{}`)", s.env.as_ref()?, s.option))));
        format!(" A client configured from the environment as `new {class}()` is: {}.", vars.join(", "))
    };
    let defaults_doc = format!(" What the JS client `{class}` does when constructed: base URL `{url}`, the options' environment variables, the authentication schemes.");
    quote! {
        #[doc = #defaults_doc]
        pub const DEFAULTS: #rt::stainless::Defaults = #rt::stainless::Defaults {
            client: #class,
            base_url: #url,
            base_url_env: #url_env,
            schemes: &[#(#schemes),*],
        };

        #[doc = #env_doc]
        pub fn from_env() -> #result<Self, #rt::Error> {
            Self::new(#rt::stainless::ClientOptions::from_env(Self::DEFAULTS))
        }

        /// A client with these options (start from `ClientOptions::new(Self::DEFAULTS)`).
        pub fn new(options: #rt::stainless::ClientOptions) -> #result<Self, #rt::Error> {
            #rt::stainless::ApiClient::new(options).map(Self::from_client)
        }
    }
}

fn opt_str(v: Option<&str>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

fn struct_of<'s>(space: &'s Space, ty: &Ty) -> Option<&'s Struct> {
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

fn emit_call(space: &Space, paths: &Paths<'_>, c: &ClientDef, op: &CallOperation) -> TokenStream {
    let rt = paths.runtime();
    let call = &op.call;
    let template: String = call
        .path
        .iter()
        .map(|s| match s {
            crate::ir::call::CallSegment::Literal(l) => l.clone(),
            crate::ir::call::CallSegment::Value(ValueRef::Arg { param } | ValueRef::Field { field: param, .. }) => format!("{{{param}}}"),
        })
        .collect();
    let route_line = format!(" {}", super::docs::code_span(&format!("{} {template}", call.method)));
    let doc = paths.docs(&c.module, op.doc.as_deref());
    let doc = if doc.is_empty() { quote!(#[doc = #route_line]) } else { quote!(#doc #[doc = ""] #[doc = #route_line]) };

    let mut params: Vec<TokenStream> = op.args.iter().map(|(_, rust)| {
        let a = ident(rust);
        quote!(#a: &str)
    }).collect();
    let object = op.params.as_ref().map(|p| (ident(&p.rust_name), p));
    if let Some((n, p)) = &object {
        let ty = paths.ty(&c.module, &p.ty);
        let option = paths.std(&c.module, "Option");
        params.push(if p.optional { quote!(#n: #option<&#ty>) } else { quote!(#n: &#ty) });
    }
    let fields = object.as_ref().and_then(|(_, p)| struct_of(space, &p.ty));
    let path = path_expr(&rt, op, fields);
    let method = format_ident!("{}", call.method);
    let headers = call.headers.iter().map(|(n, v)| quote!(.header_if_present(#n, Some(#v))));
    let payloads = [(call.body.as_ref(), quote!(json_body)), (call.query.as_ref(), quote!(query))];
    let payloads: Vec<TokenStream> = payloads.into_iter().filter_map(|(p, f)| Some((p?, f))).map(|(p, f)| {
        let chosen = chosen_fields(&rt, p);
        match &object {
            Some((n, cp)) if cp.optional => quote!(let request = match #n { Some(#n) => #rt::stainless::#f(request, #n, #chosen), None => request };),
            Some((n, _)) => quote!(let request = #rt::stainless::#f(request, #n, #chosen);),
            None => TokenStream::new(),
        }
    }).collect();
    let security = &call.security;
    let item = paths.ty(&c.module, &op.response);
    let (response, send) = match &op.page {
        Some(rule) => {
            let rule = page_rule(&rt, rule);
            (quote!(#rt::stainless::Page<#item>), quote! {
                static PAGE: #rt::stainless::PageRule = #rule;
                self.client.page(request, &[#(#security),*], &PAGE).await
            })
        }
        None => (item, quote!(self.client.send(request, &[#(#security),*]).await)),
    };
    let fn_name = ident(&op.rust_name);
    let deprecation = paths.deprecation(op.doc.as_deref());
    let allow = paths.allow_deprecated_uses(op.params.iter().map(|p| &p.ty).chain([&op.response]));
    let result = paths.std(&c.module, "Result");
    quote! {
        #doc
        #deprecation
        #allow
        pub async fn #fn_name(&self, #(#params),*) -> #result<#response, #rt::Error> {
            let request = #rt::Request::new(#rt::Method::#method, #path) #(#headers)*;
            #(#payloads)*
            #send
        }
    }
}

fn chosen_fields(rt: &TokenStream, p: &Payload) -> TokenStream {
    match p {
        Payload::Object { without, .. } if without.is_empty() => quote!(#rt::stainless::Fields::All),
        Payload::Object { without, .. } => quote!(#rt::stainless::Fields::Without(&[#(#without),*])),
        Payload::Fields { fields, .. } => quote!(#rt::stainless::Fields::Only(&[#(#fields),*])),
    }
}

/// `"/batches"` or `["/batches/", &encode_path(batch_id)].concat()`.
fn path_expr(rt: &TokenStream, op: &CallOperation, fields: Option<&Struct>) -> TokenStream {
    use crate::ir::call::CallSegment;
    if op.call.path.iter().all(|s| matches!(s, CallSegment::Literal(_))) {
        let lit: String = op.call.path.iter().map(|s| if let CallSegment::Literal(l) = s { l.as_str() } else { "" }).collect();
        return quote!(#lit);
    }
    let parts = op.call.path.iter().map(|s| match s {
        CallSegment::Literal(l) => quote!(#l),
        CallSegment::Value(ValueRef::Arg { param }) => {
            let rust = op.args.iter().find(|(js, _)| js == param).map_or(param.as_str(), |(_, r)| r.as_str());
            let a = ident(rust);
            quote!(&#rt::stainless::encode_path(#a))
        }
        CallSegment::Value(ValueRef::Field { field, .. }) => {
            let obj = ident(op.params.as_ref().map_or("params", |p| p.rust_name.as_str()));
            let f = ident(fields.and_then(|s| s.fields.iter().find(|f| &f.wire_name == field)).map_or(field.as_str(), |f| f.rust_name.as_str()));
            quote!(&#rt::stainless::encode_path(&#obj.#f))
        }
    });
    quote!([#(#parts),*].concat())
}

fn page_rule(rt: &TokenStream, rule: &PageRule) -> TokenStream {
    let items = &rule.items;
    let has_more = opt_str(rule.has_more.as_deref());
    let cursor = match &rule.cursor {
        None => quote!(None),
        Some(c) => {
            let q = &c.query;
            let from = match &c.from {
                CursorSource::LastItem(f) => quote!(#rt::stainless::CursorFrom::LastItem(#f)),
                CursorSource::Response(f) => quote!(#rt::stainless::CursorFrom::Response(#f)),
            };
            quote!(Some(#rt::stainless::Cursor { from: #from, query: #q }))
        }
    };
    quote!(#rt::stainless::PageRule { items: #items, has_more: #has_more, cursor: #cursor })
}
