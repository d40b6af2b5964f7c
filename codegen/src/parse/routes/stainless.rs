//! The Stainless convention (openai and many other vendors' Node SDKs):
//!
//! ```js
//! retrieve(fileID, params, options) {
//!     const { vector_store_id } = params;                       // optional, any number
//!     return this._client.get((0, path_1.path) `/vector_stores/${vector_store_id}/files/${fileID}`, {
//!         ...options,
//!         headers: (0, headers_1.buildHeaders)([{ 'OpenAI-Beta': 'assistants=v2' }, options?.headers]),
//!         __security: { bearerAuth: true },
//!     });
//! }
//! list(query = {}, options) {
//!     return this._client.getAPIList('/batches', (pagination_1.CursorPage), { query, ...options });
//! }
//! ```
//!
//! Every option key must be understood. Streaming (`stream: ...`), multipart uploads
//! (`multipartFormRequestOptions(...)`), binary responses (`__binaryResponse`) and responses
//! post-processed in JS (`._thenUnwrap(...)`) are refused with that reason. A method that makes
//! no `this._client` call but calls other methods of the SDK (`createAndPoll`) is a helper
//! composed of API calls, not generated and not called hand-written.

use std::collections::{BTreeSet, HashMap};

use swc_common::Spanned;
use swc_ecma_ast::*;

use super::classes::{FoundClass, FoundMethod};
use super::convention::Convention;
use super::modules::{FileCx, FnBody, Index, prop_name, str_value, unwrap_callee, unwrap_parens};
use super::{method, walk};
use crate::ir::call::{ApiCall, CallSegment, Payload, ValueRef};
use crate::ir::route::MethodKind;

/// The base class of every resource class (`core/resource.js`).
const RESOURCE: &str = "APIResource";

const VERBS: [&str; 6] = ["get", "post", "put", "patch", "delete", "getAPIList"];

pub(crate) struct Stainless;

impl Convention for Stainless {
    fn name(&self) -> &'static str {
        "stainless"
    }

    fn is_api_call(&self, _f: &FileCx<'_>, call: &CallExpr) -> bool {
        client_verb(call).is_some()
    }

    fn read(&self, index: &Index<'_>, fi: usize, m: &FoundMethod<'_>, body: FnBody<'_>, call: &CallExpr) -> Result<MethodKind, String> {
        let f = &index.files[fi];
        let params = m.func.simple_param_names().ok_or("a parameter is a destructuring pattern")?;
        let mut cx = Cx { f, env: params.iter().map(|p| (p.clone(), Bound::Param(p.clone()))).collect() };
        let returned = match body {
            FnBody::Block(stmts) => {
                let (last, init) = stmts.split_last().ok_or("no statements")?;
                for s in init {
                    cx.destructure(s)?;
                }
                match last {
                    Stmt::Return(ReturnStmt { arg: Some(e), .. }) => &**e,
                    other => return Err(format!("the call is not what the method returns: `{}`", f.excerpt(other.span()))),
                }
            }
            FnBody::Expr(e) => e,
            FnBody::Missing => return Err("no body".into()),
        };
        match unwrap_parens(returned) {
            Expr::Call(c) if std::ptr::eq(c, call) => cx.call(call).map(MethodKind::Call),
            other if other.span().contains(call.span) => Err(format!(
                "the response is post-processed in JavaScript: `this._client.{}(...){}`",
                client_verb(call).unwrap_or_default(),
                f.excerpt(swc_common::Span::new(call.span.hi, other.span().hi))
            )),
            other => Err(format!("the method returns `{}`, not its API call", f.excerpt(other.span()))),
        }
    }

    fn api_class(&self, class: &FoundClass<'_>) -> Result<(), String> {
        match class.superclass.as_deref() {
            Some(RESOURCE) => Ok(()),
            Some(other) => Err(format!("the client's own machinery: class `{}` extends `{other}`, not `{RESOURCE}`", class.name)),
            None => Err(format!("the client's own machinery: class `{}` does not extend `{RESOURCE}`", class.name)),
        }
    }

    fn without_call(&self, f: &FileCx<'_>, body: FnBody<'_>, api_methods: &BTreeSet<String>) -> Option<String> {
        let composed = sdk_callees(f, body, api_methods);
        (!composed.is_empty()).then(|| {
            let list: Vec<String> = composed.iter().map(|c| format!("`{c}`")).collect();
            format!("a helper composed of other API calls of the SDK ({}): not an API call of its own", list.join(", "))
        })
    }

    /// Methods with an API call, then those calling them (`createAndPoll` -> `poll` ->
    /// `retrieve`), until nothing is added.
    fn api_methods(&self, f: &FileCx<'_>, class: &FoundClass<'_>) -> BTreeSet<String> {
        let mut found: BTreeSet<String> =
            class.methods.iter().filter(|m| !method::api_calls(f, m.func.body, self).is_empty()).map(|m| m.name.clone()).collect();
        loop {
            let more: Vec<String> = class
                .methods
                .iter()
                .filter(|m| !found.contains(&m.name) && !sdk_callees(f, m.func.body, &found).is_empty())
                .map(|m| m.name.clone())
                .collect();
            if more.is_empty() {
                return found;
            }
            found.extend(more);
        }
    }

    fn as_dyn(&self) -> &dyn Convention {
        self
    }
}

