//! The runtime of clients generated from SDKs built by Stainless (openai and many other
//! vendors' Node SDKs): what their JS `APIClient` does around each call.
//!
//! - **Credentials per scheme.** Each call names its authentication schemes (`bearerAuth`,
//!   `adminAPIKeyAuth`); the first one whose token is set sends `Authorization: Bearer <token>`.
//!   Tokens and the base URL come from [`ClientOptions`], which [`ClientOptions::from_env`]
//!   fills from the environment variables the JS client reads ([`Defaults`], generated from
//!   the package's own `client.js`).
//! - **Paths** are `baseURL + path` (the base URL's own path is kept: `https://host/v1` +
//!   `/batches`), each interpolated value encoded as the JS `path` tag does ([`encode_path`]).
//! - **Query strings** follow `qs.stringify(query, { arrayFormat: 'brackets' })` and **JSON
//!   numbers** `JSON.stringify` (`20`, never `20.0`).
//! - **Retries** as the JS client: `max_retries` (2 by default) more attempts after a
//!   connection error or timeout, a `408`, `409`, `429` or `5xx`, whatever the method, unless the
//!   response says `x-should-retry: false` (and always when it says `true`); the wait is the
//!   response's `retry-after-ms` or `retry-after`, else 0.5 s doubling up to 8 s, with jitter.
//! - **Pages**: a list call returns a [`Page`] whose next page follows the page class's rule
//!   ([`PageRule`], read from the package's pagination classes), and
//!   [`Page::into_stream`] yields every item of every page.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable as _};
use futures_core::Stream;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::encode::js_string_param;
use crate::retry::server_wait;
use crate::{Config, Error, Request, Transport};

/// The JS client's default number of retries.
pub const DEFAULT_MAX_RETRIES: usize = 2;

/// What the package's JS client does when constructed: its default base URL and the
/// environment variables it reads.
#[derive(Debug, Clone, Copy)]
pub struct Defaults {
    /// The JS client class (`OpenAI`), for the `User-Agent`.
    pub client: &'static str,
    /// `https://api.openai.com/v1`.
    pub base_url: &'static str,
    /// The variable that replaces it (`OPENAI_BASE_URL`).
    pub base_url_env: Option<&'static str>,
    /// The authentication schemes calls name, in the JS client's order.
    pub schemes: &'static [Scheme],
}

/// An authentication scheme: its name in the calls, the client option holding its token, and
/// the environment variable that option falls back to.
#[derive(Debug, Clone, Copy)]
pub struct Scheme {
    /// `bearerAuth`.
    pub name: &'static str,
    /// `apiKey`.
    pub option: &'static str,
    /// `OPENAI_API_KEY`.
    pub env: Option<&'static str>,
}

