//! Reading packages as TypeScript and Node do, and never an empty crate with success: a package
//! whose declarations cannot be found, or hold nothing to generate, is an input error.

use std::path::{Path, PathBuf};

use npm_sdk_codegen::{Config, Layout};

fn package(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("packages").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn errors(dir: &Path) -> Vec<String> {
    match Config::new(dir).layout(Layout::SingleFile("out.rs".into())).generate() {
        Ok(g) => panic!("expected an input error, got {} types", g.summary.types),
        Err(npm_sdk_codegen::Error::Input(d)) => d.iter().filter(|d| d.is_error()).map(|d| format!("{}: {}", d.loc, d.message)).collect(),
        Err(other) => panic!("unexpected error: {other}"),
    }
}

#[test]
fn a_package_without_declarations_is_an_error_not_an_empty_crate() {
    let dir = package("no-dts", &[("package.json", r#"{"name":"x","version":"1.0.0","main":"./dist/index.js"}"#), ("dist/index.js", "exports.a = 1;")]);
    let errors = errors(&dir);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("does not exist") || errors[0].contains("no declaration files"), "{errors:?}");
}

#[test]
fn declarations_with_nothing_to_generate_are_an_error() {
    let dir = package("only-functions", &[
        ("package.json", r#"{"name":"x","version":"1.0.0","types":"./index.d.mts"}"#),
        ("index.d.mts", "export declare function f(): void;\n"),
    ]);
    assert_eq!(errors(&dir), ["index.d.mts:1:1: the declarations hold no data type and no client: nothing to generate"]);
}

#[test]
fn dmts_only_packages_are_read_through_their_exports_map() {
    let dir = package("mts-only", &[
        ("package.json", r#"{"name":"x","version":"1.0.0","exports":{".":{"import":{"types":"./dist/index.d.mts"},"require":{"types":"./dist/index.d.cts"}}}}"#),
        ("dist/index.d.mts", "export interface A { a: string }\n"),
        ("dist/index.d.cts", "export interface A { a: string }\n"),
    ]);
    let g = Config::new(&dir).layout(Layout::SingleFile("out.rs".into())).generate().unwrap();
    assert_eq!(g.summary.files, 1, "the .d.cts twin of a module is not read a second time");
    assert_eq!(g.summary.types, 1);
    let inputs: Vec<String> = g.inputs.iter().map(|p| p.strip_prefix(&dir).unwrap().display().to_string()).collect();
    assert_eq!(inputs, ["package.json", "dist/index.d.mts"]);
}

fn fallbacks_package() -> PathBuf {
    package("fallbacks", &[
        ("package.json", r#"{"name":"x","version":"1.0.0","types":"./index.d.ts"}"#),
        (
            "index.d.ts",
            "import { Agent } from \"undici\";\n\
             export interface Page<T> { items: T[] }\n\
             export interface A {\n  name: string;\n  anything: unknown;\n  agent: Agent;\n  callback: () => void;\n  page: Page<string>;\n  open: Page;\n}\n",
        ),
    ])
}

#[test]
fn the_summary_counts_fields_typed_and_fallbacks_by_cause() {
    let g = Config::new(fallbacks_package()).layout(Layout::SingleFile("out.rs".into())).generate().unwrap();
    let f = &g.summary.fidelity;
    // A: name, anything, agent, page, open (`callback` is skipped); Page: items; PageString: items.
    assert_eq!((f.fields, f.declared_json, f.fallback_fields()), (7, 1, 2), "{f}");
    let causes: Vec<(&str, usize)> = f.fallbacks.iter().map(|(c, n)| (c.as_str(), *n)).collect();
    assert_eq!(causes, [("external package", 1), ("open type parameter", 1)]);
    let expected = "4 of 7 fields typed, 1 declared any/unknown, 2 `Value` (33.33%): external package: 1, open type parameter: 1;";
    assert!(g.summary.to_string().contains(expected), "{}", g.summary);
}

#[test]
fn deny_fallbacks_makes_every_fallback_an_error() {
    let options = npm_sdk_codegen::Options { deny_fallbacks: true, ..Default::default() };
    let result = Config::new(fallbacks_package()).options(options).layout(Layout::SingleFile("out.rs".into())).generate();
    let Err(npm_sdk_codegen::Error::Input(diags)) = result else { panic!("expected an input error") };
    assert!(diags.iter().all(|d| d.is_error()), "{diags:?}");
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("external package `undici`") && m.ends_with("(denied by `deny-fallbacks`)")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("member `callback` is a function")), "{messages:?}");
}

#[test]
fn a_field_of_an_alias_that_fell_back_counts_as_a_fallback() {
    let dir = package("alias_fallback", &[
        ("package.json", r#"{"name":"x","version":"1.0.0","types":"./index.d.ts"}"#),
        (
            "index.d.ts",
            "declare const f: () => void;\n\
             export type Handler = typeof f;\n\
             export type Anything = unknown;\n\
             export interface A {\n  one: Handler;\n  many: Handler[];\n  declared: Anything;\n  name: string;\n}\n",
        ),
    ]);
    let g = Config::new(dir).layout(Layout::SingleFile("out.rs".into())).generate().unwrap();
    let f = &g.summary.fidelity;
    // `one` and `many` hold JSON because `Handler` fell back (`typeof f` is a function type);
    // `declared` is an alias of `unknown`.
    let causes: Vec<(&str, usize)> = f.fallbacks.iter().map(|(c, n)| (c.as_str(), *n)).collect();
    assert_eq!(causes, [("function type", 2)], "{f}");
    assert_eq!((f.fields, f.declared_json, f.fallback_fields()), (4, 1, 2), "{f}");
}
