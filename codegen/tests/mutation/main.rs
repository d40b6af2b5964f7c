//! Seeded mutations of the real, pinned package (`specs/stytch.toml`): each run changes one file
//! of a copy of the package (a `.d.ts`, a JS file or `package.json`) with 1 to 3 random
//! operators (see `operators.rs`) and runs the `codegen` binary on it in a child process, under a
//! time limit. Every run must end in generated output (exit 0) or located diagnostics (exit 1)
//! with nothing written; a panic, an abort (a stack overflow kills the process), a timeout or a
//! half-written output folder fails the test, which lists every failing run with its mutations.
//!
//! Runs are numbered; run `n` depends only on `SEED` and `n`, never on the other runs, so the
//! results do not depend on the number of parallel workers.
//!
//! ```text
//! cargo test -p npm-sdk-codegen --test mutation                           # the CI size
//! MUTATION_RUNS=3300 cargo test -p npm-sdk-codegen --test mutation --release -- --nocapture
//! MUTATION_ONLY=17 cargo test -p npm-sdk-codegen --test mutation -- --nocapture   # one run, kept on disk
//! ```
//!
//! `MUTATION_JOBS` sets the number of parallel workers (default: the number of cores),
//! `MUTATION_TIMEOUT_SECS` the time limit per run, `MUTATION_SEED` another seed (a number) for
//! a fresh set of mutations; with `MUTATION_VERBOSE` set, every run is listed with its outcome.

mod operators;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use operators::{Kind, Rng};

const SEED: u64 = 0x5EED_C0DE_6E0A_2026;
/// Runs in CI. A run re-generates the whole package in a child process: about 0.8 CPU-seconds
/// in a debug build (a fifth of that in release), so 100 runs take about 40 s on two idle cores.
const CI_RUNS: usize = 100;
/// Far above a run's time (a debug run takes under 2 s on an idle machine, under 10 s with
/// load average 10 on two cores), so only a hang or a blow-up reaches it.
const DEFAULT_TIMEOUT_SECS: u64 = 30;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(value.parse().unwrap_or_else(|_| panic!("{name} must be a number, not {value:?}")))
}

/// The pinned package's folder in the cache, from the spec's name and version.
fn pinned_package() -> PathBuf {
    let spec = npm_sdk_codegen::spec::Spec::load(&workspace().join("specs/stytch.toml")).unwrap();
    let dir = spec.cache_dir().join(format!("{}-{}", spec.package.name, spec.package.version)).join("package");
    assert!(dir.join("package.json").is_file(), "run `cargo run -p npm-sdk-codegen -- fetch specs/stytch.toml` first");
    dir
}

/// The files runs mutate, relative to the package root, with their original bytes.
struct Corpus {
    seed: u64,
    root: PathBuf,
    dts: Vec<(String, Vec<u8>)>,
    js: Vec<(String, Vec<u8>)>,
    package_json: Vec<u8>,
}

impl Corpus {
    fn load(root: PathBuf, seed: u64) -> Corpus {
        let mut files = Vec::new();
        list_files(&root, &root, &mut files);
        files.sort();
        let read = |rel: &String| (rel.clone(), std::fs::read(root.join(rel)).unwrap());
        let dts = files.iter().filter(|f| f.ends_with(".d.ts")).map(read).collect();
        let js = files.iter().filter(|f| f.ends_with(".js")).map(read).collect();
        let package_json = std::fs::read(root.join("package.json")).unwrap();
        Corpus { seed, root, dts, js, package_json }
    }

    /// Run `run`'s file and mutated bytes, and what was done to them.
    fn mutation(&self, run: usize) -> Mutation {
        let mut rng = Rng::new(self.seed ^ (run as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let (kind, (file, original)) = match rng.below(10) {
            0 => (Kind::PackageJson, (&"package.json".to_string(), &self.package_json)),
            1..=5 => (Kind::Dts, pair(rng.pick(&self.dts))),
            _ => (Kind::Js, pair(rng.pick(&self.js))),
        };
        let mut bytes = original.clone();
        let steps = (0..1 + rng.below(3)).map(|_| operators::mutate(&mut bytes, kind, &mut rng)).collect();
        Mutation { seed: self.seed, run, file: file.clone(), original: original.clone(), bytes, steps }
    }
}

fn pair((a, b): &(String, Vec<u8>)) -> (&String, &Vec<u8>) {
    (a, b)
}

fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            list_files(root, &path, out);
        } else {
            out.push(path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
        }
    }
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

struct Mutation {
    seed: u64,
    run: usize,
    file: String,
    original: Vec<u8>,
    bytes: Vec<u8>,
    steps: Vec<String>,
}

impl std::fmt::Display for Mutation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "run {} (seed {:#x}): {}: {}", self.run, self.seed, self.file, self.steps.join("; "))
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// Exit 0 and the output folder holds the crate.
    Generated,
    /// Exit 1 with diagnostics, nothing written.
    Refused,
    Panic(String),
    /// Killed by a signal (a stack overflow aborts).
    Abort(String),
    Timeout,
    /// The generator says its own output does not parse (`Error::Emit`): a generator bug.
    InternalError(String),
    /// Exit 1 but the output folder is not empty.
    WroteOnError(Vec<String>),
    /// Anything else: exit 0 without output, another exit code.
    Unexpected(String),
}

