//! Cursor-paginated operations, found by the spec's rule ([`PaginationRule`]): the request
//! takes a cursor, the response gives the next one and a list of items. Each one found gets a
//! [`Pagination`] (the emitter adds a `<method>_stream`); an operation that takes the cursor but
//! whose response does not fit is a located warning saying what is missing, never a guess.

use std::collections::BTreeSet;

use crate::diag::{Diagnostic, Loc};
use crate::ir::space::{Field, Operation, Pagination, Space, Struct, Ty, TypeKind};
use crate::options::PaginationRule;

/// Sets `pagination` on every operation that fits `rule`; warns about those that half fit and
/// about `items` entries that name no operation.
pub(crate) fn detect(space: &mut Space, rule: &PaginationRule) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut named: BTreeSet<&str> = rule.items.keys().map(String::as_str).collect();
    let mut found = Vec::new();
    for (c, client) in space.clients.iter().enumerate() {
        let taken: BTreeSet<&str> = client.operations.iter().map(|op| op.rust_name.as_str()).collect();
        for (o, op) in client.operations.iter().enumerate() {
            let key = format!("{}#{}", client.module, op.wire_name);
            named.remove(key.as_str());
            match fit(space, rule, op, rule.items.get(&key).map(String::as_str)) {
                Fit::No => {}
                Fit::Half(why) => diags.push(warning(&op.loc, &key, &why)),
                Fit::Yes(_) if taken.contains(format!("{}_stream", op.rust_name).as_str()) => {
                    diags.push(warning(&op.loc, &key, &format!("the client already has a method `{}_stream`", op.rust_name)));
                }
                Fit::Yes(p) => found.push((c, o, p)),
            }
        }
    }
    for (c, o, p) in found {
        space.clients[c].operations[o].pagination = Some(p);
    }
    for key in named {
        diags.push(Diagnostic::warning(Loc::default(), format!("pagination: `items` names `{key}`, which is no operation")));
    }
    diags
}

fn warning(loc: &Loc, key: &str, why: &str) -> Diagnostic {
    Diagnostic::warning(loc.clone(), format!("`{key}` takes a cursor but gets no stream: {why}"))
}

enum Fit {
    /// Not paginated: the request has no cursor field.
    No,
    /// The request takes a cursor, but the response does not fit (why).
    Half(String),
    Yes(Pagination),
}

fn fit(space: &Space, rule: &PaginationRule, op: &Operation, items: Option<&str>) -> Fit {
    let request = op.request.as_ref().and_then(|(_, ty)| struct_of(space, ty));
    let takes_cursor = request.and_then(|s| field(s, &rule.cursor)).is_some_and(|f| f.ty == Ty::String);
    if !takes_cursor {
        return Fit::No;
    }
    let Some(response) = struct_of(space, &op.response) else {
        return Fit::Half("the response is not an object type".into());
    };
    let Some(next_cursor) = next_cursor_path(space, response, &rule.next_cursor) else {
        return Fit::Half(format!("the response has no string field `{}` at its top or one object down", rule.next_cursor));
    };
    let items = match items {
        Some(name) if response.fields.iter().any(|f| f.wire_name == name && is_list(&f.ty)) => name.to_owned(),
        Some(name) => return Fit::Half(format!("`items` names `{name}`, which is no list field of the response")),
        None => {
            let lists: Vec<&str> = response.fields.iter().filter(|f| is_list(&f.ty)).map(|f| f.wire_name.as_str()).collect();
            match lists.as_slice() {
                [one] => (*one).to_owned(),
                [] => return Fit::Half("the response has no list field".into()),
                many => return Fit::Half(format!("the response has several list fields ({}): name one in `items`", many.join(", "))),
            }
        }
    };
    Fit::Yes(Pagination { cursor: rule.cursor.clone(), next_cursor, items })
}

/// `[next_cursor]` or `[metadata, next_cursor]`: the string field `name` in `response` or in one
/// of its object fields (the first, in declaration order).
fn next_cursor_path(space: &Space, response: &Struct, name: &str) -> Option<Vec<String>> {
    if field(response, name).is_some_and(|f| f.ty == Ty::String) {
        return Some(vec![name.to_owned()]);
    }
    response.fields.iter().find_map(|outer| {
        let inner = field(struct_of(space, &outer.ty)?, name).filter(|f| f.ty == Ty::String)?;
        Some(vec![outer.wire_name.clone(), inner.wire_name.clone()])
    })
}

