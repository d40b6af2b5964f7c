//! Unions and intersections the way SDKs write them for data:
//! - `(string & {}) | "a" | "b"`: `X & {}` is `X` (the trick that keeps editors suggesting the
//!   literals of an open string union);
//! - "exactly one of" unions, `{ id: string; email?: never } | { id?: never; email: string }`:
//!   one struct whose fields are optional unless every member requires them (JSON cannot say
//!   more, and a caller builds it like the TypeScript object);
//! - intersections with a union behind an alias (`Pagination & { q: string }` where
//!   `type Pagination = { after: string } | { before: string }`): distributed over its members;
//! - the object type behind a union member, for tag detection and readable variant names.
//!
//! Expressions are only moved between declarations of one module, where the names in them
//! mean the same thing.

use std::borrow::Cow;

use super::{Ctx, Lowerer, flatten_union};
use crate::diag::Loc;
use crate::ir::decl::{DeclKind, ObjectType, Prop, TypeExpr};
use crate::resolve::scope::{Found, Want};

/// How many aliases are followed to find a union or an object type behind a name.
const MAX_ALIAS_HOPS: usize = 8;

/// `{}`: no members at all.
fn is_empty_object(e: &TypeExpr) -> bool {
    matches!(e, TypeExpr::Literal(o) if o.props.is_empty() && o.index.is_none() && o.extends.is_empty() && o.skipped.is_empty())
}

/// `X & {}` is `X`; `None` when `expr` has no `{}` to drop.
pub(super) fn without_empty_objects(expr: &TypeExpr) -> Option<TypeExpr> {
    let TypeExpr::Intersection(parts) = expr else { return None };
    if parts.len() < 2 || !parts.iter().any(is_empty_object) {
        return None;
    }
    let mut rest: Vec<TypeExpr> = parts.iter().filter(|p| !is_empty_object(p)).cloned().collect();
    Some(match rest.len() {
        0 => parts[0].clone(),
        1 => rest.remove(0),
        _ => TypeExpr::Intersection(rest),
    })
}

/// A field type that says the field is absent: `never`, `undefined`, `null` or a union of them.
fn is_absent(ty: &TypeExpr) -> bool {
    match ty {
        TypeExpr::Never | TypeExpr::Undefined | TypeExpr::Void | TypeExpr::Null => true,
        TypeExpr::Union(items) => items.iter().all(is_absent),
        _ => false,
    }
}

/// The expression with every location cleared, to compare two written types.
fn unlocated(e: &TypeExpr) -> TypeExpr {
    let all = |items: &[TypeExpr]| items.iter().map(unlocated).collect();
    match e {
        TypeExpr::Ref { name, args, .. } => TypeExpr::Ref { name: name.clone(), args: all(args), loc: Loc::default() },
        TypeExpr::Array(inner) => TypeExpr::Array(Box::new(unlocated(inner))),
        TypeExpr::Tuple(items) => TypeExpr::Tuple(all(items)),
        TypeExpr::Union(items) => TypeExpr::Union(all(items)),
        TypeExpr::Intersection(items) => TypeExpr::Intersection(all(items)),
        TypeExpr::Literal(obj) => {
            let props = obj.props.iter().map(|p| Prop { ty: unlocated(&p.ty), doc: None, loc: Loc::default(), ..p.clone() }).collect();
            TypeExpr::Literal(Box::new(ObjectType { extends: all(&obj.extends), props, index: obj.index.clone(), skipped: vec![] }))
        }
        TypeExpr::Indexed { object, index, .. } => {
            TypeExpr::Indexed { object: Box::new(unlocated(object)), index: Box::new(unlocated(index)), loc: Loc::default() }
        }
        TypeExpr::Unsupported { what, .. } => TypeExpr::Unsupported { what: what.clone(), loc: Loc::default() },
        other => other.clone(),
    }
}

/// Whether two written types are the same.
pub(super) fn same_type(a: &TypeExpr, b: &TypeExpr) -> bool {
    a == b || unlocated(a) == unlocated(b)
}

/// Adds `more`'s members to `into`, a later member replacing an earlier one of the same name
/// (as an intersection's parts and `extends` do).
fn merge_objects(into: &mut ObjectType, more: &ObjectType) {
    for p in &more.props {
        match into.props.iter_mut().find(|q| q.name == p.name) {
            Some(q) => *q = p.clone(),
            None => into.props.push(p.clone()),
        }
    }
    if more.index.is_some() {
        into.index.clone_from(&more.index);
    }
    into.extends.extend(more.extends.iter().cloned());
}

