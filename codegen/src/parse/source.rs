//! The one place that drives `swc_ecma_parser`, so both readers report syntax errors alike.

use swc_common::comments::SingleThreadedComments;
use swc_common::{BytePos, FileName, SourceMap, Span, Spanned, sync::Lrc};
use swc_ecma_ast::{EsVersion, Module};
use swc_ecma_parser::{Parser, StringInput, Syntax, TsSyntax, lexer::Lexer};

use crate::diag::{Diagnostic, Loc, locate};

/// A parsed file: its module, comments, and a way back from spans to locations.
pub struct Parsed {
    pub module: Module,
    pub comments: SingleThreadedComments,
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
}

/// Parses `text` as a TypeScript declaration file (`dts: true`) or as JavaScript.
/// Every syntax error is returned, not just the first.
pub fn parse_program(file: &str, text: &str, dts: bool) -> Result<Parsed, Vec<Diagnostic>> {
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
            Ok(Parsed { module, comments, file: file.to_string(), text: text.to_string(), start })
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
