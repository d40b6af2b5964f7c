//! The one place that drives `swc_ecma_parser`, so both readers report syntax errors alike and
//! keep comments the same way.

use swc_common::comments::{Comment, CommentKind, SingleThreadedComments};
use swc_common::{BytePos, FileName, SourceMap, Span, Spanned, sync::Lrc};
use swc_ecma_ast::{EsVersion, ModuleItem, Program, Stmt};
use swc_ecma_parser::{EsSyntax, Parser, StringInput, Syntax, TsSyntax, lexer::Lexer};

use crate::diag::{Diagnostic, LineIndex, Loc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// A TypeScript declaration file.
    Dts,
    /// Compiled JavaScript (CommonJS or ES modules).
    Js,
}

/// A parsed file: its program, every comment, and a way back from spans to locations.
pub struct Parsed {
    pub program: Program,
    /// Every comment, sorted by position.
    pub comments: Vec<Comment>,
    file: String,
    text: String,
    lines: LineIndex,
    /// Position of the file's first byte in the spans of `program`.
    pub start: BytePos,
}

impl Parsed {
    pub fn loc(&self, span: Span) -> Loc {
        self.lines.loc(&self.text, &self.file, self.offset(span.lo))
    }

    /// Location and source line of a span's start, for an error.
    pub fn locate(&self, span: Span) -> (Loc, String) {
        self.lines.locate(&self.text, &self.file, self.offset(span.lo))
    }

    fn offset(&self, pos: BytePos) -> usize {
        pos.0.saturating_sub(self.start.0) as usize
    }

    /// The top-level items, whether the file parsed as a module or a script.
    pub fn items(&self) -> Vec<ModuleItem> {
        match &self.program {
            Program::Module(m) => m.body.clone(),
            Program::Script(s) => s.body.iter().cloned().map(ModuleItem::Stmt).collect(),
        }
    }

    /// The `/** ... */` comment directly before `span`, with nothing but white space between.
    /// Found by position, not by swc's leading/trailing attachment, which on flattened
    /// one-line input makes a comment trail the previous token.
    pub fn doc_before(&self, span: Span) -> Option<&str> {
        let lo = self.offset(span.lo);
        let i = self.comments.partition_point(|c| self.offset(c.span.hi) <= lo);
        let c = self.comments[..i].iter().rev().find(|c| c.kind == CommentKind::Block)?;
        let gap = self.text.get(self.offset(c.span.hi)..lo)?;
        (c.text.starts_with('*') && gap.trim().is_empty()).then_some(&*c.text)
    }
}

/// Parses `text`. Every syntax error is returned, not just the first.
pub fn parse_program(file: &str, text: &str, lang: Lang) -> Result<Parsed, Vec<Diagnostic>> {
    super::nesting::check(file, text).map_err(|e| vec![e])?;
    match parse_once(file, text, lang) {
        Err(errors) if lang == Lang::Dts => {
            // swc reports an error inside `export interface X { ... }` at `interface` (it
            // backtracks out of the declaration). The same text with the `export` keywords
            // blanked (offsets unchanged) points at the real place.
            match parse_once(file, &blank_exports(text), lang) {
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

fn parse_once(file: &str, text: &str, lang: Lang) -> Result<Parsed, Vec<Diagnostic>> {
    let syntax = match lang {
        Lang::Dts => Syntax::Typescript(TsSyntax { dts: true, ..Default::default() }),
        Lang::Js => Syntax::Es(EsSyntax { allow_return_outside_function: true, ..Default::default() }),
    };
    // swc's declaration-file mode asserts (in builds with debug assertions, such as a build
    // script's) that it never meets code that only a `.ts` file may hold, like `x=`: hostile
    // input must not turn that into a panic of the user's build.
    match std::panic::catch_unwind(|| parse_with(file, text, syntax)) {
        Ok(parsed) => parsed,
        Err(_) if lang == Lang::Dts => Err(not_declarations(file, text)),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// The error for a declaration file that swc's declaration mode cannot parse: located at the
/// first statement that is not a declaration, as the same text parsed as TypeScript shows it.
fn not_declarations(file: &str, text: &str) -> Vec<Diagnostic> {
    let as_ts = Syntax::Typescript(TsSyntax::default());
    let parsed = match std::panic::catch_unwind(|| parse_with(file, text, as_ts)) {
        Ok(Err(errors)) => return errors,
        Ok(Ok(parsed)) => Some(parsed),
        Err(_) => None,
    };
    let first_code = parsed.as_ref().and_then(|p| {
        let item = p.items().into_iter().find(|i| matches!(i, ModuleItem::Stmt(s) if !matches!(s, Stmt::Decl(_) | Stmt::Empty(_))))?;
        Some(p.locate(item.span()))
    });
    let (loc, line) = first_code.unwrap_or_else(|| LineIndex::new(text).locate(text, file, 0));
    vec![Diagnostic::error(loc, "a declaration file holds code that is not a declaration").with_source_line(Some(line))]
}

fn parse_with(file: &str, text: &str, syntax: Syntax) -> Result<Parsed, Vec<Diagnostic>> {
    let cm: Lrc<SourceMap> = Default::default();
    let fm = cm.new_source_file(FileName::Custom(file.to_string()).into(), text.to_string());
    let comments = SingleThreadedComments::default();
    let lexer = Lexer::new(syntax, EsVersion::latest(), StringInput::from(&*fm), Some(&comments));
    let mut parser = Parser::new_from(lexer);
    let result = parser.parse_program();
    let mut errors = parser.take_errors();
    let start = fm.start_pos;
    let program = match result {
        Ok(program) if errors.is_empty() => program,
        Ok(_) => return Err(diagnostics(file, text, start, errors)),
        Err(fatal) => {
            errors.push(fatal);
            return Err(diagnostics(file, text, start, errors));
        }
    };
    let (leading, trailing) = comments.take_all();
    let mut all: Vec<Comment> =
        leading.borrow().values().chain(trailing.borrow().values()).flatten().cloned().collect();
    all.sort_by_key(|c| (c.span.lo, c.span.hi));
    all.dedup_by_key(|c| (c.span.lo, c.span.hi));
    Ok(Parsed { program, comments: all, file: file.to_string(), text: text.to_string(), lines: LineIndex::new(text), start })
}

fn diagnostics(file: &str, text: &str, start: BytePos, errors: Vec<swc_ecma_parser::error::Error>) -> Vec<Diagnostic> {
    let lines = LineIndex::new(text);
    let mut out: Vec<Diagnostic> = errors
        .iter()
        .map(|e| {
            let (loc, line) = lines.locate(text, file, e.span().lo.0.saturating_sub(start.0) as usize);
            Diagnostic::error(loc, format!("syntax error: {}", e.kind().msg())).with_source_line(Some(line))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}
