//! The two sides of `codegen diff`: each a package folder, a spec file (its pinned package,
//! fetched and verified) or `NAME@VERSION` (fetched through the same integrity-checked cache,
//! with the integrity npm reports). Both sides are generated with one set of options.

use std::path::{Path, PathBuf};

use crate::diff::ApiDiff;
use crate::fetch;
use crate::spec::{Pin, Spec};
use crate::{Config, Generated, Layout, Options};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// One side of a diff.
#[derive(Debug)]
pub enum Source {
    /// An unpacked npm package folder (holding `package.json`).
    Folder(PathBuf),
    /// A spec file: its pinned package and its options.
    Spec(Box<Spec>),
    /// A published version, `NAME@VERSION` (`stytch@13.2.5`, `@scope/name@1.0.0`, `stytch@latest`).
    Published { name: String, version: String },
}

impl Source {
    /// A folder, a `.toml` spec file, or `NAME@VERSION`, in that order.
    pub fn parse(arg: &str) -> Result<Source> {
        let path = Path::new(arg);
        if path.is_dir() {
            return Ok(Source::Folder(path.to_path_buf()));
        }
        if path.is_file() {
            return Ok(Source::Spec(Box::new(Spec::load(path)?)));
        }
        // The `@` of a scoped name (`@scope/name`) is not the version separator.
        match arg.rfind('@').filter(|&at| at > 0) {
            Some(at) => Ok(Source::Published { name: arg[..at].to_string(), version: arg[at + 1..].to_string() }),
            None => Err(format!("`{arg}` is neither a package folder, a spec file nor NAME@VERSION").into()),
        }
    }

    pub fn spec(&self) -> Option<&Spec> {
        match self {
            Source::Spec(spec) => Some(spec),
            _ => None,
        }
    }

    /// The package folder, fetched into `cache` when it is not one already.
    pub fn package_dir(&self, cache: &Path) -> Result<PathBuf> {
        match self {
            Source::Folder(dir) => Ok(dir.clone()),
            Source::Spec(spec) => fetch::fetch(spec),
            Source::Published { name, version } => {
                let published = fetch::npm_view(name, version)?;
                let pin = Pin { name: name.clone(), version: published.version, integrity: published.integrity };
                fetch::fetch_pin(&pin, cache)
            }
        }
    }
}

/// Both sides generated with the options of `options_from`, else of the new side's spec, else
/// of the old side's, else the defaults; then diffed.
pub fn diff_sources(old: &Source, new: &Source, options_from: Option<&Spec>) -> Result<(ApiDiff, Generated, Generated)> {
    let spec = options_from.or(new.spec()).or(old.spec());
    let mut options = spec.map(|s| s.options.clone()).unwrap_or_default();
    // The diff compares the shapes upstream declares: with types merged by shape, a type that
    // gains a value would show as moving from one shared type to another (see the README).
    options.dedup_module = None;
    let cache = spec.map(Spec::cache_dir).unwrap_or_else(default_cache);
    let old = generate(&old.package_dir(&cache)?, &options)?;
    let new = generate(&new.package_dir(&cache)?, &options)?;
    Ok((super::diff(&old, &new), old, new))
}

/// `CODEGEN_CACHE_DIR`, else `.cache/npm` in the current folder.
fn default_cache() -> PathBuf {
    std::env::var_os("CODEGEN_CACHE_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(".cache/npm"))
}

fn generate(package: &Path, options: &Options) -> Result<Generated> {
    Ok(Config::new(package).options(options.clone()).layout(Layout::SingleFile("api.rs".into())).generate()?)
}
