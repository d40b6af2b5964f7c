//! The set of files as modules: what each top-level name is bound to (`require(...)`, `import`,
//! a function), what each file exports, where its `MANUAL(...)` sections are, and how a callee
//! such as `(0, _method_options.addAuthorizationHeaders)` resolves to a function in another file.

use std::collections::HashMap;

use swc_common::Span;
use swc_ecma_ast::*;

use super::{ParsedFile, excerpt};
use crate::diag::{Diagnostic, LineIndex, Loc};

/// Something callable: its parameters and its body.
#[derive(Clone, Copy)]
pub(crate) struct FnLike<'a> {
    pub params: FnParams<'a>,
    pub body: FnBody<'a>,
}

#[derive(Clone, Copy)]
pub(crate) enum FnParams<'a> {
    Fn(&'a [Param]),
    Arrow(&'a [Pat]),
}

#[derive(Clone, Copy)]
pub(crate) enum FnBody<'a> {
    Block(&'a [Stmt]),
    /// An arrow function's expression body.
    Expr(&'a Expr),
    /// A declaration without a body.
    Missing,
}

impl<'a> FnLike<'a> {
    pub fn function(f: &'a Function) -> Self {
        FnLike {
            params: FnParams::Fn(&f.params),
            body: match &f.body {
                Some(b) => FnBody::Block(&b.stmts),
                None => FnBody::Missing,
            },
        }
    }

    pub fn arrow(a: &'a ArrowExpr) -> Self {
        FnLike {
            params: FnParams::Arrow(&a.params),
            body: match &*a.body {
                ArrowFunctionBody::FunctionBody(b) => FnBody::Block(&b.stmts),
                ArrowFunctionBody::Expr(e) => FnBody::Expr(e),
            },
        }
    }

    /// `function (...) {}` or `(...) => ...`, through parentheses.
    pub fn from_expr(e: &'a Expr) -> Option<Self> {
        match e {
            Expr::Paren(p) => Self::from_expr(&p.expr),
            Expr::Fn(f) => Some(Self::function(&f.function)),
            Expr::Arrow(a) => Some(Self::arrow(a)),
            _ => None,
        }
    }

    pub fn pats(&self) -> Vec<&'a Pat> {
        match self.params {
            FnParams::Fn(ps) => ps.iter().map(|p| &p.pat).collect(),
            FnParams::Arrow(ps) => ps.iter().collect(),
        }
    }

    /// The name of each parameter: `x` for `x`, `x = 1` and `...x`; the source text otherwise.
    pub fn param_names(&self, f: &FileCx<'_>) -> Vec<String> {
        self.pats().into_iter().map(|p| simple_param(p).unwrap_or_else(|| f.excerpt(pat_span(p)))).collect()
    }

    /// Parameter names when every parameter is a plain identifier (defaults and rest allowed).
    pub fn simple_param_names(&self) -> Option<Vec<String>> {
        self.pats().into_iter().map(simple_param).collect()
    }
}

fn simple_param(p: &Pat) -> Option<String> {
    match p {
        Pat::Ident(i) => Some(i.id.sym.to_string()),
        Pat::Assign(a) => simple_param(&a.left),
        Pat::Rest(r) => simple_param(&r.arg),
        _ => None,
    }
}

fn pat_span(p: &Pat) -> Span {
    match p {
        Pat::Ident(i) => i.id.span,
        Pat::Array(a) => a.span,
        Pat::Rest(r) => r.span,
        Pat::Object(o) => o.span,
        Pat::Assign(a) => a.span,
        Pat::Invalid(i) => i.span,
        Pat::Expr(_) => Span::default(),
    }
}

/// What a top-level name of a file is bound to, when it comes from another module.
#[derive(Clone)]
enum Binding {
    /// `var _x = require("spec")`, `import * as _x from "spec"`: the whole module.
    Module { spec: String, file: Option<usize> },
    /// `const { name } = require("spec")`, `import { name } from "spec"`.
    Named { spec: String, file: Option<usize>, name: String },
}

/// What a file exports under a name.
#[derive(Clone)]
enum Export<'a> {
    /// `exports.name = local;`, `export { local as name }`.
    Local(String),
    /// `exports.name = function () {}`, `export function name() {}`.
    Fn(FnLike<'a>),
    /// `Object.defineProperty(exports, "name", { get: function () { return _x.other; } })`,
    /// `export { other as name } from "spec"`.
    Forward { spec: String, file: Option<usize>, name: String },
}

/// A `// MANUAL(name)(KIND)` ... `// ENDMANUAL(name)` section: byte positions (as in spans).
struct ManualRegion {
    name: String,
    lo: u32,
    hi: u32,
}

pub(crate) struct FileCx<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub start: u32,
    lines: &'a LineIndex,
    pub program: &'a Program,
    bindings: HashMap<String, Binding>,
    functions: HashMap<String, FnLike<'a>>,
    exports: HashMap<String, Export<'a>>,
    manual: Vec<ManualRegion>,
}

