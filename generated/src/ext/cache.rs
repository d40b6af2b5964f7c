//! A value fetched from the API, kept with the time it was fetched, and refreshed by one caller
//! at a time.
//!
//! Mirrors the `_pendingFetch` of jose's `RemoteJWKSet.reload` (used by the JS SDK's
//! `createRemoteJWKSet`): while one fetch is in flight, every other caller that needs a refresh
//! waits for it and gets its outcome (value or error) instead of fetching again. The JS
//! `PolicyCache` has no such guard; using it there too only removes duplicate requests.
//!
//! Unlike jose, a failed fetch is throttled as a successful one is: for
//! [`FAILED_FETCH_COOLDOWN`] after a failure, callers get that failure's error instead of
//! fetching again, so an endpoint that answers 500 is not hit once per verification.

use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use super::clock::Clock;

/// How long after a failed fetch every caller gets its error instead of fetching again (the
/// same 30 seconds as jose's JWKS `cooldownDuration` after a fetch).
pub const FAILED_FETCH_COOLDOWN: Duration = Duration::from_secs(30);

/// A fetched value and when its fetch completed.
#[derive(Debug)]
pub(crate) struct Stamped<T> {
    pub(crate) value: Arc<T>,
    pub(crate) fetched_at: SystemTime,
    /// The number of the attempt that fetched it.
    pub(crate) attempt: u64,
}

impl<T> Clone for Stamped<T> {
    fn clone(&self) -> Self {
        Stamped { value: self.value.clone(), fetched_at: self.fetched_at, attempt: self.attempt }
    }
}

impl<T> Stamped<T> {
    /// Whether the value is younger than `max_age` (JS `Date.now() < fetchedAt + maxAge`).
    pub(crate) fn younger_than(&self, max_age: Duration, now: SystemTime) -> bool {
        now < self.fetched_at + max_age
    }
}

#[derive(Debug)]
struct Slot<T> {
    value: Option<Stamped<T>>,
    /// Completed fetch attempts, successful or not.
    attempts: u64,
    /// The error of the last attempt and when it ended, if it failed.
    last_error: Option<(Arc<crate::Error>, SystemTime)>,
}

/// See the module documentation.
#[derive(Debug)]
pub(crate) struct SingleFlight<T> {
    slot: Mutex<Slot<T>>,
    fetching: tokio::sync::Mutex<()>,
}

impl<T> Default for SingleFlight<T> {
    fn default() -> Self {
        SingleFlight {
            slot: Mutex::new(Slot { value: None, attempts: 0, last_error: None }),
            fetching: tokio::sync::Mutex::new(()),
        }
    }
}

impl<T> SingleFlight<T> {
    fn slot(&self) -> MutexGuard<'_, Slot<T>> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached value (if any) and the number of attempts completed so far, to hand back to
    /// [`SingleFlight::refresh`].
    pub(crate) fn snapshot(&self) -> (Option<Stamped<T>>, u64) {
        let slot = self.slot();
        (slot.value.clone(), slot.attempts)
    }

    /// The cached value when it is younger than `max_age`, else a refreshed one.
    pub(crate) async fn get<F, Fut>(
        &self,
        max_age: Duration,
        clock: &dyn Clock,
        fetch: F,
    ) -> Result<Stamped<T>, Arc<crate::Error>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, crate::Error>>,
    {
        let (current, seen) = self.snapshot();
        match current {
            Some(v) if v.younger_than(max_age, clock.now()) => Ok(v),
            _ => self.refresh(seen, clock, fetch).await,
        }
    }

    /// Fetches a new value, unless an attempt completed after the caller's
    /// [`SingleFlight::snapshot`] reported `seen` attempts: then that attempt's outcome is
    /// returned; within [`FAILED_FETCH_COOLDOWN`] of a failed attempt, that attempt's error is
    /// returned. Only one fetch runs at a time; the others wait for it.
    pub(crate) async fn refresh<F, Fut>(
        &self,
        seen: u64,
        clock: &dyn Clock,
        fetch: F,
    ) -> Result<Stamped<T>, Arc<crate::Error>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, crate::Error>>,
    {
        let _fetching = self.fetching.lock().await;
        {
            let slot = self.slot();
            if slot.attempts != seen {
                if let Some((e, _)) = &slot.last_error {
                    return Err(e.clone());
                }
                if let Some(v) = &slot.value {
                    return Ok(v.clone());
                }
            }
            if let Some((e, failed_at)) = &slot.last_error
                && clock.now() < *failed_at + FAILED_FETCH_COOLDOWN
            {
                return Err(e.clone());
            }
        }
        // If this future is dropped while fetching, nothing is recorded and the next waiter
        // fetches instead.
        let result = fetch().await;
        let mut slot = self.slot();
        slot.attempts += 1;
        match result {
            Ok(value) => {
                let stamped = Stamped { value: Arc::new(value), fetched_at: clock.now(), attempt: slot.attempts };
                slot.value = Some(stamped.clone());
                slot.last_error = None;
                Ok(stamped)
            }
            Err(e) => {
                // As jose, the previous value stays (with its old timestamp, so it is not fresh).
                let e = Arc::new(e);
                slot.last_error = Some((e.clone(), clock.now()));
                Err(e)
            }
        }
    }
}
