//! The command-line tool: a thin shell over the library.
//!
//! ```text
//! codegen fetch specs/stytch.toml              # npm pack + integrity check into .cache/
//! codegen generate specs/stytch.toml           # regenerate the crate the spec names
//! codegen generate specs/stytch.toml --check   # exit 1 with a diff summary when stale
//! codegen manifest specs/stytch.toml           # the API manifest as JSON
//! codegen generate --package DIR --out DIR     # any package folder, no spec
//! codegen diff stytch@13.2.5 specs/stytch.toml  # what changed in the API, classified for semver
//! codegen upgrade specs/stytch.toml --to latest # move the pin, regenerate, changelog, version bump
//! codegen outdated specs/stytch.toml            # newer upstream versions (exit 1 when any)
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

mod floor;
mod scaling;

// Generation allocates many small, short-lived values (tokens, syntax trees, strings): with
// mimalloc the whole run on stytch takes about a fifth less than with glibc's allocator (the
// floor `bench` compares with gains about as much). Build scripts keep their own allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use npm_sdk_codegen::diff::source::{Source, diff_sources};
use npm_sdk_codegen::{Config, Error, Layout, Options, fetch, spec, stale, upgrade};

#[derive(Parser)]
#[command(version, about = "Generate a Rust SDK crate from an npm package's declarations and JS")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Breaking,
    Additive,
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
        /// Print only the summary, not every fallback taken (the summary still counts them).
        #[arg(long, short)]
        quiet: bool,
        #[command(flatten)]
        options: Box<Options>,
    },
    /// Print the API manifest (operations and methods not generated) as JSON.
    Manifest { spec: PathBuf },
    /// What changed between two versions of an API, from the resolved model, each change
    /// classified for the generated crate's semver (breaking, additive, doc-only). Prints
    /// Markdown (or JSON); exit 1 with --fail-on when a change of that class or worse exists.
    Diff {
        /// A package folder, a spec file or NAME@VERSION (fetched, integrity from npm).
        old: String,
        /// A package folder, a spec file or NAME@VERSION.
        new: String,
        /// Generate both sides with this spec's options (default: the new side's spec, else the
        /// old side's, else the defaults).
        #[arg(long)]
        options_from: Option<PathBuf>,
        /// Print the diff as JSON (schema: README, "codegen diff --json").
        #[arg(long)]
        json: bool,
        /// Exit 1 when a change of this class or worse exists (for CI).
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
    },
    /// Move the spec's pin to another published version (npm), fetch and verify it, regenerate,
    /// print the API changelog, bump the output crate's version and add a CHANGELOG.md entry.
    Upgrade {
        spec: PathBuf,
        /// A version, or a tag such as `latest`.
        #[arg(long, default_value = "latest")]
        to: String,
    },
    /// List published versions newer than the spec's pin. Exit 0 when up to date, 1 when newer
    /// versions exist (a scheduled CI job can run it), 2 on error.
    Outdated { spec: PathBuf },
    /// Run the whole pipeline in memory several times and print where the time goes, as
    /// shares of the total and as ratios to reading the input (machine-independent figures).
    Bench {
        spec: PathBuf,
        #[arg(long, default_value_t = 10)]
        runs: usize,
        /// Instead: time synthetic packages of doubling size (one file of N interfaces, N
        /// files, a reference chain of N, N fields on one line) and print the time ratio per
        /// doubling, with the spec's package as the unit.
        #[arg(long)]
        scaling: bool,
        /// With --scaling: the largest N of the doubling series (from 1,000).
        #[arg(long, default_value_t = 16_000, requires = "scaling")]
        max: usize,
        /// With --scaling: sizes measured after the series (time as a multiple of the real
        /// package only), e.g. `--extra 20000,100000`.
        #[arg(long, value_delimiter = ',', requires = "scaling")]
        extra: Vec<usize>,
    },
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
        Command::Bench { spec, runs, scaling, max, extra } => {
            let spec = spec::Spec::load(&spec)?;
            let dir = fetch::fetch(&spec)?;
            let config = spec.config(dir.clone())?;
            if scaling {
                let sizes: Vec<usize> = std::iter::successors(Some(1_000), |n| Some(n * 2)).take_while(|n| *n <= max).collect();
                scaling::run(&config, runs.clamp(1, 3), &sizes, &extra)?;
                return Ok(ExitCode::SUCCESS);
            }
            let reads_js = spec.options.generate == npm_sdk_codegen::Generate::TypesAndClient;
            bench(&config, &dir, reads_js, runs.max(1))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Manifest { spec } => {
            let spec = spec::Spec::load(&spec)?;
            let generated = spec.config(fetch::fetch(&spec)?)?.generate()?;
            println!("{}", serde_json::to_string_pretty(&generated.manifest)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff { old, new, options_from, json, fail_on } => {
            let options_spec = options_from.map(|p| spec::Spec::load(&p)).transpose()?;
            let (diff, ..) = diff_sources(&Source::parse(&old)?, &Source::parse(&new)?, options_spec.as_ref())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&diff)?);
            } else {
                print!("{}", diff.markdown());
            }
            let threshold = match fail_on {
                Some(FailOn::Breaking) => npm_sdk_codegen::diff::Class::Breaking,
                Some(FailOn::Additive) => npm_sdk_codegen::diff::Class::Additive,
                None => return Ok(ExitCode::SUCCESS),
            };
            Ok(if diff.worst().is_some_and(|w| w <= threshold) { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Command::Upgrade { spec, to } => upgrade_command(&spec, &to),
        Command::Outdated { spec } => {
            let looked_up = spec::Spec::load(&spec).and_then(|loaded| Ok((upgrade::newer_versions(&loaded)?, loaded)));
            let (newer, loaded) = match looked_up {
                Ok(found) => found,
                Err(e) => {
                    eprintln!("error: {e}");
                    return Ok(ExitCode::from(2));
                }
            };
            let pin = format!("{}@{}", loaded.package.name, loaded.package.version);
            if newer.is_empty() {
                println!("{pin} is the newest version");
                return Ok(ExitCode::SUCCESS);
            }
            println!("{pin}: {} newer version(s): {}", newer.len(), newer.join(", "));
            println!("upgrade with: codegen upgrade {} --to {}", spec.display(), newer[newer.len() - 1]);
            Ok(ExitCode::FAILURE)
        }
        Command::Generate { spec, package, out, single_file, check, quiet, options } => {
            let mut spec_options = None;
            let (config, default_out) = match (spec, package) {
                (Some(spec_path), _) => {
                    let spec = spec::Spec::load(&spec_path)?;
                    let config = spec.config(fetch::fetch(&spec)?)?;
                    let out = spec.output_dir();
                    spec_options = Some((spec_path, spec.options));
                    (config, Some(out))
                }
                (None, Some(package)) => (Config::new(package).options(*options).layout(Layout::Crate), None),
                (None, None) => return Err("give a spec file or --package".into()),
            };
            let config = match single_file {
                Some(name) => config.layout(Layout::SingleFile(name)),
                None => config,
            };
            let out = out.or(default_out).ok_or("give --out (or a spec with [output] dir)")?;
            let generated = config.generate()?;
            if !quiet {
                for w in &generated.warnings {
                    eprintln!("{w}");
                }
            }
            if let Some((path, options)) = &spec_options {
                print_stale_options(&generated, options, path)?;
            }
            eprintln!("{}", generated.summary);
            let missing: Vec<String> = generated
                .manifest
                .hand_written
                .iter()
                .filter(|h| h.implemented_by.is_none())
                .map(|h| format!("{}#{} ({})", h.module, h.method, h.reason))
                .collect();
            if !missing.is_empty() {
                eprintln!("not generated and not implemented here: {}", missing.join(", "));
            }
            if check {
                let staleness = generated.check(&out, &diff_summary)?;
                if staleness.is_fresh() {
                    eprintln!("{}: up to date ({} files)", out.display(), generated.files.len());
                    return Ok(ExitCode::SUCCESS);
                }
                eprint!("{staleness}");
                eprintln!("{}: stale; regenerate with `cargo run -p npm-sdk-codegen -- generate`", out.display());
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
            if !report.temp_removed.is_empty() {
                eprintln!("{}: removed {} temporary file(s) left by an interrupted run", out.display(), report.temp_removed.len());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Warns about spec options that match nothing in the package (see `stale::stale_options`).
/// Printed also with `--quiet`: a stale option is a mistake to fix, not a fallback taken.
fn print_stale_options(generated: &npm_sdk_codegen::Generated, options: &Options, spec_path: &std::path::Path) -> Result<()> {
    let text = std::fs::read_to_string(spec_path)?;
    for w in stale::stale_options(&generated.space, &generated.manifest, options, &spec_path.display().to_string(), Some(&text)) {
        eprintln!("{w}");
    }
    Ok(())
}

fn upgrade_command(spec: &std::path::Path, to: &str) -> Result<ExitCode> {
    let Some(done) = upgrade::upgrade(spec, to)? else {
        eprintln!("{}: already at {to}", spec.display());
        return Ok(ExitCode::SUCCESS);
    };
    print!("{}", done.diff.markdown());
    for w in &done.stale {
        eprintln!("{w}");
    }
    eprintln!("{}: {} -> {}", spec.display(), done.from, done.to);
    let w = &done.written;
    eprintln!("generated: {} written, {} unchanged, {} removed", w.written.len(), w.unchanged.len(), w.removed.len());
    match (&done.crate_version, &done.changelog) {
        (Some((before, after)), Some(log)) => eprintln!("crate version {before} -> {after}; changelog entry added to {}", log.display()),
        _ => eprintln!("the output folder has no Cargo.toml: no version bump, no changelog"),
    }
    eprintln!("review: the changelog above, `git diff`, then `bash scripts/test.sh` (hand-written ext/ code is checked first)");
    Ok(ExitCode::SUCCESS)
}

/// Times the whole pipeline `runs` times and, after each run, the floor on the same input and
/// output (see `floor`); prints medians as shares and ratios, all from this one process.
fn bench(config: &Config, package_dir: &std::path::Path, reads_js: bool, runs: usize) -> Result<()> {
    let pkg = npm_sdk_codegen::package::load(package_dir).map_err(Error::Input)?;
    let mut totals = Vec::new();
    let mut stages: Vec<Vec<f64>> = vec![Vec::new(); 5];
    let (mut parse_floor, mut print_floor) = (Vec::new(), Vec::new());
    let mut names = [""; 5];
    let mut out_bytes = 0;
    for _ in 0..runs {
        let g = config.generate()?;
        totals.push(g.summary.elapsed.as_secs_f64());
        for (i, (name, d)) in g.summary.stages.iter().enumerate() {
            names[i] = name;
            stages[i].push(d.as_secs_f64());
        }
        out_bytes = g.files.values().map(String::len).sum::<usize>();
        parse_floor.push(floor::parse_seconds(&pkg, reads_js));
        print_floor.push(floor::print_seconds(&floor::output_trees(&g.files)?));
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let total = median(&mut totals);
    let read = median(&mut stages[0].clone()).max(1e-9);
    println!("runs: {runs}; output: {} KiB", out_bytes / 1024);
    println!("{:<18} {:>8} {:>14}", "stage", "share", "x reading");
    for (i, name) in names.iter().enumerate() {
        let m = median(&mut stages[i]);
        println!("{name:<18} {:>7.1}% {:>13.1}x", 100.0 * m / total, m / read);
    }
    println!("{:<18} {:>7.1}% {:>13.1}x", "total", 100.0, total / read);
    let (parse, print) = (median(&mut parse_floor), median(&mut print_floor));
    let floor = parse + print;
    println!("\nfloor (same process, same input and output): swc parse only {:.1}% + prettyplease print only {:.1}% of it", 100.0 * parse / floor, 100.0 * print / floor);
    println!("total = {:.2}x the floor", total / floor);
    println!("(medians of {runs} runs; absolute times on this machine, for reference only: total {:.1} ms, floor {:.1} ms)", total * 1e3, floor * 1e3);
    Ok(())
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
