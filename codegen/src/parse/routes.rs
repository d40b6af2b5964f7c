//! Reads the package's compiled JavaScript and finds, for every class method, the HTTP route it
//! calls (see [`crate::ir::route`]).
//!
//! Everything here works on the syntax tree from `swc_ecma_parser`, never on the text: a method
//! becomes a [`MethodKind::Route`] only when its whole body is a shape we understand completely
//!
//! ```js
//! const headers = {};                                  // optional
//! if (options?.authorization) {                        // optional, any number
//!   (0, _method_options.addAuthorizationHeaders)(headers, options.authorization);
//! }
//! return (0, _shared.request)(this.fetchConfig, { method, url, headers, data | dataRaw, params, baseURLType });
//! ```
//!
//! A `MANUAL(...)` section or a body with no request call is [`MethodKind::HandWritten`];
//! anything else (two request calls, a URL built from `this.something`, an absolute URL, a key
//! we do not know, ...) is [`MethodKind::NotUnderstood`], whose reason names the construct.
//! Required-field guards (`if (!data.x) throw new ClientError(code, message)`) before the call
//! are part of the route. Helper functions that add headers are followed into the file
//! that defines them through `require(...)` / `import` bindings.
//!
//! Class forms read: ES2015 `class X { m() {} }` (also as `var X = class ...`), and the ES5 forms
//! of Babel and TypeScript: `function X() {}` + `X.prototype.m = function () {}` (also through a
//! `var _proto = X.prototype` alias, and inside the `var X = (function () { ...; return X; }())`
//! wrapper, also when assigned along a chain: `var X = exports.X = function () {...}()`), and
//! `_createClass(X, [{ key: "m", value: function m() {} }])`; async methods compiled by
//! regenerator are read back into straight code (see `routes/regenerator.rs`).

#[path = "routes/classes.rs"]
mod classes;
#[path = "routes/client_options.rs"]
mod client_options;
#[path = "routes/convention.rs"]
mod convention;
#[path = "routes/method.rs"]
mod method;
#[path = "routes/modules.rs"]
mod modules;
#[path = "routes/regenerator.rs"]
mod regenerator;
#[path = "routes/pagination.rs"]
mod pagination;
#[path = "routes/request.rs"]
mod request;
#[path = "routes/stainless.rs"]
mod stainless;
#[path = "routes/walk.rs"]
mod walk;

#[cfg(test)]
#[path = "routes/tests.rs"]
mod tests;

use std::panic::{AssertUnwindSafe, catch_unwind};

use swc_common::Span;
use swc_ecma_ast::Program;

pub use convention::ConventionChoice;
use convention::Convention;

use crate::diag::{Diagnostic, Loc};
use crate::ir::route::{JsClass, JsMethod, JsModule, MethodKind};

/// One compiled JS file of the package: path relative to the package root (`dist/b2b/sso.js`)
/// and its text.
#[derive(Debug, Clone, Copy)]
pub struct JsSource<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

