//! Generates the data types of each corpus package pinned in `specs/` (fetched into `.cache/`
//! by `codegen fetch specs/<name>.toml`, as `scripts/test.sh` does) into `OUT_DIR`.

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
        codegen::Config::new(dir)
            .generate_what(codegen::Generate::Types)
            .cargo_warnings(false)
            .run_build_script(&format!("{name}.rs"));
    }
}

/// The `version` of the spec's `[package]` table (the first `version = "..."` line).
fn pinned_version(spec: &str) -> Option<&str> {
    spec.lines().find_map(|l| l.trim().strip_prefix("version")?.trim().strip_prefix('=')?.trim().strip_prefix('"')?.strip_suffix('"'))
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(1);
}