/// How to reach the API: base URL, tokens, retries, timeout.
///
/// Its `Debug` output never shows the tokens.
#[derive(Clone)]
pub struct ClientOptions {
    defaults: Defaults,
    base_url: String,
    /// Client option name (`apiKey`) -> token.
    tokens: BTreeMap<String, String>,
    max_retries: usize,
    timeout: Option<Duration>,
    allow_http_loopback: bool,
    http_client: Option<reqwest::Client>,
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("base_url", &self.base_url)
            .field("tokens", &self.tokens.keys().collect::<Vec<_>>())
            .field("max_retries", &self.max_retries)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ClientOptions {
    /// The package's defaults, without reading the environment: the default base URL, no
    /// tokens, 2 retries, a 10-minute timeout.
    pub fn new(defaults: Defaults) -> ClientOptions {
        ClientOptions {
            defaults,
            base_url: defaults.base_url.to_owned(),
            tokens: BTreeMap::new(),
            max_retries: DEFAULT_MAX_RETRIES,
            timeout: Some(Duration::from_secs(600)),
            allow_http_loopback: false,
            http_client: None,
        }
    }

    /// As the JS client: the base URL from its variable when set and not empty, each token
    /// from its variable (trimmed, as the JS `readEnv` does).
    pub fn from_env(defaults: Defaults) -> ClientOptions {
        let read = |name: Option<&str>| {
            let value = std::env::var(name?).ok()?;
            let value = value.trim();
            (!value.is_empty()).then(|| value.to_owned())
        };
        let mut options = ClientOptions::new(defaults);
        if let Some(url) = read(defaults.base_url_env) {
            options.base_url = url;
        }
        for scheme in defaults.schemes {
            if let Some(token) = read(scheme.env) {
                options.tokens.insert(scheme.option.to_owned(), token);
            }
        }
        options
    }

    /// Replaces the base URL.
    pub fn with_base_url(mut self, url: impl Into<String>) -> ClientOptions {
        self.base_url = url.into();
        self
    }

    /// Sets a token by its JS option name (`apiKey`, `adminAPIKey`).
    pub fn with_token(mut self, option: &str, token: impl Into<String>) -> ClientOptions {
        self.tokens.insert(option.to_owned(), token.into());
        self
    }

    /// The number of retries after the first attempt (2 by default, 0 for none).
    pub fn with_max_retries(mut self, retries: usize) -> ClientOptions {
        self.max_retries = retries;
        self
    }

    /// The timeout of each attempt (10 minutes by default).
    pub fn with_timeout(mut self, timeout: Duration) -> ClientOptions {
        self.timeout = Some(timeout);
        self
    }

    /// No timeout (tests on tokio's paused clock).
    pub fn without_timeout(mut self) -> ClientOptions {
        self.timeout = None;
        self
    }

    /// Accepts a plain `http` base URL on a loopback address (tests against a mock server).
    pub fn allow_http_loopback(mut self) -> ClientOptions {
        self.allow_http_loopback = true;
        self
    }

    /// Sends through this HTTP client instead of a new one.
    pub fn with_http_client(mut self, client: reqwest::Client) -> ClientOptions {
        self.http_client = Some(client);
        self
    }
}

/// The shared state of a generated Stainless client: cheap to clone.
#[derive(Clone, Debug)]
pub struct ApiClient {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    /// Scheme name (`bearerAuth`) -> token.
    tokens: BTreeMap<&'static str, String>,
    /// The scheme of a call that names none: the first one (the JS client's
    /// `__security ?? { bearerAuth: true }`).
    default_scheme: Option<&'static str>,
    max_retries: usize,
}

impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClient").field("transport", &self.transport).finish_non_exhaustive()
    }
}

impl ApiClient {
    /// Returns [`Error::Config`] for a base URL that is not `https` (see
    /// [`ClientOptions::allow_http_loopback`]) or cannot be parsed.
    pub fn new(options: ClientOptions) -> Result<ApiClient, Error> {
        // `baseURL + path`: a trailing `/` makes the base URL's own path a prefix.
        let mut base = options.base_url.clone();
        if !base.ends_with('/') {
            base.push('/');
        }
        let mut config = Config::new(&base)?.with_user_agent(format!("{}/Rust", options.defaults.client));
        config = match options.timeout {
            Some(t) => config.with_timeout(t),
            None => config.without_timeout(),
        };
        if options.allow_http_loopback {
            config = config.allow_http_loopback();
        }
        if let Some(client) = options.http_client {
            config = config.with_http_client(client);
        }
        let tokens = options
            .defaults
            .schemes
            .iter()
            .filter_map(|s| Some((s.name, options.tokens.get(s.option)?.clone())))
            .collect();
        let default_scheme = options.defaults.schemes.first().map(|s| s.name);
        let inner = Inner { transport: Transport::new(config)?, tokens, default_scheme, max_retries: options.max_retries };
        Ok(ApiClient { inner: Arc::new(inner) })
    }

    /// Sends `request` with the first of `security`'s schemes that has a token (no schemes: the
    /// package's first, as the JS client defaults to `bearerAuth`), retrying as the JS client
    /// does, and decodes the JSON response.
    pub async fn send<T: DeserializeOwned>(&self, request: Request, security: &[&str]) -> Result<T, Error> {
        let request = self.authorize(request, security)?;
        let attempt = || self.inner.transport.send::<T>(request.clone());
        attempt
            .retry(self.backoff())
            .when(should_retry)
            .adjust(|error, backoff| backoff.map(|b| error.headers().and_then(server_wait).unwrap_or(b)))
            .await
    }

