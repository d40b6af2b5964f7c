//! The mutation operators and their deterministic random source.
//!
//! Every operator works on one file's bytes and returns a short description of what it did, so a
//! failing run can be read without re-running it. Positions are byte offsets, so a mutation may
//! cut a multi-byte character in two: invalid UTF-8 is hostile input like any other.

/// xorshift64* seeded through splitmix64: tiny, fast, and the same sequence on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A length skewed towards short ranges: 1 to about 2,000 bytes.
    fn range_len(&mut self) -> usize {
        let scale = 1 << self.below(11);
        scale + self.below(scale)
    }
}

/// What kind of file is mutated: operators that insert code use that language's tokens.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dts,
    Js,
    PackageJson,
}

/// Applies one random operator to `text`; returns its description.
pub fn mutate(text: &mut Vec<u8>, kind: Kind, rng: &mut Rng) -> String {
    match rng.below(12) {
        0 | 1 => delete_range(text, rng),
        2 => duplicate_range(text, rng),
        3 => swap_ranges(text, rng),
        4 | 5 => insert_token(text, kind, rng),
        6 => flip_byte(text, rng),
        7 => truncate(text, rng),
        8 => insert_nesting(text, kind, rng),
        9 => insert_odd_characters(text, rng),
        10 if kind == Kind::PackageJson => replace_json_field(text, rng),
        10 => rename_to_prelude_name(text, kind, rng),
        _ if kind == Kind::Dts => append_declarations(text, rng),
        _ => insert_token(text, kind, rng),
    }
}

fn range(text: &[u8], rng: &mut Rng) -> (usize, usize) {
    let at = rng.below(text.len());
    let len = rng.range_len().min(text.len() - at);
    (at, len)
}

fn delete_range(text: &mut Vec<u8>, rng: &mut Rng) -> String {
    let (at, len) = range(text, rng);
    text.drain(at..at + len);
    format!("delete {len} bytes at {at}")
}

fn duplicate_range(text: &mut Vec<u8>, rng: &mut Rng) -> String {
    let (at, len) = range(text, rng);
    let copy = text[at..at + len].to_vec();
    let to = rng.below(text.len() + 1);
    text.splice(to..to, copy);
    format!("copy {len} bytes from {at} to {to}")
}

fn swap_ranges(text: &mut [u8], rng: &mut Rng) -> String {
    let (a, len) = range(text, rng);
    let (b, other) = range(text, rng);
    let len = len.min(other);
    let (first, second) = (a.min(b), a.max(b));
    if first + len > second {
        return format!("swap {len} bytes at {a} and {b}: overlapping, no change");
    }
    let (head, tail) = text.split_at_mut(second);
    head[first..first + len].swap_with_slice(&mut tail[..len]);
    format!("swap {len} bytes at {first} and {second}")
}

const PUNCTUATION: &[&str] = &[
    "{", "}", "(", ")", "[", "]", "<", ">", ";", ",", ":", "?", "|", "&", "=", "=>", ".", "...", "/*", "*/", "//", "\"", "'", "`", "${",
    "@", "#", "\\", "/**", "\n",
];
const TS_WORDS: &[&str] = &[
    "interface",
    "type",
    "export",
    "import",
    "declare",
    "class",
    "extends",
    "implements",
    "namespace",
    "module",
    "enum",
    "const",
    "readonly",
    "keyof",
    "typeof",
    "infer",
    "unique symbol",
    "abstract",
    "static",
    "private",
    "get",
    "set",
    "new",
    "default",
    "export *",
    "export default",
    "as",
    "from",
    "is",
    "asserts",
    "never",
    "unknown",
    "any",
    "object",
    "string",
    "number",
    "bigint",
    "boolean",
    "null",
    "undefined",
    "void",
    "this",
    "Promise<",
    "Array<",
    "Record<string, ",
    "Partial<",
    "Omit<",
    "Pick<",
    "Date",
    "\"a\" | \"b\"",
    "-1e309",
    "0x",
    "`${string}`",
];
const JS_WORDS: &[&str] = &[
    "function",
    "return",
    "class",
    "extends",
    "this",
    "new",
    "async",
    "await",
    "const",
    "let",
    "var",
    "if",
    "else",
    "for",
    "while",
    "switch",
    "case",
    "yield",
    "delete",
    "void",
    "typeof",
    "instanceof",
    "in",
    "of",
    "exports",
    "module.exports",
    "require(\"./x\")",
    "Object.defineProperty",
    "_classCallCheck",
    "this.fetchConfig",
    "request(",
    "method: \"POST\"",
    "url: ",
    "data: ",
    "params: ",
    "headers: ",
    "\"use strict\"",
    "null",
    "undefined",
    "0",
    "1e309",
    "\"\"",
    "/re/g",
    "`${x}`",
];
const JSON_WORDS: &[&str] = &["{", "}", "[", "]", ":", ",", "\"", "null", "true", "0", "-", "1e999", "\\u0000", "\\", "\"\": \"\""];

