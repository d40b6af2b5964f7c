//! JSDoc text to rustdoc: `{@link X}` becomes an intra-doc link when `X` resolves, bare URLs
//! become autolinks, stray brackets and HTML are escaped, code fences are marked `text` and
//! indentation is dropped, so `cargo doc` finds no broken links and no doc test is created by
//! accident. `@param`, `@returns`, `@async` and `@throws` are dropped on purpose: the Rust
//! signature and the error type say the same thing.

use crate::parse::jsdoc;

/// Renders `raw` (a cleaned JSDoc comment). `link` maps a `{@link X}` target to a path rustdoc
/// can resolve, or `None` to render it as code.
pub fn render(raw: &str, link: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let doc = jsdoc::parse(raw);
    let mut out = Vec::new();
    let mut in_fence = false;
    // Indentation is dropped (it would make code blocks), except that lines continuing a list
    // item are indented to the item's text, as Markdown (and clippy) expect.
    let mut list_indent: Option<usize> = None;
    for line in doc.description.lines() {
        let trimmed = line.trim_start();
        if !in_fence {
            if trimmed.is_empty() {
                list_indent = None;
            } else if let Some(width) = list_marker_width(trimmed) {
                list_indent = Some(width);
            } else if let Some(width) = list_indent {
                out.push(format!("{}{}", " ".repeat(width), inline(trimmed, link)));
                continue;
            }
        }
        if trimmed.starts_with("```") {
            if in_fence {
                out.push("```".to_string());
            } else {
                let lang = trimmed.trim_start_matches('`').trim();
                out.push(format!("```{}", if lang.is_empty() || lang == "rust" { "text" } else { lang }));
            }
            in_fence = !in_fence;
        } else if in_fence {
            out.push(line.to_string());
        } else {
            out.push(inline(trimmed, link));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    for tag in &doc.tags {
        match tag.name.as_str() {
            // `@deprecated` becomes `#[deprecated]` (see `Paths::deprecation`), which rustdoc shows.
            "param" | "returns" | "return" | "async" | "throws" | "type" | "deprecated" => {}
            "example" => {
                push_para(&mut out, "# Example".to_string());
                out.push("```text".into());
                out.extend(tag.text.lines().map(str::to_string));
                out.push("```".into());
            }
            other => push_para(&mut out, format!("*{other}:* {}", inline(&tag.text.replace('\n', " "), link))),
        }
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out
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
                        out.push_str(&format!("[{}]({})", escape_text(text_part), url.replace('<', "%3C").replace('>', "%3E")));
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
            '[' | ']' | '<' | '>' => {
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
