//! The request call itself: `request(this.fetchConfig, { method, url, headers, data, dataRaw,
//! params, baseURLType })`, every key of which must be understood.

use std::borrow::Cow;

use swc_common::Spanned;
use swc_ecma_ast::*;

use super::method::{MethodCx, Val, eval};
use super::modules::{prop_name, str_value, unwrap_callee, unwrap_parens};
use crate::ir::route::{Body, FieldRef, PathSegment, Query, Route, ValueSource};

const KEYS: [&str; 7] = ["method", "url", "headers", "data", "dataRaw", "params", "baseURLType"];

pub(crate) fn route(cx: &MethodCx<'_, '_>, call: &CallExpr) -> Result<Route, String> {
    if call.args.len() != 2 || call.args.iter().any(|a| a.spread.is_some()) {
        return Err(format!("the request call has {} arguments: `{}`", call.args.len(), cx.excerpt(call.span)));
    }
    // The client's own configuration: `this.fetchConfig` (or `_this.fetchConfig`).
    let config = &call.args[0].expr;
    let own = match unwrap_parens(config) {
        Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(_), .. }) => eval(obj, &cx.env) == Some(Val::This),
        _ => false,
    };
    if !own {
        return Err(format!(
            "the request is sent with `{}`, not the client's configuration",
            cx.excerpt(config.span())
        ));
    }
    let Expr::Object(options) = unwrap_parens(&call.args[1].expr) else {
        return Err(format!(
            "the request options are `{}`, not an object literal",
            cx.excerpt(call.args[1].expr.span())
        ));
    };

    let mut values: Vec<(&'static str, Cow<'_, Expr>)> = Vec::new();
    for prop in &options.props {
        let (key, value): (String, Cow<'_, Expr>) = match prop {
            PropOrSpread::Spread(s) => {
                return Err(format!("the request options spread `...{}`", cx.excerpt(s.expr.span())));
            }
            PropOrSpread::Prop(p) => match &**p {
                Prop::Shorthand(id) => (id.sym.to_string(), Cow::Owned(Expr::Ident(id.clone()))),
                Prop::KeyValue(kv) => match prop_name(&kv.key) {
                    Some(k) => (k, Cow::Borrowed(&*kv.value)),
                    None => {
                        return Err(format!("computed key in the request options: `{}`", cx.excerpt(kv.key.span())));
                    }
                },
                other => return Err(format!("the request options define `{}`", cx.excerpt(other.span()))),
            },
        };
        let Some(key) = KEYS.iter().find(|k| **k == key) else {
            return Err(format!("unknown request option `{key}`"));
        };
        if values.iter().any(|(k, _)| k == key) {
            return Err(format!("the request options set `{key}` twice"));
        }
        values.push((key, value));
    }
    let get = |k: &str| values.iter().find(|(key, _)| *key == k).map(|(_, v)| &**v);

    let method = match get("method") {
        None => return Err("the request options have no `method`".into()),
        Some(e) => match unwrap_parens(e) {
            Expr::Lit(Lit::Str(s)) => {
                let m = str_value(s).unwrap_or_default();
                if m.is_empty() || !m.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(format!("the HTTP method `{m}` is not an upper-case name"));
                }
                m
            }
            _ => return Err(format!("the HTTP method is `{}`", cx.excerpt(e.span()))),
        },
    };

    let path = match get("url") {
        None => return Err("the request options have no `url`".into()),
        Some(e) => {
            let mut out = Vec::new();
            url(cx, e, &mut out)?;
            stays_on_the_base_url(&out)?;
            out
        }
    };

    let headers = match get("headers") {
        None if !cx.headers.is_empty() => {
            return Err(format!(
                "headers are added to `{}` but not passed to the request",
                cx.headers_var.as_deref().unwrap_or("")
            ));
        }
        None => Vec::new(),
        Some(e) => match unwrap_parens(e) {
            Expr::Ident(id) if cx.headers_var.as_deref() == Some(id.sym.as_str()) => cx.headers.clone(),
            Expr::Object(o) if o.props.is_empty() && cx.headers.is_empty() => Vec::new(),
            _ => return Err(format!("the request headers are `{}`", cx.excerpt(e.span()))),
        },
    };

    let body = match (get("data"), get("dataRaw")) {
        (Some(_), Some(_)) => return Err("the request sets both `data` and `dataRaw`".into()),
        (None, None) => Body::None,
        (Some(e), None) => json_body(cx, e)?,
        (None, Some(e)) => form_body(cx, e)?,
    };

    let query = match get("params") {
        None => Query::None,
        Some(e) => query(cx, e)?,
    };

    let base_url = match get("baseURLType") {
        None => None,
        Some(e) => match unwrap_parens(e) {
            Expr::Lit(Lit::Str(s)) => Some(str_value(s).ok_or("the `baseURLType` is not valid text")?),
            _ => return Err(format!("the `baseURLType` is `{}`", cx.excerpt(e.span()))),
        },
    };

    Ok(Route { method, path, body, query, base_url, headers, guards: cx.guards.clone() })
}

