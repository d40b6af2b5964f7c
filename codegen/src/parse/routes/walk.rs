//! Finds every call expression under a function body (nested functions included), so a method's
//! request calls can be counted wherever they hide.

use swc_ecma_ast::*;

/// Calls every `f(call)` for each call expression in `stmts`, in source order.
pub(crate) fn calls_in_stmts<'a>(stmts: &'a [Stmt], f: &mut dyn FnMut(&'a CallExpr)) {
    for s in stmts {
        stmt(s, f);
    }
}

pub(crate) fn calls_in_expr<'a>(e: &'a Expr, f: &mut dyn FnMut(&'a CallExpr)) {
    expr(e, f);
}

fn stmt<'a>(s: &'a Stmt, f: &mut dyn FnMut(&'a CallExpr)) {
    match s {
        Stmt::Block(b) => calls_in_stmts(&b.stmts, f),
        Stmt::Empty(_) | Stmt::Debugger(_) | Stmt::Break(_) | Stmt::Continue(_) => {}
        Stmt::With(w) => {
            expr(&w.obj, f);
            stmt(&w.body, f);
        }
        Stmt::Return(r) => opt_expr(r.arg.as_deref(), f),
        Stmt::Labeled(l) => stmt(&l.body, f),
        Stmt::If(i) => {
            expr(&i.test, f);
            stmt(&i.cons, f);
            if let Some(alt) = &i.alt {
                stmt(alt, f);
            }
        }
        Stmt::Switch(sw) => {
            expr(&sw.discriminant, f);
            for c in &sw.cases {
                opt_expr(c.test.as_deref(), f);
                calls_in_stmts(&c.cons, f);
            }
        }
        Stmt::Throw(t) => expr(&t.arg, f),
        Stmt::Try(t) => {
            calls_in_stmts(&t.block.stmts, f);
            if let Some(h) = &t.handler {
                if let Some(p) = &h.param {
                    pat(p, f);
                }
                calls_in_stmts(&h.body.stmts, f);
            }
            if let Some(fin) = &t.finalizer {
                calls_in_stmts(&fin.stmts, f);
            }
        }
        Stmt::While(w) => {
            expr(&w.test, f);
            stmt(&w.body, f);
        }
        Stmt::DoWhile(w) => {
            stmt(&w.body, f);
            expr(&w.test, f);
        }
        Stmt::For(fs) => {
            match &fs.init {
                Some(VarDeclOrExpr::VarDecl(v)) => var_decl(v, f),
                Some(VarDeclOrExpr::Expr(e)) => expr(e, f),
                None => {}
            }
            opt_expr(fs.test.as_deref(), f);
            opt_expr(fs.update.as_deref(), f);
            stmt(&fs.body, f);
        }
        Stmt::ForIn(fi) => {
            for_head(&fi.left, f);
            expr(&fi.right, f);
            stmt(&fi.body, f);
        }
        Stmt::ForOf(fo) => {
            for_head(&fo.left, f);
            expr(&fo.right, f);
            stmt(&fo.body, f);
        }
        Stmt::Decl(d) => decl(d, f),
        Stmt::Expr(e) => expr(&e.expr, f),
    }
}

fn for_head<'a>(h: &'a ForHead, f: &mut dyn FnMut(&'a CallExpr)) {
    match h {
        ForHead::VarDecl(v) => var_decl(v, f),
        ForHead::UsingDecl(u) => {
            for d in &u.decls {
                pat(&d.name, f);
                opt_expr(d.init.as_deref(), f);
            }
        }
        ForHead::Pat(p) => pat(p, f),
    }
}

fn decl<'a>(d: &'a Decl, f: &mut dyn FnMut(&'a CallExpr)) {
    match d {
        Decl::Class(c) => class(&c.class, f),
        Decl::Fn(fd) => function(&fd.function, f),
        Decl::Var(v) => var_decl(v, f),
        Decl::Using(u) => {
            for d in &u.decls {
                pat(&d.name, f);
                opt_expr(d.init.as_deref(), f);
            }
        }
        _ => {}
    }
}

