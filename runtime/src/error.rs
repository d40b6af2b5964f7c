//! The error type returned by every fallible runtime call.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::{Map, Value};

/// Response headers that carry a request id, in the order they are looked up.
const REQUEST_ID_HEADERS: [&str; 2] = ["x-request-id", "request-id"];

/// Everything that can go wrong while configuring or sending a request.
///
/// Display output names the status, error type, message and request id where
/// there are some, and never holds credentials or response bodies. `Debug` shows
/// every field except the body of [`Error::Decode`], which it shows as its length.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a status of 400 or more and a JSON object body
    /// (the JS SDK's `StytchError`).
    ///
    /// Boxed so that `Result<T, Error>` stays small (clippy's
    /// `result_large_err` in every crate that returns it); fields read through
    /// the box as usual (`api.status`).
    #[error("API error: {0}")]
    Api(Box<ApiError>),

    /// The server answered with a status of 400 or more and a body that is not
    /// a JSON object, such as a proxy's HTML error page.
    #[error("HTTP {status} with a non-JSON body ({} bytes)", body.len())]
    Http {
        /// The HTTP status code.
        status: u16,
        /// The raw response body, decoded as UTF-8 (lossily).
        body: String,
        /// The response headers (values that can hold secrets, such as
        /// `Set-Cookie`, are hidden from `Debug`). Boxed, as [`Error::Api`], to
        /// keep `Result<T, Error>` small; [`Error::headers`] reads them.
        headers: Box<HeaderMap>,
    },

    /// The response body is longer than the configured cap
    /// ([`crate::Config::with_max_response_bytes`], 32 MiB by default). Reading
    /// stopped at the cap (or before the body, when `Content-Length` announced
    /// more), so nothing larger was held in memory.
    #[error("the HTTP {status} response body exceeds the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The HTTP status code.
        status: u16,
        /// The cap, in bytes.
        limit: usize,
        /// The response headers (boxed, as for [`Error::Http`]).
        headers: Box<HeaderMap>,
    },

    /// The request could not be sent or its response not read: connection
    /// failures, timeouts (see [`Error::is_timeout`]), TLS errors.
    #[error("HTTP transport error: {0}")]
    Transport(#[source] reqwest::Error),

    /// A successful response's body could not be decoded into the expected
    /// type, or was not JSON at all.
    #[error("cannot decode the HTTP {status} response at `{path}`: {message}")]
    Decode {
        /// The HTTP status code.
        status: u16,
        /// The JSON path where decoding failed, such as `user.created_at`
        /// (`.` for the whole body).
        path: String,
        /// What went wrong at that path.
        message: String,
        /// The raw response body, decoded as UTF-8 (lossily). `Debug` shows only its length:
        /// it is a successful response, which can hold the secrets the call returned.
        body: String,
    },

    /// The request could not be encoded (a value failed to serialize, an
    /// invalid header, a malformed path).
    #[error("cannot encode the request: {0}")]
    Encode(String),

    /// The configuration is invalid: an unparsable base URL, an invalid fixed
    /// header, an unknown named base URL.
    #[error("invalid configuration: {0}")]
    Config(String),

    /// The request was refused before anything was sent, as the JS SDK refuses it (its
    /// `ClientError`): a required path parameter is empty, for example.
    #[error("{code}: {message}")]
    Client {
        /// The JS SDK's error code, such as `MISSING_PATH_PARAMETER`.
        code: String,
        /// The JS SDK's message, such as `project_slug cannot be empty`.
        message: String,
    },
}

/// Derived `Debug` but for [`Error::Decode`]'s body: a successful response that failed to
/// decode can hold the very secrets the call returned (a session token, a client secret), and
/// a `{:?}` of an error in a log line must not print them. The field keeps the body for callers
/// who read it on purpose. Error bodies (`Api`, `Http`) describe the error and are shown.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => f.debug_tuple("Api").field(api).finish(),
            Error::Http {
                status,
                body,
                headers,
            } => f
                .debug_struct("Http")
                .field("status", status)
                .field("body", body)
                .field("headers", headers)
                .finish(),
            Error::ResponseTooLarge {
                status,
                limit,
                headers,
            } => f
                .debug_struct("ResponseTooLarge")
                .field("status", status)
                .field("limit", limit)
                .field("headers", headers)
                .finish(),
            Error::Transport(error) => f.debug_tuple("Transport").field(error).finish(),
            Error::Decode {
                status,
                path,
                message,
                body,
            } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("path", path)
                .field("message", message)
                .field("body", &format_args!("<{} bytes, not shown>", body.len()))
                .finish(),
            Error::Encode(message) => f.debug_tuple("Encode").field(message).finish(),
            Error::Config(message) => f.debug_tuple("Config").field(message).finish(),
            Error::Client { code, message } => f
                .debug_struct("Client")
                .field("code", code)
                .field("message", message)
                .finish(),
        }
    }
}

