//! Reads one `.d.ts` file into [`DeclModule`]: imports, exports and declarations, with their doc
//! comments. Constructs with no data meaning are kept as `Unsupported`/`skipped` so later stages
//! can warn about them by location; nothing is dropped silently.

use std::cell::Cell;

use swc_common::{Span, Spanned};
use swc_ecma_ast as ast;
use swc_ecma_ast::{
    ClassMember, Decl as AstDecl, Expr, ImportSpecifier, Lit, ModuleDecl, ModuleExportName, ModuleItem, Pat, PropName,
    Stmt, TsEntityName, TsFnParam, TsKeywordTypeKind as K, TsLit, TsType, TsTypeElement, TsUnionOrIntersectionType,
};

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use super::namespaces;
use super::source::{Lang, Parsed, parse_program};
use crate::diag::{Diagnostic, Loc};
use crate::ir::decl::*;

/// Parses the declaration file `file` (path relative to the package root) whose module path is
/// `module_path`. On a syntax error returns every error found.
pub fn parse_dts(file: &str, module_path: &str, text: &str) -> Result<DeclModule, Vec<Diagnostic>> {
    let parsed = parse_program(file, text, Lang::Dts)?;
    let items = parsed.items();
    let reader = Reader {
        parsed: &parsed,
        declared: namespaces::declared_names(&items),
        constants: constant_types(&items),
        in_typeof: Default::default(),
        approximations: Default::default(),
        ns: Default::default(),
        depth: Cell::new(0),
        too_deep: Cell::new(None),
    };
    let mut module = DeclModule { path: module_path.to_string(), file: file.to_string(), ..Default::default() };
    for item in &items {
        reader.item(item, &mut module);
    }
    module.skipped.append(&mut reader.approximations.borrow_mut());
    if let Some(span) = reader.too_deep.get() {
        let (loc, line) = parsed.locate(span);
        let msg = format!("type nested deeper than {MAX_TYPE_DEPTH} levels (see the README for the limits and why)");
        return Err(vec![Diagnostic::error(loc, msg).with_source_line(Some(line))]);
    }
    Ok(module)
}

/// The deepest type expression accepted: every later stage (lowering, emitting, rustc's trait
/// solver on `Vec<Vec<...>>`) recurses through it. See the README for the margin over real
/// packages.
pub const MAX_TYPE_DEPTH: usize = 64;

struct Reader<'a> {
    parsed: &'a Parsed,
    /// Every qualified name declared inside a namespace of the file (`A.B.X`).
    declared: BTreeSet<String>,
    /// The declared type of each top-level constant (`declare const KINDS: readonly ["a", "b"]`),
    /// for `typeof KINDS`.
    constants: HashMap<String, TsType>,
    /// The constants whose `typeof` is being read: `const a: typeof a` ends there.
    in_typeof: RefCell<Vec<String>>,
    /// Constructs read as a close data shape rather than exactly: what and where, warned.
    approximations: RefCell<Vec<(String, Loc)>>,
    /// The namespace being read (`["ChatCompletion", "Choice"]`), empty at the top level.
    ns: RefCell<Vec<String>>,
    /// How deep inside a type expression the reader is.
    depth: Cell<usize>,
    /// The first type found nested deeper than [`MAX_TYPE_DEPTH`].
    too_deep: Cell<Option<Span>>,
}

fn atom(s: &ast::Str) -> String {
    s.value.to_atom_lossy().to_string()
}

fn export_name(n: &ModuleExportName) -> String {
    match n {
        ModuleExportName::Ident(i) => i.sym.to_string(),
        ModuleExportName::Str(s) => atom(s),
        #[allow(unreachable_patterns)]
        _ => String::new(),
    }
}

