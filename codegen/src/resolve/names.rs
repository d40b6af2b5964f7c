//! Rust names from wire names: case conversion with `heck`, compound words kept whole,
//! keywords made valid, collisions broken deterministically.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that `heck` would split but that read as one word (`WebAuthn` -> `webauthn`, not
/// `web_authn`). Matched case-sensitively at word starts.
pub const DEFAULT_WORDS: &[&str] = &["WebAuthn", "OAuth", "GitHub"];

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait",
    "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];
/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

#[derive(Debug, Clone)]
pub struct Namer {
    words: Vec<String>,
    /// Names already converted, `snake` and `camel`: the same wire names (`id`, `status_code`)
    /// come back in type after type, and converting one costs several allocations.
    snake: RefCell<HashMap<String, String>>,
    camel: RefCell<HashMap<String, String>>,
}

impl Namer {
    pub fn new(words: &[String]) -> Self {
        Namer { words: words.to_vec(), snake: RefCell::default(), camel: RefCell::default() }
    }

    /// `convert(wire)`, from `cache` when it was converted before.
    fn cached(cache: &RefCell<HashMap<String, String>>, wire: &str, convert: impl FnOnce() -> String) -> String {
        if let Some(name) = cache.borrow().get(wire) {
            return name.clone();
        }
        let name = convert();
        cache.borrow_mut().insert(wire.to_string(), name.clone());
        name
    }

    /// Replaces each compound word by a form heck keeps whole (`WebAuthn` -> `Webauthn`).
    fn join_words(&self, s: &str) -> String {
        let mut out = s.to_string();
        for w in &self.words {
            // Most names hold none of the words: checked first, as this runs for every name.
            if !out.contains(w.as_str()) {
                continue;
            }
            let mut joined = String::new();
            let mut chars = w.chars();
            if let Some(first) = chars.next() {
                joined.push(first);
                joined.extend(chars.flat_map(char::to_lowercase));
            }
            out = out.replace(w.as_str(), &joined);
        }
        out
    }

    /// `snake_case` field, method and module names.
    pub fn snake(&self, wire: &str) -> String {
        Self::cached(&self.snake, wire, || self.convert_snake(wire))
    }

    fn convert_snake(&self, wire: &str) -> String {
        let s = sanitize(&plural_acronyms(&self.join_words(wire))).to_snake_case();
        let s = if s.is_empty() { "field".to_string() } else { s };
        let s = if s.starts_with(|c: char| c.is_ascii_digit()) { format!("_{s}") } else { s };
        keyword_safe(s)
    }

    /// `UpperCamelCase` type and variant names. A wire name that already is valid UpperCamelCase
    /// is kept as written (`B2BPasswordsSessionResetRequest` stays), unless it is all capitals
    /// (`RBAC` -> `Rbac`), which Rust style and clippy reject.
    pub fn camel(&self, wire: &str) -> String {
        Self::cached(&self.camel, wire, || self.convert_camel(wire))
    }

    fn convert_camel(&self, wire: &str) -> String {
        let keep = wire.starts_with(|c: char| c.is_ascii_uppercase())
            && wire.chars().all(|c| c.is_ascii_alphanumeric())
            && wire.chars().any(|c| c.is_ascii_lowercase());
        let s = if keep { wire.to_string() } else { sanitize(&plural_acronyms(&self.join_words(wire))).to_upper_camel_case() };
        let s = if s.is_empty() { "Value".to_string() } else { s };
        let s = if s.starts_with(|c: char| c.is_ascii_digit()) { format!("V{s}") } else { s };
        keyword_safe(s)
    }
}