/// The calls in `body` that reach the API through the SDK: `this.<m>(...)` for a method `m` of
/// `api_methods`, `this._client.<resource>.<m>(...)`, or a helper handed the client
/// or a resource of it (`Runner.runTools(this._client, ...)`); shown as written.
fn sdk_callees(f: &FileCx<'_>, body: FnBody<'_>, api_methods: &BTreeSet<String>) -> Vec<String> {
    let mut composed: Vec<String> = Vec::new();
    let mut collect = |c: &CallExpr| {
        let Callee::Expr(callee) = &c.callee else { return };
        let sibling = matches!(unwrap_callee(callee), Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(p), .. })
            if matches!(unwrap_parens(obj), Expr::This(_)) && api_methods.contains(p.sym.as_str()));
        let other_resource = matches!(unwrap_callee(callee), Expr::Member(m) if is_client(&m.obj) || matches!(unwrap_parens(&m.obj), Expr::Member(inner) if is_client(&inner.obj) || this_client_chain(&inner.obj)));
        let given_client = c.args.iter().any(|a| this_client_chain(&a.expr));
        if sibling || other_resource || given_client {
            let shown = f.excerpt(callee.span());
            if !composed.contains(&shown) {
                composed.push(shown);
            }
        }
    };
    match body {
        FnBody::Block(stmts) => walk::calls_in_stmts(stmts, &mut collect),
        FnBody::Expr(e) => walk::calls_in_expr(e, &mut collect),
        FnBody::Missing => {}
    }
    composed
}

/// `this._client`.
fn is_client(e: &Expr) -> bool {
    matches!(unwrap_parens(e), Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(p), .. })
        if p.sym == "_client" && matches!(unwrap_parens(obj), Expr::This(_)))
}

/// `this._client.a.b...`.
fn this_client_chain(e: &Expr) -> bool {
    match unwrap_parens(e) {
        Expr::Member(m) => is_client(e) || this_client_chain(&m.obj),
        _ => false,
    }
}

/// `this._client.<verb>(...)` -> the verb.
fn client_verb(call: &CallExpr) -> Option<&'static str> {
    let Callee::Expr(callee) = &call.callee else { return None };
    let Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(verb), .. }) = unwrap_parens(callee) else { return None };
    let Expr::Member(MemberExpr { obj: this, prop: MemberProp::Ident(client), .. }) = unwrap_parens(obj) else { return None };
    if client.sym != "_client" || !matches!(unwrap_parens(this), Expr::This(_)) {
        return None;
    }
    VERBS.iter().copied().find(|v| verb.sym == *v)
}

/// What a name stands for in the method.
#[derive(Clone)]
enum Bound {
    /// A parameter of the method.
    Param(String),
    /// `const { field } = param`.
    Field { param: String, field: String },
    /// `const { a, b, ...rest } = param`: `param` without `a` and `b`.
    Rest { param: String, without: Vec<String> },
}

struct Cx<'i, 'a> {
    f: &'i FileCx<'a>,
    env: HashMap<String, Bound>,
}

