//! The time source of the hand-written code, and the JS `Date` conversions it needs.
//!
//! Mirrors the places where the JS SDK reads `Date.now()` / `new Date()`: the JWT claim checks of
//! `dist/shared/sessions.js` (through jose's `jwtVerify`), the JWKS cache of jose's
//! `createRemoteJWKSet` and the `PolicyCache` of `dist/shared/rbac_local.js`. Here they all read
//! the [`Clock`] of the client ([`crate::ext::ClientConfig::clock`]), so that tests can move time
//! instead of sleeping.

use std::fmt;
use std::sync::{Arc, Mutex};
#[cfg(any(feature = "consumer", feature = "b2b"))]
use std::time::UNIX_EPOCH;
use std::time::{Duration, SystemTime};

/// Where the client reads the current time from.
///
/// The default is [`SystemClock`]; tests use [`ManualClock`] (or their own implementation) through
/// [`crate::ext::ClientConfig::clock`].
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The operating system's clock ([`SystemTime::now`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that only moves when told to, for tests.
///
/// Share it with the client through an [`Arc`]: `Arc<ManualClock>` is a [`Clock`] too.
///
/// ```
/// use std::sync::Arc;
/// use std::time::{Duration, UNIX_EPOCH};
/// use stytch_generated::ext::{Clock, ClientConfig, ManualClock};
///
/// let clock = Arc::new(ManualClock::new(UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
/// let config = ClientConfig::new("project-test-1", "secret").clock(clock.clone());
/// clock.advance(Duration::from_secs(600));
/// assert_eq!(clock.now(), UNIX_EPOCH + Duration::from_secs(1_700_000_600));
/// # let _ = config;
/// ```
pub struct ManualClock {
    now: Mutex<SystemTime>,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: SystemTime) -> ManualClock {
        ManualClock { now: Mutex::new(start) }
    }

    /// Moves the clock to `time` (also backwards).
    pub fn set(&self, time: SystemTime) {
        *self.now.lock().unwrap_or_else(|e| e.into_inner()) = time;
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManualClock").field("now", &self.now()).finish()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<C: Clock + ?Sized> Clock for Arc<C> {
    fn now(&self) -> SystemTime {
        (**self).now()
    }
}

/// Milliseconds since the Unix epoch, as JS `Date.prototype.getTime` (negative before 1970).
#[cfg(any(feature = "consumer", feature = "b2b"))]
pub(crate) fn epoch_millis(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => {
            // Round towards negative infinity, as a JS Date holds whole milliseconds.
            let d = e.duration();
            let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
            if d.subsec_nanos() % 1_000_000 != 0 { -ms - 1 } else { -ms }
        }
    }
}

/// A time from milliseconds since the Unix epoch.
#[cfg(any(feature = "consumer", feature = "b2b"))]
pub(crate) fn from_epoch_millis(ms: i64) -> SystemTime {
    if ms >= 0 {
        UNIX_EPOCH + Duration::from_millis(ms.unsigned_abs())
    } else {
        UNIX_EPOCH - Duration::from_millis(ms.unsigned_abs())
    }
}

/// Parses an RFC 3339 timestamp (what the API and the session claim hold) into milliseconds since
/// the epoch, truncating sub-millisecond digits as JS `Date.parse` does.
#[cfg(any(feature = "consumer", feature = "b2b"))]
pub(crate) fn parse_rfc3339_millis(s: &str) -> Option<i64> {
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos().div_euclid(1_000_000)).ok()
}

/// JS `new Date(ms).toISOString()`: `YYYY-MM-DDTHH:MM:SS.sssZ` in UTC; `None` where JS throws
/// `RangeError: Invalid time value` (outside the supported range).
#[cfg(any(feature = "consumer", feature = "b2b"))]
pub(crate) fn to_iso_string(ms: i64) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?;
    let year = t.year();
    let year = if (0..=9999).contains(&year) {
        format!("{year:04}")
    } else {
        format!("{}{:06}", if year < 0 { '-' } else { '+' }, year.unsigned_abs())
    };
    Some(format!(
        "{year}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    #[cfg(any(feature = "consumer", feature = "b2b"))]
    fn iso_strings_match_js() {
        // Expected strings printed by node's `new Date(ms).toISOString()`.
        assert_eq!(to_iso_string(0).unwrap(), "1970-01-01T00:00:00.000Z");
        assert_eq!(to_iso_string(1_640_781_189_123).unwrap(), "2021-12-29T12:33:09.123Z");
        assert_eq!(to_iso_string(-1).unwrap(), "1969-12-31T23:59:59.999Z");
        assert_eq!(parse_rfc3339_millis("2021-12-29T12:33:09Z"), Some(1_640_781_189_000));
        assert_eq!(parse_rfc3339_millis("2021-12-29T13:33:09.123456+01:00"), Some(1_640_781_189_123));
        assert_eq!(parse_rfc3339_millis("yesterday"), None);
    }

    #[test]
    #[cfg(any(feature = "consumer", feature = "b2b"))]
    fn epoch_millis_round_trips() {
        for ms in [0, 1, -1, 1_700_000_000_123, -86_400_001] {
            assert_eq!(epoch_millis(from_epoch_millis(ms)), ms);
        }
        assert_eq!(epoch_millis(UNIX_EPOCH - Duration::from_micros(1500)), -2);
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(UNIX_EPOCH);
        assert_eq!(clock.now(), UNIX_EPOCH);
        clock.advance(Duration::from_secs(5));
        assert_eq!(clock.now(), UNIX_EPOCH + Duration::from_secs(5));
        clock.set(UNIX_EPOCH);
        assert_eq!(Arc::new(clock).now(), UNIX_EPOCH);
    }
}
