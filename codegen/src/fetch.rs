//! Fetching a pinned package: `npm pack NAME@VERSION` into a temporary folder, the tarball's
//! SHA-512 checked against the pinned integrity string, then unpacked into the cache. A cached
//! copy is reused only when its recorded integrity matches the pin.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use sha2::{Digest, Sha512};

use crate::spec::{Pin, Spec};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Returns the unpacked package folder (the one holding `package.json`).
pub fn fetch(spec: &Spec) -> Result<PathBuf> {
    fetch_pin(&spec.package, &spec.cache_dir())
}

/// Fetches `pin` into the cache folder `cache`; returns the unpacked package folder.
pub fn fetch_pin(pin: &Pin, cache: &Path) -> Result<PathBuf> {
    let dest = cache.join(format!("{}-{}", pin.name.replace('/', "__"), pin.version));
    let marker = dest.join(".integrity");
    if std::fs::read_to_string(&marker).is_ok_and(|m| m.trim() == pin.integrity) {
        return Ok(dest.join("package"));
    }
    let tmp = dest.with_extension("tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    let spec_arg = format!("{}@{}", pin.name, pin.version);
    eprintln!("fetching {spec_arg} with npm pack");
    let output = Command::new("npm")
        .args(["pack", &spec_arg, "--silent", "--pack-destination"])
        .arg(&tmp)
        .output()
        .map_err(|e| format!("cannot run npm: {e} (is Node.js installed?)"))?;
    if !output.status.success() {
        return Err(format!("npm pack {spec_arg} failed: {}", String::from_utf8_lossy(&output.stderr)).into());
    }
    let tarball = std::fs::read_dir(&tmp)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "tgz"))
        .ok_or("npm pack produced no tarball")?;
    let bytes = std::fs::read(&tarball)?;
    let actual = format!("sha512-{}", base64::engine::general_purpose::STANDARD.encode(Sha512::digest(&bytes)));
    if actual != pin.integrity {
        return Err(format!("integrity mismatch for {spec_arg}: pinned {}, got {actual}", pin.integrity).into());
    }
    tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice())).unpack(&tmp)?;
    std::fs::remove_file(&tarball)?;
    std::fs::write(tmp.join(".integrity"), &pin.integrity)?;
    let _ = std::fs::remove_dir_all(&dest);
    std::fs::rename(&tmp, &dest)?;
    Ok(dest.join("package"))
}

/// A published version of a package and its npm integrity string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub version: String,
    pub integrity: String,
}

/// Looks up one published version (`14.2.0`, or a tag such as `latest`) with `npm view`.
pub fn npm_view(name: &str, version: &str) -> Result<Published> {
    let arg = format!("{name}@{version}");
    let value = npm_json(&["view", &arg, "version", "dist.integrity", "--json"])?;
    let field = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_string);
    match (field("version"), field("dist.integrity")) {
        (Some(version), Some(integrity)) => Ok(Published { version, integrity }),
        _ if value.is_array() => Err(format!("`{arg}` matches several versions: give an exact version").into()),
        _ => Err(format!("npm knows no version `{arg}`").into()),
    }
}

/// Every published version of a package, oldest first, as npm lists them.
pub fn npm_versions(name: &str) -> Result<Vec<String>> {
    let value = npm_json(&["view", name, "versions", "--json"])?;
    match value {
        serde_json::Value::Array(items) => Ok(items.into_iter().filter_map(|v| v.as_str().map(str::to_string)).collect()),
        serde_json::Value::String(one) => Ok(vec![one]),
        other => Err(format!("unexpected answer from `npm view {name} versions`: {other}").into()),
    }
}

fn npm_json(args: &[&str]) -> Result<serde_json::Value> {
    let output = Command::new("npm").args(args).output().map_err(|e| format!("cannot run npm: {e} (is Node.js installed?)"))?;
    let command = format!("npm {}", args.join(" "));
    if !output.status.success() {
        return Err(format!("`{command}` failed: {}", String::from_utf8_lossy(&output.stderr).trim()).into());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    if text.trim().is_empty() {
        return Err(format!("`{command}`: npm knows no such version").into());
    }
    serde_json::from_str(&text).map_err(|e| format!("`{command}`: not JSON ({e})").into())
}