fn field<'s>(s: &'s Struct, wire: &str) -> Option<&'s Field> {
    s.fields.iter().find(|f| f.wire_name == wire)
}

fn is_list(ty: &Ty) -> bool {
    matches!(ty, Ty::Vec(_))
}

/// The struct a type names, through aliases and boxes.
pub(crate) fn struct_of<'s>(space: &'s Space, ty: &Ty) -> Option<&'s Struct> {
    match ty {
        Ty::Named(id) => match &space.ty(*id).kind {
            TypeKind::Struct(s) => Some(s),
            TypeKind::Alias(inner) => struct_of(space, inner),
            _ => None,
        },
        Ty::Boxed(inner) => struct_of(space, inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::route::{Body, Query, Route};
    use crate::ir::space::{ClientDef, TypeDef, TypeId};

    fn field(wire: &str, ty: Ty, optional: bool) -> Field {
        Field { wire_name: wire.into(), rust_name: wire.into(), ty, optional, doc: None, fallback: None }
    }

    fn push_struct(space: &mut Space, name: &str, fields: Vec<Field>) -> Ty {
        let kind = TypeKind::Struct(Struct { fields, additional: None });
        let loc = Loc::default();
        space.types.push(TypeDef { module: "m".into(), wire_name: name.into(), rust_name: name.into(), doc: None, loc, kind, default: true, strict: false });
        Ty::Named(TypeId(space.types.len() - 1))
    }

    /// One client with an operation per response, each taking a request with a `cursor`.
    fn space_with(responses: Vec<(&str, Vec<Field>)>) -> Space {
        let mut space = Space::default();
        let request = push_struct(&mut space, "Req", vec![field("cursor", Ty::String, true)]);
        let meta = push_struct(&mut space, "Meta", vec![field("next_cursor", Ty::String, true)]);
        let mut operations = Vec::new();
        for (name, mut fields) in responses {
            for f in &mut fields {
                if f.wire_name == "meta" {
                    f.ty = meta.clone();
                }
            }
            let response = push_struct(&mut space, &format!("{name}Response"), fields);
            let route = Route { method: "POST".into(), path: Vec::new(), body: Body::Whole, query: Query::None, base_url: None, headers: Vec::new(), guards: Vec::new() };
            operations.push(Operation { wire_name: name.into(), rust_name: name.into(), doc: None, loc: Loc::default(), request: Some(("data".into(), request.clone())), options: None, response, route, pagination: None });
        }
        let client = ClientDef { module: "m".into(), wire_name: "C".into(), rust_name: "C".into(), doc: None, loc: Loc::default(), children: Vec::new(), operations, skipped: Vec::new(), calls: Vec::new() };
        space.clients.push(client);
        space
    }

    fn rule(items: &[(&str, &str)]) -> PaginationRule {
        let items = items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        PaginationRule { cursor: "cursor".into(), next_cursor: "next_cursor".into(), items }
    }

    #[test]
    fn the_rule_finds_the_cursor_one_level_down_and_the_only_list() {
        let list = || Ty::Vec(Box::new(Ty::String));
        let mut space = space_with(vec![
            ("nested", vec![field("meta", Ty::Unit, false), field("items", list(), false)]),
            ("top", vec![field("next_cursor", Ty::String, false), field("rows", list(), true)]),
            ("two", vec![field("next_cursor", Ty::String, true), field("a", list(), false), field("b", list(), false)]),
            ("named", vec![field("next_cursor", Ty::String, true), field("a", list(), false), field("b", list(), false)]),
            ("nocursor", vec![field("items", list(), false)]),
        ]);
        let diags = detect(&mut space, &rule(&[("m#named", "b"), ("m#gone", "x")]));
        let found: Vec<_> = space.clients[0].operations.iter().map(|o| o.pagination.as_ref().map(|p| (p.next_cursor.join("."), p.items.clone()))).collect();
        let pair = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
        assert_eq!(found, [pair("meta.next_cursor", "items"), pair("next_cursor", "rows"), None, pair("next_cursor", "b"), None]);
        let messages: Vec<_> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`m#two` takes a cursor but gets no stream: the response has several list fields (a, b): name one in `items`",
                "`m#nocursor` takes a cursor but gets no stream: the response has no string field `next_cursor` at its top or one object down",
                "pagination: `items` names `m#gone`, which is no operation",
            ]
        );
    }
}
