//! The generator on the real, pinned upstream package (fetched by `codegen fetch`, which
//! `.ci/run` runs first), and on the seed document this project started from.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use npm_sdk_codegen::{Config, Layout, NumberPolicy, Options};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The package `specs/stytch.toml` pins, from the integrity-checked cache (fetched if missing).
fn pinned_package() -> PathBuf {
    let spec = npm_sdk_codegen::spec::Spec::load(&workspace().join("specs/stytch.toml")).unwrap();
    npm_sdk_codegen::fetch::fetch(&spec).unwrap_or_else(|e| panic!("fetching the pinned package: {e}"))
}

/// Files below `dir` whose name ends with `suffix`.
fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p, suffix));
        } else if p.to_string_lossy().ends_with(suffix) {
            out.push(p);
        }
    }
    out
}

/// `request(...)` calls in the package's JS outside `MANUAL(...)` sections (the hand-written ones).
fn generated_request_calls(package: &Path) -> usize {
    let mut count = 0;
    for js in files(&package.join("dist"), ".js") {
        let mut manual = false;
        for line in std::fs::read_to_string(js).unwrap().lines() {
            if line.contains("// MANUAL(") {
                manual = true;
            } else if line.contains("// ENDMANUAL(") {
                manual = false;
            } else if !manual {
                count += line.matches("request)(").count();
            }
        }
    }
    count
}

/// The options the checked-in crate is generated with.
fn stytch_options() -> Options {
    let spec = npm_sdk_codegen::spec::Spec::load(&workspace().join("specs/stytch.toml")).unwrap();
    assert_eq!(spec.options.number, NumberPolicy::Integer);
    spec.options
}