fn insert_token(text: &mut Vec<u8>, kind: Kind, rng: &mut Rng) -> String {
    let words = match kind {
        Kind::Dts if rng.below(2) == 0 => TS_WORDS,
        Kind::Js if rng.below(2) == 0 => JS_WORDS,
        Kind::PackageJson => JSON_WORDS,
        _ => PUNCTUATION,
    };
    let word = *rng.pick(words);
    let at = rng.below(text.len() + 1);
    text.splice(at..at, format!(" {word} ").into_bytes());
    format!("insert {word:?} at {at}")
}

fn flip_byte(text: &mut [u8], rng: &mut Rng) -> String {
    if text.is_empty() {
        return "flip: empty file, no change".into();
    }
    let at = rng.below(text.len());
    let old = text[at];
    // Mostly another printable character; one time in eight a raw bit flip (may break UTF-8).
    text[at] = if rng.below(8) == 0 { old ^ (1 << rng.below(8)) } else { b' ' + rng.below(95) as u8 };
    format!("flip byte {at}: {old:#04x} -> {:#04x}", text[at])
}

fn truncate(text: &mut Vec<u8>, rng: &mut Rng) -> String {
    let at = rng.below(text.len() + 1);
    text.truncate(at);
    format!("truncate at {at}")
}

/// The deepest nesting inserted: deep enough to exercise every recursive stage, well within what
/// the generator promises to handle (its depth limits are far above anything a real SDK has).
pub const MAX_NESTING: usize = 200;

/// Wraps a type (in `.d.ts`) or an expression (in JS, JSON) in up to [`MAX_NESTING`] levels.
fn insert_nesting(text: &mut Vec<u8>, kind: Kind, rng: &mut Rng) -> String {
    let depth = 1 + rng.below(MAX_NESTING);
    let (open, core, close) = match kind {
        Kind::Dts => *rng.pick(&[
            ("Array<", "string", ">"),
            ("{ a: ", "string", " }"),
            ("(", "string", ")[]"),
            ("Partial<{ b?: ", "number", " }>"),
            ("Record<string, ", "boolean", ">"),
            ("Promise<", "string", "> | null"),
        ]),
        Kind::Js => *rng.pick(&[("[", "0", "]"), ("{ a: ", "0", " }"), ("f(", "0", ")"), ("(function () { return ", "0", "; })()")]),
        Kind::PackageJson => *rng.pick(&[("[", "0", "]"), ("{\"a\": ", "0", "}")]),
    };
    let nested = format!("{}{core}{}", open.repeat(depth), close.repeat(depth));
    let at = match kind {
        Kind::Dts => type_position(text, rng),
        _ => None,
    };
    match at {
        Some((start, end)) => {
            text.splice(start..end, nested.into_bytes());
            format!("replace the type at {start} with {depth} levels of {open}...{close}")
        }
        None => {
            let at = rng.below(text.len() + 1);
            text.splice(at..at, nested.into_bytes());
            format!("insert {depth} levels of {open}...{close} at {at}")
        }
    }
}

/// The byte range of a primitive field type (`: string`), so nesting lands where a type goes.
fn type_position(text: &[u8], rng: &mut Rng) -> Option<(usize, usize)> {
    let primitives: &[&[u8]] = &[b": string", b": number", b": boolean"];
    let found: Vec<(usize, usize)> =
        (0..text.len()).filter_map(|i| primitives.iter().find(|p| text[i..].starts_with(p)).map(|p| (i + 2, i + p.len()))).collect();
    (!found.is_empty()).then(|| *rng.pick(&found))
}

const ODD_CHARACTERS: &[&str] = &[
    "é",
    "ß",
    "日本",
    "😀",
    "\u{202E}",
    "\u{200B}",
    "\u{FEFF}",
    "\u{2028}",
    "\u{0}",
    "\u{7}",
    "\u{7F}",
    "\r",
    "\t",
    "\u{C}",
    "\u{1B}[31m",
    "\r\n",
    "\u{85}",
    "\u{FFFD}",
];

fn insert_odd_characters(text: &mut Vec<u8>, rng: &mut Rng) -> String {
    let chars = *rng.pick(ODD_CHARACTERS);
    let at = rng.below(text.len() + 1);
    text.splice(at..at, chars.bytes());
    format!("insert {chars:?} at {at}")
}

