//! Lowers declarations to the type space: every interface, alias and enum gets a [`TypeDef`];
//! inline object types, string-literal unions and merged shapes (`extends`, `&`, `Omit`, `Pick`,
//! `Partial`) become named types of their own, named after their parent (`Parent` + `Field`).

mod generics;
mod unions;

use std::collections::{BTreeMap, BTreeSet};

use super::names::{Namer, Scope};
use super::scope::{Found, Modules, Sym, Want};
use crate::diag::{Diagnostic, Loc};
use crate::fidelity::holds_json;
use crate::ir::decl::{DeclKind, ObjectType, TypeExpr};
use crate::ir::space::*;
use crate::options::NumberPolicy;

/// The fields of an object type, before it is given a name.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    pub fields: Vec<Field>,
    pub additional: Option<Ty>,
}

impl Shape {
    /// `other`'s fields over `self`'s: a field of the same wire name is replaced in place, new
    /// ones are appended. Found through an index by wire name, not a scan per field (which made
    /// an interface of n fields cost n² comparisons).
    fn merge(&mut self, other: Shape) {
        let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::with_capacity(self.fields.len() + other.fields.len());
        for (i, f) in self.fields.iter().enumerate() {
            at.entry(f.wire_name.clone()).or_insert(i);
        }
        for f in other.fields {
            match at.get(&f.wire_name) {
                Some(&i) => self.fields[i] = f,
                None => {
                    at.insert(f.wire_name.clone(), self.fields.len());
                    self.fields.push(f);
                }
            }
        }
        if other.additional.is_some() {
            self.additional = other.additional;
        }
    }
}

/// Where a type expression sits: its module, the generic names in scope, the name an inline
/// type it introduces should get, and a location for warnings.
#[derive(Clone)]
struct Ctx<'c> {
    module: usize,
    generics: &'c [String],
    hint: String,
    /// Where an inline type comes from, for its docs (`Outer.settings`).
    origin: String,
    loc: Loc,
}

pub struct Lowerer<'a> {
    modules: &'a Modules<'a>,
    namer: &'a Namer,
    number: NumberPolicy,
    pub types: Vec<TypeDef>,
    pub decl_ids: BTreeMap<Sym, TypeId>,
    /// Type names taken in each module (by module index).
    pub scopes: BTreeMap<usize, Scope>,
    shapes: BTreeMap<Sym, Option<Shape>>,
    in_progress: BTreeSet<Sym>,
    /// The cause of every fallback to JSON taken so far, in order (see [`Field::fallback`]).
    fallbacks: Vec<String>,
    /// Instantiations of generic declarations made so far.
    instances: BTreeMap<generics::InstanceKey, TypeId>,
    /// Instantiations in progress, innermost last: bounds generic recursion that never closes.
    instantiating: usize,
    /// Indexed accesses being expanded inside each other: one met again inside itself
    /// (`type U = { a: U["a"] } | ...`) is a cycle, cut there.
    indexing: Vec<TypeExpr>,
    /// Aliases whose whole type fell back to JSON, with the cause: a field of such a type is
    /// a fallback too (see [`Lowerer::attribute_alias_fallbacks`]).
    alias_fallbacks: BTreeMap<TypeId, String>,
    /// Whether a chain longer than [`MAX_DECL_CHAIN`] was reported (once: the run fails).
    chain_reported: bool,
    pub diags: Vec<Diagnostic>,
}

/// The longest chain of declarations each defined through the next (`type A0 = A1`,
/// `interface A extends B`, `A & B`) that is followed; see the README for the margin over
/// real packages.
pub const MAX_DECL_CHAIN: usize = 256;

/// The longest name made up for an inline type (`Parent` + `Field` + ...); see the README.
/// rustdoc writes a type to `struct.<Name>.html`, which must fit a file name's 255 bytes.
pub const MAX_NAME_LEN: usize = 200;

/// The start of a long text, for a message.
fn short(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}

impl<'a> Lowerer<'a> {
    pub fn new(modules: &'a Modules<'a>, namer: &'a Namer, number: NumberPolicy) -> Self {
        Lowerer {
            modules,
            namer,
            number,
            types: Vec::new(),
            decl_ids: BTreeMap::new(),
            scopes: BTreeMap::new(),
            shapes: BTreeMap::new(),
            in_progress: BTreeSet::new(),
            instances: BTreeMap::new(),
            instantiating: 0,
            indexing: Vec::new(),
            fallbacks: Vec::new(),
            alias_fallbacks: BTreeMap::new(),
            chain_reported: false,
            diags: Vec::new(),
        }
    }

    fn warn(&mut self, loc: &Loc, msg: String) {
        self.diags.push(Diagnostic::warning(loc.clone(), msg));
    }

    /// A fallback to JSON: warns with `msg` and records `cause` for the fidelity count.
    fn fall_back(&mut self, loc: &Loc, cause: &str, msg: String) -> Ty {
        if !msg.is_empty() {
            self.warn(loc, msg);
        }
        self.fallbacks.push(cause.to_string());
        Ty::Json
    }

    fn alloc(&mut self, module: usize, wire_name: String, rust_name: String, doc: Option<String>, loc: Loc) -> TypeId {
        let id = TypeId(self.types.len());
        let rust_name = self.scopes.entry(module).or_default().unique(rust_name);
        self.types.push(TypeDef {
            module: self.modules.mods[module].path.clone(),
            wire_name,
            rust_name,
            doc,
            loc,
            kind: TypeKind::Alias(Ty::Json),
            default: false,
            strict: false,
        });
        id
    }

