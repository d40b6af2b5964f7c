//! `codegen upgrade`: moves a spec's pin to another published version and regenerates, then
//! records what changed: the API diff, the crate's next version (semver from the diff) in the
//! output crate's `Cargo.toml`, and an entry in its `CHANGELOG.md`.
//!
//! Nothing is written until the new package is fetched, verified and generated without errors.
//! Files are edited in place keeping their comments and layout (`toml_edit`); the changelog
//! entry carries no date, so the same upgrade always writes the same bytes.

use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Value};

use crate::diag::Diagnostic;
use crate::diff::{self, ApiDiff};
use crate::spec::{Pin, Spec};
use crate::{Generated, WriteReport, fetch, stale};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// What an upgrade did.
#[derive(Debug)]
pub struct Upgrade {
    /// `name@version` before and after.
    pub from: String,
    pub to: String,
    pub diff: ApiDiff,
    /// The output crate's version before and after (`None`: the output has no `Cargo.toml`).
    pub crate_version: Option<(String, String)>,
    pub written: WriteReport,
    /// Options that match nothing in the new version (see [`stale::stale_options`]).
    pub stale: Vec<Diagnostic>,
    pub changelog: Option<PathBuf>,
}

/// Moves the pin of the spec at `spec_path` to `to` (a version or a tag such as `latest`),
/// regenerates its output and records the change. `Ok(None)`: already at that version.
pub fn upgrade(spec_path: &Path, to: &str) -> Result<Option<Upgrade>> {
    let spec = Spec::load(spec_path)?;
    let published = fetch::npm_view(&spec.package.name, to)?;
    if published.version == spec.package.version {
        return Ok(None);
    }
    let new_pin = Pin { name: spec.package.name.clone(), version: published.version, integrity: published.integrity };
    let old = spec.config(fetch::fetch(&spec)?)?.generate()?;
    let new = spec.config(fetch::fetch_pin(&new_pin, &spec.cache_dir())?)?.generate()?;
    let diff = diff::diff(&old, &new);
    let spec_text = std::fs::read_to_string(spec_path)?;
    let stale = stale::stale_options(&new.space, &new.manifest, &spec.options, &spec_path.display().to_string(), Some(&spec_text));

    write_if_changed(spec_path, &rewrite_pin(&spec_text, &new_pin)?)?;
    let out = spec.output_dir();
    let written = new.write(&out)?;
    let crate_version = record_release(&out, &diff, &new)?;
    let changelog = crate_version.as_ref().map(|_| out.join("CHANGELOG.md"));
    Ok(Some(Upgrade { from: old.manifest.package, to: new.manifest.package.clone(), diff, crate_version, written, stale, changelog }))
}

/// The spec's text with `[package] version` and `integrity` set to `pin`'s, everything else
/// (comments, order, spacing, a comment after the value) kept.
pub fn rewrite_pin(spec_text: &str, pin: &Pin) -> Result<String> {
    let mut doc: DocumentMut = spec_text.parse()?;
    let package = doc.get_mut("package").and_then(Item::as_table_like_mut).ok_or("the spec has no [package] table")?;
    for (key, value) in [("version", &pin.version), ("integrity", &pin.integrity)] {
        let item = package.get_mut(key).ok_or_else(|| format!("the spec's [package] has no `{key}`"))?;
        set_keeping_decor(item, value)?;
    }
    Ok(doc.to_string())
}

fn set_keeping_decor(item: &mut Item, text: &str) -> Result<()> {
    let old = item.as_value().ok_or("expected a string value")?;
    let mut new = Value::from(text);
    *new.decor_mut() = old.decor().clone();
    *item = Item::Value(new);
    Ok(())
}

/// Bumps the output crate's version from the diff and prepends a changelog entry. Returns the
/// versions before and after, or `None` when the output folder has no `Cargo.toml`.
fn record_release(out: &Path, diff: &ApiDiff, new: &Generated) -> Result<Option<(String, String)>> {
    let manifest_path = out.join("Cargo.toml");
    let Ok(text) = std::fs::read_to_string(&manifest_path) else { return Ok(None) };
    let (text, before, after) = bump_crate_version(&text, diff)?;
    write_if_changed(&manifest_path, &text)?;
    let changelog_path = out.join("CHANGELOG.md");
    let existing = std::fs::read_to_string(&changelog_path).ok();
    let entry = changelog_entry(&after, &new.manifest.package, diff);
    write_if_changed(&changelog_path, &prepend_entry(existing.as_deref(), &entry))?;
    Ok(Some((before, after)))
}

