//! Paths between generated modules. Every cross-module reference is relative (`super::...`), so
//! the same code works as a crate and inside a user's `mod x { include!(...) }`.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, format_ident, quote};

use crate::ir::space::{ClientId, Space, Ty, TypeId};
use crate::options::Options;

/// An identifier from a Rust name that may be raw (`r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

pub struct Paths<'s> {
    space: &'s Space,
    runtime: Ident,
    /// Wire name of every type and client to where it lives, for doc links.
    by_wire: BTreeMap<&'s str, Vec<(&'s str, &'s str)>>,
    /// Wire field names the `redact` option adds to the secret ones (see `debug`).
    redact: &'s [String],
    /// The Rust names declared in each module: those shadow a standard item of that name.
    declared: BTreeMap<&'s str, BTreeSet<&'s str>>,
    /// Doc blocks rendered since the last [`Paths::take_docs`], each stood for in the tokens by
    /// one placeholder line (see [`Paths::docs`]).
    doc_blocks: RefCell<Vec<Vec<String>>>,
    /// Which structs are built with `new` and setters, and what implements `Default` then.
    construction: super::construct::Construction,
    /// [`STD_ITEMS`] with their full paths as tokens, lexed once rather than at every use.
    std_tokens: Vec<(&'static str, TokenStream)>,
}

/// The standard items generated code names, with their full paths.
const STD_ITEMS: [(&str, &str); 8] = [
    ("String", "::std::string::String"),
    ("Vec", "::std::vec::Vec"),
    ("Option", "::std::option::Option"),
    ("Box", "::std::boxed::Box"),
    ("Result", "::std::result::Result"),
    ("Default", "::std::default::Default"),
    ("Into", "::std::convert::Into"),
    ("From", "::std::convert::From"),
];

impl<'s> Paths<'s> {
    pub fn new(space: &'s Space, options: &'s Options) -> Self {
        let mut by_wire: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
        for t in &space.types {
            by_wire.entry(t.wire_name.as_str()).or_default().push((t.module.as_str(), t.rust_name.as_str()));
        }
        for c in &space.clients {
            by_wire.entry(c.wire_name.as_str()).or_default().push((c.module.as_str(), c.rust_name.as_str()));
        }
        let mut declared: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let items = space.types.iter().map(|t| (&t.module, &t.rust_name)).chain(space.clients.iter().map(|c| (&c.module, &c.rust_name)));
        for (module, name) in items {
            declared.entry(module.as_str()).or_default().insert(name.as_str());
        }
        let construction = super::construct::Construction::new(space);
        let std_tokens = STD_ITEMS.iter().map(|(short, full)| (*short, full.parse().expect("a path from STD_ITEMS"))).collect();
        Paths {
            space,
            runtime: format_ident!("{}", options.runtime_crate),
            by_wire,
            redact: &options.redact,
            declared,
            doc_blocks: RefCell::default(),
            construction,
            std_tokens,
        }
    }

    /// How structs are built (`construct`).
    pub(crate) fn construction(&self) -> &super::construct::Construction {
        &self.construction
    }

