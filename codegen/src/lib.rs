//! Generates a typed Rust SDK from an npm package: its TypeScript declarations give the types
//! and the client's shape, its compiled JavaScript gives what every call sends.
//!
//! The pipeline, one module per stage, each usable on its own:
//! [`package`] (read the folder) -> [`parse`] (`.d.ts` and JS to IR) -> [`resolve`] (names,
//! types, client tree) -> [`emit`] (Rust source) -> [`write`](mod@write) (only changed files).
//!
//! From a build script:
//!
//! ```no_run
//! // In build.rs's `main`:
//! npm_sdk_codegen::Config::new("node_modules/stytch")
//!     .number(npm_sdk_codegen::NumberPolicy::Integer)
//!     .run_build_script("stytch.rs");
//! ```

mod cargo;
pub mod diag;
pub mod diff;
pub mod emit;
#[cfg(feature = "cli")]
pub mod fetch;
pub mod fidelity;
pub mod ir;
pub mod manifest;
pub mod options;
pub mod package;
mod parallel;
pub mod parse;
pub mod resolve;
pub mod stale;
#[cfg(feature = "cli")]
pub mod upgrade;
#[cfg(feature = "cli")]
pub mod spec;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use diag::{Diagnostic, Loc, Severity};
pub use emit::Files;
pub use fidelity::Fidelity;
pub use manifest::Manifest;
pub use options::{Feature, Generate, NumberPolicy, Options};
pub use write::{Staleness, WriteReport};

/// The stack generation runs on. Sized for the nesting limits
/// ([`parse::nesting::MAX_NESTING`], [`parse::dts::MAX_TYPE_DEPTH`], the declaration chain
/// limit): the deepest input they admit uses about a quarter of it (measured; see the README).
/// Only the pages a run touches are ever committed.
pub const STACK_SIZE: usize = 256 << 20;

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has errors; every one found is listed, sorted by location.
    #[error("{} error(s) in the input", .0.iter().filter(|d| d.is_error()).count())]
    Input(Vec<Diagnostic>),
    /// The generator produced code that does not parse: a bug in the generator.
    #[error("internal error: {0}")]
    Emit(String),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// `OUT_DIR` is not set and no output folder was given.
    #[error("no output folder: set one with `Config::out_dir` or run from a build script")]
    NoOutDir,
}

/// Output layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// A crate's `src/`: `src/lib.rs` and one file per module.
    Crate,
    /// One file of nested modules for `include!`, with this file name.
    SingleFile(String),
}

/// What to generate from which package, and where to put it. Options are shared with the CLI.
#[derive(Debug, Clone)]
pub struct Config {
    package: PathBuf,
    options: Options,
    out_dir: Option<PathBuf>,
    layout: Layout,
    crate_doc: Option<String>,
    cargo_warnings: bool,
}

impl Config {
    /// Generates from the npm package folder `package` (the folder holding `package.json`).
    pub fn new(package: impl Into<PathBuf>) -> Self {
        Config {
            package: package.into(),
            options: Options::default(),
            out_dir: None,
            layout: Layout::SingleFile("generated.rs".into()),
            crate_doc: None,
            cargo_warnings: true,
        }
    }

    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    pub fn number(mut self, policy: NumberPolicy) -> Self {
        self.options.number = policy;
        self
    }

    pub fn generate_what(mut self, what: Generate) -> Self {
        self.options.generate = what;
        self
    }

    /// Output folder; defaults to `OUT_DIR` (set by cargo for build scripts).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// Whether [`Config::run_build_script`] reports each fallback as a `cargo:warning`
    /// (default: yes). Errors are always reported.
    pub fn cargo_warnings(mut self, on: bool) -> Self {
        self.cargo_warnings = on;
        self
    }

    /// Markdown for the crate-level docs (crate layout).
    pub fn crate_doc(mut self, doc: impl Into<String>) -> Self {
        self.crate_doc = Some(doc.into());
        self
    }

