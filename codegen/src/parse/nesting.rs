//! A cheap scan of a file before it reaches the parser, which (like every recursive-descent
//! parser) recurses once per level of nesting and aborts the process on a stack overflow; a
//! deep enough syntax tree also overflows when it is dropped. The scan bounds the depth of the
//! tree the parser can build, so the stack the generator runs on ([`crate::STACK_SIZE`]) is
//! always enough.
//!
//! The measure is conservative: the sum, over the open brackets, of one for the bracket plus
//! the tokens seen since the last `;` or `,` inside it. A syntax tree cannot nest deeper than
//! that, since every level of an expression or a type has a token of its own and `;`/`,` only
//! separate siblings. Regular expressions and template literals are skipped as well as a
//! scanner can without parsing; an odd one can only make the measure larger.

use crate::diag::{Diagnostic, LineIndex};

/// The deepest nesting accepted; see the README for the margin over real packages.
pub const MAX_NESTING: usize = 4_000;

/// One open level: the byte that opened it (`` ` `` for a template literal) and the tokens
/// seen in it since its last separator.
struct Level {
    opener: u8,
    tokens: usize,
}

/// The open levels and the measure they add up to.
struct Levels {
    open: Vec<Level>,
    /// Σ over open levels of (1 + tokens).
    depth: usize,
}

impl Levels {
    fn push(&mut self, opener: u8) {
        self.open.push(Level { opener, tokens: 0 });
        self.depth += 1;
    }

    /// Closes the innermost level (never the outermost, so stray closers are harmless).
    fn pop(&mut self) -> Option<u8> {
        if self.open.len() == 1 {
            return None;
        }
        let level = self.open.pop()?;
        self.depth -= 1 + level.tokens;
        Some(level.opener)
    }

    fn top(&self) -> u8 {
        self.open.last().map_or(0, |l| l.opener)
    }

    /// Closes levels up to and including the one `opener` opened; unmatched `<` (comparisons
    /// in JS) are closed on the way.
    fn close(&mut self, opener: u8) {
        while self.top() == b'<' && opener != b'<' {
            self.pop();
        }
        if self.top() == opener {
            self.pop();
        }
    }

    fn token(&mut self) {
        if let Some(level) = self.open.last_mut() {
            level.tokens += 1;
            self.depth += 1;
        }
    }

    fn separator(&mut self) {
        if let Some(level) = self.open.last_mut() {
            self.depth -= level.tokens;
            level.tokens = 0;
        }
    }
}

/// `Err` with a located error when `text` nests deeper than [`MAX_NESTING`].
pub fn check(file: &str, text: &str) -> Result<(), Diagnostic> {
    match deepest(text.as_bytes()) {
        Some(offset) => {
            let (loc, line) = LineIndex::new(text).locate(text, file, offset);
            let msg = format!(
                "nesting deeper than {MAX_NESTING} levels (brackets and the operators, names and values chained inside them): refused before parsing"
            );
            Err(Diagnostic::error(loc, msg).with_source_line(Some(line)))
        }
        None => Ok(()),
    }
}

/// The byte offset where the nesting first exceeds [`MAX_NESTING`], if it does.
fn deepest(b: &[u8]) -> Option<usize> {
    scan(b, MAX_NESTING).1
}

/// The deepest nesting of `text` by this measure (to compare real packages with the limit).
pub fn max_depth(text: &str) -> usize {
    scan(text.as_bytes(), usize::MAX).0
}

/// The deepest nesting seen, and where it first went past `limit` (the scan stops there).
fn scan(b: &[u8], limit: usize) -> (usize, Option<usize>) {
    let mut deepest = 0;
    let mut levels = Levels { open: vec![Level { opener: 0, tokens: 0 }], depth: 1 };
    let mut i = 0;
    // Whether a `/` here starts a regular expression (after an operator, an opening bracket,
    // a separator or a keyword) rather than a division.
    let mut regex_allowed = true;
    while i < b.len() {
        let start = i;
        if levels.top() == b'`' {
            i = template_step(b, i, &mut levels);
            regex_allowed = levels.top() != b'`';
        } else {
            i = code_step(b, i, &mut levels, &mut regex_allowed);
        }
        deepest = deepest.max(levels.depth);
        if levels.depth > limit {
            return (deepest, Some(start));
        }
    }
    (deepest, None)
}

/// One step inside a template literal's text: up to its end or its next `${`.
fn template_step(b: &[u8], i: usize, levels: &mut Levels) -> usize {
    match b[i] {
        b'\\' => i + 2,
        b'`' => {
            levels.pop();
            i + 1
        }
        b'$' if b.get(i + 1) == Some(&b'{') => {
            levels.push(b'{');
            i + 2
        }
        _ => i + 1,
    }
}

