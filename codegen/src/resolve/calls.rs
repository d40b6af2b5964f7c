//! Joins a declared method of a Stainless SDK with its [`ApiCall`]:
//! `retrieve(fileID: string, params: FileRetrieveParams, options?: RequestOptions): APIPromise<VectorStoreFile>`
//! becomes positional string arguments (`file_id`), the object parameter with its declared type
//! (`params`), and the response type (`VectorStoreFile`; a list method's item type from
//! `PagePromise<Page, Item>`, with the page class's rule).

use std::collections::BTreeMap;

use super::names::Namer;
use super::types::Lowerer;
use crate::ir::call::{ApiCall, CallSegment, PageRule, Payload, ValueRef};
use crate::ir::decl::{Method, TypeExpr};
use crate::diag::Diagnostic;
use crate::ir::space::{CallOperation, CallParams, Ty, TypeKind};

/// The JS parameter that holds the request options (`RequestOptions`): not sent as data.
const OPTIONS: &str = "options";

/// `Err` says why the method cannot be generated.
pub(super) fn operation(
    module: usize,
    m: &Method,
    js_params: &[String],
    call: &ApiCall,
    pages: &BTreeMap<&str, &PageRule>,
    namer: &Namer,
    lw: &mut Lowerer<'_>,
) -> Result<CallOperation, String> {
    let object = object_param(call)?;
    let mut args = Vec::new();
    let mut params = None;
    for (i, jp) in js_params.iter().enumerate() {
        if jp == OPTIONS {
            continue;
        }
        let declared = m.params.get(i).ok_or_else(|| format!("parameter `{jp}` is not declared"))?;
        let is_arg = call.path.iter().any(|s| matches!(s, CallSegment::Value(ValueRef::Arg { param }) if param == jp));
        if is_arg {
            if !matches!(declared.ty, Some(TypeExpr::String)) || declared.optional {
                return Err(format!("path argument `{jp}` is not declared as a required `string`"));
            }
            args.push((jp.clone(), namer.snake(jp)));
        } else if object.as_deref() == Some(jp.as_str()) {
            let expr = strip_null(declared.ty.clone().unwrap_or(TypeExpr::Any));
            let hint = format!("{}Params", namer.camel(&m.name));
            let ty = lw.lower_standalone(module, &expr, hint, m.loc.clone()).0;
            params = Some(CallParams { wire_name: jp.clone(), rust_name: namer.snake(jp), ty, optional: declared.optional });
        } else {
            return Err(format!("parameter `{jp}` is not sent by the call"));
        }
    }
    if let (Some(name), None) = (&object, &params) {
        return Err(format!("the call reads `{name}`, which the method does not take"));
    }
    for seg in &call.path {
        if let (CallSegment::Value(ValueRef::Field { field, .. }), Some(p)) = (seg, &params) {
            path_field(lw, &p.ty, field, &m.name)?;
        }
    }
    let page = match &call.page {
        None => None,
        Some(class) => Some((*pages.get(class.as_str()).ok_or_else(|| {
            format!("the page class `{class}` was not found, or how it finds its next page was not understood")
        })?)
        .clone()),
    };
    let response = response(module, m, page.is_some(), lw)?;
    Ok(CallOperation {
        wire_name: m.name.clone(),
        rust_name: namer.snake(&m.name),
        doc: m.doc.clone(),
        loc: m.loc.clone(),
        args,
        params,
        response,
        page,
        call: call.clone(),
    })
}

/// A field taken out of the object parameter for the path must be a string; an optional one is
/// made required (the JS would send `undefined`).
fn path_field(lw: &mut Lowerer<'_>, ty: &Ty, wire: &str, method: &str) -> Result<(), String> {
    let mut ty = ty.clone();
    loop {
        match ty {
            Ty::Named(id) => match &mut lw.types[id.0].kind {
                TypeKind::Struct(s) => {
                    let f = s.fields.iter_mut().find(|f| f.wire_name == wire).ok_or_else(|| format!("the path reads `{wire}`, which the parameter type does not declare"))?;
                    if f.ty != Ty::String {
                        return Err(format!("the path reads `{wire}`, which is not declared as a string"));
                    }
                    if f.optional {
                        f.optional = false;
                        let (type_name, loc) = (lw.types[id.0].wire_name.clone(), lw.types[id.0].loc.clone());
                        lw.diags.push(Diagnostic::warning(loc, format!("field `{type_name}.{wire}` is optional in the declarations but the URL needs it (method `{method}`): it is required in Rust")));
                    }
                    return Ok(());
                }
                TypeKind::Alias(inner) => ty = inner.clone(),
                _ => return Err(format!("the path reads `{wire}` of a parameter that is not an object type")),
            },
            Ty::Boxed(inner) => ty = *inner,
            _ => return Err(format!("the path reads `{wire}` of a parameter that is not an object type")),
        }
    }
}

/// The one object parameter the call reads (body, query, path fields), if any.
fn object_param(call: &ApiCall) -> Result<Option<String>, String> {
    let mut names: Vec<&str> = Vec::new();
    names.extend(call.body.iter().map(Payload::param));
    names.extend(call.query.iter().map(Payload::param));
    names.extend(call.path.iter().filter_map(|s| match s {
        CallSegment::Value(ValueRef::Field { param, .. }) => Some(param.as_str()),
        _ => None,
    }));
    names.dedup();
    match names.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.to_string())),
        more => Err(format!("the call reads several object parameters: {}", more.join(", "))),
    }
}

/// `X | null` -> `X` (an absent object parameter is `None` in Rust either way).
fn strip_null(t: TypeExpr) -> TypeExpr {
    match t {
        TypeExpr::Union(vs) => {
            let kept: Vec<TypeExpr> = vs.into_iter().filter(|v| !matches!(v, TypeExpr::Null | TypeExpr::Undefined)).collect();
            match <[TypeExpr; 1]>::try_from(kept) {
                Ok([one]) => one,
                Err(kept) => TypeExpr::Union(kept),
            }
        }
        other => other,
    }
}

/// `APIPromise<T>` -> `T`; for a list method `PagePromise<Page, Item>` -> `Item`.
fn response(module: usize, m: &Method, list: bool, lw: &mut Lowerer<'_>) -> Result<Ty, String> {
    let Some(TypeExpr::Ref { name, args, .. }) = &m.ret else {
        return Err("its return type is not an `APIPromise` or `PagePromise`".into());
    };
    let base = name.rsplit('.').next().unwrap_or(name);
    let inner = match (base, args.as_slice(), list) {
        ("APIPromise", [t], false) => t,
        ("PagePromise", [_, item], true) => item,
        _ => return Err(format!("it returns `{name}` with {} type arguments, not what its call returns", args.len())),
    };
    let hint = format!("{}Response", lw_hint(&m.name));
    Ok(lw.lower_standalone(module, inner, hint, m.loc.clone()).0)
}

fn lw_hint(name: &str) -> String {
    let mut c = name.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
}
