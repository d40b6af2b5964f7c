//! One API call, described by generated code and consumed by
//! [`crate::Transport::send`].

use std::fmt;

use serde::Serialize;

use crate::Method;
use crate::encode::js_string_param;

/// The body a request carries.
#[derive(Clone, Default)]
pub(crate) enum Body {
    /// No body at all.
    #[default]
    None,
    /// A whole JSON document, already serialized.
    Json(Vec<u8>),
    /// A JSON object built field by field: keys with their serialized values,
    /// in insertion order (as `JSON.stringify` writes them).
    JsonObject(Vec<(String, Vec<u8>)>),
    /// An `application/x-www-form-urlencoded` body.
    Form(Vec<(String, String)>),
}

/// An HTTP request to the API, built by generated code and consumed by
/// [`crate::Transport::send`].
///
/// Serialization failures inside the builder methods are kept and returned by
/// `send` as [`crate::Error::Encode`].
///
/// Its `Debug` output shows query, header and body field names but no values,
/// since those may hold tokens.
#[derive(Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) base_url_name: Option<String>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Body,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) without_auth: bool,
    pub(crate) error: Option<String>,
}

impl Request {
    /// A request with no query, no body and no headers of its own.
    ///
    /// `path` is absolute (`"/v1/users/abc%2Fdef"`) and already encoded (see
    /// [`crate::encode_path_segment`]); it is resolved against the base URL
    /// like JS `new URL(path, base)`.
    pub fn new(method: Method, path: impl Into<String>) -> Request {
        Request {
            method,
            path: path.into(),
            base_url_name: None,
            query: Vec::new(),
            body: Body::None,
            headers: Vec::new(),
            without_auth: false,
            error: None,
        }
    }

    /// Leaves out the `Authorization` header that
    /// [`crate::Config::with_basic_auth`] puts on every request, for public
    /// endpoints the JS SDK calls without credentials (such as OAuth2 token
    /// and introspection endpoints, which authenticate with form fields).
    /// Every other configured header is still sent, and an `Authorization`
    /// header this request sets itself (see [`Request::header_if_present`])
    /// is kept.
    pub fn without_auth(mut self) -> Request {
        self.without_auth = true;
        self
    }

    /// Sends the request to the named base URL (such as `"FRAUD"`) set with
    /// [`crate::Config::with_named_base_url`] instead of the default one. An
    /// unknown name fails at send time with [`crate::Error::Config`].
    pub fn base_url(mut self, name: &str) -> Request {
        self.base_url_name = Some(name.to_owned());
        self
    }

    /// Appends a query parameter, with JS `String(value)` semantics: strings
    /// as they are, numbers as JSON prints them, booleans `true`/`false`,
    /// arrays joined with `,` (null elements empty), objects
    /// `[object Object]`. A value that serializes to null (`None`) is skipped,
    /// as JS skips `undefined`.
    pub fn query<T: Serialize + ?Sized>(mut self, key: &str, value: &T) -> Request {
        if let Some(v) = self.string_value(key, value) {
            self.query.push((key.to_owned(), v));
        }
        self
    }

    /// Makes the body the JSON serialization of `value`, replacing any body
    /// set before.
    pub fn json<T: Serialize + ?Sized>(mut self, value: &T) -> Request {
        match serde_json::to_vec(value) {
            Ok(bytes) => self.body = Body::Json(bytes),
            Err(e) => self.fail(format!("cannot serialize the JSON body: {e}")),
        }
        self
    }