/// `Cargo.toml` text with `[package] version` moved to [`diff::next_version`]; returns the new
/// text and the versions before and after.
pub fn bump_crate_version(cargo_toml: &str, diff: &ApiDiff) -> Result<(String, String, String)> {
    let mut doc: DocumentMut = cargo_toml.parse()?;
    let item = doc.get_mut("package").and_then(|p| p.get_mut("version")).ok_or("Cargo.toml has no [package] version")?;
    let before = item.as_str().ok_or("[package] version is not a string (workspace-inherited versions are not supported)")?.to_string();
    let after = diff::next_version(&before, diff.worst())?;
    set_keeping_decor(item, &after)?;
    Ok((doc.to_string(), before, after))
}

/// `## 0.2.0 (stytch@13.2.5)` and the diff's Markdown under it, one heading level down.
pub fn changelog_entry(crate_version: &str, upstream: &str, diff: &ApiDiff) -> String {
    let body = diff.markdown();
    let body = body.split_once('\n').map_or("", |(_, rest)| rest).trim();
    format!("## {crate_version} ({upstream})\n\nGenerated from `{upstream}` (was `{}`).\n\n{body}\n", diff.old)
}

const CHANGELOG_TITLE: &str = "# Changelog\n\nAPI changes of each release, written by `codegen upgrade` from `codegen diff`; newest first.\n";

/// The changelog with `entry` first, below the title.
pub fn prepend_entry(existing: Option<&str>, entry: &str) -> String {
    let rest = existing.map(|t| t.strip_prefix(CHANGELOG_TITLE).unwrap_or(t)).unwrap_or_default().trim_start();
    if rest.is_empty() { format!("{CHANGELOG_TITLE}\n{entry}") } else { format!("{CHANGELOG_TITLE}\n{entry}\n{rest}") }
}

/// Writes only when the content differs, so an unchanged file keeps its modification time.
fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// Newer published versions than the spec's pin, oldest first (pre-releases left out).
pub fn newer_versions(spec: &Spec) -> Result<Vec<String>> {
    let current = parse_version(&spec.package.version).ok_or_else(|| format!("pinned version `{}` is not x.y.z", spec.package.version))?;
    let all = fetch::npm_versions(&spec.package.name)?;
    Ok(all.into_iter().filter(|v| !v.contains('-') && parse_version(v).is_some_and(|p| p > current)).collect())
}

fn parse_version(v: &str) -> Option<(u64, u64, u64)> {
    let mut parts = v.split(['-', '+']).next()?.split('.').map(|p| p.parse().ok());
    Some((parts.next()??, parts.next()??, parts.next()??))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewriting_the_pin_keeps_comments_and_layout() {
        let text = "# The pin.\n[package]\nname = \"stytch\"\nversion   = \"14.2.0\"  # moved by codegen upgrade\nintegrity = \"sha512-old\"\n\n[options]\n# ints\nnumber = \"integer\"\n";
        let pin = Pin { name: "stytch".into(), version: "13.2.5".into(), integrity: "sha512-new".into() };
        let out = rewrite_pin(text, &pin).unwrap();
        assert_eq!(out, text.replace("14.2.0", "13.2.5").replace("sha512-old", "sha512-new"));
    }

    #[test]
    fn changelog_entries_go_newest_first_below_the_title() {
        let first = prepend_entry(None, "## 0.2.0 (p@2)\n\nA\n");
        assert!(first.starts_with(CHANGELOG_TITLE), "{first}");
        let second = prepend_entry(Some(&first), "## 0.3.0 (p@3)\n\nB\n");
        assert_eq!(second, format!("{CHANGELOG_TITLE}\n## 0.3.0 (p@3)\n\nB\n\n## 0.2.0 (p@2)\n\nA\n"));
    }

    #[test]
    fn versions_compare_numerically() {
        assert!(parse_version("14.10.0") > parse_version("14.9.3"));
        assert_eq!(parse_version("1.2"), None);
        assert_eq!(parse_version("2.0.0-beta.1"), Some((2, 0, 0)));
    }
}