fn generate(package: &Path) -> npm_sdk_codegen::Generated {
    Config::new(package)
        .options(stytch_options())
        .layout(Layout::SingleFile("stytch.rs".into()))
        .generate()
        .unwrap_or_else(|e| match e {
            npm_sdk_codegen::Error::Input(d) => panic!("{}", d.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")),
            other => panic!("{other}"),
        })
}

#[test]
fn every_exported_interface_and_alias_is_emitted() {
    let package = pinned_package();
    let generated = generate(&package);
    let pkg = npm_sdk_codegen::package::load(&package).unwrap();
    let mut expected = BTreeSet::new();
    for f in &pkg.dts {
        let module = npm_sdk_codegen::parse::dts::parse_dts(&f.path, &pkg.module_path(&f.path), &f.text).expect("every .d.ts parses");
        for d in module.decls.iter().filter(|d| d.exported) {
            if matches!(d.kind, npm_sdk_codegen::ir::decl::DeclKind::Interface(_) | npm_sdk_codegen::ir::decl::DeclKind::Alias(_)) {
                expected.insert((module.path.clone(), d.name.clone()));
            }
        }
    }
    let emitted: BTreeSet<(String, String)> = generated.space.types.iter().map(|t| (t.module.clone(), t.wire_name.clone())).collect();
    let missing: Vec<_> = expected.difference(&emitted).collect();
    assert!(missing.is_empty(), "not emitted: {missing:?}");
    assert!(expected.len() > 500, "only {} exported declarations found", expected.len());
    assert_eq!(generated.summary.files, files(&package, ".d.ts").len());
}

#[test]
fn manifest_covers_every_request_call_and_names_every_hand_written_method() {
    let package = pinned_package();
    let generated = generate(&package);
    let m = &generated.manifest;
    assert!(m.operations.len() > 180, "{} operations", m.operations.len());
    // One operation per `request(...)` call of the JS outside the MANUAL sections.
    assert_eq!(m.operations.len(), generated_request_calls(&package));
    let hand: BTreeSet<(String, String)> = m.hand_written.iter().map(|h| (h.module.clone(), h.method.clone())).collect();
    for (module, method) in [
        ("b2c/sessions", "authenticateJwt"),
        ("b2c/sessions", "authenticateJwtLocal"),
        ("b2b/sessions", "authenticateJwt"),
        ("b2b/sessions", "authenticateJwtLocal"),
        ("b2c/m2m", "token"),
        ("b2c/m2m", "authenticateToken"),
        ("b2c/idp", "introspectTokenNetwork"),
        ("b2c/idp", "introspectTokenLocal"),
        ("b2b/idp", "introspectTokenNetwork"),
        ("b2b/idp", "introspectTokenLocal"),
        ("b2c/users", "searchAll"),
        ("samlshield/index", "validate"),
    ] {
        assert!(hand.contains(&(module.to_string(), method.to_string())), "{module}.{method} not listed: {hand:?}");
    }
    // Every one of them is implemented by hand in generated/src/ext (spec: [options.implemented]).
    let missing: Vec<_> = m.hand_written.iter().filter(|h| h.implemented_by.is_none()).map(|h| format!("{}#{}", h.module, h.method)).collect();
    assert!(missing.is_empty(), "hand-written upstream, missing here: {missing:?}");
    let fraud = m.operations.iter().filter(|o| o.base_url.as_deref() == Some("FRAUD")).count();
    let fraud_calls: usize = files(&package.join("dist"), ".js").iter().map(|f| std::fs::read_to_string(f).unwrap().matches("baseURLType: \"FRAUD\"").count()).sum();
    assert_eq!(fraud, fraud_calls);
    assert!(fraud > 0);
    assert!(m.operations.iter().filter(|o| !o.headers.is_empty()).count() >= 40);
}

/// The list of paginated endpoints the spec's rule finds (the closing note asks for it):
/// each has a `_stream` method, and no operation that takes a cursor is left without one.
#[test]
fn every_cursor_paginated_operation_gets_a_stream() {
    let generated = generate(&pinned_package());
    let found: Vec<String> = generated
        .manifest
        .operations
        .iter()
        .filter_map(|o| {
            let p = o.pagination.as_ref()?;
            Some(format!("{}#{}: {} -> {}, items {} (on {})", o.module, o.method, p.cursor, p.next_cursor.join("."), p.items, o.client_paths.join(", ")))
        })
        .collect();
    assert_eq!(
        found,
        [
            "b2b/organizations#search: cursor -> results_metadata.next_cursor, items organizations (on B2BClient.organizations)",
            "b2b/organizations_members#search: cursor -> results_metadata.next_cursor, items members (on B2BClient.organizations.members)",
            "b2b/scim_connection#getGroups: cursor -> next_cursor, items scim_groups (on B2BClient.scim.connection)",
            "b2c/connected_apps_clients#search: cursor -> results_metadata.next_cursor, items connected_apps (on B2BClient.connected_app.clients, Client.connected_app.clients)",
            "b2c/fraud_rules#list: cursor -> next_cursor, items rules (on B2BClient.fraud.rules, Client.fraud.rules)",
            "b2c/m2m_clients#search: cursor -> results_metadata.next_cursor, items m2m_clients (on B2BClient.m2m.clients, Client.m2m.clients)",
            "b2c/users#search: cursor -> results_metadata.next_cursor, items results (on Client.users)",
        ],
        "{found:#?}"
    );
    let half: Vec<_> = generated.warnings.iter().filter(|w| w.message.contains("gets no stream")).map(|w| w.message.clone()).collect();
    assert!(half.is_empty(), "{half:?}");
    let lib = std::fs::read_to_string(workspace().join("generated/src/b2c/users.rs")).unwrap();
    assert!(lib.contains("pub fn search_stream("), "the checked-in crate has the stream");
}

#[test]
fn output_is_deterministic_and_machine_independent() {
    let package = pinned_package();
    let a = generate(&package);
    // A copy of the package in another folder must give byte-identical output.
    let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stytch-copy");
    let _ = std::fs::remove_dir_all(&copy);
    copy_dir(&package, &copy);
    let b = generate(&copy);
    assert_eq!(a.files, b.files);
    let text = &a.files["stytch.rs"];
    assert!(!text.contains(package.to_str().unwrap()), "absolute path in the output");
    assert!(!text.contains(env!("CARGO_MANIFEST_DIR")), "absolute path in the output");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// The seed: `b2b/passwords_session.d.ts` flattened onto one line, with `Record<string, any>`
/// cut to `Record` and `Promise<B2BPasswordsSessionResetResponse>` cut to `Promise`. Put in
/// place of the real file, the package must still generate, with warnings for both losses.
#[test]
fn the_seed_document_generates() {
    let seed = workspace().join("../shared/seeds/000_763e305a36cfc873.txt");
    let seed = std::fs::read_to_string(&seed).or_else(|_| std::fs::read_to_string(workspace().join("tests/fixtures/seed.d.ts"))).unwrap();
    assert_eq!(seed.lines().count(), 1, "the seed is one line");
    let package = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stytch-seed");
    let _ = std::fs::remove_dir_all(&package);
    copy_dir(&pinned_package(), &package);
    std::fs::write(package.join("types/lib/b2b/passwords_session.d.ts"), &seed).unwrap();

    let generated = generate(&package);
    let warnings: Vec<String> = generated.warnings.iter().filter(|w| w.loc.file == "types/lib/b2b/passwords_session.d.ts").map(|w| w.message.clone()).collect();
    assert!(warnings.iter().any(|w| w.contains("`Record` without type arguments")), "{warnings:#?}");
    assert!(
        warnings.iter().any(|w| w.contains("`B2BPasswordsSessionResetResponse` was recovered from its `@returns` tag")),
        "{warnings:#?}"
    );
    let op = generated.manifest.operations.iter().find(|o| o.module == "b2b/passwords_session" && o.method == "reset").unwrap();
    assert_eq!(op.response_type, "B2BPasswordsSessionResetResponse");
    assert_eq!(op.url_template, "/v1/b2b/passwords/session/reset");
    let text = &generated.files["stytch.rs"];
    assert!(text.contains("pub session_custom_claims: Option<\n"), "bare Record must become a map");
    // Docs of the flattened comments are rebuilt line by line.
    assert!(text.contains("/// Globally unique UUID that identifies a specific Organization. The `organization_id` is critical to\n"));
}
