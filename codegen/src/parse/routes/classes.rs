//! Finds the classes of a file and their methods, in the ES2015 form and in the ES5 forms that
//! Babel and TypeScript write for older targets.

use std::collections::HashMap;

use swc_common::Span;
use swc_ecma_ast::*;

use super::modules::{FileCx, FnLike, prop_name, str_value, unwrap_callee, unwrap_parens};
use super::regenerator;

pub(crate) struct FoundClass<'a> {
    pub name: String,
    pub span: Span,
    /// The name of the class it extends (`APIResource` for `extends resource_1.APIResource`),
    /// for ES2015 classes.
    pub superclass: Option<String>,
    pub methods: Vec<FoundMethod<'a>>,
}

pub(crate) struct FoundMethod<'a> {
    pub name: String,
    pub span: Span,
    pub func: FnLike<'a>,
    /// Why this is not an ordinary instance method we can read (`static method`, ...).
    pub unusual: Option<&'static str>,
}

pub(crate) fn find_classes<'a>(f: &FileCx<'a>) -> Vec<FoundClass<'a>> {
    let mut out = Vec::new();
    let mut scope = Scope::default();
    match f.program {
        Program::Script(s) => {
            for stmt in &s.body {
                scope.stmt(f, stmt, &mut out);
            }
        }
        Program::Module(m) => {
            for item in &m.body {
                match item {
                    ModuleItem::Stmt(stmt) => scope.stmt(f, stmt, &mut out),
                    ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(e)) => scope.decl(f, &e.decl, &mut out),
                    ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultDecl(ExportDefaultDecl {
                        decl: DefaultDecl::Class(c),
                        ..
                    })) => {
                        let name = c.ident.as_ref().map(|i| i.sym.to_string()).unwrap_or_else(|| "default".into());
                        out.push(es2015_class(f, name, &c.class));
                    }
                    ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultExpr(e)) => scope.expr(f, None, &e.expr, &mut out),
                    _ => {}
                }
            }
        }
    }
    scope.finish(&mut out);
    out.sort_by_key(|c| c.span.lo);
    for c in &mut out {
        c.methods.sort_by_key(|m| m.span.lo);
    }
    out
}

fn es2015_class<'a>(f: &FileCx<'a>, name: String, class: &'a Class) -> FoundClass<'a> {
    let mut methods = Vec::new();
    for member in &class.body {
        match member {
            ClassMember::Method(m) if m.kind == MethodKind::Method => {
                let (name, computed) = match prop_name(&m.key) {
                    Some(n) => (n, false),
                    None => (f.excerpt(key_span(&m.key)), true),
                };
                let unusual = if m.is_static {
                    Some("static method")
                } else if computed {
                    Some("computed method name")
                } else {
                    None
                };
                methods.push(FoundMethod { name, span: m.span, func: FnLike::function(&m.function), unusual });
            }
            ClassMember::PrivateMethod(m) if m.kind == MethodKind::Method => {
                methods.push(FoundMethod {
                    name: format!("#{}", m.key.name),
                    span: m.span,
                    func: FnLike::function(&m.function),
                    unusual: Some("private method"),
                });
            }
            // `name = (data) => ...` class fields holding functions behave like methods.
            ClassMember::ClassProp(p) => {
                let Some(func) = p.value.as_deref().and_then(FnLike::from_expr) else { continue };
                let (name, computed) = match prop_name(&p.key) {
                    Some(n) => (n, false),
                    None => (f.excerpt(key_span(&p.key)), true),
                };
                let unusual = if p.is_static {
                    Some("static method")
                } else if computed {
                    Some("computed method name")
                } else {
                    None
                };
                methods.push(FoundMethod { name, span: p.span, func, unusual });
            }
            _ => {}
        }
    }
    let superclass = class.super_class.as_deref().and_then(|e| match unwrap_parens(e) {
        Expr::Ident(i) => Some(i.sym.to_string()),
        Expr::Member(MemberExpr { prop: MemberProp::Ident(p), .. }) => Some(p.sym.to_string()),
        _ => None,
    });
    FoundClass { name, span: class.span, superclass, methods }
}

fn key_span(k: &PropName) -> Span {
    match k {
        PropName::Ident(i) => i.span,
        PropName::Str(s) => s.span,
        PropName::Num(n) => n.span,
        PropName::Computed(c) => c.span,
        PropName::BigInt(b) => b.span,
    }
}

/// One function scope's ES5 class candidates: constructor functions and what is attached to
/// their prototypes.
#[derive(Default)]
struct Scope<'a> {
    /// `function X() {}`: name, span, whether it calls `_classCallCheck(this, X)`.
    ctors: Vec<(String, Span, bool)>,
    /// `var _proto = X.prototype;`
    proto_alias: HashMap<String, String>,
    methods: HashMap<String, Vec<FoundMethod<'a>>>,
}

