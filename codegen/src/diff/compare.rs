//! Walks two [`Api`] views side by side and lists every change with its class.

use std::collections::{BTreeMap, BTreeSet};

use crate::diff::model::{Api, FieldView, OpKey, OpView, Shape, TypeView};
use crate::diff::rules::{self, Rule};
use crate::diff::{Change, Kind, Position};

/// Collects changes for one module.
struct Out<'a> {
    module: &'a str,
    changes: &'a mut Vec<Change>,
}

/// A change before its module is attached.
struct Item {
    kind: Kind,
    path: String,
    position: Option<Position>,
    old: Option<String>,
    new: Option<String>,
    rule: Rule,
}

impl Out<'_> {
    fn push(&mut self, item: Item) {
        let (class, why) = item.rule;
        self.changes.push(Change {
            class,
            kind: item.kind,
            product: self.module.split('/').next().unwrap_or_default().to_string(),
            module: self.module.to_string(),
            path: item.path,
            position: item.position,
            old: item.old,
            new: item.new,
            why: why.to_string(),
        });
    }
}

pub(crate) fn compare(old: &Api, new: &Api) -> Vec<Change> {
    let mut changes = Vec::new();
    compare_types(old, new, &mut changes);
    compare_ops(old, new, &mut changes);
    compare_clients(old, new, &mut changes);
    compare_hand_written(old, new, &mut changes);
    changes
}

/// Keys in `a` only, in `b` only, and in both.
fn split<'m, K: Ord, A, B>(a: &'m BTreeMap<K, A>, b: &'m BTreeMap<K, B>) -> (Vec<&'m K>, Vec<&'m K>, Vec<&'m K>) {
    let removed = a.keys().filter(|k| !b.contains_key(k)).collect();
    let added = b.keys().filter(|k| !a.contains_key(k)).collect();
    let both = a.keys().filter(|k| b.contains_key(k)).collect();
    (removed, added, both)
}

fn item(kind: Kind, path: String, position: Option<Position>, old: Option<String>, new: Option<String>, rule: Rule) -> Item {
    Item { kind, path, position, old, new, rule }
}

fn compare_types(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let (removed, added, both) = split(&old.types, &new.types);
    for key in removed {
        let t = &old.types[key];
        Out { module: &key.0, changes }.push(item(Kind::TypeRemoved, t.rust_path.clone(), Some(t.position), Some(t.shape.label().into()), None, rules::removed("type")));
    }
    for key in added {
        let t = &new.types[key];
        Out { module: &key.0, changes }.push(item(Kind::TypeAdded, t.rust_path.clone(), Some(t.position), None, Some(t.shape.label().into()), rules::added("type")));
    }
    for key in both {
        let mut out = Out { module: &key.0, changes };
        compare_type(&old.types[key], &new.types[key], &mut out);
    }
}

/// A type in both versions: used where either version uses it.
fn compare_type(a: &TypeView, b: &TypeView, out: &mut Out<'_>) {
    let position = Position { request: a.position.request || b.position.request, response: a.position.response || b.position.response };
    let path = b.rust_path.clone();
    if a.rust_name != b.rust_name {
        out.push(item(Kind::Renamed, path.clone(), Some(position), Some(a.rust_path.clone()), Some(b.rust_path.clone()), rules::renamed()));
    }
    if a.doc != b.doc {
        out.push(item(Kind::DocChanged, path.clone(), Some(position), None, None, rules::doc()));
    }
    match (&a.shape, &b.shape) {
        (Shape::Struct { fields: fa }, Shape::Struct { fields: fb }) => {
            compare_default(a.default, b.default, &path, position, out);
            compare_fields(fa, fb, &path, position, (b.default, b.constructed), out);
        }
        (Shape::StringEnum { values: va }, Shape::StringEnum { values: vb }) => {
            compare_variants(va, vb, &path, position, (Kind::EnumValueAdded, Kind::EnumValueRemoved), out);
        }
        (Shape::Union { tagged: ta, variants: va }, Shape::Union { tagged: tb, variants: vb }) if ta == tb => {
            compare_variants(va, vb, &path, position, (Kind::UnionVariantAdded, Kind::UnionVariantRemoved), out);
        }
        (Shape::Alias { target: ta }, Shape::Alias { target: tb }) if ta == tb => {}
        (sa, sb) => {
            let describe = |s: &Shape| match s {
                Shape::Alias { target } => format!("type alias of `{target}`"),
                other => other.label().to_string(),
            };
            out.push(item(Kind::TypeChanged, path, Some(position), Some(describe(sa)), Some(describe(sb)), rules::type_changed()));
        }
    }
}

fn compare_default(a: bool, b: bool, path: &str, position: Position, out: &mut Out<'_>) {
    match (a, b) {
        (true, false) => out.push(item(Kind::DefaultRemoved, path.to_string(), Some(position), None, None, rules::default_removed())),
        (false, true) => out.push(item(Kind::DefaultAdded, path.to_string(), Some(position), None, None, rules::default_added())),
        _ => {}
    }
}