impl Lowerer<'_> {
    /// The declaration of the plain alias `name` in `module` itself (no type arguments), if any.
    fn local_alias(&self, module: usize, name: &str) -> Option<&TypeExpr> {
        let Some(Found::Decl(sym)) = self.modules().lookup(module, name, Want::Type) else { return None };
        let d = &self.modules().mods[sym.module].decls[sym.decl];
        match &d.kind {
            DeclKind::Alias(expr) if sym.module == module && d.generics.is_empty() => Some(expr),
            _ => None,
        }
    }

    /// The object type a union member or intersection part stands for, without lowering it:
    /// an object literal, an intersection of such, or a name declared as one. Names from
    /// another module count only as tag carriers (`local` false), since their members' types
    /// are written in that module.
    pub(super) fn object_of<'o>(&'o self, m: &'o TypeExpr, module: usize, local: bool, hops: usize) -> Option<Cow<'o, ObjectType>> {
        match m {
            TypeExpr::Literal(o) => Some(Cow::Borrowed(o)),
            TypeExpr::Intersection(parts) => {
                let mut merged = ObjectType::default();
                for p in parts {
                    let part = self.object_of(p, module, local, hops)?;
                    merge_objects(&mut merged, &part);
                }
                Some(Cow::Owned(merged))
            }
            TypeExpr::Ref { name, args, .. } if args.is_empty() && hops < MAX_ALIAS_HOPS => {
                let Found::Decl(sym) = self.modules().lookup(module, name, Want::Type)? else { return None };
                if local && sym.module != module {
                    return None;
                }
                let d = &self.modules().mods[sym.module].decls[sym.decl];
                match &d.kind {
                    DeclKind::Interface(o) if o.extends.is_empty() && d.generics.is_empty() => Some(Cow::Borrowed(o)),
                    DeclKind::Alias(e @ (TypeExpr::Literal(_) | TypeExpr::Intersection(_))) if d.generics.is_empty() => {
                        self.object_of(e, sym.module, local, hops + 1)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// An "exactly one of" union (members that differ by which fields they leave absent with
    /// `?: never`/`undefined`, all other fields of one type) as one object type whose fields are
    /// required only when every member requires them. `None` for any other union.
    pub(super) fn exclusive_object(&self, members: &[TypeExpr], module: usize) -> Option<ObjectType> {
        let mut flat = Vec::new();
        flatten_union(members, &mut flat);
        if flat.len() < 2 {
            return None;
        }
        let objects: Vec<Cow<'_, ObjectType>> = flat.iter().map(|m| self.object_of(m, module, true, 0)).collect::<Option<_>>()?;
        let mut props: Vec<Prop> = Vec::new();
        for p in objects.iter().flat_map(|o| &o.props).filter(|p| !is_absent(&p.ty)) {
            match props.iter().find(|q| q.name == p.name) {
                Some(q) if !same_type(&q.ty, &p.ty) => return None,
                Some(_) => {}
                None => props.push(p.clone()),
            }
        }
        let absent_somewhere = objects.iter().flat_map(|o| &o.props).any(|p| is_absent(&p.ty) && props.iter().any(|q| q.name == p.name));
        if !absent_somewhere || objects.iter().any(|o| o.index.is_some() || !o.extends.is_empty()) {
            return None;
        }
        for q in &mut props {
            q.optional = !objects.iter().all(|o| o.props.iter().any(|p| p.name == q.name && !p.optional && !is_absent(&p.ty)));
        }
        Some(ObjectType { props, ..Default::default() })
    }

    /// The members of the union a part of an intersection stands for (written inline, or behind
    /// an alias of this module), unless it is an "exactly one of" union, which merges instead.
    fn union_behind(&self, part: &TypeExpr, module: usize, hops: usize) -> Option<Vec<TypeExpr>> {
        let members = match part {
            TypeExpr::Union(members) => members.clone(),
            TypeExpr::Ref { name, args, .. } if args.is_empty() && hops < MAX_ALIAS_HOPS => match self.local_alias(module, name)? {
                TypeExpr::Union(members) => members.clone(),
                inner @ TypeExpr::Intersection(_) => self.distributed(inner, module, hops + 1)?,
                _ => return None,
            },
            _ => return None,
        };
        self.exclusive_object(&members, module).is_none().then_some(members)
    }

    /// An intersection with a union in it, distributed over the union's members:
    /// `(A | B) & C` is `(A & C) | (B & C)`. `None` when `expr` is no such intersection.
    pub(super) fn distributed(&self, expr: &TypeExpr, module: usize, hops: usize) -> Option<Vec<TypeExpr>> {
        let TypeExpr::Intersection(parts) = expr else { return None };
        let (at, members) = parts.iter().enumerate().find_map(|(i, p)| Some((i, self.union_behind(p, module, hops)?)))?;
        let mut flat = Vec::new();
        flatten_union(&members, &mut flat);
        let members = flat
            .into_iter()
            .map(|m| {
                let mut parts = parts.clone();
                parts[at] = m;
                let product = TypeExpr::Intersection(parts);
                match self.distributed(&product, module, hops) {
                    Some(more) => TypeExpr::Union(more),
                    None => product,
                }
            })
            .collect();
        Some(members)
    }

    /// The fields common to all members of a union (what `keyof` of a union is), for `Pick` and
    /// `Omit` of one: a field whose type differs between members is left out.
    pub(super) fn common_object(&self, expr: &TypeExpr, module: usize) -> Option<ObjectType> {
        let flat = self.union_members(expr, module)?;
        let objects: Vec<Cow<'_, ObjectType>> = flat.iter().map(|m| self.object_of(m, module, true, 0)).collect::<Option<_>>()?;
        let (first, rest) = objects.split_first()?;
        let props = first
            .props
            .iter()
            .filter(|p| rest.iter().all(|o| o.props.iter().any(|q| q.name == p.name && same_type(&q.ty, &p.ty))))
            .map(|p| Prop { optional: p.optional || rest.iter().any(|o| o.props.iter().any(|q| q.name == p.name && q.optional)), ..p.clone() })
            .collect();
        Some(ObjectType { props, ..Default::default() })
    }

    /// What an indexed access stands for, as a written type, where it can be said without
    /// lowering: `[A, B][number]` (a `readonly [...]` constant's `typeof`, mostly) is any item,
    /// `U["type"]` of a union is the field's types in all its members.
    pub(super) fn indexed_expr(&self, object: &TypeExpr, index: &TypeExpr, module: usize) -> Option<TypeExpr> {
        match (object, index) {
            (TypeExpr::Tuple(items), TypeExpr::Number) => Some(TypeExpr::Union(items.clone())),
            (_, TypeExpr::StringLit(key)) => self.field_across_union(object, key, module).map(TypeExpr::Union),
            _ => None,
        }
    }

    /// The types of field `key` in every member of the union `expr` (of this module), when each
    /// member is an object type that has it.
    fn field_across_union(&self, expr: &TypeExpr, key: &str, module: usize) -> Option<Vec<TypeExpr>> {
        let members = self.union_members(expr, module)?;
        members
            .iter()
            .map(|m| {
                let o = self.object_of(m, module, true, 0)?;
                o.props.iter().find(|p| p.name == key).map(|p| p.ty.clone())
            })
            .collect()
    }

    /// The members of a union written inline or behind an alias of this module (an
    /// intersection that distributes counts).
    fn union_members(&self, expr: &TypeExpr, module: usize) -> Option<Vec<TypeExpr>> {
        let members = match expr {
            TypeExpr::Ref { name, args, .. } if args.is_empty() => match self.local_alias(module, name)? {
                TypeExpr::Union(members) => members.clone(),
                inner @ TypeExpr::Intersection(_) => self.distributed(inner, module, 0)?,
                _ => return None,
            },
            TypeExpr::Union(members) => members.clone(),
            _ => return None,
        };
        let mut flat = Vec::new();
        flatten_union(&members, &mut flat);
        Some(flat)
    }

    /// The string values of a union of string literals (written inline, or behind aliases and
    /// enums of any module): the keys of `Record<"a" | "b", V>`. `None` if any member is no
    /// string literal.
    pub(super) fn literal_keys(&self, expr: &TypeExpr, module: usize, hops: usize) -> Option<Vec<String>> {
        match expr {
            TypeExpr::StringLit(s) => Some(vec![s.clone()]),
            TypeExpr::Union(members) => {
                let mut keys: Vec<String> = Vec::new();
                for m in members {
                    for k in self.literal_keys(m, module, hops)? {
                        if !keys.contains(&k) {
                            keys.push(k);
                        }
                    }
                }
                Some(keys)
            }
            TypeExpr::Ref { name, args, .. } if args.is_empty() && hops < MAX_ALIAS_HOPS => {
                let Found::Decl(sym) = self.modules().lookup(module, name, Want::Type)? else { return None };
                match &self.modules().mods[sym.module].decls[sym.decl].kind {
                    DeclKind::Alias(inner) => self.literal_keys(inner, sym.module, hops + 1),
                    DeclKind::Enum(members) => Some(members.iter().map(|(_, v)| v.clone()).collect()),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `Record<"a" | "b", V>`: an object type with those fields.
    pub(super) fn record_object(&self, keys: &TypeExpr, value: &TypeExpr, module: usize) -> Option<ObjectType> {
        let keys = self.literal_keys(keys, module, 0)?;
        let props = keys.into_iter().map(|name| Prop { name, optional: false, ty: value.clone(), doc: None, loc: Loc::default() }).collect();
        Some(ObjectType { props, ..Default::default() })
    }

    /// `Exclude<U, X>` (`keep` false) or `Extract<U, X>` (`keep` true) of a union of string
    /// literals, or of a union of this module: the members of `U` that are (not) in `X`.
    pub(super) fn filtered_union(&self, union: &TypeExpr, filter: &TypeExpr, keep: bool, module: usize) -> Option<TypeExpr> {
        if let (Some(all), Some(listed)) = (self.literal_keys(union, module, 0), self.literal_keys(filter, module, 0)) {
            let rest = all.into_iter().filter(|k| listed.contains(k) == keep).map(TypeExpr::StringLit).collect();
            return Some(TypeExpr::Union(rest));
        }
        let members = self.union_members(union, module)?;
        let mut listed = Vec::new();
        flatten_union(std::slice::from_ref(filter), &mut listed);
        let rest = members.into_iter().filter(|m| listed.iter().any(|l| same_type(l, m)) == keep).collect();
        Some(TypeExpr::Union(rest))
    }

    /// A readable suffix for the type made for a union member that has no name of its own:
    /// the field only it requires (`{ data: T; error: null } | { data: null; error: E }` gives
    /// `Data` and `Error`), the names it is built from, or what kind of value it is.
    pub(super) fn member_suffix(&self, members: &[TypeExpr], at: usize, ctx: &Ctx<'_>) -> String {
        let m = &members[at];
        match m {
            TypeExpr::Array(_) => return "Item".to_string(),
            TypeExpr::Ref { name, args, .. } if args.len() == 1 && matches!(name.as_str(), "Array" | "ReadonlyArray") => return "Item".to_string(),
            TypeExpr::Tuple(_) => return "Tuple".to_string(),
            TypeExpr::Literal(_) | TypeExpr::Intersection(_) => {}
            _ => return "Value".to_string(),
        }
        let objects: Vec<Option<Cow<'_, ObjectType>>> = members.iter().map(|m| self.object_of(m, ctx.module, false, 0)).collect();
        let requires = |o: &ObjectType, name: &str| o.props.iter().any(|p| p.name == name && !p.optional && !is_absent(&p.ty));
        if let Some(own) = &objects[at]
            && let Some(p) = own.props.iter().find(|p| {
                requires(own, &p.name) && objects.iter().enumerate().all(|(i, o)| i == at || o.as_ref().is_some_and(|o| !requires(o, &p.name)))
            })
        {
            return self.namer.camel(&p.name).trim_start_matches("r#").to_string();
        }
        if let TypeExpr::Intersection(parts) = m {
            // The named parts, less those every member has (the distributed common part).
            let in_all = |p: &TypeExpr| members.iter().all(|o| matches!(o, TypeExpr::Intersection(q) if q.iter().any(|q| same_type(p, q))));
            let named: String = parts
                .iter()
                .filter(|p| !in_all(p))
                .filter_map(|p| match p {
                    TypeExpr::Ref { name, .. } => Some(self.namer.camel(name.rsplit('.').next().unwrap_or(name))),
                    _ => None,
                })
                .collect();
            if !named.is_empty() {
                return named;
            }
        }
        "Object".to_string()
    }
}
