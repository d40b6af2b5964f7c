//! JSDoc text to rustdoc: `{@link X}` becomes an intra-doc link when `X` resolves, bare URLs
//! become autolinks, stray brackets and HTML are escaped, indentation is dropped and every code
//! fence (```` ``` ````, `~~~`, whatever its info string) becomes a `text` block, so `cargo doc`
//! finds no broken links and no doc test is ever created from upstream text: a comment in a
//! package is untrusted input, and a doc test would compile and run it. Links whose scheme is
//! not `http`, `https` or `mailto` (`javascript:`, `data:`, ...) keep only their label; bidi
//! and other control characters are written as visible `\u{..}` escapes (rustc denies the
//! former in comments, and refuses a bare CR). `@param`, `@returns`, `@async` and `@throws` are
//! dropped on purpose: the Rust signature and the error type say the same thing.
//!
//! The lines are emitted as `#[doc = "..."]` string literals (quoted by `proc_macro2`), and each
//! is a single line, so no doc text can end the attribute or the comment it is printed as.

use crate::parse::jsdoc;

/// Renders `raw` (a cleaned JSDoc comment). `link` maps a `{@link X}` target to a path rustdoc
/// can resolve, or `None` to render it as code.
pub fn render(raw: &str, link: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let doc = jsdoc::parse(&jsdoc::normalize_newlines(raw));
    let mut out = Vec::new();
    markdown(&doc.description, link, &mut out);
    for tag in &doc.tags {
        match tag.name.as_str() {
            // `@deprecated` becomes `#[deprecated]` (see `Paths::deprecation`), which rustdoc shows.
            "param" | "returns" | "return" | "async" | "throws" | "type" | "deprecated" => {}
            "example" => {
                push_para(&mut out, "# Example".to_string());
                example(&tag.text, link, &mut out);
            }
            other => push_para(&mut out, format!("*{other}:* {}", inline(&tag.text.replace('\n', " "), link))),
        }
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.iter().map(|l| escape_controls(l)).collect()
}

/// Prose with code fences: fences become `text` blocks, other lines are rendered by [`inline`].
fn markdown(text: &str, link: &dyn Fn(&str) -> Option<String>, out: &mut Vec<String>) {
    let mut fence: Option<Fence> = None;
    // Indentation is dropped (it would make code blocks), except that lines continuing a list
    // item are indented to the item's text, as Markdown (and clippy) expect.
    let mut list_indent: Option<usize> = None;
    for line in text.lines() {
        if let Some(open) = &fence {
            if open.is_closed_by(line) {
                out.push(open.marker());
                fence = None;
            } else {
                out.push(line.to_string());
            }
            continue;
        }
        let trimmed = line.trim_start();
        if let Some(open) = Fence::opened_by(trimmed) {
            out.push(format!("{}text", open.marker()));
            fence = Some(open);
            list_indent = None;
        } else if trimmed.is_empty() {
            list_indent = None;
            out.push(String::new());
        } else if let Some(width) = list_marker_width(trimmed) {
            list_indent = Some(width);
            out.push(inline(trimmed, link));
        } else if let Some(width) = list_indent {
            out.push(format!("{}{}", " ".repeat(width), inline(trimmed, link)));
        } else {
            out.push(inline(trimmed, link));
        }
    }
    if let Some(open) = fence {
        out.push(open.marker());
    }
}

/// An `@example`: its own fences if it has any, else one `text` block around it, fenced with
/// more backticks than any line of it starts with, so no line of it can close the block.
fn example(text: &str, link: &dyn Fn(&str) -> Option<String>, out: &mut Vec<String>) {
    if text.lines().any(|l| Fence::opened_by(l.trim_start()).is_some()) {
        markdown(text, link, out);
        return;
    }
    let longest = text.lines().map(|l| l.trim_start().bytes().take_while(|b| *b == b'`').count()).max().unwrap_or(0);
    let open = Fence { ch: '`', len: longest.max(2) + 1 };
    out.push(format!("{}text", open.marker()));
    out.extend(text.lines().map(str::to_string));
    out.push(open.marker());
}

/// A CommonMark code fence: a run of at least three backticks or tildes.
struct Fence {
    ch: char,
    len: usize,
}

impl Fence {
    /// The fence a line (without its indentation) opens. Its info string is dropped: the block
    /// is re-tagged `text` whatever it said (`rust,no_run`, `js`, nothing).
    fn opened_by(trimmed: &str) -> Option<Fence> {
        let ch = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
        let len = trimmed.chars().take_while(|c| *c == ch).count();
        (len >= 3).then_some(Fence { ch, len })
    }

    /// CommonMark's closing rule: at most three spaces of indentation, a run of the same
    /// character at least as long as the opening one, then only blanks. The line is emitted
    /// as it is, so rustdoc sees exactly the lines this sees.
    fn is_closed_by(&self, line: &str) -> bool {
        let rest = line.trim_start_matches(' ');
        if line.len() - rest.len() > 3 {
            return false;
        }
        let run = rest.chars().take_while(|c| *c == self.ch).count();
        run >= self.len && rest[run * self.ch.len_utf8()..].trim_matches([' ', '\t']).is_empty()
    }

    fn marker(&self) -> String {
        self.ch.to_string().repeat(self.len)
    }
}

/// Writes characters rustc or a reader must not get raw as `\u{..}`: control characters but
/// the tab (a bare CR is a hard error in a doc comment) and the bidirectional controls (rustc's
/// deny-by-default `text_direction_codepoint_in_comment` names U+202A..U+202E and
/// U+2066..U+2069; the marks U+200E, U+200F and U+061C reorder text as well).
pub(crate) fn escape_controls(line: &str) -> String {
    let hidden = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
    };
    if !line.contains(hidden) {
        return line.to_string();
    }
    line.chars().map(|c| if hidden(c) { format!("\\u{{{:X}}}", c as u32) } else { c.to_string() }).collect()
}

