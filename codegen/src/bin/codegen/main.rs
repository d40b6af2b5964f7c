//! The command-line tool: a thin shell over the library.
//!
//! ```text
//! codegen fetch specs/stytch.toml              # npm pack + integrity check into .cache/
//! codegen generate specs/stytch.toml           # regenerate the crate the spec names
//! codegen generate specs/stytch.toml --check   # exit 1 with a diff summary when stale
//! codegen manifest specs/stytch.toml           # the API manifest as JSON
//! codegen generate --package DIR --out DIR     # any package folder, no spec
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

mod scaling;

use clap::{Parser, Subcommand};
use codegen::{Config, Error, Layout, Options, fetch, spec};

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
        /// Print only the summary, not every fallback taken (the summary still counts them).
        #[arg(long, short)]
        quiet: bool,
        #[command(flatten)]
        options: Options,
    },
    /// Print the API manifest (operations and methods not generated) as JSON.
    Manifest { spec: PathBuf },
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
            let config = spec.config(fetch::fetch(&spec)?)?;
            if scaling {
                let sizes: Vec<usize> = std::iter::successors(Some(1_000), |n| Some(n * 2)).take_while(|n| *n <= max).collect();
                scaling::run(&config, runs.clamp(1, 3), &sizes, &extra)?;
                return Ok(ExitCode::SUCCESS);
            }
            bench(&config, runs.max(1))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Manifest { spec } => {
            let spec = spec::Spec::load(&spec)?;
            let generated = spec.config(fetch::fetch(&spec)?)?.generate()?;
            println!("{}", serde_json::to_string_pretty(&generated.manifest)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate { spec, package, out, single_file, check, quiet, options } => {
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
            if !quiet {
                for w in &generated.warnings {
                    eprintln!("{w}");
                }
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
                eprintln!("hand-written upstream and not implemented here: {}", missing.join(", "));
            }
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
            if !report.temp_removed.is_empty() {
                eprintln!("{}: removed {} temporary file(s) left by an interrupted run", out.display(), report.temp_removed.len());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn bench(config: &Config, runs: usize) -> Result<()> {
    let mut totals = Vec::new();
    let mut stages: Vec<Vec<f64>> = vec![Vec::new(); 5];
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
    println!("(median of {runs} runs; absolute time {:.3}s on this machine, for reference only)", total);
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