fn var_decl<'a>(v: &'a VarDecl, f: &mut dyn FnMut(&'a CallExpr)) {
    for d in &v.decls {
        pat(&d.name, f);
        opt_expr(d.init.as_deref(), f);
    }
}

fn function<'a>(func: &'a Function, f: &mut dyn FnMut(&'a CallExpr)) {
    for p in &func.params {
        pat(&p.pat, f);
    }
    if let Some(b) = &func.body {
        calls_in_stmts(&b.stmts, f);
    }
}

fn class<'a>(c: &'a Class, f: &mut dyn FnMut(&'a CallExpr)) {
    opt_expr(c.super_class.as_deref(), f);
    for m in &c.body {
        match m {
            ClassMember::Constructor(ctor) => {
                prop_name(&ctor.key, f);
                for p in &ctor.params {
                    if let ParamOrTsParamProp::Param(p) = p {
                        pat(&p.pat, f);
                    }
                }
                if let Some(b) = &ctor.body {
                    calls_in_stmts(&b.stmts, f);
                }
            }
            ClassMember::Method(m) => {
                prop_name(&m.key, f);
                function(&m.function, f);
            }
            ClassMember::PrivateMethod(m) => function(&m.function, f),
            ClassMember::ClassProp(p) => {
                prop_name(&p.key, f);
                opt_expr(p.value.as_deref(), f);
            }
            ClassMember::PrivateProp(p) => opt_expr(p.value.as_deref(), f),
            ClassMember::StaticBlock(b) => calls_in_stmts(&b.body.stmts, f),
            ClassMember::AutoAccessor(a) => opt_expr(a.value.as_deref(), f),
            _ => {}
        }
    }
}

fn prop_name<'a>(p: &'a PropName, f: &mut dyn FnMut(&'a CallExpr)) {
    if let PropName::Computed(c) = p {
        expr(&c.expr, f);
    }
}

fn pat<'a>(p: &'a Pat, f: &mut dyn FnMut(&'a CallExpr)) {
    match p {
        Pat::Array(a) => {
            for e in a.elems.iter().flatten() {
                pat(e, f);
            }
        }
        Pat::Rest(r) => pat(&r.arg, f),
        Pat::Object(o) => object_pat(o, f),
        Pat::Assign(a) => {
            pat(&a.left, f);
            expr(&a.right, f);
        }
        Pat::Expr(e) => expr(e, f),
        Pat::Ident(_) | Pat::Invalid(_) => {}
    }
}

fn object_pat<'a>(o: &'a ObjectPat, f: &mut dyn FnMut(&'a CallExpr)) {
    for prop in &o.props {
        match prop {
            ObjectPatProp::KeyValue(kv) => {
                prop_name(&kv.key, f);
                pat(&kv.value, f);
            }
            ObjectPatProp::Assign(a) => opt_expr(a.value.as_deref(), f),
            ObjectPatProp::Rest(r) => pat(&r.arg, f),
        }
    }
}

fn opt_expr<'a>(e: Option<&'a Expr>, f: &mut dyn FnMut(&'a CallExpr)) {
    if let Some(e) = e {
        expr(e, f);
    }
}

fn args<'a>(a: &'a [ExprOrSpread], f: &mut dyn FnMut(&'a CallExpr)) {
    for arg in a {
        expr(&arg.expr, f);
    }
}