/// `text` as one inline code span, whatever it holds: control characters escaped (so it stays
/// one line) and delimited by more backticks than any run inside it.
pub(crate) fn code_span(text: &str) -> String {
    let text = escape_controls(text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// Whether a Markdown link target may be kept: `http`, `https` and `mailto` URLs, and relative
/// ones with nothing a browser could read as a scheme (`&#106;avascript:` is an entity-escaped
/// `javascript:` to CommonMark, hence no `&` or `\\` either).
fn is_safe_link(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["http://", "https://", "mailto:"].iter().any(|s| lower.starts_with(s)) || !url.contains([':', '&', '\\'])
}

/// The width of a list marker starting `line` (`- `, `* `, `12. `), if it starts with one.
fn list_marker_width(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && digits < 4 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))).then_some(digits + 2)
}

fn push_para(out: &mut Vec<String>, line: String) {
    if out.last().is_some_and(|l| !l.trim().is_empty()) {
        out.push(String::new());
    }
    out.push(line);
}

/// One line of prose: code spans kept verbatim, everything else escaped.
fn inline(line: &str, link: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&prose(&rest[..start], link));
        let after = &rest[start + 1..];
        match after.find('`') {
            Some(end) => {
                out.push('`');
                out.push_str(&after[..end]);
                out.push('`');
                rest = &after[end + 1..];
            }
            None => {
                out.push_str("\\`");
                rest = after;
            }
        }
    }
    out.push_str(&prose(rest, link));
    out
}

