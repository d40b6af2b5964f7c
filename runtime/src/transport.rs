//! Sending requests and turning responses into values or errors.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use base64::Engine as _;
use reqwest::Url;
use reqwest::header::{
    AUTHORIZATION, CONTENT_TYPE, Entry, HeaderMap, HeaderName, HeaderValue, PROXY_AUTHENTICATE,
    SET_COOKIE, USER_AGENT, WWW_AUTHENTICATE,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use backon::Retryable as _;
use tracing::Instrument as _;

use crate::drift::{self, Drift};
use crate::retry::{is_retryable_status, server_wait};
use crate::{ApiError, Config, Error, Request};

/// Sends [`Request`]s to the API described by a [`Config`].
///
/// Cheap to clone (clones share one connection pool), `Send` and `Sync`.
#[derive(Clone, Debug)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    client: reqwest::Client,
    /// Headers sent on every request (`Authorization` marked sensitive).
    headers: HeaderMap,
}

impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// A transport for `config`, building an HTTP client unless the config
    /// brings one ([`Config::with_http_client`]).
    ///
    /// Returns [`Error::Config`] if a base URL is not `https` (see
    /// [`Config::allow_http_loopback`]) or the user agent is not a valid header
    /// value, and [`Error::Transport`] if the HTTP client cannot be built.
    pub fn new(config: Config) -> Result<Transport, Error> {
        for (what, url) in config.all_base_urls() {
            config.check_secure(&what, url)?;
        }
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let ua = HeaderValue::from_str(config.user_agent())
            .map_err(|e| Error::Config(format!("invalid user agent: {e}")))?;
        headers.insert(USER_AGENT, ua);
        if let Some((user, password)) = config.basic_auth() {
            let token =
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            let mut value = HeaderValue::from_str(&format!("Basic {token}"))
                .map_err(|e| Error::Config(format!("invalid basic auth header: {e}")))?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        for (name, value) in config.headers() {
            headers.insert(name.clone(), value.clone());
        }
        let client = match config.http_client() {
            Some(client) => client.clone(),
            None => reqwest::Client::builder()
                .build()
                .map_err(Error::transport)?,
        };
        Ok(Transport {
            inner: Arc::new(Inner {
                config,
                client,
                headers,
            }),
        })
    }

    /// The configuration this transport was built from.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Sends `request` and decodes the JSON body of a successful response
    /// into `T`.
    ///
    /// A status of 400 or more gives [`Error::Api`] (JSON object body) or
    /// [`Error::Http`] (any other body); a body that does not decode into `T`
    /// gives [`Error::Decode`] with the JSON path of the failure. Object members that are
    /// `null` are treated as absent before decoding (see the crate docs on lenient decoding).
    pub async fn send<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        let (status, body) = self.send_decoding(request).await?;
        decode_value(status, body, true)
    }

    /// Sends `request` as [`Transport::send`] does, and checks the body against `T`'s
    /// declaration (see [`crate::drift`]): required fields the body lacks and fields `T` does
    /// not declare are reported once per type and path at `debug` on the
    /// [`crate::drift::TARGET`] target, and are an [`Error::Decode`] naming the first path
    /// under [`Config::strict_decoding`]. The check encodes the decoded value again, so it needs
    /// `Serialize`, and runs only when someone listens or strict mode is on.
    pub async fn send_checked<T: DeserializeOwned + Serialize>(&self, request: Request) -> Result<T, Error> {
        let (status, body) = self.send_decoding(request).await?;
        let strict = self.inner.config.is_strict_decoding();
        let mut value = parse_body(status, &body)?;
        drop_null_members(&mut value);
        // A copy only when someone will compare: the lenient default pays nothing.
        let original = drift::wanted(strict).then(|| value.clone());
        let decoded: T = deserialize(status, value, &body)?;
        let Some(drift) = original.and_then(|original| Drift::find(&original, &decoded)) else {
            return Ok(decoded);
        };
        drift::report::<T>(&drift);
        match drift.missing.first().or(drift.unknown.first()) {
            Some(path) if strict => Err(decode_error(status, path.clone(), drift.to_string(), &body)),
            _ => Ok(decoded),
        }
    }

    /// Sends the request, with the `http_request` span and its events, and returns the
    /// status and body of a successful response (an error for any other).
    async fn send_decoding(&self, request: Request) -> Result<(u16, Vec<u8>), Error> {
        let span = tracing::info_span!(
            "http_request",
            method = %request.method,
            path = %request.path,
            status = tracing::field::Empty,
        );
        let recorder = span.clone();
        async move {
            let started = Instant::now();
            let (status, headers, body) = self.execute(request).await.inspect_err(|e| {
                tracing::debug!(error = %e, "request failed");
            })?;
            recorder.record("status", status);
            tracing::debug!(
                status,
                elapsed_ms = started.elapsed().as_millis() as u64,
                bytes = body.len(),
                "response received"
            );
            check_status(status, headers, &body)?;
            Ok((status, body))
        }
        .instrument(span)
        .await
    }

    /// Sends `request` and returns the successful response's body as a raw
    /// JSON value, `null`s included; errors as for [`Transport::send`].
    pub async fn send_json(&self, request: Request) -> Result<Value, Error> {
        let (status, body) = self.send_decoding(request).await?;
        decode_value(status, body, false)
    }

    /// Sends the request, again while the configured [`crate::RetryPolicy`]
    /// allows it, and reads the last response: its status, headers and body.
    async fn execute(&self, request: Request) -> Result<(u16, HeaderMap, Vec<u8>), Error> {
        let policy = match self.inner.config.retry() {
            Some(policy) if policy.allows(&request.method) => policy,
            _ => return self.execute_once(&request).await.map(RawResponse::into_parts),
        };
        let attempt = || async {
            match self.execute_once(&request).await {
                Ok(response) if is_retryable_status(response.status) => {
                    Err(Failure::Status(response))
                }
                Ok(response) => Ok(response),
                Err(error) => Err(Failure::Error(error)),
            }
        };
        let outcome = attempt
            .retry(policy.backoff())
            .when(Failure::is_transient)
            .adjust(|failure, backoff| policy.next_delay(failure.server_wait(), backoff))
            .notify(|failure, wait| {
                tracing::debug!(failure = %failure, wait_ms = wait.as_millis() as u64, "retrying");
            })
            .await;
        match outcome {
            Ok(response) | Err(Failure::Status(response)) => Ok(response.into_parts()),
            Err(Failure::Error(error)) => Err(error),
        }
    }

    /// Sends the request once and reads the whole response.
    async fn execute_once(&self, request: &Request) -> Result<RawResponse, Error> {
        if let Some(message) = &request.error {
            return Err(Error::Encode(message.clone()));
        }
        let base = self.resolve_base(request.base_url_name.as_deref())?;
        let mut url = base
            .join(&request.path)
            .map_err(|e| Error::Encode(format!("invalid path {:?}: {e}", request.path)))?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        // The base was checked when the transport was built; a path may still change the
        // scheme (`//host` keeps it, `http:...` would not), so the final URL is checked too.
        self.inner.config.check_secure("request URL", &url)?;

        let mut headers = self.inner.headers.clone();
        if request.without_auth {
            headers.remove(AUTHORIZATION);
        }
        let body = request.body.encode();
        if let Some((_, content_type)) = &body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        for (name, value) in &request.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| Error::Encode(format!("invalid header name {name:?}: {e}")))?;
            let mut value = HeaderValue::from_str(value)
                .map_err(|e| Error::Encode(format!("invalid value for header {name}: {e}")))?;
            value.set_sensitive(true);
            headers.insert(name, value);
        }

        let mut builder = self
            .inner
            .client
            .request(request.method.clone(), url)
            .headers(headers);
        if let Some(timeout) = self.inner.config.timeout() {
            builder = builder.timeout(timeout);
        }
        if let Some((bytes, _)) = body {
            builder = builder.body(bytes);
        }
        tracing::debug!("sending request");
        let response = builder.send().await.map_err(Error::transport)?;
        let status = response.status().as_u16();
        let headers = response_headers(response.headers());
        let body = read_capped(response, self.inner.config.max_response_bytes())
            .await
            .map_err(|e| match e {
                BodyError::TooLarge(limit) => Error::ResponseTooLarge {
                    status,
                    limit,
                    headers: Box::new(headers.clone()),
                },
                BodyError::Transport(e) => Error::transport(e),
            })?;
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }

    fn resolve_base(&self, name: Option<&str>) -> Result<&Url, Error> {
        let config = &self.inner.config;
        match name {
            None => Ok(config.base_url()),
            Some(name) => config.named_base_url(name).ok_or_else(|| {
                let known: Vec<&str> = config
                    .named_base_urls()
                    .keys()
                    .map(String::as_str)
                    .collect();
                Error::Config(format!("unknown base URL name {name:?} (known: {known:?})"))
            }),
        }
    }
}