fn expr<'a>(e: &'a Expr, f: &mut dyn FnMut(&'a CallExpr)) {
    match e {
        Expr::Array(a) => {
            for el in a.elems.iter().flatten() {
                expr(&el.expr, f);
            }
        }
        Expr::Object(o) => {
            for p in &o.props {
                match p {
                    PropOrSpread::Spread(s) => expr(&s.expr, f),
                    PropOrSpread::Prop(p) => match &**p {
                        Prop::Shorthand(_) => {}
                        Prop::KeyValue(kv) => {
                            prop_name(&kv.key, f);
                            expr(&kv.value, f);
                        }
                        Prop::Assign(a) => expr(&a.value, f),
                        Prop::Getter(g) => {
                            prop_name(&g.key, f);
                            function(&g.function, f);
                        }
                        Prop::Setter(s) => {
                            prop_name(&s.key, f);
                            function(&s.function, f);
                        }
                        Prop::Method(m) => {
                            prop_name(&m.key, f);
                            function(&m.function, f);
                        }
                    },
                }
            }
        }
        Expr::Fn(fe) => function(&fe.function, f),
        Expr::Unary(u) => expr(&u.arg, f),
        Expr::Update(u) => expr(&u.arg, f),
        Expr::Bin(b) => {
            expr(&b.left, f);
            expr(&b.right, f);
        }
        Expr::Assign(a) => {
            match &a.left {
                AssignTarget::Simple(s) => simple_target(s, f),
                AssignTarget::Pat(AssignTargetPat::Array(ap)) => {
                    for e in ap.elems.iter().flatten() {
                        pat(e, f);
                    }
                }
                AssignTarget::Pat(AssignTargetPat::Object(op)) => object_pat(op, f),
                AssignTarget::Pat(_) => {}
            }
            expr(&a.right, f);
        }
        Expr::Member(m) => member(m, f),
        Expr::SuperProp(s) => {
            if let SuperProp::Computed(c) = &s.prop {
                expr(&c.expr, f);
            }
        }
        Expr::Cond(c) => {
            expr(&c.test, f);
            expr(&c.cons, f);
            expr(&c.alt, f);
        }
        Expr::Call(c) => {
            if let Callee::Expr(callee) = &c.callee {
                expr(callee, f);
            }
            args(&c.args, f);
            f(c);
        }
        Expr::New(n) => {
            expr(&n.callee, f);
            if let Some(a) = &n.args {
                args(a, f);
            }
        }
        Expr::Seq(s) => {
            for e in &s.exprs {
                expr(e, f);
            }
        }
        Expr::Tpl(t) => {
            for e in &t.exprs {
                expr(e, f);
            }
        }
        Expr::TaggedTpl(t) => {
            expr(&t.tag, f);
            for e in &t.tpl.exprs {
                expr(e, f);
            }
        }
        Expr::Arrow(a) => {
            for p in &a.params {
                pat(p, f);
            }
            match &*a.body {
                ArrowFunctionBody::FunctionBody(b) => calls_in_stmts(&b.stmts, f),
                ArrowFunctionBody::Expr(e) => expr(e, f),
            }
        }
        Expr::Class(c) => class(&c.class, f),
        Expr::Yield(y) => opt_expr(y.arg.as_deref(), f),
        Expr::Await(a) => expr(&a.arg, f),
        Expr::Paren(p) => expr(&p.expr, f),
        Expr::OptChain(o) => match &*o.base {
            OptChainBase::Member(m) => member(m, f),
            OptChainBase::Call(c) => {
                expr(&c.callee, f);
                args(&c.args, f);
            }
        },
        Expr::TsTypeAssertion(t) => expr(&t.expr, f),
        Expr::TsConstAssertion(t) => expr(&t.expr, f),
        Expr::TsNonNull(t) => expr(&t.expr, f),
        Expr::TsAs(t) => expr(&t.expr, f),
        Expr::TsInstantiation(t) => expr(&t.expr, f),
        Expr::TsSatisfies(t) => expr(&t.expr, f),
        _ => {}
    }
}

fn member<'a>(m: &'a MemberExpr, f: &mut dyn FnMut(&'a CallExpr)) {
    expr(&m.obj, f);
    if let MemberProp::Computed(c) = &m.prop {
        expr(&c.expr, f);
    }
}

fn simple_target<'a>(s: &'a SimpleAssignTarget, f: &mut dyn FnMut(&'a CallExpr)) {
    match s {
        SimpleAssignTarget::Member(m) => member(m, f),
        SimpleAssignTarget::Paren(p) => expr(&p.expr, f),
        SimpleAssignTarget::OptChain(o) => {
            if let OptChainBase::Member(m) = &*o.base {
                member(m, f);
            }
        }
        _ => {}
    }
}