impl Error {
    /// Whether the request failed because it took longer than the configured
    /// timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_timeout())
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Http { status, .. }
            | Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::Encode(_) | Error::Config(_) | Error::Client { .. } => None,
        }
    }

    /// The headers of the error response ([`Error::Api`], [`Error::Http`],
    /// [`Error::ResponseTooLarge`]).
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(e) => Some(&e.headers),
            Error::Http { headers, .. } | Error::ResponseTooLarge { headers, .. } => {
                Some(&**headers)
            }
            _ => None,
        }
    }

    /// How long the server asks the caller to wait before retrying: a
    /// `retry-after-ms` header, else `Retry-After` as a number of seconds or an
    /// HTTP date (a date in the past gives zero). `None` without a header or
    /// with an unreadable one. The retry policy reads the same headers.
    pub fn retry_after(&self) -> Option<Duration> {
        crate::retry::server_wait(self.headers()?)
    }

    /// The id the API gave the request: the body's `request_id` of an
    /// [`Error::Api`], else an `X-Request-Id` or `Request-Id` response header.
    pub fn request_id(&self) -> Option<&str> {
        if let Error::Api(e) = self
            && let Some(id) = &e.request_id
        {
            return Some(id);
        }
        let headers = self.headers()?;
        REQUEST_ID_HEADERS
            .iter()
            .find_map(|name| headers.get(*name)?.to_str().ok())
    }

    /// Wraps a `reqwest` error, dropping the query string from its URL so that
    /// values passed as query parameters never reach logs.
    pub(crate) fn transport(mut e: reqwest::Error) -> Error {
        if let Some(url) = e.url_mut() {
            url.set_query(None);
        }
        Error::Transport(e)
    }
}

/// An error response from the API, in either of the two shapes the JS SDK's
/// `StytchError` understands.
///
/// The usual shape has `error_type`, `error_message`, `error_url` and
/// `error_details`; the OAuth2 shape (recognised by an `error` key) has
/// `error`, `error_description` and `error_uri`, which fill `error_type`,
/// `error_message` and `error_url`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status code of the response.
    pub status: u16,
    /// The `request_id` the API gave the request.
    pub request_id: Option<String>,
    /// The machine-readable error type (`error_type`, or OAuth2 `error`).
    pub error_type: Option<String>,
    /// The human-readable message (`error_message`, or OAuth2
    /// `error_description`).
    pub error_message: Option<String>,
    /// A link to documentation about the error (`error_url`, or OAuth2
    /// `error_uri`).
    pub error_url: Option<String>,
    /// Extra structured details (`error_details`; never set by the OAuth2
    /// shape).
    pub error_details: Option<Value>,
    /// The raw response body.
    pub body: String,
    /// The response headers (`Retry-After`, request ids; values that can hold
    /// secrets, such as `Set-Cookie`, are hidden from `Debug`).
    pub headers: HeaderMap,
}

impl ApiError {
    /// Builds the error from a JSON object body, as `StytchError`'s
    /// constructor does.
    pub(crate) fn from_object(
        status: u16,
        data: &Map<String, Value>,
        body: String,
        headers: HeaderMap,
    ) -> ApiError {
        let text = |key: &str| match data.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        };
        let request_id = text("request_id");
        if data.contains_key("error") {
            ApiError {
                status,
                request_id,
                error_type: text("error"),
                error_message: text("error_description"),
                error_url: text("error_uri"),
                error_details: None,
                body,
                headers,
            }
        } else {
            ApiError {
                status,
                request_id,
                error_type: text("error_type"),
                error_message: text("error_message"),
                error_url: text("error_url"),
                error_details: data.get("error_details").filter(|v| !v.is_null()).cloned(),
                body,
                headers,
            }
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(t) = &self.error_type {
            write!(f, " {t}")?;
        }
        if let Some(m) = &self.error_message {
            write!(f, ": {m}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request_id: {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn display_names_status_type_message_and_request_id() {
        let data = json!({"error_type": "user_not_found", "error_message": "No user.", "request_id": "req-1"});
        let e = Error::Api(Box::new(ApiError::from_object(
            404,
            data.as_object().unwrap(),
            data.to_string(),
            HeaderMap::new(),
        )));
        assert_eq!(
            e.to_string(),
            "API error: HTTP 404 user_not_found: No user. (request_id: req-1)"
        );
        assert_eq!(e.status(), Some(404));
        let e = Error::Http {
            status: 502,
            body: "<html>".into(),
            headers: Box::default(),
        };
        assert_eq!(e.to_string(), "HTTP 502 with a non-JSON body (6 bytes)");
    }

    #[test]
    fn debug_of_a_decode_error_shows_the_body_length_not_the_body() {
        let body = r#"{"session_token": "secret-token", "user_id": 5}"#.to_owned();
        let e = Error::Decode {
            status: 200,
            path: "user_id".into(),
            message: "invalid type".into(),
            body: body.clone(),
        };
        let debug = format!("{e:?}");
        assert!(!debug.contains("secret-token"), "{debug}");
        assert_eq!(
            debug,
            format!(
                r#"Decode {{ status: 200, path: "user_id", message: "invalid type", body: <{} bytes, not shown> }}"#,
                body.len()
            )
        );
        let Error::Decode { body: kept, .. } = e else {
            unreachable!()
        };
        assert_eq!(kept, body, "the field keeps the body");
        let e = Error::Client {
            code: "MISSING_PATH_PARAMETER".into(),
            message: "x".into(),
        };
        assert_eq!(
            format!("{e:?}"),
            r#"Client { code: "MISSING_PATH_PARAMETER", message: "x" }"#
        );
    }
}
