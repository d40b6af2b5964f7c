//! The command-line tool: a thin shell over the library.
//!
//! ```text
//! codegen fetch specs/stytch.toml              # npm pack + integrity check into .cache/
//! codegen generate specs/stytch.toml           # regenerate the crate the spec names
//! codegen generate specs/stytch.toml --check   # exit 1 with a diff summary when stale
//! codegen manifest specs/stytch.toml           # the API manifest as JSON
//! codegen generate --package DIR --out DIR     # any package folder, no spec
//! ```

mod fetch;
mod spec;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codegen::{Config, Error, Layout, Options};

#[derive(Parser)]
#[command(version, about = "Generate a Rust SDK crate from an npm package's declarations and JS")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Download the spec's pinned package with `npm pack`, check its integrity hash, unpack it
    /// into the cache and print the package folder.
    Fetch { spec: PathBuf },
    /// Generate (or with --check, verify) the output.
    Generate {
        /// A spec file (`specs/*.toml`): package pin, output folder and options.
        spec: Option<PathBuf>,
        /// Generate from this package folder instead of a spec's pinned package.
        #[arg(long, conflicts_with = "spec")]
        package: Option<PathBuf>,
        /// Output folder (a crate root for the crate layout). Overrides the spec.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write one file with this name, for `include!`, instead of a crate's `src/`.
        #[arg(long)]
        single_file: Option<String>,
        /// Compare with the files on disk instead of writing; exit 1 when they differ.
        #[arg(long)]
        check: bool,
        /// Also print every warning (the summary always counts them).
        #[arg(long, short)]
        verbose: bool,
        #[command(flatten)]
        options: Options,
    },
    /// Print the API manifest (operations and methods not generated) as JSON.
    Manifest { spec: PathBuf },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(Error::Input(diags)) = e.downcast_ref::<Error>() {
                for d in diags.iter().filter(|d| d.is_error()) {
                    eprintln!("{d}");
                }
            }
            ExitCode::FAILURE
        }
    }
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Fetch { spec } => {
            let spec = spec::Spec::load(&spec)?;
            println!("{}", fetch::fetch(&spec)?.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Manifest { spec } => {
            let spec = spec::Spec::load(&spec)?;
            let generated = spec.config(fetch::fetch(&spec)?)?.generate()?;
            println!("{}", serde_json::to_string_pretty(&generated.manifest)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate { spec, package, out, single_file, check, verbose, options } => {
            let (config, default_out) = match (spec, package) {
                (Some(spec), _) => {
                    let spec = spec::Spec::load(&spec)?;
                    (spec.config(fetch::fetch(&spec)?)?, Some(spec.output_dir()))
                }
                (None, Some(package)) => (Config::new(package).options(options).layout(Layout::Crate), None),
                (None, None) => return Err("give a spec file or --package".into()),
            };
            let config = match single_file {
                Some(name) => config.layout(Layout::SingleFile(name)),
                None => config,
            };
            let out = out.or(default_out).ok_or("give --out (or a spec with [output] dir)")?;
            let generated = config.generate()?;
            if verbose {
                for w in &generated.warnings {
                    eprintln!("{w}");
                }
            }
            eprintln!("{}", generated.summary);
            if check {
                let staleness = generated.check(&out, &diff_summary)?;
                if staleness.is_fresh() {
                    eprintln!("{}: up to date ({} files)", out.display(), generated.files.len());
                    return Ok(ExitCode::SUCCESS);
                }
                eprint!("{staleness}");
                eprintln!("{}: stale; regenerate with `cargo run -p codegen -- generate`", out.display());
                return Ok(ExitCode::FAILURE);
            }
            let report = generated.write(&out)?;
            eprintln!(
                "{}: {} written, {} unchanged, {} removed",
                out.display(),
                report.written.len(),
                report.unchanged.len(),
                report.removed.len()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A unified diff of one file, cut to a readable length.
fn diff_summary(old: &str, new: &str) -> String {
    const MAX_LINES: usize = 40;
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff.unified_diff().context_radius(2).header("on disk", "generated").to_string();
    let total = text.lines().count();
    let mut out: String = text.lines().take(MAX_LINES).map(|l| format!("    {l}\n")).collect();
    if total > MAX_LINES {
        out.push_str(&format!("    ... {} more diff lines\n", total - MAX_LINES));
    }
    out
}
