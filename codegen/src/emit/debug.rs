//! `Debug` for structs that hold secrets: their secret fields print as `<redacted>` (an optional
//! one as `Some(<redacted>)` or `None`), every other field as `#[derive(Debug)]` would print it.
//! Structs without a secret field keep `#[derive(Debug)]`.
//!
//! Which fields are secret is decided by their wire name, so that `{:?}` of a request or
//! response never prints a password, a session token or a client secret:
//!
//! 1. The wire name is split into lower-case words at `_`, `-`, `.` and camelCase humps
//!    (`session_token`, `sessionToken` → `session`, `token`).
//! 2. The last word (the head of the compound, singular or plural) decides:
//!    - `password`, `passcode`, `passphrase`, `secret`, `token`, `jwt`, `otp`, `hash`, `verifier`
//!      are secret (`new_password`, `client_secret`, `session_jwt`, `recovery_codes`,
//!      `code_verifier`), except `public_token`;
//!    - `code` is secret (`code`, `totp_code`, `qr_code`, `authorization_code`) unless the word
//!      before it names a kind of public code: `status_code`, `country_code`, `postal_code`,
//!      `locale_code`, `error_code`, ... (`PUBLIC_CODES`);
//!    - `key` is secret after `private`, `api`, `secret` or `encryption` (`private_key`,
//!      `api_key`), not otherwise (`public_key`, `key`);
//!    - any other head word is not (`token_type`, `client_secret_last_four`, `password_id`).
//! 3. Only values that can hold text are redacted: strings, JSON values, and lists, maps,
//!    tuples or unions of them. Booleans and numbers (`valid_password`) show, and so does a
//!    field holding a struct or an enum (`password: Password`), whose own `Debug` applies this
//!    rule to its fields.
//! 4. The `redact` option adds exact wire names (`redact = ["pin"]`); those fields are
//!    redacted whatever their type.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::paths::{Paths, ident};
use crate::ir::space::{Field, Space, Struct, Ty, TypeKind};

/// Head words that make a field secret (singular; a plural `s` is accepted).
const SECRET_HEADS: [&str; 9] = ["password", "passcode", "passphrase", "secret", "token", "jwt", "otp", "hash", "verifier"];

/// Words before `code` that make it a public code, not a secret one.
pub(crate) const PUBLIC_CODES: [&str; 17] = [
    "status", "country", "postal", "zip", "area", "locale", "language", "lang", "region", "currency", "error",
    "http", "response", "reason", "dial", "calling", "iso",
];

/// Words before `key` that make it a secret key.
const SECRET_KEYS: [&str; 4] = ["private", "api", "secret", "encryption"];

/// Alias chains followed when deciding whether a type holds text; past this, assume it does.
const MAX_ALIAS_DEPTH: usize = 64;

/// The lower-case words of a wire name (see the module docs).
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '_' | '-' | '.' | ' ') {
            words.push(std::mem::take(&mut current));
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        // `sessionToken` | `APIKey`: a hump starts a word, and so does the last capital of an
        // acronym followed by a lower-case letter.
        let hump = c.is_uppercase()
            && prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit() || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase())));
        if hump {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    words.push(current);
    words.retain(|w| !w.is_empty());
    words
}

/// Whether `word` is `base` or its plural.
fn is(word: &str, base: &str) -> bool {
    word == base || word.strip_suffix('s') == Some(base)
}

/// Whether the wire name names a secret by the built-in rule (steps 1 and 2 of the module docs).
pub(crate) fn is_secret_name(wire_name: &str) -> bool {
    let words = words(wire_name);
    let Some((head, rest)) = words.split_last() else { return false };
    let before = rest.last().map(String::as_str);
    if is(head, "code") {
        return !before.is_some_and(|b| PUBLIC_CODES.contains(&b));
    }
    if is(head, "key") {
        return before.is_some_and(|b| SECRET_KEYS.contains(&b));
    }
    if is(head, "token") && before == Some("public") {
        return false;
    }
    SECRET_HEADS.iter().any(|s| is(head, s))
}

