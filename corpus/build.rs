//! Generates each corpus package pinned in `specs/` (fetched into `.cache/` by
//! `codegen fetch specs/<name>.toml`, as `scripts/test.sh` does) into `OUT_DIR`: its data types,
//! and its client unless the spec says `generate = "types"`.

use std::path::Path;

/// Corpus packages: the spec file name in `specs/`.
const PACKAGES: [&str; 2] = ["resend", "openai"];

fn main() {
    for name in PACKAGES {
        let spec = Path::new("../specs").join(format!("{name}.toml"));
        println!("cargo:rerun-if-changed={}", spec.display());
        let text = std::fs::read_to_string(&spec).unwrap_or_else(|e| fail(&format!("{}: {e}", spec.display())));
        let version = pinned_version(&text).unwrap_or_else(|| fail(&format!("{}: no `version = \"...\"` line", spec.display())));
        let dir = Path::new("../.cache/npm").join(format!("{name}-{version}/package"));
        if !dir.join("package.json").is_file() {
            fail(&format!("{} is not fetched: run `cargo run -p codegen -- fetch {}`", dir.display(), spec.display()));
        }
        let what = if types_only(&text) { codegen::Generate::Types } else { codegen::Generate::TypesAndClient };
        codegen::Config::new(dir)
            .generate_what(what)
            .cargo_warnings(false)
            .run_build_script(&format!("{name}.rs"));
    }
}

/// The `version` of the spec's `[package]` table (the first `version = "..."` line).
fn pinned_version(spec: &str) -> Option<&str> {
    spec.lines().find_map(|l| l.trim().strip_prefix("version")?.trim().strip_prefix('=')?.trim().strip_prefix('"')?.strip_suffix('"'))
}

/// Whether the spec's options say `generate = "types"`.
fn types_only(spec: &str) -> bool {
    spec.lines().any(|l| l.trim().strip_prefix("generate").and_then(|r| r.trim().strip_prefix('=')).is_some_and(|v| v.trim() == "\"types\""))
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(1);
}