fn prose(text: &str, link: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < text.len() {
        // A run of characters none of the rules below starts with is copied as it is.
        let plain = text[i..].find(['{', '[', ']', '<', '>', '!', 'h']).unwrap_or(text.len() - i);
        if plain > 0 {
            out.push_str(&text[i..i + plain]);
            i += plain;
            continue;
        }
        let rest = &text[i..];
        if let Some(after) = rest.strip_prefix("{@link ") {
            if let Some(end) = after.find('}') {
                let inner = after[..end].trim();
                let (target, label) = inner
                    .split_once('|')
                    .or_else(|| inner.split_once(char::is_whitespace))
                    .map(|(t, l)| (t.trim(), l.trim()))
                    .unwrap_or((inner, ""));
                match link(target) {
                    Some(path) if label.is_empty() && path == target => out.push_str(&format!("[`{target}`]")),
                    Some(path) if label.is_empty() => out.push_str(&format!("[`{target}`]({path})")),
                    Some(path) => out.push_str(&format!("[{}]({path})", escape_text(label))),
                    None if label.is_empty() => out.push_str(&format!("`{target}`")),
                    None => out.push_str(&escape_text(label)),
                }
                i += "{@link ".len() + end + 1;
                continue;
            }
        }
        // A markdown link `[text](url)` is kept as it is.
        if rest.starts_with('[') {
            if let Some(close) = rest.find("](") {
                if let Some(paren) = rest[close + 2..].find(')') {
                    let text_part = &rest[1..close];
                    let url = &rest[close + 2..close + 2 + paren];
                    if !text_part.contains('[') && !url.contains(' ') && !url.is_empty() {
                        if is_safe_link(url) {
                            out.push_str(&format!("[{}]({})", escape_text(text_part), url.replace('<', "%3C").replace('>', "%3E")));
                        } else {
                            out.push_str(&escape_text(text_part));
                        }
                        i += close + 2 + paren + 1;
                        continue;
                    }
                }
            }
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let len = rest.find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"' || c == '`').unwrap_or(rest.len());
            let url = rest[..len].trim_end_matches(['.', ',', ')', ';', ':', '!', '?']);
            out.push_str(&format!("<{url}>"));
            i += url.len();
            continue;
        }
        let c = rest.chars().next().expect("not at the end");
        match c {
            // `![...](...)` would load an image from wherever the package says.
            '[' | ']' | '<' | '>' | '!' if c != '!' || rest[1..].starts_with('[') => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        i += c.len_utf8();
    }
    out
}

/// Text that goes inside a link label.
fn escape_text(s: &str) -> String {
    s.replace('[', "\\[").replace(']', "\\]").replace('<', "\\<").replace('>', "\\>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_links(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn every_fence_becomes_text() {
        let raw = "A\n~~~\nfn main() {}\n~~~\n``` rust,no_run\nfn a() {}\n```\n```js\nx()\n```\n````\n```rust\n````\n- item\n  ```rust\n  b()\n  ```";
        let lines = render(raw, &no_links);
        assert_eq!(
            lines,
            [
                "A", "~~~text", "fn main() {}", "~~~", "```text", "fn a() {}", "```", "```text", "x()", "```", "````text",
                "```rust", "````", "- item", "```text", "  b()", "```"
            ]
        );
    }

    #[test]
    fn unclosed_fences_and_examples_are_closed_as_text() {
        // Inside an open fence `@example` is text; the stray fence after it is closed at the end.
        let lines = render("A\n```rust\nfn main() {}\n@example\nlet x = 1;\n```\nfn evil() {}\n```", &no_links);
        assert_eq!(lines, ["A", "```text", "fn main() {}", "@example", "let x = 1;", "```", "fn evil() {}", "```text", "```"]);
        let lines = render("@example\nlet x = 1;\n````\nstill text", &no_links);
        assert_eq!(lines, ["# Example", "let x = 1;", "````text", "still text", "````"]);
        let lines = render("@example\nlet x = 1;\n`` ``", &no_links);
        assert_eq!(lines, ["# Example", "```text", "let x = 1;", "`` ``", "```"]);
    }

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        let lines = render("Admin\u{202E}txt.exe and \u{2066}x\u{2069} a\rb\u{7}", &no_links);
        assert_eq!(lines, ["Admin\\u{202E}txt.exe and \\u{2066}x\\u{2069} a", "b\\u{7}"]);
        assert_eq!(code_span("GET /a`b\n```"), "```` GET /a`b\\u{A}``` ````");
    }

    #[test]
    fn only_web_links_are_kept() {
        let lines = render(
            "[a](javascript:alert(1)) [b](JavaScript:x) [c](data:text/html,x) [d](&#106;avascript:x) [e](mailto:a@b.c) [f](/docs) ![g](https://t.example/p.png)",
            &no_links,
        );
        // The label ends at the first `)`, as before; what follows is text.
        assert_eq!(lines, ["a) b c d [e](mailto:a@b.c) [f](/docs) \\![g](https://t.example/p.png)"]);
    }

    /// rustdoc itself, on the rendered lines of a hostile comment: nothing to test, no error.
    #[test]
    fn rustdoc_finds_no_doctest_in_hostile_comments() {
        let raw = "Hi\u{202E}\r~~~\nfn main() { panic!() }\n~~~\n``` rust,no_run\nfn main() {}\n```\n    fn indented() {}\n[x](javascript:alert(1))\n@example\n```\npanic!()\n```";
        let lines = render(raw, &no_links);
        let attrs: String = lines.iter().map(|l| format!("#[doc = {:?}]\n", format!(" {l}"))).collect();
        let dir = std::env::temp_dir().join(format!("codegen-docs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("lib.rs");
        std::fs::write(&file, format!("#![deny(warnings)]\n{attrs}pub struct Documented;\n")).unwrap();
        let rustdoc = std::env::var("RUSTDOC").unwrap_or_else(|_| "rustdoc".into());
        let run = std::process::Command::new(rustdoc)
            .args(["--test", "--edition", "2021", "--crate-name", "docs"])
            .arg(&file)
            .output()
            .unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
        assert!(stdout.contains("running 0 tests"), "{stdout}");
    }

    #[test]
    fn links_urls_and_brackets() {
        let lines = render(
            "See {@link Member} and https://stytch.com/docs. Use [the API](https://x.com/a) or [brackets].",
            &|t| (t == "Member").then(|| "super::Member".to_string()),
        );
        assert_eq!(lines, ["See [`Member`](super::Member) and <https://stytch.com/docs>. Use [the API](https://x.com/a) or \\[brackets\\]."]);
    }

    #[test]
    fn indentation_and_fences_make_no_doctests() {
        let lines = render("Text\n\n    indented\n```\n{ \"a\": 1 }\n```", &no_links);
        assert_eq!(lines, ["Text", "", "indented", "```text", "{ \"a\": 1 }", "```"]);
    }

    #[test]
    fn list_continuations_are_indented_to_the_item() {
        let lines = render("Intro:\n- first item\ncontinues here\n1. numbered\n   more\n\nAfter.", &no_links);
        assert_eq!(lines, ["Intro:", "- first item", "  continues here", "1. numbered", "   more", "", "After."]);
    }

    #[test]
    fn html_and_unlinked_targets_are_escaped() {
        let lines = render("A <b>tag</b> and {@link Missing}, `code <x>` stays.", &no_links);
        assert_eq!(lines, ["A \\<b\\>tag\\</b\\> and `Missing`, `code <x>` stays."]);
    }

    #[test]
    fn tags_are_dropped_or_rendered_deliberately() {
        let lines = render("Does it.\n@param data {@link Req}\n@returns {@link Resp}\n@deprecated use other", &no_links);
        assert_eq!(lines, ["Does it."]);
    }
}