/// Whether a value of `ty` can hold text that `Debug` would print (step 3 of the module docs).
fn holds_text(space: &Space, ty: &Ty, depth: usize) -> bool {
    match ty {
        Ty::String | Ty::Json => true,
        Ty::Bool | Ty::Integer | Ty::Float | Ty::Unit => false,
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => holds_text(space, inner, depth),
        Ty::Tuple(items) => items.iter().any(|t| holds_text(space, t, depth)),
        Ty::Named(id) => match &space.ty(*id).kind {
            TypeKind::Alias(_) if depth >= MAX_ALIAS_DEPTH => true,
            TypeKind::Alias(inner) => holds_text(space, inner, depth + 1),
            TypeKind::Untagged { variants } => {
                depth >= MAX_ALIAS_DEPTH || variants.iter().any(|v| holds_text(space, &v.ty, depth + 1))
            }
            TypeKind::Struct(_) | TypeKind::Tagged { .. } | TypeKind::StringEnum { .. } => false,
        },
    }
}

/// Whether `Debug` shows `field` as `<redacted>`.
fn is_redacted(paths: &Paths<'_>, field: &Field) -> bool {
    paths.redact().contains(&field.wire_name)
        || (is_secret_name(&field.wire_name) && holds_text(paths.space(), &field.ty, 0))
}

/// `Debug` of a struct: `derive` is what goes into its `#[derive(...)]` list (`Debug,` or
/// nothing) and `impl_` the hand-written impl that replaces it (or nothing).
pub(crate) struct StructDebug {
    pub(crate) derive: TokenStream,
    pub(crate) impl_: TokenStream,
}

pub(crate) fn struct_debug(paths: &Paths<'_>, name: &Ident, s: &Struct, extra_field: Option<&Ident>) -> StructDebug {
    let redacted: Vec<bool> = s.fields.iter().map(|f| is_redacted(paths, f)).collect();
    if !redacted.contains(&true) {
        return StructDebug { derive: quote!(Debug,), impl_: TokenStream::new() };
    }
    let fields = s.fields.iter().zip(&redacted).map(|(f, &redacted)| {
        let fname = ident(&f.rust_name);
        let shown = f.rust_name.trim_start_matches("r#");
        let value = match (redacted, f.optional) {
            (false, _) => quote!(&self.#fname),
            (true, false) => quote!(&::std::format_args!("<redacted>")),
            (true, true) => quote!(&self.#fname.as_ref().map(|_| ::std::format_args!("<redacted>"))),
        };
        quote!(.field(#shown, #value))
    });
    let extra = extra_field.map(|fname| {
        let shown = fname.to_string();
        quote!(.field(#shown, &self.#fname))
    });
    let type_name = name.to_string();
    let impl_ = quote! {
        impl ::std::fmt::Debug for #name {
            /// Shows secret fields as `<redacted>`.
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name)
                    #(#fields)*
                    #extra
                    .finish()
            }
        }
    };
    StructDebug { derive: TokenStream::new(), impl_ }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_snake_kebab_and_camel_case() {
        assert_eq!(words("session_token"), ["session", "token"]);
        assert_eq!(words("sessionToken"), ["session", "token"]);
        assert_eq!(words("APIKey"), ["api", "key"]);
        assert_eq!(words("x-api-key"), ["x", "api", "key"]);
        assert_eq!(words("pkce_code_verifier"), ["pkce", "code", "verifier"]);
        assert_eq!(words("totp2Code"), ["totp2", "code"]);
        assert_eq!(words("__"), Vec::<String>::new());
    }

    #[test]
    fn secrets_are_named_by_their_head_word() {
        for secret in [
            "password", "new_password", "existing_password", "secret", "client_secret", "next_client_secret", "secrets",
            "session_token", "session_jwt", "access_token", "refresh_token", "id_token", "intermediate_session_token",
            "token", "code", "totp_code", "recovery_code", "recovery_codes", "qr_code", "authorization_code",
            "code_verifier", "pkce_code_verifier", "otp", "private_key", "encryption_private_keys", "api_key",
            "apiKey", "sessionToken", "hash", "password_hash", "passcode",
        ] {
            assert!(is_secret_name(secret), "{secret}");
        }
        for public in [
            "status_code", "country_code", "postal_code", "locale_code", "error_code", "token_type", "token_id",
            "token_type_hint", "client_secret_last_four", "bearer_token_last_four", "password_id", "public_token",
            "public_key", "key", "keys", "key_length", "code_challenge", "max_token_age_seconds",
            "intermediate_session_token_expires_at", "hash_type", "email", "reset_password_redirect_url",
            "recovery_codes_remaining", "",
        ] {
            assert!(!is_secret_name(public), "{public}");
        }
    }
}