/// The JS resolves the URL with `new URL(url, baseURL)`: an absolute URL (`https://host/...`),
/// a scheme-relative one (`//host/...`, `\\host`) or one that starts with a request field
/// would send the request, and the client's credentials, to another host than the base URL's.
fn stays_on_the_base_url(path: &[PathSegment]) -> Result<(), String> {
    let text = match path.first() {
        None => return Ok(()),
        Some(PathSegment::Param { field, .. }) => {
            return Err(format!("the URL starts with the request field `{field}`, which could name another host"));
        }
        Some(PathSegment::Literal(l)) => l.as_str(),
    };
    let scheme_len = text.find(':').filter(|&i| {
        let scheme = &text[..i];
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    let after_scheme = scheme_len.map_or(text, |i| &text[i + 1..]);
    let slashes = after_scheme.chars().take_while(|c| *c == '/' || *c == '\\').count();
    if scheme_len.is_none() && slashes < 2 {
        return Ok(());
    }
    let authority = &after_scheme[slashes..];
    let host = authority.split(['/', '\\', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let shown: String = text.chars().take(100).collect();
    Err(format!(
        "the URL `{shown}` is absolute: the request, with the client's credentials, would go to host `{host}` instead of the base URL"
    ))
}

/// `data.x` (or `data["x"]`) on the request parameter -> `x`.
fn field(cx: &MethodCx<'_, '_>, e: &Expr) -> Option<String> {
    let Expr::Member(m) = unwrap_parens(e) else { return None };
    let Expr::Ident(obj) = unwrap_parens(&m.obj) else { return None };
    if cx.request_param.as_deref() != Some(obj.sym.as_str()) {
        return None;
    }
    match &m.prop {
        MemberProp::Ident(i) => Some(i.sym.to_string()),
        MemberProp::Computed(c) => match unwrap_parens(&c.expr) {
            Expr::Lit(Lit::Str(s)) => str_value(s),
            _ => None,
        },
        MemberProp::PrivateName(_) => None,
    }
}

fn push_literal(out: &mut Vec<PathSegment>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(PathSegment::Literal(last)) = out.last_mut() {
        last.push_str(text);
    } else {
        out.push(PathSegment::Literal(text.to_string()));
    }
}

/// Whether an expression certainly evaluates to a string: a literal, a template, a `concat`
/// on one of those, or a `+` chain that starts with one.
fn is_stringy(e: &Expr) -> bool {
    match unwrap_parens(e) {
        Expr::Lit(Lit::Str(_)) | Expr::Tpl(_) => true,
        Expr::Call(c) => match &c.callee {
            Callee::Expr(callee) => match unwrap_parens(callee) {
                Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(p), .. }) => {
                    p.sym == "concat" && is_stringy(obj)
                }
                _ => false,
            },
            _ => false,
        },
        Expr::Bin(b) if b.op == BinaryOp::Add => is_stringy(&b.left),
        _ => false,
    }
}

/// A URL expression (string-valued) -> path segments.
fn url(cx: &MethodCx<'_, '_>, e: &Expr, out: &mut Vec<PathSegment>) -> Result<(), String> {
    let not_understood = || format!("the URL is built from `{}`", cx.excerpt(e.span()));
    match unwrap_parens(e) {
        Expr::Lit(Lit::Str(s)) => {
            push_literal(out, &str_value(s).ok_or_else(not_understood)?);
            Ok(())
        }
        Expr::Tpl(t) => {
            for (i, q) in t.quasis.iter().enumerate() {
                let Some(cooked) = q.cooked.as_ref().and_then(|c| c.as_str()) else {
                    return Err(format!("the URL template has an invalid escape: `{}`", cx.excerpt(t.span)));
                };
                push_literal(out, cooked);
                if let Some(expr) = t.exprs.get(i) {
                    piece(cx, expr, out)?;
                }
            }
            Ok(())
        }
        // `"/v1/users/".concat(encodeURIComponent(data.user_id), "/x")`
        Expr::Call(c) if is_stringy(e) => {
            let Callee::Expr(callee) = &c.callee else { return Err(not_understood()) };
            let Expr::Member(m) = unwrap_parens(callee) else { return Err(not_understood()) };
            url(cx, &m.obj, out)?;
            for arg in &c.args {
                if arg.spread.is_some() {
                    return Err(not_understood());
                }
                piece(cx, &arg.expr, out)?;
            }
            Ok(())
        }
        // `"/v1/users/" + encodeURIComponent(data.user_id) + "/x"`
        Expr::Bin(b) if b.op == BinaryOp::Add && is_stringy(e) => {
            let mut operands = vec![&*b.right];
            let mut left = &*b.left;
            while let Expr::Bin(l) = unwrap_parens(left) {
                if l.op != BinaryOp::Add {
                    break;
                }
                operands.push(&*l.right);
                left = &*l.left;
            }
            url(cx, left, out)?;
            for operand in operands.into_iter().rev() {
                piece(cx, operand, out)?;
            }
            Ok(())
        }
        _ => Err(not_understood()),
    }
}

/// A value placed into the URL.
fn piece(cx: &MethodCx<'_, '_>, e: &Expr, out: &mut Vec<PathSegment>) -> Result<(), String> {
    if is_stringy(e) {
        return url(cx, e, out);
    }
    if let Some(name) = field(cx, e) {
        out.push(PathSegment::Param { field: name, encoded: false });
        return Ok(());
    }
    if let Expr::Call(c) = unwrap_parens(e) {
        if let Callee::Expr(callee) = &c.callee {
            if matches!(unwrap_callee(callee), Expr::Ident(i) if i.sym == "encodeURIComponent")
                && c.args.len() == 1
                && c.args[0].spread.is_none()
            {
                if let Some(name) = field(cx, &c.args[0].expr) {
                    out.push(PathSegment::Param { field: name, encoded: true });
                    return Ok(());
                }
            }
        }
    }
    Err(format!("the URL interpolates `{}`", cx.excerpt(e.span())))
}

/// `{ key: data.field, key2: "const" }` -> fields, in order.
fn fields(cx: &MethodCx<'_, '_>, o: &ObjectLit, what: &str) -> Result<Vec<FieldRef>, String> {
    let mut out: Vec<FieldRef> = Vec::new();
    for prop in &o.props {
        let PropOrSpread::Prop(p) = prop else {
            return Err(format!("the {what} mixes a spread with fields: `{}`", cx.excerpt(o.span)));
        };
        let (key, value) = match &**p {
            Prop::KeyValue(kv) => match prop_name(&kv.key) {
                Some(k) => (k, &*kv.value),
                None => return Err(format!("computed key in the {what}: `{}`", cx.excerpt(kv.key.span()))),
            },
            Prop::Shorthand(id) => return Err(format!("{what} field `{}` reads a local variable", id.sym)),
            other => return Err(format!("the {what} defines `{}`", cx.excerpt(other.span()))),
        };
        if out.iter().any(|f| f.key == key) {
            return Err(format!("the {what} sets `{key}` twice"));
        }
        let source = if let Some(name) = field(cx, value) {
            ValueSource::Field(name)
        } else if let Expr::Lit(Lit::Str(s)) = unwrap_parens(value) {
            ValueSource::Const(str_value(s).ok_or_else(|| format!("{what} field `{key}` is not valid text"))?)
        } else {
            return Err(format!("{what} field `{key}` is `{}`", cx.excerpt(value.span())));
        };
        out.push(FieldRef { key, source });
    }
    Ok(out)
}

/// Whether `e` is a copy of every field of the request parameter: the parameter itself,
/// `{ ...data }`, `_objectSpread({}, data)`, `Object.assign({}, data)`, `_extends({}, data)`.
fn is_whole(cx: &MethodCx<'_, '_>, e: &Expr) -> bool {
    let is_param =
        |e: &Expr| matches!(unwrap_parens(e), Expr::Ident(i) if cx.request_param.as_deref() == Some(i.sym.as_str()));
    match unwrap_parens(e) {
        Expr::Object(o) => match o.props.as_slice() {
            [PropOrSpread::Spread(s)] => is_param(&s.expr),
            _ => false,
        },
        Expr::Call(c) => {
            let Callee::Expr(callee) = &c.callee else { return false };
            let helper = match unwrap_callee(callee) {
                Expr::Ident(i) => i.sym.starts_with("_objectSpread") || i.sym == "_extends",
                Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(p), .. }) => {
                    matches!(unwrap_parens(obj), Expr::Ident(o) if o.sym == "Object") && p.sym == "assign"
                }
                _ => false,
            };
            helper
                && c.args.len() == 2
                && c.args.iter().all(|a| a.spread.is_none())
                && matches!(unwrap_parens(&c.args[0].expr), Expr::Object(o) if o.props.is_empty())
                && is_param(&c.args[1].expr)
        }
        other => is_param(other),
    }
}

