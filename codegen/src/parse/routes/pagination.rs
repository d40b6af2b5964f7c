//! The page classes of a Stainless SDK (`core/pagination.js`) and how each finds its next page,
//! read from the class's own code:
//!
//! ```js
//! class CursorPage extends AbstractPage {
//!     constructor(client, response, body, options) { ...; this.data = body.data || []; this.has_more = body.has_more || false; }
//!     getPaginatedItems() { return this.data ?? []; }
//!     hasNextPage() { if (this.has_more === false) { return false; } return super.hasNextPage(); }
//!     nextPageRequestOptions() {
//!         const data = this.getPaginatedItems();
//!         const id = data[data.length - 1]?.id;          // or: const cursor = this.last_id;
//!         if (!id) { return null; }
//!         return { ...this.options, query: { ...maybeObj(this.options.query), after: id } };
//!     }
//! }
//! ```
//!
//! A class whose code has another shape gets no rule; a list method returning it is then not
//! generated, with that reason.

use std::collections::HashMap;

use swc_ecma_ast::*;

use super::modules::{FileCx, prop_name, unwrap_parens};
use crate::ir::call::{Cursor, CursorSource, PageRule};

/// The rule of every page class declared in the file (ES2015 classes with both
/// `getPaginatedItems` and `nextPageRequestOptions`).
pub(crate) fn page_rules(f: &FileCx<'_>) -> Vec<PageRule> {
    let stmts: Vec<&Stmt> = match f.program {
        Program::Script(s) => s.body.iter().collect(),
        Program::Module(m) => m.body.iter().filter_map(|i| i.as_stmt()).collect(),
    };
    stmts
        .into_iter()
        .filter_map(|stmt| match stmt {
            Stmt::Decl(Decl::Class(c)) => page_rule(c.ident.sym.as_str(), &c.class),
            _ => None,
        })
        .collect()
}

fn page_rule(name: &str, class: &Class) -> Option<PageRule> {
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut methods: HashMap<String, &[Stmt]> = HashMap::new();
    for member in &class.body {
        match member {
            ClassMember::Constructor(c) => {
                for s in c.body.iter().flat_map(|b| &b.stmts) {
                    if let Some((prop, field)) = this_from_body(s) {
                        fields.insert(prop, field);
                    }
                }
            }
            ClassMember::Method(m) if !m.is_static => {
                if let (Some(n), Some(b)) = (prop_name(&m.key), &m.function.body) {
                    methods.insert(n, &b.stmts);
                }
            }
            _ => {}
        }
    }
    let items_prop = match methods.get("getPaginatedItems")? {
        [Stmt::Return(ReturnStmt { arg: Some(e), .. })] => this_prop(strip_default(e))?,
        _ => return None,
    };
    let items = fields.get(&items_prop)?.clone();
    let has_more = methods.get("hasNextPage").and_then(|b| false_test(b)).and_then(|p| fields.get(&p).cloned());
    let cursor = match methods.get("nextPageRequestOptions")? {
        [Stmt::Return(ReturnStmt { arg: Some(e), .. })] if matches!(unwrap_parens(e), Expr::Lit(Lit::Null(_))) => None,
        body => Some(cursor(body, &fields, &items_prop)?),
    };
    Some(PageRule { class: name.to_string(), items, has_more, cursor })
}

/// `this.data = body.data || []` -> (`data`, `data`).
fn this_from_body(s: &Stmt) -> Option<(String, String)> {
    let Stmt::Expr(ExprStmt { expr, .. }) = s else { return None };
    let Expr::Assign(a) = unwrap_parens(expr) else { return None };
    let AssignTarget::Simple(SimpleAssignTarget::Member(m)) = &a.left else { return None };
    if !matches!(unwrap_parens(&m.obj), Expr::This(_)) {
        return None;
    }
    let MemberProp::Ident(prop) = &m.prop else { return None };
    let Expr::Member(src) = unwrap_parens(strip_default(&a.right)) else { return None };
    let (Expr::Ident(_), MemberProp::Ident(field)) = (unwrap_parens(&src.obj), &src.prop) else { return None };
    Some((prop.sym.to_string(), field.sym.to_string()))
}

/// `x || d`, `x ?? d` -> `x`.
fn strip_default(e: &Expr) -> &Expr {
    match unwrap_parens(e) {
        Expr::Bin(b) if matches!(b.op, BinaryOp::LogicalOr | BinaryOp::NullishCoalescing) => unwrap_parens(&b.left),
        other => other,
    }
}

