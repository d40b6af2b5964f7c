//! JSDoc comments: the text between `/**` and `*/`, split into a description and `@tags`.
//! Rendering to rustdoc is the emitter's job; this only gives the structure.

/// Strips the leading `*` gutter of each line of a block comment's inner text. Works on
/// flattened one-line input too (`* a * b` stays as written: we only strip line starts).
/// A lone CR ends a line, as it does in JavaScript, so it never reaches a Rust comment (where
/// rustc refuses it: "bare CR not allowed in doc-comment").
pub fn clean_block(text: &str) -> String {
    let text = normalize_newlines(text);
    let text = text.strip_prefix('*').unwrap_or(&text);
    // A comment flattened onto one line keeps its gutters as ` * `: they were line breaks.
    let unflattened;
    let text = if !text.contains('\n') && text.contains(" * ") {
        unflattened = text.replace(" * ", "\n * ");
        unflattened.as_str()
    } else {
        text
    };
    let lines: Vec<&str> = text
        .lines()
        .map(|l| {
            let t = l.trim_start();
            match t.strip_prefix('*') {
                Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
                None => t,
            }
        })
        .collect();
    let start = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|l| !l.trim().is_empty()).map(|i| i + 1).unwrap_or(start);
    lines[start..end].iter().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n")
}

/// `\r\n` and a lone `\r` become `\n`: JavaScript ends a line at each of them.
pub fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n").into() } else { text.into() }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsDoc {
    /// The free text before the first tag.
    pub description: String,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Without the `@` (`param`, `returns`, `deprecated`).
    pub name: String,
    pub text: String,
}

impl JsDoc {
    pub fn tag(&self, name: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.name == name)
    }
}

/// Splits a cleaned comment into description and tags. A tag starts at an `@word` at the start of
/// a line, or, in flattened one-line input, after whitespace; `{@link ...}` is never a tag.
pub fn parse(text: &str) -> JsDoc {
    let mut doc = JsDoc::default();
    let mut current: Option<Tag> = None;
    let mut desc = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        match find_tag_start(rest) {
            Some((before, name, after)) => {
                push_text(&mut current, &mut desc, before);
                if let Some(t) = current.take() {
                    doc.tags.push(t);
                }
                current = Some(Tag { name: name.to_string(), text: String::new() });
                rest = after;
            }
            None => {
                push_text(&mut current, &mut desc, rest);
                rest = "";
            }
        }
    }
    if let Some(t) = current {
        doc.tags.push(t);
    }
    for t in &mut doc.tags {
        t.text = t.text.trim().to_string();
    }
    doc.description = desc.trim_end().to_string();
    doc
}

fn push_text(current: &mut Option<Tag>, desc: &mut String, text: &str) {
    match current {
        Some(t) => t.text.push_str(text),
        None => desc.push_str(text),
    }
}

/// Finds the next `@tag` that begins a block tag: preceded by start-of-text or whitespace and not
/// inside braces or backticks.
fn find_tag_start(s: &str) -> Option<(&str, &str, &str)> {
    let bytes = s.as_bytes();
    let (mut depth, mut in_code) = (0i32, false);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if !in_code => depth += 1,
            b'}' if !in_code => depth -= 1,
            b'`' => in_code = !in_code,
            b'@' if depth == 0 && !in_code && (i == 0 || bytes[i - 1].is_ascii_whitespace()) => {
                let name_len = s[i + 1..].bytes().take_while(|c| c.is_ascii_alphabetic()).count();
                if name_len > 0 {
                    let end = i + 1 + name_len;
                    return Some((&s[..i], &s[i + 1..end], &s[end..]));
                }
            }
            _ => {}
        }
    }
    None
}

/// The target of the first `{@link Target}` in `text`.
pub fn first_link(text: &str) -> Option<&str> {
    let start = text.find("{@link ")? + "{@link ".len();
    let end = start + text[start..].find('}')?;
    text[start..end].split_whitespace().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_gutters() {
        assert_eq!(clean_block("*\n     * Hello\n     *   world\n     "), "Hello\n  world");
    }

    #[test]
    fn splits_tags_on_multiline_and_flattened_input() {
        let d = parse("Reset it.\n@param data {@link Req}\n@returns {@link Resp}\n@async");
        assert_eq!(d.description, "Reset it.");
        assert_eq!(d.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["param", "returns", "async"]);
        assert_eq!(first_link(&d.tag("returns").unwrap().text), Some("Resp"));

        let flat = parse(&clean_block("* Reset it. * @param data {@link Req} * @returns {@link Resp} * @async "));
        assert_eq!(flat.description, "Reset it.");
        assert_eq!(first_link(&flat.tag("returns").unwrap().text), Some("Resp"));
    }

    #[test]
    fn a_lone_cr_ends_a_line() {
        assert_eq!(clean_block("*\r * one\r * two\r\n * three\r"), "one\ntwo\nthree");
    }

    #[test]
    fn emails_and_links_are_not_tags() {
        let d = parse("Mail support@stytch.com or see {@link Foo}.");
        assert!(d.tags.is_empty());
    }
}
