//! Hostile nesting, chains and sizes: each gives a located error (or correct output), never a
//! stack overflow, which would abort this whole test binary. The depths the issue found
//! aborting (`Array<...>` 1,560 deep, `{a:{a:...}}` 2,900 deep, a 20,000-long alias chain) and
//! depths just above each limit are refused with a located error; the limits themselves are
//! compared with the real package. Output at the limits is the `limits` fixture, compiled.

use std::path::{Path, PathBuf};

use std::collections::{BTreeMap, BTreeSet};

use npm_sdk_codegen::ir::decl::{DeclKind, ObjectType, TypeExpr};
use npm_sdk_codegen::parse::dts::{MAX_TYPE_DEPTH, parse_dts};
use npm_sdk_codegen::resolve::{MAX_DECL_CHAIN, MAX_NAME_LEN};
use npm_sdk_codegen::parse::nesting::{MAX_NESTING, max_depth};
use npm_sdk_codegen::{Config, Diagnostic, Generate, Layout, Options};

/// A package of one `index.d.ts` (and, if given, one `index.js`) in a fresh folder.
fn package(name: &str, dts: &str, js: Option<&str>) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-limits").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let main = if js.is_some() { r#","main":"index.js""# } else { "" };
    std::fs::write(dir.join("package.json"), format!(r#"{{"name":"h","version":"0.0.0","types":"index.d.ts"{main}}}"#)).unwrap();
    std::fs::write(dir.join("index.d.ts"), dts).unwrap();
    if let Some(js) = js {
        std::fs::write(dir.join("index.js"), js).unwrap();
    }
    dir
}

fn generate(dir: &Path, what: Generate) -> Result<npm_sdk_codegen::Generated, Vec<Diagnostic>> {
    let options = Options { generate: what, ..Options::default() };
    match Config::new(dir).options(options).layout(Layout::SingleFile("out.rs".into())).generate() {
        Ok(g) => Ok(g),
        Err(npm_sdk_codegen::Error::Input(d)) => Err(d),
        Err(other) => panic!("unexpected error: {other}"),
    }
}

/// The errors of a run that must fail, each located in `file`.
fn errors(name: &str, dts: &str, js: Option<&str>) -> Vec<Diagnostic> {
    let what = if js.is_some() { Generate::TypesAndClient } else { Generate::Types };
    let diags = generate(&package(name, dts, js), what).err().unwrap_or_else(|| panic!("{name}: generated"));
    let errors: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
    assert!(!errors.is_empty(), "{name}: no error");
    for e in &errors {
        assert!(e.loc.line >= 1 && e.loc.col >= 1 && !e.loc.file.is_empty(), "{name}: unlocated {e}");
        assert!(e.source_line.is_some(), "{name}: no source line in {e}");
    }
    errors
}

fn assert_error(name: &str, dts: &str, js: Option<&str>, file: &str, needle: &str) {
    let errors = errors(name, dts, js);
    assert!(
        errors.iter().any(|e| e.loc.file == file && e.message.contains(needle)),
        "{name}: expected `{needle}` in {file}, got {errors:?}"
    );
}

fn arrays(n: usize) -> String {
    format!("export interface X {{ a: {}string{}; }}\n", "Array<".repeat(n), ">".repeat(n))
}

fn objects(n: usize) -> String {
    format!("export interface X {{ a: {}string{}; }}\n", "{ a: ".repeat(n), " }".repeat(n))
}

fn alias_chain(n: usize) -> String {
    let mut s: String = (0..n).map(|i| format!("export type A{i} = A{};\n", i + 1)).collect();
    s.push_str(&format!("export interface A{n} {{ x: string; }}\n"));
    s
}

#[test]
fn the_depths_that_aborted_are_located_errors() {
    assert_error("arrays-1560", &arrays(1_560), None, "index.d.ts", "nesting deeper than");
    assert_error("objects-2900", &objects(2_900), None, "index.d.ts", "nesting deeper than");
    assert_error("alias-chain-20000", &alias_chain(20_000), None, "index.d.ts", "each defined through the next");
}

#[test]
fn just_above_each_limit_is_a_located_error() {
    // MAX_TYPE_DEPTH levels of type: `Array<` MAX_TYPE_DEPTH times around a string is one more.
    assert_error("arrays-over", &arrays(MAX_TYPE_DEPTH), None, "index.d.ts", "type nested deeper than");
    assert_error("objects-over", &objects(MAX_TYPE_DEPTH), None, "index.d.ts", "type nested deeper than");
    // MAX_DECL_CHAIN aliases and the interface they end at: one declaration too many.
    assert_error("alias-chain-over", &alias_chain(MAX_DECL_CHAIN), None, "index.d.ts", "each defined through the next");
    // An `extends` chain counts the same way.
    let extends: String = (0..300).map(|i| format!("export interface E{i} extends E{} {{ f{i}: string; }}\n", i + 1)).collect();
    assert_error("extends-chain-over", &format!("{extends}export interface E300 {{ x: string; }}\n"), None, "index.d.ts", "each defined through the next");
}

#[test]
fn just_below_the_limits_generates() {
    for (name, dts) in [("arrays-at", arrays(MAX_TYPE_DEPTH - 1)), ("objects-at", objects(MAX_TYPE_DEPTH - 1)), ("chain-at", alias_chain(MAX_DECL_CHAIN - 1))] {
        let g = generate(&package(name, &dts, None), Generate::Types).unwrap_or_else(|d| panic!("{name}: {d:?}"));
        assert!(g.files["out.rs"].contains("pub struct X") || g.files["out.rs"].contains("pub struct A255"), "{name}");
    }
}

/// Every form of deep nesting the parser recurses on, in declarations and in JS, just under
/// the nesting limit and far over it: no abort (the stack is sized for the limit), and a
/// located error where it is over. The type-depth check then refuses the deep declarations.
#[test]
fn no_form_of_deep_nesting_overflows_the_stack() {
    /// The text of one nesting form at a depth.
    type Form = Box<dyn Fn(usize) -> String>;
    let n = MAX_NESTING / 2 - 8; // most forms take two tokens a level
    let dts_forms: [(&str, Form); 9] = [
        ("generic", Box::new(|n| format!("export type X = {}string{};\n", "Array<".repeat(n), ">".repeat(n)))),
        ("postfix", Box::new(|n| format!("export type X = string{};\n", "[]".repeat(n)))),
        ("paren", Box::new(|n| format!("export type X = {}string{};\n", "(".repeat(n), ")".repeat(n)))),
        ("tuple", Box::new(|n| format!("export type X = {}string{};\n", "[".repeat(n), "]".repeat(n)))),
        ("keyof", Box::new(|n| format!("export type X = {}string;\n", "keyof ".repeat(n)))),
        ("conditional", Box::new(|n| format!("export type X = {}string;\n", "string extends number ? string : ".repeat(n / 4)))),
        ("function", Box::new(|n| format!("export type X = {}string;\n", "() => ".repeat(n / 2)))),
        ("object", Box::new(|n| format!("export interface X {{ a: {}string{}; }}\n", "{ a: ".repeat(n / 2), " }".repeat(n / 2)))),
        ("union", Box::new(|n| format!("export type X = {};\n", (0..n).map(|i| format!("\"v{i}\"")).collect::<Vec<_>>().join(" | ")))),
    ];
    for (name, form) in &dts_forms {
        let _ = generate(&package(&format!("dts-{name}-under"), &form(n), None), Generate::Types);
        assert_error(&format!("dts-{name}-over"), &form(100_000), None, "index.d.ts", "nesting deeper than");
    }
    let js_forms: [(&str, Form); 8] = [
        ("plus", Box::new(|n| format!("var x = {};\n", vec!["a"; n].join(" + ")))),
        ("or", Box::new(|n| format!("var x = {};\n", vec!["a"; n].join(" || ")))),
        ("not", Box::new(|n| format!("var x = {}a;\n", "!".repeat(n)))),
        ("ternary", Box::new(|n| format!("var x = {}c;\n", "a ? b : ".repeat(n / 4)))),
        ("assign", Box::new(|n| format!("{}c;\n", "a = ".repeat(n / 2)))),
        ("member", Box::new(|n| format!("var x = a{};\n", ".b".repeat(n)))),
        ("call", Box::new(|n| format!("var x = a{};\n", "()".repeat(n)))),
        ("arrow", Box::new(|n| format!("var x = {}c;\n", "a => ".repeat(n / 2)))),
    ];
    let dts = "export interface A { x: string; }\n";
    for (name, form) in &js_forms {
        let _ = generate(&package(&format!("js-{name}-under"), dts, Some(&form(n))), Generate::TypesAndClient);
        assert_error(&format!("js-{name}-over"), dts, Some(&form(100_000)), "index.js", "nesting deeper than");
    }
}

#[test]
fn many_interfaces_in_one_file_are_located_exactly() {
    // Locations come from a line index: the last of many declarations is still exact.
    let mut dts: String = (0..5_000).map(|i| format!("export interface T{i} {{ x: string; }}\n")).collect();
    dts.push_str("export interface Last { f: () => void; }\n");
    let g = generate(&package("many", &dts, None), Generate::Types).unwrap();
    let w = g.warnings.iter().find(|w| w.message.contains("is a function")).expect("a warning for the function member");
    assert_eq!((w.loc.line, w.loc.col), (5_001, 25));
    assert_eq!(w.source_line.as_deref(), Some("export interface Last { f: () => void; }"));
}

/// Depth of a type expression (a leaf is 1).
fn type_depth(t: &TypeExpr) -> usize {
    1 + match t {
        TypeExpr::Array(inner) => type_depth(inner),
        TypeExpr::Tuple(items) | TypeExpr::Union(items) | TypeExpr::Intersection(items) => items.iter().map(type_depth).max().unwrap_or(0),
        TypeExpr::Ref { args, .. } => args.iter().map(type_depth).max().unwrap_or(0),
        TypeExpr::Literal(o) => object_depth(o),
        _ => 0,
    }
}

fn object_depth(o: &ObjectType) -> usize {
    let props = o.props.iter().map(|p| type_depth(&p.ty));
    props.chain(o.extends.iter().map(type_depth)).chain(o.index.iter().map(|t| type_depth(t))).max().unwrap_or(0)
}

/// The declarations (by name) a declaration's shape is defined through: what it aliases,
/// extends or intersects.
fn defined_through(kind: &DeclKind) -> Vec<&str> {
    fn refs<'t>(t: &'t TypeExpr, out: &mut Vec<&'t str>) {
        match t {
            TypeExpr::Ref { name, args, .. } => {
                out.push(name);
                args.iter().for_each(|a| refs(a, out));
            }
            TypeExpr::Intersection(parts) => parts.iter().for_each(|p| refs(p, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match kind {
        DeclKind::Alias(t) => refs(t, &mut out),
        DeclKind::Interface(o) => o.extends.iter().for_each(|e| refs(e, &mut out)),
        _ => {}
    }
    out
}

/// The longest chain of declarations each defined through the next (by name across the
/// package, which over-counts at worst).
fn longest_chain(decls: &BTreeMap<String, DeclKind>) -> usize {
    fn chain(name: &str, decls: &BTreeMap<String, DeclKind>, memo: &mut BTreeMap<String, usize>, seen: &mut BTreeSet<String>) -> usize {
        if let Some(n) = memo.get(name) {
            return *n;
        }
        let Some(kind) = decls.get(name) else { return 0 };
        if !seen.insert(name.to_string()) {
            return 0;
        }
        let n = 1 + defined_through(kind).into_iter().map(|t| chain(t, decls, memo, seen)).max().unwrap_or(0);
        memo.insert(name.to_string(), n);
        n
    }
    let mut memo = BTreeMap::new();
    decls.keys().map(|k| chain(k, decls, &mut memo, &mut BTreeSet::new())).max().unwrap_or(0)
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The limits against the real package: each is at least 8 times what stytch@14.2.0 needs.
#[test]
fn the_real_package_is_far_below_every_limit() {
    let package = workspace().join(".cache/npm/stytch-14.2.0/package");
    assert!(package.join("package.json").is_file(), "run `cargo run -p npm-sdk-codegen -- fetch specs/stytch.toml` first");
    let (mut deepest, mut deepest_type) = (0, 0);
    let mut decls = BTreeMap::new();
    let mut files = vec![package.clone()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let Some(name) = path.to_str().filter(|p| p.ends_with(".d.ts") || p.ends_with(".js")) else { continue };
        let text = std::fs::read_to_string(&path).unwrap();
        deepest = deepest.max(max_depth(&text));
        if name.ends_with(".d.ts") {
            let module = parse_dts(name, name, &text).unwrap();
            for d in module.decls {
                let depth = match &d.kind {
                    DeclKind::Interface(o) => object_depth(o),
                    DeclKind::Alias(t) => type_depth(t),
                    DeclKind::Class(c) => c.fields.iter().map(|p| type_depth(&p.ty)).max().unwrap_or(0),
                    _ => 0,
                };
                deepest_type = deepest_type.max(depth);
                decls.insert(d.name, d.kind);
            }
        }
    }
    let chain = longest_chain(&decls);
    let spec = npm_sdk_codegen::spec::Spec::load(&workspace().join("specs/stytch.toml")).unwrap();
    let g = Config::new(&package).options(spec.options).generate().unwrap();
    let longest_name = g.space.types.iter().map(|t| t.rust_name.len()).max().unwrap();
    println!(
        "stytch@14.2.0: nesting {deepest} (limit {MAX_NESTING}), type depth {deepest_type} (limit {MAX_TYPE_DEPTH}), \
         declaration chain {chain} (limit {MAX_DECL_CHAIN}), longest type name {longest_name} (limit {MAX_NAME_LEN})"
    );
    assert!(deepest * 8 <= MAX_NESTING, "nesting {deepest}");
    assert!(deepest_type * 8 <= MAX_TYPE_DEPTH, "type depth {deepest_type}");
    assert!(chain * 8 <= MAX_DECL_CHAIN, "chain {chain}");
    assert!(longest_name * 2 <= MAX_NAME_LEN, "name {longest_name}"); // capped by rustdoc's file names
}

/// A generic type that instantiates itself with ever larger arguments never closes: it ends at
/// the nesting bound on instantiations, as `serde_json::Value` with a located warning (it hung).
#[test]
fn self_expanding_generics_end_with_a_warning() {
    let dts = "export type A<T> = { x: A<T[]>; v: T };\nexport interface Uses { a: A<string> }\n\
               export interface B<T> { next?: B<B<T>>; v: T }\nexport interface UsesB { b: B<number> }\n";
    let dir = package("self-expanding-generics", dts, None);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(generate(&dir, Generate::Types));
    });
    let generated = rx.recv_timeout(std::time::Duration::from_secs(60)).expect("generation ends").expect("output");
    for (line, name) in [(1, "`A` instantiated inside"), (3, "`B` instantiated inside")] {
        let found = generated.warnings.iter().any(|w| w.loc.file == "index.d.ts" && w.loc.line == line && w.message.contains(name));
        assert!(found, "{name}: {:?}", generated.warnings);
    }
    syn::parse_file(&generated.files["out.rs"]).expect("the output parses");
}
