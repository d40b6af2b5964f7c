//! The one place that drives `swc_ecma_parser`, so both readers report syntax errors alike.

use swc_common::comments::{CommentKind, SingleThreadedComments};
use swc_common::{BytePos, FileName, SourceMap, Span, Spanned, sync::Lrc};
use swc_ecma_ast::{EsVersion, Module};
use swc_ecma_parser::{Parser, StringInput, Syntax, TsSyntax, lexer::Lexer};

use crate::diag::{Diagnostic, Loc, locate};

/// A parsed file: its module, comments, and a way back from spans to locations.
pub struct Parsed {
    pub module: Module,
    /// Every `/** ... */` comment: byte range relative to the file start, and inner text.
    doc_comments: Vec<(usize, usize, String)>,
    file: String,
    text: String,
    start: BytePos,
}

impl Parsed {
    pub fn loc(&self, span: Span) -> Loc {
        self.locate(span).0
    }

    /// Location and source line of a span's start.
    pub fn locate(&self, span: Span) -> (Loc, String) {
        let offset = span.lo.0.saturating_sub(self.start.0) as usize;
        locate(&self.text, &self.file, offset)
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The doc comment directly before `span`, with nothing but white space between. Found by
    /// position, not by swc's leading/trailing attachment, which on flattened one-line input
    /// makes a comment trail the previous token.
    pub fn doc_before(&self, span: Span) -> Option<&str> {
        let lo = span.lo.0.saturating_sub(self.start.0) as usize;
        let i = self.doc_comments.partition_point(|(_, hi, _)| *hi <= lo);
        let (_, hi, text) = self.doc_comments.get(i.checked_sub(1)?)?;
        self.text.get(*hi..lo).is_some_and(|gap| gap.trim().is_empty()).then_some(text.as_str())
    }
}

/// Parses `text` as a TypeScript declaration file (`dts: true`) or as JavaScript.
/// Every syntax error is returned, not just the first.
pub fn parse_program(file: &str, text: &str, dts: bool) -> Result<Parsed, Vec<Diagnostic>> {
    let first = parse_once(file, text, dts);
    match first {
        Err(errors) if dts => {
            // swc reports an error inside `export interface X { ... }` at `interface` (it
            // backtracks out of the declaration). The same text with the `export` keywords
            // blanked (offsets unchanged) points at the real place.
            match parse_once(file, &blank_exports(text), dts) {
                Err(precise) => Err(precise),
                Ok(_) => Err(errors),
            }
        }
        other => other,
    }
}

/// `export` keywords at the start of a statement replaced by spaces.
fn blank_exports(text: &str) -> String {
    let mut out = text.to_string();
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find("export").map(|i| i + from) {
        let before = text[..i].trim_end().as_bytes().last().copied();
        let after = bytes.get(i + 6).copied();
        if matches!(before, None | Some(b';' | b'}' | b'/')) && after.is_some_and(|c| c.is_ascii_whitespace()) {
            out.replace_range(i..i + 6, "      ");
        }
        from = i + 6;
    }
    out
}

fn parse_once(file: &str, text: &str, dts: bool) -> Result<Parsed, Vec<Diagnostic>> {
    let cm: Lrc<SourceMap> = Default::default();
    let fm = cm.new_source_file(FileName::Custom(file.to_string()).into(), text.to_string());
    let comments = SingleThreadedComments::default();
    let syntax = if dts {
        Syntax::Typescript(TsSyntax { dts: true, ..Default::default() })
    } else {
        Syntax::Es(Default::default())
    };
    let lexer = Lexer::new(syntax, EsVersion::latest(), StringInput::from(&*fm), Some(&comments));
    let mut parser = Parser::new_from(lexer);
    let result = parser.parse_module();
    let mut errors = parser.take_errors();
    let start = fm.start_pos;
    let error_at = |span: Span, msg: String| {
        let offset = span.lo.0.saturating_sub(start.0) as usize;
        let (loc, line) = locate(text, file, offset);
        Diagnostic::error(loc, format!("syntax error: {msg}")).with_source_line(Some(line))
    };
    match result {
        Ok(module) if errors.is_empty() => {
            let (leading, trailing) = comments.take_all();
            let mut doc_comments: Vec<(usize, usize, String)> = leading
                .borrow()
                .values()
                .chain(trailing.borrow().values())
                .flatten()
                .filter(|c| c.kind == CommentKind::Block && c.text.starts_with('*'))
                .map(|c| ((c.span.lo.0 - start.0) as usize, (c.span.hi.0 - start.0) as usize, c.text.to_string()))
                .collect();
            doc_comments.sort();
            doc_comments.dedup();
            Ok(Parsed { module, doc_comments, file: file.to_string(), text: text.to_string(), start })
        }
        Ok(_) => Err(errors.drain(..).map(|e| error_at(e.span(), e.kind().msg().into_owned())).collect()),
        Err(fatal) => {
            errors.push(fatal);
            let mut out: Vec<_> =
                errors.drain(..).map(|e| error_at(e.span(), e.kind().msg().into_owned())).collect();
            out.sort();
            out.dedup();
            Err(out)
        }
    }
}
