//! One method body: the statements before the request call (the headers object and what fills
//! it, following helper functions into other files), then the returned request call.

use std::collections::{BTreeSet, HashMap};

use swc_common::{Span, Spanned};
use swc_ecma_ast::*;

use super::classes::FoundMethod;
use super::convention::Convention;
use super::modules::{FileCx, FnBody, FnLike, Index, str_value, unwrap_callee, unwrap_parens};
use super::{regenerator, request, walk};
use crate::ir::route::{Guard, Header, MethodKind, Route};

/// What a name or expression stands for while reading a method.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    /// The object that collects the request's headers (`const headers = {}`).
    Headers,
    /// `this`, or an alias such as ES5's `var _this = this`.
    This,
    /// A method parameter, or a property path inside one: `options.authorization`.
    Path(String, Vec<String>),
}

/// What is known about the method while its request call is read.
pub(crate) struct MethodCx<'i, 'a> {
    pub f: &'i FileCx<'a>,
    /// The first parameter (`data` / `params`): the request object every field is read from.
    pub request_param: Option<String>,
    pub env: HashMap<String, Val>,
    pub headers_var: Option<String>,
    pub headers: Vec<Header>,
    /// Required-field checks before the call, in order.
    pub guards: Vec<Guard>,
}

impl MethodCx<'_, '_> {
    pub fn excerpt(&self, span: Span) -> String {
        self.f.excerpt(span)
    }
}

/// Whether a call is the SDK's request function: `request(...)` (imported or local),
/// `_shared.request(...)` or `(0, _shared.request)(...)` on a module binding.
pub(crate) fn is_request_call(f: &FileCx<'_>, call: &CallExpr) -> bool {
    let Callee::Expr(callee) = &call.callee else { return false };
    match unwrap_callee(callee) {
        Expr::Ident(i) => f.is_request_fn(&i.sym),
        Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(p), .. }) => {
            p.sym == "request" && matches!(unwrap_parens(obj), Expr::Ident(ns) if f.is_module(&ns.sym))
        }
        _ => false,
    }
}

pub(crate) fn analyze(index: &Index<'_>, fi: usize, m: &FoundMethod<'_>, convention: &dyn Convention, api_methods: &BTreeSet<String>) -> MethodKind {
    if let Some(unusual) = m.unusual {
        return MethodKind::NotUnderstood { reason: unusual.to_string() };
    }
    // A regenerator state machine is read as the straight code it was compiled from.
    let straight = match m.func.body {
        FnBody::Block(stmts) => regenerator::linearize(stmts),
        _ => None,
    };
    let body = straight.as_deref().map_or(m.func.body, FnBody::Block);
    let f = &index.files[fi];
    let calls = api_calls(f, body, convention);
    let call = match calls.as_slice() {
        [] if matches!(body, FnBody::Missing) => return MethodKind::HandWritten { reason: "no body".into() },
        [] => {
            return match convention.without_call(f, body, api_methods) {
                Some(reason) => MethodKind::NotUnderstood { reason },
                None => MethodKind::HandWritten { reason: "no request call".into() },
            };
        }
        [one] => *one,
        more => return MethodKind::NotUnderstood { reason: format!("{} request calls", more.len()) },
    };
    match convention.read(index, fi, m, body, call) {
        Ok(kind) => kind,
        Err(reason) => MethodKind::NotUnderstood { reason },
    }
}

/// The convention's API calls in a body, in source order.
pub(crate) fn api_calls<'b>(f: &FileCx<'_>, body: FnBody<'b>, convention: &dyn Convention) -> Vec<&'b CallExpr> {
    let mut calls: Vec<&CallExpr> = Vec::new();
    let mut collect = |c| {
        if convention.is_api_call(f, c) {
            calls.push(c);
        }
    };
    match body {
        FnBody::Block(stmts) => walk::calls_in_stmts(stmts, &mut collect),
        FnBody::Expr(e) => walk::calls_in_expr(e, &mut collect),
        FnBody::Missing => {}
    }
    calls
}

pub(crate) fn analyze_call(index: &Index<'_>, fi: usize, m: &FoundMethod<'_>, body: FnBody<'_>, call: &CallExpr) -> Result<Route, String> {
    let f = &index.files[fi];
    let Some(params) = m.func.simple_param_names() else {
        return Err("a parameter is a destructuring pattern".into());
    };
    let mut cx = MethodCx {
        f,
        request_param: params.first().cloned(),
        env: params.iter().map(|p| (p.clone(), Val::Path(p.clone(), Vec::new()))).collect(),
        headers_var: None,
        headers: Vec::new(),
        guards: Vec::new(),
    };
    match body {
        FnBody::Block(stmts) => {
            let Some((last, init)) = stmts.split_last() else { return Err("no request call".into()) };
            for s in init {
                prelude_stmt(&mut cx, index, fi, s, call)?;
            }
            match last {
                Stmt::Return(ReturnStmt { arg: Some(e), .. }) => returned(&mut cx, e, call),
                other => Err(not_understood(&cx, other, call)),
            }
        }
        FnBody::Expr(e) => returned(&mut cx, e, call),
        FnBody::Missing => Err("no body".into()),
    }
}

