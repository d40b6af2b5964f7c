//! Async methods as Babel compiles them for targets without `async`/generators: the method value
//! is a wrapper around an `_asyncToGenerator(mark(function _callee(data) {...}))` function, and
//! `_callee`'s body is a `wrap(function (_context) { while (1) switch (...) { case 0: ... } })`
//! state machine. This module finds `_callee` and turns a state machine that has no `await` in
//! it back into the straight-line statements it was compiled from, so the method is read
//! exactly like its ES2015 twin. Both runtimes are read: the classic one
//! (`_regeneratorRuntime().mark`, `regeneratorRuntime.mark`, `_regenerator.default.mark`,
//! `.wrap`, `_context.abrupt("return", x)`, `_context.next = 2`, `_context.stop()`) and the
//! compact one of Babel 7.27+ (`_regenerator().m`, `.w`, `_context.a(2, x)`, `_context.n = 1`).
//! Anything else is left in place, so the method reader names it as not understood.

use std::collections::HashSet;

use swc_common::Spanned;
use swc_ecma_ast::*;

use super::modules::{FnLike, str_value, unwrap_callee, unwrap_parens};

/// The `_callee` function of an async method compiled by Babel: the value of
/// `function () { var _get = _asyncToGenerator(mark(function _callee(params) {...}));
/// function get(_x) { return _get.apply(this, arguments); } return get; }()`.
/// With generator targets `_asyncToGenerator(function* (params) {...})` is read the same way.
pub(crate) fn async_method(e: &Expr) -> Option<FnLike<'_>> {
    let Expr::Call(iife) = unwrap_parens(e) else { return None };
    let Callee::Expr(callee) = &iife.callee else { return None };
    let Expr::Fn(wrapper) = unwrap_parens(callee) else { return None };
    let body = &wrapper.function.body.as_ref()?.stmts;
    let [Stmt::Decl(Decl::Var(holder)), Stmt::Decl(Decl::Fn(forward)), Stmt::Return(ReturnStmt { arg: Some(ret), .. })] =
        body.as_slice()
    else {
        return None;
    };
    let [VarDeclarator { name: Pat::Ident(held), init: Some(init), .. }] = holder.decls.as_slice() else { return None };
    if !matches!(unwrap_parens(ret), Expr::Ident(r) if r.sym == forward.ident.sym) || !applies(forward, &held.id.sym) {
        return None;
    }
    let Expr::Call(to_gen) = unwrap_parens(init) else { return None };
    let Callee::Expr(to_gen_callee) = &to_gen.callee else { return None };
    if !named(unwrap_callee(to_gen_callee), "asyncToGenerator") {
        return None;
    }
    let arg = unwrap_parens(&to_gen.args.first()?.expr);
    let callee_fn = match arg {
        Expr::Fn(f) => f,
        Expr::Call(mark) => {
            let Callee::Expr(m) = &mark.callee else { return None };
            if !is_member_call(m, &["mark", "m"]) {
                return None;
            }
            let Expr::Fn(f) = unwrap_parens(&mark.args.first()?.expr) else { return None };
            f
        }
        _ => return None,
    };
    Some(FnLike::function(&callee_fn.function))
}

/// `function get(_x) { return _get.apply(this, arguments); }`.
fn applies(forward: &FnDecl, held: &str) -> bool {
    let Some(body) = &forward.function.body else { return false };
    let [Stmt::Return(ReturnStmt { arg: Some(e), .. })] = body.stmts.as_slice() else { return false };
    let Expr::Call(call) = unwrap_parens(e) else { return false };
    let Callee::Expr(c) = &call.callee else { return false };
    matches!(unwrap_parens(c), Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(p), .. })
        if p.sym == "apply" && matches!(unwrap_parens(obj), Expr::Ident(o) if o.sym == held))
}

/// Whether a callee is a function whose name contains `name` (`_asyncToGenerator`,
/// `(0, _asyncToGenerator2.default)`).
fn named(callee: &Expr, name: &str) -> bool {
    match callee {
        Expr::Ident(i) => i.sym.contains(name),
        Expr::Member(MemberExpr { obj, prop, .. }) => {
            matches!(unwrap_parens(obj), Expr::Ident(o) if o.sym.contains(name))
                || matches!(prop, MemberProp::Ident(p) if p.sym.contains(name))
        }
        _ => false,
    }
}