/// A plural acronym (`URLs`, `IDs`) becomes one capitalised word (`Urls`, `Ids`), which heck
/// keeps whole: it would split `redirectURLs` between the last capital and `s`
/// (`redirect_ur_ls`). An acronym is two or more capitals; its plural `s` must end the word
/// (end, capital, digit or separator follows).
fn plural_acronyms(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_uppercase()).count();
        let plural = run >= 2
            && chars.get(i + run) == Some(&'s')
            && chars.get(i + run + 1).is_none_or(|c| !c.is_ascii_lowercase());
        if plural {
            out.push(chars[i]);
            out.extend(chars[i + 1..i + run].iter().map(char::to_ascii_lowercase));
            out.push('s');
            i += run + 1;
        } else if run > 0 {
            out.extend(&chars[i..i + run]);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Non-identifier characters become word breaks, so `"pt-br"` -> `pt_br` / `PtBr`, and
/// `"https://x.com/claim"` -> `https_x_com_claim`.
fn sanitize(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

fn keyword_safe(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// Hands out names unique within one scope: the second `user_id` becomes `user_id_2`.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    used: BTreeSet<String>,
}

impl Scope {
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_string());
    }

    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }

    pub fn unique(&mut self, name: String) -> String {
        if self.used.insert(name.clone()) {
            return name;
        }
        let (base, sep) = match name.strip_prefix("r#") {
            Some(b) => (b.to_string(), "_"),
            None => (name.clone(), if name.starts_with(|c: char| c.is_ascii_uppercase()) { "" } else { "_" }),
        };
        (2..)
            .map(|n| format!("{base}{sep}{n}"))
            .find(|candidate| self.used.insert(candidate.clone()))
            .expect("an unused suffix exists")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn namer() -> Namer {
        Namer::new(&DEFAULT_WORDS.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn snake_keeps_compound_words_and_acronyms() {
        let n = namer();
        assert_eq!(n.snake("deleteWebAuthnRegistration"), "delete_webauthn_registration");
        assert_eq!(n.snake("deleteOAuthRegistration"), "delete_oauth_registration");
        assert_eq!(n.snake("deleteMFAPhoneNumber"), "delete_mfa_phone_number");
        assert_eq!(n.snake("updateByURL"), "update_by_url");
        assert_eq!(n.snake("x5tS256"), "x5t_s256");
        assert_eq!(n.snake("https://example.com/claim"), "https_example_com_claim");
    }

    /// Field names from the corpus (stytch@14.2.0, resend@6.38.0, openai@6.49.0) whose
    /// acronyms heck alone would split wrongly or that must not change.
    #[test]
    fn plural_acronyms_stay_whole() {
        let n = namer();
        let table = [
            ("redirectURLs", "redirect_urls"),
            ("actionURLs", "action_urls"),
            ("userIDs", "user_ids"),
            ("allowedRedirectURLs", "allowed_redirect_urls"),
            ("organizationIDs", "organization_ids"),
            ("IDs", "ids"),
            ("fileIDs2", "file_ids2"),
            ("URLsByName", "urls_by_name"),
            // Not plural acronyms: unchanged.
            ("redirect_urls", "redirect_urls"),
            ("userID", "user_id"),
            ("IDPSSOURL", "idpssourl"),
            ("HTTPServer", "http_server"),
            ("x5tS256", "x5t_s256"),
            ("isMFAs", "is_mfas"),
        ];
        for (wire, rust) in table {
            assert_eq!(n.snake(wire), rust, "{wire}");
        }
        assert_eq!(n.camel("redirect-URLs"), "RedirectUrls");
    }

    #[test]
    fn keywords_become_valid_identifiers() {
        let n = namer();
        assert_eq!(n.snake("type"), "r#type");
        assert_eq!(n.snake("override"), "r#override");
        assert_eq!(n.snake("self"), "self_");
        assert_eq!(n.camel("Self"), "Self_");
        assert_eq!(n.snake("123abc"), "_123abc");
    }

    #[test]
    fn camel_keeps_valid_names_and_fixes_all_caps() {
        let n = namer();
        assert_eq!(n.camel("B2BPasswordsSessionResetRequest"), "B2BPasswordsSessionResetRequest");
        assert_eq!(n.camel("RBAC"), "Rbac");
        assert_eq!(n.camel("fetchConfig"), "FetchConfig");
        assert_eq!(n.camel("pt-br"), "PtBr");
        assert_eq!(n.camel("*"), "Value");
    }

    #[test]
    fn scope_breaks_collisions_in_order() {
        let mut s = Scope::default();
        assert_eq!(s.unique("user_id".into()), "user_id");
        assert_eq!(s.unique("user_id".into()), "user_id_2");
        assert_eq!(s.unique("Member".into()), "Member");
        assert_eq!(s.unique("Member".into()), "Member2");
        assert_eq!(s.unique("r#type".into()), "r#type");
        assert_eq!(s.unique("r#type".into()), "type_2");
    }
}