/// Extracts the classes and routes of every file. Helper functions defined in other files of the
/// set (like `addAuthorizationHeaders` in `dist/shared/method_options.js`) are followed through
/// `require(...)` bindings. Syntax errors become error diagnostics (with file, line, column and
/// the source line); the function never panics.
///
/// The result has one [`JsModule`] per file that parsed, sorted by file; classes and methods are
/// in source order. Diagnostics are sorted by location.
pub fn extract(sources: &[JsSource<'_>]) -> (Vec<JsModule>, Vec<Diagnostic>) {
    let read = extract_with(sources, None);
    (read.modules, read.diags)
}

/// What [`extract_with`] found.
pub struct JsRead {
    pub modules: Vec<JsModule>,
    pub diags: Vec<Diagnostic>,
    /// The call convention the methods were read with.
    pub convention: ConventionChoice,
}

/// As [`extract`], with the call convention named (`stytch`, `stainless`), or detected when
/// `None`: the one whose API calls the package's class methods make most. An unknown name is an
/// error diagnostic.
pub fn extract_with(sources: &[JsSource<'_>], convention: Option<&str>) -> JsRead {
    let mut diags = Vec::new();

    let mut order: Vec<&JsSource<'_>> = sources.iter().collect();
    order.sort_by_key(|s| normalize(s.file));

    // Files parse independently: on every core, the results kept in file order.
    let results = crate::parallel::each(&order, crate::parallel::threads(), |src| {
        let file = normalize(src.file);
        let result = catch_unwind(AssertUnwindSafe(|| parse(&file, src.text)));
        (file, result)
    });
    let mut parsed = Vec::new();
    for (file, result) in results {
        match result {
            Ok(Ok(p)) => parsed.push(p),
            Ok(Err(errors)) => diags.extend(errors),
            Err(_) => diags.push(Diagnostic::error(
                Loc { file: file.clone(), line: 1, col: 1 },
                "internal error: the JavaScript parser failed on this file",
            )),
        }
    }

    let index = modules::Index::new(&parsed, &mut diags);
    let choice = match convention {
        Some(name) => match convention::by_name(name) {
            Some(c) => ConventionChoice { name: c.name(), detected: false, counts: Vec::new() },
            None => {
                let loc = Loc { file: "package.json".into(), line: 0, col: 0 };
                diags.push(Diagnostic::error(loc, format!("unknown call convention `{name}`: expected one of {}", convention::names())));
                ConventionChoice { name: convention::ALL[0].name(), detected: false, counts: Vec::new() }
            }
        },
        None => detect(&index),
    };
    let chosen = convention::by_name(choice.name).unwrap_or(convention::ALL[0]);
    let mut out = Vec::new();
    for (fi, p) in parsed.iter().enumerate() {
        let file = &p.file;
        let read = || {
            let (mut module, warnings) = extract_file(&index, fi, chosen);
            module.pages = pagination::page_rules(&index.files[fi]);
            module.defaults = client_options::client_defaults(&index.files[fi]);
            (module, warnings)
        };
        match catch_unwind(AssertUnwindSafe(read)) {
            Ok((module, warnings)) => {
                out.push(module);
                diags.extend(warnings);
            }
            Err(_) => {
                diags.push(Diagnostic::error(
                    Loc { file: file.clone(), line: 1, col: 1 },
                    "internal error while extracting routes from this file",
                ));
            }
        }
    }

    diags.sort_by(|a, b| a.loc.cmp(&b.loc).then(a.severity.cmp(&b.severity)).then(a.message.cmp(&b.message)));
    diags.dedup();
    JsRead { modules: out, diags, convention: choice }
}

/// The convention whose API calls the class methods of the package make most (the first
/// listed on a tie, so a package with no calls at all reads as before).
fn detect(index: &modules::Index<'_>) -> ConventionChoice {
    let mut counts: Vec<(&'static str, usize)> = convention::ALL.iter().map(|c| (c.name(), 0)).collect();
    for f in &index.files {
        let Ok(classes) = catch_unwind(AssertUnwindSafe(|| classes::find_classes(f))) else { continue };
        for class in &classes {
            for m in &class.methods {
                for (i, c) in convention::ALL.iter().enumerate() {
                    counts[i].1 += method::api_calls(f, m.func.body, *c).len();
                }
            }
        }
    }
    let best = counts.iter().enumerate().max_by(|(i, a), (j, b)| a.1.cmp(&b.1).then(j.cmp(i))).map_or(0, |(i, _)| i);
    ConventionChoice { name: counts[best].0, detected: true, counts }
}

fn extract_file(index: &modules::Index<'_>, fi: usize, convention: &dyn Convention) -> (JsModule, Vec<Diagnostic>) {
    let f = &index.files[fi];
    let mut classes = Vec::new();
    let mut warnings = Vec::new();
    for class in classes::find_classes(f) {
        let machinery = convention.api_class(&class);
        let api_methods = convention.api_methods(f, &class);
        let mut methods = Vec::new();
        for (i, m) in class.methods.iter().enumerate() {
            // JS keeps the last definition of a name (a later class member, prototype
            // assignment or `_createClass` descriptor replaces the earlier one): so do we.
            let is_static = |m: &classes::FoundMethod<'_>| m.unusual == Some("static method");
            if let Some(later) = class.methods[i + 1..].iter().find(|l| l.name == m.name && is_static(l) == is_static(m)) {
                let at = f.loc(later.span);
                warnings.push(Diagnostic::warning(
                    f.loc(m.span),
                    format!(
                        "method `{}.{}` is defined again at line {}: JavaScript uses the last definition, and so does the generator",
                        class.name, m.name, at.line
                    ),
                ));
                continue;
            }
            let kind = match (f.manual_region(m.span), &machinery) {
                (Some(name), _) => MethodKind::HandWritten { reason: format!("inside MANUAL({name}) markers") },
                (None, Err(reason)) => MethodKind::HandWritten { reason: reason.clone() },
                (None, Ok(())) => method::analyze(index, fi, m, convention, &api_methods),
            };
            methods.push(JsMethod { name: m.name.clone(), loc: f.loc(m.span), params: m.func.param_names(f), kind });
        }
        classes.push(JsClass { name: class.name.clone(), loc: f.loc(class.span), methods });
    }
    (JsModule { file: f.file.to_string(), classes, pages: Vec::new(), defaults: None }, warnings)
}

/// `dist\b2b\sso.js` -> `dist/b2b/sso.js`, without a leading `./`.
fn normalize(file: &str) -> String {
    let f = file.replace('\\', "/");
    f.strip_prefix("./").map(str::to_string).unwrap_or(f)
}

/// One parsed file.
pub(crate) struct ParsedFile<'a> {
    pub file: String,
    pub text: &'a str,
    /// Byte position of the file's first byte in the spans of `program`.
    pub start: u32,
    /// Line starts of `text`, for locations.
    pub lines: crate::diag::LineIndex,
    pub program: Program,
    /// Every comment, in source order: position and text.
    pub comments: Vec<(Span, String)>,
}

fn parse<'a>(file: &str, text: &'a str) -> Result<ParsedFile<'a>, Vec<Diagnostic>> {
    let parsed = super::source::parse_program(file, text, super::source::Lang::Js)?;
    let comments = parsed.comments.iter().map(|c| (c.span, c.text.to_string())).collect();
    Ok(ParsedFile { file: file.to_string(), text, start: parsed.start.0, lines: crate::diag::LineIndex::new(text), program: parsed.program, comments })
}

/// A short, one-line excerpt of the source at `span`, for reasons.
pub(crate) fn excerpt(text: &str, start: u32, span: Span) -> String {
    const MAX: usize = 100;
    let lo = (span.lo.0.saturating_sub(start) as usize).min(text.len());
    let hi = (span.hi.0.saturating_sub(start) as usize).clamp(lo, text.len());
    let raw = text.get(lo..hi).unwrap_or("");
    let mut one_line = String::new();
    for word in raw.split_whitespace() {
        if !one_line.is_empty() {
            one_line.push(' ');
        }
        one_line.push_str(word);
    }
    if one_line.chars().count() > MAX {
        let cut: String = one_line.chars().take(MAX).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}