    /// The output folder: the configured one, else `OUT_DIR`.
    pub fn resolved_out_dir(&self) -> Result<PathBuf, Error> {
        self.out_dir.clone().or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from)).ok_or(Error::NoOutDir)
    }

    /// Runs the whole pipeline in memory. Nothing is written.
    ///
    /// It runs on a thread of its own with a [`STACK_SIZE`] stack: the parser and the later
    /// stages recurse once per level of nesting, and the limits on nesting (checked with
    /// located errors) are what that stack is sized for, so no input can overflow it.
    pub fn generate(&self) -> Result<Generated, Error> {
        std::thread::scope(|scope| {
            let worker = std::thread::Builder::new()
                .name("codegen".into())
                .stack_size(STACK_SIZE)
                .spawn_scoped(scope, || self.generate_on_this_thread())
                .map_err(|source| Error::Io { path: self.package.clone(), source })?;
            worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    fn generate_on_this_thread(&self) -> Result<Generated, Error> {
        let start = Instant::now();
        let pkg = package::load(&self.package).map_err(Error::Input)?;
        let loaded = start.elapsed();
        let mut diags = pkg.warnings.clone();
        let mut modules = Vec::new();
        // Files parse independently: on every core, the results kept in file order.
        let parsed = parallel::each(&pkg.dts, parallel::threads(), |f| parse::dts::parse_dts(&f.path, &pkg.module_path(&f.path), &f.text));
        for result in parsed {
            match result {
                Ok(m) => modules.push(m),
                Err(errors) => diags.extend(errors),
            }
        }
        let parsed_dts = start.elapsed();
        let (js, convention) = if self.options.generate == Generate::TypesAndClient {
            let sources: Vec<parse::routes::JsSource<'_>> =
                pkg.js.iter().map(|f| parse::routes::JsSource { file: &f.path, text: &f.text }).collect();
            let read = parse::routes::extract_with(&sources, self.options.convention.as_deref());
            diags.extend(read.diags);
            (read.modules, Some(read.convention))
        } else {
            (Vec::new(), None)
        };
        let parsed_js = start.elapsed();
        let locate = |m: &str| pkg.js_file(m);
        let (space, resolve_diags) = resolve::resolve(&modules, &js, &locate, &pkg.entry_module(), &self.options);
        diags.extend(resolve_diags);
        if space.types.is_empty() && space.clients.is_empty() {
            let loc = Loc { file: pkg.types_entry.clone(), line: 1, col: 1 };
            diags.push(Diagnostic::error(loc, "the declarations hold no data type and no client: nothing to generate"));
        }
        if self.options.deny_fallbacks {
            diags = diags.into_iter().map(deny).collect();
        }
        let diags = attach_source_lines(diag::Diagnostics(diags).sorted().0, &pkg);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(Error::Input(diags));
        }
        let resolved = start.elapsed();
        let source = format!("{}@{}", pkg.name, pkg.version);
        let target = emit::Target { source: source.clone(), crate_doc: self.crate_doc.clone() };
        let files = match &self.layout {
            Layout::Crate => emit::emit_crate(&space, &self.options, &target).map_err(Error::Emit)?,
            Layout::SingleFile(name) => {
                let text = emit::emit_single_file(&space, &self.options, &target).map_err(Error::Emit)?;
                Files::from([(name.clone(), text)])
            }
        };
        let summary = Summary {
            files: pkg.dts.len(),
            js_files: pkg.js.len(),
            types: space.types.len(),
            operations: space.clients.iter().map(|c| c.operations.len() + c.calls.len()).sum(),
            skipped_methods: space.clients.iter().map(|c| c.skipped.len()).sum(),
            warnings: diags.len(),
            convention,
            fidelity: Fidelity::of(&space),
            elapsed: start.elapsed(),
            stages: [
                ("read", loaded),
                ("parse .d.ts", parsed_dts - loaded),
                ("parse JS routes", parsed_js - parsed_dts),
                ("resolve", resolved - parsed_js),
                ("emit + format", start.elapsed() - resolved),
            ],
        };
        Ok(Generated { manifest: manifest::build(&space, &source, &self.options.implemented), files, warnings: diags, inputs: pkg.inputs(), summary, space })
    }

    /// For `build.rs`: generates into the output folder (default `OUT_DIR`), writing only
    /// changed files, and tells cargo what to re-run on and what went wrong. Exits the build
    /// script with the diagnostics on error instead of panicking.
    pub fn run_build_script(self, file_name: &str) {
        let config = self.layout(Layout::SingleFile(file_name.to_string()));
        if config.out_dir.is_none() {
            println!("cargo::rerun-if-env-changed=OUT_DIR");
        }
        // Directives are rendered before anything is written: a path that cannot be printed
        // safely fails the build with nothing written.
        let result = config.generate().and_then(|g| {
            let directives = g.cargo_directives(config.cargo_warnings)?;
            let dir = config.resolved_out_dir()?;
            g.write(&dir)?;
            Ok(directives)
        });
        match result {
            Ok(directives) => directives.iter().for_each(|line| println!("{line}")),
            Err(e) => {
                // Re-run when any input changes, so fixing the input retriggers generation;
                // inputs that cannot be printed safely are reported, not printed.
                let inputs = package::load(&config.package).map(|p| p.inputs()).unwrap_or_default();
                for line in inputs.iter().filter_map(|p| cargo::rerun_if_changed(p).ok()) {
                    println!("{line}");
                }
                eprintln!("error: {e}");
                if let Error::Input(diags) = &e {
                    for d in diags {
                        eprintln!("{d}");
                    }
                }
                std::process::exit(1);
            }
        }
    }
}

/// Counts for the one-line summary.
#[derive(Debug, Clone)]
pub struct Summary {
    pub files: usize,
    pub js_files: usize,
    pub types: usize,
    pub operations: usize,
    pub skipped_methods: usize,
    pub warnings: usize,
    /// The call convention the JS was read with (`None` when generating types only).
    pub convention: Option<parse::routes::ConventionChoice>,
    /// Fields typed and fallen back to `serde_json::Value`, by cause.
    pub fidelity: Fidelity,
    pub elapsed: Duration,
    /// Time spent in each pipeline stage, in order.
    pub stages: [(&'static str, Duration); 5],
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} declaration files, {} JS files -> {} types, {} operations ({} methods not generated{}); {}; {} warnings in {:.2}s",
            self.files,
            self.js_files,
            self.types,
            self.operations,
            self.skipped_methods,
            self.convention.as_ref().map(|c| format!("; {c}")).unwrap_or_default(),
            self.fidelity,
            self.warnings,
            self.elapsed.as_secs_f64()
        )
    }
}

