//! One SDK source, compiled to different JavaScript forms, gives the same client: the ES2015
//! build in `fixtures/forms/` and each file of `fixtures/forms-js/` in its place (Babel's ES5
//! output with `_createClass` or prototype methods, chained / `Object.defineProperty` /
//! `module.exports` exports, async methods compiled by regenerator, path-parameter guards).
//! The manifests and the generated code must be identical.

use std::path::{Path, PathBuf};

use npm_sdk_codegen::{Config, Generated, Layout};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The forms package with `dist/projects.js` replaced by `variant` (a file of `forms-js/`).
fn generate(variant: Option<&str>) -> Generated {
    // One folder per test (tests run in parallel) and variant.
    let test = std::thread::current().name().unwrap_or("main").replace("::", "-");
    let package = Path::new(env!("CARGO_TARGET_TMPDIR")).join("forms").join(test).join(variant.unwrap_or("es2015"));
    let _ = std::fs::remove_dir_all(&package);
    copy_dir(&fixtures().join("forms"), &package);
    if let Some(v) = variant {
        std::fs::copy(fixtures().join("forms-js").join(v), package.join("dist/projects.js")).unwrap();
    }
    let options = npm_sdk_codegen::Options { number: npm_sdk_codegen::NumberPolicy::Integer, ..Default::default() };
    Config::new(&package).options(options).layout(Layout::SingleFile("out.rs".into())).generate().unwrap_or_else(|e| match e {
        npm_sdk_codegen::Error::Input(d) => panic!("{variant:?}: {}", d.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")),
        other => panic!("{variant:?}: {other}"),
    })
}

fn manifest(g: &Generated) -> serde_json::Value {
    serde_json::to_value(&g.manifest).unwrap()
}

#[test]
fn the_es2015_build_gives_every_operation() {
    let g = generate(None);
    let m = manifest(&g);
    let ops: Vec<String> = m["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| format!("{} {} {}", o["method"].as_str().unwrap(), o["http_method"].as_str().unwrap(), o["url_template"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ops,
        [
            "get GET /v1/projects/{project_slug}",
            "update PATCH /v1/projects/{project_slug}/kinds/{kind}",
            "delete DELETE /v1/projects/{id}",
            "list GET /v1/projects",
            "create POST /v1/projects",
            // Defined twice in the class: the last definition, as in JS.
            "search POST /v1/projects/search",
        ]
    );
    assert_eq!(
        m["operations"][0]["guards"],
        serde_json::json!([{ "field": "project_slug", "code": "MISSING_PATH_PARAMETER", "message": "project_slug cannot be empty" }])
    );
    assert_eq!(m["hand_written"], serde_json::json!([]));
    let warnings: Vec<String> = g.warnings.iter().map(|w| format!("{}: {}", w.loc, w.message)).collect();
    assert!(warnings.iter().any(|w| w.contains("method `Projects.search` is defined again at line")), "{warnings:#?}");
    assert!(warnings.iter().any(|w| w.contains("field `ProjectsDeleteRequest.id` is optional")), "{warnings:#?}");
}

macro_rules! same_as_es2015 {
    ($($test:ident => $file:literal,)*) => {$(
        #[test]
        fn $test() {
            let es2015 = generate(None);
            let variant = generate(Some($file));
            assert_eq!(manifest(&variant), manifest(&es2015));
            assert_eq!(variant.files, es2015.files);
        }
    )*};
}

same_as_es2015! {
    babel_ie11_gives_the_es2015_operations => "babel_ie11.js",
    babel_ie11_loose_gives_the_es2015_operations => "babel_ie11_loose.js",
    babel_classic_regenerator_gives_the_es2015_operations => "babel_classic_regenerator.js",
}