/// Names that a generator emitting unqualified standard paths would shadow, and Rust keywords.
const PRELUDE_NAMES: &[&str] = &[
    "String", "Vec", "Option", "Box", "Result", "Default", "Some", "None", "Ok", "Err", "Self", "self", "crate", "super", "std", "core",
    "serde", "Value", "BTreeMap", "Clone", "Debug", "fn", "mod", "async", "r#type", "Send", "Sync", "Sized", "_",
];

/// Renames one declared name (a type, class, function or variable) everywhere in the file.
fn rename_to_prelude_name(text: &mut Vec<u8>, kind: Kind, rng: &mut Rng) -> String {
    let owned = String::from_utf8_lossy(text).into_owned();
    let source = owned.as_str();
    let keywords: &[&str] = match kind {
        Kind::Dts => &["interface ", "type ", "class ", "enum ", "namespace "],
        _ => &["class ", "function ", "var ", "const ", "let "],
    };
    let declared: Vec<&str> = keywords
        .iter()
        .flat_map(|kw| {
            source.match_indices(kw).filter(|(i, _)| !source[..*i].ends_with(is_word)).map(move |(i, _)| &source[i + kw.len()..])
        })
        .map(|rest| &rest[..rest.find(|c: char| !is_word(c)).unwrap_or(rest.len())])
        .filter(|name| !name.is_empty())
        .collect();
    if declared.is_empty() {
        return insert_odd_characters(text, rng);
    }
    let from = *rng.pick(&declared);
    let to = *rng.pick(PRELUDE_NAMES);
    *text = replace_word(source, from, to).into_bytes();
    format!("rename `{from}` to `{to}`")
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

fn replace_word(source: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(i) = rest.find(from) {
        // The character before the match: in the unmatched text, or the end of what is written.
        let before = rest[..i].chars().next_back().or_else(|| out.chars().next_back());
        let after = rest[i + from.len()..].chars().next();
        out.push_str(&rest[..i]);
        let whole = !before.is_some_and(is_word) && !after.is_some_and(is_word);
        out.push_str(if whole { to } else { from });
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    out
}

/// Declarations that stress resolution: alias chains and cycles, self-reference, duplicates,
/// prelude names, re-exports of missing modules.
fn append_declarations(text: &mut Vec<u8>, rng: &mut Rng) -> String {
    let snippet = match rng.below(8) {
        0 => {
            let len = 1 + rng.below(MAX_NESTING);
            let chain: String = (1..len).map(|i| format!("type MutA{i} = MutA{};\n", i - 1)).collect();
            format!("export type MutA0 = string;\n{chain}export interface MutUsesChain {{ x: MutA{}; }}\n", len - 1)
        }
        1 => "export type MutCycleA = MutCycleB;\nexport type MutCycleB = MutCycleA;\n".into(),
        2 => "export type MutSelf = MutSelf[];\nexport interface MutHolder { s: MutSelf; }\n".into(),
        3 => "export interface MutTree { children: MutTree[]; parent?: MutTree; self: MutTree; }\n".into(),
        4 => format!("export interface {} {{ value: string; }}\n", rng.pick(PRELUDE_NAMES)),
        5 => "export interface MutDup { a: string; }\nexport interface MutDup { a: number; b: MutDup; }\n".into(),
        6 => "export * from \"./does-not-exist\";\nexport { Gone as Here } from \"../../../outside\";\n".into(),
        _ => "export enum MutEnum { A = \"a\", B = \"a\", C = 1, D = -1e309, \"e f\" = \"\\u0000\" }\n".into(),
    };
    let description = format!("append {:?}", snippet.lines().next().unwrap_or_default());
    text.extend_from_slice(snippet.as_bytes());
    description
}

/// The package.json fields the generator reads, set to odd values.
fn replace_json_field(text: &mut Vec<u8>, rng: &mut Rng) -> String {
    let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(text) else {
        return insert_token(text, Kind::PackageJson, rng);
    };
    let field = *rng.pick(&["name", "version", "types", "typings", "main"]);
    let long = "x".repeat(10_000);
    let value: serde_json::Value = match rng.below(10) {
        0 => "".into(),
        1 => "evil\npub fn injected() {}\n//".into(),
        2 => "types/lib".into(),
        3 => "./types/lib/b2b/index.d.ts".into(),
        4 => "./dist/b2b/index.js".into(),
        5 => "types/lib/index.d.ts\u{0}".into(),
        6 => long.into(),
        7 => serde_json::Value::Null,
        8 => serde_json::json!(["types/lib/index.d.ts"]),
        _ => "./does/not/exist.d.ts".into(),
    };
    let shown = value.to_string().chars().take(40).collect::<String>();
    json[field] = value;
    *text = serde_json::to_vec_pretty(&json).expect("a JSON value serializes");
    format!("set package.json `{field}` to {shown}")
}