fn returned(cx: &mut MethodCx<'_, '_>, e: &Expr, call: &CallExpr) -> Result<Route, String> {
    let mut inner = unwrap_parens(e);
    if let Expr::Await(a) = inner {
        inner = unwrap_parens(&a.arg);
    }
    match inner {
        Expr::Call(c) if std::ptr::eq(c, call) => request::route(cx, call),
        _ => {
            // `request(...).then(...)`: show what follows the call.
            let span = e.span();
            let shown = if span.lo == call.span.lo && call.span.hi < span.hi {
                format!("request(...){}", cx.excerpt(Span::new(call.span.hi, span.hi)))
            } else {
                cx.excerpt(span)
            };
            Err(format!("the request's response is post-processed: `{shown}`"))
        }
    }
}

fn not_understood(cx: &MethodCx<'_, '_>, s: &Stmt, call: &CallExpr) -> String {
    let span = s.span();
    if span.lo <= call.span.lo && call.span.hi <= span.hi {
        format!("the request call is not what the method returns: `{}`", cx.excerpt(span))
    } else {
        format!("statement not understood: `{}`", cx.excerpt(span))
    }
}

/// A statement before the `return`: the headers object, a `this` alias, or header setting.
fn prelude_stmt(
    cx: &mut MethodCx<'_, '_>,
    index: &Index<'_>,
    fi: usize,
    s: &Stmt,
    call: &CallExpr,
) -> Result<(), String> {
    match s {
        Stmt::Empty(_) => Ok(()),
        Stmt::Decl(Decl::Var(v)) => {
            for d in &v.decls {
                let (Pat::Ident(id), Some(init)) = (&d.name, &d.init) else {
                    return Err(not_understood(cx, s, call));
                };
                let name = id.id.sym.to_string();
                match unwrap_parens(init) {
                    Expr::Object(o) if o.props.is_empty() && cx.headers_var.is_none() => {
                        cx.env.insert(name.clone(), Val::Headers);
                        cx.headers_var = Some(name);
                    }
                    Expr::This(_) => {
                        cx.env.insert(name, Val::This);
                    }
                    _ => return Err(not_understood(cx, s, call)),
                }
            }
            Ok(())
        }
        Stmt::If(i) if required_field_guard(cx, i).is_some() => {
            let guard = required_field_guard(cx, i).expect("checked by the match guard");
            cx.guards.push(guard);
            Ok(())
        }
        Stmt::If(_) | Stmt::Expr(_) | Stmt::Block(_) => {
            let mut guards = Vec::new();
            let mut headers = Vec::new();
            let env = cx.env.clone();
            match header_stmt(index, fi, s, &env, &mut guards, &mut headers, 0) {
                Ok(()) => {
                    cx.headers.extend(headers);
                    Ok(())
                }
                Err(_) if s.span().contains(call.span) => Err(not_understood(cx, s, call)),
                Err(e) => Err(e),
            }
        }
        _ => Err(not_understood(cx, s, call)),
    }
}

/// `if (!data.field) { throw new ClientError("CODE", "message"); }` (the error class is any
/// constructor called with two string literals; Babel writes `new _errors.ClientError(...)`).
fn required_field_guard(cx: &MethodCx<'_, '_>, i: &IfStmt) -> Option<Guard> {
    if i.alt.is_some() {
        return None;
    }
    let Expr::Unary(UnaryExpr { op: UnaryOp::Bang, arg, .. }) = unwrap_parens(&i.test) else { return None };
    let Some(Val::Path(param, path)) = eval(arg, &cx.env) else { return None };
    let [field] = path.as_slice() else { return None };
    if cx.request_param.as_deref() != Some(param.as_str()) {
        return None;
    }
    let thrown = match &*i.cons {
        Stmt::Throw(t) => &t.arg,
        Stmt::Block(b) => match b.stmts.as_slice() {
            [Stmt::Throw(t)] => &t.arg,
            _ => return None,
        },
        _ => return None,
    };
    let Expr::New(NewExpr { args: Some(args), .. }) = unwrap_parens(thrown) else { return None };
    let text = |a: &ExprOrSpread| match unwrap_parens(&a.expr) {
        Expr::Lit(Lit::Str(s)) if a.spread.is_none() => str_value(s),
        _ => None,
    };
    let [code, message] = args.as_slice() else { return None };
    Some(Guard { field: field.clone(), code: text(code)?, message: text(message)? })
}

