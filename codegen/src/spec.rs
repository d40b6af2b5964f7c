//! Spec files (`specs/*.toml`): which upstream package to generate from, pinned by version and
//! integrity hash, where the output goes and with which options.

use std::path::{Path, PathBuf};

use crate::{Config, Layout, Options};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub package: Pin,
    #[serde(default)]
    pub output: Output,
    #[serde(default)]
    pub options: Options,
    /// Folder of the spec file: relative paths inside it are relative to this.
    #[serde(skip)]
    pub dir: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    pub name: String,
    pub version: String,
    /// The npm `integrity` string (`sha512-<base64>`).
    pub integrity: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Output {
    /// The crate folder the output goes into (its `src/` is written).
    pub dir: Option<PathBuf>,
    /// A markdown file whose text becomes the crate-level docs.
    pub crate_doc: Option<PathBuf>,
}

impl Spec {
    pub fn load(path: &Path) -> Result<Spec, Box<dyn std::error::Error>> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut spec: Spec = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        spec.dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(spec)
    }

    pub fn output_dir(&self) -> PathBuf {
        normalize(&self.dir.join(self.output.dir.clone().unwrap_or_else(|| PathBuf::from("../generated"))))
    }

    /// The repository's cache folder for fetched packages (`CODEGEN_CACHE_DIR` overrides).
    pub fn cache_dir(&self) -> PathBuf {
        std::env::var_os("CODEGEN_CACHE_DIR").map(PathBuf::from).unwrap_or_else(|| normalize(&self.dir.join("../.cache/npm")))
    }

    pub fn config(&self, package_dir: PathBuf) -> Result<Config, Box<dyn std::error::Error>> {
        let mut config = Config::new(package_dir).options(self.options.clone()).layout(Layout::Crate);
        if let Some(doc) = &self.output.crate_doc {
            let path = self.dir.join(doc);
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            config = config.crate_doc(text);
        }
        Ok(config)
    }
}

/// `specs/../generated` -> `generated`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() { PathBuf::from(".") } else { out }
}
