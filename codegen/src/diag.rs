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

/// Turns a byte offset into a 1-based line and column (in characters), and returns the line.
pub fn locate(source: &str, file: &str, byte_offset: usize) -> (Loc, String) {
    let offset = byte_offset.min(source.len());
    let before = &source[..offset];
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = source[offset..].find('\n').map(|i| offset + i).unwrap_or(source.len());
    let line = before.matches('\n').count() as u32 + 1;
    let col = source[line_start..offset].chars().count() as u32 + 1;
    let text = source[line_start..line_end].trim_end_matches('\r').to_string();
    (Loc { file: file.to_string(), line, col }, text)
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
        let (loc, line) = locate(src, "x.d.ts", 5);
        assert_eq!((loc.line, loc.col), (2, 4));
        assert_eq!(line, "bc def");
    }

    #[test]
    fn long_lines_are_windowed_around_the_column() {
        let line = "x".repeat(500);
        let (shown, caret) = window(&line, 300);
        assert!(shown.starts_with("...") && shown.ends_with("..."));
        assert_eq!(caret, 53);
    }
}