fn field_ty(f: &FieldView) -> String {
    if f.optional { format!("Option<{}>", f.ty) } else { f.ty.clone() }
}

/// `built`: whether the new struct has `Default`, and whether it is built with `new`.
fn compare_fields(fa: &BTreeMap<String, FieldView>, fb: &BTreeMap<String, FieldView>, ty_path: &str, position: Position, built: (bool, bool), out: &mut Out<'_>) {
    let (removed, added, both) = split(fa, fb);
    for wire in removed {
        let f = &fa[wire];
        out.push(item(Kind::FieldRemoved, format!("{ty_path}::{}", f.rust_name), Some(position), Some(field_ty(f)), None, rules::removed("field")));
    }
    for wire in added {
        let f = &fb[wire];
        let rule = rules::field_added(position, f.optional, built.0, built.1);
        out.push(item(Kind::FieldAdded, format!("{ty_path}::{}", f.rust_name), Some(position), None, Some(field_ty(f)), rule));
    }
    for wire in both {
        let (a, b) = (&fa[wire], &fb[wire]);
        let path = format!("{ty_path}::{}", b.rust_name);
        if a.rust_name != b.rust_name {
            out.push(item(Kind::Renamed, path.clone(), Some(position), Some(format!("{ty_path}::{}", a.rust_name)), Some(path.clone()), rules::renamed()));
        }
        let kind = match (a.ty == b.ty, a.optional, b.optional) {
            (false, _, _) => Some(Kind::FieldTypeChanged),
            (true, true, false) => Some(Kind::FieldRequired),
            (true, false, true) => Some(Kind::FieldOptional),
            _ => None,
        };
        if let Some(kind) = kind {
            out.push(item(kind, path.clone(), Some(position), Some(field_ty(a)), Some(field_ty(b)), rules::type_changed()));
        }
        if a.doc != b.doc {
            out.push(item(Kind::DocChanged, path, Some(position), None, None, rules::doc()));
        }
    }
}

/// Values of a string enum (by wire value) or variants of a union (by tag value or Rust type).
fn compare_variants(
    va: &BTreeMap<String, String>,
    vb: &BTreeMap<String, String>,
    ty_path: &str,
    position: Position,
    (added_kind, removed_kind): (Kind, Kind),
    out: &mut Out<'_>,
) {
    let (removed, added, both) = split(va, vb);
    for key in removed {
        out.push(item(removed_kind, format!("{ty_path}::{}", va[key]), Some(position), Some(key.clone()), None, rules::removed("value")));
    }
    for key in added {
        out.push(item(added_kind, format!("{ty_path}::{}", vb[key]), Some(position), None, Some(key.clone()), rules::variant_added(position)));
    }
    for key in both.into_iter().filter(|k| va[*k] != vb[*k]) {
        let (a, b) = (format!("{ty_path}::{}", va[key]), format!("{ty_path}::{}", vb[key]));
        out.push(item(Kind::Renamed, b.clone(), Some(position), Some(a), Some(b), rules::renamed()));
    }
}

/// Operations by client and wire name; a client class renamed upstream (reached at the same
/// path) keeps its operations.
fn compare_ops(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let renamed: BTreeMap<(&str, &str), (&str, &str)> = new
        .clients
        .iter()
        .filter_map(|(path, b)| old.clients.get(path).filter(|a| (&a.0, &a.1) != (&b.0, &b.1)).map(|a| ((b.0.as_str(), b.1.as_str()), (a.0.as_str(), a.1.as_str()))))
        .collect();
    let new_ops: BTreeMap<OpKey, &OpView> = new
        .ops
        .iter()
        .map(|((module, client, method), op)| match renamed.get(&(module.as_str(), client.as_str())) {
            Some((m, c)) => ((m.to_string(), c.to_string(), method.clone()), op),
            None => ((module.clone(), client.clone(), method.clone()), op),
        })
        .collect();
    let old_ops: BTreeMap<OpKey, &OpView> = old.ops.iter().map(|(k, op)| (k.clone(), op)).collect();
    let (removed, added, both) = split(&old_ops, &new_ops);
    for key in removed {
        let op = old_ops[key];
        Out { module: &op.module, changes }.push(item(Kind::OperationRemoved, op.path.clone(), None, Some(route_line(op)), None, rules::removed("operation")));
    }
    for key in added {
        let op = new_ops[key];
        Out { module: &op.module, changes }.push(item(Kind::OperationAdded, op.path.clone(), None, None, Some(route_line(op)), rules::added("operation")));
    }
    for key in both {
        compare_op(old_ops[key], new_ops[key], &mut Out { module: &new_ops[key].module, changes });
    }
}

