//! Generic declarations, monomorphized: each distinct instantiation with concrete arguments
//! (`Response<Email>`, `Page<User>`, defaults filled in) becomes one Rust type of its own, named
//! after the declaration and its arguments (`ResponseEmail`, `PageUserList`), in the
//! declaration's module. A parameter left open (no argument and no default, or an argument
//! that is itself an open parameter) is `serde_json::Value`, with a warning that says so.

use std::collections::BTreeMap;

use super::unions::same_type;
use super::{Ctx, Lowerer};
use crate::diag::Loc;
use crate::ir::decl::{DeclKind, ObjectType, Prop, TypeExpr};
use crate::ir::space::{Struct, Ty, TypeId, TypeKind};
use crate::resolve::scope::Sym;

/// How many instantiations may be in progress inside each other, and how many there may be in
/// all: well above what nested generic types need, low enough that a self-expanding
/// generic ends at once.
const MAX_NESTED_INSTANTIATIONS: usize = 32;
const MAX_INSTANTIATIONS: usize = 20_000;

/// An instantiation: the declaration and its lowered arguments.
pub(super) type InstanceKey = (Sym, Vec<(Ty, bool)>);

impl Lowerer<'_> {
    /// `T["a"]`: the type of field `a` of the object type `T` (optional fields admit `null`);
    /// `T[number]`: the item type of the list type `T`. Anything else falls back to JSON.
    pub(super) fn lower_indexed(&mut self, object: &TypeExpr, index: &TypeExpr, loc: &Loc, ctx: &Ctx<'_>) -> (Ty, bool) {
        if let Some(written) = self.indexed_expr(object, index, ctx.module) {
            let this = TypeExpr::Indexed { object: Box::new(object.clone()), index: Box::new(index.clone()), loc: Loc::default() };
            if self.indexing.iter().any(|e| same_type(e, &this)) {
                let msg = "indexed access type defined through itself: emitted as `serde_json::Value`".to_string();
                return (self.fall_back(loc, "indexed access type", msg), false);
            }
            self.indexing.push(this);
            let out = self.lower(&written, ctx);
            self.indexing.pop();
            return out;
        }
        match index {
            TypeExpr::StringLit(key) => {
                let field = self.shape_of(object, ctx).and_then(|s| s.fields.into_iter().find(|f| &f.wire_name == key));
                if let Some(f) = field {
                    return (f.ty, f.optional);
                }
            }
            TypeExpr::Number => {
                let (ty, _) = self.lower(object, ctx);
                if let Ty::Vec(item) = ty {
                    return (*item, false);
                }
            }
            _ => {}
        }
        let msg = "indexed access type of a field or item that could not be found: emitted as `serde_json::Value`".to_string();
        (self.fall_back(loc, "indexed access type", msg), false)
    }

    /// The Rust type of `name<args>` where `name` is the generic declaration `sym`.
    pub(super) fn instantiate(&mut self, sym: Sym, args: &[TypeExpr], loc: &Loc, ctx: &Ctx<'_>) -> Ty {
        let d = &self.modules().mods[sym.module].decls[sym.decl];
        let (params, defaults) = (d.generics.clone(), d.defaults.clone());
        let mut bound: BTreeMap<String, TypeExpr> = BTreeMap::new();
        let mut key_args = Vec::new();
        for (i, param) in params.iter().enumerate() {
            let arg = match (args.get(i), defaults.get(i).cloned().flatten()) {
                (Some(a), _) => {
                    let c = Ctx { hint: format!("{}Arg{}", ctx.hint, i + 1), ..ctx.clone() };
                    let (ty, nullable) = self.lower(a, &c);
                    TypeExpr::Lowered(ty, nullable)
                }
                // A default is written in the declaration's scope, after the earlier parameters.
                (None, Some(default)) => {
                    let c = Ctx { module: sym.module, generics: &[], ..ctx.clone() };
                    let (ty, nullable) = self.lower(&substitute(&default, &bound), &c);
                    TypeExpr::Lowered(ty, nullable)
                }
                (None, None) => {
                    let msg = format!("type parameter `{param}` of `{}` has no argument here: emitted as `serde_json::Value`", d.name);
                    TypeExpr::Lowered(self.fall_back(loc, "open type parameter", msg), false)
                }
            };
            if let TypeExpr::Lowered(ty, nullable) = &arg {
                key_args.push((ty.clone(), *nullable));
            }
            bound.insert(param.clone(), arg);
        }
        let key = (sym, key_args);
        if let Some(id) = self.instances.get(&key) {
            return Ty::Named(*id);
        }
        if let Some(limit) = self.instantiation_limit() {
            let msg = format!("`{}` instantiated {limit}: emitted as `serde_json::Value` (see the README's limits)", d.name);
            return self.fall_back(loc, "generic recursion", msg);
        }
        let id = self.declare_instance(sym, &key.1);
        self.instances.insert(key, id);
        self.instantiating += 1;
        let logged = self.fallbacks.len();
        let kind = self.instance_kind(sym, id, &bound);
        self.note_alias_fallback(id, &kind, logged);
        self.instantiating -= 1;
        self.types[id.0].kind = kind;
        Ty::Named(id)
    }

    /// Why no further instantiation may start, if one of the limits is reached: a generic type
    /// that instantiates itself with growing arguments (`type A<T> = { x: A<T[]> }`) would
    /// otherwise never end.
    fn instantiation_limit(&self) -> Option<String> {
        if self.instantiating >= MAX_NESTED_INSTANTIATIONS {
            return Some(format!("inside {MAX_NESTED_INSTANTIATIONS} nested instantiations (a recursion that never closes)"));
        }
        (self.instances.len() >= MAX_INSTANTIATIONS).then(|| format!("after {MAX_INSTANTIATIONS} instantiations in all"))
    }

    /// Allocates the instance's type, named after the declaration and its arguments.
    fn declare_instance(&mut self, sym: Sym, args: &[(Ty, bool)]) -> TypeId {
        let d = &self.modules().mods[sym.module].decls[sym.decl];
        let base = self.decl_ids.get(&sym).map_or_else(|| self.namer.camel(&d.name), |id| self.types[id.0].rust_name.clone());
        let suffix: String = args.iter().map(|(ty, _)| self.ty_name(ty)).collect();
        let shown: Vec<String> = args.iter().map(|(ty, _)| self.ty_name(ty)).collect();
        let doc = match &d.doc {
            Some(doc) => format!("{doc}\n\n`{}<{}>`.", d.name, shown.join(", ")),
            None => format!("`{}<{}>`.", d.name, shown.join(", ")),
        };
        let (wire, loc) = (format!("{}<{}>", d.name, shown.join(", ")), d.loc.clone());
        self.alloc(sym.module, wire, format!("{base}{suffix}"), Some(doc), loc)
    }

    /// The declaration's body with the arguments substituted, lowered.
    fn instance_kind(&mut self, sym: Sym, id: TypeId, bound: &BTreeMap<String, TypeExpr>) -> TypeKind {
        let d = &self.modules().mods[sym.module].decls[sym.decl];
        let ctx = Ctx { module: sym.module, generics: &[], hint: self.types[id.0].rust_name.clone(), origin: self.types[id.0].wire_name.clone(), loc: d.loc.clone() };
        match &d.kind {
            DeclKind::Interface(obj) => {
                let shape = self.object_shape(&substitute_object(obj, bound), &ctx);
                TypeKind::Struct(Struct { fields: shape.fields, additional: shape.additional })
            }
            DeclKind::Alias(expr) => self.alias_kind(&substitute(expr, bound), &ctx),
            _ => TypeKind::Alias(Ty::Json),
        }
    }

    /// A short readable name for a type argument (`Email`, `String`, `UserList`).
    fn ty_name(&self, ty: &Ty) -> String {
        match ty {
            Ty::String => "String".into(),
            Ty::Bool => "Bool".into(),
            Ty::Integer | Ty::Float => "Number".into(),
            Ty::Json => "Value".into(),
            Ty::Unit => "Null".into(),
            Ty::Vec(inner) => format!("{}List", self.ty_name(inner)),
            Ty::Map(inner) => format!("{}Map", self.ty_name(inner)),
            Ty::Tuple(items) => items.iter().map(|t| self.ty_name(t)).collect::<String>() + "Tuple",
            Ty::Named(id) => self.types[id.0].rust_name.clone(),
            Ty::Boxed(inner) => self.ty_name(inner),
        }
    }
}