/// A header guard: the header statements under it run only when this path is truthy (or
/// non-null).
type HeaderGuard = (String, Vec<String>);

/// A statement that may only add headers: `headers["X"] = options.x`, a call of a helper that
/// does, or `if (<path>) { ... }` around those. `env` says what each name stands for in the
/// function being read (the method, or a helper in file `fi`).
fn header_stmt(
    index: &Index<'_>,
    fi: usize,
    s: &Stmt,
    env: &HashMap<String, Val>,
    guards: &mut Vec<HeaderGuard>,
    out: &mut Vec<Header>,
    depth: u32,
) -> Result<(), String> {
    let f = &index.files[fi];
    let unknown = || format!("statement not understood: `{}`", f.excerpt(s.span()));
    match s {
        Stmt::Empty(_) => Ok(()),
        Stmt::Block(b) => {
            for s in &b.stmts {
                header_stmt(index, fi, s, env, guards, out, depth)?;
            }
            Ok(())
        }
        Stmt::If(i) => {
            if i.alt.is_some() {
                return Err(format!("`if` with an `else`: `{}`", f.excerpt(s.span())));
            }
            let Some(conds) = condition(&i.test, env) else {
                return Err(format!("condition not understood: `{}`", f.excerpt(i.test.span())));
            };
            let n = guards.len();
            guards.extend(conds);
            let r = header_stmt(index, fi, &i.cons, env, guards, out, depth);
            guards.truncate(n);
            r
        }
        Stmt::Expr(e) => {
            header_expr(index, fi, &e.expr, env, guards, out, depth).map_err(|e| e.unwrap_or_else(unknown))
        }
        _ => Err(unknown()),
    }
}

/// As [`header_stmt`], for an expression statement. `Err(None)` means "not a header statement".
fn header_expr(
    index: &Index<'_>,
    fi: usize,
    e: &Expr,
    env: &HashMap<String, Val>,
    guards: &mut Vec<HeaderGuard>,
    out: &mut Vec<Header>,
    depth: u32,
) -> Result<(), Option<String>> {
    let f = &index.files[fi];
    match unwrap_parens(e) {
        Expr::Assign(a) if a.op == AssignOp::Assign => {
            let AssignTarget::Simple(SimpleAssignTarget::Member(m)) = &a.left else { return Err(None) };
            if eval(&m.obj, env) != Some(Val::Headers) {
                return Err(None);
            }
            let name = match &m.prop {
                MemberProp::Ident(i) => i.sym.to_string(),
                MemberProp::Computed(c) => match unwrap_parens(&c.expr) {
                    Expr::Lit(Lit::Str(s)) => str_value(s).ok_or(None)?,
                    _ => return Err(Some(format!("computed header name: `{}`", f.excerpt(a.span)))),
                },
                MemberProp::PrivateName(_) => return Err(None),
            };
            let Some(Val::Path(param, path)) = eval(&a.right, env) else {
                return Err(Some(format!("header `{name}` is set from `{}`", f.excerpt(a.right.span()))));
            };
            if let Some((gp, gpath)) = guards.iter().find(|(gp, gpath)| *gp != param || !path.starts_with(gpath)) {
                let guard =
                    std::iter::once(gp.as_str()).chain(gpath.iter().map(String::as_str)).collect::<Vec<_>>().join(".");
                return Err(Some(format!("header `{name}` is only set when `{guard}` is truthy, not its own value")));
            }
            out.push(Header { name, param, path });
            Ok(())
        }
        Expr::Call(call) => {
            let Callee::Expr(callee) = &call.callee else { return Err(None) };
            if depth >= 8 {
                return Err(Some(format!("helpers nested too deeply: `{}`", f.excerpt(call.span))));
            }
            let (hfi, func) =
                index.resolve_callee(fi, callee).map_err(|why| Some(format!("{why}: `{}`", f.excerpt(call.span))))?;
            let mut args = Vec::new();
            for arg in &call.args {
                match (arg.spread, eval(&arg.expr, env)) {
                    (None, Some(v)) => args.push(v),
                    _ => return Err(Some(format!("helper argument not understood: `{}`", f.excerpt(arg.expr.span())))),
                }
            }
            helper(index, hfi, func, args, guards, out, depth + 1).map_err(Some)
        }
        _ => Err(None),
    }
}

/// Reads a helper function's body with its parameters bound to the caller's arguments.
fn helper(
    index: &Index<'_>,
    fi: usize,
    func: FnLike<'_>,
    args: Vec<Val>,
    guards: &mut Vec<HeaderGuard>,
    out: &mut Vec<Header>,
    depth: u32,
) -> Result<(), String> {
    let f = &index.files[fi];
    let Some(names) = func.simple_param_names() else {
        return Err(format!("a parameter of a helper in `{}` is a destructuring pattern", f.file));
    };
    let env: HashMap<String, Val> = names.into_iter().zip(args).collect();
    match func.body {
        FnBody::Block(stmts) => {
            for s in stmts {
                header_stmt(index, fi, s, &env, guards, out, depth)?;
            }
            Ok(())
        }
        FnBody::Expr(e) => header_expr(index, fi, e, &env, guards, out, depth)
            .map_err(|e| e.unwrap_or_else(|| format!("helper body not understood: `{}`", f.excerpt(e_span(func))))),
        FnBody::Missing => Err(format!("a helper in `{}` has no body", f.file)),
    }
}