/// `<anything>.mark(...)`, `_regenerator().m(...)`: a call of a method with one of `names`.
fn is_member_call(callee: &Expr, names: &[&str]) -> bool {
    matches!(unwrap_parens(callee), Expr::Member(MemberExpr { prop: MemberProp::Ident(p), .. }) if names.contains(&p.sym.as_str()))
}

/// The straight-line statements of a `_callee` body that is a regenerator state machine, or
/// `None` when the body is not one (then it is read as written).
pub(crate) fn linearize(stmts: &[Stmt]) -> Option<Vec<Stmt>> {
    let (ret, hoisted) = stmts.split_last()?;
    let mut names = HashSet::new();
    for s in hoisted {
        let Stmt::Decl(Decl::Var(v)) = s else { return None };
        for d in &v.decls {
            let (Pat::Ident(id), None) = (&d.name, &d.init) else { return None };
            names.insert(id.id.sym.to_string());
        }
    }
    let Stmt::Return(ReturnStmt { arg: Some(wrap), .. }) = ret else { return None };
    let Expr::Call(wrap) = unwrap_parens(wrap) else { return None };
    let Callee::Expr(wrap_callee) = &wrap.callee else { return None };
    if !is_member_call(wrap_callee, &["wrap", "w"]) {
        return None;
    }
    let Expr::Fn(machine) = unwrap_parens(&wrap.args.first()?.expr) else { return None };
    let [Param { pat: Pat::Ident(context), .. }] = machine.function.params.as_slice() else { return None };
    let switch = state_switch(&machine.function.body.as_ref()?.stmts)?;
    Some(Machine { context: context.id.sym.to_string(), hoisted: names }.straighten(switch))
}

/// `while (1) switch (...) {...}`, also with braces around the `switch`.
fn state_switch(stmts: &[Stmt]) -> Option<&SwitchStmt> {
    let [Stmt::While(w)] = stmts else { return None };
    match &*w.body {
        Stmt::Switch(s) => Some(s),
        Stmt::Block(b) => match b.stmts.as_slice() {
            [Stmt::Switch(s)] => Some(s),
            _ => None,
        },
        _ => None,
    }
}

struct Machine {
    /// The state machine's context parameter (`_context`).
    context: String,
    /// Variables hoisted out of the machine (`var headers;`), declared at their first assignment.
    hoisted: HashSet<String>,
}

impl Machine {
    /// The cases in order, as straight code: a guard's jump over a `throw` to the next case
    /// becomes `if (!test) throw ...`, `return _context.abrupt("return", x)` becomes `return x`,
    /// the closing `_context.stop()` goes. Other uses of the context stay, to be reported.
    fn straighten(mut self, switch: &SwitchStmt) -> Vec<Stmt> {
        let mut out = Vec::new();
        let stmts: Vec<(usize, &Stmt)> =
            switch.cases.iter().enumerate().flat_map(|(ci, c)| c.cons.iter().map(move |s| (ci, s))).collect();
        let mut i = 0;
        while i < stmts.len() {
            let (ci, s) = stmts[i];
            if let Some(guard) = self.guard(s, stmts.get(i + 1).copied(), switch, ci) {
                out.push(guard);
                i += 2;
                continue;
            }
            match s {
                Stmt::Return(ReturnStmt { arg: Some(e), .. }) if self.is_stop(e) => {}
                Stmt::Return(ReturnStmt { arg: Some(e), span }) => {
                    let arg = self.abrupt_return(e).unwrap_or_else(|| e.clone());
                    out.push(Stmt::Return(ReturnStmt { span: *span, arg: Some(arg) }));
                }
                Stmt::Expr(ExprStmt { expr, span }) => out.push(self.first_assignment(expr, *span).unwrap_or_else(|| s.clone())),
                other => out.push(other.clone()),
            }
            i += 1;
        }
        out
    }