impl Outcome {
    fn is_failure(&self) -> bool {
        !matches!(self, Outcome::Generated | Outcome::Refused)
    }
}

/// One worker: its own copy of the package and its own output folder.
struct Worker {
    package: PathBuf,
    out: PathBuf,
    stderr: PathBuf,
    timeout: Duration,
}

impl Worker {
    fn new(corpus: &Corpus, dir: PathBuf, timeout: Duration) -> Worker {
        let _ = std::fs::remove_dir_all(&dir);
        copy_dir(&corpus.root, &dir.join("package"));
        Worker { package: dir.join("package"), out: dir.join("out"), stderr: dir.join("stderr.txt"), timeout }
    }

    /// Applies the mutation, runs the generator, restores the file.
    fn run(&self, mutation: &Mutation) -> Outcome {
        let path = self.package.join(&mutation.file);
        std::fs::write(&path, &mutation.bytes).unwrap();
        let outcome = self.generate();
        std::fs::write(&path, &mutation.original).unwrap();
        outcome
    }

    fn generate(&self) -> Outcome {
        let _ = std::fs::remove_dir_all(&self.out);
        std::fs::create_dir_all(&self.out).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_codegen"))
            .args(["generate", "--quiet", "--number", "integer", "--package"])
            .arg(&self.package)
            .arg("--out")
            .arg(&self.out)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(&self.stderr).unwrap())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > self.timeout {
                child.kill().unwrap();
                child.wait().unwrap();
                return Outcome::Timeout;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let stderr = std::fs::read_to_string(&self.stderr).unwrap_or_default();
        classify(status, &stderr, written_files(&self.out))
    }
}

/// How a run ended, from the child's exit status, its stderr and the files in the output folder.
fn classify(status: ExitStatus, stderr: &str, written: Vec<String>) -> Outcome {
    let excerpt = || stderr.lines().take(6).collect::<Vec<_>>().join("\n");
    if stderr.contains("panicked at") {
        return Outcome::Panic(excerpt());
    }
    match status.code() {
        None => Outcome::Abort(format!("{status}: {}", excerpt())),
        Some(1) if stderr.starts_with("error: internal error") => Outcome::InternalError(excerpt()),
        Some(0) if written.iter().any(|f| f == "src/lib.rs") => Outcome::Generated,
        Some(1) if written.is_empty() && stderr.starts_with("error") => Outcome::Refused,
        Some(1) if !written.is_empty() => Outcome::WroteOnError(written),
        _ => Outcome::Unexpected(format!("{status}, {} files written: {}", written.len(), excerpt())),
    }
}

fn written_files(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    if dir.is_dir() {
        list_files(dir, dir, &mut files);
    }
    files.sort();
    files
}

/// One finished run.
struct Ran {
    mutation: Mutation,
    outcome: Outcome,
    took: Duration,
}

