//! Where a package's declarations start, found as TypeScript and Node find it: the `exports` map
//! (conditions `types`, `import`, `require`, `default`, nested), then `typesVersions`, then
//! `types`/`typings`, then `main` with its declaration sibling, then `index.d.ts`. And which
//! file flavours hold declarations and JS (`.d.ts`/`.d.mts`/`.d.cts`, `.js`/`.mjs`/`.cjs`).

use serde::Deserialize;
use serde::de::{MapAccess, SeqAccess, Visitor};

/// Declaration file suffixes, in the order a module path prefers them when several exist.
pub(crate) const DTS_SUFFIXES: [&str; 3] = [".d.ts", ".d.mts", ".d.cts"];
/// Compiled JS suffixes, same order.
pub(crate) const JS_SUFFIXES: [&str; 3] = [".js", ".mjs", ".cjs"];

/// The conditions an ES-module TypeScript consumer matches (`moduleResolution: bundler`), in
/// the order they are tried when an `exports` object lists several; CommonJS's `require` is
/// the fallback when nothing else matches.
const CONDITIONS: [&str; 4] = ["types", "import", "default", "require"];

/// A JSON value whose objects keep their keys in document order: in `exports`, the first
/// matching condition wins, so order is meaning (`serde_json::Value` sorts keys).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ordered {
    Str(String),
    List(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
    Other,
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OrderedVisitor)
    }
}

struct OrderedVisitor;