impl Reader<'_> {
    fn loc(&self, span: Span) -> Loc {
        self.parsed.loc(span)
    }

    /// The last `/** ... */` comment directly before `span`, cleaned of its `*` gutters.
    fn doc(&self, span: Span) -> Option<String> {
        let text = super::jsdoc::clean_block(self.parsed.doc_before(span)?);
        (!text.trim().is_empty()).then_some(text)
    }

    fn item(&self, item: &ModuleItem, m: &mut DeclModule) {
        match item {
            ModuleItem::ModuleDecl(decl) => match decl {
                ModuleDecl::Import(i) => {
                    let from = atom(&i.src);
                    for s in &i.specifiers {
                        let (local, imported) = match s {
                            ImportSpecifier::Named(n) => (
                                n.local.sym.to_string(),
                                Imported::Named(n.imported.as_ref().map(export_name).unwrap_or_else(|| n.local.sym.to_string())),
                            ),
                            ImportSpecifier::Default(d) => (d.local.sym.to_string(), Imported::Default),
                            ImportSpecifier::Namespace(n) => (n.local.sym.to_string(), Imported::Namespace),
                        };
                        m.imports.push(Import { local, imported, from: from.clone(), loc: self.loc(s.span()) });
                    }
                }
                ModuleDecl::ExportDecl(ast::ExportDecl { decl: AstDecl::TsModule(ns), .. }) => self.namespace(ns, true, m),
                ModuleDecl::TsImportEquals(i) => self.import_equals(i, m),
                ModuleDecl::ExportDecl(e) => {
                    if let Some(d) = self.decl(&e.decl, e.span, true) {
                        m.decls.push(d);
                    }
                }
                ModuleDecl::ExportNamed(n) => {
                    let from = n.src.as_ref().map(|s| atom(s));
                    for s in &n.specifiers {
                        let loc = self.loc(n.span);
                        match s {
                            ast::ExportSpecifier::Named(spec) => {
                                let local = export_name(&spec.orig);
                                let exported = spec.exported.as_ref().map(export_name).unwrap_or_else(|| local.clone());
                                // Inside a namespace: a member of it, naming a local of the file.
                                let (local, exported) = match from {
                                    None => (self.qualify(&local), self.in_namespace(&exported)),
                                    Some(_) => (local, self.in_namespace(&exported)),
                                };
                                m.exports.push(Export::Named { local, exported, from: from.clone(), loc });
                            }
                            ast::ExportSpecifier::Namespace(spec) => {
                                if let Some(from) = &from {
                                    m.exports.push(Export::Namespace {
                                        name: export_name(&spec.name),
                                        from: from.clone(),
                                        loc,
                                    });
                                }
                            }
                            ast::ExportSpecifier::Default(_) => {}
                        }
                    }
                }
                ModuleDecl::ExportAll(a) => m.exports.push(Export::All { from: atom(&a.src), loc: self.loc(a.span) }),
                // `export default`, `export =`, `export as namespace`: no named declarations.
                _ => {}
            },
            ModuleItem::Stmt(Stmt::Decl(AstDecl::TsModule(ns))) => self.namespace(ns, false, m),
            ModuleItem::Stmt(Stmt::Decl(d)) => {
                if let Some(d) = self.decl(d, decl_span(d), false) {
                    m.decls.push(d);
                }
            }
            ModuleItem::Stmt(_) => {}
        }
    }

    /// A name declared at this point: qualified by the enclosing namespaces (`A.B.X`).
    fn in_namespace(&self, name: &str) -> String {
        namespaces::join(&self.ns.borrow().join("."), name)
    }

    /// A name referred to at this point, qualified the way TypeScript scopes it.
    fn qualify(&self, name: &str) -> String {
        namespaces::qualify(&self.declared, &self.ns.borrow(), name)
    }

    /// `namespace A { ... }`: its declarations are read under qualified names. Its members
    /// are public when the namespace is (ambient namespaces export their members).
    fn namespace(&self, ns: &ast::TsModuleDecl, exported: bool, m: &mut DeclModule) {
        let loc = self.loc(ns.span);
        let (Some(name), Some(body)) = (namespaces::namespace_name(ns), &ns.body) else {
            let what = if ns.global { "`declare global` block".to_string() } else { "`declare module \"...\"` block".to_string() };
            m.skipped.push((format!("{what} (an augmentation of another module's types) is not read"), loc));
            return;
        };
        let (more, items) = namespaces::body_of(body);
        let depth = 1 + more.len();
        self.ns.borrow_mut().push(name);
        self.ns.borrow_mut().extend(more);
        let before = m.decls.len();
        for item in items {
            self.item(item, m);
        }
        for d in &mut m.decls[before..] {
            d.exported = exported;
        }
        let mut path = self.ns.borrow_mut();
        let len = path.len();
        path.truncate(len - depth);
    }

    /// `import A = B.C` / `export import A = B.C`: an alias of a (qualified) name.
    fn import_equals(&self, i: &ast::TsImportEqualsDecl, m: &mut DeclModule) {
        let loc = self.loc(i.span);
        match &i.module_ref {
            ast::TsModuleRef::TsEntityName(target) => m.decls.push(Decl {
                name: self.in_namespace(&i.id.sym),
                exported: i.is_export,
                doc: self.doc(i.span),
                loc: loc.clone(),
                generics: vec![],
                defaults: vec![],
                kind: DeclKind::Alias(TypeExpr::Ref { name: self.qualify(&entity_name(target)), args: vec![], loc }),
            }),
            ast::TsModuleRef::TsExternalModuleRef(_) => {
                m.skipped.push((format!("`import {} = require(...)` is not read", i.id.sym), loc));
            }
        }
    }

    /// `outer` is the span including `export`, where the doc comment sits.
    fn decl(&self, d: &AstDecl, outer: Span, exported: bool) -> Option<Decl> {
        let doc = self.doc(outer).or_else(|| self.doc(decl_span(d)));
        let loc = self.loc(decl_span(d));
        let (name, generics, kind) = match d {
            AstDecl::TsInterface(i) => {
                let mut obj = self.object(&i.body.body);
                obj.extends = i
                    .extends
                    .iter()
                    .map(|e| match expr_name(&e.expr) {
                        Some(name) => TypeExpr::Ref { name: self.qualify(&name), args: self.type_args(e.type_args.as_deref()), loc: self.loc(e.span) },
                        None => TypeExpr::Unsupported { what: "computed `extends` clause".into(), loc: self.loc(e.span) },
                    })
                    .collect();
                (i.id.sym.to_string(), type_params(i.type_params.as_deref()), DeclKind::Interface(obj))
            }
            AstDecl::TsTypeAlias(a) => {
                (a.id.sym.to_string(), type_params(a.type_params.as_deref()), DeclKind::Alias(self.ty(&a.type_ann)))
            }
            AstDecl::Class(c) => (c.ident.sym.to_string(), type_params(c.class.type_params.as_deref()), DeclKind::Class(self.class(&c.class))),
            AstDecl::TsEnum(e) => {
                let members = e
                    .members
                    .iter()
                    .map(|m| {
                        let name = match &m.id {
                            ast::TsEnumMemberId::Ident(i) => i.sym.to_string(),
                            ast::TsEnumMemberId::Str(s) => atom(s),
                            #[allow(unreachable_patterns)]
                            _ => String::new(),
                        };
                        let value = match m.init.as_deref() {
                            Some(Expr::Lit(Lit::Str(s))) => atom(s),
                            Some(Expr::Lit(Lit::Num(n))) => n.value.to_string(),
                            _ => name.clone(),
                        };
                        (name, value)
                    })
                    .collect();
                (e.id.sym.to_string(), vec![], DeclKind::Enum(members))
            }
            AstDecl::Fn(f) => (f.ident.sym.to_string(), vec![], DeclKind::Other("function")),
            AstDecl::Var(v) => {
                let name = v.decls.first().and_then(|d| d.name.as_ident()).map(|i| i.id.sym.to_string())?;
                (name, vec![], DeclKind::Other("variable"))
            }
            AstDecl::TsModule(_) | AstDecl::Using(_) => return None,
        };
        let defaults = self.type_param_defaults(d);
        Some(Decl { name: self.in_namespace(&name), exported, doc, loc, generics, defaults, kind })
    }

    /// The default of each type parameter (`T = string`), in order.
    fn type_param_defaults(&self, d: &AstDecl) -> Vec<Option<TypeExpr>> {
        let params = match d {
            AstDecl::TsInterface(i) => i.type_params.as_deref(),
            AstDecl::TsTypeAlias(a) => a.type_params.as_deref(),
            AstDecl::Class(c) => c.class.type_params.as_deref(),
            _ => None,
        };
        params.map(|p| p.params.iter().map(|t| t.default.as_deref().map(|d| self.ty(d))).collect()).unwrap_or_default()
    }

    fn class(&self, c: &ast::Class) -> Class {
        let mut out = Class {
            extends: c.super_class.as_deref().and_then(expr_name).map(|name| TypeExpr::Ref {
                name: self.qualify(&name),
                args: self.type_args(c.super_type_params.as_deref()),
                loc: self.loc(c.span),
            }),
            ..Default::default()
        };
        for member in &c.body {
            match member {
                ClassMember::ClassProp(p) => {
                    let public = matches!(p.accessibility, None | Some(ast::Accessibility::Public));
                    let Some(name) = prop_name(&p.key) else {
                        out.skipped.push(("computed class member".into(), self.loc(p.span)));
                        continue;
                    };
                    if p.is_static || !public {
                        out.skipped.push((format!("{} member `{name}`", if p.is_static { "static" } else { "non-public" }), self.loc(p.span)));
                        continue;
                    }
                    let ty = p.type_ann.as_ref().map(|t| self.ty(&t.type_ann)).unwrap_or(TypeExpr::Any);
                    out.fields.push(Prop { name, optional: p.is_optional, ty, doc: self.doc(p.span), loc: self.loc(p.span) });
                }
                ClassMember::Method(m) => {
                    let public = matches!(m.accessibility, None | Some(ast::Accessibility::Public));
                    let name = prop_name(&m.key);
                    match name {
                        Some(name) if public && !m.is_static && m.kind == ast::MethodKind::Method => {
                            out.methods.push(Method {
                                name,
                                params: m.function.params.iter().filter_map(|p| self.param(&p.pat)).collect(),
                                ret: m.function.return_type.as_ref().map(|t| self.ty(&t.type_ann)),
                                doc: self.doc(m.span),
                                loc: self.loc(m.span),
                            });
                        }
                        Some(name) => out.skipped.push((format!("method `{name}` (static, accessor or non-public)"), self.loc(m.span))),
                        None => out.skipped.push(("computed method (e.g. `[Symbol.asyncIterator]`)".into(), self.loc(m.span))),
                    }
                }
                ClassMember::Constructor(_) | ClassMember::Empty(_) => {}
                ClassMember::TsIndexSignature(s) => out.skipped.push(("index signature on a class".into(), self.loc(s.span))),
                other => out.skipped.push(("class member with no data meaning".into(), self.loc(member_span(other)))),
            }
        }
        out
    }

    fn param(&self, pat: &Pat) -> Option<Param> {
        match pat {
            Pat::Ident(b) => Some(Param {
                name: b.id.sym.to_string(),
                optional: b.id.optional,
                ty: b.type_ann.as_ref().map(|t| self.ty(&t.type_ann)),
            }),
            Pat::Object(o) => Some(Param { name: "args".into(), optional: o.optional, ty: o.type_ann.as_ref().map(|t| self.ty(&t.type_ann)) }),
            Pat::Assign(a) => self.param(&a.left).map(|p| Param { optional: true, ..p }),
            _ => None,
        }
    }

    fn object(&self, members: &[TsTypeElement]) -> ObjectType {
        let mut obj = ObjectType::default();
        for m in members {
            match m {
                TsTypeElement::TsPropertySignature(p) => {
                    let name = match (&*p.key, p.computed) {
                        (Expr::Ident(i), false) => Some(i.sym.to_string()),
                        (Expr::Lit(Lit::Str(s)), _) => Some(atom(s)),
                        (Expr::Lit(Lit::Num(n)), _) => Some(n.value.to_string()),
                        _ => None,
                    };
                    let Some(name) = name else {
                        obj.skipped.push(("computed property key".into(), self.loc(p.span)));
                        continue;
                    };
                    let ty = p.type_ann.as_ref().map(|t| self.ty(&t.type_ann)).unwrap_or(TypeExpr::Any);
                    obj.props.push(Prop { name, optional: p.optional, ty, doc: self.doc(p.span), loc: self.loc(p.span) });
                }
                TsTypeElement::TsIndexSignature(s) => {
                    let key_is_string_like = s.params.iter().all(|p| match p {
                        TsFnParam::Ident(b) => b.type_ann.as_ref().is_none_or(|t| {
                            matches!(&*t.type_ann, TsType::TsKeywordType(k) if matches!(k.kind, K::TsStringKeyword | K::TsNumberKeyword))
                        }),
                        _ => false,
                    });
                    if key_is_string_like {
                        let v = s.type_ann.as_ref().map(|t| self.ty(&t.type_ann)).unwrap_or(TypeExpr::Any);
                        obj.index = Some(Box::new(v));
                    } else {
                        obj.skipped.push(("index signature with a non-string key".into(), self.loc(s.span)));
                    }
                }
                TsTypeElement::TsMethodSignature(s) => {
                    let what = match (&*s.key, s.computed) {
                        (Expr::Ident(i), false) => format!("method `{}`", i.sym),
                        _ => "computed method".to_string(),
                    };
                    obj.skipped.push((what, self.loc(s.span)));
                }
                TsTypeElement::TsCallSignatureDecl(s) => obj.skipped.push(("call signature".into(), self.loc(s.span))),
                TsTypeElement::TsConstructSignatureDecl(s) => obj.skipped.push(("construct signature".into(), self.loc(s.span))),
                TsTypeElement::TsGetterSignature(s) => obj.skipped.push(("getter".into(), self.loc(s.span))),
                TsTypeElement::TsSetterSignature(s) => obj.skipped.push(("setter".into(), self.loc(s.span))),
            }
        }
        obj
    }

    fn type_args(&self, args: Option<&ast::TsTypeParamInstantiation>) -> Vec<TypeExpr> {
        args.map(|a| a.params.iter().map(|t| self.ty(t)).collect()).unwrap_or_default()
    }

    fn unsupported(&self, what: &str, span: Span) -> TypeExpr {
        TypeExpr::Unsupported { what: what.to_string(), loc: self.loc(span) }
    }

    /// A type expression, unless it is nested too deep: then `any`, and the place is recorded
    /// for the error.
    fn ty(&self, t: &TsType) -> TypeExpr {
        let depth = self.depth.get();
        if depth >= MAX_TYPE_DEPTH {
            if self.too_deep.get().is_none() {
                self.too_deep.set(Some(t.span()));
            }
            return TypeExpr::Any;
        }
        self.depth.set(depth + 1);
        let out = self.ty_unchecked(t);
        self.depth.set(depth);
        out
    }

    /// `typeof NAME` of a constant of this file with a declared type (`declare const KINDS:
    /// readonly ["a", "b"]`, then `(typeof KINDS)[number]`): that type. Anything else (a
    /// value's inferred type, a function) has no data meaning.
    fn type_query(&self, q: &ast::TsTypeQuery) -> TypeExpr {
        let name = match &q.expr_name {
            ast::TsTypeQueryExpr::TsEntityName(TsEntityName::Ident(i)) if q.type_args.is_none() => i.sym.to_string(),
            _ => return self.unsupported("`typeof` type", q.span),
        };
        let Some(declared) = self.constants.get(&name).filter(|_| !self.in_typeof.borrow().contains(&name)) else {
            return self.unsupported("`typeof` type", q.span);
        };
        self.in_typeof.borrow_mut().push(name);
        let out = self.ty(declared);
        self.in_typeof.borrow_mut().pop();
        out
    }

    fn ty_unchecked(&self, t: &TsType) -> TypeExpr {
        match t {
            TsType::TsKeywordType(k) => match k.kind {
                K::TsStringKeyword => TypeExpr::String,
                K::TsNumberKeyword | K::TsBigIntKeyword => TypeExpr::Number,
                K::TsBooleanKeyword => TypeExpr::Boolean,
                K::TsAnyKeyword => TypeExpr::Any,
                K::TsUnknownKeyword => TypeExpr::Unknown,
                K::TsNullKeyword => TypeExpr::Null,
                K::TsUndefinedKeyword => TypeExpr::Undefined,
                K::TsVoidKeyword => TypeExpr::Void,
                K::TsNeverKeyword => TypeExpr::Never,
                K::TsObjectKeyword => TypeExpr::Object,
                K::TsSymbolKeyword => self.unsupported("`symbol`", k.span),
                K::TsIntrinsicKeyword => self.unsupported("`intrinsic`", k.span),
            },
            TsType::TsTypeRef(r) => TypeExpr::Ref {
                name: self.qualify(&entity_name(&r.type_name)),
                args: self.type_args(r.type_params.as_deref()),
                loc: self.loc(r.span),
            },
            TsType::TsTypeLit(l) => TypeExpr::Literal(Box::new(self.object(&l.members))),
            TsType::TsArrayType(a) => TypeExpr::Array(Box::new(self.ty(&a.elem_type))),
            TsType::TsTupleType(t) => TypeExpr::Tuple(t.elem_types.iter().map(|e| self.ty(&e.ty)).collect()),
            TsType::TsUnionOrIntersectionType(TsUnionOrIntersectionType::TsUnionType(u)) => {
                TypeExpr::Union(u.types.iter().map(|t| self.ty(t)).collect())
            }
            TsType::TsUnionOrIntersectionType(TsUnionOrIntersectionType::TsIntersectionType(i)) => {
                TypeExpr::Intersection(i.types.iter().map(|t| self.ty(t)).collect())
            }
            TsType::TsParenthesizedType(p) => self.ty(&p.type_ann),
            TsType::TsOptionalType(o) => self.ty(&o.type_ann),
            TsType::TsTypeOperator(o) if o.op == ast::TsTypeOperatorOp::ReadOnly => self.ty(&o.type_ann),
            TsType::TsLitType(l) => match &l.lit {
                TsLit::Str(s) => TypeExpr::StringLit(atom(s)),
                TsLit::Number(n) => TypeExpr::NumberLit(n.value.to_string()),
                TsLit::Bool(b) => TypeExpr::BoolLit(b.value),
                TsLit::BigInt(_) => TypeExpr::Number,
                TsLit::Tpl(t) if t.types.is_empty() => {
                    TypeExpr::StringLit(t.quasis.iter().map(|q| q.raw.to_string()).collect())
                }
                TsLit::Tpl(_) => TypeExpr::String,
            },
            TsType::TsFnOrConstructorType(f) => self.unsupported("function type", fn_span(f)),
            TsType::TsTypeQuery(q) => self.type_query(q),
            TsType::TsMappedType(m) => self.unsupported("mapped type", m.span),
            TsType::TsConditionalType(c) => self.unsupported("conditional type", c.span),
            TsType::TsIndexedAccessType(i) if at_least_one_of(i).is_some() => {
                let Some(object) = at_least_one_of(i) else { unreachable!() };
                let msg = "a union over the keys of a type, each with its own field required (\"at least one of\"): read as `Partial<...>`, every field optional";
                self.approximations.borrow_mut().push((msg.to_string(), self.loc(i.span)));
                TypeExpr::Ref { name: "Partial".into(), args: vec![self.ty(object)], loc: self.loc(i.span) }
            }
            TsType::TsIndexedAccessType(i) => TypeExpr::Indexed {
                object: Box::new(self.ty(&i.obj_type)),
                index: Box::new(self.ty(&i.index_type)),
                loc: self.loc(i.span),
            },
            TsType::TsTypeOperator(o) => self.unsupported("`keyof`/`unique` type operator", o.span),
            TsType::TsThisType(t) => self.unsupported("`this` type", t.span),
            TsType::TsImportType(i) => self.unsupported("`import()` type", i.span),
            TsType::TsInferType(i) => self.unsupported("`infer` type", i.span),
            TsType::TsTypePredicate(p) => self.unsupported("type predicate", p.span),
            TsType::TsRestType(r) => self.unsupported("rest type", r.span),
            #[allow(unreachable_patterns)]
            _ => TypeExpr::Unsupported { what: "unknown type syntax".into(), loc: Loc::default() },
        }
    }
}