/// `this.x` -> `x`.
fn this_prop(e: &Expr) -> Option<String> {
    let Expr::Member(m) = unwrap_parens(e) else { return None };
    match (unwrap_parens(&m.obj), &m.prop) {
        (Expr::This(_), MemberProp::Ident(p)) => Some(p.sym.to_string()),
        _ => None,
    }
}

/// `if (this.has_more === false) { return false; }` in `hasNextPage` -> `has_more`.
fn false_test(body: &[Stmt]) -> Option<String> {
    body.iter().find_map(|s| {
        let Stmt::If(i) = s else { return None };
        let Expr::Bin(b) = unwrap_parens(&i.test) else { return None };
        if b.op != BinaryOp::EqEqEq || !matches!(unwrap_parens(&b.right), Expr::Lit(Lit::Bool(Bool { value: false, .. }))) {
            return None;
        }
        this_prop(&b.left)
    })
}

/// The cursor of `nextPageRequestOptions`: the value put under a query key in the returned
/// options, traced back to its `const`.
fn cursor(body: &[Stmt], fields: &HashMap<String, String>, items_prop: &str) -> Option<Cursor> {
    let mut consts: HashMap<String, &Expr> = HashMap::new();
    for s in body {
        if let Stmt::Decl(Decl::Var(v)) = s {
            for d in &v.decls {
                if let (Pat::Ident(id), Some(init)) = (&d.name, &d.init) {
                    consts.insert(id.id.sym.to_string(), init);
                }
            }
        }
    }
    let Some(Stmt::Return(ReturnStmt { arg: Some(ret), .. })) = body.last() else { return None };
    let Expr::Object(o) = unwrap_parens(ret) else { return None };
    let query = o.props.iter().find_map(|p| match p {
        PropOrSpread::Prop(p) => match &**p {
            Prop::KeyValue(kv) if prop_name(&kv.key).as_deref() == Some("query") => Some(&*kv.value),
            _ => None,
        },
        _ => None,
    })?;
    let Expr::Object(q) = unwrap_parens(query) else { return None };
    let (key, value) = q.props.iter().find_map(|p| match p {
        PropOrSpread::Prop(p) => match &**p {
            Prop::KeyValue(kv) => Some((prop_name(&kv.key)?, &*kv.value)),
            _ => None,
        },
        _ => None,
    })?;
    let Expr::Ident(var) = unwrap_parens(value) else { return None };
    let init = *consts.get(var.sym.as_str())?;
    let from = if let Some(prop) = this_prop(init) {
        CursorSource::Response(fields.get(&prop)?.clone())
    } else {
        CursorSource::LastItem(last_item_field(init, &consts, items_prop)?)
    };
    Some(Cursor { from, query: key })
}

/// `data[data.length - 1]?.id` where `data` is `this.getPaginatedItems()` -> `id`.
fn last_item_field(e: &Expr, consts: &HashMap<String, &Expr>, items_prop: &str) -> Option<String> {
    let m = match unwrap_parens(e) {
        Expr::OptChain(o) => match &*o.base {
            OptChainBase::Member(m) => m,
            OptChainBase::Call(_) => return None,
        },
        Expr::Member(m) => m,
        _ => return None,
    };
    let MemberProp::Ident(field) = &m.prop else { return None };
    let Expr::Member(indexed) = unwrap_parens(&m.obj) else { return None };
    let Expr::Ident(list) = unwrap_parens(&indexed.obj) else { return None };
    let MemberProp::Computed(c) = &indexed.prop else { return None };
    let Expr::Bin(b) = unwrap_parens(&c.expr) else { return None };
    let last = b.op == BinaryOp::Sub
        && matches!(unwrap_parens(&b.right), Expr::Lit(Lit::Num(n)) if n.value == 1.0)
        && matches!(unwrap_parens(&b.left), Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(p), .. })
            if p.sym == "length" && matches!(unwrap_parens(obj), Expr::Ident(o) if o.sym == list.sym));
    let is_items = match consts.get(list.sym.as_str()).map(|e| unwrap_parens(e)) {
        Some(Expr::Call(call)) => match &call.callee {
            Callee::Expr(callee) => this_prop(callee).as_deref() == Some("getPaginatedItems"),
            _ => false,
        },
        Some(other) => this_prop(other).as_deref() == Some(items_prop),
        None => false,
    };
    (last && is_items).then(|| field.sym.to_string())
}
