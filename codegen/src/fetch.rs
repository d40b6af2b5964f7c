//! Fetching a pinned package: `npm pack NAME@VERSION` into a temporary folder, the tarball's
//! SHA-512 checked against the pinned integrity string, then unpacked into the cache. A cached
//! copy is reused only when its recorded integrity matches the pin.

use std::path::PathBuf;
use std::process::Command;

use base64::Engine;
use sha2::{Digest, Sha512};

use crate::spec::Spec;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Returns the unpacked package folder (the one holding `package.json`).
pub fn fetch(spec: &Spec) -> Result<PathBuf> {
    let pin = &spec.package;
    let dest = spec.cache_dir().join(format!("{}-{}", pin.name.replace('/', "__"), pin.version));
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