/// The type annotation of each top-level `const` (declared or exported) with a plain name.
fn constant_types(items: &[ModuleItem]) -> HashMap<String, TsType> {
    let mut out = HashMap::new();
    for item in items {
        let var = match item {
            ModuleItem::ModuleDecl(ModuleDecl::ExportDecl(ast::ExportDecl { decl: AstDecl::Var(v), .. })) => v,
            ModuleItem::Stmt(Stmt::Decl(AstDecl::Var(v))) => v,
            _ => continue,
        };
        if var.kind != ast::VarDeclKind::Const {
            continue;
        }
        for d in &var.decls {
            if let Pat::Ident(b) = &d.name
                && let Some(ann) = &b.type_ann
            {
                out.entry(b.id.sym.to_string()).or_insert_with(|| (*ann.type_ann).clone());
            }
        }
    }
    out
}

/// `{ [K in keyof T]-?: Required<Pick<T, K>> & ... }[keyof T]`: a union of `T` with one of its
/// fields required, for each field ("at least one of"). Returns `T`.
fn at_least_one_of(i: &ast::TsIndexedAccessType) -> Option<&TsType> {
    fn keyof(t: &TsType) -> Option<(&TsType, String)> {
        match t {
            TsType::TsTypeOperator(o) if o.op == ast::TsTypeOperatorOp::KeyOf => match &*o.type_ann {
                TsType::TsTypeRef(r) if r.type_params.is_none() => Some((&*o.type_ann, entity_name(&r.type_name))),
                _ => None,
            },
            _ => None,
        }
    }
    let TsType::TsMappedType(m) = &*i.obj_type else { return None };
    let (object, over) = keyof(m.type_param.constraint.as_deref()?)?;
    let (_, index) = keyof(&i.index_type)?;
    (over == index && m.type_ann.as_deref().is_some_and(|body| picks_from(body, &over, &m.type_param.name.sym))).then_some(object)
}