/// The result of a run, in memory.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: Files,
    /// Every fallback taken, with its location.
    pub warnings: Vec<Diagnostic>,
    /// Every file read (absolute paths): what a build script re-runs on.
    pub inputs: Vec<PathBuf>,
    pub summary: Summary,
    pub manifest: Manifest,
    /// The resolved type space the files were emitted from.
    pub space: ir::space::Space,
}

impl Generated {
    /// Writes into `dir`, only files whose content changed.
    pub fn write(&self, dir: &Path) -> Result<WriteReport, Error> {
        write::write(&self.files, dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })
    }

    /// Compares with the files in `dir`; `diff` summarises one file's change.
    pub fn check(&self, dir: &Path, diff: &dyn Fn(&str, &str) -> String) -> Result<Staleness, Error> {
        write::check(&self.files, dir, diff).map_err(|source| Error::Io { path: dir.to_path_buf(), source })
    }

    /// The lines a build script prints for cargo: `cargo::rerun-if-changed` for every input and,
    /// if `warnings`, `cargo::warning` for every warning, each exactly one line. An input whose
    /// path cannot be printed safely (not UTF-8, a line break or another control character) is
    /// an [`Error::Input`] naming it: it is never printed.
    pub fn cargo_directives(&self, warnings: bool) -> Result<Vec<String>, Error> {
        let mut lines = Vec::new();
        let mut refused = Vec::new();
        for input in &self.inputs {
            match cargo::rerun_if_changed(input) {
                Ok(line) => lines.push(line),
                Err(d) => refused.push(d),
            }
        }
        if !refused.is_empty() {
            return Err(Error::Input(refused));
        }
        lines.extend(self.warnings.iter().filter(|_| warnings).map(cargo::warning));
        Ok(lines)
    }
}

/// With `deny_fallbacks`, a warning (a fallback or a skipped declaration) is an error.
fn deny(d: Diagnostic) -> Diagnostic {
    if d.is_error() {
        return d;
    }
    let message = format!("{} (denied by `deny-fallbacks`)", d.message);
    Diagnostic::error(d.loc, message).with_source_line(d.source_line)
}

/// Gives every located diagnostic its source line. Each file with a diagnostic is indexed once,
/// so many diagnostics in one big file cost a lookup each, not a scan.
fn attach_source_lines(diags: Vec<Diagnostic>, pkg: &package::Package) -> Vec<Diagnostic> {
    use std::collections::HashMap;
    let files: HashMap<&str, &str> = pkg.dts.iter().chain(&pkg.js).map(|f| (f.path.as_str(), f.text.as_str())).collect();
    let mut indexes: HashMap<&str, diag::LineIndex> = HashMap::new();
    diags
        .into_iter()
        .map(|d| {
            if d.source_line.is_some() || d.loc.line == 0 {
                return d;
            }
            let Some((path, text)) = files.get_key_value(d.loc.file.as_str()) else { return d };
            let index = indexes.entry(path).or_insert_with(|| diag::LineIndex::new(text));
            let line = index.line(text, d.loc.line).map(str::to_string);
            d.with_source_line(line)
        })
        .collect()
}
