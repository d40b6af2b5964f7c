//! Options that name parts of the API which no longer exist: after an upgrade, an
//! `[options.implemented]` entry whose method is gone (or is now generated), or a feature whose
//! module prefix matches no module, would otherwise go unnoticed.

use crate::diag::{Diagnostic, Loc};
use crate::ir::space::Space;
use crate::manifest::Manifest;
use crate::options::Options;

/// A warning for every `implemented` entry that matches no hand-written method and every
/// feature prefix that matches no module. `origin` names where the options come from (a spec
/// file); with its text, each warning points at the line that holds the stale entry.
pub fn stale_options(space: &Space, manifest: &Manifest, options: &Options, origin: &str, text: Option<&str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for key in options.implemented.keys() {
        let (module, method) = key.split_once('#').unwrap_or((key.as_str(), ""));
        if manifest.hand_written.iter().any(|h| h.module == module && h.method == method) {
            continue;
        }
        let generated = manifest.operations.iter().find(|o| o.module == module && o.method == method);
        let why = match generated {
            Some(op) => format!("it is now generated as `{}.{}`: remove the entry and its hand-written code", op.client_path, op.rust_method),
            None => format!("{} has no such method: remove the entry, or fix its name", manifest.package),
        };
        out.push(warning(origin, text, &format!("\"{key}\""), format!("`[options.implemented]` entry `{key}` matches no hand-written method: {why}")));
    }
    for feature in &options.features {
        for prefix in feature.modules.iter().filter(|p| !space.modules.keys().any(|m| m.starts_with(p.as_str()))) {
            let message = format!("feature `{}`: module prefix `{prefix}` matches no module of {}", feature.name, manifest.package);
            out.push(warning(origin, text, &format!("\"{prefix}\""), message));
        }
    }
    out
}

/// A warning at the first line of `text` that contains `needle` (line 0 when unknown).
fn warning(origin: &str, text: Option<&str>, needle: &str, message: String) -> Diagnostic {
    let found = text.and_then(|t| t.lines().enumerate().find(|(_, l)| l.contains(needle)));
    let (line, col, source) = match found {
        Some((i, l)) => (i as u32 + 1, l.find(needle).unwrap_or(0) as u32 + 1, Some(l.to_string())),
        None => (0, 0, None),
    };
    Diagnostic::warning(Loc { file: origin.to_string(), line, col }, message).with_source_line(source)
}
