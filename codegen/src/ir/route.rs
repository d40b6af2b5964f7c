//! What a JavaScript SDK method puts on the wire, as read from the package's compiled JS.
//!
//! This is language-neutral: field names are the request object's wire (TypeScript) names, never
//! Rust names. The extractor in `parse::routes` fills it; the emitter reads only this.

use serde::Serialize;

use crate::diag::Loc;

/// All classes found in one compiled JS file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct JsModule {
    /// Path of the JS file relative to the package root, with `/` separators.
    pub file: String,
    pub classes: Vec<JsClass>,
    /// Page classes declared in the file and how each finds its next page (Stainless
    /// `CursorPage`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<crate::ir::call::PageRule>,
    /// The client class's defaults, when the file declares the package's client (Stainless).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub defaults: Option<crate::ir::call::ClientDefaults>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsClass {
    pub name: String,
    pub loc: Loc,
    pub methods: Vec<JsMethod>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsMethod {
    pub name: String,
    pub loc: Loc,
    /// Parameter names in order (`data`, `params`, `options`, ...).
    pub params: Vec<String>,
    pub kind: MethodKind,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MethodKind {
    /// The method is one request call whose shape was understood completely.
    Route(Route),
    /// The method is one call of the Stainless convention whose shape was understood completely.
    Call(crate::ir::call::ApiCall),
    /// The method is hand-written upstream: inside `MANUAL(...)` markers, or its body makes no
    /// request call at all; `reason` says which, for the report.
    HandWritten { reason: String },
    /// The method makes a request call the reader does not understand completely (or refuses,
    /// like an absolute URL); `reason` names the construct, for the report.
    NotUnderstood { reason: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Route {
    /// Upper-case HTTP method as written in the JS (`GET`, `POST`, `PUT`, `DELETE`, ...).
    pub method: String,
    pub path: Vec<PathSegment>,
    pub body: Body,
    pub query: Query,
    /// The JS `baseURLType` (`"FRAUD"`), or `None` for the default base URL.
    pub base_url: Option<String>,
    /// Headers the method adds from its arguments (beyond the client's fixed headers).
    pub headers: Vec<Header>,
    /// Checks the method makes before sending anything, in order.
    pub guards: Vec<Guard>,
}

/// `if (!params.field) { throw new ClientError("CODE", "message"); }` before the request call:
/// the request is refused, with this code and message, when the field is falsy (absent, empty
/// string, `0`, `false`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Guard {
    /// The request field tested (wire name).
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum PathSegment {
    /// Literal text, exactly as it goes on the wire.
    Literal(String),
    /// A request field interpolated into the path.
    Param {
        /// The parameter it is read from (`data` or `params`): always the request parameter.
        field: String,
        /// `true` when the JS wraps it in `encodeURIComponent`; `false` for raw interpolation
        /// (older SDK builds), which we reproduce faithfully.
        encoded: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    /// No body at all (no `data`/`dataRaw` key).
    None,
    /// `data` is the whole request parameter: every field is serialized.
    Whole,
    /// `data: {}`: the JSON `{}` is sent.
    Empty,
    /// `data: { key: data.field, ... }`: only these fields, under these keys.
    Fields { fields: Vec<FieldRef> },
    /// `dataRaw: new URLSearchParams(...)`: a form-encoded body with these fields.
    Form { fields: Vec<FieldRef> },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Query {
    /// No `params` key.
    None,
    /// `params: {}`.
    Empty,
    /// `params: { ...params }`: every field of the request parameter.
    Whole,
    /// `params: { key: params.field, ... }`.
    Fields { fields: Vec<FieldRef> },
}

/// One entry of an object literal: the key sent on the wire and where its value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRef {
    pub key: String,
    pub source: ValueSource,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum ValueSource {
    /// A field of the request parameter (`data.name` -> `"name"`).
    Field(String),
    /// A constant string written in the JS (`grant_type: "client_credentials"`).
    Const(String),
}

/// A header set from the method's arguments, e.g. `X-Stytch-Member-Session` from
/// `options.authorization.session_token`. JS only sets it when the value is truthy, so an
/// absent or empty string sends no header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    pub name: String,
    /// Which parameter holds it (`options`) and the property path inside it
    /// (`["authorization", "session_token"]`).
    pub param: String,
    pub path: Vec<String>,
}