impl<'a> Scope<'a> {
    fn stmt(&mut self, f: &FileCx<'a>, stmt: &'a Stmt, out: &mut Vec<FoundClass<'a>>) {
        match stmt {
            Stmt::Decl(d) => self.decl(f, d, out),
            Stmt::Expr(e) => self.expr(f, Some(e.span), &e.expr, out),
            // Babel: `return _createClass(X, [...]);` closes its class wrapper.
            Stmt::Return(ReturnStmt { arg: Some(e), span }) => self.expr(f, Some(*span), e, out),
            _ => {}
        }
    }

    fn decl(&mut self, f: &FileCx<'a>, decl: &'a Decl, out: &mut Vec<FoundClass<'a>>) {
        match decl {
            Decl::Class(c) => out.push(es2015_class(f, c.ident.sym.to_string(), &c.class)),
            Decl::Fn(fd) => {
                let checks = fd.function.body.as_ref().is_some_and(|b| calls_class_call_check(&b.stmts, &fd.ident.sym));
                self.ctors.push((fd.ident.sym.to_string(), fd.function.span, checks));
            }
            Decl::Var(v) => {
                for d in &v.decls {
                    let (Pat::Ident(id), Some(init)) = (&d.name, &d.init) else { continue };
                    let local = id.id.sym.to_string();
                    match assigned_value(init) {
                        Expr::Class(c) => {
                            let name = c.ident.as_ref().map(|i| i.sym.to_string()).unwrap_or(local);
                            out.push(es2015_class(f, name, &c.class));
                        }
                        Expr::Fn(fe) => {
                            let checks =
                                fe.function.body.as_ref().is_some_and(|b| calls_class_call_check(&b.stmts, &local));
                            self.ctors.push((local, d.span, checks));
                        }
                        Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(p), .. }) if p.sym == "prototype" => {
                            if let Expr::Ident(class) = unwrap_parens(obj) {
                                self.proto_alias.insert(local, class.sym.to_string());
                            }
                        }
                        other => {
                            if let Some(body) = iife_body(other) {
                                scan_nested(f, body, out);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn expr(&mut self, f: &FileCx<'a>, stmt_span: Option<Span>, e: &'a Expr, out: &mut Vec<FoundClass<'a>>) {
        match unwrap_parens(e) {
            Expr::Assign(a) if a.op == AssignOp::Assign => {
                if let Some((class, name)) = self.prototype_target(&a.left) {
                    if let Some(func) = method_value(&a.right) {
                        let span = stmt_span.unwrap_or(a.span);
                        self.methods.entry(class).or_default().push(FoundMethod { name, span, func, unusual: None });
                        return;
                    }
                }
                match assigned_value(&a.right) {
                    // `exports.X = class X {}`
                    Expr::Class(c) => {
                        let name = c.ident.as_ref().map(|i| i.sym.to_string()).or_else(|| assigned_name(&a.left));
                        out.push(es2015_class(f, name.unwrap_or_default(), &c.class));
                    }
                    other => {
                        if let Some(body) = iife_body(other) {
                            scan_nested(f, body, out);
                        }
                    }
                }
            }
            Expr::Call(call) if !self.create_class(call) => {
                if let Some(body) = iife_body(e) {
                    scan_nested(f, body, out);
                }
            }
            _ => {}
        }
    }

    /// `X.prototype.name` or `_proto.name` -> (`X`, `name`).
    fn prototype_target(&self, target: &AssignTarget) -> Option<(String, String)> {
        let AssignTarget::Simple(SimpleAssignTarget::Member(m)) = target else { return None };
        let name = match &m.prop {
            MemberProp::Ident(i) => i.sym.to_string(),
            MemberProp::Computed(c) => match &*c.expr {
                Expr::Lit(Lit::Str(s)) => str_value(s)?,
                _ => return None,
            },
            MemberProp::PrivateName(_) => return None,
        };
        match unwrap_parens(&m.obj) {
            Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(p), .. }) if p.sym == "prototype" => {
                match unwrap_parens(obj) {
                    Expr::Ident(class) => Some((class.sym.to_string(), name)),
                    _ => None,
                }
            }
            Expr::Ident(alias) => self.proto_alias.get(alias.sym.as_str()).map(|c| (c.clone(), name)),
            _ => None,
        }
    }

    /// Babel's `_createClass(X, [{ key: "m", value: function m() {} }, ...], [statics])`.
    fn create_class(&mut self, call: &'a CallExpr) -> bool {
        let Callee::Expr(callee) = &call.callee else { return false };
        let named = match unwrap_callee(callee) {
            Expr::Ident(i) => i.sym.contains("createClass"),
            Expr::Member(MemberExpr { obj, prop, .. }) => {
                matches!(unwrap_parens(obj), Expr::Ident(o) if o.sym.contains("createClass"))
                    || matches!(prop, MemberProp::Ident(p) if p.sym.contains("createClass"))
            }
            _ => false,
        };
        if !named || call.args.is_empty() {
            return false;
        }
        let Expr::Ident(class) = unwrap_parens(&call.args[0].expr) else { return false };
        let class = class.sym.to_string();
        for (i, arg) in call.args.iter().enumerate().skip(1).take(2) {
            let Expr::Array(arr) = unwrap_parens(&arg.expr) else { continue };
            for desc in arr.elems.iter().flatten() {
                let Expr::Object(obj) = unwrap_parens(&desc.expr) else { continue };
                let mut key = None;
                let mut value = None;
                for prop in &obj.props {
                    let PropOrSpread::Prop(prop) = prop else { continue };
                    match &**prop {
                        Prop::KeyValue(kv) => match prop_name(&kv.key).as_deref() {
                            Some("key") => {
                                if let Expr::Lit(Lit::Str(s)) = unwrap_parens(&kv.value) {
                                    key = str_value(s);
                                }
                            }
                            Some("value") => value = method_value(&kv.value),
                            _ => {}
                        },
                        Prop::Method(m) if prop_name(&m.key).as_deref() == Some("value") => {
                            value = Some(FnLike::function(&m.function));
                        }
                        _ => {}
                    }
                }
                // Descriptors with `get`/`set` and no `value` are accessors, not methods.
                if let (Some(name), Some(func)) = (key, value) {
                    let unusual = if i == 2 { Some("static method") } else { None };
                    self.methods.entry(class.clone()).or_default().push(FoundMethod {
                        name,
                        span: obj.span,
                        func,
                        unusual,
                    });
                }
            }
        }
        true
    }

    fn finish(self, out: &mut Vec<FoundClass<'a>>) {
        let mut methods = self.methods;
        for (name, span, checks) in self.ctors {
            let ms = methods.remove(&name).unwrap_or_default();
            if checks || !ms.is_empty() {
                out.push(FoundClass { name, span, superclass: None, methods: ms });
            }
        }
    }
}

/// The value of a chain of assignments: `exports.X = X = <value>` -> `<value>`.
fn assigned_value(e: &Expr) -> &Expr {
    match unwrap_parens(e) {
        Expr::Assign(a) if a.op == AssignOp::Assign => assigned_value(&a.right),
        other => other,
    }
}

/// A method's function: a function expression, or an async method compiled by regenerator.
fn method_value(e: &Expr) -> Option<FnLike<'_>> {
    FnLike::from_expr(e).or_else(|| regenerator::async_method(e))
}

fn scan_nested<'a>(f: &FileCx<'a>, body: &'a [Stmt], out: &mut Vec<FoundClass<'a>>) {
    let mut scope = Scope::default();
    for stmt in body {
        scope.stmt(f, stmt, out);
    }
    scope.finish(out);
}

/// The body of `(function () { ... })()`, `(function () { ... }())`, `(() => { ... })()`.
fn iife_body(e: &Expr) -> Option<&[Stmt]> {
    let Expr::Call(call) = unwrap_parens(e) else { return None };
    let Callee::Expr(callee) = &call.callee else { return None };
    match unwrap_parens(callee) {
        Expr::Fn(f) => f.function.body.as_ref().map(|b| b.stmts.as_slice()),
        Expr::Arrow(a) => match &*a.body {
            ArrowFunctionBody::FunctionBody(b) => Some(b.stmts.as_slice()),
            ArrowFunctionBody::Expr(_) => None,
        },
        _ => None,
    }
}

fn assigned_name(target: &AssignTarget) -> Option<String> {
    match target {
        AssignTarget::Simple(SimpleAssignTarget::Member(m)) => match &m.prop {
            MemberProp::Ident(i) => Some(i.sym.to_string()),
            _ => None,
        },
        AssignTarget::Simple(SimpleAssignTarget::Ident(i)) => Some(i.id.sym.to_string()),
        _ => None,
    }
}

/// Whether a constructor body starts with Babel's `_classCallCheck(this, X)`.
fn calls_class_call_check(stmts: &[Stmt], class: &str) -> bool {
    stmts.iter().take(3).any(|s| {
        let Stmt::Expr(ExprStmt { expr, .. }) = s else { return false };
        let Expr::Call(call) = unwrap_parens(expr) else { return false };
        let Callee::Expr(callee) = &call.callee else { return false };
        let named = match unwrap_callee(callee) {
            Expr::Ident(i) => i.sym.contains("classCallCheck"),
            Expr::Member(MemberExpr { obj, prop, .. }) => {
                matches!(unwrap_parens(obj), Expr::Ident(o) if o.sym.contains("classCallCheck"))
                    || matches!(prop, MemberProp::Ident(p) if p.sym.contains("classCallCheck"))
            }
            _ => false,
        };
        named
            && call.args.len() == 2
            && matches!(&*call.args[0].expr, Expr::This(_))
            && matches!(unwrap_parens(&call.args[1].expr), Expr::Ident(i) if i.sym == class)
    })
}