/// Runs `runs` on `jobs` workers in parallel; returns every run, in order.
fn run_all(corpus: &Corpus, runs: &[usize], jobs: usize, timeout: Duration) -> Vec<Ran> {
    // Per process: test runs of several checkouts may share one target folder.
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mutation").join(format!("pid-{}", std::process::id()));
    let mut results: Vec<Ran> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..jobs)
            .map(|job| {
                let dir = scratch.join(format!("worker-{job}"));
                scope.spawn(move || {
                    let worker = Worker::new(corpus, dir, timeout);
                    let mine = runs.iter().skip(job).step_by(jobs);
                    mine.map(|&run| {
                        let mutation = corpus.mutation(run);
                        let start = Instant::now();
                        let outcome = worker.run(&mutation);
                        Ran { mutation, outcome, took: start.elapsed() }
                    })
                    .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    results.sort_by_key(|r| r.mutation.run);
    std::fs::remove_dir_all(&scratch).unwrap();
    results
}

fn count(results: &[Ran], f: impl Fn(&Outcome) -> bool) -> usize {
    results.iter().filter(|r| f(&r.outcome)).count()
}

fn summary(results: &[Ran], elapsed: Duration, jobs: usize) -> String {
    format!(
        "{} runs in {:.1}s on {jobs} workers: {} generated, {} refused with diagnostics; {} panics, {} aborts, {} timeouts, \
         {} internal errors, {} wrote on error, {} unexpected; slowest run {:.2}s",
        results.len(),
        elapsed.as_secs_f64(),
        count(results, |o| *o == Outcome::Generated),
        count(results, |o| *o == Outcome::Refused),
        count(results, |o| matches!(o, Outcome::Panic(_))),
        count(results, |o| matches!(o, Outcome::Abort(_))),
        count(results, |o| *o == Outcome::Timeout),
        count(results, |o| matches!(o, Outcome::InternalError(_))),
        count(results, |o| matches!(o, Outcome::WroteOnError(_))),
        count(results, |o| matches!(o, Outcome::Unexpected(_))),
        results.iter().map(|r| r.took).max().unwrap_or_default().as_secs_f64(),
    )
}

fn failure_report(r: &Ran) -> String {
    let run = r.mutation.run;
    format!(
        "{}\n  => {:?}\n  reproduce: MUTATION_SEED={} MUTATION_ONLY={run} cargo test -p npm-sdk-codegen --test mutation -- --nocapture",
        r.mutation, r.outcome, r.mutation.seed
    )
}

/// One run, left on disk for inspection: `MUTATION_ONLY=<run>`.
fn reproduce(corpus: &Corpus, run: usize, timeout: Duration) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mutation").join(format!("run-{run}"));
    let worker = Worker::new(corpus, dir, timeout);
    let mutation = corpus.mutation(run);
    std::fs::write(worker.package.join(&mutation.file), &mutation.bytes).unwrap();
    let outcome = worker.generate();
    println!("{mutation}\n=> {outcome:?}");
    println!("mutated package: {}\ngenerator's stderr: {}", worker.package.display(), worker.stderr.display());
    assert!(!outcome.is_failure(), "{mutation}: {outcome:?}");
}

#[test]
fn seeded_mutations_of_the_real_package_never_crash_hang_or_half_write() {
    let corpus = Corpus::load(pinned_package(), env_number("MUTATION_SEED").unwrap_or(SEED));
    let timeout = Duration::from_secs(env_number("MUTATION_TIMEOUT_SECS").unwrap_or(DEFAULT_TIMEOUT_SECS));
    if let Some(run) = env_number("MUTATION_ONLY") {
        return reproduce(&corpus, run as usize, timeout);
    }
    let runs: Vec<usize> = (0..env_number("MUTATION_RUNS").map_or(CI_RUNS, |n| n as usize)).collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = env_number("MUTATION_JOBS").map_or(cores, |n| n as usize).clamp(1, runs.len().max(1));
    let start = Instant::now();
    let results = run_all(&corpus, &runs, jobs, timeout);
    let summary = summary(&results, start.elapsed(), jobs);
    if std::env::var_os("MUTATION_VERBOSE").is_some() {
        results.iter().for_each(|r| println!("{} => {:?} in {:.2}s", r.mutation, r.outcome, r.took.as_secs_f64()));
    }
    println!("mutation: {summary}");
    let failures: Vec<String> = results.iter().filter(|r| r.outcome.is_failure()).map(failure_report).collect();
    assert!(failures.is_empty(), "{summary}\n{}", failures.join("\n"));
    // Both outcomes must be common, or the mutations are too weak (or too destructive) to test much.
    let generated = count(&results, |o| *o == Outcome::Generated);
    if results.len() >= 50 {
        assert!(generated * 10 >= results.len() && (results.len() - generated) * 10 >= results.len(), "{summary}");
    }
}

/// The test can fail: every way a child can end badly is told apart from the two good ones.
#[cfg(unix)]
#[test]
fn every_bad_ending_of_a_run_is_a_failure() {
    use std::os::unix::process::ExitStatusExt;
    let exit = |code: i32| ExitStatus::from_raw(code << 8);
    let lib = || vec!["src/lib.rs".to_string()];
    assert_eq!(classify(exit(0), "3 declaration files", lib()), Outcome::Generated);
    assert_eq!(classify(exit(1), "error: 1 error(s) in the input", vec![]), Outcome::Refused);
    let bad = [
        classify(exit(101), "thread 'main' panicked at src/x.rs:1:1:", vec![]),
        classify(ExitStatus::from_raw(6), "thread 'main' has overflowed its stack", vec![]),
        classify(exit(1), "error: internal error: generated code does not parse", vec![]),
        classify(exit(1), "error: 1 error(s) in the input", lib()),
        classify(exit(0), "", vec![]),
        classify(exit(2), "error: unexpected argument", vec![]),
    ];
    assert!(matches!(bad[0], Outcome::Panic(_)) && matches!(bad[1], Outcome::Abort(_)), "{bad:?}");
    assert!(matches!(bad[2], Outcome::InternalError(_)) && matches!(bad[3], Outcome::WroteOnError(_)), "{bad:?}");
    assert!(bad.iter().all(Outcome::is_failure), "{bad:?}");
}

/// A run is reproducible from its number alone.
#[test]
fn a_run_is_the_same_mutation_every_time() {
    let corpus = Corpus::load(pinned_package(), SEED);
    for run in [0, 1, 99, 3299] {
        let (a, b) = (corpus.mutation(run), corpus.mutation(run));
        assert_eq!((&a.file, &a.bytes, &a.steps), (&b.file, &b.bytes, &b.steps));
    }
    assert_ne!(corpus.mutation(0).bytes, corpus.mutation(1).bytes);
}