impl<'a> FileCx<'a> {
    pub fn loc(&self, span: Span) -> Loc {
        self.lines.loc(self.text, self.file, span.lo.0.saturating_sub(self.start) as usize)
    }

    pub fn excerpt(&self, span: Span) -> String {
        excerpt(self.text, self.start, span)
    }

    /// Whether `name` is the SDK's request function here: a local function `request`, or a
    /// binding imported under the export name `request`.
    pub fn is_request_fn(&self, name: &str) -> bool {
        match self.bindings.get(name) {
            Some(Binding::Named { name: imported, .. }) => imported == "request",
            Some(Binding::Module { .. }) => false,
            None => name == "request" && self.functions.contains_key(name),
        }
    }

    /// Whether `name` is bound to a whole module (`var _shared = require("../shared")`).
    pub fn is_module(&self, name: &str) -> bool {
        matches!(self.bindings.get(name), Some(Binding::Module { .. }))
    }

    /// The name of the `MANUAL(...)` section that `span` starts in, if any.
    pub fn manual_region(&self, span: Span) -> Option<&str> {
        self.manual.iter().find(|r| r.lo <= span.lo.0 && span.lo.0 < r.hi).map(|r| r.name.as_str())
    }
}

pub(crate) struct Index<'a> {
    pub files: Vec<FileCx<'a>>,
}

impl<'a> Index<'a> {
    pub fn new(parsed: &'a [ParsedFile<'a>], diags: &mut Vec<Diagnostic>) -> Self {
        let paths: Vec<&str> = parsed.iter().map(|p| p.file.as_str()).collect();
        let files = parsed.iter().map(|p| scan_file(p, &paths, diags)).collect();
        Index { files }
    }

    /// The function a callee expression names, following `require`/`import` bindings and
    /// re-exports: `helper`, `_mod.helper`, `(0, _mod.helper)`. Returns the index of the file that
    /// defines it and the function, or why it cannot.
    pub fn resolve_callee(&self, fi: usize, callee: &Expr) -> Result<(usize, FnLike<'a>), String> {
        let f = &self.files[fi];
        match unwrap_callee(callee) {
            Expr::Ident(id) => {
                let name = id.sym.as_str();
                if let Some(func) = f.functions.get(name) {
                    return Ok((fi, *func));
                }
                match f.bindings.get(name) {
                    Some(Binding::Named { spec, file, name }) => self.resolve_export(*file, spec, name, 0),
                    Some(Binding::Module { .. }) => Err(format!("`{name}` is a whole module, not a function")),
                    None => Err(format!("calls `{name}`, which is not a function of the package")),
                }
            }
            Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(prop), .. }) => {
                let Expr::Ident(ns) = unwrap_parens(obj) else {
                    return Err(format!("calls `{}`", f.excerpt(callee_span(callee))));
                };
                match f.bindings.get(ns.sym.as_str()) {
                    Some(Binding::Module { spec, file }) => self.resolve_export(*file, spec, prop.sym.as_str(), 0),
                    _ => Err(format!(
                        "calls `{}`, which is not a function of the package",
                        f.excerpt(callee_span(callee))
                    )),
                }
            }
            _ => Err(format!("calls `{}`", f.excerpt(callee_span(callee)))),
        }
    }

    fn resolve_export(
        &self,
        file: Option<usize>,
        spec: &str,
        name: &str,
        depth: u32,
    ) -> Result<(usize, FnLike<'a>), String> {
        let Some(fi) = file else {
            return Err(format!("calls `{name}` from `{spec}`, which is not among the sources"));
        };
        let f = &self.files[fi];
        if depth > 16 {
            return Err(format!("`{name}` is re-exported in a cycle through `{}`", f.file));
        }
        match f.exports.get(name) {
            Some(Export::Fn(func)) => Ok((fi, *func)),
            Some(Export::Local(local)) => match f.functions.get(local) {
                Some(func) => Ok((fi, *func)),
                None => match f.bindings.get(local) {
                    Some(Binding::Named { spec, file, name }) => self.resolve_export(*file, spec, name, depth + 1),
                    _ => Err(format!("`{name}` exported by `{}` is not a function", f.file)),
                },
            },
            Some(Export::Forward { spec, file, name }) => self.resolve_export(*file, spec, name, depth + 1),
            None => Err(format!("`{}` exports no function `{name}`", f.file)),
        }
    }
}