fn json_body(cx: &MethodCx<'_, '_>, e: &Expr) -> Result<Body, String> {
    if is_whole(cx, e) {
        return Ok(Body::Whole);
    }
    match unwrap_parens(e) {
        Expr::Object(o) if o.props.is_empty() => Ok(Body::Empty),
        Expr::Object(o) => Ok(Body::Fields { fields: fields(cx, o, "body")? }),
        _ => Err(format!("the body is `{}`", cx.excerpt(e.span()))),
    }
}

/// `new URLSearchParams({ key: data.field, ... })`.
fn form_body(cx: &MethodCx<'_, '_>, e: &Expr) -> Result<Body, String> {
    if let Expr::New(n) = unwrap_parens(e) {
        if matches!(unwrap_parens(&n.callee), Expr::Ident(i) if i.sym == "URLSearchParams") {
            if let Some([arg]) = n.args.as_deref() {
                if arg.spread.is_none() {
                    if let Expr::Object(o) = unwrap_parens(&arg.expr) {
                        return Ok(Body::Form { fields: fields(cx, o, "form body")? });
                    }
                }
            }
        }
    }
    Err(format!("the raw body is `{}`", cx.excerpt(e.span())))
}

fn query(cx: &MethodCx<'_, '_>, e: &Expr) -> Result<Query, String> {
    if is_whole(cx, e) {
        return Ok(Query::Whole);
    }
    match unwrap_parens(e) {
        Expr::Object(o) if o.props.is_empty() => Ok(Query::Empty),
        Expr::Object(o) => Ok(Query::Fields { fields: fields(cx, o, "query")? }),
        _ => Err(format!("the query is `{}`", cx.excerpt(e.span()))),
    }
}