    /// Sends a list request and returns its first page.
    pub async fn page<T: DeserializeOwned>(
        &self,
        request: Request,
        security: &'static [&'static str],
        rule: &'static PageRule,
    ) -> Result<Page<T>, Error> {
        let body: Value = self.send(request.clone(), security).await?;
        Page::read(self.clone(), request, security, rule, body)
    }

    fn backoff(&self) -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_min_delay(Duration::from_millis(500))
            .with_max_delay(Duration::from_secs(8))
            .with_max_times(self.inner.max_retries)
            .with_jitter()
    }

    fn authorize(&self, request: Request, security: &[&str]) -> Result<Request, Error> {
        // `baseURL + path`: the path is made relative to the base URL (which ends with `/`).
        let mut request = request;
        if let Some(rest) = request.path.strip_prefix('/') {
            request.path = rest.to_owned();
        }
        let default: Vec<&str> = self.inner.default_scheme.into_iter().collect();
        let security = if security.is_empty() { default.as_slice() } else { security };
        if security.is_empty() {
            return Ok(request);
        }
        match security.iter().find_map(|s| self.inner.tokens.get(s)) {
            Some(token) => Ok(request.header_if_present("Authorization", Some(&format!("Bearer {token}")))),
            None => Err(Error::Config(format!(
                "no credentials for this call: it needs a token for one of {security:?} (see `ClientOptions::from_env`)"
            ))),
        }
    }
}

/// The JS client's `shouldRetry`: an explicit `x-should-retry`, else 408, 409, 429, 5xx; and
/// every connection error or timeout.
fn should_retry(error: &Error) -> bool {
    if let Some(headers) = error.headers() {
        match headers.get("x-should-retry").and_then(|v| v.to_str().ok()) {
            Some("true") => return true,
            Some("false") => return false,
            _ => {}
        }
    }
    match (error, error.status()) {
        (Error::Api(_) | Error::Http { .. }, Some(status)) => matches!(status, 408 | 409 | 429) || status >= 500,
        (Error::Transport(_), _) => true,
        _ => false,
    }
}

/// Percent-encodes a value interpolated into a path as the JS `path` tag does
/// (`encodeURIPath`): every character but `A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , ; = : @`.
///
/// ```
/// assert_eq!(npm_sdk_runtime::stainless::encode_path("a/b c@d"), "a%2Fb%20c@d");
/// ```
pub fn encode_path(value: &str) -> String {
    utf8_percent_encode(value, PATH_TAG).to_string()
}

/// What the `path` tag escapes: everything but `A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , ; = : @`.
const PATH_TAG: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'!').remove(b'$').remove(b'&').remove(b'\'')
    .remove(b'(').remove(b')').remove(b'*').remove(b'+').remove(b',').remove(b';').remove(b'=').remove(b':').remove(b'@');

/// Which fields of an object parameter a body or query holds.
#[derive(Debug, Clone, Copy)]
pub enum Fields<'a> {
    /// Every field.
    All,
    /// Every field but these (taken out for the path).
    Without(&'a [&'a str]),
    /// Only these.
    Only(&'a [&'a str]),
}

/// `value` as a JSON object of the chosen fields, numbers as `JSON.stringify` writes them.
fn object<T: Serialize + ?Sized>(value: &T, fields: Fields<'_>) -> Result<Value, String> {
    let mut value = serde_json::to_value(value).map_err(|e| e.to_string())?;
    if let Value::Object(map) = &mut value {
        match fields {
            Fields::All => {}
            Fields::Without(names) => map.retain(|k, _| !names.contains(&k.as_str())),
            Fields::Only(names) => map.retain(|k, _| names.contains(&k.as_str())),
        }
    }
    js_numbers(&mut value);
    Ok(value)
}

/// Integral floats as integers (`20.0` -> `20`), as JS has one number type.
fn js_numbers(value: &mut Value) {
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|f| n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15) {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(js_numbers),
        Value::Object(map) => map.values_mut().for_each(js_numbers),
        _ => {}
    }
}

/// Sets the JSON body to the chosen fields of `value`.
pub fn json_body<T: Serialize + ?Sized>(request: Request, value: &T, fields: Fields<'_>) -> Request {
    match object(value, fields) {
        Ok(v) => request.json(&v),
        Err(e) => {
            let mut request = request;
            request.error.get_or_insert(format!("cannot serialize the JSON body: {e}"));
            request
        }
    }
}

/// Appends the chosen fields of `value` to the query string, as
/// `qs.stringify(query, { arrayFormat: 'brackets' })`: `a[b]=1`, `list[]=x&list[]=y`.
pub fn query<T: Serialize + ?Sized>(request: Request, value: &T, fields: Fields<'_>) -> Request {
    let mut request = request;
    match object(value, fields) {
        Ok(Value::Object(map)) => {
            for (k, v) in &map {
                qs_pairs(k, v, &mut request.query);
            }
        }
        Ok(Value::Null) => {}
        Ok(other) => {
            request.error.get_or_insert(format!("the query is not an object: {other}"));
        }
        Err(e) => {
            request.error.get_or_insert(format!("cannot serialize the query: {e}"));
        }
    }
    request
}