    /// Gives every data declaration its id and Rust name, in a stable order, before any body is
    /// lowered, so declared names win over names made up for inline types.
    pub fn declare_all(&mut self, entry: Option<usize>) {
        let public = self.modules.public_names(entry);
        for (mi, m) in self.modules.mods.iter().enumerate() {
            for (di, d) in m.decls.iter().enumerate() {
                if matches!(d.kind, DeclKind::Interface(_) | DeclKind::Alias(_) | DeclKind::Enum(_)) {
                    let name = public.get(&Sym { module: mi, decl: di }).unwrap_or(&d.name).clone();
                    let id = self.alloc(mi, name.clone(), self.namer.camel(&name), d.doc.clone(), d.loc.clone());
                    self.decl_ids.insert(Sym { module: mi, decl: di }, id);
                }
            }
        }
    }

    pub fn lower_all(&mut self) {
        let decls: Vec<(Sym, TypeId)> = self.decl_ids.iter().map(|(s, i)| (*s, *i)).collect();
        for (sym, id) in decls {
            let d = &self.modules.mods[sym.module].decls[sym.decl];
            if !d.generics.is_empty() {
                let msg = format!(
                    "generic declaration `{}<{}>`: emitted with its open type parameters as `serde_json::Value` (each instantiation with arguments is a type of its own)",
                    d.name,
                    d.generics.join(", ")
                );
                self.warn(&d.loc.clone(), msg);
            }
            let kind = match &d.kind {
                DeclKind::Interface(_) => {
                    let shape = self.decl_shape(sym).unwrap_or_default();
                    TypeKind::Struct(Struct { fields: shape.fields, additional: shape.additional })
                }
                DeclKind::Enum(members) => {
                    let wires: Vec<String> = members.iter().map(|(_, v)| v.clone()).collect();
                    self.string_enum(&wires)
                }
                DeclKind::Alias(expr) => {
                    let ctx = Ctx { module: sym.module, generics: &d.generics, hint: self.types[id.0].rust_name.clone(), origin: d.name.clone(), loc: d.loc.clone() };
                    let logged = self.fallbacks.len();
                    let kind = self.lower_alias(sym, expr, ctx);
                    self.note_alias_fallback(id, &kind, logged);
                    kind
                }
                _ => continue,
            };
            self.types[id.0].kind = kind;
        }
        self.attribute_alias_fallbacks();
    }

    /// Records that the alias `id` is JSON because of the first fallback taken since `logged`.
    fn note_alias_fallback(&mut self, id: TypeId, kind: &TypeKind, logged: usize) {
        if let (TypeKind::Alias(ty), Some(cause)) = (kind, self.fallbacks.get(logged))
            && holds_json(ty)
        {
            self.alias_fallbacks.insert(id, cause.clone());
        }
    }