impl Cx<'_, '_> {
    /// `const { a, b: c, ...rest } = params;`
    fn destructure(&mut self, s: &Stmt) -> Result<(), String> {
        let unknown = || format!("statement not understood: `{}`", self.f.excerpt(s.span()));
        let Stmt::Decl(Decl::Var(v)) = s else { return Err(unknown()) };
        for d in &v.decls {
            let (Pat::Object(o), Some(init)) = (&d.name, &d.init) else { return Err(unknown()) };
            // `params ?? {}` (an optional parameter): its fields are absent when it is.
            let init = match unwrap_parens(init) {
                Expr::Bin(b) if b.op == BinaryOp::NullishCoalescing && matches!(unwrap_parens(&b.right), Expr::Object(o) if o.props.is_empty()) => &*b.left,
                other => other,
            };
            let Expr::Ident(src) = unwrap_parens(init) else { return Err(unknown()) };
            let Some(Bound::Param(param)) = self.env.get(src.sym.as_str()).cloned() else { return Err(unknown()) };
            let mut taken = Vec::new();
            for prop in &o.props {
                match prop {
                    ObjectPatProp::Assign(a) if a.value.is_none() => {
                        let field = a.key.sym.to_string();
                        self.env.insert(field.clone(), Bound::Field { param: param.clone(), field: field.clone() });
                        taken.push(field);
                    }
                    ObjectPatProp::KeyValue(kv) => {
                        let (Some(field), Pat::Ident(local)) = (prop_name(&kv.key), &*kv.value) else { return Err(unknown()) };
                        self.env.insert(local.id.sym.to_string(), Bound::Field { param: param.clone(), field: field.clone() });
                        taken.push(field);
                    }
                    ObjectPatProp::Rest(r) => {
                        let Pat::Ident(local) = &*r.arg else { return Err(unknown()) };
                        self.env.insert(local.id.sym.to_string(), Bound::Rest { param: param.clone(), without: taken.clone() });
                    }
                    ObjectPatProp::Assign(_) => return Err(format!("a destructured field has a default: `{}`", self.f.excerpt(s.span()))),
                }
            }
        }
        Ok(())
    }

    fn call(&self, call: &CallExpr) -> Result<ApiCall, String> {
        let verb = client_verb(call).ok_or("not a client call")?;
        if call.args.iter().any(|a| a.spread.is_some()) {
            return Err(format!("the call spreads its arguments: `{}`", self.f.excerpt(call.span)));
        }
        let (path, page, opts) = match (verb, call.args.as_slice()) {
            ("getAPIList", [path, page, rest @ ..]) if rest.len() <= 1 => (path, Some(self.page_class(&page.expr)?), rest.first()),
            ("getAPIList", _) => return Err(format!("`getAPIList` with {} arguments", call.args.len())),
            (_, [path, rest @ ..]) if rest.len() <= 1 => (path, None, rest.first()),
            _ => return Err(format!("`{verb}` with {} arguments", call.args.len())),
        };
        let method = if verb == "getAPIList" { "GET".to_string() } else { verb.to_ascii_uppercase() };
        let mut out = ApiCall { method, path: self.path(&path.expr)?, body: None, query: None, headers: Vec::new(), security: Vec::new(), page };
        if let Some(opts) = opts {
            self.options(&opts.expr, &mut out)?;
        }
        Ok(out)
    }

    /// `(pagination_1.CursorPage)` -> `CursorPage`.
    fn page_class(&self, e: &Expr) -> Result<String, String> {
        match unwrap_parens(e) {
            Expr::Ident(i) => Ok(i.sym.to_string()),
            Expr::Member(MemberExpr { prop: MemberProp::Ident(p), .. }) => Ok(p.sym.to_string()),
            other => Err(format!("the page class is `{}`", self.f.excerpt(other.span()))),
        }
    }

    fn path(&self, e: &Expr) -> Result<Vec<CallSegment>, String> {
        let mut out = Vec::new();
        match unwrap_parens(e) {
            Expr::Lit(Lit::Str(s)) => out.push(CallSegment::Literal(str_value(s).ok_or("the path is not valid text")?)),
            Expr::TaggedTpl(t) if is_path_tag(&t.tag) => {
                for (i, q) in t.tpl.quasis.iter().enumerate() {
                    let cooked = q.cooked.as_ref().and_then(|c| c.as_str()).ok_or("the path template has an invalid escape")?;
                    if !cooked.is_empty() {
                        out.push(CallSegment::Literal(cooked.to_string()));
                    }
                    if let Some(value) = t.tpl.exprs.get(i) {
                        out.push(CallSegment::Value(self.value(value)?));
                    }
                }
            }
            Expr::Tpl(_) => return Err(format!("the path is a template without the `path` tag, so not encoded: `{}`", self.f.excerpt(e.span()))),
            other => return Err(format!("the path is built from `{}`", self.f.excerpt(other.span()))),
        }
        match out.first() {
            Some(CallSegment::Literal(l)) if l.starts_with('/') && !l.starts_with("//") => Ok(out),
            _ => Err(format!("the path `{}` does not start with one `/`: it could name another host", self.f.excerpt(e.span()))),
        }
    }