fn qs_pairs(key: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                qs_pairs(&format!("{key}[{k}]"), v, out);
            }
        }
        Value::Array(items) => {
            for v in items {
                qs_pairs(&format!("{key}[]"), v, out);
            }
        }
        // `qs` writes `key=` for null (undefined fields were never serialized).
        Value::Null => out.push((key.to_owned(), String::new())),
        scalar => out.extend(js_string_param(scalar).map(|s| (key.to_owned(), s))),
    }
}

/// How a page class finds the next page (generated from the package's pagination classes).
#[derive(Debug, Clone, Copy)]
pub struct PageRule {
    /// The response field holding the items (`data`).
    pub items: &'static str,
    /// The response field that, when `false` or absent, says there is no next page.
    pub has_more: Option<&'static str>,
    /// Where the cursor comes from; `None` when the class has a single page.
    pub cursor: Option<Cursor>,
}

/// A next-page cursor: where it is read, and the query parameter it is sent as.
#[derive(Debug, Clone, Copy)]
pub struct Cursor {
    /// Where the value is read.
    pub from: CursorFrom,
    /// `after`.
    pub query: &'static str,
}

/// Where a cursor is read.
#[derive(Debug, Clone, Copy)]
pub enum CursorFrom {
    /// A field of the last item (`id`).
    LastItem(&'static str),
    /// A field of the response (`last_id`, `next`).
    Response(&'static str),
}

/// One page of a list call.
pub struct Page<T> {
    items: Vec<T>,
    /// The next page's request, when there is one.
    next: Option<Request>,
    client: ApiClient,
    security: &'static [&'static str],
    rule: &'static PageRule,
}

impl<T> fmt::Debug for Page<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page").field("items", &self.items.len()).field("has_next_page", &self.next.is_some()).finish()
    }
}

impl<T: DeserializeOwned> Page<T> {
    fn read(client: ApiClient, request: Request, security: &'static [&'static str], rule: &'static PageRule, body: Value) -> Result<Page<T>, Error> {
        let raw: &[Value] = body.get(rule.items).and_then(Value::as_array).map_or(&[], Vec::as_slice);
        let mut items = Vec::with_capacity(raw.len());
        for (i, item) in raw.iter().enumerate() {
            let decoded = serde_path_to_error::deserialize(item).map_err(|e| Error::Decode {
                status: 200,
                path: format!("{}[{i}].{}", rule.items, e.path()),
                message: e.inner().to_string(),
                body: String::new(),
            })?;
            items.push(decoded);
        }
        let more = rule.has_more.is_none_or(|f| body.get(f).and_then(Value::as_bool).unwrap_or(false));
        let cursor = rule.cursor.filter(|_| more && !raw.is_empty()).and_then(|c| {
            let value = match c.from {
                CursorFrom::LastItem(field) => raw.last()?.get(field)?,
                CursorFrom::Response(field) => body.get(field)?,
            };
            let text = js_string_param(value).filter(|s| !s.is_empty())?;
            Some((c.query, text))
        });
        let next = cursor.map(|(key, value)| {
            let mut next = request;
            match next.query.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value,
                None => next.query.push((key.to_owned(), value)),
            }
            next
        });
        Ok(Page { items, next, client, security, rule })
    }

    /// The items of this page.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The items of this page, owned.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// Whether the page class's rule finds a next page.
    pub fn has_next_page(&self) -> bool {
        self.next.is_some()
    }

    /// Fetches the next page, `None` after the last.
    pub async fn next_page(&self) -> Result<Option<Page<T>>, Error> {
        match &self.next {
            None => Ok(None),
            Some(request) => self.client.page(request.clone(), self.security, self.rule).await.map(Some),
        }
    }

    /// Every item of this page and of every page after it, fetching each page when the
    /// previous one is used up; an error is yielded once and ends the stream.
    pub fn into_stream(self) -> impl Stream<Item = Result<T, Error>> {
        let Page { items, next, client, security, rule } = self;
        let state = (VecDeque::from(items), next);
        futures_util::stream::unfold(state, move |(mut queue, mut next)| {
            let client = client.clone();
            async move {
                loop {
                    if let Some(item) = queue.pop_front() {
                        return Some((Ok(item), (queue, next)));
                    }
                    let request = next.take()?;
                    match client.page::<T>(request, security, rule).await {
                        Ok(page) => {
                            queue.extend(page.items);
                            next = page.next;
                        }
                        Err(e) => return Some((Err(e), (queue, None))),
                    }
                }
            }
        })
    }
}
