//! `codegen bench --scaling`: generation time on synthetic packages whose size doubles, in
//! every dimension the generator must be linear in, printed as the ratio per doubling (2.0 is
//! linear, 4.0 quadratic) and as a multiple of the real package's time measured in the same run.

use std::path::{Path, PathBuf};
use std::time::Instant;

use npm_sdk_codegen::{Config, Generate, Layout, Options};

/// One dimension: its name and the package files for size `n`.
struct Dimension {
    name: &'static str,
    files: fn(usize) -> Vec<(String, String)>,
}

const DIMENSIONS: [Dimension; 4] = [
    Dimension { name: "interfaces in one file", files: one_file },
    Dimension { name: "files", files: many_files },
    Dimension { name: "reference chain", files: reference_chain },
    Dimension { name: "fields on one line", files: one_line },
];

fn interface(i: usize, next: usize) -> String {
    format!(
        "/** Item {i}. */\nexport interface T{i} {{\n    id: string;\n    count?: number;\n    kind: \"a\" | \"b\";\n    next?: T{next};\n    settings: {{ enabled: boolean; tags: string[] }};\n}}\n"
    )
}

fn one_file(n: usize) -> Vec<(String, String)> {
    vec![("index.d.ts".into(), (0..n).map(|i| interface(i, (i + 1) % n)).collect())]
}

fn many_files(n: usize) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = (0..n).map(|i| (format!("m{i}.d.ts"), interface(i, i))).collect();
    files.push(("index.d.ts".into(), (0..n).map(|i| format!("export * from './m{i}';\n")).collect()));
    files
}

fn reference_chain(n: usize) -> Vec<(String, String)> {
    let mut text: String = (0..n).map(|i| format!("export interface R{i} {{ next: R{}; }}\n", i + 1)).collect();
    text.push_str(&format!("export interface R{n} {{ value: string; }}\n"));
    vec![("index.d.ts".into(), text)]
}

fn one_line(n: usize) -> Vec<(String, String)> {
    let fields: String = (0..n).map(|i| format!("f{i}: string; ")).collect();
    vec![("index.d.ts".into(), format!("export interface Wide {{ {fields}}}\n"))]
}

fn write_package(dir: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("package.json"), r#"{"name":"scaling","version":"0.0.0","types":"index.d.ts"}"#)?;
    for (name, text) in files {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

/// Median time of `runs` generations, in seconds.
fn median_time(config: &Config, runs: usize) -> Result<f64, npm_sdk_codegen::Error> {
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        config.generate()?;
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

/// The whole doubling series as one ratio per doubling, the geometric mean of the steps: a
/// single step moves with the machine's load, the series much less.
fn print_series_mean(series: &[f64]) {
    if let (Some(first), Some(last), true) = (series.first(), series.last(), series.len() > 1) {
        let mean = (last / first).powf(1.0 / (series.len() - 1) as f64);
        println!("{:>8} {:>10} {mean:>12.2}   (geometric mean of the doublings)", "series", "");
    }
}

/// Runs every dimension at `sizes` (each double the one before) and prints the ratios.
pub fn run(real: &Config, runs: usize, sizes: &[usize], extra: &[usize]) -> Result<(), Box<dyn std::error::Error>> {
    let real_time = median_time(real, runs)?;
    println!("real package: {:.3}s (median of {runs}; the unit below)", real_time);
    let dir: PathBuf = std::env::temp_dir().join(format!("codegen-scaling-{}", std::process::id()));
    let options = Options { generate: Generate::Types, ..Options::default() };
    for d in &DIMENSIONS {
        println!("\n{}", d.name);
        println!("{:>8} {:>10} {:>12} {:>14}", "n", "x real", "per doubling", "");
        let mut previous: Option<(usize, f64)> = None;
        let mut series: Vec<f64> = Vec::new();
        let all: Vec<usize> = sizes.iter().chain(extra).copied().collect();
        for (i, &n) in all.iter().enumerate() {
            write_package(&dir, &(d.files)(n))?;
            let config = Config::new(&dir).options(options.clone()).layout(Layout::SingleFile("out.rs".into()));
            let t = median_time(&config, if n > 20_000 { 1 } else { runs })?;
            let ratio = match previous {
                Some((m, p)) if m * 2 == n => format!("{:.2}", t / p),
                _ => "-".into(),
            };
            println!("{n:>8} {:>10.2} {ratio:>12}", t / real_time);
            previous = Some((n, t));
            if i < sizes.len() {
                series.push(t);
            }
        }
        print_series_mean(&series);
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("\n(ratio per doubling: 2.0 is linear; `x real`: time as a multiple of the real package's)");
    Ok(())
}