/// One token (or white space, or a comment) of code; returns where the next one starts.
fn code_step(b: &[u8], i: usize, levels: &mut Levels, regex_allowed: &mut bool) -> usize {
    let c = b[i];
    match c {
        b' ' | b'\t' | b'\n' | b'\r' => i + 1,
        b'/' if b.get(i + 1) == Some(&b'/') => b[i..].iter().position(|&x| x == b'\n').map_or(b.len(), |p| i + p),
        b'/' if b.get(i + 1) == Some(&b'*') => b[i + 2..].windows(2).position(|w| w == b"*/").map_or(b.len(), |p| i + 2 + p + 2),
        b'`' => {
            levels.token();
            levels.push(b'`');
            i + 1
        }
        b'(' | b'[' | b'{' | b'<' => {
            levels.token();
            levels.push(c);
            *regex_allowed = true;
            i + 1
        }
        b')' | b']' | b'}' | b'>' => {
            levels.close(match c {
                b')' => b'(',
                b']' => b'[',
                b'}' => b'{',
                _ => b'<',
            });
            *regex_allowed = matches!(c, b'}' | b'>');
            if c == b'}' && ends_statement(&b[i + 1..]) {
                levels.separator();
            }
            i + 1
        }
        b';' | b',' => {
            if c == b';' {
                levels.close(0);
            }
            levels.separator();
            *regex_allowed = true;
            i + 1
        }
        b'"' | b'\'' => {
            levels.token();
            *regex_allowed = false;
            skip_string(b, i)
        }
        b'/' if *regex_allowed => {
            levels.token();
            *regex_allowed = false;
            skip_regex(b, i)
        }
        _ if is_word(c) => {
            let len = b[i..].iter().position(|&x| !is_word(x)).unwrap_or(b.len() - i);
            levels.token();
            *regex_allowed = matches!(
                &b[i..i + len],
                b"return" | b"typeof" | b"case" | b"do" | b"else" | b"in" | b"of" | b"new" | b"delete" | b"void" | b"throw" | b"instanceof" | b"yield" | b"await"
            );
            i + len
        }
        _ => {
            // Every operator character counts, so `!!!!x` measures its depth.
            levels.token();
            *regex_allowed = true;
            i + 1
        }
    }
}

/// Whether a `}` followed by `rest` ends a statement or declaration (a new one starts with a
/// name, or the enclosing block ends), rather than an operand (`{} + x`, `{} in x`).
fn ends_statement(rest: &[u8]) -> bool {
    let mut rest = rest;
    loop {
        let start = rest.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(rest.len());
        rest = &rest[start..];
        if rest.starts_with(b"//") {
            rest = &rest[rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len())..];
        } else if rest.starts_with(b"/*") {
            rest = &rest[rest[2..].windows(2).position(|w| w == b"*/").map_or(rest.len(), |p| p + 4)..];
        } else {
            break;
        }
    }
    let len = rest.iter().position(|&c| !is_word(c)).unwrap_or(rest.len());
    match rest.first() {
        None | Some(b'}') => true,
        Some(&c) if is_word(c) && !c.is_ascii_digit() => {
            !matches!(&rest[..len], b"in" | b"instanceof" | b"as" | b"satisfies" | b"extends" | b"is")
        }
        _ => false,
    }
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// The offset just past the string literal starting at `i`.
fn skip_string(b: &[u8], i: usize) -> usize {
    let quote = b[i];
    let mut j = i + 1;
    while j < b.len() && b[j] != quote && b[j] != b'\n' {
        j += if b[j] == b'\\' { 2 } else { 1 };
    }
    (j + 1).min(b.len())
}

/// The offset just past the regular expression literal starting at `i` (and its flags).
fn skip_regex(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    let mut in_class = false;
    while j < b.len() && b[j] != b'\n' {
        match b[j] {
            b'\\' => j += 1,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'/' if !in_class => break,
            _ => {}
        }
        j += 1;
    }
    j += 1;
    while j < b.len() && b[j].is_ascii_alphabetic() {
        j += 1;
    }
    j.min(b.len())
}

#[cfg(test)]
mod tests {
    use super::max_depth;

    #[test]
    fn declarations_one_after_another_do_not_add_up() {
        let one = "/** Doc. */\nexport interface T { a: string; b: { c: number } }\n// note\n";
        assert_eq!(max_depth(&one.repeat(10_000)), max_depth(one));
    }

    #[test]
    fn chains_inside_one_expression_add_up() {
        assert!(max_depth(&format!("x = {}a;", "!".repeat(500))) > 500);
        assert!(max_depth(&format!("x = a{};", " + {}".repeat(500))) > 500);
        assert!(max_depth(&format!("type X = {}string{};", "Array<".repeat(500), ">".repeat(500))) > 500);
    }

    #[test]
    fn strings_comments_regexes_and_templates_are_skipped() {
        let text = "const a = \"(((\"; // (((\n/* ((( */ const r = /[(]/g; const t = `${ f(1) }(((`;\n";
        assert!(max_depth(&text.repeat(1_000)) < 20);
    }
}
