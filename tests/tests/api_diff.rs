//! `codegen diff` on real upstream versions, pinned with their integrity in `specs/`
//! (`stytch-12.43.1.toml`, `stytch-13.2.5.toml`, and the current `stytch.toml`; CI fetches all
//! of them first). Every version is generated with the options of `specs/stytch.toml`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use npm_sdk_codegen::diff::{Class, Kind};
use npm_sdk_codegen::spec::Spec;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The spec pinning `version`: the current pin or an older one kept for diffs.
fn spec_for(version: &str) -> Spec {
    let current = Spec::load(&workspace().join("specs/stytch.toml")).unwrap();
    if current.package.version == version {
        return current;
    }
    Spec::load(&workspace().join(format!("specs/stytch-{version}.toml"))).unwrap()
}

/// `version` generated with the current spec's options; the package is the cached, verified
/// copy (`codegen fetch specs/stytch-<version>.toml`), fetched here if missing.
fn generate(version: &str) -> npm_sdk_codegen::Generated {
    let spec = spec_for(version);
    let package = npm_sdk_codegen::fetch::fetch(&spec).unwrap_or_else(|e| panic!("fetch stytch@{version}: {e}"));
    let mut options = Spec::load(&workspace().join("specs/stytch.toml")).unwrap().options;
    // As `codegen diff` does: the diff compares upstream's shapes, not their merging.
    options.dedup_module = None;
    npm_sdk_codegen::Config::new(package).options(options).generate().unwrap()
}

fn v12() -> &'static npm_sdk_codegen::Generated {
    static G: OnceLock<npm_sdk_codegen::Generated> = OnceLock::new();
    G.get_or_init(|| generate("12.43.1"))
}
fn v13() -> &'static npm_sdk_codegen::Generated {
    static G: OnceLock<npm_sdk_codegen::Generated> = OnceLock::new();
    G.get_or_init(|| generate("13.2.5"))
}
fn v14() -> &'static npm_sdk_codegen::Generated {
    static G: OnceLock<npm_sdk_codegen::Generated> = OnceLock::new();
    G.get_or_init(|| generate("14.2.0"))
}

#[test]
fn from_13_2_5_to_14_2_0() {
    let diff = npm_sdk_codegen::diff::diff(v13(), v14());
    assert_eq!((diff.old.as_str(), diff.new.as_str()), ("stytch@13.2.5", "stytch@14.2.0"));
    // The one breaking change: a response field that became required.
    let breaking: Vec<_> = diff.changes.iter().filter(|c| c.class == Class::Breaking).collect();
    assert_eq!(breaking.len(), 1, "{breaking:#?}");
    let c = breaking[0];
    assert_eq!(c.kind, Kind::FieldRequired);
    assert_eq!(c.path, "b2b::discovery_organizations::B2BDiscoveryOrganizationsCreateResponse::organization");
    assert_eq!(c.old.as_deref(), Some("Option<b2b::organizations::Organization>"));
    assert_eq!(c.new.as_deref(), Some("b2b::organizations::Organization"));
    // 72 new values of request-only locale enums; 26 new fields (4 of them in the request
    // types of the hand-written `authenticateJwt` methods).
    assert_eq!(diff.by_kind[&Kind::EnumValueAdded].additive, 72);
    assert_eq!(diff.by_kind[&Kind::FieldAdded].additive, 26);
    insta::assert_snapshot!("13.2.5_to_14.2.0.md", diff.markdown());
    insta::assert_snapshot!("13.2.5_to_14.2.0.json", serde_json::to_string_pretty(&diff).unwrap());
}

#[test]
fn from_12_43_1_to_13_2_5() {
    let diff = npm_sdk_codegen::diff::diff(v12(), v13());
    // 13 renamed `OTPsWhatsapp*` to `OTPsWhatsApp*`: the client keeps its path and its
    // operations, its class and every request and response type get a new Rust name.
    let whatsapp: Vec<_> = diff.changes.iter().filter(|c| c.module == "b2c/otps_whatsapp").map(|c| (c.kind, c.class)).collect();
    assert_eq!(whatsapp.iter().filter(|c| **c == (Kind::Renamed, Class::Breaking)).count(), 1, "{whatsapp:?}");
    assert_eq!(whatsapp.iter().filter(|c| **c == (Kind::TypeRemoved, Class::Breaking)).count(), 6, "{whatsapp:?}");
    assert!(!whatsapp.iter().any(|c| matches!(c.0, Kind::OperationAdded | Kind::OperationRemoved)), "{whatsapp:?}");
    insta::assert_snapshot!("12.43.1_to_13.2.5.md", diff.markdown());
    insta::assert_snapshot!("12.43.1_to_13.2.5.json", serde_json::to_string_pretty(&diff).unwrap());
}

#[test]
fn a_version_against_itself_has_no_changes() {
    let diff = npm_sdk_codegen::diff::diff(v14(), v14());
    assert!(diff.changes.is_empty());
    assert_eq!(diff.worst(), None);
}

#[test]
fn the_reverse_move_mirrors_the_forward_one() {
    let forward = npm_sdk_codegen::diff::diff(v13(), v14());
    let back = npm_sdk_codegen::diff::diff(v14(), v13());
    assert_eq!(forward.changes.len(), back.changes.len());
    let back_required: Vec<_> = back.changes.iter().filter(|c| c.kind == Kind::FieldOptional).map(|c| c.path.as_str()).collect();
    assert_eq!(back_required, ["b2b::discovery_organizations::B2BDiscoveryOrganizationsCreateResponse::organization"]);
    assert_eq!(back.by_kind[&Kind::FieldRemoved].breaking, 26);
    assert_eq!(back.by_kind[&Kind::EnumValueRemoved].breaking, 72);
}