/// Whether `t` contains `Pick<object, key>`.
fn picks_from(t: &TsType, object: &str, key: &str) -> bool {
    match t {
        TsType::TsTypeRef(r) => {
            let params = r.type_params.as_deref().map(|p| p.params.as_slice()).unwrap_or_default();
            let is_ref_to = |t: &TsType, name: &str| matches!(t, TsType::TsTypeRef(r) if entity_name(&r.type_name) == name);
            let direct = entity_name(&r.type_name) == "Pick" && params.len() == 2 && is_ref_to(&params[0], object) && is_ref_to(&params[1], key);
            direct || params.iter().any(|p| picks_from(p, object, key))
        }
        TsType::TsUnionOrIntersectionType(TsUnionOrIntersectionType::TsIntersectionType(x)) => x.types.iter().any(|p| picks_from(p, object, key)),
        TsType::TsParenthesizedType(p) => picks_from(&p.type_ann, object, key),
        _ => false,
    }
}

fn fn_span(f: &ast::TsFnOrConstructorType) -> Span {
    match f {
        ast::TsFnOrConstructorType::TsFnType(t) => t.span,
        ast::TsFnOrConstructorType::TsConstructorType(t) => t.span,
    }
}

fn member_span(m: &ClassMember) -> Span {
    use swc_common::Spanned;
    m.span()
}

fn decl_span(d: &AstDecl) -> Span {
    use swc_common::Spanned;
    d.span()
}

fn type_params(p: Option<&ast::TsTypeParamDecl>) -> Vec<String> {
    p.map(|p| p.params.iter().map(|t| t.name.sym.to_string()).collect()).unwrap_or_default()
}

fn entity_name(n: &TsEntityName) -> String {
    match n {
        TsEntityName::Ident(i) => i.sym.to_string(),
        TsEntityName::TsQualifiedName(q) => format!("{}.{}", entity_name(&q.left), q.right.sym),
        #[allow(unreachable_patterns)]
        _ => String::new(),
    }
}

fn expr_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Ident(i) => Some(i.sym.to_string()),
        Expr::Member(m) => Some(format!("{}.{}", expr_name(&m.obj)?, m.prop.as_ident()?.sym)),
        _ => None,
    }
}

fn prop_name(p: &PropName) -> Option<String> {
    match p {
        PropName::Ident(i) => Some(i.sym.to_string()),
        PropName::Str(s) => Some(atom(s)),
        PropName::Num(n) => Some(n.value.to_string()),
        _ => None,
    }
}