/// The response headers an error keeps, with the values that can hold secrets (cookies,
/// authentication challenges) marked sensitive so that `Debug` never prints them.
fn response_headers(headers: &HeaderMap) -> HeaderMap {
    let mut kept = headers.clone();
    for name in [SET_COOKIE, WWW_AUTHENTICATE, PROXY_AUTHENTICATE, AUTHORIZATION] {
        if let Entry::Occupied(mut entry) = kept.entry(name) {
            entry.iter_mut().for_each(|v| v.set_sensitive(true));
        }
    }
    kept
}

/// Why a body could not be read.
enum BodyError {
    /// It is longer than the cap (the cap, in bytes).
    TooLarge(usize),
    Transport(reqwest::Error),
}

/// Reads the body chunk by chunk, giving up as soon as it is known to exceed `limit` bytes
/// (from `Content-Length`, or from the bytes received so far), so a huge body is never held.
async fn read_capped(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, BodyError> {
    let announced = response.content_length().unwrap_or(0);
    if announced > limit as u64 {
        return Err(BodyError::TooLarge(limit));
    }
    // Never trust the announced length for more than a modest first allocation.
    let mut body = Vec::with_capacity(announced.min(64 * 1024) as usize);
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if chunk.len() > limit - body.len() {
            return Err(BodyError::TooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// One response as read from the wire.
struct RawResponse {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl RawResponse {
    fn into_parts(self) -> (u16, HeaderMap, Vec<u8>) {
        (self.status, self.headers, self.body)
    }
}

/// Why an attempt may deserve another: a response with a transient status, or
/// an error before any response.
enum Failure {
    Status(RawResponse),
    Error(Error),
}

impl Failure {
    /// Whether another attempt may succeed: 429 and 5xx responses (already
    /// sorted out), timeouts and failed connections.
    fn is_transient(&self) -> bool {
        match self {
            Failure::Status(_) => true,
            Failure::Error(Error::Transport(e)) => e.is_timeout() || e.is_connect(),
            Failure::Error(_) => false,
        }
    }

    /// The wait the response asked for, if any.
    fn server_wait(&self) -> Option<std::time::Duration> {
        match self {
            Failure::Status(response) => server_wait(&response.headers),
            Failure::Error(_) => None,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Status(response) => write!(f, "HTTP {}", response.status),
            Failure::Error(error) => error.fmt(f),
        }
    }
}

/// Removes every object member whose value is `null`, at any depth: real responses put `null`
/// where declarations say a field is optional (or even required), and an absent member decodes
/// leniently (to `None`, or to the field's default) where `null` would be a type error.
fn drop_null_members(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_null_members);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_members),
        _ => {}
    }
}

/// The error for a status of 400 or more, as the JS SDK makes it.
fn check_status(status: u16, headers: HeaderMap, body: &[u8]) -> Result<(), Error> {
    if status < 400 {
        return Ok(());
    }
    let text = String::from_utf8_lossy(body).into_owned();
    Err(match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(data)) => Error::Api(Box::new(ApiError::from_object(status, &data, text, headers))),
        _ => Error::Http { status, body: text, headers: Box::new(headers) },
    })
}

fn decode_error(status: u16, path: String, message: String, body: &[u8]) -> Error {
    Error::Decode { status, path, message, body: String::from_utf8_lossy(body).into_owned() }
}

/// The body as JSON, kept for [`crate::raw::capture`] when one is running.
fn parse_body(status: u16, body: &[u8]) -> Result<Value, Error> {
    let value = serde_json::from_slice::<Value>(body).map_err(|e| decode_error(status, ".".to_owned(), e.to_string(), body))?;
    crate::raw::keep(&value);
    Ok(value)
}

/// Decodes a successful response's body into `T`, `null` members dropped first when asked.
fn decode_value<T: DeserializeOwned>(status: u16, body: Vec<u8>, drop_nulls: bool) -> Result<T, Error> {
    let mut value = parse_body(status, &body)?;
    if drop_nulls {
        drop_null_members(&mut value);
    }
    deserialize(status, value, &body)
}

/// `T` from the parsed body, or the error at the JSON path where decoding failed.
fn deserialize<T: DeserializeOwned>(status: u16, value: Value, body: &[u8]) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| decode_error(status, e.path().to_string(), e.inner().to_string(), body))
}