    /// A value interpolated into the path: a positional parameter or a destructured field.
    fn value(&self, e: &Expr) -> Result<ValueRef, String> {
        let Expr::Ident(i) = unwrap_parens(e) else {
            return Err(format!("the path interpolates `{}`", self.f.excerpt(e.span())));
        };
        match self.env.get(i.sym.as_str()) {
            Some(Bound::Param(p)) => Ok(ValueRef::Arg { param: p.clone() }),
            Some(Bound::Field { param, field }) => Ok(ValueRef::Field { param: param.clone(), field: field.clone() }),
            _ => Err(format!("the path interpolates `{}`, which is not a parameter", i.sym)),
        }
    }

    /// The request options object: `{ body, query, headers, ...options, __security }`.
    fn options(&self, e: &Expr, out: &mut ApiCall) -> Result<(), String> {
        let o = match unwrap_parens(e) {
            Expr::Object(o) => o,
            Expr::Call(c) if callee_name(c).is_some_and(|n| n.contains("ultipart")) => {
                return Err(format!(
                    "sends a multipart/form-data file upload (`{}`): file uploads are not generated",
                    callee_name(c).unwrap_or_default()
                ));
            }
            other => return Err(format!("the request options are `{}`, not an object literal", self.f.excerpt(other.span()))),
        };
        let mut seen: Vec<String> = Vec::new();
        for prop in &o.props {
            let (key, value): (String, Option<&Expr>) = match prop {
                PropOrSpread::Spread(s) => {
                    match (unwrap_parens(&s.expr), self.f.excerpt(s.expr.span())) {
                        (Expr::Ident(i), _) if matches!(self.env.get(i.sym.as_str()), Some(Bound::Param(p)) if p == "options") => continue,
                        (_, shown) => return Err(format!("the request options spread `...{shown}`")),
                    }
                }
                PropOrSpread::Prop(p) => match &**p {
                    Prop::Shorthand(id) => (id.sym.to_string(), None),
                    Prop::KeyValue(kv) => (prop_name(&kv.key).ok_or("a computed key in the request options")?, Some(&*kv.value)),
                    other => return Err(format!("the request options define `{}`", self.f.excerpt(other.span()))),
                },
            };
            if seen.contains(&key) {
                return Err(format!("the request options set `{key}` twice"));
            }
            seen.push(key.clone());
            self.option(&key, value, out)?;
        }
        Ok(())
    }

    fn option(&self, key: &str, value: Option<&Expr>, out: &mut ApiCall) -> Result<(), String> {
        let shown = |e: Option<&Expr>| e.map_or_else(|| key.to_string(), |e| self.f.excerpt(e.span()));
        match key {
            "body" => out.body = Some(self.payload(key, value)?),
            "query" => out.query = Some(self.payload(key, value)?),
            "method" => match value.map(unwrap_parens) {
                Some(Expr::Lit(Lit::Str(s))) => {
                    let m = str_value(s).unwrap_or_default();
                    if !VERBS[..5].contains(&m.as_str()) {
                        return Err(format!("the HTTP method is `{m}`"));
                    }
                    out.method = m.to_ascii_uppercase();
                }
                _ => return Err(format!("the HTTP method is `{}`", shown(value))),
            },
            "headers" => out.headers = self.headers(value.ok_or("`headers` reads a local variable")?)?,
            "__security" => out.security = security(value).ok_or_else(|| format!("the security schemes are `{}`", shown(value)))?,
            "stream" => return Err(format!("streams server-sent events (`stream: {}`): streaming is not generated", shown(value))),
            "__binaryResponse" => return Err("returns the raw response body (`__binaryResponse`): binary responses are not generated".into()),
            other => return Err(format!("unknown request option `{other}`")),
        }
        Ok(())
    }

    /// `body` / `query`: a parameter, a destructured rest, or `{ a, b }` of destructured fields.
    fn payload(&self, key: &str, value: Option<&Expr>) -> Result<Payload, String> {
        let name = match value.map(unwrap_parens) {
            None => key.to_string(),
            Some(Expr::Ident(i)) => i.sym.to_string(),
            Some(Expr::Object(o)) => return self.field_payload(key, o),
            Some(other) => return Err(format!("the {key} is `{}`", self.f.excerpt(other.span()))),
        };
        match self.env.get(&name) {
            Some(Bound::Param(p)) if p != "options" => Ok(Payload::Object { param: p.clone(), without: Vec::new() }),
            Some(Bound::Rest { param, without }) => Ok(Payload::Object { param: param.clone(), without: without.clone() }),
            _ => Err(format!("the {key} is `{name}`, which is not a parameter")),
        }
    }