    /// `if (test) { _context.n = K; break; } throw x;` where case `K` is the next case ->
    /// `if (!test) { throw x; }`.
    fn guard(&self, s: &Stmt, next: Option<(usize, &Stmt)>, switch: &SwitchStmt, case: usize) -> Option<Stmt> {
        let Stmt::If(IfStmt { test, cons, alt: None, span, .. }) = s else { return None };
        let (_, throw @ Stmt::Throw(_)) = next? else { return None };
        let Stmt::Block(b) = &**cons else { return None };
        let [Stmt::Expr(jump), Stmt::Break(BreakStmt { label: None, .. })] = b.stmts.as_slice() else { return None };
        let target = self.jump_target(&jump.expr)?;
        let next_case = switch.cases.get(case + 1)?.test.as_deref()?;
        if !matches!(unwrap_parens(next_case), Expr::Lit(Lit::Num(n)) if n.value == target) {
            return None;
        }
        let negated = Expr::Unary(UnaryExpr { span: test.span(), op: UnaryOp::Bang, arg: test.clone() });
        let block = Stmt::Block(BlockStmt { span: throw.span(), stmts: vec![throw.clone()], ..Default::default() });
        Some(Stmt::If(IfStmt { span: *span, test: Box::new(negated), cons: Box::new(block), alt: None }))
    }

    fn is_context(&self, e: &Expr) -> bool {
        matches!(unwrap_parens(e), Expr::Ident(i) if i.sym == *self.context)
    }

    /// `_context.n = K` / `_context.next = K` -> `K`.
    fn jump_target(&self, e: &Expr) -> Option<f64> {
        let Expr::Assign(a) = unwrap_parens(e) else { return None };
        let AssignTarget::Simple(SimpleAssignTarget::Member(m)) = &a.left else { return None };
        let is_next = matches!(&m.prop, MemberProp::Ident(p) if p.sym == "n" || p.sym == "next");
        match unwrap_parens(&a.right) {
            Expr::Lit(Lit::Num(n)) if is_next && self.is_context(&m.obj) => Some(n.value),
            _ => None,
        }
    }

    /// A call of the context's method `name`: its arguments.
    fn context_call<'e>(&self, e: &'e Expr, names: &[&str]) -> Option<&'e [ExprOrSpread]> {
        let Expr::Call(c) = unwrap_parens(e) else { return None };
        let Callee::Expr(callee) = &c.callee else { return None };
        let Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(p), .. }) = unwrap_parens(callee) else { return None };
        (self.is_context(obj) && names.contains(&p.sym.as_str())).then_some(c.args.as_slice())
    }

    fn is_stop(&self, e: &Expr) -> bool {
        self.context_call(e, &["stop"]).is_some_and(<[_]>::is_empty)
    }

    /// `_context.abrupt("return", x)` / `_context.a(2, x)` -> `x`.
    fn abrupt_return(&self, e: &Expr) -> Option<Box<Expr>> {
        if let Some([kind, value]) = self.context_call(e, &["abrupt"]) {
            return matches!(unwrap_parens(&kind.expr), Expr::Lit(Lit::Str(s)) if str_value(s).as_deref() == Some("return")).then(|| value.expr.clone());
        }
        if let Some([kind, value]) = self.context_call(e, &["a"]) {
            return matches!(unwrap_parens(&kind.expr), Expr::Lit(Lit::Num(n)) if n.value == 2.0).then(|| value.expr.clone());
        }
        None
    }

    /// `headers = {}` for a hoisted `headers`, the first time: `var headers = {}`.
    fn first_assignment(&mut self, e: &Expr, span: swc_common::Span) -> Option<Stmt> {
        let Expr::Assign(a) = unwrap_parens(e) else { return None };
        let AssignTarget::Simple(SimpleAssignTarget::Ident(id)) = &a.left else { return None };
        if a.op != AssignOp::Assign || !self.hoisted.remove(id.id.sym.as_str()) {
            return None;
        }
        let decl = VarDeclarator { span, name: Pat::Ident(id.clone()), init: Some(a.right.clone()), definite: false };
        Some(Stmt::Decl(Decl::Var(Box::new(VarDecl {
            span,
            kind: VarDeclKind::Var,
            decls: vec![decl],
            ..Default::default()
        }))))
    }
}