/// `expr` with each type parameter replaced by its argument.
pub(super) fn substitute(expr: &TypeExpr, bound: &BTreeMap<String, TypeExpr>) -> TypeExpr {
    let sub = |e: &TypeExpr| substitute(e, bound);
    match expr {
        TypeExpr::Ref { name, args, .. } if args.is_empty() && bound.contains_key(name) => bound[name].clone(),
        TypeExpr::Ref { name, args, loc } => TypeExpr::Ref { name: name.clone(), args: args.iter().map(sub).collect(), loc: loc.clone() },
        TypeExpr::Array(inner) => TypeExpr::Array(Box::new(sub(inner))),
        TypeExpr::Tuple(items) => TypeExpr::Tuple(items.iter().map(sub).collect()),
        TypeExpr::Union(items) => TypeExpr::Union(items.iter().map(sub).collect()),
        TypeExpr::Intersection(items) => TypeExpr::Intersection(items.iter().map(sub).collect()),
        TypeExpr::Literal(obj) => TypeExpr::Literal(Box::new(substitute_object(obj, bound))),
        TypeExpr::Indexed { object, index, loc } => TypeExpr::Indexed { object: Box::new(sub(object)), index: Box::new(sub(index)), loc: loc.clone() },
        other => other.clone(),
    }
}

fn substitute_object(obj: &ObjectType, bound: &BTreeMap<String, TypeExpr>) -> ObjectType {
    ObjectType {
        extends: obj.extends.iter().map(|e| substitute(e, bound)).collect(),
        props: obj.props.iter().map(|p| Prop { ty: substitute(&p.ty, bound), ..p.clone() }).collect(),
        index: obj.index.as_ref().map(|i| Box::new(substitute(i, bound))),
        skipped: obj.skipped.clone(),
    }
}
