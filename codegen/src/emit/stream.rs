//! `<method>_stream`: for each cursor-paginated operation (`Operation::pagination`, found in
//! `resolve::pagination`), a method returning a `Stream` of every item of every page, built on
//! the runtime's `paginate`. It calls the operation itself, so a page is sent exactly as a
//! direct call sends it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::client::struct_of;
use super::paths::{Paths, ident};
use crate::ir::space::{ClientDef, Field, Operation, Pagination, Space, Struct, Ty};

/// The stream method of `op`, when it is paginated and its parts are where the resolver saw them.
pub(super) fn emit_stream(space: &Space, paths: &Paths<'_>, c: &ClientDef, op: &Operation) -> Option<TokenStream> {
    let p = op.pagination.as_ref()?;
    let (req_name, req_ty) = op.request.as_ref()?;
    let cursor = field(struct_of(space, req_ty)?, &p.cursor)?;
    let response = struct_of(space, &op.response)?;
    let items = field(response, &p.items)?;
    let Ty::Vec(item_ty) = &items.ty else { return None };
    let rt = paths.runtime();
    let (name, stream_name) = (ident(&op.rust_name), format_ident!("{}_stream", op.rust_name.trim_start_matches("r#")));
    let (req, req_ty) = (ident(req_name), paths.ty(&c.module, req_ty));
    let (item_ty, result) = (paths.ty(&c.module, item_ty), paths.std(&c.module, "Result"));
    let cursor_field = ident(&cursor.rust_name);
    let set_cursor = if cursor.optional { quote!(Some(cursor)) } else { quote!(cursor) };
    let items_field = ident(&items.rust_name);
    let items_expr = if items.optional { quote!(page.#items_field.unwrap_or_default()) } else { quote!(page.#items_field) };
    let next_expr = next_cursor_expr(space, response, &p.next_cursor)?;
    let (params, options_arg, clone_options) = match &op.options {
        Some((n, ty)) => {
            let (n, ty, option) = (ident(n), paths.ty(&c.module, ty), paths.std(&c.module, "Option"));
            (quote!(, #n: #option<#ty>), quote!(, #n.as_ref()), quote!(let #n = #n.clone();))
        }
        None => Default::default(),
    };
    let doc = doc_lines(op, p);
    let deprecation = paths.deprecation(op.doc.as_deref());
    let named = op.request.iter().chain(&op.options).map(|(_, ty)| ty).chain([&op.response]);
    let allow = paths.allow_deprecated_uses(named);
    Some(quote! {
        #(#[doc = #doc])*
        #deprecation
        #allow
        pub fn #stream_name(&self, #req: #req_ty #params) -> impl #rt::Stream<Item = #result<#item_ty, #rt::Error>> + use<> {
            let client = self.clone();
            #rt::paginate(move |cursor| {
                let client = client.clone();
                let mut #req = #req.clone();
                #clone_options
                async move {
                    if let Some(cursor) = cursor {
                        #req.#cursor_field = #set_cursor;
                    }
                    let page = client.#name(&#req #options_arg).await?;
                    Ok(#rt::Page { items: #items_expr, next_cursor: #next_expr })
                }
            })
        }
    })
}

fn doc_lines(op: &Operation, p: &Pagination) -> Vec<String> {
    let name = op.rust_name.trim_start_matches("r#");
    vec![
        format!(" Every item of [`{name}`](Self::{name}), page after page: the request as given, then again"),
        format!(" with each page's `{}` as `{}`, until a page has none (or an empty", p.next_cursor.join("."), p.cursor),
        " one). An error is the stream's last item.".to_owned(),
        String::new(),
        " Read it with `futures::TryStreamExt::try_collect`, or pin it (`std::pin::pin!`) and call".to_owned(),
        " `futures::StreamExt::next`.".to_owned(),
    ]
}

/// An `Option<String>` expression reading the next cursor from `page` along `path`.
fn next_cursor_expr(space: &Space, response: &Struct, path: &[String]) -> Option<TokenStream> {
    match path {
        [name] => {
            let f = field(response, name)?;
            let fi = ident(&f.rust_name);
            Some(if f.optional { quote!(page.#fi) } else { quote!(Some(page.#fi)) })
        }
        [outer, inner] => {
            let o = field(response, outer)?;
            let i = field(struct_of(space, &o.ty)?, inner)?;
            let (oi, ii) = (ident(&o.rust_name), ident(&i.rust_name));
            Some(match (o.optional, i.optional) {
                (true, true) => quote!(page.#oi.and_then(|outer| outer.#ii)),
                (true, false) => quote!(page.#oi.map(|outer| outer.#ii)),
                (false, true) => quote!(page.#oi.#ii),
                (false, false) => quote!(Some(page.#oi.#ii)),
            })
        }
        _ => None,
    }
}

fn field<'s>(s: &'s Struct, wire: &str) -> Option<&'s Field> {
    s.fields.iter().find(|f| f.wire_name == wire)
}