fn route_line(op: &OpView) -> String {
    format!("{} {}", op.wire["HTTP method"], op.wire["path template"])
}

fn compare_op(a: &OpView, b: &OpView, out: &mut Out<'_>) {
    let path = b.path.clone();
    if a.rust_name != b.rust_name {
        out.push(item(Kind::Renamed, path.clone(), None, Some(a.path.clone()), Some(b.path.clone()), rules::renamed()));
    }
    let signature = |o: &OpView| {
        let request = o.request.as_deref().map(|r| format!("&{r}")).into_iter();
        let options = o.options.as_deref().map(|r| format!("&{r}")).into_iter();
        format!("({}) -> {}", request.chain(options).collect::<Vec<_>>().join(", "), o.response)
    };
    let (sa, sb) = (signature(a), signature(b));
    if sa != sb {
        out.push(item(Kind::OperationSignatureChanged, path.clone(), None, Some(sa), Some(sb), rules::signature_changed()));
    }
    for (aspect, value) in &b.wire {
        let before = &a.wire[aspect];
        if before != value {
            let (old, new) = wire_change(aspect, before, value);
            out.push(item(Kind::OperationWireChanged, path.clone(), None, old, new, rules::wire_changed()));
        }
    }
    if a.doc != b.doc {
        out.push(item(Kind::DocChanged, path, None, None, None, rules::doc()));
    }
}

/// Lists of fields and headers show what came and went; other aspects show both values.
fn wire_change(aspect: &str, before: &str, after: &str) -> (Option<String>, Option<String>) {
    let list = |v: &str| v.split(", ").filter(|s| !s.is_empty()).map(str::to_string).collect::<BTreeSet<_>>();
    if matches!(aspect, "body fields" | "headers") || (aspect == "query" && ![before, after].iter().any(|v| ["none", "empty", "whole request"].contains(v))) {
        let (a, b) = (list(before), list(after));
        let changes: Vec<String> = b.difference(&a).map(|f| format!("+{f}")).chain(a.difference(&b).map(|f| format!("-{f}"))).collect();
        return (None, Some(format!("{aspect}: {}", changes.join(", "))));
    }
    let show = |v: &str| if v.is_empty() { format!("{aspect}: (none)") } else { format!("{aspect}: {v}") };
    (Some(show(before)), Some(show(after)))
}

/// Clients by the paths callers write: a client whose every old path is gone and that is
/// reachable at new ones moved; other paths were added or removed; a path that now holds
/// another client class was renamed.
fn compare_clients(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let (removed, added, both) = split(&old.clients, &new.clients);
    let mut moved_from = BTreeSet::new();
    let mut moved_to = BTreeSet::new();
    for path in &removed {
        let id = &old.clients[*path];
        let gone: Vec<&String> = removed.iter().copied().filter(|p| &old.clients[*p] == id).collect();
        let came: Vec<&String> = added.iter().copied().filter(|p| &new.clients[*p] == id).collect();
        if came.is_empty() || moved_from.contains(*path) {
            continue;
        }
        let join = |v: &[&String]| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
        let (from, to) = (join(&gone), join(&came));
        moved_from.extend(gone);
        moved_to.extend(came);
        Out { module: &id.0, changes }.push(item(Kind::ClientMoved, (*path).clone(), None, Some(from), Some(to), (rules::removed("client").0, "the old client path is gone")));
    }
    for path in removed.into_iter().filter(|p| !moved_from.contains(p)) {
        Out { module: &old.clients[path].0, changes }.push(item(Kind::ClientRemoved, path.clone(), None, None, None, rules::removed("client")));
    }
    for path in added.into_iter().filter(|p| !moved_to.contains(p)) {
        Out { module: &new.clients[path].0, changes }.push(item(Kind::ClientAdded, path.clone(), None, None, None, rules::added("client")));
    }
    for path in both {
        let (a, b) = (&old.clients[path], &new.clients[path]);
        if a.2 != b.2 {
            Out { module: &b.0, changes }.push(item(Kind::Renamed, path.clone(), None, Some(a.2.clone()), Some(b.2.clone()), rules::renamed()));
        }
    }
}

fn compare_hand_written(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let (removed, added, _) = split(&old.hand_written, &new.hand_written);
    let describe = |implemented: &Option<String>| Some(implemented.clone().map_or("not implemented here".to_string(), |by| format!("implemented by {by}")));
    for key in removed {
        let path = format!("{}#{}", key.0, key.2);
        Out { module: &key.0, changes }.push(item(Kind::HandWrittenRemoved, path, None, describe(&old.hand_written[key]), None, rules::hand_written()));
    }
    for key in added {
        let path = format!("{}#{}", key.0, key.2);
        Out { module: &key.0, changes }.push(item(Kind::HandWrittenAdded, path, None, None, describe(&new.hand_written[key]), rules::hand_written()));
    }
}