/// `(0, f)` -> `f`, through parentheses: Babel's way of calling an imported function without
/// a `this`.
pub(crate) fn unwrap_callee(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => unwrap_callee(&p.expr),
        Expr::Seq(s) if s.exprs.len() == 2 && matches!(&*s.exprs[0], Expr::Lit(Lit::Num(_))) => {
            unwrap_callee(&s.exprs[1])
        }
        _ => e,
    }
}

pub(crate) fn unwrap_parens(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => unwrap_parens(&p.expr),
        _ => e,
    }
}

fn callee_span(e: &Expr) -> Span {
    swc_common::Spanned::span(e)
}

/// The text of a string literal, when it is valid UTF-8.
pub(crate) fn str_value(s: &Str) -> Option<String> {
    s.value.as_str().map(str::to_string)
}

/// The static name of a property key: `a`, `"a"`; `None` for computed and numeric keys.
pub(crate) fn prop_name(p: &PropName) -> Option<String> {
    match p {
        PropName::Ident(i) => Some(i.sym.to_string()),
        PropName::Str(s) => str_value(s),
        _ => None,
    }
}

/// `require("spec")` -> `spec`.
fn require_spec(e: &Expr) -> Option<String> {
    let Expr::Call(call) = unwrap_parens(e) else { return None };
    let Callee::Expr(callee) = &call.callee else { return None };
    let Expr::Ident(id) = &**callee else { return None };
    if id.sym != "require" || call.args.len() != 1 || call.args[0].spread.is_some() {
        return None;
    }
    match &*call.args[0].expr {
        Expr::Lit(Lit::Str(s)) => str_value(s),
        _ => None,
    }
}

/// `require("spec")`, or Babel's `_interopRequireWildcard(require("spec"))` (any one-argument
/// helper around it).
fn module_init(e: &Expr) -> Option<String> {
    if let Some(spec) = require_spec(e) {
        return Some(spec);
    }
    let Expr::Call(call) = unwrap_parens(e) else { return None };
    let Callee::Expr(callee) = &call.callee else { return None };
    match &**callee {
        Expr::Ident(id) if id.sym.starts_with("_interopRequire") && call.args.len() == 1 => {
            require_spec(&call.args[0].expr)
        }
        _ => None,
    }
}