    pub fn space(&self) -> &'s Space {
        self.space
    }

    pub fn redact(&self) -> &'s [String] {
        self.redact
    }

    /// A standard item (`String`, `Vec`, `Option`, `Box`, `Result`, `Default`, `Into`, `From`) as named in
    /// module `from`: by its prelude name, which reads as hand-written code does, except in a
    /// module that declares a type of that name and so shadows it: there by its full path
    /// (`::std::string::String`). Generated modules import nothing, so a module's own
    /// declarations are the only names that can shadow the prelude.
    pub fn std(&self, from: &str, name: &str) -> TokenStream {
        let shadowed = self.declared.get(from).is_some_and(|names| names.contains(name));
        match self.std_tokens.iter().find(|(short, _)| *short == name) {
            Some((_, full)) if shadowed => full.clone(),
            Some(_) => ident(name).into_token_stream(),
            None => name.parse().expect("a path from STD_ITEMS"),
        }
    }

    /// [`Paths::std`] as text, for paths inside attributes (`"Option::is_none"`).
    pub fn std_path(&self, from: &str, name: &str) -> String {
        let shadowed = self.declared.get(from).is_some_and(|names| names.contains(name));
        match STD_ITEMS.iter().find(|(short, _)| *short == name) {
            Some((_, full)) if shadowed => full.to_string(),
            _ => name.to_string(),
        }
    }

    pub fn runtime(&self) -> TokenStream {
        let r = &self.runtime;
        quote!(::#r)
    }

    fn rust_path(&self, module: &str) -> &[String] {
        self.space.modules.get(module).map(|m| m.rust_path.as_slice()).unwrap_or(&[])
    }

    /// Path segments from module `from` to the item `name` in module `to`.
    fn relative(&self, from: &str, to: &str, name: &str) -> Vec<String> {
        let a = self.rust_path(from);
        let b = self.rust_path(to);
        let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let mut segs: Vec<String> = std::iter::repeat_n("super".to_string(), a.len() - common).collect();
        segs.extend(b[common..].iter().cloned());
        segs.push(name.to_string());
        segs
    }

    fn tokens(segs: &[String]) -> TokenStream {
        let idents = segs.iter().map(|s| if s == "super" { quote!(super) } else { let i = ident(s); quote!(#i) });
        quote!(#(#idents)::*)
    }

    pub fn type_path(&self, from: &str, id: TypeId) -> TokenStream {
        let t = self.space.ty(id);
        Self::tokens(&self.relative(from, &t.module, &t.rust_name))
    }

    pub fn client_path(&self, from: &str, id: ClientId) -> TokenStream {
        let c = self.space.client(id);
        Self::tokens(&self.relative(from, &c.module, &c.rust_name))
    }

    /// A root client's path from the crate (or `include!`) root.
    pub fn client_from_root(&self, id: ClientId) -> TokenStream {
        let c = self.space.client(id);
        let mut segs = self.rust_path(&c.module).to_vec();
        segs.push(c.rust_name.clone());
        Self::tokens(&segs)
    }

    pub fn ty(&self, from: &str, ty: &Ty) -> TokenStream {
        match ty {
            Ty::String => self.std(from, "String"),
            Ty::Bool => quote!(bool),
            Ty::Integer => quote!(i64),
            Ty::Float => quote!(f64),
            Ty::Json => quote!(::serde_json::Value),
            // A field declared `null`: always `null` on the wire, `Option<()>` in Rust.
            Ty::Unit => quote!(()),
            Ty::Vec(inner) => {
                let inner = self.ty(from, inner);
                let vec = self.std(from, "Vec");
                quote!(#vec<#inner>)
            }
            Ty::Map(inner) => {
                let inner = self.ty(from, inner);
                let string = self.std(from, "String");
                quote!(::std::collections::BTreeMap<#string, #inner>)
            }
            Ty::Tuple(items) => {
                let items = items.iter().map(|t| self.ty(from, t));
                quote!((#(#items,)*))
            }
            Ty::Named(id) => self.type_path(from, *id),
            Ty::Boxed(inner) => {
                let inner = self.ty(from, inner);
                let boxed = self.std(from, "Box");
                quote!(#boxed<#inner>)
            }
        }
    }

    /// A doc-link path for the wire name `target` as seen from `from`: a type or client of the
    /// same module first, else the only one of that name in the package.
    pub fn doc_link(&self, from: &str, target: &str) -> Option<String> {
        let candidates = self.by_wire.get(target)?;
        let (module, name) = candidates.iter().find(|(m, _)| *m == from).or_else(|| (candidates.len() == 1).then(|| &candidates[0]))?;
        Some(self.relative(from, module, name).join("::").replace("r#", ""))
    }

    /// `#[deprecated = "..."]` for a declaration whose JSDoc has an `@deprecated` tag, its text
    /// as the note (`{@link X}` as code); nothing otherwise.
    pub fn deprecation(&self, raw: Option<&str>) -> TokenStream {
        match raw.and_then(deprecation_note) {
            Some(note) if note.is_empty() => quote!(#[deprecated]),
            Some(note) => quote!(#[deprecated = #note]),
            None => TokenStream::new(),
        }
    }

    /// `#[allow(deprecated)]` for generated code that names one of `tys` (or a type inside them)
    /// that is deprecated: the crate mirrors the API, so only its users should be warned.
    pub fn allow_deprecated_uses<'t>(&self, tys: impl IntoIterator<Item = &'t Ty>) -> TokenStream {
        let mut tys = tys.into_iter();
        if tys.any(|t| self.mentions_deprecated(t)) { quote!(#[allow(deprecated)]) } else { TokenStream::new() }
    }

    fn mentions_deprecated(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(id) => self.space.ty(*id).doc.as_deref().and_then(deprecation_note).is_some(),
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => self.mentions_deprecated(inner),
            Ty::Tuple(items) => items.iter().any(|t| self.mentions_deprecated(t)),
            Ty::String | Ty::Bool | Ty::Integer | Ty::Float | Ty::Json | Ty::Unit => false,
        }
    }

    /// The rendered doc comment `raw` as seen from module `from`, as one placeholder attribute
    /// (`#[doc = "\u{1}doc:N"]`) that `emit::insert_docs` replaces, after printing, with the
    /// lines of block `N` of `Paths::take_docs`: printed as `///` lines, as prettyplease prints
    /// `#[doc]` attributes, without escaping every line into a literal and parsing it back.
    /// Empty when there is no comment or it renders to nothing.
    pub fn docs(&self, from: &str, raw: Option<&str>) -> TokenStream {
        let Some(raw) = raw else { return TokenStream::new() };
        let lines = super::docs::render(raw, &|t| self.doc_link(from, t));
        if lines.is_empty() {
            return TokenStream::new();
        }
        let mut blocks = self.doc_blocks.borrow_mut();
        let placeholder = format!("{}{}", super::DOC_PLACEHOLDER, blocks.len());
        blocks.push(lines);
        quote!(#[doc = #placeholder])
    }

    /// The doc blocks rendered since the last call, in placeholder order; starts a new table.
    pub(super) fn take_docs(&self) -> Vec<Vec<String>> {
        std::mem::take(&mut *self.doc_blocks.borrow_mut())
    }
}

/// The text of the `@deprecated` tag of a JSDoc comment, on one line, `{@link X}` as `` `X` ``;
/// `None` without the tag.
fn deprecation_note(raw: &str) -> Option<String> {
    // The tag's name is in the text as written: most comments have none, and need no parse.
    if !raw.contains("@deprecated") {
        return None;
    }
    let tag = crate::parse::jsdoc::parse(raw).tag("deprecated")?.text.clone();
    let mut note = String::new();
    let mut rest = tag.as_str();
    while let Some(start) = rest.find("{@link ") {
        note.push_str(&rest[..start]);
        let after = &rest[start + "{@link ".len()..];
        let Some(end) = after.find('}') else {
            rest = &rest[start..];
            break;
        };
        let target = after[..end].split(['|', ' ']).next().unwrap_or("").trim();
        note.push_str(&format!("`{target}`"));
        rest = &after[end + 1..];
    }
    note.push_str(rest);
    Some(note.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod deprecation_tests {
    use super::deprecation_note;

    #[test]
    fn the_note_is_the_tag_text_on_one_line_with_links_as_code() {
        let raw = "Old call.\n@deprecated Since 10.11.0. Please use\n{@link NewRequest} instead.\n@param x y";
        assert_eq!(deprecation_note(raw).as_deref(), Some("Since 10.11.0. Please use `NewRequest` instead."));
        assert_eq!(deprecation_note("@deprecated").as_deref(), Some(""));
        assert_eq!(deprecation_note("Fine.\n@param x y"), None);
        assert_eq!(deprecation_note("@deprecated see {@link Broken").as_deref(), Some("see {@link Broken"));
    }
}