    /// A field whose type is an alias that fell back to JSON (`type X = <unsupported>`, then
    /// `x: X`) holds JSON because of that fallback: it gets the alias's cause, so the fidelity
    /// count sees it.
    fn attribute_alias_fallbacks(&mut self) {
        let causes: Vec<(usize, usize, String)> = self
            .types
            .iter()
            .enumerate()
            .flat_map(|(ti, t)| match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().enumerate().filter(|(_, f)| f.fallback.is_none()).filter_map(|(fi, f)| Some((ti, fi, self.alias_cause(&f.ty, 0)?))).collect(),
                _ => Vec::new(),
            })
            .collect();
        for (ti, fi, cause) in causes {
            if let TypeKind::Struct(s) = &mut self.types[ti].kind {
                s.fields[fi].fallback = Some(cause);
            }
        }
    }

    /// The cause of the fallback behind `ty` when it is (a list or map of) an alias of JSON.
    fn alias_cause(&self, ty: &Ty, depth: usize) -> Option<String> {
        match ty {
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => self.alias_cause(inner, depth),
            Ty::Named(id) if depth < MAX_DECL_CHAIN => match self.alias_fallbacks.get(id) {
                Some(cause) => Some(cause.clone()),
                None => match &self.types[id.0].kind {
                    TypeKind::Alias(inner) => self.alias_cause(inner, depth + 1),
                    _ => None,
                },
            },
            _ => None,
        }
    }

    /// An alias that is itself a new shape (object literal, intersection, union of literals)
    /// becomes that type under the alias's name; anything else is a Rust type alias.
    fn lower_alias(&mut self, sym: Sym, expr: &TypeExpr, ctx: Ctx<'_>) -> TypeKind {
        if let Some(shape) = self.decl_shape(sym) {
            return TypeKind::Struct(Struct { fields: shape.fields, additional: shape.additional });
        }
        self.non_object_alias(expr, &ctx)
    }

    /// What an alias's type becomes, for an alias not declared on its own (an instantiation).
    fn alias_kind(&mut self, expr: &TypeExpr, ctx: &Ctx<'_>) -> TypeKind {
        if let Some(shape) = self.shape_of(expr, ctx) {
            return TypeKind::Struct(Struct { fields: shape.fields, additional: shape.additional });
        }
        self.non_object_alias(expr, ctx)
    }

    fn non_object_alias(&mut self, expr: &TypeExpr, ctx: &Ctx<'_>) -> TypeKind {
        let ctx = ctx.clone();
        if let TypeExpr::Indexed { object, index, .. } = expr
            && let Some(written) = self.indexed_expr(object, index, ctx.module)
        {
            return self.non_object_alias(&written, &ctx);
        }
        let simplified = unions::without_empty_objects(expr);
        let expr = simplified.as_ref().unwrap_or(expr);
        let distributed = self.distributed(expr, ctx.module, 0).map(TypeExpr::Union);
        let expr = distributed.as_ref().unwrap_or(expr);
        if let TypeExpr::Union(members) = expr {
            if let Some(kind) = self.union_kind(members, &ctx) {
                return kind;
            }
        }
        if let TypeExpr::StringLit(s) = expr {
            return self.string_enum(std::slice::from_ref(s));
        }
        let (ty, _) = self.lower(expr, &ctx);
        TypeKind::Alias(ty)
    }

    fn string_enum(&mut self, wires: &[String]) -> TypeKind {
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for w in wires {
            if variants.iter().any(|v: &Variant| &v.wire_name == w) {
                continue;
            }
            let rust = if w.is_empty() { "Empty".to_string() } else { self.namer.camel(w) };
            variants.push(Variant { wire_name: w.clone(), rust_name: scope.unique(rust) });
        }
        let other = scope.unique("Other".to_string());
        TypeKind::StringEnum { variants, other }
    }

    fn number(&self) -> Ty {
        match self.number {
            NumberPolicy::Integer => Ty::Integer,
            NumberPolicy::Float => Ty::Float,
        }
    }

    /// The object shape of a declaration (interface, or alias of an object-like type), lowered
    /// once and remembered, so inherited fields share their inline types.
    pub fn decl_shape(&mut self, sym: Sym) -> Option<Shape> {
        if let Some(s) = self.shapes.get(&sym) {
            return s.clone();
        }
        let d = &self.modules.mods[sym.module].decls[sym.decl];
        if self.in_progress.len() >= MAX_DECL_CHAIN {
            if !std::mem::replace(&mut self.chain_reported, true) {
                let msg = format!(
                    "more than {MAX_DECL_CHAIN} declarations each defined through the next (aliases, `extends`, intersections) lead here (see the README for the limits)"
                );
                self.diags.push(Diagnostic::error(d.loc.clone(), msg));
            }
            return None;
        }
        if !self.in_progress.insert(sym) {
            let msg = format!("`{}` is defined through itself (an `extends` or alias cycle); the cycle is cut here", d.name);
            self.warn(&d.loc.clone(), msg);
            return None;
        }
        let hint = self.decl_ids.get(&sym).map(|id| self.types[id.0].rust_name.clone()).unwrap_or_else(|| self.namer.camel(&d.name));
        let ctx = Ctx { module: sym.module, generics: &d.generics, hint, origin: d.name.clone(), loc: d.loc.clone() };
        let shape = match &d.kind {
            DeclKind::Interface(obj) => Some(self.object_shape(obj, &ctx)),
            DeclKind::Alias(expr) => self.shape_of(expr, &ctx),
            _ => None,
        };
        self.in_progress.remove(&sym);
        self.shapes.insert(sym, shape.clone());
        shape
    }

    fn object_shape(&mut self, obj: &ObjectType, ctx: &Ctx<'_>) -> Shape {
        let mut shape = Shape::default();
        for ext in &obj.extends {
            match self.shape_of(ext, ctx) {
                Some(s) => shape.merge(s),
                None => {
                    let loc = expr_loc(ext).unwrap_or(&ctx.loc).clone();
                    self.warn(&loc, "`extends` of a type that is not an object type: its fields are not inherited".into());
                }
            }
        }
        for (what, loc) in &obj.skipped {
            self.warn(loc, format!("{what} has no data meaning and is not emitted"));
        }
        let mut own = Shape::default();
        for p in &obj.props {
            if let Some(why) = self.not_data(&p.ty, ctx.module) {
                self.warn(&p.loc, format!("member `{}` is {why}: it has no data meaning and is not emitted", p.name));
                continue;
            }
            let field_ctx = Ctx {
                hint: format!("{}{}", ctx.hint, self.namer.camel(&p.name).trim_start_matches("r#")),
                origin: format!("{}.{}", ctx.origin, p.name),
                loc: p.loc.clone(),
                ..ctx.clone()
            };
            let logged = self.fallbacks.len();
            let (ty, nullable) = self.lower(&p.ty, &field_ctx);
            // The field is a fallback when it holds JSON because a fallback was taken for it
            // (not because it was declared `any`/`unknown`).
            let fallback = self.fallbacks.get(logged).filter(|_| holds_json(&ty)).cloned();
            own.fields.push(Field {
                wire_name: p.name.clone(),
                rust_name: String::new(),
                ty,
                optional: p.optional || nullable,
                doc: p.doc.clone(),
                fallback,
            });
        }
        if let Some(index) = &obj.index {
            let (ty, _) = self.lower(index, &Ctx { hint: format!("{}Value", ctx.hint), origin: format!("{}[key]", ctx.origin), ..ctx.clone() });
            own.additional = Some(ty);
        }
        shape.merge(own);
        shape
    }

    /// The fields of `expr` if it denotes an object type.
    fn shape_of(&mut self, expr: &TypeExpr, ctx: &Ctx<'_>) -> Option<Shape> {
        match expr {
            TypeExpr::Literal(obj) => Some(self.object_shape(obj, ctx)),
            TypeExpr::Union(members) => {
                let obj = self.exclusive_object(members, ctx.module)?;
                Some(self.object_shape(&obj, ctx))
            }
            // A union inside: no one shape (and no fields lowered for nothing).
            TypeExpr::Intersection(_) if self.distributed(expr, ctx.module, 0).is_some() => None,
            TypeExpr::Intersection(parts) => {
                let mut shape = Shape::default();
                for p in parts {
                    shape.merge(self.shape_of(p, ctx)?);
                }
                Some(shape)
            }
            TypeExpr::Ref { name, args, .. } => self.ref_shape(name, args, ctx),
            TypeExpr::Lowered(ty, _) => self.struct_shape(ty),
            TypeExpr::Indexed { object, index, .. } if self.indexed_expr(object, index, ctx.module).is_some() => {
                self.shape_of(&self.indexed_expr(object, index, ctx.module).unwrap_or(TypeExpr::Never), ctx)
            }
            TypeExpr::Indexed { .. } => {
                let (ty, _) = self.lower(expr, ctx);
                self.struct_shape(&ty)
            }
            _ => None,
        }
    }

    /// The fields of a named type: a utility type (`Partial`, `Record` with literal keys,
    /// `Pick`, ...), an instantiation, or a declaration.
    fn ref_shape(&mut self, name: &str, args: &[TypeExpr], ctx: &Ctx<'_>) -> Option<Shape> {
        match (name, args) {
            ("Partial", [inner]) | ("Required", [inner]) | ("Readonly", [inner]) => {
                let mut s = self.shape_of(inner, ctx)?;
                for f in &mut s.fields {
                    match name {
                        "Partial" => f.optional = true,
                        "Required" => f.optional = false,
                        _ => {}
                    }
                }
                Some(s)
            }
            ("Record", [keys, value]) => {
                let obj = self.record_object(keys, value, ctx.module)?;
                Some(self.object_shape(&obj, ctx))
            }
            ("Omit", [inner, keys]) | ("Pick", [inner, keys]) => {
                let mut s = match self.common_object(inner, ctx.module) {
                    Some(common) => self.object_shape(&common, ctx),
                    None => self.shape_of(inner, ctx)?,
                };
                let keys = literal_keys(keys);
                let pick = name == "Pick";
                s.fields.retain(|f| keys.contains(&f.wire_name) == pick);
                Some(s)
            }
            _ if ctx.generics.iter().any(|g| g == name) => None,
            _ => match self.modules.lookup(ctx.module, name, Want::Type)? {
                Found::Decl(sym) if self.is_instantiation(sym, args, ctx) => {
                    let ty = self.instantiate(sym, args, &ctx.loc, ctx);
                    self.struct_shape(&ty)
                }
                Found::Decl(sym) => self.decl_shape(sym),
                _ => None,
            },
        }
    }

    /// Why a member's type is no data (a function, a runtime object of the platform such as an
    /// `AbortSignal`), so the member is skipped rather than emitted as JSON; `None` for data.
    fn not_data(&self, ty: &TypeExpr, module: usize) -> Option<&'static str> {
        match ty {
            TypeExpr::Unsupported { what, .. } if what == "function type" => Some("a function"),
            TypeExpr::Ref { name, args, .. }
                if args.is_empty()
                    && RUNTIME_OBJECTS.contains(&name.as_str())
                    && !matches!(self.modules.lookup(module, name, Want::Type), Some(Found::Decl(_))) =>
            {
                Some("a runtime object of the platform")
            }
            TypeExpr::Union(members) => {
                let mut rest = members.iter().filter(|m| !matches!(m, TypeExpr::Null | TypeExpr::Undefined | TypeExpr::Void));
                let first = self.not_data(rest.next()?, module)?;
                rest.all(|m| self.not_data(m, module).is_some()).then_some(first)
            }
            _ => None,
        }
    }

    /// The fields of an already lowered struct type.
    fn struct_shape(&self, ty: &Ty) -> Option<Shape> {
        match ty {
            Ty::Named(id) => match &self.types[id.0].kind {
                TypeKind::Struct(s) => Some(Shape { fields: s.fields.clone(), additional: s.additional.clone() }),
                TypeKind::Alias(inner) => self.struct_shape(inner),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether a reference to `sym` with `args` instantiates a generic declaration: it has type
    /// parameters, and arguments or defaults for them, none of which is an open parameter of
    /// the declaration being lowered. (Otherwise the reference means the declaration itself,
    /// its parameters as JSON, as inside `interface B<T> extends A<T>`.)
    fn is_instantiation(&self, sym: Sym, args: &[TypeExpr], ctx: &Ctx<'_>) -> bool {
        let d = &self.modules.mods[sym.module].decls[sym.decl];
        !d.generics.is_empty()
            && (!args.is_empty() || d.defaults.iter().any(Option::is_some))
            && !args.iter().any(|a| mentions_any(a, ctx.generics))
    }

    /// Lowers a type written outside any data declaration (a method parameter or return type).
    pub fn lower_standalone(&mut self, module: usize, expr: &TypeExpr, hint: String, loc: Loc) -> (Ty, bool) {
        let origin = hint.clone();
        self.lower(expr, &Ctx { module, generics: &[], hint, origin, loc })
    }

    pub fn modules(&self) -> &'a Modules<'a> {
        self.modules
    }

    fn inline(&mut self, ctx: &Ctx<'_>, kind: TypeKind) -> TypeId {
        let doc = format!("The type of `{}`.", ctx.origin);
        let name = self.bounded_name(ctx);
        let id = self.alloc(ctx.module, ctx.hint.clone(), name, Some(doc), ctx.loc.clone());
        self.types[id.0].kind = kind;
        id
    }

    /// The name of an inline type: `Parent` + `Field`, shortened past [`MAX_NAME_LEN`] to its
    /// start and a hash of the whole name (deterministic, and distinct for distinct names
    /// short of a hash collision, which the module scope's numbering still resolves).
    fn bounded_name(&mut self, ctx: &Ctx<'_>) -> String {
        if ctx.hint.len() <= MAX_NAME_LEN {
            return ctx.hint.clone();
        }
        let hash = ctx.hint.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
        let mut cut = MAX_NAME_LEN - 16;
        while !ctx.hint.is_char_boundary(cut) {
            cut -= 1;
        }
        let name = format!("{}{hash:016X}", &ctx.hint[..cut]);
        let msg = format!("the name made up for the type of `{}` is longer than {MAX_NAME_LEN} characters: shortened to `{name}`", short(&ctx.origin));
        self.warn(&ctx.loc.clone(), msg);
        name
    }

    /// Lowers a type expression. The flag is `true` when the type admits `null`/`undefined`,
    /// so the field holding it becomes optional.
    fn lower(&mut self, expr: &TypeExpr, ctx: &Ctx<'_>) -> (Ty, bool) {
        let ty = match expr {
            TypeExpr::String => Ty::String,
            TypeExpr::Number | TypeExpr::NumberLit(_) => self.number(),
            TypeExpr::Boolean | TypeExpr::BoolLit(_) => Ty::Bool,
            TypeExpr::Any | TypeExpr::Unknown | TypeExpr::Object => Ty::Json,
            TypeExpr::Null | TypeExpr::Undefined | TypeExpr::Void | TypeExpr::Never => return (Ty::Unit, true),
            TypeExpr::StringLit(s) => {
                let kind = self.string_enum(std::slice::from_ref(s));
                Ty::Named(self.inline(ctx, kind))
            }
            TypeExpr::Array(inner) => {
                let item = Ctx { origin: format!("{}[]", ctx.origin), ..ctx.clone() };
                Ty::Vec(Box::new(self.lower(inner, &item).0))
            }
            TypeExpr::Tuple(items) => {
                let items: Vec<Ty> = items.iter().enumerate().map(|(i, t)| {
                    let c = Ctx { hint: format!("{}{}", ctx.hint, i), origin: format!("{}[{i}]", ctx.origin), ..ctx.clone() };
                    self.lower(t, &c).0
                }).collect();
                Ty::Tuple(items)
            }
            TypeExpr::Union(members) => return self.lower_union(members, ctx),
            TypeExpr::Lowered(ty, nullable) => return (ty.clone(), *nullable),
            TypeExpr::Indexed { object, index, loc } => return self.lower_indexed(object, index, loc, ctx),
            TypeExpr::Intersection(_) if unions::without_empty_objects(expr).is_some() => {
                return self.lower(&unions::without_empty_objects(expr).unwrap_or(TypeExpr::Object), ctx);
            }
            TypeExpr::Intersection(_) if self.distributed(expr, ctx.module, 0).is_some() => {
                return self.lower_union(&self.distributed(expr, ctx.module, 0).unwrap_or_default(), ctx);
            }
            TypeExpr::Intersection(_) | TypeExpr::Literal(_) => match self.shape_of(expr, ctx) {
                Some(shape) => Ty::Named(self.inline(ctx, TypeKind::Struct(Struct { fields: shape.fields, additional: shape.additional }))),
                None => {
                    let msg = "intersection of types that are not all object types: emitted as `serde_json::Value`".into();
                    self.fall_back(&ctx.loc.clone(), "intersection with a part that is not an object type", msg)
                }
            },
            TypeExpr::Ref { name, args, loc } => return self.lower_ref(name, args, loc, ctx),
            TypeExpr::Unsupported { what, loc } => {
                let loc = if loc.file.is_empty() { ctx.loc.clone() } else { loc.clone() };
                self.fall_back(&loc, &what.replace('`', ""), format!("{what} has no data meaning: emitted as `serde_json::Value`"))
            }
        };
        (ty, false)
    }

    fn lower_ref(&mut self, name: &str, args: &[TypeExpr], loc: &Loc, ctx: &Ctx<'_>) -> (Ty, bool) {
        let arg = |this: &mut Self, i: usize| args.get(i).map(|a| this.lower(a, ctx).0);
        let ty = match (name, args.len()) {
            // Warned once for the declaration (`generic declaration ...`).
            _ if ctx.generics.iter().any(|g| g == name) => self.fall_back(loc, "open type parameter", String::new()),
            ("Record", 2) if self.record_object(&args[0], &args[1], ctx.module).is_some() => {
                let obj = self.record_object(&args[0], &args[1], ctx.module).unwrap_or_default();
                let shape = self.object_shape(&obj, ctx);
                Ty::Named(self.inline(ctx, TypeKind::Struct(Struct { fields: shape.fields, additional: shape.additional })))
            }
            ("Exclude" | "Extract", 2) if self.filtered_union(&args[0], &args[1], name == "Extract", ctx.module).is_some() => {
                let rest = self.filtered_union(&args[0], &args[1], name == "Extract", ctx.module).unwrap_or(TypeExpr::Never);
                return self.lower(&rest, ctx);
            }
            ("Record", 2) | ("Map", 2) => Ty::Map(Box::new(arg(self, 1).unwrap_or(Ty::Json))),
            ("Record", 0) | ("Map", 0) => {
                let msg = format!("`{name}` without type arguments: emitted as a map of `serde_json::Value`");
                Ty::Map(Box::new(self.fall_back(loc, "`Record`/`Map` without type arguments", msg)))
            }
            ("Array", 1) | ("ReadonlyArray", 1) | ("Set", 1) => Ty::Vec(Box::new(arg(self, 0).unwrap_or(Ty::Json))),
            ("Promise", 1) => return self.lower(&args[0], ctx),
            ("Date", 0) => Ty::String,
            ("Partial" | "Required" | "Readonly" | "Omit" | "Pick", _) => {
                let expr = TypeExpr::Ref { name: name.to_string(), args: args.to_vec(), loc: loc.clone() };
                match self.shape_of(&expr, ctx) {
                    Some(shape) => Ty::Named(self.inline(ctx, TypeKind::Struct(Struct { fields: shape.fields, additional: shape.additional }))),
                    None => {
                        let msg = format!("`{name}<...>` of a type that is not an object type: emitted as `serde_json::Value`");
                        self.fall_back(loc, "utility type of a type that is not an object type", msg)
                    }
                }
            }
            _ => match self.modules.lookup(ctx.module, name, Want::Type) {
                Some(Found::Decl(sym)) if self.is_instantiation(sym, args, ctx) => self.instantiate(sym, args, loc, ctx),
                Some(Found::Decl(sym)) => match self.decl_ids.get(&sym) {
                    Some(id) => Ty::Named(*id),
                    None => {
                        let kind = match &self.modules.mods[sym.module].decls[sym.decl].kind {
                            DeclKind::Class(_) => "a class",
                            _ => "not a data type",
                        };
                        self.fall_back(loc, kind, format!("`{name}` is {kind}: emitted as `serde_json::Value`"))
                    }
                },
                Some(Found::External { package, name }) => {
                    let msg = format!("`{name}` comes from the external package `{package}`: emitted as `serde_json::Value`");
                    self.fall_back(loc, "external package", msg)
                }
                // Not declared in the package nor imported: a global of TypeScript's libraries
                // (`Error`, `Uint8Array`, DOM's `BodyInit`, ...), since the package compiled.
                // The Fetch API's headers, as they go on the wire: a map of strings.
                None if matches!(name, "HeadersInit" | "Headers") => Ty::Map(Box::new(Ty::String)),
                Some(Found::Namespace(_)) | None => {
                    let msg = format!("`{name}` is not declared in this package (a global type): emitted as `serde_json::Value`");
                    self.fall_back(loc, "global type", msg)
                }
            },
        };
        (ty, false)
    }

    fn lower_union(&mut self, members: &[TypeExpr], ctx: &Ctx<'_>) -> (Ty, bool) {
        let mut flat = Vec::new();
        flatten_union(members, &mut flat);
        let nullable = flat.iter().any(|m| matches!(m, TypeExpr::Null | TypeExpr::Undefined | TypeExpr::Void));
        let rest: Vec<TypeExpr> =
            flat.into_iter().filter(|m| !matches!(m, TypeExpr::Null | TypeExpr::Undefined | TypeExpr::Void | TypeExpr::Never)).collect();
        if rest.is_empty() {
            return (Ty::Unit, true);
        }
        if rest.len() == 1 {
            let (ty, n) = self.lower(&rest[0], ctx);
            return (ty, nullable || n);
        }
        if rest.iter().all(|m| matches!(m, TypeExpr::String)) {
            return (Ty::String, nullable);
        }
        if rest.iter().all(|m| matches!(m, TypeExpr::Boolean | TypeExpr::BoolLit(_))) {
            return (Ty::Bool, nullable);
        }
        if rest.iter().all(|m| matches!(m, TypeExpr::Number | TypeExpr::NumberLit(_))) {
            return (self.number(), nullable);
        }
        let kind = self.union_kind(&rest, ctx).unwrap_or(TypeKind::Alias(Ty::Json));
        (Ty::Named(self.inline(ctx, kind)), nullable)
    }

    /// The type a union of two or more non-null members becomes: an open string enum, a tagged
    /// enum, or an untagged enum. `None` for unions that collapse to one simple type.
    fn union_kind(&mut self, members: &[TypeExpr], ctx: &Ctx<'_>) -> Option<TypeKind> {
        let mut flat = Vec::new();
        flatten_union(members, &mut flat);
        flat.retain(|m| !matches!(m, TypeExpr::Null | TypeExpr::Undefined | TypeExpr::Void | TypeExpr::Never));
        if flat.len() < 2 {
            return None;
        }
        let is_stringy = |m: &TypeExpr| matches!(m, TypeExpr::String | TypeExpr::StringLit(_));
        if flat.iter().all(is_stringy) {
            let lits: Vec<String> = flat.iter().filter_map(|m| match m {
                TypeExpr::StringLit(s) => Some(s.clone()),
                _ => None,
            }).collect();
            return (!lits.is_empty()).then(|| self.string_enum(&lits));
        }
        if let Some(obj) = self.exclusive_object(&flat, ctx.module) {
            let shape = self.object_shape(&obj, ctx);
            return Some(TypeKind::Struct(Struct { fields: shape.fields, additional: shape.additional }));
        }
        if let Some(kind) = self.tagged(&flat, ctx) {
            return Some(kind);
        }
        Some(self.untagged(&flat, ctx))
    }

    /// A union whose members are all object types with one shared field holding a distinct
    /// string literal in each: an internally tagged enum.
    fn tagged(&mut self, members: &[TypeExpr], ctx: &Ctx<'_>) -> Option<TypeKind> {
        // `A | B | {...}` where `A` and `B` are aliases of unions in this module: one union of
        // all their members, so a single tag decides among all of them.
        let mut expanded = Vec::new();
        self.expand_aliased_unions(members, ctx.module, &mut expanded, 0);
        let members = expanded.as_slice();
        let objects: Vec<ObjectType> =
            members.iter().map(|m| self.object_of(m, ctx.module, false, 0).map(std::borrow::Cow::into_owned)).collect::<Option<_>>()?;
        let tag_of = |o: &ObjectType, name: &str| {
            o.props.iter().find(|p| p.name == name && !p.optional).and_then(|p| match &p.ty {
                TypeExpr::StringLit(s) => Some(s.clone()),
                _ => None,
            })
        };
        // One member may be the open case (`{ type: string; ... }`): any other tag.
        let is_open = |o: &ObjectType, name: &str| o.props.iter().any(|p| p.name == name && p.ty == TypeExpr::String);
        let tag = objects[0].props.iter().map(|p| p.name.clone()).find(|name| {
            let open = objects.iter().filter(|o| is_open(o, name)).count();
            let values: Vec<String> = objects.iter().filter_map(|o| tag_of(o, name)).collect();
            open <= 1 && values.len() + open == objects.len() && values.iter().collect::<BTreeSet<_>>().len() >= 2
        })?;
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        let mut open_member = None;
        for (m, o) in members.iter().zip(&objects) {
            let Some(value) = tag_of(o, &tag) else {
                open_member = Some(m);
                continue;
            };
            // A tag value listed twice (two aliased unions sharing a case): the first wins.
            if variants.iter().any(|v: &TaggedVariant| v.tag_value == value) {
                continue;
            }
            let rust_name = scope.unique(self.namer.camel(&value));
            let vctx = Ctx { hint: format!("{}{}", ctx.hint, rust_name), origin: format!("{} ({tag}: \"{value}\")", ctx.origin), ..ctx.clone() };
            // The tag is the enum's; lowering it would only make an unused type.
            let mut shape = match without_field(m, &tag) {
                TypeExpr::Literal(obj) => self.object_shape(&obj, &vctx),
                other => self.shape_of(&other, &vctx)?,
            };
            shape.fields.retain(|f| f.wire_name != tag);
            let ty = self.inline(&vctx, TypeKind::Struct(Struct { fields: shape.fields, additional: shape.additional }));
            variants.push(TaggedVariant { tag_value: value, rust_name, ty });
        }
        let Some(open) = open_member else {
            let unknown = Some(scope.unique("Unknown".to_string()));
            return Some(TypeKind::Tagged { tag, variants, unknown });
        };
        let tagged = TypeKind::Tagged { tag: tag.clone(), variants, unknown: None };
        // With an open case, unknown tags keep their data: an untagged pair of the tagged enum
        // (tried first) and the open member's struct.
        let known_ctx = Ctx { hint: format!("{}Known", ctx.hint), origin: format!("{} (known {tag} values)", ctx.origin), ..ctx.clone() };
        let known = self.inline(&known_ctx, tagged);
        let other_ctx = Ctx { hint: format!("{}Other", ctx.hint), origin: format!("{} (any other {tag})", ctx.origin), ..ctx.clone() };
        let shape = self.shape_of(open, &other_ctx)?;
        let other = self.inline(&other_ctx, TypeKind::Struct(Struct { fields: shape.fields, additional: shape.additional }));
        Some(TypeKind::Untagged {
            variants: vec![
                UntaggedVariant { rust_name: "Known".into(), ty: Ty::Named(known) },
                UntaggedVariant { rust_name: "Other".into(), ty: Ty::Named(other) },
            ],
        })
    }

    fn expand_aliased_unions(&self, members: &[TypeExpr], module: usize, out: &mut Vec<TypeExpr>, depth: usize) {
        for m in members {
            if let TypeExpr::Ref { name, args, .. } = m
                && args.is_empty()
                && depth < 8
                && let Some(Found::Decl(sym)) = self.modules.lookup(module, name, Want::Type)
                && sym.module == module
                && let DeclKind::Alias(TypeExpr::Union(inner)) = &self.modules.mods[sym.module].decls[sym.decl].kind
            {
                self.expand_aliased_unions(inner, module, out, depth + 1);
            } else {
                out.push(m.clone());
            }
        }
    }

    /// Any other union. Variants are ordered so the first that matches is the most specific:
    /// object types with more required fields first, then unions, then object types that
    /// accept any keys or need none, then lists, maps, booleans, numbers, strings, and any JSON
    /// value last.
    fn untagged(&mut self, members: &[TypeExpr], ctx: &Ctx<'_>) -> TypeKind {
        let mut lowered: Vec<Ty> = Vec::new();
        let mut string_lits = Vec::new();
        for (i, m) in members.iter().enumerate() {
            match m {
                TypeExpr::StringLit(s) => string_lits.push(s.clone()),
                _ => {
                    let suffix = self.member_suffix(members, i, ctx);
                    let c = Ctx { hint: format!("{}{suffix}", ctx.hint), ..ctx.clone() };
                    let ty = self.lower(m, &c).0;
                    if !lowered.contains(&ty) {
                        lowered.push(ty);
                    }
                }
            }
        }
        if !string_lits.is_empty() && !lowered.contains(&Ty::String) {
            let kind = self.string_enum(&string_lits);
            let c = Ctx { hint: format!("{}Literal", ctx.hint), origin: format!("{} (string values)", ctx.origin), ..ctx.clone() };
            lowered.push(Ty::Named(self.inline(&c, kind)));
        }
        lowered.sort_by_key(|t| self.specificity(t));
        let mut scope = Scope::default();
        let variants = lowered
            .into_iter()
            .map(|ty| {
                let name = match &ty {
                    Ty::Named(id) => {
                        let n = &self.types[id.0].rust_name;
                        n.strip_prefix(ctx.hint.as_str()).filter(|s| !s.is_empty()).unwrap_or(n).to_string()
                    }
                    other => variant_name(other).to_string(),
                };
                UntaggedVariant { rust_name: scope.unique(name), ty }
            })
            .collect();
        TypeKind::Untagged { variants }
    }

    fn specificity(&self, ty: &Ty) -> (u8, std::cmp::Reverse<usize>) {
        use std::cmp::Reverse;
        match ty {
            Ty::Named(id) => match &self.types[id.0].kind {
                TypeKind::Struct(s) => {
                    // A struct that takes any keys, or needs none, matches almost any object:
                    // it goes after the unions, which check their tags.
                    let required = s.fields.iter().filter(|f| !f.optional).count();
                    let permissive = s.additional.is_some() || required == 0;
                    (if permissive { 2 } else { 0 }, Reverse(required))
                }
                TypeKind::Tagged { .. } | TypeKind::Untagged { .. } => (1, Reverse(0)),
                TypeKind::StringEnum { .. } => (8, Reverse(0)),
                TypeKind::Alias(inner) => self.specificity(inner),
            },
            Ty::Boxed(inner) => self.specificity(inner),
            Ty::Tuple(_) => (3, Reverse(0)),
            Ty::Vec(_) => (4, Reverse(0)),
            Ty::Map(_) => (5, Reverse(0)),
            Ty::Bool => (6, Reverse(0)),
            Ty::Integer => (7, Reverse(1)),
            Ty::Float => (7, Reverse(0)),
            Ty::String => (9, Reverse(0)),
            Ty::Unit => (10, Reverse(0)),
            Ty::Json => (11, Reverse(0)),
        }
    }
}

fn variant_name(ty: &Ty) -> &'static str {
    match ty {
        Ty::String => "String",
        Ty::Bool => "Bool",
        Ty::Integer => "Integer",
        Ty::Float => "Number",
        Ty::Json => "Json",
        Ty::Unit => "Null",
        Ty::Vec(_) => "List",
        Ty::Map(_) => "Map",
        Ty::Tuple(_) => "Tuple",
        Ty::Named(_) | Ty::Boxed(_) => "Object",
    }
}

fn flatten_union(members: &[TypeExpr], out: &mut Vec<TypeExpr>) {
    for m in members {
        match m {
            TypeExpr::Union(inner) => flatten_union(inner, out),
            other => out.push(unions::without_empty_objects(other).unwrap_or_else(|| other.clone())),
        }
    }
}

/// Globals of the platform that are live objects, never data on the wire.
const RUNTIME_OBJECTS: &[&str] = &["AbortSignal", "AbortController", "EventTarget", "ReadableStream", "WritableStream"];

/// Whether `expr` refers to one of `names` (type parameters) anywhere inside.
fn mentions_any(expr: &TypeExpr, names: &[String]) -> bool {
    let any = |items: &[TypeExpr]| items.iter().any(|e| mentions_any(e, names));
    match expr {
        TypeExpr::Ref { name, args, .. } => names.contains(name) || any(args),
        TypeExpr::Array(inner) => mentions_any(inner, names),
        TypeExpr::Indexed { object, index, .. } => mentions_any(object, names) || mentions_any(index, names),
        TypeExpr::Tuple(items) | TypeExpr::Union(items) | TypeExpr::Intersection(items) => any(items),
        TypeExpr::Literal(obj) => obj.props.iter().any(|p| mentions_any(&p.ty, names)) || any(&obj.extends),
        _ => false,
    }
}

/// A union member without the object literal field `name` (in it or in its literal parts).
fn without_field(m: &TypeExpr, name: &str) -> TypeExpr {
    match m {
        TypeExpr::Literal(obj) => {
            let mut obj = (**obj).clone();
            obj.props.retain(|p| p.name != name);
            TypeExpr::Literal(Box::new(obj))
        }
        TypeExpr::Intersection(parts) => TypeExpr::Intersection(parts.iter().map(|p| without_field(p, name)).collect()),
        other => other.clone(),
    }
}

fn literal_keys(keys: &TypeExpr) -> BTreeSet<String> {
    let mut flat = Vec::new();
    flatten_union(std::slice::from_ref(keys), &mut flat);
    flat.into_iter()
        .filter_map(|k| match k {
            TypeExpr::StringLit(s) => Some(s),
            _ => None,
        })
        .collect()
}

fn expr_loc(e: &TypeExpr) -> Option<&Loc> {
    match e {
        TypeExpr::Ref { loc, .. } | TypeExpr::Unsupported { loc, .. } => Some(loc),
        _ => None,
    }
}
