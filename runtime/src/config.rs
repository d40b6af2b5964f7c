//! Client configuration: base URLs, credentials, fixed headers, timeout.

use std::any::{Any, TypeId};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{HeaderName, HeaderValue};

use crate::{Error, RetryPolicy};

/// The JS SDK's default timeout: 10 minutes.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// The default cap on a response body: 32 MiB. The largest real responses (a search page of
/// 1,000 users or members with all their factors) are a few megabytes.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// How a [`crate::Transport`] reaches the API, built in builder style.
///
/// Its `Debug` output never shows the password or the values of extra headers.
#[derive(Clone)]
pub struct Config {
    base_url: Url,
    named_base_urls: BTreeMap<String, Url>,
    basic_auth: Option<(String, String)>,
    user_agent: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// `None`: no deadline ([`Config::without_timeout`]).
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    http_client: Option<reqwest::Client>,
    extensions: BTreeMap<TypeId, Arc<dyn Any + Send + Sync>>,
    allow_http_loopback: bool,
    max_response_bytes: usize,
    strict_decoding: bool,
}

impl Config {
    /// A configuration whose default API base URL is `base_url`.
    ///
    /// Every base URL must be `https` (the scheme is compared case-insensitively):
    /// [`crate::Transport::new`] refuses any other, because every request carries
    /// the credentials. Tests against a local mock server opt out with
    /// [`Config::allow_http_loopback`].
    ///
    /// Returns [`Error::Config`] if `base_url` cannot be parsed or cannot be a
    /// base for paths.
    pub fn new(base_url: &str) -> Result<Config, Error> {
        Ok(Config {
            base_url: parse_base_url(base_url)?,
            named_base_urls: BTreeMap::new(),
            basic_auth: None,
            user_agent: concat!("npm-sdk-runtime/", env!("CARGO_PKG_VERSION")).to_owned(),
            headers: Vec::new(),
            timeout: Some(DEFAULT_TIMEOUT),
            retry: None,
            http_client: None,
            extensions: BTreeMap::new(),
            allow_http_loopback: false,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            strict_decoding: false,
        })
    }

    /// The default API base URL.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// Adds (or replaces) a named base URL, such as `"FRAUD"`, that a
    /// [`crate::Request::base_url`] call selects. It must be `https`, as the
    /// default base URL (see [`Config::new`]).
    ///
    /// Returns [`Error::Config`] if `url` cannot be parsed.
    pub fn with_named_base_url(mut self, name: &str, url: &str) -> Result<Config, Error> {
        self.named_base_urls
            .insert(name.to_owned(), parse_base_url(url)?);
        Ok(self)
    }

    /// The base URL registered under `name`, if any.
    pub fn named_base_url(&self, name: &str) -> Option<&Url> {
        self.named_base_urls.get(name)
    }

