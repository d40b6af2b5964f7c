//! Diagnostics: every problem the generator finds carries a location and, where it has one, the
//! source line, so a user can go straight to it. Errors stop generation; warnings record a
//! deliberate fallback and never change what is emitted.

use std::fmt;

/// A position in an input file: the path relative to the package root, 1-based line and column.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Loc {
    pub file: String,
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub loc: Loc,
    pub message: String,
    /// The line of source the location points into, when known (trimmed to a readable width).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, loc, message: message.into(), source_line: None }
    }

    pub fn warning(loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, loc, message: message.into(), source_line: None }
    }

    pub fn with_source_line(mut self, line: Option<String>) -> Self {
        self.source_line = line;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}\n  --> {}", self.message, self.loc)?;
        if let Some(line) = &self.source_line {
            // Lines of minified or flattened input can be huge: show a window around the column.
            let (shown, caret) = window(line, self.loc.col as usize);
            write!(f, "\n   | {shown}\n   | {}^", " ".repeat(caret))?;
        }
        Ok(())
    }
}

/// Cuts a long line to about 100 characters around `col` (1-based); returns the text and the
/// caret offset inside it.
fn window(line: &str, col: usize) -> (String, usize) {
    const WIDTH: usize = 100;
    let chars: Vec<char> = line.chars().collect();
    let col = col.saturating_sub(1).min(chars.len());
    if chars.len() <= WIDTH {
        return (line.to_string(), col);
    }
    let start = col.saturating_sub(WIDTH / 2);
    let end = (start + WIDTH).min(chars.len());
    let mut text: String = chars[start..end].iter().collect();
    let mut caret = col - start;
    if start > 0 {
        text.insert_str(0, "...");
        caret += 3;
    }
    if end < chars.len() {
        text.push_str("...");
    }
    (text, caret)
}

/// Where every line of a file starts, built once per file, so that turning an offset into a
/// line and column costs a binary search instead of a scan from the start of the file (which
/// made a run quadratic in the size of a file). Columns count characters: the multi-byte
/// characters are indexed too, so a column is exact on one huge minified line as well.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset of the first byte of every line; the first is 0.
    line_starts: Vec<usize>,
    /// Byte offset of every multi-byte character, with the extra bytes (beyond one) of all
    /// multi-byte characters up to and including it.
    multibyte: Vec<(usize, usize)>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        let mut multibyte = Vec::new();
        let mut extra = 0;
        for (i, c) in text.char_indices() {
            if c == '\n' {
                line_starts.push(i + 1);
            } else if c.len_utf8() > 1 {
                extra += c.len_utf8() - 1;
                multibyte.push((i, extra));
            }
        }
        LineIndex { line_starts, multibyte }
    }

    /// Extra bytes of the multi-byte characters that start before `offset`.
    fn extra_before(&self, offset: usize) -> usize {
        let i = self.multibyte.partition_point(|&(at, _)| at < offset);
        if i == 0 { 0 } else { self.multibyte[i - 1].1 }
    }

    /// The 1-based line and column (in characters) of a byte offset, clamped to the text.
    pub fn line_col(&self, text: &str, byte_offset: usize) -> (u32, u32) {
        let mut offset = byte_offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let col = (offset - start) - (self.extra_before(offset) - self.extra_before(start));
        (line as u32, col as u32 + 1)
    }

    /// The text of a 1-based line, without its line break; `None` past the end.
    pub fn line<'t>(&self, text: &'t str, line: u32) -> Option<&'t str> {
        let start = *self.line_starts.get((line as usize).checked_sub(1)?)?;
        let end = self.line_starts.get(line as usize).map_or(text.len(), |next| next - 1);
        Some(text.get(start..end)?.trim_end_matches('\r'))
    }

    /// The location of a byte offset in `file`.
    pub fn loc(&self, text: &str, file: &str, byte_offset: usize) -> Loc {
        let (line, col) = self.line_col(text, byte_offset);
        Loc { file: file.to_string(), line, col }
    }

    /// The location of a byte offset and its source line, for a diagnostic shown with its line.
    pub fn locate(&self, text: &str, file: &str, byte_offset: usize) -> (Loc, String) {
        let loc = self.loc(text, file, byte_offset);
        let line = self.line(text, loc.line).unwrap_or_default().to_string();
        (loc, line)
    }
}

/// The diagnostics of one run, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }
    /// Sorted by file, line, column, so output is the same on every run.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| a.loc.cmp(&b.loc).then(a.severity.cmp(&b.severity)).then(a.message.cmp(&b.message)));
        self.0.dedup();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_line_and_column() {
        let src = "a\nbc def\n";
        let (loc, line) = LineIndex::new(src).locate(src, "x.d.ts", 5);
        assert_eq!((loc.line, loc.col), (2, 4));
        assert_eq!(line, "bc def");
    }

    #[test]
    fn columns_count_characters_and_lines_drop_their_break() {
        let src = "é\r\nxé€y z\nlast";
        let index = LineIndex::new(src);
        // `z` is at byte 12 of the text: line 2, the sixth character.
        assert_eq!(index.line_col(src, src.find('z').unwrap()), (2, 6));
        assert_eq!(index.line_col(src, src.len()), (3, 5));
        assert_eq!(index.line_col(src, 1), (1, 1), "an offset inside a character is its start");
        assert_eq!(index.line(src, 1), Some("é"));
        assert_eq!(index.line(src, 3), Some("last"));
        assert_eq!(index.line(src, 4), None);
        assert_eq!(index.line(src, 0), None);
    }

    #[test]
    fn long_lines_are_windowed_around_the_column() {
        let line = "x".repeat(500);
        let (shown, caret) = window(&line, 300);
        assert!(shown.starts_with("...") && shown.ends_with("..."));
        assert_eq!(caret, 53);
    }
}