fn e_span(func: FnLike<'_>) -> Span {
    match func.body {
        FnBody::Expr(e) => e.span(),
        _ => Span::default(),
    }
}

/// An `if` condition made of truthiness or non-null tests of paths, joined by `&&`:
/// `options?.authorization`, `options && options.authorization`,
/// `options !== null && options !== void 0 && options.authorization`.
fn condition(e: &Expr, env: &HashMap<String, Val>) -> Option<Vec<HeaderGuard>> {
    match unwrap_parens(e) {
        Expr::Bin(b) if b.op == BinaryOp::LogicalAnd => {
            let mut g = condition(&b.left, env)?;
            g.extend(condition(&b.right, env)?);
            Some(g)
        }
        Expr::Bin(b) if matches!(b.op, BinaryOp::NotEqEq | BinaryOp::NotEq) && is_null_or_undefined(&b.right) => {
            match eval(&b.left, env)? {
                Val::Path(p, path) => Some(vec![(p, path)]),
                _ => None,
            }
        }
        Expr::Unary(u) if u.op == UnaryOp::Bang => match unwrap_parens(&u.arg) {
            Expr::Unary(inner) if inner.op == UnaryOp::Bang => condition(&inner.arg, env),
            _ => None,
        },
        other => match eval(other, env)? {
            Val::Path(p, path) => Some(vec![(p, path)]),
            _ => None,
        },
    }
}

fn is_null_or_undefined(e: &Expr) -> bool {
    match unwrap_parens(e) {
        Expr::Lit(Lit::Null(_)) => true,
        Expr::Ident(i) => i.sym == "undefined",
        other => is_void0(other),
    }
}

fn is_void0(e: &Expr) -> bool {
    matches!(unwrap_parens(e), Expr::Unary(u) if u.op == UnaryOp::Void && matches!(&*u.arg, Expr::Lit(Lit::Num(_))))
}

/// What an expression stands for: a name from `env`, or a property path inside a parameter
/// (plain, `?.`, or Babel's lowered `x === null || x === void 0 ? void 0 : x.y`).
pub(crate) fn eval(e: &Expr, env: &HashMap<String, Val>) -> Option<Val> {
    match unwrap_parens(e) {
        Expr::Ident(i) => env.get(i.sym.as_str()).cloned(),
        Expr::This(_) => Some(Val::This),
        Expr::Member(m) => member(m, env),
        Expr::OptChain(o) => match &*o.base {
            OptChainBase::Member(m) => member(m, env),
            OptChainBase::Call(_) => None,
        },
        Expr::Cond(c) if is_void0(&c.cons) => {
            let Expr::Member(m) = unwrap_parens(&c.alt) else { return None };
            let tested = lowered_null_test(&c.test, env)?;
            if eval(&m.obj, env)? != tested {
                return None;
            }
            member(m, env)
        }
        _ => None,
    }
}

fn member(m: &MemberExpr, env: &HashMap<String, Val>) -> Option<Val> {
    let Val::Path(p, mut path) = eval(&m.obj, env)? else { return None };
    let name = match &m.prop {
        MemberProp::Ident(i) => i.sym.to_string(),
        MemberProp::Computed(c) => match unwrap_parens(&c.expr) {
            Expr::Lit(Lit::Str(s)) => str_value(s)?,
            _ => return None,
        },
        MemberProp::PrivateName(_) => return None,
    };
    path.push(name);
    Some(Val::Path(p, path))
}

/// `x === null || x === void 0` (either order, `==` too) -> what `x` stands for.
fn lowered_null_test(e: &Expr, env: &HashMap<String, Val>) -> Option<Val> {
    let Expr::Bin(b) = unwrap_parens(e) else { return None };
    let single = |e: &Expr| -> Option<Val> {
        let Expr::Bin(t) = unwrap_parens(e) else { return None };
        if !matches!(t.op, BinaryOp::EqEqEq | BinaryOp::EqEq) || !is_null_or_undefined(&t.right) {
            return None;
        }
        eval(&t.left, env)
    };
    match b.op {
        BinaryOp::LogicalOr => {
            let (l, r) = (single(&b.left)?, single(&b.right)?);
            (l == r).then_some(l)
        }
        BinaryOp::EqEq => single(e),
        _ => None,
    }
}
