//! What a method of a Stainless-generated SDK sends, as read from its compiled JS: the
//! `this._client.<verb>(path, { body, query, headers, ...options })` and
//! `this._client.getAPIList(path, PageClass, { query, ...options })` calls (see
//! `parse::routes::stainless`).
//!
//! Unlike a Stytch [`Route`](super::route::Route), whose every value is a field of one request
//! object, a Stainless method takes positional path arguments, then the body or query object,
//! then the request options: `retrieve(fileID, params, options)`. Names here are the JS
//! parameter names and wire field names, never Rust names.

use serde::Serialize;

/// One API call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiCall {
    /// Upper-case HTTP method (`GET`, `POST`, `DELETE`, ...).
    pub method: String,
    pub path: Vec<CallSegment>,
    /// The JSON body: where its fields come from.
    pub body: Option<Payload>,
    /// The query string: where its fields come from.
    pub query: Option<Payload>,
    /// Constant headers the method adds (`'OpenAI-Beta': 'assistants=v2'`), in order.
    pub headers: Vec<(String, String)>,
    /// Authentication schemes of the call (`__security: { bearerAuth: true }`), in order; the JS
    /// client uses `bearerAuth` when the call names none.
    pub security: Vec<String>,
    /// A list method: the page class it returns (`getAPIList(path, CursorPage, ...)`).
    pub page: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum CallSegment {
    /// Literal text, exactly as it goes on the wire.
    Literal(String),
    /// A value interpolated by the `path` template tag, which percent-encodes it.
    Value(ValueRef),
}

/// Where a value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ValueRef {
    /// A positional parameter of the method (`batchID`).
    Arg { param: String },
    /// A field of an object parameter, taken out by destructuring:
    /// `const { vector_store_id } = params`.
    Field { param: String, field: String },
}

/// A body or query object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Payload {
    /// Every field of the parameter `param` except those in `without` (taken out by
    /// `const { vector_store_id, ...body } = params`).
    Object { param: String, without: Vec<String> },
    /// `query: { include }`: these fields of `param`, under their own names.
    Fields { param: String, fields: Vec<String> },
}

impl Payload {
    pub fn param(&self) -> &str {
        match self {
            Payload::Object { param, .. } | Payload::Fields { param, .. } => param,
        }
    }
}

/// How a page class of the package finds the next page, read from its
/// `nextPageRequestOptions()` (see `parse::routes::pagination`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageRule {
    /// The class name (`CursorPage`).
    pub class: String,
    /// The response field holding the items (`data`).
    pub items: String,
    /// The response field that says whether more pages exist (`has_more`): when it is `false`
    /// there is no next page.
    pub has_more: Option<String>,
    /// Where the next page's cursor comes from; `None` when the class never has a next page.
    pub cursor: Option<Cursor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cursor {
    /// Where the value is read.
    pub from: CursorSource,
    /// The query parameter the next request sets to it (`after`).
    pub query: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "field", rename_all = "snake_case")]
pub enum CursorSource {
    /// A field of the last item of the page (`id`).
    LastItem(String),
    /// A field of the page's response body (`last_id`, `next`).
    Response(String),
}

/// What the package's client class does when constructed (read from its constructor, see
/// `parse::routes::client_options`): the default base URL and the environment variables its
/// options fall back to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientDefaults {
    /// The client class (`OpenAI`).
    pub class: String,
    /// `baseURL || 'https://api.openai.com/v1'`.
    pub base_url: String,
    /// `baseURL = readEnv('OPENAI_BASE_URL')`.
    pub base_url_env: Option<String>,
    /// Each authentication scheme a call can name, in the order the class defines them.
    pub schemes: Vec<AuthScheme>,
}

/// `bearerAuth(opts) { return buildHeaders([{ Authorization: `Bearer ${this.apiKey}` }]); }`
/// with `apiKey = readEnv('OPENAI_API_KEY')`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthScheme {
    /// The scheme's name in `__security` (`bearerAuth`).
    pub name: String,
    /// The client option holding the token (`apiKey`).
    pub option: String,
    /// The environment variable the option falls back to (`OPENAI_API_KEY`).
    pub env: Option<String>,
}