    /// Sends `Authorization: Basic base64(username:password)` on every
    /// request.
    pub fn with_basic_auth(
        mut self,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Config {
        self.basic_auth = Some((username.into(), password.into()));
        self
    }

    /// Sets the `User-Agent` header (default `npm-sdk-runtime/<version>`).
    ///
    /// A value that is not a valid header value makes
    /// [`crate::Transport::new`] fail with [`Error::Config`].
    pub fn with_user_agent(mut self, ua: impl Into<String>) -> Config {
        self.user_agent = ua.into();
        self
    }

    /// Adds a fixed header sent on every request; it replaces a fixed header
    /// of the same name, and a request's own headers replace it.
    ///
    /// Returns [`Error::Config`] if the name or value is not valid in HTTP.
    pub fn with_header(mut self, name: &str, value: &str) -> Result<Config, Error> {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| Error::Config(format!("invalid header name {name:?}: {e}")))?;
        let mut value = HeaderValue::from_str(value)
            .map_err(|e| Error::Config(format!("invalid value for header {name}: {e}")))?;
        value.set_sensitive(true);
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value));
        Ok(self)
    }

    /// Sets the timeout of a whole request, from connecting until the body
    /// has been read (default 10 minutes, as in the JS SDK).
    pub fn with_timeout(mut self, t: Duration) -> Config {
        self.timeout = Some(t);
        self
    }

    /// Removes the timeout: a request waits for its response as long as the
    /// connection lasts. Tests on tokio's paused clock need this, since a
    /// paused clock jumps to the next timer while a request awaits the network.
    pub fn without_timeout(mut self) -> Config {
        self.timeout = None;
        self
    }

    /// Retries failed idempotent requests as `policy` says (no retries
    /// without this call).
    pub fn with_retry(mut self, policy: RetryPolicy) -> Config {
        self.retry = Some(policy);
        self
    }

    /// Also accepts plain `http` base URLs whose host is a loopback address
    /// (`localhost`, `127.0.0.0/8`, `[::1]`): for tests against a local mock
    /// server such as wiremock's. Plain `http` to any other host is always
    /// refused, since every request carries the credentials.
    pub fn allow_http_loopback(mut self) -> Config {
        self.allow_http_loopback = true;
        self
    }

    /// Caps the size of a response body (default `DEFAULT_MAX_RESPONSE_BYTES`,
    /// 32 MiB). The cap is enforced while the body streams in: a larger body
    /// (announced or not by `Content-Length`) is abandoned at the first byte past
    /// the cap and the call fails with [`Error::ResponseTooLarge`].
    pub fn with_max_response_bytes(mut self, bytes: usize) -> Config {
        self.max_response_bytes = bytes;
        self
    }

    /// Makes drift an error: a successful response that lacks a required field or holds a
    /// field its type does not declare fails with [`Error::Decode`] naming the first such JSON
    /// path, instead of decoding leniently (the default, which reports drift at `debug` on the
    /// [`crate::drift::TARGET`] target). For tests and CI against a sandbox, to notice when the
    /// API and the SDK's declarations part ways.
    pub fn strict_decoding(mut self) -> Config {
        self.strict_decoding = true;
        self
    }

    /// Whether [`Config::strict_decoding`] is on.
    pub fn is_strict_decoding(&self) -> bool {
        self.strict_decoding
    }

    /// The cap on a response body, in bytes.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// Uses `client` instead of a client built by [`crate::Transport::new`],
    /// for example to share a connection pool or set a proxy. The configured
    /// timeout is still applied to each request.
    pub fn with_http_client(mut self, client: reqwest::Client) -> Config {
        self.http_client = Some(client);
        self
    }

    /// Attaches a value that hand-written code finds again through
    /// [`Config::extension`] (one per type; a second call replaces the first). This is how an
    /// SDK keeps state shared by all its clients, such as a key cache, on the one transport
    /// they share.
    pub fn with_extension<T: Any + Send + Sync>(mut self, value: T) -> Config {
        self.extensions.insert(TypeId::of::<T>(), Arc::new(value));
        self
    }

    /// The value of type `T` attached with [`Config::with_extension`].
    pub fn extension<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.extensions.get(&TypeId::of::<T>()).and_then(|v| v.downcast_ref::<T>())
    }

    /// The username of the basic credentials, if any (never the password).
    pub fn username(&self) -> Option<&str> {
        self.basic_auth.as_ref().map(|(u, _)| u.as_str())
    }

    pub(crate) fn named_base_urls(&self) -> &BTreeMap<String, Url> {
        &self.named_base_urls
    }

    pub(crate) fn basic_auth(&self) -> Option<(&str, &str)> {
        self.basic_auth
            .as_ref()
            .map(|(u, p)| (u.as_str(), p.as_str()))
    }

    pub(crate) fn user_agent(&self) -> &str {
        &self.user_agent
    }

    pub(crate) fn headers(&self) -> &[(HeaderName, HeaderValue)] {
        &self.headers
    }

    pub(crate) fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    pub(crate) fn retry(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }

    pub(crate) fn http_client(&self) -> Option<&reqwest::Client> {
        self.http_client.as_ref()
    }

    /// Every configured base URL, the default one first, with how errors name it.
    pub(crate) fn all_base_urls(&self) -> impl Iterator<Item = (String, &Url)> {
        std::iter::once(("base URL".to_owned(), &self.base_url)).chain(
            self.named_base_urls
                .iter()
                .map(|(name, url)| (format!("base URL {name:?}"), url)),
        )
    }

    /// The one place where a URL that requests go to is checked: `https`, or
    /// plain `http` to a loopback host after [`Config::allow_http_loopback`].
    /// [`Url`] stores the scheme lower-cased, so `HTTPS://` passes.
    pub(crate) fn check_secure(&self, what: &str, url: &Url) -> Result<(), Error> {
        // Named in errors without its query, which may hold request values.
        let shown = || {
            let mut shown = url.clone();
            shown.set_query(None);
            shown.to_string()
        };
        match url.scheme() {
            "https" => Ok(()),
            "http" if self.allow_http_loopback && is_loopback(url) => Ok(()),
            "http" if is_loopback(url) => Err(Error::Config(format!(
                "{what} {:?} must use https (plain http to a loopback host needs allow_http_loopback)",
                shown()
            ))),
            _ => Err(Error::Config(format!("{what} {:?} must use https", shown()))),
        }
    }
}

/// `localhost`, `127.0.0.0/8` or `[::1]` (a parsed URL's host is lower-case).
fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let ip = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost" || ip.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn parse_base_url(url: &str) -> Result<Url, Error> {
    let parsed =
        Url::parse(url).map_err(|e| Error::Config(format!("invalid base URL {url:?}: {e}")))?;
    if parsed.cannot_be_a_base() {
        return Err(Error::Config(format!(
            "base URL {url:?} cannot be a base for paths"
        )));
    }
    Ok(parsed)
}

/// Shows a value only as `<redacted>`.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let named: BTreeMap<&str, &str> = self
            .named_base_urls
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let auth = self
            .basic_auth
            .as_ref()
            .map(|(user, _)| (user.as_str(), Redacted));
        let headers: BTreeMap<&str, Redacted> = self
            .headers
            .iter()
            .map(|(n, _)| (n.as_str(), Redacted))
            .collect();
        f.debug_struct("Config")
            .field("base_url", &self.base_url.as_str())
            .field("named_base_urls", &named)
            .field("basic_auth", &auth)
            .field("user_agent", &self.user_agent)
            .field("headers", &headers)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .field("allow_http_loopback", &self.allow_http_loopback)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("strict_decoding", &self.strict_decoding)
            .finish()
    }
}
