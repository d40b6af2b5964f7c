//! A parallel map over independent jobs with scoped threads (no thread pool to depend on): each
//! worker takes the next job from a shared counter, and results are put back in job order, so
//! what the caller gets never depends on the number of workers or on scheduling.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Worker threads: one per core.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// `f` over every job on up to `threads` workers; the results in job order, or the error of
/// the first job (in job order) that failed.
///
/// Workers get the generation thread's stack size ([`crate::STACK_SIZE`]; only touched pages
/// are committed), since emitting recurses as deeply as the input's nesting allows.
pub(crate) fn map<J: Sync, T: Send>(jobs: &[J], threads: usize, f: impl Fn(&J) -> Result<T, String> + Sync) -> Result<Vec<T>, String> {
    map_with(jobs, threads, || (), |(), job| f(job))
}

/// [`map`] of a function that cannot fail.
pub(crate) fn each<J: Sync, T: Send>(jobs: &[J], threads: usize, f: impl Fn(&J) -> T + Sync) -> Vec<T> {
    match map(jobs, threads, |job| Ok(f(job))) {
        Ok(results) => results,
        Err(never) => unreachable!("no job of `each` fails: {never}"),
    }
}

/// [`map`] where each worker first builds a state of its own with `init` (what cannot be
/// shared between threads, or is cheaper built once per worker than once per job).
pub(crate) fn map_with<J: Sync, T: Send, S>(
    jobs: &[J],
    threads: usize,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &J) -> Result<T, String> + Sync,
) -> Result<Vec<T>, String> {
    let threads = threads.clamp(1, jobs.len().max(1));
    if threads == 1 {
        let mut state = init();
        return jobs.iter().map(|job| f(&mut state, job)).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<T, String>>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    let work = || {
        let mut state = init();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { break };
            let result = f(&mut state, job);
            results.lock().unwrap_or_else(|poisoned| poisoned.into_inner())[i] = Some(result);
        }
    };
    std::thread::scope(|scope| {
        let spawned: Vec<_> = (1..threads)
            .map(|n| std::thread::Builder::new().name(format!("codegen-worker-{n}")).stack_size(crate::STACK_SIZE).spawn_scoped(scope, work))
            .collect();
        // This thread works too; a worker that could not be started leaves its share to the others.
        work();
        for handle in spawned.into_iter().flatten() {
            handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
    });
    let results = results.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    results.into_iter().map(|r| r.expect("every job was taken by a worker that finished")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_job_order_whatever_the_number_of_workers() {
        let jobs: Vec<u64> = (0..200).collect();
        let square = |j: &u64| Ok::<_, String>(j * j);
        let one = map(&jobs, 1, square).unwrap();
        for threads in [2, 3, 8, 500] {
            assert_eq!(map(&jobs, threads, square).unwrap(), one);
        }
    }

    #[test]
    fn the_first_failing_job_in_order_gives_the_error() {
        let jobs: Vec<u32> = (0..100).collect();
        let f = |j: &u32| if *j % 7 == 3 { Err(format!("job {j}")) } else { Ok(*j) };
        for threads in [1, 2, 4] {
            assert_eq!(map(&jobs, threads, f).unwrap_err(), "job 3");
        }
        assert!(map(&Vec::<u32>::new(), 4, f).unwrap().is_empty());
    }
}