    /// `query: { include }` where `include` was destructured from one parameter.
    fn field_payload(&self, key: &str, o: &ObjectLit) -> Result<Payload, String> {
        let mut param: Option<String> = None;
        let mut fields = Vec::new();
        for prop in &o.props {
            let PropOrSpread::Prop(p) = prop else { return Err(format!("the {key} object spreads a value")) };
            let Prop::Shorthand(id) = &**p else { return Err(format!("the {key} object is `{}`", self.f.excerpt(o.span))) };
            let Some(Bound::Field { param: from, field }) = self.env.get(id.sym.as_str()) else {
                return Err(format!("{key} field `{}` is not a field of a parameter", id.sym));
            };
            if param.get_or_insert_with(|| from.clone()) != from || field != id.sym.as_str() {
                return Err(format!("the {key} object mixes parameters or renames fields: `{}`", self.f.excerpt(o.span)));
            }
            fields.push(field.clone());
        }
        let param = param.ok_or_else(|| format!("the {key} object is empty"))?;
        Ok(Payload::Fields { param, fields })
    }

    /// `buildHeaders([{ 'OpenAI-Beta': 'assistants=v2' }, options?.headers])` -> the constants.
    fn headers(&self, e: &Expr) -> Result<Vec<(String, String)>, String> {
        let not_understood = || format!("the headers are `{}`", self.f.excerpt(e.span()));
        let Expr::Call(c) = unwrap_parens(e) else { return Err(not_understood()) };
        let ([arg], Some(true)) = (c.args.as_slice(), callee_name(c).map(|n| n == "buildHeaders")) else { return Err(not_understood()) };
        let Expr::Array(list) = unwrap_parens(&arg.expr) else { return Err(not_understood()) };
        let mut out = Vec::new();
        for el in list.elems.iter().flatten() {
            match unwrap_parens(&el.expr) {
                Expr::Object(o) => {
                    for p in &o.props {
                        let PropOrSpread::Prop(p) = p else { return Err(not_understood()) };
                        let Prop::KeyValue(kv) = &**p else { return Err(not_understood()) };
                        let (Some(name), Expr::Lit(Lit::Str(v))) = (prop_name(&kv.key), unwrap_parens(&kv.value)) else {
                            return Err(format!("header value `{}` is not a constant", self.f.excerpt(kv.value.span())));
                        };
                        out.push((name, str_value(v).ok_or_else(not_understood)?));
                    }
                }
                other if self.is_options_headers(other) => {}
                _ => return Err(not_understood()),
            }
        }
        Ok(out)
    }

    /// `options?.headers` (the caller's own headers, which the Rust client does not take).
    fn is_options_headers(&self, e: &Expr) -> bool {
        let m = match e {
            Expr::OptChain(o) => match &*o.base {
                OptChainBase::Member(m) => m,
                OptChainBase::Call(_) => return false,
            },
            Expr::Member(m) => m,
            _ => return false,
        };
        matches!((unwrap_parens(&m.obj), &m.prop), (Expr::Ident(o), MemberProp::Ident(p))
            if p.sym == "headers" && matches!(self.env.get(o.sym.as_str()), Some(Bound::Param(n)) if n == "options"))
    }
}

/// `(0, x_1.name)(...)`, `x_1.name(...)`, `name(...)` -> `name`.
fn callee_name(c: &CallExpr) -> Option<String> {
    let Callee::Expr(callee) = &c.callee else { return None };
    match unwrap_callee(callee) {
        Expr::Ident(i) => Some(i.sym.to_string()),
        Expr::Member(MemberExpr { prop: MemberProp::Ident(p), .. }) => Some(p.sym.to_string()),
        _ => None,
    }
}

/// The `path` template tag: `(0, path_1.path)`, `path_1.path`, `path`.
fn is_path_tag(tag: &Expr) -> bool {
    match unwrap_callee(tag) {
        Expr::Ident(i) => i.sym == "path",
        Expr::Member(MemberExpr { prop: MemberProp::Ident(p), .. }) => p.sym == "path",
        _ => false,
    }
}

/// `{ bearerAuth: true, adminAPIKeyAuth: true }` -> the names set to `true`.
fn security(value: Option<&Expr>) -> Option<Vec<String>> {
    let Expr::Object(o) = unwrap_parens(value?) else { return None };
    let mut out = Vec::new();
    for p in &o.props {
        let PropOrSpread::Prop(p) = p else { return None };
        let Prop::KeyValue(kv) = &**p else { return None };
        match unwrap_parens(&kv.value) {
            Expr::Lit(Lit::Bool(Bool { value: true, .. })) => out.push(prop_name(&kv.key)?),
            Expr::Lit(Lit::Bool(_)) => {}
            _ => return None,
        }
    }
    Some(out)
}
