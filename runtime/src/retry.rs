//! The opt-in retry policy: which failures are retried, and how long to wait
//! between attempts.
//!
//! The waits come from `backon`'s exponential backoff (with jitter); a
//! `Retry-After` or `retry-after-ms` response header replaces the computed wait
//! for that attempt, through `backon`'s per-attempt `adjust` hook.

use std::time::{Duration, SystemTime};

use backon::ExponentialBuilder;
use reqwest::Method;
use reqwest::header::HeaderMap;

/// When and how a [`crate::Transport`] sends a request again, set with
/// [`crate::Config::with_retry`]. Retries are off unless a policy is set.
///
/// Only idempotent methods (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`) are
/// retried, and only after a `429`, a `5xx`, a timeout or a failed connection.
/// The wait before each new attempt grows exponentially from
/// [`RetryPolicy::with_min_delay`] up to [`RetryPolicy::with_max_delay`], with
/// random jitter; when the response says how long to wait (`Retry-After` in
/// seconds or as an HTTP date, or `retry-after-ms`), that wait is used instead,
/// unless it exceeds [`RetryPolicy::with_max_retry_after`], in which case the
/// response is returned at once.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    max_attempts: usize,
    min_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, waits from 500 ms up to 30 s with jitter, server-requested
    /// waits up to 60 s.
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 3,
            min_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// The default policy (see [`RetryPolicy::default`]).
    pub fn new() -> RetryPolicy {
        RetryPolicy::default()
    }

    /// The number of attempts in all, the first one included (at least 1).
    pub fn with_max_attempts(mut self, attempts: usize) -> RetryPolicy {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; later waits double.
    pub fn with_min_delay(mut self, delay: Duration) -> RetryPolicy {
        self.min_delay = delay;
        self
    }

    /// The longest computed wait between two attempts.
    pub fn with_max_delay(mut self, delay: Duration) -> RetryPolicy {
        self.max_delay = delay;
        self
    }

    /// The longest server-requested wait that is honoured; a response asking
    /// for more is returned without retrying.
    pub fn with_max_retry_after(mut self, delay: Duration) -> RetryPolicy {
        self.max_retry_after = delay;
        self
    }

    /// Waits exactly the computed delays, without random jitter.
    pub fn without_jitter(mut self) -> RetryPolicy {
        self.jitter = false;
        self
    }

    /// The exponential backoff whose delays separate the attempts.
    pub(crate) fn backoff(&self) -> ExponentialBuilder {
        let builder = ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_attempts - 1);
        if self.jitter {
            builder.with_jitter()
        } else {
            builder
        }
    }

    /// Whether a request with `method` may be retried: only methods that have
    /// the same effect when sent twice.
    pub(crate) fn allows(&self, method: &Method) -> bool {
        [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS].contains(method)
    }

    /// The wait before the next attempt: the server's, when it named one (or
    /// `None`, to stop, when it exceeds the cap), else the backoff's.
    pub(crate) fn next_delay(
        &self,
        server_wait: Option<Duration>,
        backoff: Option<Duration>,
    ) -> Option<Duration> {
        let backoff = backoff?;
        match server_wait {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(backoff),
        }
    }
}

/// Whether a response with `status` is worth another attempt.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status)
}

/// How long the response asks to wait: `retry-after-ms` (milliseconds, as
/// some APIs send), else `Retry-After` in seconds or as an HTTP date (a date
/// in the past gives zero). `None` without a readable header.
pub(crate) fn server_wait(headers: &HeaderMap) -> Option<Duration> {
    let text = |name| headers.get(name)?.to_str().ok().map(str::trim);
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok())
        && ms.is_finite()
        && ms >= 0.0
    {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    let value = text("retry-after")?;
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(n, v)| (n.parse().unwrap(), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn server_wait_reads_ms_seconds_and_dates() {
        let ms = headers(&[("retry-after-ms", "250"), ("retry-after", "9")]);
        assert_eq!(server_wait(&ms), Some(Duration::from_millis(250)));
        assert_eq!(server_wait(&headers(&[("retry-after", " 7 ")])), Some(Duration::from_secs(7)));
        let past = headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]);
        assert_eq!(server_wait(&past), Some(Duration::ZERO));
        assert_eq!(server_wait(&headers(&[("retry-after", "soon")])), None);
        assert_eq!(server_wait(&headers(&[("retry-after-ms", "-5")])), None);
        assert_eq!(server_wait(&HeaderMap::new()), None);
    }

    #[test]
    fn server_wait_replaces_backoff_up_to_the_cap() {
        let policy = RetryPolicy::new().with_max_retry_after(Duration::from_secs(10));
        let backoff = Some(Duration::from_secs(1));
        assert_eq!(policy.next_delay(None, backoff), backoff);
        assert_eq!(policy.next_delay(Some(Duration::from_secs(4)), backoff), Some(Duration::from_secs(4)));
        assert_eq!(policy.next_delay(Some(Duration::from_secs(11)), backoff), None);
        assert_eq!(policy.next_delay(Some(Duration::from_secs(4)), None), None);
    }

    #[test]
    fn only_idempotent_methods_and_transient_statuses() {
        let policy = RetryPolicy::new();
        assert!(policy.allows(&Method::GET) && policy.allows(&Method::DELETE));
        assert!(!policy.allows(&Method::POST) && !policy.allows(&Method::PATCH));
        assert!(is_retryable_status(429) && is_retryable_status(503));
        assert!(!is_retryable_status(400) && !is_retryable_status(404) && !is_retryable_status(200));
    }
}
