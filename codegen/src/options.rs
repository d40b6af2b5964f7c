//! The generator's options, declared once: the library's [`crate::Config`] builder, the CLI
//! flags and the spec file all read this struct, so they cannot drift apart.

use serde::Deserialize;

/// How TypeScript `number` maps to Rust.
///
/// TypeScript has one number type; an API usually means either integers or floats. With
/// `Integer` every `number` is an `i64`, so `60` goes on the wire as `60`, never `60.0`
/// (right for APIs whose numbers are all counts, durations and timestamps, like Stytch's).
/// With `Float` every `number` is an `f64`, the lossless choice when nothing is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum NumberPolicy {
    Integer,
    #[default]
    Float,
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "kebab-case")]
pub enum Generate {
    /// Only the data types.
    Types,
    /// Data types and the async client.
    #[default]
    TypesAndClient,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// How TypeScript `number` maps to Rust.
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t = NumberPolicy::Float))]
    pub number: NumberPolicy,

    /// Types only, or types and client.
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t = Generate::TypesAndClient))]
    pub generate: Generate,

    /// More compound words to keep whole in snake_case names, beside the built-in ones
    /// (`WebAuthn` -> `webauthn`, `OAuth` -> `oauth`).
    #[cfg_attr(feature = "cli", arg(long = "word", value_name = "WORD"))]
    pub words: Vec<String>,

    /// The path generated code uses for the runtime crate.
    #[cfg_attr(feature = "cli", arg(long, default_value = "npm_sdk_runtime"))]
    pub runtime_crate: String,

    /// Modules of the output crate that are written by hand: declared in `lib.rs`, never
    /// written or reported stale by the generator (crate layout only).
    #[cfg_attr(feature = "cli", arg(long = "hand-written", value_name = "MODULE"))]
    pub hand_written: Vec<String>,

    /// Cargo features, one per product: `name=module-prefix` (e.g. `b2b=b2b/`). A module is
    /// compiled when a feature whose prefix it matches, or that reaches it through imports,
    /// is enabled. Empty: no feature gates.
    #[cfg_attr(feature = "cli", arg(long = "feature", value_name = "NAME=PREFIX", value_parser = parse_feature))]
    pub features: Vec<Feature>,

    /// Every fallback (a type emitted as `serde_json::Value` for a reason other than a declared
    /// `any`/`unknown`) and every skipped declaration is an error instead of a warning: for CI
    /// jobs that must notice any loss of fidelity.
    #[cfg_attr(feature = "cli", arg(long))]
    pub deny_fallbacks: bool,

    /// Methods that are hand-written upstream and implemented by hand in the output crate:
    /// `module#method` (`b2c/sessions#authenticateJwt`) to where (`ext::sessions`). The
    /// manifest reports each hand-written method with this, so what is missing shows.
    #[cfg_attr(feature = "cli", arg(skip))]
    pub implemented: std::collections::BTreeMap<String, String>,

    /// Wire field names whose values `Debug` shows as `<redacted>`, beside those the built-in
    /// rule finds (passwords, tokens, secrets, JWTs, codes, private keys: see the README).
    #[cfg_attr(feature = "cli", arg(long = "redact", value_name = "FIELD"))]
    pub redact: Vec<String>,

    /// How the SDK's methods call its API: `stytch` (`request(this.fetchConfig, {...})`) or
    /// `stainless` (`this._client.get(path, {...})`). Unset: detected (the convention whose
    /// calls the package makes most), and the choice is reported in the summary.
    #[cfg_attr(feature = "cli", arg(long, value_name = "NAME"))]
    pub convention: Option<String>,
    /// Cursor pagination (spec: `[options.pagination]`): every operation that fits the rule
    /// also gets a `<method>_stream` method, a `Stream` of every item of every page. `None`:
    /// no streams.
    #[cfg_attr(feature = "cli", arg(skip))]
    pub pagination: Option<PaginationRule>,
    /// Structurally identical enums and structs (same wire values or fields and field types,
    /// same docs but for the owner's name) are emitted once, in this module at the crate root,
    /// under the name their names end with (`Locale`); each keeps its name as a `pub type` alias.
    /// Off by default: merged types are one type only as long as upstream keeps them identical,
    /// so an upgrade that changes one of them turns its alias back into a type of its own.
    #[cfg_attr(feature = "cli", arg(long, value_name = "MODULE"))]
    pub dedup_module: Option<String>,
}

/// How a cursor-paginated operation looks: the request has a string field `cursor`, the
/// response has a string field `next_cursor` (at its top or one object down) and one list of
/// items. The manifest lists every operation found, with the three paths.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PaginationRule {
    /// The request field (wire name) that takes the cursor of the page to fetch.
    pub cursor: String,
    /// The response field (wire name) holding the next page's cursor; absent or empty on the
    /// last page.
    pub next_cursor: String,
    /// The list of items, for responses with several list fields: `module#method` to the
    /// response field's wire name. Without an entry, a response's only list field is taken.
    #[serde(default)]
    pub items: std::collections::BTreeMap<String, String>,
}

/// A product feature: its name and the module paths it covers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Feature {
    pub name: String,
    /// Module path prefixes (`b2b/`, `b2c/fraud`).
    pub modules: Vec<String>,
}

#[cfg(feature = "cli")]
fn parse_feature(s: &str) -> Result<Feature, String> {
    let (name, prefixes) = s.split_once('=').ok_or("expected NAME=PREFIX[,PREFIX...]")?;
    Ok(Feature { name: name.to_string(), modules: prefixes.split(',').map(str::to_string).collect() })
}

impl Default for Options {
    fn default() -> Self {
        Options {
            number: NumberPolicy::default(),
            generate: Generate::default(),
            words: Vec::new(),
            runtime_crate: "npm_sdk_runtime".to_string(),
            hand_written: Vec::new(),
            features: Vec::new(),
            deny_fallbacks: false,
            implemented: Default::default(),
            redact: Vec::new(),
            convention: None,
            pagination: None,
            dedup_module: None,
        }
    }
}

#[cfg(all(test, feature = "cli"))]
mod tests {
    use super::*;
    use clap::Parser as _;

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        options: Options,
    }

    #[test]
    fn redact_is_one_option_for_the_spec_and_the_cli() {
        let from_spec: Options = toml::from_str(r#"redact = ["pin", "magic_word"]"#).unwrap();
        let from_cli = Cli::try_parse_from(["codegen", "--redact", "pin", "--redact", "magic_word"]).unwrap().options;
        assert_eq!(from_spec.redact, ["pin", "magic_word"]);
        assert_eq!(from_cli, from_spec);
        assert!(Options::default().redact.is_empty());
    }
}