    /// Sets one field of a JSON object body, starting the object `{}` on the
    /// first call. A value that serializes to null is left out, as
    /// `JSON.stringify` drops `undefined`; setting a key again replaces its
    /// value in place. Calling this after [`Request::json`] or
    /// [`Request::form_field`] is an encode error.
    pub fn json_field<T: Serialize + ?Sized>(mut self, key: &str, value: &T) -> Request {
        let bytes = match serde_json::to_vec(value) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.fail(format!("cannot serialize JSON body field {key:?}: {e}"));
                return self;
            }
        };
        self = self.empty_json();
        if let Body::JsonObject(fields) = &mut self.body {
            if bytes == b"null" {
                fields.retain(|(k, _)| k != key);
            } else if let Some(slot) = fields.iter_mut().find(|(k, _)| k == key) {
                slot.1 = bytes;
            } else {
                fields.push((key.to_owned(), bytes));
            }
        }
        self
    }

    /// Makes the body a JSON object (exactly `{}` until
    /// [`Request::json_field`] adds fields). Keeps fields already set.
    pub fn empty_json(mut self) -> Request {
        match self.body {
            Body::None => self.body = Body::JsonObject(Vec::new()),
            Body::JsonObject(_) => {}
            Body::Json(_) | Body::Form(_) => {
                self.fail("a JSON object body cannot extend a body of another kind".to_owned())
            }
        }
        self
    }

    /// Appends a field to an `application/x-www-form-urlencoded` body, with
    /// the same `String(value)` semantics as [`Request::query`]; a null value
    /// is skipped. Calling this after a JSON body method is an encode error.
    pub fn form_field<T: Serialize + ?Sized>(mut self, key: &str, value: &T) -> Request {
        if matches!(self.body, Body::None) {
            self.body = Body::Form(Vec::new());
        }
        let Some(v) = self.string_value(key, value) else {
            return self;
        };
        match &mut self.body {
            Body::Form(fields) => fields.push((key.to_owned(), v)),
            _ => self.fail("a form body cannot extend a JSON body".to_owned()),
        }
        self
    }

    /// Sets header `name` to `value` when it is `Some` and non-empty (JS sets
    /// it only when truthy). It replaces a fixed header of the same name.
    pub fn header_if_present(mut self, name: &str, value: Option<&str>) -> Request {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            self.headers.push((name.to_owned(), v.to_owned()));
        }
        self
    }

    /// `String(value)` of a serializable value, recording a failure.
    fn string_value<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Option<String> {
        match serde_json::to_value(value) {
            Ok(v) => js_string_param(&v),
            Err(e) => {
                self.fail(format!("cannot serialize parameter {key:?}: {e}"));
                None
            }
        }
    }

    /// Records the first encode failure.
    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }
}

impl Body {
    /// The serialized bytes and their content type, if there is a body.
    pub(crate) fn encode(&self) -> Option<(Vec<u8>, &'static str)> {
        const JSON: &str = "application/json";
        match self {
            Body::None => None,
            Body::Json(bytes) => Some((bytes.clone(), JSON)),
            Body::JsonObject(fields) => {
                let mut out = vec![b'{'];
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    // A string always serializes.
                    out.extend(serde_json::to_vec(key).unwrap_or_default());
                    out.push(b':');
                    out.extend_from_slice(value);
                }
                out.push(b'}');
                Some((out, JSON))
            }
            Body::Form(fields) => {
                let encoded = form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(fields)
                    .finish();
                Some((encoded.into_bytes(), "application/x-www-form-urlencoded"))
            }
        }
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |pairs: &[(String, String)]| -> Vec<String> {
            pairs.iter().map(|(k, _)| k.clone()).collect()
        };
        let body = match &self.body {
            Body::None => "none".to_owned(),
            Body::Json(bytes) => format!("json ({} bytes)", bytes.len()),
            Body::JsonObject(fields) => {
                let keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
                format!("json object {keys:?}")
            }
            Body::Form(fields) => format!("form {:?}", names(fields)),
        };
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("base_url_name", &self.base_url_name)
            .field("query", &names(&self.query))
            .field("headers", &names(&self.headers))
            .field("without_auth", &self.without_auth)
            .field("body", &format_args!("{body}"))
            .field("error", &self.error)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(r: &Request) -> String {
        let (bytes, _) = r.body.encode().expect("a body");
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn json_fields_keep_insertion_order_and_replace_in_place() {
        let r = Request::new(Method::POST, "/")
            .json_field("b", &1)
            .json_field("a", &"x")
            .json_field("b", &[2, 3])
            .json_field("gone", &None::<u8>);
        assert_eq!(body(&r), r#"{"b":[2,3],"a":"x"}"#);
        assert!(r.error.is_none());
    }

    #[test]
    fn debug_shows_names_but_no_values() {
        let r = Request::new(Method::POST, "/v1/x")
            .query("q", "query-value")
            .json_field("token", "body-value")
            .header_if_present("X-Token", Some("header-value"));
        let debug = format!("{r:?}");
        for name in ["\"q\"", "\"token\"", "\"X-Token\"", "/v1/x"] {
            assert!(debug.contains(name), "{debug}");
        }
        for value in ["query-value", "body-value", "header-value"] {
            assert!(!debug.contains(value), "{debug}");
        }
    }

    #[test]
    fn mixing_body_kinds_is_an_encode_error() {
        let r = Request::new(Method::POST, "/")
            .json(&[1])
            .json_field("a", &1);
        assert!(r.error.is_some());
        let r = Request::new(Method::POST, "/")
            .empty_json()
            .form_field("a", &1);
        assert!(r.error.is_some());
    }
}