/// Resolves a relative module specifier the way Node does for the files we have.
fn resolve_spec(from: &str, spec: &str, paths: &[&str]) -> Option<usize> {
    if !(spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == "..") {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in spec.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let base = parts.join("/");
    let candidates = [
        base.clone(),
        format!("{base}.js"),
        format!("{base}.cjs"),
        format!("{base}.mjs"),
        format!("{base}/index.js"),
        format!("{base}/index.cjs"),
        format!("{base}/index.mjs"),
    ];
    candidates.iter().find_map(|c| paths.iter().position(|p| p == c))
}

fn module_items(program: &Program) -> Vec<ItemRef<'_>> {
    match program {
        Program::Module(m) => m
            .body
            .iter()
            .map(|i| match i {
                ModuleItem::Stmt(s) => ItemRef::Stmt(s),
                ModuleItem::ModuleDecl(d) => ItemRef::Decl(d),
            })
            .collect(),
        Program::Script(s) => s.body.iter().map(ItemRef::Stmt).collect(),
    }
}

enum ItemRef<'a> {
    Stmt(&'a Stmt),
    Decl(&'a ModuleDecl),
}

fn scan_file<'a>(p: &'a ParsedFile<'a>, paths: &[&str], diags: &mut Vec<Diagnostic>) -> FileCx<'a> {
    let mut f = FileCx {
        file: &p.file,
        text: p.text,
        start: p.start,
        lines: &p.lines,
        program: &p.program,
        bindings: HashMap::new(),
        functions: HashMap::new(),
        exports: HashMap::new(),
        manual: Vec::new(),
    };
    let resolve = |spec: &str| resolve_spec(&p.file, spec, paths);

    // Two passes: Babel writes re-exports (`Object.defineProperty(exports, ...)`) before the
    // `require` they read from.
    for item in module_items(&p.program) {
        if let ItemRef::Stmt(stmt) = item {
            scan_stmt(&mut f, stmt, &resolve, false);
        }
    }
    for item in module_items(&p.program) {
        match item {
            ItemRef::Stmt(stmt) => scan_stmt(&mut f, stmt, &resolve, true),
            ItemRef::Decl(decl) => match decl {
                ModuleDecl::Import(imp) if !imp.type_only => {
                    let Some(spec) = str_value(&imp.src) else { continue };
                    let file = resolve(&spec);
                    for s in &imp.specifiers {
                        match s {
                            ImportSpecifier::Named(n) => {
                                let name = match &n.imported {
                                    Some(ModuleExportName::Ident(i)) => i.sym.to_string(),
                                    Some(ModuleExportName::Str(s)) => str_value(s).unwrap_or_default(),
                                    None => n.local.sym.to_string(),
                                };
                                f.bindings
                                    .insert(n.local.sym.to_string(), Binding::Named { spec: spec.clone(), file, name });
                            }
                            ImportSpecifier::Namespace(n) => {
                                f.bindings
                                    .insert(n.local.sym.to_string(), Binding::Module { spec: spec.clone(), file });
                            }
                            ImportSpecifier::Default(d) => {
                                let name = "default".to_string();
                                f.bindings
                                    .insert(d.local.sym.to_string(), Binding::Named { spec: spec.clone(), file, name });
                            }
                        }
                    }
                }
                ModuleDecl::ExportDecl(ExportDecl { decl: Decl::Fn(fd), .. }) => {
                    let name = fd.ident.sym.to_string();
                    f.functions.insert(name.clone(), FnLike::function(&fd.function));
                    f.exports.insert(name.clone(), Export::Local(name));
                }
                ModuleDecl::ExportDecl(ExportDecl { decl: Decl::Var(v), .. }) => {
                    for d in &v.decls {
                        if let (Pat::Ident(id), Some(init)) = (&d.name, &d.init) {
                            if let Some(func) = FnLike::from_expr(init) {
                                let name = id.id.sym.to_string();
                                f.functions.insert(name.clone(), func);
                                f.exports.insert(name.clone(), Export::Local(name));
                            }
                        }
                    }
                }
                ModuleDecl::ExportNamed(named) if !named.type_only => {
                    let src = named.src.as_ref().and_then(|s| str_value(s));
                    for s in &named.specifiers {
                        let ExportSpecifier::Named(n) = s else { continue };
                        let orig = export_name(&n.orig);
                        let exported = n.exported.as_ref().map(export_name).unwrap_or_else(|| orig.clone());
                        let export = match &src {
                            Some(spec) => Export::Forward { spec: spec.clone(), file: resolve(spec), name: orig },
                            None => Export::Local(orig),
                        };
                        f.exports.insert(exported, export);
                    }
                }
                ModuleDecl::ExportDefaultDecl(ExportDefaultDecl { decl: DefaultDecl::Fn(fe), .. }) => {
                    f.exports.insert("default".into(), Export::Fn(FnLike::function(&fe.function)));
                }
                _ => {}
            },
        }
    }

    // Manual sections, from the comments in source order.
    let mut open: Vec<(String, u32, Span)> = Vec::new();
    for (span, text) in &p.comments {
        let t = text.trim();
        if let Some(rest) = t.strip_prefix("ENDMANUAL(") {
            let name = rest.split(')').next().unwrap_or("").to_string();
            match open.iter().rposition(|(n, _, _)| *n == name) {
                Some(i) => {
                    let (name, lo, _) = open.remove(i);
                    f.manual.push(ManualRegion { name, lo, hi: span.hi.0 });
                }
                None => {
                    let (loc, line) = p.lines.locate(p.text, &p.file, span.lo.0.saturating_sub(p.start) as usize);
                    diags.push(
                        Diagnostic::warning(loc, format!("`ENDMANUAL({name})` without a matching `MANUAL({name})`"))
                            .with_source_line(Some(line)),
                    );
                }
            }
        } else if let Some(rest) = t.strip_prefix("MANUAL(") {
            let name = rest.split(')').next().unwrap_or("").to_string();
            open.push((name, span.lo.0, *span));
        }
    }
    for (name, lo, span) in open {
        let (loc, line) = p.lines.locate(p.text, &p.file, span.lo.0.saturating_sub(p.start) as usize);
        diags.push(
            Diagnostic::warning(
                loc,
                format!("`MANUAL({name})` is never closed by `ENDMANUAL({name})`: the rest of the file is treated as hand-written"),
            )
            .with_source_line(Some(line)),
        );
        f.manual.push(ManualRegion { name, lo, hi: u32::MAX });
    }
    f
}

fn export_name(n: &ModuleExportName) -> String {
    match n {
        ModuleExportName::Ident(i) => i.sym.to_string(),
        ModuleExportName::Str(s) => str_value(s).unwrap_or_default(),
    }
}

fn scan_stmt<'a>(f: &mut FileCx<'a>, stmt: &'a Stmt, resolve: &dyn Fn(&str) -> Option<usize>, exports: bool) {
    match stmt {
        Stmt::Expr(ExprStmt { expr, .. }) if exports => match unwrap_parens(expr) {
            // `exports.name = value;` (also chained: `exports.a = exports.b = void 0`)
            Expr::Assign(assign) => scan_export_assign(f, assign),
            // `Object.defineProperty(exports, "name", { enumerable: true, get: function () { return _x.name; } });`
            Expr::Call(call) => scan_define_property(f, call),
            _ => {}
        },
        _ if exports => {}
        Stmt::Decl(Decl::Fn(fd)) => {
            f.functions.insert(fd.ident.sym.to_string(), FnLike::function(&fd.function));
        }
        Stmt::Decl(Decl::Var(v)) => {
            for d in &v.decls {
                let Some(init) = &d.init else { continue };
                match &d.name {
                    Pat::Ident(id) => {
                        let local = id.id.sym.to_string();
                        if let Some(spec) = module_init(init) {
                            let file = resolve(&spec);
                            f.bindings.insert(local, Binding::Module { spec, file });
                        } else if let Some(func) = FnLike::from_expr(init) {
                            f.functions.insert(local, func);
                        } else if let Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(name), .. }) =
                            unwrap_parens(init)
                        {
                            // `var request = require("./shared").request;`
                            if let Some(spec) = require_spec(obj) {
                                let file = resolve(&spec);
                                f.bindings.insert(local, Binding::Named { spec, file, name: name.sym.to_string() });
                            }
                        }
                    }
                    Pat::Object(obj) => {
                        // `const { request, other: alias } = require("./shared");`
                        let Some(spec) = require_spec(init) else { continue };
                        let file = resolve(&spec);
                        for prop in &obj.props {
                            match prop {
                                ObjectPatProp::Assign(a) if a.value.is_none() => {
                                    let name = a.key.id.sym.to_string();
                                    f.bindings.insert(name.clone(), Binding::Named { spec: spec.clone(), file, name });
                                }
                                ObjectPatProp::KeyValue(kv) => {
                                    if let (Some(name), Pat::Ident(local)) = (prop_name(&kv.key), &*kv.value) {
                                        f.bindings.insert(
                                            local.id.sym.to_string(),
                                            Binding::Named { spec: spec.clone(), file, name },
                                        );
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

fn exports_member(target: &AssignTarget) -> Option<String> {
    let AssignTarget::Simple(SimpleAssignTarget::Member(m)) = target else { return None };
    let is_exports = match unwrap_parens(&m.obj) {
        Expr::Ident(id) => id.sym == "exports",
        Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(p), .. }) => {
            p.sym == "exports" && matches!(unwrap_parens(obj), Expr::Ident(m) if m.sym == "module")
        }
        _ => false,
    };
    if !is_exports {
        return None;
    }
    match &m.prop {
        MemberProp::Ident(i) => Some(i.sym.to_string()),
        MemberProp::Computed(c) => match &*c.expr {
            Expr::Lit(Lit::Str(s)) => str_value(s),
            _ => None,
        },
        _ => None,
    }
}

fn scan_export_assign<'a>(f: &mut FileCx<'a>, assign: &'a AssignExpr) {
    let Some(name) = exports_member(&assign.left) else { return };
    match unwrap_parens(&assign.right) {
        Expr::Ident(local) => {
            f.exports.insert(name, Export::Local(local.sym.to_string()));
        }
        Expr::Assign(inner) => scan_export_assign(f, inner),
        other => {
            if let Some(func) = FnLike::from_expr(other) {
                f.exports.insert(name, Export::Fn(func));
            }
        }
    }
}

fn scan_define_property<'a>(f: &mut FileCx<'a>, call: &'a CallExpr) {
    let Callee::Expr(callee) = &call.callee else { return };
    let Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(method), .. }) = &**callee else { return };
    if !matches!(&**obj, Expr::Ident(o) if o.sym == "Object") || method.sym != "defineProperty" || call.args.len() != 3
    {
        return;
    }
    if !matches!(&*call.args[0].expr, Expr::Ident(e) if e.sym == "exports") {
        return;
    }
    let Expr::Lit(Lit::Str(name)) = &*call.args[1].expr else { return };
    let Some(name) = str_value(name) else { return };
    let Expr::Object(desc) = &*call.args[2].expr else { return };
    for prop in &desc.props {
        let PropOrSpread::Prop(prop) = prop else { continue };
        let getter = match &**prop {
            Prop::KeyValue(kv) if prop_name(&kv.key).as_deref() == Some("get") => FnLike::from_expr(&kv.value),
            Prop::Method(m) if prop_name(&m.key).as_deref() == Some("get") => Some(FnLike::function(&m.function)),
            _ => None,
        };
        let Some(getter) = getter else { continue };
        // `return _x.name;` or `() => _x.name`
        let returned = match getter.body {
            FnBody::Block([Stmt::Return(ReturnStmt { arg: Some(e), .. })]) => &**e,
            FnBody::Expr(e) => e,
            _ => continue,
        };
        match unwrap_parens(returned) {
            Expr::Member(MemberExpr { obj, prop: MemberProp::Ident(p), .. }) => {
                if let Expr::Ident(ns) = unwrap_parens(obj) {
                    if let Some(Binding::Module { spec, file }) = f.bindings.get(ns.sym.as_str()).cloned() {
                        f.exports.insert(name.clone(), Export::Forward { spec, file, name: p.sym.to_string() });
                    }
                }
            }
            Expr::Ident(local) => {
                f.exports.insert(name.clone(), Export::Local(local.sym.to_string()));
            }
            _ => {}
        }
    }
}
