fn main() {
    let Some(package) = pinned_package() else {
        eprintln!("error: no [package] name and version in ../../specs/stytch.toml");
        std::process::exit(1);
    };
    npm_sdk_codegen::Config::new(package)
        .number(npm_sdk_codegen::NumberPolicy::Integer)
        .run_build_script("stytch.rs");
}

/// The package this repository pins in `specs/stytch.toml`, where `codegen fetch` unpacks it.
/// A crate of your own would point at its `node_modules/stytch` instead.
fn pinned_package() -> Option<String> {
    println!("cargo::rerun-if-changed=../../specs/stytch.toml");
    let spec = std::fs::read_to_string("../../specs/stytch.toml").ok()?;
    let value = |key: &str| {
        spec.lines().find_map(|l| l.strip_prefix(key)?.trim_start().strip_prefix('=')?.trim().strip_prefix('"')?.strip_suffix('"'))
    };
    Some(format!("../../.cache/npm/{}-{}/package", value("name")?, value("version")?))
}