impl<'de> Visitor<'de> for OrderedVisitor {
    type Value = Ordered;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<Ordered, E> {
        Ok(Ordered::Str(v.to_string()))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Ordered, E> {
        Ok(Ordered::Other)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Ordered, E> {
        Ok(Ordered::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Ordered, E> {
        Ok(Ordered::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Ordered, E> {
        Ok(Ordered::Other)
    }
    fn visit_unit<E>(self) -> Result<Ordered, E> {
        Ok(Ordered::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(Ordered::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
        let mut out = Vec::new();
        while let Some((k, v)) = map.next_entry()? {
            out.push((k, v));
        }
        Ok(Ordered::Object(out))
    }
}

/// The fields of `package.json` that locate declarations, keys in document order.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct EntryFields {
    types: Option<String>,
    typings: Option<String>,
    main: Option<String>,
    exports: Option<Ordered>,
    #[serde(rename = "typesVersions")]
    types_versions: Option<Ordered>,
}

impl EntryFields {
    /// Reads the fields from `package.json`'s text; fields of another shape are ignored.
    pub(crate) fn parse(text: &str) -> EntryFields {
        serde_json::from_str(text).unwrap_or_default()
    }

    /// The declarations' entry point relative to the root (`dist/index.d.mts`): the first
    /// candidate for which `exists`, else the declared `types`/`typings`, else `index.d.ts`.
    pub(crate) fn types_entry(&self, exists: &dyn Fn(&str) -> bool) -> String {
        let from_exports = self.exports.as_ref().and_then(|e| root_export(e)).and_then(|e| resolve_target(e, exists));
        let declared = self.types.clone().or_else(|| self.typings.clone()).map(|t| normalize(&t));
        let from_versions = self
            .types_versions
            .as_ref()
            .and_then(|v| types_versions(v, declared.as_deref().unwrap_or("index.d.ts"), exists));
        let from_main = self.main.as_deref().map(normalize).and_then(|m| declaration_of(&m, exists));
        let found = [from_exports, from_versions, declared.clone(), from_main].into_iter().flatten().find(|c| exists(c));
        // Nothing found: the declared entry, whose absence the caller reports (or falls back
        // from with a warning), else TypeScript's default.
        found.or(declared).unwrap_or_else(|| "index.d.ts".to_string())
    }

    /// The suffix of `main` (`.cjs`), which JS flavour the package runs by default.
    pub(crate) fn main_suffix(&self) -> Option<&'static str> {
        let main = self.main.as_deref()?;
        JS_SUFFIXES.into_iter().find(|s| main.ends_with(s))
    }
}

/// The value of the root subpath `.` of an `exports` field: a string, a list, a conditions
/// object, or an object of subpaths whose `.` entry is it.
fn root_export(exports: &Ordered) -> Option<&Ordered> {
    match exports {
        Ordered::Object(entries) if entries.iter().any(|(k, _)| k.starts_with('.')) => {
            entries.iter().find(|(k, _)| k == ".").map(|(_, v)| v)
        }
        other => Some(other),
    }
}

/// Follows conditions to a declaration file: `types` targets directly, JS targets through their
/// declaration sibling (`index.mjs` -> `index.d.mts`). The first condition that leads to an
/// existing file wins, trying [`CONDITIONS`] in order.
fn resolve_target(target: &Ordered, exists: &dyn Fn(&str) -> bool) -> Option<String> {
    match target {
        Ordered::Str(s) => declaration_of(&normalize(s), exists),
        Ordered::List(items) => items.iter().find_map(|i| resolve_target(i, exists)),
        Ordered::Object(entries) => CONDITIONS.iter().find_map(|c| {
            entries.iter().filter(|(k, _)| k == c).find_map(|(_, v)| resolve_target(v, exists))
        }),
        Ordered::Other => None,
    }
}

/// The declaration file for a path: itself when it is one, else the sibling of a JS file
/// (`a.js` -> `a.d.ts`, `a.mjs` -> `a.d.mts`, `a.cjs` -> `a.d.cts`), if it exists.
fn declaration_of(path: &str, exists: &dyn Fn(&str) -> bool) -> Option<String> {
    if DTS_SUFFIXES.iter().any(|s| path.ends_with(s)) {
        return exists(path).then(|| path.to_string());
    }
    let (stem, dts) = JS_SUFFIXES.iter().zip(DTS_SUFFIXES).find_map(|(js, dts)| Some((path.strip_suffix(js)?, dts)))?;
    let candidate = format!("{stem}{dts}");
    exists(&candidate).then_some(candidate)
}

/// `typesVersions`: the first version range's path map applied to `entry`. A key is an exact
/// path or a pattern with one `*`; the first target of it that exists wins.
fn types_versions(versions: &Ordered, entry: &str, exists: &dyn Fn(&str) -> bool) -> Option<String> {
    let Ordered::Object(ranges) = versions else { return None };
    let Ordered::Object(paths) = &ranges.first()?.1 else { return None };
    paths.iter().find_map(|(pattern, targets)| {
        let star = match_pattern(pattern, entry)?;
        let targets: Vec<&str> = match targets {
            Ordered::List(items) => items.iter().filter_map(|t| if let Ordered::Str(s) = t { Some(s.as_str()) } else { None }).collect(),
            Ordered::Str(s) => vec![s.as_str()],
            _ => vec![],
        };
        targets.into_iter().map(|t| normalize(&t.replacen('*', star, 1))).find_map(|t| {
            declaration_of(&t, exists).or_else(|| exists(&format!("{t}.d.ts")).then(|| format!("{t}.d.ts")))
        })
    })
}

/// What `*` stands for when `pattern` matches `path` (`""` for an exact match).
fn match_pattern<'p>(pattern: &str, path: &'p str) -> Option<&'p str> {
    let pattern = normalize(pattern);
    match pattern.split_once('*') {
        None => (pattern == path).then_some(""),
        Some((pre, post)) => path.strip_prefix(pre)?.strip_suffix(post),
    }
}

pub(crate) fn normalize(p: &str) -> String {
    p.trim_start_matches("./").to_string()
}

/// The path without its declaration or JS suffix (`a/b.d.mts` -> `a/b`), with the suffix.
pub(crate) fn split_suffix<'p>(path: &'p str, suffixes: &[&'static str]) -> Option<(&'p str, &'static str)> {
    suffixes.iter().find_map(|s| Some((path.strip_suffix(s)?, *s)))
}

/// Of several files of one module (`index.d.mts`, `index.d.cts`), the one to read: the
/// preferred suffix first, then the order of `suffixes`. Deterministic whatever the listing order.
pub(crate) fn rank(suffix: &str, preferred: Option<&str>, suffixes: &[&'static str]) -> usize {
    if Some(suffix) == preferred {
        return 0;
    }
    1 + suffixes.iter().position(|s| *s == suffix).unwrap_or(suffixes.len())
}

/// Keeps one file per module path (`index.d.mts` and `index.d.cts` are one module), chosen by
/// [`rank`]; the result stays sorted by path.
pub(crate) fn one_per_module(files: Vec<super::SourceFile>, suffixes: &[&'static str], preferred: Option<&str>) -> Vec<super::SourceFile> {
    let mut best: std::collections::BTreeMap<String, super::SourceFile> = std::collections::BTreeMap::new();
    for f in files {
        let Some((stem, suffix)) = split_suffix(&f.path, suffixes) else { continue };
        let better = match best.get(stem) {
            Some(kept) => {
                let kept_suffix = split_suffix(&kept.path, suffixes).map_or("", |(_, s)| s);
                rank(suffix, preferred, suffixes) < rank(kept_suffix, preferred, suffixes)
            }
            None => true,
        };
        if better {
            best.insert(stem.to_string(), f);
        }
    }
    let mut out: Vec<super::SourceFile> = best.into_values().collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(json: &str, files: &[&str]) -> String {
        let fields = EntryFields::parse(json);
        let dir = std::env::temp_dir().join(format!("codegen-entry-{}-{}", std::process::id(), files.join("+").replace('/', "_")));
        let _ = std::fs::remove_dir_all(&dir);
        for f in files {
            let p = dir.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        let out = fields.types_entry(&|p: &str| dir.join(p).is_file());
        let _ = std::fs::remove_dir_all(&dir);
        out
    }

    #[test]
    fn exports_conditions_are_followed_in_order_and_nested() {
        // resend@6.38.0: nested `import`/`require` conditions, `.d.mts`/`.d.cts` only.
        let resend = r#"{"main":"./dist/index.cjs","types":"./dist/index.d.mts","exports":{".":{
            "import":{"types":"./dist/index.d.mts","default":"./dist/index.mjs"},
            "require":{"types":"./dist/index.d.cts","default":"./dist/index.cjs"}}}}"#;
        assert_eq!(entry(resend, &["dist/index.d.mts", "dist/index.d.cts"]), "dist/index.d.mts");
        // openai@6.49.0: `require` first in the object, but an ES consumer takes `types`.
        let openai = r#"{"main":"./index.js","types":"./index.d.ts","exports":{".":{
            "require":{"types":"./index.d.ts","default":"./index.js"},"types":"./index.d.mts","default":"./index.mjs"}}}"#;
        assert_eq!(entry(openai, &["index.d.ts", "index.d.mts"]), "index.d.mts");
        // Only a JS target: its declaration sibling.
        let js_only = r#"{"exports":{"import":"./lib/main.mjs"}}"#;
        assert_eq!(entry(js_only, &["lib/main.d.mts"]), "lib/main.d.mts");
        // Only `require` leads anywhere.
        let cjs = r#"{"exports":{".":{"require":"./c/index.cjs"}}}"#;
        assert_eq!(entry(cjs, &["c/index.d.cts"]), "c/index.d.cts");
    }

    #[test]
    fn types_versions_types_main_and_default_in_turn() {
        let versions = r#"{"types":"index.d.ts","typesVersions":{">=4.2":{"*":["ts4.2/*"]}}}"#;
        assert_eq!(entry(versions, &["ts4.2/index.d.ts", "index.d.ts"]), "ts4.2/index.d.ts");
        assert_eq!(entry(r#"{"typings":"./t/x.d.ts"}"#, &["t/x.d.ts"]), "t/x.d.ts");
        assert_eq!(entry(r#"{"main":"./lib/x.cjs"}"#, &["lib/x.d.cts"]), "lib/x.d.cts");
        assert_eq!(entry(r#"{}"#, &["index.d.ts"]), "index.d.ts");
        // Nothing exists: the declared entry, for the caller to report.
        assert_eq!(entry(r#"{"types":"./gone.d.ts"}"#, &["other.d.ts"]), "gone.d.ts");
    }

    #[test]
    fn one_file_per_module_preferring_the_entry_flavour() {
        let mut files = vec![".d.cts", ".d.mts", ".d.ts"];
        files.sort_by_key(|s| rank(s, Some(".d.mts"), &DTS_SUFFIXES));
        assert_eq!(files, [".d.mts", ".d.ts", ".d.cts"]);
        files.sort_by_key(|s| rank(s, None, &DTS_SUFFIXES));
        assert_eq!(files, [".d.ts", ".d.mts", ".d.cts"]);
        assert_eq!(split_suffix("a/b.d.mts", &DTS_SUFFIXES), Some(("a/b", ".d.mts")));
        assert_eq!(split_suffix("a/b.mts", &DTS_SUFFIXES), None);
        let file = |p: &str| super::super::SourceFile { path: p.to_string(), text: String::new() };
        let kept = one_per_module(vec![file("a.d.cts"), file("a.d.mts"), file("b.d.cts"), file("c.d.ts")], &DTS_SUFFIXES, Some(".d.mts"));
        let paths: Vec<&str> = kept.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a.d.mts", "b.d.cts", "c.d.ts"]);
    }
}
