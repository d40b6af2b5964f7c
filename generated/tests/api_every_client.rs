//! Drives at least one call of every sub-client of `stytch_generated::Client` and `stytch_generated::B2BClient`
//! against a local wiremock server.
//!
//! Every expectation below was derived from the upstream JS SDK (`stytch@14.2.0`,
//! `dist/**/*.js`): the HTTP method and URL template of its `request(...)` call, which path
//! segments go through `encodeURIComponent`, whether it sends `data` (the whole argument, `{}`
//! or a subset object such as `data: { name: data.name }`), `params` (the query string) and the
//! `X-Stytch-Member-Session*` headers from `options.authorization`, and whether it uses the
//! `FRAUD` base URL. A mock matches only the exact wire request (method, raw percent-encoded
//! path, raw query string, JSON body, headers) and is mounted with `.expect(1)`, so a request that
//! differs in any way fails the test, and the failure message lists what was received and why it
//! did not match.
//!
//! Responses are written from the `.d.ts` response interfaces (with nested `user`, `session`,
//! `member`, `organization`, `member_session` objects from `tests/fixtures/`).

use serde_json::{Value, json};
use stytch_generated::ext::{ClientConfig, Environment};
use stytch_generated::{B2BClient, Client, Error};
use wiremock::{Mock, MockServer, ResponseTemplate};

use stytch_generated::b2b::{
    discovery_intermediate_sessions as b2b_dis, discovery_organizations as b2b_disc_orgs, idp_oauth as b2b_idp_oauth,
    impersonation as b2b_impersonation, magic_links as b2b_magic_links, magic_links_discovery as b2b_ml_discovery,
    magic_links_email as b2b_ml_email, magic_links_email_discovery as b2b_ml_email_discovery, oauth as b2b_oauth,
    oauth_discovery as b2b_oauth_discovery, organizations, organizations_members as members,
    organizations_members_connected_apps as member_apps, organizations_members_oauth_providers as member_oauth,
    otp_email as b2b_otp_email, otp_email_discovery as b2b_otp_email_discovery, otp_sms as b2b_otp_sms,
    passwords as b2b_passwords, passwords_discovery as b2b_pw_discovery,
    passwords_discovery_email as b2b_pw_discovery_email, passwords_email as b2b_pw_email,
    passwords_existing_password as b2b_pw_existing, passwords_session as b2b_pw_session, rbac as b2b_rbac,
    rbac_organizations as b2b_rbac_orgs, recovery_codes as b2b_recovery, scim_connection, sessions as b2b_sessions,
    sso, sso_external, sso_oidc, sso_saml, totps as b2b_totps,
};
use stytch_generated::b2c::{
    attribute, connected_apps_clients, connected_apps_clients_secrets, crypto_wallets, fraud, fraud_email,
    fraud_fingerprint, fraud_rules, fraud_verdict_reasons, idp_oauth, impersonation, m2m, m2m_clients,
    m2m_clients_secrets, magic_links, magic_links_email, oauth, otps, otps_email, otps_sms, otps_whatsapp, passwords,
    passwords_email, passwords_existing_password, passwords_session, project, sessions, totps, users, webauthn,
};
use stytch_generated::shared::method_options::Authorization;

const PROJECT_ID: &str = "project-test-6c20cd16-73d5-44f7-852c-9a7e7b2ccf62";
const SECRET: &str = "secret-test-ZqUcgHbVgSeXvDM2ZfnNEYLQjXrWqHf08X4=";
/// `"Basic " + base64(PROJECT_ID + ":" + SECRET)`, as the JS `BaseClient` builds it.
const BASIC_AUTH: &str = "Basic cHJvamVjdC10ZXN0LTZjMjBjZDE2LTczZDUtNDRmNy04NTJjLTlhN2U3YjJjY2Y2MjpzZWNyZXQtdGVzdC1acVVjZ0hiVmdTZVh2RE0yWmZuTkVZTFFqWHJXcUhmMDhYND0=";

const USER_ID: &str = "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6";
const ORG_ID: &str = "organization-test-07971b06-ac8b-4cdb-9c15-63b17e653931";
const MEMBER_ID: &str = "member-test-32fc5024-9c09-4da3-bd2e-c9ce4da9375f";
const SAML_ID: &str = "saml-connection-test-51861cbc-d3b9-428b-9761-227f5fb12be9";
const OIDC_ID: &str = "oidc-connection-test-8b1e3a2f-6c5d-4e7a-9b8c-0d1e2f3a4b5c";
const SCIM_ID: &str = "scim-connection-test-0d1b3a5c-6e7f-4a8b-9c0d-1e2f3a4b5c6d";
const APP_ID: &str = "connected-app-test-0b7e3c2a-5d5f-4a8c-9f43-2c3c6f8e7d10";
const M2M_ID: &str = "m2m-client-test-d731954d-dab3-4a2b-bdee-07f3ad1be885";
const SESSION_TOKEN: &str = "mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q";
const SESSION_JWT: &str =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6Imp3ay10ZXN0LTIyMDMxMjQ1In0.eyJzdWIiOiJ1c2VyLXRlc3QifQ.c2lnbmF0dXJl";
const MEMBER_SESSION_TOKEN: &str = "hP4mxkOtJ8ZY7pkJR1Vjr2XKsQYnWTl0dDt6XhwEuSO";
const MEMBER_SESSION_JWT: &str =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6Imp3ay10ZXN0LWIyYiJ9.eyJzdWIiOiJtZW1iZXItdGVzdCJ9.c2lnbmF0dXJl";
const IST: &str = "SeiGwdj5lKkrEVgcEY3QNJXt6srxS3IK2Nwkar6mXD4=";
const REQUEST_ID: &str = "request-id-test-b05c992f-ebdc-489d-a754-c7e70ae13141";

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

fn fixture(text: &str) -> Value {
    serde_json::from_str(text).expect("fixture is valid JSON")
}
fn user() -> Value {
    fixture(include_str!("fixtures/user.json"))
}
fn session() -> Value {
    fixture(include_str!("fixtures/session.json"))
}
fn member() -> Value {
    fixture(include_str!("fixtures/member.json"))
}
fn organization() -> Value {
    fixture(include_str!("fixtures/organization.json"))
}
fn member_session() -> Value {
    fixture(include_str!("fixtures/member_session.json"))
}
fn device() -> Value {
    fixture(include_str!("fixtures/device.json"))
}
fn connected_app() -> Value {
    fixture(include_str!("fixtures/connected_app.json"))
}
fn m2m_client() -> Value {
    fixture(include_str!("fixtures/m2m_client.json"))
}
fn saml_connection() -> Value {
    fixture(include_str!("fixtures/saml_connection.json"))
}
fn oidc_connection() -> Value {
    fixture(include_str!("fixtures/oidc_connection.json"))
}

/// A successful Stytch response: `request_id`, `status_code` and the given fields.
fn ok_body(fields: Value) -> Value {
    let mut body = json!({ "request_id": REQUEST_ID, "status_code": 200 });
    let map = body.as_object_mut().unwrap();
    for (k, v) in fields.as_object().expect("an object").clone() {
        map.insert(k, v);
    }
    body
}

fn meta(pairs: &[(&str, Value)]) -> std::collections::BTreeMap<String, Value> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

// ---------------------------------------------------------------------------------------------
// The expected wire request
// ---------------------------------------------------------------------------------------------

/// Exactly what the JS SDK puts on the wire for one call.
#[derive(Clone, Debug)]
struct Wire {
    method: &'static str,
    /// The raw, percent-encoded path.
    path: String,
    /// The raw query string; `None` means the URL has no `?` at all.
    query: Option<String>,
    /// The JSON body; `None` means no body.
    body: Option<Value>,
    /// Extra headers that must be present with exactly this value.
    headers: Vec<(&'static str, String)>,
}

const MEMBER_SESSION_HEADER: &str = "x-stytch-member-session";
const MEMBER_JWT_HEADER: &str = "x-stytch-member-sessionjwt";

impl Wire {
    fn new(method: &'static str, path: &str) -> Wire {
        Wire { method, path: path.to_string(), query: None, body: None, headers: Vec::new() }
    }
    fn get(path: &str) -> Wire {
        Wire::new("GET", path)
    }
    fn post(path: &str) -> Wire {
        Wire::new("POST", path)
    }
    fn put(path: &str) -> Wire {
        Wire::new("PUT", path)
    }
    fn delete(path: &str) -> Wire {
        Wire::new("DELETE", path)
    }
    fn query(mut self, raw: &str) -> Wire {
        self.query = Some(raw.to_string());
        self
    }
    fn json(mut self, body: Value) -> Wire {
        self.body = Some(body);
        self
    }
    fn header(mut self, name: &'static str, value: &str) -> Wire {
        self.headers.push((name, value.to_string()));
        self
    }
    /// Both B2B authorization headers, from `options.authorization`.
    fn member_auth(self) -> Wire {
        self.header(MEMBER_SESSION_HEADER, MEMBER_SESSION_TOKEN).header(MEMBER_JWT_HEADER, MEMBER_SESSION_JWT)
    }

    /// Why `req` is not this request, or `Ok` when it is.
    fn check(&self, req: &wiremock::Request) -> Result<(), String> {
        let mut problems = Vec::new();
        if req.method.as_str() != self.method {
            problems.push(format!("method {} != {}", req.method, self.method));
        }
        if req.url.path() != self.path {
            problems.push(format!("path {:?} != {:?}", req.url.path(), self.path));
        }
        if req.url.query() != self.query.as_deref() {
            problems.push(format!("query {:?} != {:?}", req.url.query(), self.query));
        }
        let header = |name: &str| req.headers.get(name).map(|v| v.to_str().unwrap_or("<binary>").to_string());
        if header("authorization").as_deref() != Some(BASIC_AUTH) {
            problems.push(format!("authorization {:?}", header("authorization")));
        }
        match header("user-agent") {
            Some(ua) if ua.starts_with("stytch-rust/") => {}
            other => problems.push(format!("user-agent {other:?}")),
        }
        // The JS SDK sends `Content-Type: application/json` on every request, bodiless or not.
        if header("content-type").as_deref() != Some("application/json") {
            problems.push(format!("content-type {:?}", header("content-type")));
        }
        for (name, value) in &self.headers {
            if header(name).as_deref() != Some(value.as_str()) {
                problems.push(format!("header {name}: {:?} != {value:?}", header(name)));
            }
        }
        for name in [MEMBER_SESSION_HEADER, MEMBER_JWT_HEADER] {
            if !self.headers.iter().any(|(n, _)| *n == name) && header(name).is_some() {
                problems.push(format!("unexpected header {name}: {:?}", header(name)));
            }
        }
        match &self.body {
            None if !req.body.is_empty() => {
                problems.push(format!("unexpected body {:?}", String::from_utf8_lossy(&req.body)))
            }
            None => {}
            Some(expected) => match serde_json::from_slice::<Value>(&req.body) {
                Ok(actual) if &actual == expected => {}
                Ok(actual) => problems.push(format!("body {actual} != {expected}")),
                Err(e) => problems.push(format!("body is not JSON ({e}): {:?}", String::from_utf8_lossy(&req.body))),
            },
        }
        if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
    }
}

// ---------------------------------------------------------------------------------------------
// Harness: an API server, a fraud server, and both root clients pointed at them
// ---------------------------------------------------------------------------------------------

struct Harness {
    api: MockServer,
    fraud: MockServer,
    client: Client,
    b2b: B2BClient,
    expected: std::sync::Mutex<Vec<Wire>>,
}

impl Harness {
    async fn new() -> Harness {
        let api = MockServer::start().await;
        let fraud = MockServer::start().await;
        let config =
            || ClientConfig::new(PROJECT_ID, SECRET).env(Environment::Custom(api.uri())).allow_http_loopback().fraud_base_url(fraud.uri());
        let client = Client::with_config(config()).expect("client");
        let b2b = B2BClient::with_config(config()).expect("b2b client");
        Harness { api, fraud, client, b2b, expected: Default::default() }
    }

    async fn mount(&self, server: &MockServer, wire: Wire, response: Value) {
        self.expected.lock().unwrap().push(wire.clone());
        let name = format!("{} {}", wire.method, wire.path);
        Mock::given(move |req: &wiremock::Request| wire.check(req).is_ok())
            .respond_with(ResponseTemplate::new(200).set_body_json(response))
            .expect(1)
            .named(name)
            .mount(server)
            .await;
    }

    /// Expects exactly one request `wire` to the API base URL, answered with `response`.
    async fn expect(&self, wire: Wire, response: Value) {
        self.mount(&self.api, wire, response).await;
    }

    /// Expects exactly one request `wire` to the FRAUD base URL.
    async fn expect_fraud(&self, wire: Wire, response: Value) {
        self.mount(&self.fraud, wire, response).await;
    }

    /// The value of a call that must have succeeded; on failure, says which received request
    /// differed from which expectation and how.
    async fn ok<T>(&self, result: Result<T, Error>) -> T {
        match result {
            Ok(v) => v,
            Err(e) => {
                let mut report = format!("call failed: {e:?}\n");
                for (server, label) in [(&self.api, "api"), (&self.fraud, "fraud")] {
                    for req in server.received_requests().await.unwrap_or_default() {
                        let expected = self.expected.lock().unwrap();
                        if expected.iter().any(|wire| wire.check(&req).is_ok()) {
                            continue;
                        }
                        report.push_str(&format!(
                            "unexpected request on {label}: {} {}\n  headers: {:?}\n  body: {}\n",
                            req.method,
                            req.url,
                            req.headers,
                            String::from_utf8_lossy(&req.body)
                        ));
                        // The expectations it came closest to: same method, else all of them.
                        let same_method: Vec<_> = expected.iter().filter(|w| w.method == req.method.as_str()).collect();
                        let candidates = if same_method.is_empty() { expected.iter().collect() } else { same_method };
                        for wire in candidates {
                            if let Err(why) = wire.check(&req) {
                                report.push_str(&format!("  vs expected {} {}: {why}\n", wire.method, wire.path));
                            }
                        }
                    }
                }
                panic!("{report}");
            }
        }
    }

    /// Every mounted expectation was met exactly once, and nothing else was received.
    async fn done(self) {
        self.api.verify().await;
        self.fraud.verify().await;
        let expected = self.expected.lock().unwrap().len();
        let received =
            self.api.received_requests().await.unwrap().len() + self.fraud.received_requests().await.unwrap().len();
        assert_eq!(received, expected, "every request was expected exactly once");
    }
}

fn member_options() -> Option<Authorization> {
    Some(Authorization { session_token: s(MEMBER_SESSION_TOKEN), session_jwt: s(MEMBER_SESSION_JWT) })
}

// =============================================================================================
// stytch_generated::Client
// =============================================================================================

#[tokio::test]
async fn client_users() {
    let h = Harness::new().await;
    let users_client = &h.client.users;

    // users.get: `/v1/users/${encodeURIComponent(params.user_id)}`, `params: {}` (no query), no
    // body. The id holds `/`, `?`, `%`, a space, `=`, `&`, a non-ASCII letter and the characters
    // encodeURIComponent leaves alone (`!'()*~`).
    let odd_id = "user-test-16d9ba61/α?b=1&c%2 d!'()*~";
    let mut got = user();
    got["user_id"] = json!(odd_id);
    h.expect(Wire::get("/v1/users/user-test-16d9ba61%2F%CE%B1%3Fb%3D1%26c%252%20d!'()*~"), ok_body(got)).await;
    let res = h.ok(users_client.get(&users::UsersGetRequest::new(odd_id)).await).await;
    assert_eq!(res.user_id, odd_id);
    assert_eq!(res.request_id, REQUEST_ID);
    assert_eq!(res.emails[0].email, "ada@example.com");
    assert!(res.emails[0].verified);
    assert_eq!(res.phone_numbers[0].phone_number, "+12025550162");
    assert_eq!(res.providers[0].provider_type, "Google");
    assert_eq!(res.crypto_wallets[0].crypto_wallet_type, "ethereum");
    assert_eq!(res.name.as_ref().and_then(|n| n.first_name.as_deref()), Some("Ada"));
    assert_eq!(res.password.as_ref().map(|p| p.requires_reset), Some(false));
    assert_eq!(res.trusted_metadata.as_ref().unwrap()["billing_address"]["city"], "London");
    assert_eq!(res.lock_expires_at, None);
    assert_eq!(res.roles, ["stytch_user", "editor"]);
    assert_eq!(res.status_code, 200);

    // users.create: `data` (the whole argument).
    h.expect(
        Wire::post("/v1/users").json(json!({
            "email": "ada@example.com",
            "name": { "first_name": "Ada", "last_name": "Lovelace" },
            "attributes": { "ip_address": "203.0.113.7", "user_agent": "curl/8.5.0" },
            "create_user_as_pending": true,
            "trusted_metadata": { "plan": "pro" },
            "external_id": "crm-00042",
            "roles": ["editor"]
        })),
        ok_body(json!({
            "user_id": USER_ID,
            "email_id": "email-test-81bf03a8-86e1-4d95-bd44-bb3495224953",
            "phone_id": "",
            "status": "pending",
            "user": user()
        })),
    )
    .await;
    let res = h
        .ok(users_client
            .create(&users::UsersCreateRequest {
                email: s("ada@example.com"),
                name: Some(users::UsersName { first_name: s("Ada"), last_name: s("Lovelace"), ..Default::default() }),
                attributes: Some(attribute::Attributes { ip_address: s("203.0.113.7"), user_agent: s("curl/8.5.0") }),
                create_user_as_pending: Some(true),
                trusted_metadata: Some(meta(&[("plan", json!("pro"))])),
                external_id: s("crm-00042"),
                roles: Some(vec!["editor".into()]),
                ..Default::default()
            })
            .await)
        .await;
    assert_eq!(res.user_id, USER_ID);
    assert_eq!(res.status, "pending");
    assert_eq!(res.user.external_id.as_deref(), Some("crm-00042"));
    assert_eq!(res.user.totps[0].totp_id, "totp-test-41920359-8bbb-4fe8-8fa3-aaa83f35f02c");

    // users.update: the JS sends the subset `{ name, attributes, trusted_metadata,
    // untrusted_metadata, external_id, roles }`; `user_id` only goes into the path, and fields left
    // `undefined` are dropped by JSON.stringify.
    h.expect(
        Wire::put(&format!("/v1/users/{USER_ID}")).json(json!({
            "name": { "first_name": "Augusta", "middle_name": "Ada", "last_name": "King" },
            "untrusted_metadata": { "display_theme": "LIGHT_MODE" }
        })),
        ok_body(json!({
            "user_id": USER_ID,
            "emails": user()["emails"],
            "phone_numbers": user()["phone_numbers"],
            "crypto_wallets": user()["crypto_wallets"],
            "user": user()
        })),
    )
    .await;
    let res = h
        .ok(users_client
            .update(&users::UsersUpdateRequest::new(USER_ID)
                .with_name(users::UsersName { first_name: s("Augusta"), middle_name: s("Ada"), last_name: s("King") })
                .with_untrusted_metadata(meta(&[("display_theme", json!("LIGHT_MODE"))])))
            .await)
        .await;
    assert_eq!(res.user.user_id, USER_ID);
    assert_eq!(res.phone_numbers[0].phone_id, "phone-number-test-d5a3b680-e8a3-40c0-b815-ab79986666d0");

    // users.delete: DELETE with `data: {}`, i.e. a literal `{}` body.
    h.expect(Wire::delete(&format!("/v1/users/{USER_ID}")).json(json!({})), ok_body(json!({ "user_id": USER_ID })))
        .await;
    let res = h.ok(users_client.delete(&users::UsersDeleteRequest::new(USER_ID)).await).await;
    assert_eq!(res.user_id, USER_ID);

    // users.search: the whole argument, including a filter operand.
    h.expect(
        Wire::post("/v1/users/search").json(json!({
            "limit": 50,
            "query": {
                "operator": "AND",
                "operands": [{ "filter_name": "created_at_greater_than", "filter_value": "2024-01-01T00:00:00Z" }]
            }
        })),
        ok_body(json!({
            "results": [user()],
            "results_metadata": { "total": 1, "next_cursor": null }
        })),
    )
    .await;
    let res = h
        .ok(users_client
            .search(&users::UsersSearchRequest {
                limit: Some(50),
                query: Some(users::SearchUsersQuery::new(users::SearchUsersQueryOperator::And, vec![
                        serde_json::from_value(json!({
                            "filter_name": "created_at_greater_than",
                            "filter_value": "2024-01-01T00:00:00Z"
                        }))
                        .unwrap(),
                    ])),
                ..Default::default()
            })
            .await)
        .await;
    assert_eq!(res.results.len(), 1);
    assert_eq!(res.results_metadata.total, 1);
    assert_eq!(res.results_metadata.next_cursor, None);

    // users.revoke: two encoded path segments, `data: {}`.
    h.expect(
        Wire::post(&format!("/v1/users/{USER_ID}/connected_apps/{APP_ID}/revoke")).json(json!({})),
        ok_body(json!({})),
    )
    .await;
    let res = h
        .ok(users_client
            .revoke(&users::UsersRevokeRequest::new(USER_ID, APP_ID))
            .await)
        .await;
    assert_eq!(res.request_id, REQUEST_ID);

    // users.connectedApps: GET with `params: {}`.
    h.expect(
        Wire::get(&format!("/v1/users/{USER_ID}/connected_apps")),
        ok_body(json!({
            "connected_apps": [{
                "connected_app_id": APP_ID,
                "name": "Acme Reporting",
                "description": "Reads usage data",
                "client_type": "third_party",
                "scopes_granted": "openid email read:reports",
                "logo_url": null
            }]
        })),
    )
    .await;
    let res =
        h.ok(users_client.connected_apps(&users::UsersConnectedAppsRequest::new(USER_ID)).await).await;
    assert_eq!(res.connected_apps[0].scopes_granted, "openid email read:reports");
    assert_eq!(res.connected_apps[0].logo_url, None);

    h.done().await;
}

#[tokio::test]
async fn client_passwords() {
    let h = Harness::new().await;

    h.expect(
        Wire::post("/v1/passwords").json(json!({
            "email": "ada@example.com",
            "password": "correct-horse-battery-staple-1843",
            "session_duration_minutes": 60,
            "name": { "first_name": "Ada" }
        })),
        ok_body(json!({
            "user_id": USER_ID,
            "email_id": "email-test-81bf03a8-86e1-4d95-bd44-bb3495224953",
            "session_token": SESSION_TOKEN,
            "session_jwt": SESSION_JWT,
            "user": user(),
            "session": session(),
            "user_device": device()
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .passwords
            .create(&passwords::PasswordsCreateRequest::new("ada@example.com", "correct-horse-battery-staple-1843")
                .with_session_duration_minutes(60)
                .with_name(users::UsersName { first_name: s("Ada"), ..Default::default() }))
            .await)
        .await;
    assert_eq!(res.session_token, SESSION_TOKEN);
    let sess = res.session.expect("session");
    assert_eq!(sess.session_id, "session-test-fe6c042b-6286-479f-8a4f-b046a6c46509");
    assert_eq!(sess.authentication_factors[0].r#type, sessions::AuthenticationFactorType::Password);
    assert_eq!(sess.authentication_factors[0].delivery_method, sessions::AuthenticationFactorDeliveryMethod::Knowledge);
    assert_eq!(
        sess.authentication_factors[0].email_factor.as_ref().map(|f| f.email_address.as_str()),
        Some("ada@example.com")
    );
    assert_eq!(sess.attributes.and_then(|a| a.ip_address).as_deref(), Some("203.0.113.7"));
    let device = res.user_device.expect("device");
    assert_eq!(device.ip_geo_country.as_deref(), Some("GB"));
    assert_eq!(device.visitor_id_details.map(|d| d.is_new), Some(false));

    h.expect(
        Wire::post("/v1/passwords/authenticate").json(json!({
            "email": "ada@example.com",
            "password": "correct-horse-battery-staple-1843",
            "session_token": SESSION_TOKEN,
            "session_custom_claims": { "plan": "pro" }
        })),
        ok_body(json!({
            "user_id": USER_ID,
            "session_token": SESSION_TOKEN,
            "session_jwt": SESSION_JWT,
            "user": user(),
            "session": session()
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .passwords
            .authenticate(&passwords::PasswordsAuthenticateRequest::new("ada@example.com", "correct-horse-battery-staple-1843")
                .with_session_token(SESSION_TOKEN)
                .with_session_custom_claims(meta(&[("plan", json!("pro"))])))
            .await)
        .await;
    assert_eq!(res.user.emails[0].email, "ada@example.com");
    assert_eq!(res.session.unwrap().custom_claims.unwrap()["plan"], "pro");

    h.expect(
        Wire::post("/v1/passwords/strength_check").json(json!({ "password": "hunter2", "email": "ada@example.com" })),
        ok_body(json!({
            "valid_password": false,
            "score": 0,
            "breached_password": true,
            "strength_policy": "zxcvbn",
            "breach_detection_on_create": true,
            "feedback": {
                "warning": "This is a very common password.",
                "suggestions": ["Add another word or two. Uncommon words are better."],
                "luds_requirements": null
            }
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .passwords
            .strength_check(&passwords::PasswordsStrengthCheckRequest::new("hunter2")
                .with_email("ada@example.com"))
            .await)
        .await;
    assert!(!res.valid_password);
    assert!(res.breached_password);
    let feedback = res.feedback.expect("feedback");
    assert_eq!(feedback.warning, "This is a very common password.");
    assert!(feedback.luds_requirements.is_none());

    // A renamed field (`md_5_config`) and an enum (`hash_type`).
    h.expect(
        Wire::post("/v1/passwords/migrate").json(json!({
            "email": "ada@example.com",
            "hash": "5f4dcc3b5aa765d61d8327deb882cf99",
            "hash_type": "md_5",
            "md_5_config": { "prepend_salt": "", "append_salt": "pepper" },
            "set_email_verified": true
        })),
        ok_body(json!({
            "user_id": USER_ID,
            "email_id": "email-test-81bf03a8-86e1-4d95-bd44-bb3495224953",
            "user_created": false,
            "user": user()
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .passwords
            .migrate(&passwords::PasswordsMigrateRequest::new("ada@example.com", "5f4dcc3b5aa765d61d8327deb882cf99", passwords::PasswordsMigrateRequestHashType::Md5)
                .with_md_5_config(passwords::MD5Config::new("", "pepper"))
                .with_set_email_verified(true))
            .await)
        .await;
    assert!(!res.user_created);
    assert_eq!(res.user.user_id, USER_ID);

    // A PBKDF2 migration: `PBKDF2Config::new` takes every required key, `algorithm` included
    // (leaving it out does not compile: `ext::required_fields`), and sends exactly those keys.
    h.expect(
        Wire::post("/v1/passwords/migrate").json(json!({
            "email": "ada@example.com",
            "hash": "ZGVyaXZlZGtleQ==",
            "hash_type": "pbkdf_2",
            "pbkdf_2_config": { "salt": "c2FsdA==", "iteration_amount": 100000, "key_length": 32, "algorithm": "sha512" }
        })),
        ok_body(json!({ "user_id": USER_ID, "email_id": "", "user_created": true, "user": user() })),
    )
    .await;
    let config = passwords::PBKDF2Config::new("c2FsdA==", 100_000, 32, "sha512");
    let request = passwords::PasswordsMigrateRequest::new(
        "ada@example.com",
        "ZGVyaXZlZGtleQ==",
        passwords::PasswordsMigrateRequestHashType::Pbkdf2,
    )
    .with_pbkdf_2_config(config);
    assert!(h.ok(h.client.passwords.migrate(&request).await).await.user_created);

    h.done().await;
}

#[tokio::test]
async fn client_passwords_email() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/passwords/email/reset/start").json(json!({
            "email": "ada@example.com",
            "reset_password_redirect_url": "https://example.com/reset",
            "reset_password_expiration_minutes": 30,
            "locale": "pt-br"
        })),
        ok_body(json!({ "user_id": USER_ID, "email_id": "email-test-81bf03a8-86e1-4d95-bd44-bb3495224953" })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .passwords
            .email
            .reset_start(&passwords_email::PasswordsEmailResetStartRequest::new("ada@example.com")
                .with_reset_password_redirect_url("https://example.com/reset")
                .with_reset_password_expiration_minutes(30)
                .with_locale(passwords_email::PasswordsEmailResetStartRequestLocale::PtBr))
            .await)
        .await;
    assert_eq!(res.email_id, "email-test-81bf03a8-86e1-4d95-bd44-bb3495224953");

    h.expect(
        Wire::post("/v1/passwords/email/reset").json(json!({
            "token": "Ri8ZD4bSNdvm9FZVsz2m4jFQN7j4nLYkrixMSL9hdFpI",
            "password": "a-much-better-password-2024",
            "session_duration_minutes": 120,
            "options": { "ip_match_required": true, "user_agent_match_required": false }
        })),
        ok_body(json!({
            "user_id": USER_ID,
            "session_token": SESSION_TOKEN,
            "session_jwt": SESSION_JWT,
            "user": user(),
            "session": session()
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .passwords
            .email
            .reset(&passwords_email::PasswordsEmailResetRequest::new("Ri8ZD4bSNdvm9FZVsz2m4jFQN7j4nLYkrixMSL9hdFpI", "a-much-better-password-2024")
                .with_session_duration_minutes(120)
                .with_options(magic_links::Options::new(true, false)))
            .await)
        .await;
    assert_eq!(res.session_jwt, SESSION_JWT);
    h.done().await;
}

#[tokio::test]
async fn client_passwords_existing_password() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/passwords/existing_password/reset").json(json!({
            "email": "ada@example.com",
            "existing_password": "old-password-1843",
            "new_password": "new-password-2024!",
            "session_duration_minutes": 60
        })),
        ok_body(json!({
            "user_id": USER_ID,
            "session_token": SESSION_TOKEN,
            "session_jwt": SESSION_JWT,
            "user": user(),
            "session": session()
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .passwords
            .existing_password
            .reset(&passwords_existing_password::PasswordsExistingPasswordResetRequest::new("ada@example.com", "old-password-1843", "new-password-2024!")
                .with_session_duration_minutes(60))
            .await)
        .await;
    assert_eq!(res.user_id, USER_ID);
    assert_eq!(res.session.unwrap().user_id, USER_ID);
    h.done().await;
}

#[tokio::test]
async fn client_passwords_sessions() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/passwords/session/reset")
            .json(json!({ "password": "new-password-2024!", "session_jwt": SESSION_JWT })),
        ok_body(json!({
            "user_id": USER_ID,
            "user": user(),
            "session_token": SESSION_TOKEN,
            "session_jwt": SESSION_JWT,
            "session": session()
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .passwords
            .sessions
            .reset(&passwords_session::PasswordsSessionResetRequest::new("new-password-2024!")
                .with_session_jwt(SESSION_JWT))
            .await)
        .await;
    assert_eq!(res.session_token, SESSION_TOKEN);
    assert_eq!(res.user.roles, ["stytch_user", "editor"]);
    h.done().await;
}

#[tokio::test]
async fn client_magic_links() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/magic_links/authenticate").json(json!({
            "token": "DOYoip3rvIMMW5lgItikFK-Ak1CfMsgjuiCyI7uuU94=",
            "session_duration_minutes": 60,
            "code_verifier": "9SkJX3GMcWi0GZ2hJIV6wFx2LW3kYwvG9rzRcQDDjhA"
        })),
        ok_body(json!({
            "user_id": USER_ID,
            "method_id": "email-test-81bf03a8-86e1-4d95-bd44-bb3495224953",
            "session_token": SESSION_TOKEN,
            "session_jwt": SESSION_JWT,
            "user": user(),
            "reset_sessions": false,
            "session": session()
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .magic_links
            .authenticate(&magic_links::MagicLinksAuthenticateRequest::new("DOYoip3rvIMMW5lgItikFK-Ak1CfMsgjuiCyI7uuU94=")
                .with_session_duration_minutes(60)
                .with_code_verifier("9SkJX3GMcWi0GZ2hJIV6wFx2LW3kYwvG9rzRcQDDjhA"))
            .await)
        .await;
    assert_eq!(res.method_id, "email-test-81bf03a8-86e1-4d95-bd44-bb3495224953");
    assert!(!res.reset_sessions);

    h.expect(
        Wire::post("/v1/magic_links").json(json!({ "user_id": USER_ID, "expiration_minutes": 10 })),
        ok_body(json!({ "user_id": USER_ID, "token": "PqY7aP3g0mWVaHPuPgvNT3oWFHzUnSSp3hmUn4T9e1A=" })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .magic_links
            .create(&magic_links::MagicLinksCreateRequest::new(USER_ID)
                .with_expiration_minutes(10))
            .await)
        .await;
    assert_eq!(res.token, "PqY7aP3g0mWVaHPuPgvNT3oWFHzUnSSp3hmUn4T9e1A=");
    h.done().await;
}

#[tokio::test]
async fn client_magic_links_email() {
    let h = Harness::new().await;
    let email = &h.client.magic_links.email;

    h.expect(
        Wire::post("/v1/magic_links/email/send").json(json!({
            "email": "ada@example.com",
            "login_magic_link_url": "https://example.com/authenticate",
            "login_expiration_minutes": 15,
            "locale": "es"
        })),
        ok_body(json!({ "user_id": USER_ID, "email_id": "email-test-81bf03a8-86e1-4d95-bd44-bb3495224953" })),
    )
    .await;
    let res = h
        .ok(email
            .send(&magic_links_email::MagicLinksEmailSendRequest::new("ada@example.com")
                .with_login_magic_link_url("https://example.com/authenticate")
                .with_login_expiration_minutes(15)
                .with_locale(magic_links_email::MagicLinksEmailSendRequestLocale::Es))
            .await)
        .await;
    assert_eq!(res.user_id, USER_ID);

    h.expect(
        Wire::post("/v1/magic_links/email/login_or_create").json(json!({
            "email": "new.user@example.com",
            "login_magic_link_url": "https://example.com/authenticate",
            "signup_magic_link_url": "https://example.com/signup",
            "create_user_as_pending": true
        })),
        ok_body(json!({
            "user_id": "user-test-5b3a8a9e-1f2c-4d3e-8f4a-5b6c7d8e9f00",
            "email_id": "email-test-2a4c6e8f-0b1d-4f3a-9c5e-7a9b1c3d5e7f",
            "user_created": true
        })),
    )
    .await;
    let res = h
        .ok(email
            .login_or_create(&magic_links_email::MagicLinksEmailLoginOrCreateRequest::new("new.user@example.com")
                .with_login_magic_link_url("https://example.com/authenticate")
                .with_signup_magic_link_url("https://example.com/signup")
                .with_create_user_as_pending(true))
            .await)
        .await;
    assert!(res.user_created);

    h.expect(
        Wire::post("/v1/magic_links/email/invite").json(json!({
            "email": "charles@example.com",
            "name": { "first_name": "Charles", "last_name": "Babbage" },
            "invite_magic_link_url": "https://example.com/invite",
            "invite_expiration_minutes": 10080
        })),
        ok_body(json!({
            "user_id": "user-test-9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
            "email_id": "email-test-0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
        })),
    )
    .await;
    let res = h
        .ok(email
            .invite(&magic_links_email::MagicLinksEmailInviteRequest::new("charles@example.com")
                .with_name(users::UsersName {
                    first_name: s("Charles"),
                    last_name: s("Babbage"),
                    ..Default::default()
                })
                .with_invite_magic_link_url("https://example.com/invite")
                .with_invite_expiration_minutes(10080))
            .await)
        .await;
    assert_eq!(res.email_id, "email-test-0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");

    h.expect(
        Wire::post("/v1/magic_links/email/revoke_invite").json(json!({ "email": "charles@example.com" })),
        ok_body(json!({})),
    )
    .await;
    let res = h
        .ok(email
            .revoke_invite(&magic_links_email::MagicLinksEmailRevokeInviteRequest::new("charles@example.com"))
            .await)
        .await;
    assert_eq!(res.status_code, 200);
    h.done().await;
}

#[tokio::test]
async fn client_otps() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/otps/authenticate").json(json!({
            "method_id": "phone-number-test-d5a3b680-e8a3-40c0-b815-ab79986666d0",
            "code": "123456",
            "session_duration_minutes": 30
        })),
        ok_body(json!({
            "user_id": USER_ID,
            "method_id": "phone-number-test-d5a3b680-e8a3-40c0-b815-ab79986666d0",
            "session_token": SESSION_TOKEN,
            "session_jwt": SESSION_JWT,
            "user": user(),
            "reset_sessions": false,
            "session": session(),
            "user_device": device()
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .otps
            .authenticate(&otps::OTPsAuthenticateRequest::new("phone-number-test-d5a3b680-e8a3-40c0-b815-ab79986666d0", "123456")
                .with_session_duration_minutes(30))
            .await)
        .await;
    assert_eq!(res.user.phone_numbers[0].phone_id, res.method_id);
    assert_eq!(res.user_device.unwrap().visitor_id, "visitor-6139cbcc-4dda-4b1f-b1c0-13c08ec64d72");
    h.done().await;
}

#[tokio::test]
async fn client_otps_sms() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/otps/sms/send")
            .json(json!({ "phone_number": "+12025550162", "expiration_minutes": 5, "locale": "de-DE" })),
        ok_body(json!({ "user_id": USER_ID, "phone_id": "phone-number-test-d5a3b680-e8a3-40c0-b815-ab79986666d0" })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .otps
            .sms
            .send(&otps_sms::OTPsSmsSendRequest::new("+12025550162")
                .with_expiration_minutes(5)
                .with_locale(otps_sms::OTPsSmsSendRequestLocale::DeDe))
            .await)
        .await;
    assert_eq!(res.phone_id, "phone-number-test-d5a3b680-e8a3-40c0-b815-ab79986666d0");

    h.expect(
        Wire::post("/v1/otps/sms/login_or_create").json(json!({ "phone_number": "+12025550199" })),
        ok_body(json!({
            "user_id": "user-test-5b3a8a9e-1f2c-4d3e-8f4a-5b6c7d8e9f00",
            "phone_id": "phone-number-test-0a9b8c7d-6e5f-4a3b-9c1d-2e3f4a5b6c7d",
            "user_created": true
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .otps
            .sms
            .login_or_create(&otps_sms::OTPsSmsLoginOrCreateRequest::new("+12025550199"))
            .await)
        .await;
    assert!(res.user_created);
    h.done().await;
}

#[tokio::test]
async fn client_otps_email() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/otps/email/send").json(json!({
            "email": "ada@example.com",
            "expiration_minutes": 10,
            "user_id": USER_ID,
            "login_template_id": "otp-login-branded"
        })),
        ok_body(json!({ "user_id": USER_ID, "email_id": "email-test-81bf03a8-86e1-4d95-bd44-bb3495224953" })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .otps
            .email
            .send(&otps_email::OTPsEmailSendRequest::new("ada@example.com")
                .with_expiration_minutes(10)
                .with_user_id(USER_ID)
                .with_login_template_id("otp-login-branded"))
            .await)
        .await;
    assert_eq!(res.email_id, "email-test-81bf03a8-86e1-4d95-bd44-bb3495224953");

    h.expect(
        Wire::post("/v1/otps/email/login_or_create")
            .json(json!({ "email": "ada@example.com", "create_user_as_pending": false, "locale": "fr" })),
        ok_body(json!({
            "user_id": USER_ID,
            "email_id": "email-test-81bf03a8-86e1-4d95-bd44-bb3495224953",
            "user_created": false
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .otps
            .email
            .login_or_create(&otps_email::OTPsEmailLoginOrCreateRequest::new("ada@example.com")
                .with_create_user_as_pending(false)
                .with_locale(otps_email::OTPsEmailLoginOrCreateRequestLocale::Fr))
            .await)
        .await;
    assert!(!res.user_created);
    h.done().await;
}

#[tokio::test]
async fn client_otps_whatsapp() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/otps/whatsapp/send")
            .json(json!({ "phone_number": "+12025550162", "session_token": SESSION_TOKEN })),
        ok_body(json!({ "user_id": USER_ID, "phone_id": "phone-number-test-d5a3b680-e8a3-40c0-b815-ab79986666d0" })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .otps
            .whatsapp
            .send(&otps_whatsapp::OTPsWhatsAppSendRequest::new("+12025550162")
                .with_session_token(SESSION_TOKEN))
            .await)
        .await;
    assert_eq!(res.user_id, USER_ID);

    h.expect(
        Wire::post("/v1/otps/whatsapp/login_or_create")
            .json(json!({ "phone_number": "+447700900123", "expiration_minutes": 2 })),
        ok_body(json!({
            "user_id": USER_ID,
            "phone_id": "phone-number-test-d5a3b680-e8a3-40c0-b815-ab79986666d0",
            "user_created": false
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .otps
            .whatsapp
            .login_or_create(&otps_whatsapp::OTPsWhatsAppLoginOrCreateRequest::new("+447700900123")
                .with_expiration_minutes(2))
            .await)
        .await;
    assert!(!res.user_created);
    h.done().await;
}

#[tokio::test]
async fn client_oauth() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/oauth/authenticate").json(json!({
            "token": "hdPVZHHX0UoRa7hJTuuPHi1vlddffSnoweRbVFf5-H8g",
            "session_duration_minutes": 60,
            "code_verifier": "v3rifier-WJzZ0GgBqA3DWTY1vKjvwQ"
        })),
        ok_body(json!({
            "user_id": USER_ID,
            "provider_subject": "107691503500061507151",
            "provider_type": "Google",
            "session_token": SESSION_TOKEN,
            "session_jwt": SESSION_JWT,
            "provider_values": {
                "access_token": "ya29.a0AfB_byC-access",
                "refresh_token": "1//0g-refresh",
                "id_token": "eyJhbGciOiJSUzI1NiJ9.id.token",
                "scopes": ["openid", "email", "profile"],
                "expires_at": "2024-03-05T10:12:44Z"
            },
            "user": user(),
            "reset_sessions": false,
            "oauth_user_registration_id": "oauth-user-test-de86770c-911d-463f-80e7-f2e3ba4a6bc4",
            "user_session": session()
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .oauth
            .authenticate(&oauth::OAuthAuthenticateRequest::new("hdPVZHHX0UoRa7hJTuuPHi1vlddffSnoweRbVFf5-H8g")
                .with_session_duration_minutes(60)
                .with_code_verifier("v3rifier-WJzZ0GgBqA3DWTY1vKjvwQ"))
            .await)
        .await;
    assert_eq!(res.provider_type, "Google");
    assert_eq!(res.provider_values.scopes, ["openid", "email", "profile"]);
    assert_eq!(res.user_session.unwrap().session_id, "session-test-fe6c042b-6286-479f-8a4f-b046a6c46509");

    h.expect(
        Wire::post("/v1/oauth/attach").json(json!({ "provider": "github", "user_id": USER_ID })),
        ok_body(json!({ "oauth_attach_token": "oauth-attach-token-test-3b2d8c4e-1f5a-4b6c-9d7e-8f9a0b1c2d3e" })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .oauth
            .attach(&oauth::OAuthAttachRequest::new("github").with_user_id(USER_ID))
            .await)
        .await;
    assert_eq!(res.oauth_attach_token, "oauth-attach-token-test-3b2d8c4e-1f5a-4b6c-9d7e-8f9a0b1c2d3e");
    h.done().await;
}

fn jwk() -> Value {
    json!({
        "kty": "RSA",
        "use": "sig",
        "key_ops": ["verify"],
        "alg": "RS256",
        "kid": "jwk-test-22031245-8b5f-4d4a-a6e3-1d5e4e9a8a3f",
        "x5c": ["MIIDqzCCApOgAwIBAgIJAKx"],
        "x5tS256": "E2Qv3DFd6b5a3l3mNq8sXU6y1bPDp6rdu4P8Qvwh3ZI",
        "n": "wiI3DBnXAb5tyF0yPa0ds2bCMN",
        "e": "AQAB"
    })
}

#[tokio::test]
async fn client_sessions() {
    let h = Harness::new().await;

    // sessions.get: `params: { ...params }` -> `?user_id=...`.
    h.expect(
        Wire::get("/v1/sessions").query(&format!("user_id={USER_ID}")),
        ok_body(json!({ "sessions": [session()] })),
    )
    .await;
    let res = h.ok(h.client.sessions.get(&sessions::SessionsGetRequest::new(USER_ID)).await).await;
    assert_eq!(res.sessions[0].roles, ["stytch_user", "editor"]);
    assert_eq!(res.sessions[0].expires_at.as_deref(), Some("2024-03-05T10:12:44Z"));

    h.expect(
        Wire::post("/v1/sessions/authenticate").json(json!({
            "session_token": SESSION_TOKEN,
            "session_duration_minutes": 60,
            "authorization_check": { "resource_id": "documents", "action": "read" }
        })),
        ok_body(json!({
            "session": session(),
            "session_token": SESSION_TOKEN,
            "session_jwt": SESSION_JWT,
            "user": user(),
            "verdict": { "authorized": true, "granting_roles": ["editor"] }
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .sessions
            .authenticate(&sessions::SessionsAuthenticateRequest {
                session_token: s(SESSION_TOKEN),
                session_duration_minutes: Some(60),
                authorization_check: Some(sessions::SessionsAuthorizationCheck::new("documents", "read")),
                ..Default::default()
            })
            .await)
        .await;
    assert_eq!(res.session.user_id, USER_ID);
    let verdict = res.verdict.expect("verdict");
    assert!(verdict.authorized);
    assert_eq!(verdict.granting_roles, ["editor"]);

    h.expect(
        Wire::post("/v1/sessions/revoke")
            .json(json!({ "session_id": "session-test-fe6c042b-6286-479f-8a4f-b046a6c46509" })),
        ok_body(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .client
            .sessions
            .revoke(&sessions::SessionsRevokeRequest {
                session_id: s("session-test-fe6c042b-6286-479f-8a4f-b046a6c46509"),
                ..Default::default()
            })
            .await)
        .await;
    assert_eq!(res.request_id, REQUEST_ID);

    h.expect(Wire::get(&format!("/v1/sessions/jwks/{PROJECT_ID}")), ok_body(json!({ "keys": [jwk()] }))).await;
    let res = h
        .ok(h.client.sessions.get_jwks(&sessions::SessionsGetJWKSRequest::new(PROJECT_ID)).await)
        .await;
    assert_eq!(res.keys[0].kid, "jwk-test-22031245-8b5f-4d4a-a6e3-1d5e4e9a8a3f");
    assert_eq!(res.keys[0].r#use, "sig");
    assert_eq!(res.keys[0].x5t_s256, "E2Qv3DFd6b5a3l3mNq8sXU6y1bPDp6rdu4P8Qvwh3ZI");

    h.expect(
        Wire::post("/v1/sessions/exchange_access_token")
            .json(json!({ "access_token": "eyJhbGciOiJSUzI1NiJ9.access.token", "session_duration_minutes": 15 })),
        ok_body(json!({
            "user_id": USER_ID,
            "session_token": SESSION_TOKEN,
            "session_jwt": SESSION_JWT,
            "user": user(),
            "session": session()
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .sessions
            .exchange_access_token(&sessions::SessionsExchangeAccessTokenRequest::new("eyJhbGciOiJSUzI1NiJ9.access.token")
                .with_session_duration_minutes(15))
            .await)
        .await;
    assert_eq!(res.user_id, USER_ID);
    h.done().await;
}

#[tokio::test]
async fn client_totps() {
    let h = Harness::new().await;
    let recovery_codes = json!(["ckss-2skx-ebow", "spbc-424h-usy0", "hi08-n5tk-lns5"]);
    h.expect(
        Wire::post("/v1/totps").json(json!({ "user_id": USER_ID, "expiration_minutes": 5 })),
        ok_body(json!({
            "totp_id": "totp-test-41920359-8bbb-4fe8-8fa3-aaa83f35f02c",
            "secret": "BTGNX5RKJRMQWQFRQKTG34JCF6XDRHZS",
            "qr_code": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAMgAAADIEAAAAADYoy0BAAA",
            "recovery_codes": recovery_codes,
            "user": user(),
            "user_id": USER_ID
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .totps
            .create(&totps::TOTPsCreateRequest::new(USER_ID).with_expiration_minutes(5))
            .await)
        .await;
    assert_eq!(res.secret, "BTGNX5RKJRMQWQFRQKTG34JCF6XDRHZS");
    assert_eq!(res.recovery_codes.len(), 3);

    h.expect(
        Wire::post("/v1/totps/authenticate").json(json!({ "user_id": USER_ID, "totp_code": "576831" })),
        ok_body(json!({
            "user_id": USER_ID,
            "session_token": "",
            "totp_id": "totp-test-41920359-8bbb-4fe8-8fa3-aaa83f35f02c",
            "session_jwt": "",
            "user": user(),
            "session": null
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .totps
            .authenticate(&totps::TOTPsAuthenticateRequest::new(USER_ID, "576831"))
            .await)
        .await;
    assert_eq!(res.totp_id, "totp-test-41920359-8bbb-4fe8-8fa3-aaa83f35f02c");
    assert!(res.session.is_none());

    h.expect(
        Wire::post("/v1/totps/recovery_codes").json(json!({ "user_id": USER_ID })),
        ok_body(json!({
            "user_id": USER_ID,
            "totps": [{
                "totp_id": "totp-test-41920359-8bbb-4fe8-8fa3-aaa83f35f02c",
                "verified": true,
                "recovery_codes": recovery_codes
            }]
        })),
    )
    .await;
    let res =
        h.ok(h.client.totps.recovery_codes(&totps::TOTPsRecoveryCodesRequest::new(USER_ID)).await).await;
    assert_eq!(res.totps[0].recovery_codes[1], "spbc-424h-usy0");
    h.done().await;
}

#[tokio::test]
async fn client_webauthn() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/webauthn/register/start").json(json!({
            "user_id": USER_ID,
            "domain": "example.com",
            "authenticator_type": "platform",
            "return_passkey_credential_options": true
        })),
        ok_body(json!({
            "user_id": USER_ID,
            "public_key_credential_creation_options": "{\"rp\":{\"id\":\"example.com\",\"name\":\"Example\"},\"challenge\":\"Ws8qH4Zv\"}"
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .webauthn
            .register_start(&webauthn::WebAuthnRegisterStartRequest::new(USER_ID, "example.com")
                .with_authenticator_type("platform")
                .with_return_passkey_credential_options(true))
            .await)
        .await;
    assert!(res.public_key_credential_creation_options.contains("\"challenge\""));

    // webauthn.update: PUT with the subset `{ name }`; the registration id only goes in the path.
    let reg_id = "webauthn-registration-test-5c44cc6a-8af7-48d6-8da7-ea821342f5a6";
    h.expect(
        Wire::put(&format!("/v1/webauthn/{reg_id}")).json(json!({ "name": "YubiKey 5C" })),
        ok_body(json!({
            "webauthn_registration": {
                "webauthn_registration_id": reg_id,
                "domain": "example.com",
                "user_agent": "Mozilla/5.0",
                "verified": true,
                "authenticator_type": "cross-platform",
                "name": "YubiKey 5C"
            }
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .webauthn
            .update(&webauthn::WebAuthnUpdateRequest::new(reg_id, "YubiKey 5C"))
            .await)
        .await;
    assert_eq!(res.webauthn_registration.unwrap().name, "YubiKey 5C");

    // Two encoded path segments; the domain holds a `:` and a `/`.
    h.expect(
        Wire::get(&format!("/v1/webauthn/credentials/{USER_ID}/localhost%3A3000%2Fapp")),
        ok_body(json!({
            "credentials": [{
                "credential_id": "AaFdkcD4SuPjF-jwUoRwH8-ZHuY5RW46fsZmEvBX6RNKHaGtVzpATs06KQVheIOjYz-YneG4cmQOedzl0e0jF951ukx17Hl9jeGgWz5_DKZCO12p2-2LlzjH",
                "webauthn_registration_id": reg_id,
                "type": "public-key",
                "public_key": "pQECAyYgASFYIBNQ6a7"
            }]
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .webauthn
            .list_credentials(&webauthn::WebAuthnListCredentialsRequest::new(USER_ID, "localhost:3000/app"))
            .await)
        .await;
    assert_eq!(res.credentials[0].r#type, "public-key");
    h.done().await;
}

#[tokio::test]
async fn client_crypto_wallets() {
    let h = Harness::new().await;
    let address = "0x6df2dB4Fb3DA35d241901Bd53367770BF03123f1";
    h.expect(
        Wire::post("/v1/crypto_wallets/authenticate/start").json(json!({
            "crypto_wallet_type": "ethereum",
            "crypto_wallet_address": address,
            "user_id": USER_ID,
            "siwe_params": {
                "domain": "example.com",
                "uri": "https://example.com/login",
                "resources": ["https://example.com/terms"],
                "chain_id": "1",
                "statement": "Sign in to Example"
            }
        })),
        ok_body(json!({
            "user_id": USER_ID,
            "challenge": "example.com wants you to sign in with your Ethereum account:\n0x6df2dB4Fb3DA35d241901Bd53367770BF03123f1",
            "user_created": false
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .crypto_wallets
            .authenticate_start(&crypto_wallets::CryptoWalletsAuthenticateStartRequest::new("ethereum", address)
                .with_user_id(USER_ID)
                .with_siwe_params(crypto_wallets::SIWEParams::new("example.com", "https://example.com/login", vec!["https://example.com/terms".into()])
                    .with_chain_id("1")
                    .with_statement("Sign in to Example")))
            .await)
        .await;
    assert!(res.challenge.starts_with("example.com wants you to sign in"));

    h.expect(
        Wire::post("/v1/crypto_wallets/authenticate").json(json!({
            "crypto_wallet_type": "ethereum",
            "crypto_wallet_address": address,
            "signature": "0x0c4f82edc3c818b6beff4b89e0682994e5878074609903cecdfb843241728be32f75949e2fbae63dcccdef97c0e3789a26441f7e11456cc1f2ef79b3a436010f1b"
        })),
        ok_body(json!({
            "user_id": USER_ID,
            "session_token": "",
            "session_jwt": "",
            "user": user(),
            "siwe_params": {
                "domain": "example.com",
                "uri": "https://example.com/login",
                "chain_id": "1",
                "resources": ["https://example.com/terms"],
                "status_code": 200,
                "issued_at": "2024-03-05T09:12:44Z",
                "message_request_id": "f8c0b7a0-3d2e-4f5a-9b6c-7d8e9f0a1b2c"
            }
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .crypto_wallets
            .authenticate(&crypto_wallets::CryptoWalletsAuthenticateRequest::new("ethereum", address, "0x0c4f82edc3c818b6beff4b89e0682994e5878074609903cecdfb843241728be32f75949e2fbae63dcccdef97c0e3789a26441f7e11456cc1f2ef79b3a436010f1b"))
            .await)
        .await;
    assert_eq!(res.siwe_params.unwrap().chain_id, "1");
    h.done().await;
}

#[tokio::test]
async fn client_idp_oauth() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/idp/oauth/authorize/start").json(json!({
            "client_id": APP_ID,
            "redirect_uri": "https://reports.acme.example/callback",
            "response_type": "code",
            "scopes": ["openid", "email", "read:reports"],
            "user_id": USER_ID,
            "prompt": "consent"
        })),
        ok_body(json!({
            "user_id": USER_ID,
            "user": user(),
            "client": {
                "client_id": APP_ID,
                "client_name": "Acme Reporting",
                "client_description": "Reads usage data",
                "client_type": "third_party",
                "logo_url": null
            },
            "consent_required": true,
            "scope_results": [
                { "scope": "openid", "description": "Verify your identity", "is_grantable": true },
                { "scope": "read:reports", "description": "Read your reports", "is_grantable": false }
            ]
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .idp
            .oauth
            .authorize_start(&idp_oauth::IDPOAuthAuthorizeStartRequest::new(APP_ID, "https://reports.acme.example/callback", "code", vec!["openid".into(), "email".into(), "read:reports".into()])
                .with_user_id(USER_ID)
                .with_prompt("consent"))
            .await)
        .await;
    assert!(res.consent_required);
    assert!(!res.scope_results[1].is_grantable);
    assert_eq!(res.client.client_name, "Acme Reporting");

    h.expect(
        Wire::post("/v1/idp/oauth/authorize").json(json!({
            "consent_granted": true,
            "scopes": ["openid", "email"],
            "client_id": APP_ID,
            "redirect_uri": "https://reports.acme.example/callback",
            "response_type": "code",
            "session_token": SESSION_TOKEN,
            "state": "af0ifjsldkj",
            "nonce": "n-0S6_WzA2Mj"
        })),
        ok_body(json!({
            "redirect_uri": "https://reports.acme.example/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj",
            "authorization_code": "SplxlOBeZQQYbYS6WxSbIA"
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .idp
            .oauth
            .authorize(&idp_oauth::IDPOAuthAuthorizeRequest::new(true, vec!["openid".into(), "email".into()], APP_ID, "https://reports.acme.example/callback", "code")
                .with_session_token(SESSION_TOKEN)
                .with_state("af0ifjsldkj")
                .with_nonce("n-0S6_WzA2Mj"))
            .await)
        .await;
    assert_eq!(res.authorization_code.as_deref(), Some("SplxlOBeZQQYbYS6WxSbIA"));
    h.done().await;
}

#[tokio::test]
async fn client_impersonation() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/impersonation/authenticate")
            .json(json!({ "impersonation_token": "WJtR5BCy38Szd5AfoDpf0iqFKEt4EE5JhjlWUY7l3FtY" })),
        ok_body(json!({
            "user_id": USER_ID,
            "user": user(),
            "session_token": SESSION_TOKEN,
            "session_jwt": SESSION_JWT,
            "session": {
                "session_id": "session-test-fe6c042b-6286-479f-8a4f-b046a6c46509",
                "user_id": USER_ID,
                "started_at": "2024-03-05T09:12:44Z",
                "last_accessed_at": "2024-03-05T09:12:44Z",
                "expires_at": "2024-03-05T09:42:44Z",
                "authentication_factors": [{
                    "type": "impersonated",
                    "delivery_method": "impersonation",
                    "last_authenticated_at": "2024-03-05T09:12:44Z",
                    "impersonated_factor": {
                        "impersonator_id": "dashboard-user-test-0a1b2c3d",
                        "impersonator_email_address": "support@stytch.example"
                    }
                }],
                "roles": ["stytch_user"]
            }
        })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .impersonation
            .authenticate(&impersonation::ImpersonationAuthenticateRequest::new("WJtR5BCy38Szd5AfoDpf0iqFKEt4EE5JhjlWUY7l3FtY"))
            .await)
        .await;
    let factor = &res.session.as_ref().unwrap().authentication_factors[0];
    assert_eq!(factor.r#type, sessions::AuthenticationFactorType::Impersonated);
    assert_eq!(
        factor.impersonated_factor.as_ref().map(|f| f.impersonator_email_address.as_str()),
        Some("support@stytch.example")
    );
    h.done().await;
}

#[tokio::test]
async fn client_rbac() {
    let h = Harness::new().await;
    h.expect(
        Wire::get("/v1/rbac/policy"),
        ok_body(json!({
            "policy": {
                "roles": [{
                    "role_id": "editor",
                    "description": "Can edit documents",
                    "permissions": [{ "resource_id": "documents", "actions": ["read", "write"] }]
                }],
                "resources": [{ "resource_id": "documents", "description": "Shared documents", "actions": ["read", "write", "delete"] }],
                "scopes": [{
                    "scope": "read:documents",
                    "description": "Read documents",
                    "permissions": [{ "resource_id": "documents", "actions": ["read"] }]
                }]
            }
        })),
    )
    .await;
    let res = h.ok(h.client.rbac.policy().await).await;
    let policy = res.policy.expect("policy");
    assert_eq!(policy.roles[0].permissions[0].actions, ["read", "write"]);
    assert_eq!(policy.resources[0].actions.len(), 3);
    assert_eq!(policy.scopes[0].scope, "read:documents");
    h.done().await;
}

// ---------------------------------------------------------------------------------------------
// Sub-clients both roots share (`connectedApp`, `m2m`, `fraud`, `debug`, `project`): each root is
// driven with its own calls so both `Client` and `B2BClient` are covered.
// ---------------------------------------------------------------------------------------------

type ConnectedApps = stytch_generated::b2c::connected_apps::ConnectedAppClient;

async fn connected_app_get_update_delete(h: &Harness, apps: &ConnectedApps) {
    h.expect(
        Wire::get(&format!("/v1/connected_apps/clients/{APP_ID}")),
        ok_body(json!({ "connected_app": connected_app() })),
    )
    .await;
    let res = h
        .ok(apps
            .clients
            .get(&connected_apps_clients::ConnectedAppsClientsGetRequest::new(APP_ID))
            .await)
        .await;
    assert_eq!(res.connected_app.client_name, "Acme Reporting");
    assert_eq!(res.connected_app.access_token_expiry_minutes, 60);
    assert_eq!(res.connected_app.next_client_secret_last_four, None);

    // Subset body: `client_id` is in the path, not in the body.
    let mut updated = connected_app();
    updated["client_name"] = json!("Acme Reporting (EU)");
    h.expect(
        Wire::put(&format!("/v1/connected_apps/clients/{APP_ID}")).json(json!({
            "client_name": "Acme Reporting (EU)",
            "redirect_urls": ["https://eu.reports.acme.example/callback"],
            "access_token_expiry_minutes": 30,
            "bypass_consent_for_offline_access": true
        })),
        ok_body(json!({ "connected_app": updated })),
    )
    .await;
    let res = h
        .ok(apps
            .clients
            .update(&connected_apps_clients::ConnectedAppsClientsUpdateRequest::new(APP_ID)
                .with_client_name("Acme Reporting (EU)")
                .with_redirect_urls(vec!["https://eu.reports.acme.example/callback".into()])
                .with_access_token_expiry_minutes(30)
                .with_bypass_consent_for_offline_access(true))
            .await)
        .await;
    assert_eq!(res.connected_app.client_name, "Acme Reporting (EU)");

    h.expect(
        Wire::delete(&format!("/v1/connected_apps/clients/{APP_ID}")).json(json!({})),
        ok_body(json!({ "client_id": APP_ID })),
    )
    .await;
    let res = h
        .ok(apps
            .clients
            .delete(&connected_apps_clients::ConnectedAppsClientsDeleteRequest::new(APP_ID))
            .await)
        .await;
    assert_eq!(res.client_id, APP_ID);

    let mut rotating = connected_app();
    rotating["next_client_secret"] = json!("fEmMCuQXGQy4EZGfyAYzZYrZTG1ZeW3E1bcnR5n4wAPJ");
    rotating["next_client_secret_last_four"] = json!("wAPJ");
    h.expect(
        Wire::post(&format!("/v1/connected_apps/clients/{APP_ID}/secrets/rotate/start")).json(json!({})),
        ok_body(json!({ "connected_app": rotating })),
    )
    .await;
    let res = h
        .ok(apps
            .clients
            .secrets
            .rotate_start(&connected_apps_clients_secrets::ConnectedAppsClientsSecretsRotateStartRequest::new(APP_ID))
            .await)
        .await;
    assert_eq!(res.connected_app.next_client_secret, "fEmMCuQXGQy4EZGfyAYzZYrZTG1ZeW3E1bcnR5n4wAPJ");
    assert_eq!(res.connected_app.client_secret_last_four, "Xq3Z");
}

async fn connected_app_create_search_rotate(h: &Harness, apps: &ConnectedApps) {
    let mut created = connected_app();
    created["client_secret"] = json!("c2VjcmV0LXRlc3QtY29ubmVjdGVkLWFwcA");
    h.expect(
        Wire::post("/v1/connected_apps/clients").json(json!({
            "client_type": "third_party",
            "client_name": "Acme Reporting",
            "redirect_urls": ["https://reports.acme.example/callback"],
            "full_access_allowed": false
        })),
        ok_body(json!({ "connected_app": created })),
    )
    .await;
    let res = h
        .ok(apps
            .clients
            .create(&connected_apps_clients::ConnectedAppsClientsCreateRequest::new(connected_apps_clients::ConnectedAppsClientsCreateRequestClientType::ThirdParty)
                .with_client_name("Acme Reporting")
                .with_redirect_urls(vec!["https://reports.acme.example/callback".into()])
                .with_full_access_allowed(false))
            .await)
        .await;
    assert_eq!(res.connected_app.client_secret.as_deref(), Some("c2VjcmV0LXRlc3QtY29ubmVjdGVkLWFwcA"));

    h.expect(
        Wire::post("/v1/connected_apps/clients/search").json(json!({ "limit": 10, "cursor": "Y3Vyc29yLTE=" })),
        ok_body(json!({
            "connected_apps": [connected_app()],
            "results_metadata": { "total": 11, "next_cursor": "Y3Vyc29yLTI=" }
        })),
    )
    .await;
    let res = h
        .ok(apps
            .clients
            .search(&connected_apps_clients::ConnectedAppsClientsSearchRequest {
                limit: Some(10),
                cursor: s("Y3Vyc29yLTE="),
            })
            .await)
        .await;
    assert_eq!(res.results_metadata.next_cursor.as_deref(), Some("Y3Vyc29yLTI="));
    assert_eq!(res.connected_apps[0].client_id, APP_ID);

    h.expect(
        Wire::post(&format!("/v1/connected_apps/clients/{APP_ID}/secrets/rotate")).json(json!({})),
        ok_body(json!({ "connected_app": connected_app() })),
    )
    .await;
    let res = h
        .ok(apps
            .clients
            .secrets
            .rotate(&connected_apps_clients_secrets::ConnectedAppsClientsSecretsRotateRequest::new(APP_ID))
            .await)
        .await;
    assert_eq!(res.connected_app.status, "active");

    h.expect(
        Wire::post(&format!("/v1/connected_apps/clients/{APP_ID}/secrets/rotate/cancel")).json(json!({})),
        ok_body(json!({ "connected_app": connected_app() })),
    )
    .await;
    let res = h
        .ok(apps
            .clients
            .secrets
            .rotate_cancel(&connected_apps_clients_secrets::ConnectedAppsClientsSecretsRotateCancelRequest::new(APP_ID))
            .await)
        .await;
    assert_eq!(res.connected_app.client_type, "third_party");
}

#[tokio::test]
async fn client_connected_app_clients() {
    let h = Harness::new().await;
    connected_app_get_update_delete(&h, &h.client.connected_app).await;
    h.done().await;
}

#[tokio::test]
async fn b2b_connected_app_clients() {
    let h = Harness::new().await;
    connected_app_create_search_rotate(&h, &h.b2b.connected_app).await;
    h.done().await;
}

async fn m2m_create_get_update(h: &Harness, m2m: &m2m::M2m) {
    let mut created = m2m_client();
    created["client_secret"] = json!("bWFjaGluZS1zZWNyZXQtdGVzdC0xMjM0NTY3ODkw");
    h.expect(
        Wire::post("/v1/m2m/clients").json(json!({
            "scopes": ["read:users", "write:invoices"],
            "client_name": "nightly-billing-job",
            "trusted_metadata": { "owner": "billing-team" }
        })),
        ok_body(json!({ "m2m_client": created })),
    )
    .await;
    let res = h
        .ok(m2m
            .clients
            .create(&m2m_clients::M2MClientsCreateRequest::new(vec!["read:users".into(), "write:invoices".into()])
                .with_client_name("nightly-billing-job")
                .with_trusted_metadata(meta(&[("owner", json!("billing-team"))])))
            .await)
        .await;
    assert_eq!(res.m2m_client.client_secret, "bWFjaGluZS1zZWNyZXQtdGVzdC0xMjM0NTY3ODkw");
    assert_eq!(res.m2m_client.client_id, M2M_ID);

    h.expect(Wire::get(&format!("/v1/m2m/clients/{M2M_ID}")), ok_body(json!({ "m2m_client": m2m_client() }))).await;
    let res = h.ok(m2m.clients.get(&m2m_clients::M2MClientsGetRequest::new(M2M_ID)).await).await;
    assert_eq!(res.m2m_client.scopes, ["read:users", "write:invoices"]);
    assert_eq!(res.m2m_client.trusted_metadata.unwrap()["owner"], "billing-team");

    let mut inactive = m2m_client();
    inactive["status"] = json!("inactive");
    h.expect(
        Wire::put(&format!("/v1/m2m/clients/{M2M_ID}")).json(json!({ "status": "inactive", "scopes": ["read:users"] })),
        ok_body(json!({ "m2m_client": inactive })),
    )
    .await;
    let res = h
        .ok(m2m
            .clients
            .update(&m2m_clients::M2MClientsUpdateRequest::new(M2M_ID)
                .with_status(m2m_clients::M2MClientsUpdateRequestStatus::Inactive)
                .with_scopes(vec!["read:users".into()]))
            .await)
        .await;
    assert_eq!(res.m2m_client.status, "inactive");

    let mut rotating = m2m_client();
    rotating["next_client_secret"] = json!("bmV4dC1tYWNoaW5lLXNlY3JldC0wOTg3NjU0MzIx");
    h.expect(
        Wire::post(&format!("/v1/m2m/clients/{M2M_ID}/secrets/rotate/start")).json(json!({})),
        ok_body(json!({ "m2m_client": rotating })),
    )
    .await;
    let res = h
        .ok(m2m
            .clients
            .secrets
            .rotate_start(&m2m_clients_secrets::M2MClientsSecretsRotateStartRequest::new(M2M_ID))
            .await)
        .await;
    assert_eq!(res.m2m_client.next_client_secret, "bmV4dC1tYWNoaW5lLXNlY3JldC0wOTg3NjU0MzIx");
}

async fn m2m_search_delete_rotate(h: &Harness, m2m: &m2m::M2m) {
    h.expect(
        Wire::post("/v1/m2m/clients/search").json(json!({
            "limit": 100,
            "query": {
                "operator": "OR",
                "operands": [
                    { "filter_name": "client_id", "filter_value": [M2M_ID] },
                    { "filter_name": "scopes", "filter_value": ["write:invoices"] }
                ]
            }
        })),
        ok_body(json!({
            "m2m_clients": [m2m_client()],
            "results_metadata": { "total": 1, "next_cursor": null }
        })),
    )
    .await;
    let res = h
        .ok(m2m
            .clients
            .search(&m2m_clients::M2MClientsSearchRequest {
                limit: Some(100),
                query: Some(m2m::M2MSearchQuery::new(m2m::M2MSearchQueryOperator::Or, vec![
                        serde_json::from_value(json!({ "filter_name": "client_id", "filter_value": [M2M_ID] }))
                            .unwrap(),
                        serde_json::from_value(json!({ "filter_name": "scopes", "filter_value": ["write:invoices"] }))
                            .unwrap(),
                    ])),
                ..Default::default()
            })
            .await)
        .await;
    assert_eq!(res.m2m_clients[0].client_name, "nightly-billing-job");
    assert_eq!(res.results_metadata.total, 1);

    h.expect(
        Wire::delete(&format!("/v1/m2m/clients/{M2M_ID}")).json(json!({})),
        ok_body(json!({ "client_id": M2M_ID })),
    )
    .await;
    let res = h.ok(m2m.clients.delete(&m2m_clients::M2MClientsDeleteRequest::new(M2M_ID)).await).await;
    assert_eq!(res.client_id, M2M_ID);

    h.expect(
        Wire::post(&format!("/v1/m2m/clients/{M2M_ID}/secrets/rotate")).json(json!({})),
        ok_body(json!({ "m2m_client": m2m_client() })),
    )
    .await;
    let res = h
        .ok(m2m
            .clients
            .secrets
            .rotate(&m2m_clients_secrets::M2MClientsSecretsRotateRequest::new(M2M_ID))
            .await)
        .await;
    assert_eq!(res.m2m_client.client_secret_last_four, "r7Kp");

    h.expect(
        Wire::post(&format!("/v1/m2m/clients/{M2M_ID}/secrets/rotate/cancel")).json(json!({})),
        ok_body(json!({ "m2m_client": m2m_client() })),
    )
    .await;
    let res = h
        .ok(m2m
            .clients
            .secrets
            .rotate_cancel(&m2m_clients_secrets::M2MClientsSecretsRotateCancelRequest::new(M2M_ID))
            .await)
        .await;
    assert_eq!(res.m2m_client.status, "active");
}

#[tokio::test]
async fn client_m2m_clients() {
    let h = Harness::new().await;
    m2m_create_get_update(&h, &h.client.m2m).await;
    h.done().await;
}

#[tokio::test]
async fn b2b_m2m_clients() {
    let h = Harness::new().await;
    m2m_search_delete_rotate(&h, &h.b2b.m2m).await;
    h.done().await;
}

fn fingerprint_lookup_response() -> Value {
    ok_body(json!({
        "telemetry_id": "026ac93b-8cdf-4c83-b5d0-1c9e4b9c6c5a",
        "fingerprints": {
            "network_fingerprint": "netf-bjboL9GtSlVwvdZhnNUAJg==",
            "hardware_fingerprint": "hardf-y4bRchZ8cLL0LzfPNqXZsA==",
            "browser_fingerprint": "browf-fymqEXtMGoNYt5Yr5HuMTQ==",
            "visitor_fingerprint": "visf-ZxxFlMmhHKCbn9lMGJjKnA==",
            "visitor_id": "visitor-6139cbcc-4dda-4b1f-b1c0-13c08ec64d72",
            "browser_id": "browser-0c8d3d8e-ecde-4c54-8e9c-45a2c7c7b3fa"
        },
        "verdict": {
            "action": "CHALLENGE",
            "reasons": ["HEADLESS_BROWSER_AUTOMATION"],
            "detected_device_type": "LINUX_DESKTOP",
            "is_authentic_device": false,
            "verdict_reason_overrides": [{ "verdict_reason": "VIRTUAL_MACHINE", "override_action": "ALLOW" }],
            "rule_match_type": "VISITOR_ID",
            "rule_match_identifier": "visitor-6139cbcc-4dda-4b1f-b1c0-13c08ec64d72"
        },
        "external_metadata": { "external_id": "crm-00042", "user_action": "login" },
        "created_at": "2024-03-05T09:12:44Z",
        "expires_at": "2024-03-06T09:12:44Z",
        "properties": {
            "network_properties": {
                "ip_address": "203.0.113.7",
                "asn": { "asn": "64496", "name": "EXAMPLE-NET", "network": "203.0.113.0/24" },
                "ip_geolocation": { "city": "London", "region": "England", "country": "GB" },
                "is_proxy": false,
                "is_vpn": true
            },
            "browser_properties": { "user_agent": "HeadlessChrome/122.0.6261.94" }
        },
        "raw_signals": { "webdriver": true }
    }))
}

async fn fraud_fingerprint_lookup(h: &Harness, fraud: &fraud::Fraud) {
    h.expect_fraud(
        Wire::post("/v1/fingerprint/lookup").json(json!({
            "telemetry_id": "026ac93b-8cdf-4c83-b5d0-1c9e4b9c6c5a",
            "external_metadata": { "external_id": "crm-00042", "user_action": "login" }
        })),
        fingerprint_lookup_response(),
    )
    .await;
    let res = h
        .ok(fraud
            .fingerprint
            .lookup(&fraud_fingerprint::FraudFingerprintLookupRequest::new("026ac93b-8cdf-4c83-b5d0-1c9e4b9c6c5a")
                .with_external_metadata(fraud::Metadata {
                    external_id: s("crm-00042"),
                    user_action: s("login"),
                    ..Default::default()
                }))
            .await)
        .await;
    assert_eq!(res.verdict.action, fraud::VerdictAction::Challenge);
    assert_eq!(res.verdict.rule_match_type, Some(fraud::VerdictRuleMatchType::VisitorId));
    assert_eq!(res.verdict.reasons, ["HEADLESS_BROWSER_AUTOMATION"]);
    assert_eq!(res.fingerprints.visitor_id.as_deref(), Some("visitor-6139cbcc-4dda-4b1f-b1c0-13c08ec64d72"));
    let props = res.properties.expect("properties");
    assert!(props.network_properties.is_vpn);
    assert_eq!(props.network_properties.asn.asn, "64496");
    assert_eq!(res.raw_signals.unwrap()["webdriver"], true);
}

async fn fraud_email_risk(h: &Harness, fraud: &fraud::Fraud) {
    h.expect_fraud(
        Wire::post("/v1/email/risk").json(json!({ "email_address": "ada+signup@mailinator.example" })),
        ok_body(json!({
            "address_information": {
                "has_known_bounces": false,
                "has_valid_syntax": true,
                "is_suspected_role_address": false,
                "normalized_email": "ada@mailinator.example",
                "tumbling_character_count": 7
            },
            "domain_information": { "has_mx_or_a_record": true, "is_disposable_domain": true },
            "action": "BLOCK",
            "risk_score": 92
        })),
    )
    .await;
    let res = h
        .ok(fraud
            .email
            .risk(&fraud_email::FraudEmailRiskRequest::new("ada+signup@mailinator.example"))
            .await)
        .await;
    assert_eq!(res.action, fraud_email::FraudEmailRiskResponseAction::Block);
    assert_eq!(res.risk_score, 92);
    assert!(res.domain_information.is_disposable_domain);
    assert_eq!(res.address_information.normalized_email, "ada@mailinator.example");
}

fn verdict_reason_action() -> Value {
    json!({
        "verdict_reason": "VIRTUAL_MACHINE",
        "default_action": "CHALLENGE",
        "override_action": "ALLOW",
        "override_created_at": "2024-03-01T12:00:00Z",
        "override_description": "Our support staff use VDI"
    })
}

#[tokio::test]
async fn client_fraud() {
    let h = Harness::new().await;
    let fraud = &h.client.fraud;
    fraud_fingerprint_lookup(&h, fraud).await;
    fraud_email_risk(&h, fraud).await;

    h.expect_fraud(
        Wire::post("/v1/rules/set").json(json!({
            "action": "BLOCK",
            "cidr_block": "198.51.100.0/24",
            "expires_in_minutes": 1440,
            "description": "Credential stuffing source"
        })),
        ok_body(json!({
            "action": "BLOCK",
            "cidr_block": "198.51.100.0/24",
            "expires_at": "2024-03-06T09:12:44Z"
        })),
    )
    .await;
    let res = h
        .ok(fraud
            .rules
            .set(&fraud_rules::FraudRulesSetRequest::new(fraud_rules::FraudRulesSetRequestAction::Block)
                .with_cidr_block("198.51.100.0/24")
                .with_expires_in_minutes(1440)
                .with_description("Credential stuffing source"))
            .await)
        .await;
    assert_eq!(res.action, fraud_rules::FraudRulesSetResponseAction::Block);
    assert_eq!(res.cidr_block.as_deref(), Some("198.51.100.0/24"));

    h.expect_fraud(
        Wire::post("/v1/verdict_reasons/list").json(json!({ "overrides_only": true })),
        ok_body(json!({ "verdict_reason_actions": [verdict_reason_action()] })),
    )
    .await;
    let res = h
        .ok(fraud
            .verdict_reasons
            .list(&fraud_verdict_reasons::FraudVerdictReasonsListRequest { overrides_only: Some(true) })
            .await)
        .await;
    assert_eq!(res.verdict_reason_actions[0].default_action, fraud::VerdictReasonActionDefaultAction::Challenge);
    assert_eq!(res.verdict_reason_actions[0].override_action, Some(fraud::VerdictReasonActionOverrideAction::Allow));
    h.done().await;
}

#[tokio::test]
async fn b2b_fraud() {
    let h = Harness::new().await;
    let fraud = &h.b2b.fraud;
    fraud_fingerprint_lookup(&h, fraud).await;
    fraud_email_risk(&h, fraud).await;

    h.expect_fraud(
        Wire::post("/v1/rules/list").json(json!({ "limit": 20 })),
        ok_body(json!({
            "next_cursor": "",
            "rules": [{
                "rule_type": "COUNTRY_CODE",
                "action": "CHALLENGE",
                "created_at": "2024-02-01T00:00:00Z",
                "country_code": "XX",
                "description": "High-risk region",
                "expires_at": null,
                "last_updated_at": "2024-02-02T00:00:00Z"
            }]
        })),
    )
    .await;
    let res = h
        .ok(fraud.rules.list(&fraud_rules::FraudRulesListRequest { limit: Some(20), ..Default::default() }).await)
        .await;
    assert_eq!(res.rules[0].rule_type, fraud::RuleRuleType::CountryCode);
    assert_eq!(res.rules[0].action, fraud::RuleAction::Challenge);
    assert_eq!(res.rules[0].expires_at, None);

    // `override` is a Rust keyword, hence `r#override`.
    h.expect_fraud(
        Wire::post("/v1/verdict_reasons/override").json(json!({
            "verdict_reason": "VIRTUAL_MACHINE",
            "override_action": "ALLOW",
            "override_description": "Our support staff use VDI"
        })),
        ok_body(json!({ "verdict_reason_action": verdict_reason_action() })),
    )
    .await;
    let res = h
        .ok(fraud
            .verdict_reasons
            .r#override(&fraud_verdict_reasons::FraudVerdictReasonsOverrideRequest::new("VIRTUAL_MACHINE", fraud_verdict_reasons::FraudVerdictReasonsOverrideRequestOverrideAction::Allow)
                .with_override_description("Our support staff use VDI"))
            .await)
        .await;
    assert_eq!(res.verdict_reason_action.override_description.as_deref(), Some("Our support staff use VDI"));
    h.done().await;
}

fn whoami_response() -> Value {
    ok_body(json!({ "project_id": PROJECT_ID, "name": "Acme (test)" }))
}

fn project_metrics_response() -> Value {
    ok_body(json!({
        "project_id": PROJECT_ID,
        "metrics": [
            { "metric_type": "USER_COUNT", "count": 1843 },
            { "metric_type": "M2M_CLIENT_COUNT", "count": 4 }
        ]
    }))
}

#[tokio::test]
async fn client_debug_and_project() {
    let h = Harness::new().await;
    h.expect(Wire::get("/v1/debug/whoami"), whoami_response()).await;
    let res = h.ok(h.client.debug.whoami().await).await;
    assert_eq!(res.project_id, PROJECT_ID);
    assert_eq!(res.name, "Acme (test)");

    h.expect(Wire::get("/v1/projects/metrics"), project_metrics_response()).await;
    let res = h.ok(h.client.project.metrics().await).await;
    assert_eq!(res.metrics[0].metric_type, project::ProjectMetricMetricType::UserCount);
    assert_eq!(res.metrics[1].count, 4);
    h.done().await;
}

#[tokio::test]
async fn b2b_debug_and_project() {
    let h = Harness::new().await;
    h.expect(Wire::get("/v1/debug/whoami"), whoami_response()).await;
    let res = h.ok(h.b2b.debug.whoami().await).await;
    assert_eq!(res.project_id, PROJECT_ID);

    h.expect(Wire::get("/v1/projects/metrics"), project_metrics_response()).await;
    let res = h.ok(h.b2b.project.metrics().await).await;
    assert_eq!(res.metrics[1].metric_type, project::ProjectMetricMetricType::M2mClientCount);
    h.done().await;
}

// =============================================================================================
// stytch_generated::B2BClient
// =============================================================================================

#[tokio::test]
async fn b2b_organizations() {
    let h = Harness::new().await;
    let orgs = &h.b2b.organizations;

    h.expect(
        Wire::post("/v1/b2b/organizations").json(json!({
            "organization_name": "Acme Co",
            "organization_slug": "acme-co",
            "email_allowed_domains": ["acme.example"],
            "email_jit_provisioning": "RESTRICTED",
            "rbac_email_implicit_role_assignments": [{ "domain": "acme.example", "role_id": "stytch_admin" }],
            "third_party_connected_apps_allowed_type": "RESTRICTED"
        })),
        ok_body(json!({ "organization": organization() })),
    )
    .await;
    let res = h
        .ok(orgs
            .create(&organizations::B2BOrganizationsCreateRequest::new("Acme Co")
                .with_organization_slug("acme-co")
                .with_email_allowed_domains(vec!["acme.example".into()])
                .with_email_jit_provisioning("RESTRICTED")
                .with_rbac_email_implicit_role_assignments(vec![organizations::EmailImplicitRoleAssignment::new("acme.example", "stytch_admin")])
                .with_third_party_connected_apps_allowed_type(organizations::B2BOrganizationsCreateRequestThirdPartyConnectedAppsAllowedType::Restricted,))
            .await)
        .await;
    let org = res.organization;
    assert_eq!(org.organization_id, ORG_ID);
    assert_eq!(org.sso_active_connections[0].identity_provider, "okta");
    assert_eq!(org.custom_roles[0].permissions[0].actions, ["read", "refund"]);
    assert_eq!(org.scim_active_connection.as_ref().map(|c| c.bearer_token_last_four.as_str()), Some("x9Qa"));

    // A slug used as the id: a space, a `/`, `#`, non-ASCII and encodeURIComponent's unreserved
    // punctuation.
    h.expect(
        Wire::get("/v1/b2b/organizations/acme%20co%2Fz%C3%BCrich%23eu!'()*~"),
        ok_body(json!({ "organization": organization() })),
    )
    .await;
    let res = h
        .ok(orgs
            .get(&organizations::B2BOrganizationsGetRequest::new("acme co/zürich#eu!'()*~"))
            .await)
        .await;
    assert_eq!(res.organization.organization_slug, "acme-co");

    // organizations.update: subset body, and `options.authorization` becomes both
    // `X-Stytch-Member-Session` and `X-Stytch-Member-SessionJWT`.
    let mut renamed = organization();
    renamed["organization_name"] = json!("Acme Corporation");
    h.expect(
        Wire::put(&format!("/v1/b2b/organizations/{ORG_ID}"))
            .json(json!({
                "organization_name": "Acme Corporation",
                "mfa_policy": "REQUIRED_FOR_ALL",
                "allowed_auth_methods": ["sso", "password"],
                "first_party_connected_apps_allowed_type": "NOT_ALLOWED"
            }))
            .member_auth(),
        ok_body(json!({ "organization": renamed })),
    )
    .await;
    let res = h
        .ok(orgs
            .update(
                &organizations::B2BOrganizationsUpdateRequest::new(ORG_ID)
                    .with_organization_name("Acme Corporation")
                    .with_mfa_policy("REQUIRED_FOR_ALL")
                    .with_allowed_auth_methods(vec!["sso".into(), "password".into()])
                    .with_first_party_connected_apps_allowed_type(organizations::B2BOrganizationsUpdateRequestFirstPartyConnectedAppsAllowedType::NotAllowed,),
                Some(&organizations::B2BOrganizationsUpdateRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    assert_eq!(res.organization.organization_name, "Acme Corporation");

    // organizations.delete: `data: {}`; only the JWT is given, so only its header is sent.
    h.expect(
        Wire::delete(&format!("/v1/b2b/organizations/{ORG_ID}"))
            .json(json!({}))
            .header(MEMBER_JWT_HEADER, MEMBER_SESSION_JWT),
        ok_body(json!({ "organization_id": ORG_ID })),
    )
    .await;
    let res = h
        .ok(orgs
            .delete(
                &organizations::B2BOrganizationsDeleteRequest::new(ORG_ID),
                Some(&organizations::B2BOrganizationsDeleteRequestOptions {
                    authorization: Some(Authorization { session_jwt: s(MEMBER_SESSION_JWT), ..Default::default() }),
                }),
            )
            .await)
        .await;
    assert_eq!(res.organization_id, ORG_ID);

    h.expect(
        Wire::post("/v1/b2b/organizations/search").json(json!({
            "limit": 25,
            "query": {
                "operator": "AND",
                "operands": [
                    { "filter_name": "organization_slug_fuzzy", "filter_value": "acme" },
                    { "filter_name": "has_active_sso_connection", "filter_value": true }
                ]
            }
        })),
        ok_body(json!({
            "organizations": [organization()],
            "results_metadata": { "total": 1, "next_cursor": null }
        })),
    )
    .await;
    let res = h
        .ok(orgs
            .search(&organizations::B2BOrganizationsSearchRequest {
                limit: Some(25),
                query: Some(organizations::SearchQuery::new(organizations::SearchQueryOperator::And, vec![
                        serde_json::from_value(
                            json!({ "filter_name": "organization_slug_fuzzy", "filter_value": "acme" }),
                        )
                        .unwrap(),
                        serde_json::from_value(
                            json!({ "filter_name": "has_active_sso_connection", "filter_value": true }),
                        )
                        .unwrap(),
                    ])),
                ..Default::default()
            })
            .await)
        .await;
    assert_eq!(res.organizations[0].email_allowed_domains, ["acme.example"]);

    h.expect(Wire::get(&format!("/v1/b2b/organizations/{ORG_ID}/metrics")), ok_body(json!({ "member_count": 42 })))
        .await;
    let res = h
        .ok(orgs.metrics(&organizations::B2BOrganizationsMetricsRequest::new(ORG_ID)).await)
        .await;
    assert_eq!(res.member_count, 42);

    // An empty session token is not sent (the JS checks truthiness); no options, no headers.
    h.expect(
        Wire::get(&format!("/v1/b2b/organizations/{ORG_ID}/connected_apps"))
            .header(MEMBER_JWT_HEADER, MEMBER_SESSION_JWT),
        ok_body(json!({
            "connected_apps": [{
                "connected_app_id": APP_ID,
                "name": "Acme Reporting",
                "description": "Reads usage data",
                "client_type": "third_party",
                "logo_url": "https://reports.acme.example/logo.svg"
            }]
        })),
    )
    .await;
    let res = h
        .ok(orgs
            .connected_apps(
                &organizations::B2BOrganizationsConnectedAppsRequest::new(ORG_ID),
                Some(&organizations::B2BOrganizationsConnectedAppsRequestOptions {
                    authorization: Some(Authorization { session_token: s(""), session_jwt: s(MEMBER_SESSION_JWT) }),
                }),
            )
            .await)
        .await;
    assert_eq!(res.connected_apps[0].logo_url.as_deref(), Some("https://reports.acme.example/logo.svg"));

    h.expect(
        Wire::get(&format!("/v1/b2b/organizations/{ORG_ID}/connected_apps/{APP_ID}")),
        json!({
            "connected_app_id": APP_ID,
            "name": "Acme Reporting",
            "description": "Reads usage data",
            "client_type": "third_party",
            "active_members": [{ "member_id": MEMBER_ID, "granted_scopes": ["openid", "read:reports"] }],
            "status_code": 200
        }),
    )
    .await;
    let res = h
        .ok(orgs
            .get_connected_app(
                &organizations::B2BOrganizationsGetConnectedAppRequest::new(ORG_ID, APP_ID),
                None,
            )
            .await)
        .await;
    assert_eq!(res.active_members[0].granted_scopes, ["openid", "read:reports"]);
    assert_eq!(res.logo_url, None);

    h.expect(
        Wire::delete(&format!("/v1/b2b/organizations/{ORG_ID}/external_id")).json(json!({})).member_auth(),
        ok_body(json!({ "organization": organization() })),
    )
    .await;
    let res = h
        .ok(orgs
            .delete_external_id(
                &organizations::B2BOrganizationsDeleteExternalIdRequest::new(ORG_ID),
                Some(&organizations::B2BOrganizationsDeleteExternalIdRequestOptions {
                    authorization: member_options(),
                }),
            )
            .await)
        .await;
    assert_eq!(res.organization.organization_external_id.as_deref(), Some("acme-001"));
    h.done().await;
}

fn member_response() -> Value {
    ok_body(json!({ "member_id": MEMBER_ID, "member": member(), "organization": organization() }))
}

#[tokio::test]
async fn b2b_organizations_members() {
    let h = Harness::new().await;
    let members_client = &h.b2b.organizations.members;

    // members.create: the JS builds `{ email_address, name, ..., external_id }` from `data`, so
    // `organization_id` is only in the path.
    h.expect(
        Wire::post(&format!("/v1/b2b/organizations/{ORG_ID}/members"))
            .json(json!({
                "email_address": "grace@acme.example",
                "name": "Grace Hopper",
                "create_member_as_pending": true,
                "roles": ["stytch_admin"],
                "external_id": "emp-1906"
            }))
            .member_auth(),
        member_response(),
    )
    .await;
    let res = h
        .ok(members_client
            .create(
                &members::B2BOrganizationsMembersCreateRequest::new(ORG_ID, "grace@acme.example")
                    .with_name("Grace Hopper")
                    .with_create_member_as_pending(true)
                    .with_roles(vec!["stytch_admin".into()])
                    .with_external_id("emp-1906"),
                Some(&members::B2BOrganizationsMembersCreateRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    assert_eq!(res.member.member_id, MEMBER_ID);
    assert_eq!(res.member.roles[1].sources[0].r#type, "email_assignment");
    assert_eq!(res.member.roles[1].sources[0].details.as_ref().unwrap()["email_domain"], "acme.example");
    assert_eq!(res.member.sso_registrations[0].connection_id, SAML_ID);
    assert_eq!(res.organization.organization_name, "Acme Co");

    // members.get: GET `/member` with `params: { member_id, email_address }`; the `undefined`
    // email_address is left out of the query string.
    h.expect(
        Wire::get(&format!("/v1/b2b/organizations/{ORG_ID}/member")).query(&format!("member_id={MEMBER_ID}")),
        member_response(),
    )
    .await;
    let res = h
        .ok(members_client
            .get(&members::B2BOrganizationsMembersGetRequest::new(ORG_ID)
                .with_member_id(MEMBER_ID))
            .await)
        .await;
    assert_eq!(res.member.email_address, "grace@acme.example");
    assert!(res.member.mfa_enrolled);

    // ...and by email address, which URLSearchParams form-encodes (`@` -> `%40`, `+` -> `%2B`).
    h.expect(
        Wire::get(&format!("/v1/b2b/organizations/{ORG_ID}/member")).query("email_address=grace%2Bops%40acme.example"),
        member_response(),
    )
    .await;
    let res = h
        .ok(members_client
            .get(&members::B2BOrganizationsMembersGetRequest::new(ORG_ID)
                .with_email_address("grace+ops@acme.example"))
            .await)
        .await;
    assert_eq!(res.member_id, MEMBER_ID);

    // members.update: subset body; an empty-string session token is not sent.
    h.expect(
        Wire::put(&format!("/v1/b2b/organizations/{ORG_ID}/members/{MEMBER_ID}"))
            .json(json!({
                "name": "Rear Admiral Grace Hopper",
                "trusted_metadata": { "department": "navy" },
                "mfa_phone_number": "+12025550143",
                "preserve_existing_sessions": true,
                "default_mfa_method": "totp"
            }))
            .header(MEMBER_JWT_HEADER, MEMBER_SESSION_JWT),
        member_response(),
    )
    .await;
    let res = h
        .ok(members_client
            .update(
                &members::B2BOrganizationsMembersUpdateRequest::new(ORG_ID, MEMBER_ID)
                    .with_name("Rear Admiral Grace Hopper")
                    .with_trusted_metadata(meta(&[("department", json!("navy"))]))
                    .with_mfa_phone_number("+12025550143")
                    .with_preserve_existing_sessions(true)
                    .with_default_mfa_method("totp"),
                Some(&members::B2BOrganizationsMembersUpdateRequestOptions {
                    authorization: Some(Authorization { session_token: s(""), session_jwt: s(MEMBER_SESSION_JWT) }),
                }),
            )
            .await)
        .await;
    assert_eq!(res.member.default_mfa_method, "sms_otp");

    // members.delete: DELETE `{}` with only the session-token header.
    h.expect(
        Wire::delete(&format!("/v1/b2b/organizations/{ORG_ID}/members/{MEMBER_ID}"))
            .json(json!({}))
            .header(MEMBER_SESSION_HEADER, MEMBER_SESSION_TOKEN),
        ok_body(json!({ "member_id": MEMBER_ID })),
    )
    .await;
    let res = h
        .ok(members_client
            .delete(
                &members::B2BOrganizationsMembersDeleteRequest::new(ORG_ID, MEMBER_ID),
                Some(&members::B2BOrganizationsMembersDeleteRequestOptions {
                    authorization: Some(Authorization { session_token: s(MEMBER_SESSION_TOKEN), ..Default::default() }),
                }),
            )
            .await)
        .await;
    assert_eq!(res.member_id, MEMBER_ID);

    // members.dangerouslyGet: a boolean query parameter is `String(true)`.
    h.expect(
        Wire::get(&format!("/v1/b2b/organizations/members/dangerously_get/{MEMBER_ID}")).query("include_deleted=true"),
        member_response(),
    )
    .await;
    let res = h
        .ok(members_client
            .dangerously_get(&members::B2BOrganizationsMembersDangerouslyGetRequest::new(MEMBER_ID)
                .with_include_deleted(true))
            .await)
        .await;
    assert_eq!(res.organization.organization_id, ORG_ID);

    // members.oidcProviders with `include_refresh_token` undefined: no query string at all.
    h.expect(
        Wire::get(&format!("/v1/b2b/organizations/{ORG_ID}/members/{MEMBER_ID}/oidc_providers")),
        ok_body(json!({
            "registrations": [{
                "provider_subject": "00u1a2b3c4d5e6f7g8h9",
                "id_token": "eyJraWQiOiJvaWRjIn0.id.token",
                "access_token": "eyJraWQiOiJvaWRjIn0.access.token",
                "access_token_expires_in": 3600,
                "scopes": ["openid", "email", "profile"],
                "connection_id": OIDC_ID,
                "refresh_token": null
            }]
        })),
    )
    .await;
    let res = h
        .ok(members_client
            .oidc_providers(&members::B2BOrganizationsMembersOIDCProviderInformationRequest::new(ORG_ID, MEMBER_ID))
            .await)
        .await;
    assert_eq!(res.registrations[0].access_token_expires_in, 3600);
    assert_eq!(res.registrations[0].refresh_token, None);

    h.expect(
        Wire::post("/v1/b2b/organizations/members/search")
            .json(json!({
                "organization_ids": [ORG_ID],
                "limit": 10,
                "query": {
                    "operator": "AND",
                    "operands": [{ "filter_name": "member_emails", "filter_value": ["grace@acme.example"] }]
                }
            }))
            .member_auth(),
        ok_body(json!({
            "members": [member()],
            "results_metadata": { "total": 1, "next_cursor": null },
            "organizations": { ORG_ID: organization() }
        })),
    )
    .await;
    let res = h
        .ok(members_client
            .search(
                &members::B2BOrganizationsMembersSearchRequest::new(vec![ORG_ID.into()])
                    .with_limit(10)
                    .with_query(organizations::SearchQuery::new(organizations::SearchQueryOperator::And, vec![
                            serde_json::from_value(
                                json!({ "filter_name": "member_emails", "filter_value": ["grace@acme.example"] }),
                            )
                            .unwrap(),
                        ])),
                Some(&members::B2BOrganizationsMembersSearchRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    assert_eq!(res.members[0].name, "Grace Hopper");
    assert_eq!(res.organizations[ORG_ID].organization_slug, "acme-co");

    h.expect(
        Wire::put(&format!("/v1/b2b/organizations/{ORG_ID}/members/{MEMBER_ID}/reactivate")).json(json!({})),
        member_response(),
    )
    .await;
    let res = h
        .ok(members_client
            .reactivate(
                &members::B2BOrganizationsMembersReactivateRequest::new(ORG_ID, MEMBER_ID),
                None,
            )
            .await)
        .await;
    assert_eq!(res.member.status, "active");

    h.expect(
        Wire::post(&format!("/v1/b2b/organizations/{ORG_ID}/members/{MEMBER_ID}/start_email_update"))
            .json(json!({
                "email_address": "grace.hopper@acme.example",
                "login_redirect_url": "https://acme.example/authenticate",
                "delivery_method": "EMAIL_OTP"
            }))
            .member_auth(),
        member_response(),
    )
    .await;
    let res = h
        .ok(members_client
            .start_email_update(
                &members::B2BOrganizationsMembersStartEmailUpdateRequest::new(ORG_ID, MEMBER_ID, "grace.hopper@acme.example")
                    .with_login_redirect_url("https://acme.example/authenticate")
                    .with_delivery_method(members::B2BOrganizationsMembersStartEmailUpdateRequestDeliveryMethod::EmailOtp,),
                Some(&members::B2BOrganizationsMembersStartEmailUpdateRequestOptions {
                    authorization: member_options(),
                }),
            )
            .await)
        .await;
    assert_eq!(res.member_id, MEMBER_ID);

    h.expect(
        Wire::post(&format!("/v1/b2b/organizations/{ORG_ID}/members/{MEMBER_ID}/unlink_retired_email"))
            .json(json!({ "email_address": "grace.old@acme.example" })),
        ok_body(json!({ "member_id": MEMBER_ID, "organization_id": ORG_ID, "member": member(), "organization": organization() })),
    )
    .await;
    let res = h
        .ok(members_client
            .unlink_retired_email(
                &members::B2BOrganizationsMembersUnlinkRetiredEmailRequest::new(ORG_ID, MEMBER_ID)
                    .with_email_address("grace.old@acme.example"),
                None,
            )
            .await)
        .await;
    assert_eq!(res.organization_id, ORG_ID);

    let password_id = "member-password-test-3f1c5b7a-9b37-4f38-9a8c-2d1e0b6a7c4d";
    h.expect(
        Wire::delete(&format!("/v1/b2b/organizations/{ORG_ID}/members/passwords/{password_id}"))
            .json(json!({}))
            .member_auth(),
        member_response(),
    )
    .await;
    let res = h
        .ok(members_client
            .delete_password(
                &members::B2BOrganizationsMembersDeletePasswordRequest::new(ORG_ID, password_id),
                Some(&members::B2BOrganizationsMembersDeletePasswordRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    assert_eq!(res.member.member_password_id, password_id);
    h.done().await;
}

#[tokio::test]
async fn b2b_organizations_members_connected_apps() {
    let h = Harness::new().await;
    h.expect(
        Wire::post(&format!("/v1/b2b/organizations/{ORG_ID}/members/{MEMBER_ID}/connected_apps/{APP_ID}/revoke"))
            .json(json!({}))
            .member_auth(),
        ok_body(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .organizations
            .members
            .connected_apps
            .revoke(
                &member_apps::B2BOrganizationsMembersConnectedAppsRevokeRequest::new(ORG_ID, MEMBER_ID, APP_ID),
                Some(&member_apps::B2BOrganizationsMembersConnectedAppsRevokeRequestOptions {
                    authorization: member_options(),
                }),
            )
            .await)
        .await;
    assert_eq!(res.status_code, 200);
    h.done().await;
}

#[tokio::test]
async fn b2b_organizations_members_oauth_providers() {
    let h = Harness::new().await;
    let providers = &h.b2b.organizations.members.oauth_providers;
    h.expect(
        Wire::get(&format!("/v1/b2b/organizations/{ORG_ID}/members/{MEMBER_ID}/oauth_providers/google"))
            .query("include_refresh_token=false"),
        ok_body(json!({
            "provider_type": "Google",
            "provider_subject": "114587462916835013394",
            "id_token": "eyJhbGciOiJSUzI1NiJ9.google.id",
            "scopes": ["openid", "email", "profile"],
            "access_token": "ya29.a0AfB_byD-member",
            "access_token_expires_in": 3599
        })),
    )
    .await;
    let res = h
        .ok(providers
            .google(&member_oauth::B2BOrganizationsMembersOAuthProvidersProviderInformationRequest::new(ORG_ID, MEMBER_ID)
                .with_include_refresh_token(false))
            .await)
        .await;
    assert_eq!(res.access_token_expires_in, Some(3599));
    assert_eq!(res.refresh_token, None);

    h.expect(
        Wire::get(&format!("/v1/b2b/organizations/{ORG_ID}/members/{MEMBER_ID}/oauth_providers/slack")),
        ok_body(json!({
            "provider_type": "Slack",
            "registrations": [{
                "provider_subject": "U04ABCDEF12",
                "provider_tenant_id": "T01ACME0001",
                "access_token": "xoxp-1111-2222-3333",
                "scopes": ["users:read"],
                "bot_access_token": "xoxb-4444-5555",
                "bot_scopes": ["chat:write"]
            }]
        })),
    )
    .await;
    let res = h
        .ok(providers
            .slack(&member_oauth::B2BOrganizationsMembersOAuthProvidersSlackRequest::new(ORG_ID, MEMBER_ID))
            .await)
        .await;
    assert_eq!(res.registrations[0].provider_tenant_id, "T01ACME0001");
    h.done().await;
}

fn external_connection() -> Value {
    json!({
        "organization_id": ORG_ID,
        "connection_id": "external-connection-test-7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928",
        "external_organization_id": "organization-test-ffee0011-2233-4455-8899-aabbccddeeff",
        "external_connection_id": SAML_ID,
        "display_name": "Parent company SSO",
        "status": "active",
        "external_connection_implicit_role_assignments": [{ "role_id": "stytch_member" }],
        "external_group_implicit_role_assignments": [{ "role_id": "billing-admin", "group": "Finance" }]
    })
}

#[tokio::test]
async fn b2b_sso() {
    let h = Harness::new().await;
    h.expect(
        Wire::get(&format!("/v1/b2b/sso/{ORG_ID}")).member_auth(),
        ok_body(json!({
            "saml_connections": [saml_connection()],
            "oidc_connections": [oidc_connection()],
            "external_connections": [external_connection()]
        })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sso
            .get_connections(
                &sso::B2BSSOGetConnectionsRequest::new(ORG_ID),
                Some(&sso::B2BSSOGetConnectionsRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    assert_eq!(res.saml_connections[0].verification_certificates[0].issuer, "Okta");
    assert_eq!(res.saml_connections[0].saml_group_implicit_role_assignments[0].group, "Finance");
    assert_eq!(res.oidc_connections[0].identity_provider, "microsoft-entra");
    assert_eq!(res.external_connections[0].external_connection_id, SAML_ID);

    h.expect(
        Wire::delete(&format!("/v1/b2b/sso/{ORG_ID}/connections/{OIDC_ID}")).json(json!({})),
        ok_body(json!({ "connection_id": OIDC_ID })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sso
            .delete_connection(
                &sso::B2BSSODeleteConnectionRequest::new(ORG_ID, OIDC_ID),
                None,
            )
            .await)
        .await;
    assert_eq!(res.connection_id, OIDC_ID);

    h.expect(
        Wire::post("/v1/b2b/sso/authenticate").json(json!({
            "sso_token": "ZbQHhKyqaPVHmyD6fVaHbb0VXVHvlEMR1rtLBB2xJEUY",
            "pkce_code_verifier": "v3rifier-sso-1",
            "session_duration_minutes": 480,
            "locale": "ja"
        })),
        ok_body(json!({
            "member_id": MEMBER_ID,
            "organization_id": ORG_ID,
            "member": member(),
            "session_token": MEMBER_SESSION_TOKEN,
            "session_jwt": MEMBER_SESSION_JWT,
            "reset_session": false,
            "organization": organization(),
            "intermediate_session_token": "",
            "member_authenticated": true,
            "member_session": member_session(),
            "mfa_required": null,
            "member_device": device()
        })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sso
            .authenticate(&sso::B2BSSOAuthenticateRequest::new("ZbQHhKyqaPVHmyD6fVaHbb0VXVHvlEMR1rtLBB2xJEUY")
                .with_pkce_code_verifier("v3rifier-sso-1")
                .with_session_duration_minutes(480)
                .with_locale(sso::B2BSSOAuthenticateRequestLocale::Ja))
            .await)
        .await;
    assert!(res.member_authenticated);
    let ms = res.member_session.expect("member session");
    assert_eq!(ms.organization_slug, "acme-co");
    assert_eq!(ms.authentication_factors[0].r#type, sessions::AuthenticationFactorType::MagicLink);
    assert!(res.mfa_required.is_none());
    h.done().await;
}

#[tokio::test]
async fn b2b_sso_oidc() {
    let h = Harness::new().await;
    h.expect(
        Wire::post(&format!("/v1/b2b/sso/oidc/{ORG_ID}"))
            .json(json!({ "display_name": "Microsoft Entra", "identity_provider": "microsoft-entra" }))
            .member_auth(),
        ok_body(json!({ "connection": oidc_connection() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sso
            .oidc
            .create_connection(
                &sso_oidc::B2BSSOOIDCCreateConnectionRequest::new(ORG_ID)
                    .with_display_name("Microsoft Entra")
                    .with_identity_provider(sso_oidc::B2BSSOOIDCCreateConnectionRequestIdentityProvider::MicrosoftEntra,),
                Some(&sso_oidc::B2BSSOOIDCCreateConnectionRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    assert_eq!(res.connection.unwrap().connection_id, OIDC_ID);

    h.expect(
        Wire::put(&format!("/v1/b2b/sso/oidc/{ORG_ID}/connections/{OIDC_ID}")).json(json!({
            "client_id": "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
            "client_secret": "Qm9~entra-client-secret",
            "issuer": "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0",
            "custom_scopes": "openid email profile",
            "attribute_mapping": { "email": "email", "full_name": "name" }
        })),
        ok_body(json!({ "connection": oidc_connection(), "warning": null })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sso
            .oidc
            .update_connection(
                &sso_oidc::B2BSSOOIDCUpdateConnectionRequest::new(ORG_ID, OIDC_ID)
                    .with_client_id("0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d")
                    .with_client_secret("Qm9~entra-client-secret")
                    .with_issuer("https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0")
                    .with_custom_scopes("openid email profile")
                    .with_attribute_mapping(meta(&[("email", json!("email")), ("full_name", json!("name"))])),
                None,
            )
            .await)
        .await;
    let conn = res.connection.expect("connection");
    assert_eq!(
        conn.token_url,
        "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/oauth2/v2.0/token"
    );
    assert_eq!(res.warning, None);
    h.done().await;
}

#[tokio::test]
async fn b2b_sso_saml() {
    let h = Harness::new().await;
    h.expect(
        Wire::post(&format!("/v1/b2b/sso/saml/{ORG_ID}"))
            .json(json!({ "display_name": "Okta", "identity_provider": "okta" }))
            .member_auth(),
        ok_body(json!({ "connection": saml_connection() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sso
            .saml
            .create_connection(
                &sso_saml::B2BSSOSAMLCreateConnectionRequest::new(ORG_ID)
                    .with_display_name("Okta")
                    .with_identity_provider(sso_saml::B2BSSOSAMLCreateConnectionRequestIdentityProvider::Okta),
                Some(&sso_saml::B2BSSOSAMLCreateConnectionRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    assert_eq!(res.connection.unwrap().nameid_format, "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");

    // Subset body `{ metadata_url }`.
    h.expect(
        Wire::put(&format!("/v1/b2b/sso/saml/{ORG_ID}/connections/{SAML_ID}/url"))
            .json(json!({ "metadata_url": "https://acme.okta.com/app/exk1a2b3c4d5e6f7g8h9/sso/saml/metadata" })),
        ok_body(json!({ "connection": saml_connection() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sso
            .saml
            .update_by_url(
                &sso_saml::B2BSSOSAMLUpdateByURLRequest::new(ORG_ID, SAML_ID, "https://acme.okta.com/app/exk1a2b3c4d5e6f7g8h9/sso/saml/metadata"),
                None,
            )
            .await)
        .await;
    assert_eq!(res.connection.unwrap().idp_entity_id, "http://www.okta.com/exk1a2b3c4d5e6f7g8h9");

    let cert_id = "saml-verification-key-test-5ccbc642-9373-42b8-928f-c1646c868701";
    h.expect(
        Wire::delete(&format!("/v1/b2b/sso/saml/{ORG_ID}/connections/{SAML_ID}/verification_certificates/{cert_id}"))
            .json(json!({}))
            .member_auth(),
        ok_body(json!({ "certificate_id": cert_id })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sso
            .saml
            .delete_verification_certificate(
                &sso_saml::B2BSSOSAMLDeleteVerificationCertificateRequest::new(ORG_ID, SAML_ID, cert_id),
                Some(&sso_saml::B2BSSOSAMLDeleteVerificationCertificateRequestOptions {
                    authorization: member_options(),
                }),
            )
            .await)
        .await;
    assert_eq!(res.certificate_id, cert_id);
    h.done().await;
}

#[tokio::test]
async fn b2b_sso_external() {
    let h = Harness::new().await;
    let ext_id = "external-connection-test-7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928";
    h.expect(
        Wire::post(&format!("/v1/b2b/sso/external/{ORG_ID}"))
            .json(json!({
                "external_organization_id": "organization-test-ffee0011-2233-4455-8899-aabbccddeeff",
                "external_connection_id": SAML_ID,
                "display_name": "Parent company SSO",
                "group_implicit_role_assignments": [{ "role_id": "billing-admin", "group": "Finance" }]
            }))
            .member_auth(),
        ok_body(json!({ "connection": external_connection() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sso
            .external
            .create_connection(
                &sso_external::B2BSSOExternalCreateConnectionRequest::new(ORG_ID, "organization-test-ffee0011-2233-4455-8899-aabbccddeeff", SAML_ID)
                    .with_display_name("Parent company SSO")
                    .with_group_implicit_role_assignments(vec![sso::SAMLGroupImplicitRoleAssignment::new("billing-admin", "Finance")]),
                Some(&sso_external::B2BSSOExternalCreateConnectionRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    assert_eq!(res.connection.unwrap().connection_id, ext_id);

    h.expect(
        Wire::put(&format!("/v1/b2b/sso/external/{ORG_ID}/connections/{ext_id}"))
            .json(json!({ "external_connection_implicit_role_assignments": [{ "role_id": "stytch_admin" }] })),
        ok_body(json!({ "connection": external_connection() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sso
            .external
            .update_connection(
                &sso_external::B2BSSOExternalUpdateConnectionRequest::new(ORG_ID, ext_id)
                    .with_external_connection_implicit_role_assignments(vec![sso::ConnectionImplicitRoleAssignment::new("stytch_admin")]),
                None,
            )
            .await)
        .await;
    assert_eq!(res.connection.unwrap().external_group_implicit_role_assignments[0].role_id, "billing-admin");
    h.done().await;
}

fn scim_connection_fields() -> Value {
    json!({
        "organization_id": ORG_ID,
        "connection_id": SCIM_ID,
        "status": "active",
        "display_name": "Okta SCIM",
        "identity_provider": "okta",
        "base_url": format!("https://test.stytch.com/v1/b2b/scim/{SCIM_ID}"),
        "scim_group_implicit_role_assignments": [
            { "role_id": "billing-admin", "group_id": "scim-group-test-1a2b", "group_name": "Finance" }
        ],
        "bearer_token_expires_at": "2025-03-01T00:00:00Z"
    })
}

#[tokio::test]
async fn b2b_scim_connection() {
    let h = Harness::new().await;
    let scim = &h.b2b.scim.connection;

    let mut created = scim_connection_fields();
    created["bearer_token"] = json!("scim-token-test-8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e");
    h.expect(
        Wire::post(&format!("/v1/b2b/scim/{ORG_ID}/connection"))
            .json(json!({ "display_name": "Okta SCIM", "identity_provider": "okta" }))
            .member_auth(),
        ok_body(json!({ "connection": created })),
    )
    .await;
    let res = h
        .ok(scim
            .create(
                &scim_connection::B2BSCIMConnectionCreateRequest::new(ORG_ID)
                    .with_display_name("Okta SCIM")
                    .with_identity_provider(scim_connection::B2BSCIMConnectionCreateRequestIdentityProvider::Okta),
                Some(&scim_connection::B2BSCIMConnectionCreateRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    let conn = res.connection.expect("connection");
    assert_eq!(conn.bearer_token, "scim-token-test-8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e");
    assert_eq!(conn.scim_group_implicit_role_assignments[0].group_name, "Finance");

    // GET with two query parameters: a number is `String(50)`, and the cursor is form-encoded.
    h.expect(
        Wire::get(&format!("/v1/b2b/scim/{ORG_ID}/connection/{SCIM_ID}"))
            .query("cursor=c2NpbS1ncm91cHM%2Fb2Zmc2V0PTUw%3D&limit=50")
            .member_auth(),
        json!({
            "scim_groups": [{
                "group_id": "scim-group-test-1a2b",
                "group_name": "Finance",
                "organization_id": ORG_ID,
                "connection_id": SCIM_ID
            }],
            "next_cursor": null,
            "status_code": 200
        }),
    )
    .await;
    let res = h
        .ok(scim
            .get_groups(
                &scim_connection::B2BSCIMConnectionGetGroupsRequest::new(ORG_ID, SCIM_ID)
                    .with_cursor("c2NpbS1ncm91cHM/b2Zmc2V0PTUw=")
                    .with_limit(50),
                Some(&scim_connection::B2BSCIMConnectionGetGroupsRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    assert_eq!(res.scim_groups[0].group_name, "Finance");
    assert_eq!(res.next_cursor, None);

    let mut rotating = scim_connection_fields();
    rotating["bearer_token_last_four"] = json!("2d3e");
    rotating["next_bearer_token"] = json!("scim-token-test-ffeeddccbbaa99887766554433221100");
    h.expect(
        Wire::post(&format!("/v1/b2b/scim/{ORG_ID}/connection/{SCIM_ID}/rotate/start")).json(json!({})),
        ok_body(json!({ "connection": rotating })),
    )
    .await;
    let res = h
        .ok(scim
            .rotate_start(
                &scim_connection::B2BSCIMConnectionRotateStartRequest::new(ORG_ID, SCIM_ID),
                None,
            )
            .await)
        .await;
    assert_eq!(res.connection.unwrap().next_bearer_token, "scim-token-test-ffeeddccbbaa99887766554433221100");

    let mut current = scim_connection_fields();
    current["bearer_token_last_four"] = json!("2d3e");
    current["next_bearer_token_last_four"] = json!("");
    h.expect(
        Wire::get(&format!("/v1/b2b/scim/{ORG_ID}/connection")).member_auth(),
        ok_body(json!({ "connection": current })),
    )
    .await;
    let res = h
        .ok(scim
            .get(
                &scim_connection::B2BSCIMConnectionGetRequest::new(ORG_ID),
                Some(&scim_connection::B2BSCIMConnectionGetRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    assert_eq!(res.connection.unwrap().bearer_token_last_four, "2d3e");
    h.done().await;
}

fn discovered_organization() -> Value {
    json!({
        "member_authenticated": false,
        "organization": organization(),
        "membership": { "type": "active_member", "details": null, "member": member() },
        "primary_required": null,
        "mfa_required": {
            "member_options": {
                "mfa_phone_number": "+12025550143",
                "totp_registration_id": "member-totp-test-5a0f3c53-b8b3-4a5c-8d0e-6f6e9e3c2b1a"
            },
            "secondary_auth_initiated": "sms_otp"
        }
    })
}

/// The B2B authenticate shape shared by many endpoints, for a fully authenticated member.
fn b2b_authenticated(extra: Value) -> Value {
    let mut body = ok_body(json!({
        "member_id": MEMBER_ID,
        "organization_id": ORG_ID,
        "member": member(),
        "organization": organization(),
        "session_token": MEMBER_SESSION_TOKEN,
        "session_jwt": MEMBER_SESSION_JWT,
        "intermediate_session_token": "",
        "member_authenticated": true,
        "member_session": member_session(),
        "member_device": device()
    }));
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

/// The B2B authenticate shape when MFA is still required: an intermediate session, no session.
fn b2b_mfa_pending(extra: Value) -> Value {
    let mut body = ok_body(json!({
        "member_id": MEMBER_ID,
        "organization_id": ORG_ID,
        "member": member(),
        "organization": organization(),
        "session_token": "",
        "session_jwt": "",
        "intermediate_session_token": IST,
        "intermediate_session_token_expires_at": "2024-03-05T09:22:44Z",
        "member_authenticated": false,
        "member_session": null,
        "mfa_required": {
            "member_options": {
                "mfa_phone_number": "+12025550143",
                "totp_registration_id": "member-totp-test-5a0f3c53-b8b3-4a5c-8d0e-6f6e9e3c2b1a"
            },
            "secondary_auth_initiated": null
        },
        "primary_required": null
    }));
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

fn discovery_response() -> Value {
    ok_body(json!({
        "intermediate_session_token": IST,
        "intermediate_session_token_expires_at": "2024-03-05T09:22:44Z",
        "email_address": "grace@acme.example",
        "discovered_organizations": [discovered_organization()]
    }))
}

#[tokio::test]
async fn b2b_discovery_intermediate_sessions() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/discovery/intermediate_sessions/exchange").json(json!({
            "intermediate_session_token": IST,
            "organization_id": ORG_ID,
            "session_duration_minutes": 60,
            "locale": "pt-br"
        })),
        b2b_mfa_pending(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .discovery
            .intermediate_sessions
            .exchange(&b2b_dis::B2BDiscoveryIntermediateSessionsExchangeRequest::new(IST, ORG_ID)
                .with_session_duration_minutes(60)
                .with_locale(b2b_dis::B2BDiscoveryIntermediateSessionsExchangeRequestLocale::PtBr))
            .await)
        .await;
    assert!(!res.member_authenticated);
    assert_eq!(res.intermediate_session_token, IST);
    assert!(res.member_session.is_none());
    let mfa = res.mfa_required.expect("mfa required");
    assert_eq!(mfa.member_options.unwrap().mfa_phone_number, "+12025550143");
    assert_eq!(mfa.secondary_auth_initiated, None);
    h.done().await;
}

#[tokio::test]
async fn b2b_discovery_organizations() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/discovery/organizations/create").json(json!({
            "intermediate_session_token": IST,
            "organization_name": "Acme Co",
            "organization_slug": "acme-co",
            "email_allowed_domains": ["acme.example"],
            "mfa_policy": "OPTIONAL"
        })),
        b2b_authenticated(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .discovery
            .organizations
            .create(&b2b_disc_orgs::B2BDiscoveryOrganizationsCreateRequest::new(IST)
                .with_organization_name("Acme Co")
                .with_organization_slug("acme-co")
                .with_email_allowed_domains(vec!["acme.example".into()])
                .with_mfa_policy("OPTIONAL"))
            .await)
        .await;
    assert_eq!(res.session_token, MEMBER_SESSION_TOKEN);
    assert_eq!(res.member_session.unwrap().roles, ["stytch_member", "stytch_admin"]);

    h.expect(
        Wire::post("/v1/b2b/discovery/organizations").json(json!({ "session_jwt": MEMBER_SESSION_JWT })),
        ok_body(json!({
            "email_address": "grace@acme.example",
            "discovered_organizations": [discovered_organization()],
            "organization_id_hint": ORG_ID
        })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .discovery
            .organizations
            .list(&b2b_disc_orgs::B2BDiscoveryOrganizationsListRequest {
                session_jwt: s(MEMBER_SESSION_JWT),
                ..Default::default()
            })
            .await)
        .await;
    let discovered = &res.discovered_organizations[0];
    assert_eq!(discovered.membership.as_ref().unwrap().r#type, "active_member");
    assert_eq!(discovered.organization.as_ref().unwrap().organization_id, ORG_ID);
    assert_eq!(res.organization_id_hint.as_deref(), Some(ORG_ID));
    h.done().await;
}

#[tokio::test]
async fn b2b_magic_links() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/magic_links/authenticate").json(json!({
            "magic_links_token": "mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q",
            "pkce_code_verifier": "v3rifier-b2b-ml",
            "session_duration_minutes": 60
        })),
        b2b_authenticated(
            json!({ "method_id": "member-email-test-6f3b2a10-4c5d-4e6f-8a9b-0c1d2e3f4a5b", "reset_sessions": false }),
        ),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .magic_links
            .authenticate(&b2b_magic_links::B2BMagicLinksAuthenticateRequest::new("mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q")
                .with_pkce_code_verifier("v3rifier-b2b-ml")
                .with_session_duration_minutes(60))
            .await)
        .await;
    assert_eq!(res.method_id, "member-email-test-6f3b2a10-4c5d-4e6f-8a9b-0c1d2e3f4a5b");
    assert_eq!(res.member_device.unwrap().ip_geo_city.as_deref(), Some("London"));
    h.done().await;
}

#[tokio::test]
async fn b2b_magic_links_email() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/magic_links/email/login_or_signup").json(json!({
            "organization_id": ORG_ID,
            "email_address": "grace@acme.example",
            "login_redirect_url": "https://acme.example/authenticate",
            "signup_redirect_url": "https://acme.example/signup",
            "locale": "en"
        })),
        ok_body(json!({ "member_id": MEMBER_ID, "member_created": false, "member": member(), "organization": organization() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .magic_links
            .email
            .login_or_signup(&b2b_ml_email::B2BMagicLinksEmailLoginOrSignupRequest::new(ORG_ID, "grace@acme.example")
                .with_login_redirect_url("https://acme.example/authenticate")
                .with_signup_redirect_url("https://acme.example/signup")
                .with_locale(b2b_ml_email::B2BMagicLinksEmailLoginOrSignupRequestLocale::En))
            .await)
        .await;
    assert!(!res.member_created);

    // magicLinks.email.invite takes `options.authorization` too.
    h.expect(
        Wire::post("/v1/b2b/magic_links/email/invite")
            .json(json!({
                "organization_id": ORG_ID,
                "email_address": "alan@acme.example",
                "invited_by_member_id": MEMBER_ID,
                "name": "Alan Turing",
                "roles": ["stytch_member"],
                "invite_expiration_minutes": 1440
            }))
            .member_auth(),
        ok_body(json!({ "member_id": "member-test-0c0ffee0-1234-4abc-9def-0123456789ab", "member": member(), "organization": organization() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .magic_links
            .email
            .invite(
                &b2b_ml_email::B2BMagicLinksEmailInviteRequest::new(ORG_ID, "alan@acme.example")
                    .with_invited_by_member_id(MEMBER_ID)
                    .with_name("Alan Turing")
                    .with_roles(vec!["stytch_member".into()])
                    .with_invite_expiration_minutes(1440),
                Some(&b2b_ml_email::B2BMagicLinksEmailInviteRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    assert_eq!(res.member_id, "member-test-0c0ffee0-1234-4abc-9def-0123456789ab");
    h.done().await;
}

#[tokio::test]
async fn b2b_magic_links_email_discovery() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/magic_links/email/discovery/send").json(json!({
            "email_address": "grace@acme.example",
            "discovery_redirect_url": "https://acme.example/discover",
            "discovery_expiration_minutes": 30
        })),
        ok_body(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .magic_links
            .email
            .discovery
            .send(&b2b_ml_email_discovery::B2BMagicLinksEmailDiscoverySendRequest::new("grace@acme.example")
                .with_discovery_redirect_url("https://acme.example/discover")
                .with_discovery_expiration_minutes(30))
            .await)
        .await;
    assert_eq!(res.request_id, REQUEST_ID);
    h.done().await;
}

#[tokio::test]
async fn b2b_magic_links_discovery() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/magic_links/discovery/authenticate")
            .json(json!({ "discovery_magic_links_token": "DOYoip3rvIMMW5lgItikFK-Ak1CfMsgjuiCyI7uuU94=" })),
        discovery_response(),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .magic_links
            .discovery
            .authenticate(&b2b_ml_discovery::B2BMagicLinksDiscoveryAuthenticateRequest::new("DOYoip3rvIMMW5lgItikFK-Ak1CfMsgjuiCyI7uuU94="))
            .await)
        .await;
    assert_eq!(res.intermediate_session_token, IST);
    assert_eq!(
        res.discovered_organizations[0].mfa_required.as_ref().and_then(|m| m.secondary_auth_initiated.as_deref()),
        Some("sms_otp")
    );
    h.done().await;
}

#[tokio::test]
async fn b2b_otps_sms() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/otps/sms/send").json(json!({
            "organization_id": ORG_ID,
            "member_id": MEMBER_ID,
            "mfa_phone_number": "+12025550143",
            "intermediate_session_token": IST
        })),
        ok_body(json!({ "member_id": MEMBER_ID, "member": member(), "organization": organization() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .otps
            .sms
            .send(&b2b_otp_sms::B2BOTPSmsSendRequest::new(ORG_ID, MEMBER_ID)
                .with_mfa_phone_number("+12025550143")
                .with_intermediate_session_token(IST))
            .await)
        .await;
    assert_eq!(res.member.mfa_phone_number, "+12025550143");

    h.expect(
        Wire::post("/v1/b2b/otps/sms/authenticate").json(json!({
            "organization_id": ORG_ID,
            "member_id": MEMBER_ID,
            "code": "521911",
            "intermediate_session_token": IST,
            "set_mfa_enrollment": "enroll",
            "set_default_mfa": true
        })),
        b2b_authenticated(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .otps
            .sms
            .authenticate(&b2b_otp_sms::B2BOTPSmsAuthenticateRequest::new(ORG_ID, MEMBER_ID, "521911")
                .with_intermediate_session_token(IST)
                .with_set_mfa_enrollment("enroll")
                .with_set_default_mfa(true))
            .await)
        .await;
    assert_eq!(res.session_jwt, MEMBER_SESSION_JWT);
    h.done().await;
}

#[tokio::test]
async fn b2b_otps_email() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/otps/email/login_or_signup").json(json!({
            "organization_id": ORG_ID,
            "email_address": "grace@acme.example",
            "login_expiration_minutes": 10
        })),
        ok_body(json!({ "member_id": MEMBER_ID, "member_created": false, "member": member(), "organization": organization() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .otps
            .email
            .login_or_signup(&b2b_otp_email::B2BOTPEmailLoginOrSignupRequest::new(ORG_ID, "grace@acme.example")
                .with_login_expiration_minutes(10))
            .await)
        .await;
    assert_eq!(res.member_id, MEMBER_ID);

    h.expect(
        Wire::post("/v1/b2b/otps/email/authenticate").json(json!({
            "organization_id": ORG_ID,
            "email_address": "grace@acme.example",
            "code": "884721"
        })),
        b2b_mfa_pending(json!({ "method_id": "member-email-test-6f3b2a10-4c5d-4e6f-8a9b-0c1d2e3f4a5b" })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .otps
            .email
            .authenticate(&b2b_otp_email::B2BOTPEmailAuthenticateRequest::new(ORG_ID, "grace@acme.example", "884721"))
            .await)
        .await;
    assert_eq!(res.intermediate_session_token_expires_at.as_deref(), Some("2024-03-05T09:22:44Z"));
    assert!(res.mfa_required.is_some());
    h.done().await;
}

#[tokio::test]
async fn b2b_otps_email_discovery() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/otps/email/discovery/send")
            .json(json!({ "email_address": "grace@acme.example", "locale": "fr" })),
        ok_body(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .otps
            .email
            .discovery
            .send(&b2b_otp_email_discovery::B2BOTPEmailDiscoverySendRequest::new("grace@acme.example")
                .with_locale(b2b_otp_email_discovery::B2BOTPEmailDiscoverySendRequestLocale::Fr))
            .await)
        .await;
    assert_eq!(res.status_code, 200);

    h.expect(
        Wire::post("/v1/b2b/otps/email/discovery/authenticate")
            .json(json!({ "email_address": "grace@acme.example", "code": "884721" })),
        discovery_response(),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .otps
            .email
            .discovery
            .authenticate(&b2b_otp_email_discovery::B2BOTPEmailDiscoveryAuthenticateRequest::new("grace@acme.example", "884721"))
            .await)
        .await;
    assert_eq!(res.email_address, "grace@acme.example");
    assert_eq!(res.discovered_organizations.len(), 1);
    h.done().await;
}

#[tokio::test]
async fn b2b_passwords() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/passwords/authenticate").json(json!({
            "organization_id": ORG_ID,
            "email_address": "grace@acme.example",
            "password": "COBOL-was-1959!",
            "session_duration_minutes": 60
        })),
        b2b_authenticated(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .passwords
            .authenticate(&b2b_passwords::B2BPasswordsAuthenticateRequest::new(ORG_ID, "grace@acme.example", "COBOL-was-1959!")
                .with_session_duration_minutes(60))
            .await)
        .await;
    assert!(res.member_authenticated);
    assert_eq!(res.member.external_id.as_deref(), Some("emp-1906"));

    h.expect(
        Wire::post("/v1/b2b/passwords/strength_check")
            .json(json!({ "password": "acme2024", "email_address": "grace@acme.example" })),
        ok_body(json!({
            "valid_password": false,
            "score": 1,
            "breached_password": false,
            "strength_policy": "luds",
            "breach_detection_on_create": true,
            "luds_feedback": {
                "has_lower_case": true,
                "has_upper_case": false,
                "has_digit": true,
                "has_symbol": false,
                "missing_complexity": 1,
                "missing_characters": 2
            },
            "zxcvbn_feedback": { "warning": "", "suggestions": [] }
        })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .passwords
            .strength_check(&b2b_passwords::B2BPasswordsStrengthCheckRequest::new("acme2024")
                .with_email_address("grace@acme.example"))
            .await)
        .await;
    let luds = res.luds_feedback.expect("luds feedback");
    assert!(!luds.has_upper_case);
    assert_eq!(luds.missing_characters, 2);

    h.expect(
        Wire::post("/v1/b2b/passwords/migrate").json(json!({
            "email_address": "grace@acme.example",
            "hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g",
            "hash_type": "argon_2id",
            "organization_id": ORG_ID,
            "argon_2_config": { "salt": "c2FsdHNhbHQ", "iteration_amount": 3, "memory": 65536, "threads": 4, "key_length": 32 },
            "name": "Grace Hopper",
            "preserve_existing_sessions": false
        })),
        ok_body(json!({ "member_id": MEMBER_ID, "member_created": true, "member": member(), "organization": organization() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .passwords
            .migrate(&b2b_passwords::B2BPasswordsMigrateRequest::new("grace@acme.example", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g", b2b_passwords::B2BPasswordsMigrateRequestHashType::Argon2id, ORG_ID)
                .with_argon_2_config(passwords::Argon2Config::new("c2FsdHNhbHQ", 3, 65536, 4, 32))
                .with_name("Grace Hopper")
                .with_preserve_existing_sessions(false))
            .await)
        .await;
    assert!(res.member_created);
    h.done().await;
}

#[tokio::test]
async fn b2b_passwords_email() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/passwords/email/reset/start").json(json!({
            "organization_id": ORG_ID,
            "email_address": "grace@acme.example",
            "reset_password_redirect_url": "https://acme.example/reset",
            "reset_password_expiration_minutes": 20
        })),
        ok_body(json!({ "member_id": MEMBER_ID, "member_email_id": "member-email-test-6f3b2a10-4c5d-4e6f-8a9b-0c1d2e3f4a5b", "member": member() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .passwords
            .email
            .reset_start(&b2b_pw_email::B2BPasswordsEmailResetStartRequest::new(ORG_ID, "grace@acme.example")
                .with_reset_password_redirect_url("https://acme.example/reset")
                .with_reset_password_expiration_minutes(20))
            .await)
        .await;
    assert_eq!(res.member_email_id, "member-email-test-6f3b2a10-4c5d-4e6f-8a9b-0c1d2e3f4a5b");

    // passwords.email.requireReset: the whole `data`, plus the authorization headers.
    h.expect(
        Wire::post("/v1/b2b/passwords/email/require_reset")
            .json(json!({ "email_address": "grace@acme.example", "organization_id": ORG_ID }))
            .member_auth(),
        ok_body(json!({ "member_id": MEMBER_ID, "member": member(), "organization": organization() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .passwords
            .email
            .require_reset(
                &b2b_pw_email::B2BPasswordsEmailRequireResetRequest::new("grace@acme.example")
                    .with_organization_id(ORG_ID),
                Some(&b2b_pw_email::B2BPasswordsEmailRequireResetRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    assert_eq!(res.member.unwrap().member_id, MEMBER_ID);
    h.done().await;
}

#[tokio::test]
async fn b2b_passwords_existing_password() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/passwords/existing_password/reset").json(json!({
            "email_address": "grace@acme.example",
            "existing_password": "COBOL-was-1959!",
            "new_password": "FLOW-MATIC-1955!",
            "organization_id": ORG_ID
        })),
        b2b_authenticated(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .passwords
            .existing_password
            .reset(&b2b_pw_existing::B2BPasswordsExistingPasswordResetRequest::new("grace@acme.example", "COBOL-was-1959!", "FLOW-MATIC-1955!", ORG_ID))
            .await)
        .await;
    assert_eq!(res.member_id, MEMBER_ID);
    h.done().await;
}

#[tokio::test]
async fn b2b_passwords_sessions() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/passwords/session/reset").json(json!({
            "organization_id": ORG_ID,
            "password": "FLOW-MATIC-1955!",
            "session_token": MEMBER_SESSION_TOKEN
        })),
        b2b_authenticated(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .passwords
            .sessions
            .reset(&b2b_pw_session::B2BPasswordsSessionResetRequest::new(ORG_ID, "FLOW-MATIC-1955!")
                .with_session_token(MEMBER_SESSION_TOKEN))
            .await)
        .await;
    assert_eq!(res.member_session.unwrap().member_id, MEMBER_ID);
    h.done().await;
}

#[tokio::test]
async fn b2b_passwords_discovery() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/passwords/discovery/authenticate")
            .json(json!({ "email_address": "grace@acme.example", "password": "COBOL-was-1959!" })),
        discovery_response(),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .passwords
            .discovery
            .authenticate(&b2b_pw_discovery::B2BPasswordsDiscoveryAuthenticateRequest::new("grace@acme.example", "COBOL-was-1959!"))
            .await)
        .await;
    assert_eq!(res.intermediate_session_token, IST);
    h.done().await;
}

#[tokio::test]
async fn b2b_passwords_discovery_email() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/passwords/discovery/email/reset/start").json(json!({
            "email_address": "grace@acme.example",
            "reset_password_redirect_url": "https://acme.example/reset",
            "discovery_redirect_url": "https://acme.example/discover",
            "locale": "es"
        })),
        ok_body(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .passwords
            .discovery
            .email
            .reset_start(&b2b_pw_discovery_email::B2BPasswordsDiscoveryEmailResetStartRequest::new("grace@acme.example")
                .with_reset_password_redirect_url("https://acme.example/reset")
                .with_discovery_redirect_url("https://acme.example/discover")
                .with_locale("es"))
            .await)
        .await;
    assert_eq!(res.request_id, REQUEST_ID);

    h.expect(
        Wire::post("/v1/b2b/passwords/discovery/email/reset").json(json!({
            "password_reset_token": "Ri8ZD4bSNdvm9FZVsz2m4jFQN7j4nLYkrixMSL9hdFpI",
            "password": "FLOW-MATIC-1955!"
        })),
        discovery_response(),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .passwords
            .discovery
            .email
            .reset(&b2b_pw_discovery_email::B2BPasswordsDiscoveryEmailResetRequest::new("Ri8ZD4bSNdvm9FZVsz2m4jFQN7j4nLYkrixMSL9hdFpI", "FLOW-MATIC-1955!"))
            .await)
        .await;
    assert_eq!(res.discovered_organizations[0].organization.as_ref().unwrap().organization_slug, "acme-co");
    h.done().await;
}

#[tokio::test]
async fn b2b_sessions() {
    let h = Harness::new().await;
    // sessions.get: `params: { ...params }`, in the request type's field order.
    h.expect(
        Wire::get("/v1/b2b/sessions").query(&format!("organization_id={ORG_ID}&member_id={MEMBER_ID}")),
        ok_body(json!({ "member_sessions": [member_session()] })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sessions
            .get(&b2b_sessions::B2BSessionsGetRequest::new(ORG_ID, MEMBER_ID))
            .await)
        .await;
    assert_eq!(res.member_sessions[0].member_session_id, "member-session-test-e0d6a1a2-3b4c-4d5e-8f60-718293a4b5c6");

    h.expect(
        Wire::post("/v1/b2b/sessions/authenticate").json(json!({
            "session_jwt": MEMBER_SESSION_JWT,
            "authorization_check": { "organization_id": ORG_ID, "resource_id": "invoice", "action": "refund" }
        })),
        ok_body(json!({
            "member_session": member_session(),
            "session_token": MEMBER_SESSION_TOKEN,
            "session_jwt": MEMBER_SESSION_JWT,
            "member": member(),
            "organization": organization(),
            "verdict": { "authorized": true, "granting_roles": ["billing-admin"] }
        })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sessions
            .authenticate(&b2b_sessions::B2BSessionsAuthenticateRequest {
                session_jwt: s(MEMBER_SESSION_JWT),
                authorization_check: Some(b2b_sessions::AuthorizationCheck::new(ORG_ID, "invoice", "refund")),
                ..Default::default()
            })
            .await)
        .await;
    assert_eq!(res.verdict.unwrap().granting_roles, ["billing-admin"]);
    assert_eq!(res.member_session.custom_claims.unwrap()["team"], "compilers");

    h.expect(
        Wire::post("/v1/b2b/sessions/revoke").json(json!({ "member_id": MEMBER_ID })).member_auth(),
        ok_body(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sessions
            .revoke(
                &b2b_sessions::B2BSessionsRevokeRequest { member_id: s(MEMBER_ID), ..Default::default() },
                Some(&b2b_sessions::B2BSessionsRevokeRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    assert_eq!(res.status_code, 200);

    h.expect(
        Wire::post("/v1/b2b/sessions/exchange").json(json!({
            "organization_id": "organization-test-5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
            "session_token": MEMBER_SESSION_TOKEN,
            "locale": "zh-Hans"
        })),
        b2b_mfa_pending(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sessions
            .exchange(&b2b_sessions::B2BSessionsExchangeRequest::new("organization-test-5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b")
                .with_session_token(MEMBER_SESSION_TOKEN)
                .with_locale(b2b_sessions::B2BSessionsExchangeRequestLocale::ZhHans))
            .await)
        .await;
    assert_eq!(res.intermediate_session_token, IST);

    h.expect(Wire::get(&format!("/v1/b2b/sessions/jwks/{PROJECT_ID}")), ok_body(json!({ "keys": [jwk()] }))).await;
    let res = h
        .ok(h.b2b.sessions.get_jwks(&b2b_sessions::B2BSessionsGetJWKSRequest::new(PROJECT_ID)).await)
        .await;
    assert_eq!(res.keys[0].alg, "RS256");
    h.done().await;
}

#[tokio::test]
async fn b2b_totps() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/totp")
            .json(json!({ "organization_id": ORG_ID, "member_id": MEMBER_ID, "intermediate_session_token": IST })),
        ok_body(json!({
            "member_id": MEMBER_ID,
            "totp_registration_id": "member-totp-test-5a0f3c53-b8b3-4a5c-8d0e-6f6e9e3c2b1a",
            "secret": "HUNTDOWN4BUGSEVERYWHERE2345ABCD",
            "qr_code": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAMgAAADI",
            "recovery_codes": ["ckss-2skx-ebow", "spbc-424h-usy0"],
            "member": member(),
            "organization": organization()
        })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .totps
            .create(&b2b_totps::B2BTOTPsCreateRequest::new(ORG_ID, MEMBER_ID)
                .with_intermediate_session_token(IST))
            .await)
        .await;
    assert_eq!(res.recovery_codes, ["ckss-2skx-ebow", "spbc-424h-usy0"]);

    h.expect(
        Wire::post("/v1/b2b/totp/authenticate").json(json!({
            "organization_id": ORG_ID,
            "member_id": MEMBER_ID,
            "code": "576831",
            "intermediate_session_token": IST
        })),
        b2b_authenticated(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .totps
            .authenticate(&b2b_totps::B2BTOTPsAuthenticateRequest::new(ORG_ID, MEMBER_ID, "576831")
                .with_intermediate_session_token(IST))
            .await)
        .await;
    assert_eq!(res.session_token, MEMBER_SESSION_TOKEN);
    h.done().await;
}

#[tokio::test]
async fn b2b_recovery_codes() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/recovery_codes/recover").json(json!({
            "organization_id": ORG_ID,
            "member_id": MEMBER_ID,
            "recovery_code": "ckss-2skx-ebow",
            "intermediate_session_token": IST
        })),
        b2b_authenticated(json!({ "recovery_codes_remaining": 9 })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .recovery_codes
            .recover(&b2b_recovery::B2BRecoveryCodesRecoverRequest::new(ORG_ID, MEMBER_ID, "ckss-2skx-ebow")
                .with_intermediate_session_token(IST))
            .await)
        .await;
    assert_eq!(res.recovery_codes_remaining, 9);

    let codes = json!(["spbc-424h-usy0", "hi08-n5tk-lns5"]);
    h.expect(
        Wire::get(&format!("/v1/b2b/recovery_codes/{ORG_ID}/{MEMBER_ID}")),
        ok_body(json!({ "member_id": MEMBER_ID, "member": member(), "organization": organization(), "recovery_codes": codes })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .recovery_codes
            .get(&b2b_recovery::B2BRecoveryCodesGetRequest::new(ORG_ID, MEMBER_ID))
            .await)
        .await;
    assert_eq!(res.recovery_codes, ["spbc-424h-usy0", "hi08-n5tk-lns5"]);

    h.expect(
        Wire::post("/v1/b2b/recovery_codes/rotate").json(json!({ "organization_id": ORG_ID, "member_id": MEMBER_ID })),
        ok_body(json!({ "member_id": MEMBER_ID, "member": member(), "organization": organization(), "recovery_codes": ["new0-code-0001"] })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .recovery_codes
            .rotate(&b2b_recovery::B2BRecoveryCodesRotateRequest::new(ORG_ID, MEMBER_ID))
            .await)
        .await;
    assert_eq!(res.recovery_codes, ["new0-code-0001"]);
    h.done().await;
}

fn org_policy() -> Value {
    json!({
        "roles": [{
            "role_id": "billing-admin",
            "description": "Manages invoices and refunds",
            "permissions": [{ "resource_id": "invoice", "actions": ["read", "refund"] }]
        }]
    })
}

#[tokio::test]
async fn b2b_rbac() {
    let h = Harness::new().await;
    h.expect(
        Wire::get("/v1/b2b/rbac/policy"),
        ok_body(json!({
            "policy": {
                "roles": [{
                    "role_id": "stytch_admin",
                    "description": "Granted to Members who create an Organization",
                    "permissions": [{ "resource_id": "stytch.member", "actions": ["*"] }]
                }],
                "resources": [{ "resource_id": "invoice", "description": "Invoices", "actions": ["read", "refund"] }],
                "scopes": []
            }
        })),
    )
    .await;
    let res = h.ok(h.b2b.rbac.policy().await).await;
    let policy = res.policy.expect("policy");
    assert_eq!(policy.roles[0].permissions[0].resource_id, "stytch.member");
    assert!(policy.scopes.is_empty());
    h.done().await;
}

#[tokio::test]
async fn b2b_rbac_organizations() {
    let h = Harness::new().await;
    h.expect(
        Wire::get(&format!("/v1/b2b/rbac/organizations/{ORG_ID}")),
        ok_body(json!({ "org_policy": org_policy() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .rbac
            .organizations
            .get_org_policy(&b2b_rbac_orgs::B2BRBACOrganizationsGetOrgPolicyRequest::new(ORG_ID))
            .await)
        .await;
    assert_eq!(res.org_policy.roles[0].role_id, "billing-admin");

    // Subset body `{ org_policy }`: `organization_id` only in the path.
    h.expect(
        Wire::put(&format!("/v1/b2b/rbac/organizations/{ORG_ID}")).json(json!({ "org_policy": org_policy() })),
        ok_body(json!({ "org_policy": org_policy() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .rbac
            .organizations
            .set_org_policy(&b2b_rbac_orgs::B2BRBACOrganizationsSetOrgPolicyRequest::new(ORG_ID, b2b_rbac::OrgPolicy::new(vec![b2b_rbac::PolicyRole::new("billing-admin", "Manages invoices and refunds", vec![b2b_rbac::PolicyRolePermission::new("invoice", vec!["read".into(), "refund".into()])])])))
            .await)
        .await;
    assert_eq!(res.org_policy.roles[0].permissions[0].actions, ["read", "refund"]);
    h.done().await;
}

#[tokio::test]
async fn b2b_impersonation() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/impersonation/authenticate")
            .json(json!({ "impersonation_token": "WJtR5BCy38Szd5AfoDpf0iqFKEt4EE5JhjlWUY7l3FtY" })),
        b2b_authenticated(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .impersonation
            .authenticate(&b2b_impersonation::B2BImpersonationAuthenticateRequest::new("WJtR5BCy38Szd5AfoDpf0iqFKEt4EE5JhjlWUY7l3FtY"))
            .await)
        .await;
    assert_eq!(res.organization_id, ORG_ID);
    h.done().await;
}

#[tokio::test]
async fn b2b_idp_oauth() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/idp/oauth/authorize/start").json(json!({
            "client_id": APP_ID,
            "redirect_uri": "https://reports.acme.example/callback",
            "response_type": "code",
            "scopes": ["openid", "read:reports"],
            "organization_id": ORG_ID,
            "member_id": MEMBER_ID
        })),
        ok_body(json!({
            "member_id": MEMBER_ID,
            "member": member(),
            "organization": organization(),
            "client": {
                "client_id": APP_ID,
                "client_name": "Acme Reporting",
                "client_description": "Reads usage data",
                "client_type": "third_party"
            },
            "consent_required": false,
            "scope_results": [{ "scope": "read:reports", "description": "Read your reports", "is_grantable": true }]
        })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .idp
            .oauth
            .authorize_start(&b2b_idp_oauth::B2BIDPOAuthAuthorizeStartRequest::new(APP_ID, "https://reports.acme.example/callback", "code", vec!["openid".into(), "read:reports".into()])
                .with_organization_id(ORG_ID)
                .with_member_id(MEMBER_ID))
            .await)
        .await;
    assert!(!res.consent_required);
    assert_eq!(res.client.logo_url, None);

    h.expect(
        Wire::post("/v1/b2b/idp/oauth/authorize").json(json!({
            "consent_granted": true,
            "scopes": ["openid", "read:reports"],
            "client_id": APP_ID,
            "redirect_uri": "https://reports.acme.example/callback",
            "response_type": "code",
            "organization_id": ORG_ID,
            "member_id": MEMBER_ID,
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        })),
        ok_body(json!({
            "redirect_uri": "https://reports.acme.example/callback?code=b2bCodeXyZ",
            "authorization_code": "b2bCodeXyZ"
        })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .idp
            .oauth
            .authorize(&b2b_idp_oauth::B2BIDPOAuthAuthorizeRequest::new(true, vec!["openid".into(), "read:reports".into()], APP_ID, "https://reports.acme.example/callback", "code")
                .with_organization_id(ORG_ID)
                .with_member_id(MEMBER_ID)
                .with_code_challenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
            .await)
        .await;
    assert_eq!(res.authorization_code.as_deref(), Some("b2bCodeXyZ"));
    h.done().await;
}

#[tokio::test]
async fn b2b_oauth() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/oauth/authenticate").json(json!({
            "oauth_token": "gkBVYmYnSUr6cpuMx5LJ8ikyoR5Gp3gJbf_SZr0MMTYI",
            "pkce_code_verifier": "v3rifier-b2b-oauth",
            "intermediate_session_token": IST
        })),
        b2b_authenticated(json!({
            "provider_subject": "114587462916835013394",
            "provider_type": "Google",
            "reset_sessions": false,
            "provider_values": {
                "access_token": "ya29.a0AfB_byD-member",
                "refresh_token": null,
                "id_token": "eyJhbGciOiJSUzI1NiJ9.google.id",
                "scopes": ["openid", "email"],
                "expires_at": "2024-03-05T10:12:44Z"
            }
        })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .oauth
            .authenticate(&b2b_oauth::B2BOAuthAuthenticateRequest::new("gkBVYmYnSUr6cpuMx5LJ8ikyoR5Gp3gJbf_SZr0MMTYI")
                .with_pkce_code_verifier("v3rifier-b2b-oauth")
                .with_intermediate_session_token(IST))
            .await)
        .await;
    assert_eq!(res.provider_type, "Google");
    let values = res.provider_values.expect("provider values");
    assert_eq!(values.refresh_token, None);
    assert_eq!(values.scopes, ["openid", "email"]);
    h.done().await;
}

#[tokio::test]
async fn b2b_oauth_discovery() {
    let h = Harness::new().await;
    h.expect(
        Wire::post("/v1/b2b/oauth/discovery/authenticate").json(json!({
            "discovery_oauth_token": "aSaXzJ2Kb9ImBz3TDCRx5qmCwQaBrgVD0SVr8WLW_FEB",
            "pkce_code_verifier": "v3rifier-b2b-discovery"
        })),
        ok_body(json!({
            "intermediate_session_token": IST,
            "email_address": "grace@acme.example",
            "discovered_organizations": [discovered_organization()],
            "provider_type": "Microsoft",
            "provider_tenant_id": "9188040d-6c67-4c5b-b112-36a304b66dad",
            "provider_tenant_ids": ["9188040d-6c67-4c5b-b112-36a304b66dad"],
            "full_name": "Grace Hopper"
        })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .oauth
            .discovery
            .authenticate(&b2b_oauth_discovery::B2BOAuthDiscoveryAuthenticateRequest::new("aSaXzJ2Kb9ImBz3TDCRx5qmCwQaBrgVD0SVr8WLW_FEB")
                .with_pkce_code_verifier("v3rifier-b2b-discovery"))
            .await)
        .await;
    assert_eq!(res.full_name, "Grace Hopper");
    assert_eq!(res.provider_tenant_ids, ["9188040d-6c67-4c5b-b112-36a304b66dad"]);
    h.done().await;
}

// ---------------------------------------------------------------------------------------------
// The remaining operations, so that every operation of the manifest is driven at least once.
// ---------------------------------------------------------------------------------------------

fn user_response() -> Value {
    ok_body(json!({ "user_id": USER_ID, "user": user() }))
}

#[tokio::test]
async fn client_users_factor_deletes() {
    let h = Harness::new().await;
    let u = &h.client.users;

    h.expect(
        Wire::put(&format!("/v1/users/{USER_ID}/exchange_primary_factor"))
            .json(json!({ "phone_number": "+12025550199" })),
        user_response(),
    )
    .await;
    let res = h
        .ok(u
            .exchange_primary_factor(&users::UsersExchangePrimaryFactorRequest::new(USER_ID)
                .with_phone_number("+12025550199"))
            .await)
        .await;
    assert_eq!(res.user.user_id, USER_ID);

    // Each factor DELETE sends `data: {}` to its own encoded path.
    let email_id = "email-test-81bf03a8-86e1-4d95-bd44-bb3495224953";
    let phone_id = "phone-number-test-d5a3b680-e8a3-40c0-b815-ab79986666d0";
    let webauthn_id = "webauthn-registration-test-5c44cc6a-8af7-48d6-8da7-ea821342f5a6";
    let biometric_id = "biometric-registration-test-1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b";
    let totp_id = "totp-test-41920359-8bbb-4fe8-8fa3-aaa83f35f02c";
    let wallet_id = "crypto-wallet-test-dbbd372e-79f3-4b9f-9ee8-a0ad4f2e4a8f";
    let password_id = "password-test-e59b6a63-3b4a-4a1d-8d4f-d14a5a3b3f4e";
    let oauth_id = "oauth-user-test-de86770c-911d-463f-80e7-f2e3ba4a6bc4";
    for path in [
        format!("/v1/users/emails/{email_id}"),
        format!("/v1/users/phone_numbers/{phone_id}"),
        format!("/v1/users/webauthn_registrations/{webauthn_id}"),
        format!("/v1/users/biometric_registrations/{biometric_id}"),
        format!("/v1/users/totps/{totp_id}"),
        format!("/v1/users/crypto_wallets/{wallet_id}"),
        format!("/v1/users/passwords/{password_id}"),
        format!("/v1/users/oauth/{oauth_id}"),
        format!("/v1/users/{USER_ID}/external_id"),
    ] {
        h.expect(Wire::delete(&path).json(json!({})), user_response()).await;
    }
    let ids = [
        h.ok(u.delete_email(&users::UsersDeleteEmailRequest::new(email_id)).await).await.user_id,
        h.ok(u.delete_phone_number(&users::UsersDeletePhoneNumberRequest::new(phone_id)).await)
            .await
            .user_id,
        h.ok(u
            .delete_webauthn_registration(&users::UsersDeleteWebAuthnRegistrationRequest::new(webauthn_id))
            .await)
            .await
            .user_id,
        h.ok(u
            .delete_biometric_registration(&users::UsersDeleteBiometricRegistrationRequest::new(biometric_id))
            .await)
            .await
            .user_id,
        h.ok(u.delete_totp(&users::UsersDeleteTOTPRequest::new(totp_id)).await).await.user_id,
        h.ok(u
            .delete_crypto_wallet(&users::UsersDeleteCryptoWalletRequest::new(wallet_id))
            .await)
            .await
            .user_id,
        h.ok(u.delete_password(&users::UsersDeletePasswordRequest::new(password_id)).await)
            .await
            .user_id,
        h.ok(u
            .delete_oauth_registration(&users::UsersDeleteOAuthRegistrationRequest::new(oauth_id))
            .await)
            .await
            .user_id,
        h.ok(u.delete_external_id(&users::UsersDeleteExternalIdRequest::new(USER_ID)).await)
            .await
            .user_id,
    ];
    assert!(ids.iter().all(|id| id == USER_ID));
    h.done().await;
}

fn user_session_response(extra: Value) -> Value {
    let mut body = ok_body(json!({
        "user_id": USER_ID,
        "session_token": SESSION_TOKEN,
        "session_jwt": SESSION_JWT,
        "user": user(),
        "session": session(),
        "user_device": device()
    }));
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

#[tokio::test]
async fn client_sessions_totps_webauthn_remaining() {
    let h = Harness::new().await;

    h.expect(
        Wire::post("/v1/sessions/migrate")
            .json(json!({ "session_token": "auth0-session-7Hk2pQ", "session_duration_minutes": 43200 })),
        user_session_response(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .client
            .sessions
            .migrate(&sessions::SessionsMigrateRequest::new("auth0-session-7Hk2pQ")
                .with_session_duration_minutes(43200))
            .await)
        .await;
    assert_eq!(res.session_token, SESSION_TOKEN);

    h.expect(
        Wire::post("/v1/sessions/attest").json(json!({
            "profile_id": "trusted-auth-token-profile-test-4f5e6d7c",
            "token": "eyJhbGciOiJSUzI1NiJ9.external.jwt",
            "session_duration_minutes": 60
        })),
        user_session_response(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .client
            .sessions
            .attest(&sessions::SessionsAttestRequest::new("trusted-auth-token-profile-test-4f5e6d7c", "eyJhbGciOiJSUzI1NiJ9.external.jwt")
                .with_session_duration_minutes(60))
            .await)
        .await;
    assert_eq!(res.user_id, USER_ID);

    h.expect(
        Wire::post("/v1/totps/recover").json(json!({ "user_id": USER_ID, "recovery_code": "ckss-2skx-ebow" })),
        user_session_response(json!({ "totp_id": "totp-test-41920359-8bbb-4fe8-8fa3-aaa83f35f02c" })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .totps
            .recover(&totps::TOTPsRecoverRequest::new(USER_ID, "ckss-2skx-ebow"))
            .await)
        .await;
    assert_eq!(res.totp_id, "totp-test-41920359-8bbb-4fe8-8fa3-aaa83f35f02c");

    let credential = r#"{"type":"public-key","id":"AaFdkcD4","rawId":"AaFdkcD4","response":{"clientDataJSON":"eyJ0","attestationObject":"o2Nm"}}"#;
    let reg_id = "webauthn-registration-test-5c44cc6a-8af7-48d6-8da7-ea821342f5a6";
    h.expect(
        Wire::post("/v1/webauthn/register").json(json!({ "user_id": USER_ID, "public_key_credential": credential })),
        user_session_response(json!({ "webauthn_registration_id": reg_id })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .webauthn
            .register(&webauthn::WebAuthnRegisterRequest::new(USER_ID, credential))
            .await)
        .await;
    assert_eq!(res.webauthn_registration_id, reg_id);

    h.expect(
        Wire::post("/v1/webauthn/authenticate/start")
            .json(json!({ "domain": "example.com", "use_base64_url_encoding": true })),
        ok_body(json!({ "user_id": "", "public_key_credential_request_options": "{\"challenge\":\"aGVsbG8\"}" })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .webauthn
            .authenticate_start(&webauthn::WebAuthnAuthenticateStartRequest::new("example.com")
                .with_use_base64_url_encoding(true))
            .await)
        .await;
    assert_eq!(res.public_key_credential_request_options, "{\"challenge\":\"aGVsbG8\"}");

    h.expect(
        Wire::post("/v1/webauthn/authenticate")
            .json(json!({ "public_key_credential": credential, "session_duration_minutes": 30 })),
        user_session_response(json!({ "webauthn_registration_id": reg_id })),
    )
    .await;
    let res = h
        .ok(h
            .client
            .webauthn
            .authenticate(&webauthn::WebAuthnAuthenticateRequest::new(credential)
                .with_session_duration_minutes(30))
            .await)
        .await;
    assert_eq!(res.session.unwrap().session_id, "session-test-fe6c042b-6286-479f-8a4f-b046a6c46509");
    h.done().await;
}

#[tokio::test]
async fn b2b_organizations_members_remaining() {
    let h = Harness::new().await;
    let m = &h.b2b.organizations.members;
    let auth = || member_options();

    h.expect(
        Wire::delete(&format!("/v1/b2b/organizations/{ORG_ID}/members/mfa_phone_numbers/{MEMBER_ID}"))
            .json(json!({}))
            .member_auth(),
        member_response(),
    )
    .await;
    let res = h
        .ok(m
            .delete_mfa_phone_number(
                &members::B2BOrganizationsMembersDeleteMFAPhoneNumberRequest::new(ORG_ID, MEMBER_ID),
                Some(&members::B2BOrganizationsMembersDeleteMFAPhoneNumberRequestOptions { authorization: auth() }),
            )
            .await)
        .await;
    assert_eq!(res.member_id, MEMBER_ID);

    h.expect(
        Wire::delete(&format!("/v1/b2b/organizations/{ORG_ID}/members/{MEMBER_ID}/totp")).json(json!({})),
        member_response(),
    )
    .await;
    let res = h
        .ok(m
            .delete_totp(
                &members::B2BOrganizationsMembersDeleteTOTPRequest::new(ORG_ID, MEMBER_ID),
                None,
            )
            .await)
        .await;
    assert_eq!(res.member_id, MEMBER_ID);

    h.expect(
        Wire::get(&format!("/v1/b2b/organizations/{ORG_ID}/members/{MEMBER_ID}/connected_apps")).member_auth(),
        ok_body(json!({
            "connected_apps": [{
                "connected_app_id": APP_ID,
                "name": "Acme Reporting",
                "description": "Reads usage data",
                "client_type": "third_party",
                "scopes_granted": "openid read:reports"
            }]
        })),
    )
    .await;
    let res = h
        .ok(m
            .get_connected_apps(
                &members::B2BOrganizationsMembersGetConnectedAppsRequest::new(ORG_ID, MEMBER_ID),
                Some(&members::B2BOrganizationsMembersGetConnectedAppsRequestOptions { authorization: auth() }),
            )
            .await)
        .await;
    assert_eq!(res.connected_apps[0].scopes_granted, "openid read:reports");

    h.expect(
        Wire::delete(&format!("/v1/b2b/organizations/{ORG_ID}/members/{MEMBER_ID}/external_id"))
            .json(json!({}))
            .member_auth(),
        member_response(),
    )
    .await;
    let res = h
        .ok(m
            .delete_external_id(
                &members::B2BOrganizationsMembersDeleteExternalIdRequest::new(ORG_ID, MEMBER_ID),
                Some(&members::B2BOrganizationsMembersDeleteExternalIdRequestOptions { authorization: auth() }),
            )
            .await)
        .await;
    assert_eq!(res.member.member_id, MEMBER_ID);

    let providers = &m.oauth_providers;
    let provider_request =
        |refresh: Option<bool>| {
            let mut request =
                member_oauth::B2BOrganizationsMembersOAuthProvidersProviderInformationRequest::new(ORG_ID, MEMBER_ID);
            request.include_refresh_token = refresh;
            request
        };
    h.expect(
        Wire::get(&format!("/v1/b2b/organizations/{ORG_ID}/members/{MEMBER_ID}/oauth_providers/microsoft"))
            .query("include_refresh_token=true"),
        ok_body(json!({
            "provider_type": "Microsoft",
            "provider_subject": "AAAAAAAAAAAAAAAAAAAAAMsft",
            "access_token": "eyJ0eXAiOiJKV1QiLCJub25jZSI6Im1zZnQifQ",
            "access_token_expires_in": 4199,
            "id_token": "eyJ0eXAiOiJKV1QifQ.msft.id",
            "scopes": ["openid", "profile", "email", "offline_access"],
            "refresh_token": "0.ARwA6WgJJ9X2qk-refresh"
        })),
    )
    .await;
    let res = h.ok(providers.microsoft(&provider_request(Some(true))).await).await;
    assert_eq!(res.refresh_token.as_deref(), Some("0.ARwA6WgJJ9X2qk-refresh"));

    h.expect(
        Wire::get(&format!("/v1/b2b/organizations/{ORG_ID}/members/{MEMBER_ID}/oauth_providers/hubspot")),
        ok_body(json!({
            "provider_type": "HubSpot",
            "registrations": [{
                "provider_subject": "48213307",
                "provider_tenant_id": "20812345",
                "access_token": "CKX2-hubspot-access",
                "access_token_expires_in": 1800,
                "scopes": ["crm.objects.contacts.read"]
            }]
        })),
    )
    .await;
    let res = h.ok(providers.hubspot(&provider_request(None)).await).await;
    assert_eq!(res.registrations[0].access_token_expires_in, 1800);

    h.expect(
        Wire::get(&format!("/v1/b2b/organizations/{ORG_ID}/members/{MEMBER_ID}/oauth_providers/github")),
        ok_body(json!({
            "provider_type": "Github",
            "registrations": [{
                "provider_subject": "1906",
                "provider_tenant_ids": ["acme-co", "acme-labs"],
                "access_token": "gho_16C7e42F292c6912E7710c838347Ae178B4a",
                "scopes": ["read:user", "user:email"]
            }]
        })),
    )
    .await;
    let res = h.ok(providers.github(&provider_request(None)).await).await;
    assert_eq!(res.registrations[0].provider_tenant_ids, ["acme-co", "acme-labs"]);
    h.done().await;
}

#[tokio::test]
async fn b2b_scim_saml_sessions_totps_remaining() {
    let h = Harness::new().await;

    // scim.connection.update: subset body, `options.authorization` headers.
    h.expect(
        Wire::put(&format!("/v1/b2b/scim/{ORG_ID}/connection/{SCIM_ID}"))
            .json(json!({
                "display_name": "Okta SCIM (prod)",
                "scim_group_implicit_role_assignments": [
                    { "role_id": "billing-admin", "group_id": "scim-group-test-1a2b", "group_name": "Finance" }
                ]
            }))
            .member_auth(),
        ok_body(json!({ "connection": scim_connection_fields() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .scim
            .connection
            .update(
                &scim_connection::B2BSCIMConnectionUpdateRequest::new(ORG_ID, SCIM_ID)
                    .with_display_name("Okta SCIM (prod)")
                    .with_scim_group_implicit_role_assignments(vec![
                        stytch_generated::b2b::scim::SCIMGroupImplicitRoleAssignments::new("billing-admin", "scim-group-test-1a2b", "Finance"),
                    ]),
                Some(&scim_connection::B2BSCIMConnectionUpdateRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    assert_eq!(res.connection.unwrap().connection_id, SCIM_ID);

    h.expect(
        Wire::delete(&format!("/v1/b2b/scim/{ORG_ID}/connection/{SCIM_ID}")).json(json!({})),
        ok_body(json!({ "connection_id": SCIM_ID })),
    )
    .await;
    let scim_ids = || (ORG_ID.to_string(), SCIM_ID.to_string());
    let (organization_id, connection_id) = scim_ids();
    let res = h
        .ok(h
            .b2b
            .scim
            .connection
            .delete(&scim_connection::B2BSCIMConnectionDeleteRequest::new(organization_id, connection_id), None)
            .await)
        .await;
    assert_eq!(res.connection_id, SCIM_ID);

    for step in ["complete", "cancel"] {
        h.expect(
            Wire::post(&format!("/v1/b2b/scim/{ORG_ID}/connection/{SCIM_ID}/rotate/{step}")).json(json!({})),
            ok_body(json!({ "connection": scim_connection_fields() })),
        )
        .await;
    }
    let (organization_id, connection_id) = scim_ids();
    let res = h
        .ok(h
            .b2b
            .scim
            .connection
            .rotate_complete(
                &scim_connection::B2BSCIMConnectionRotateCompleteRequest::new(organization_id, connection_id),
                None,
            )
            .await)
        .await;
    assert_eq!(res.connection.unwrap().status, "active");
    let (organization_id, connection_id) = scim_ids();
    let res = h
        .ok(h
            .b2b
            .scim
            .connection
            .rotate_cancel(
                &scim_connection::B2BSCIMConnectionRotateCancelRequest::new(organization_id, connection_id),
                None,
            )
            .await)
        .await;
    assert_eq!(res.connection.unwrap().display_name, "Okta SCIM");

    // sso.saml.updateConnection: a 15-field subset body.
    h.expect(
        Wire::put(&format!("/v1/b2b/sso/saml/{ORG_ID}/connections/{SAML_ID}"))
            .json(json!({
                "idp_entity_id": "http://www.okta.com/exk1a2b3c4d5e6f7g8h9",
                "x509_certificate": "-----BEGIN CERTIFICATE-----\nMIIDpDCCAoygAwIBAgIGAYVerify\n-----END CERTIFICATE-----\n",
                "idp_sso_url": "https://acme.okta.com/app/acme_stytch/exk1a2b3c4d5e6f7g8h9/sso/saml",
                "saml_connection_implicit_role_assignments": [{ "role_id": "stytch_member" }],
                "idp_initiated_auth_disabled": true
            }))
            .member_auth(),
        ok_body(json!({ "connection": saml_connection() })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sso
            .saml
            .update_connection(
                &sso_saml::B2BSSOSAMLUpdateConnectionRequest::new(ORG_ID, SAML_ID)
                    .with_idp_entity_id("http://www.okta.com/exk1a2b3c4d5e6f7g8h9")
                    .with_x509_certificate("-----BEGIN CERTIFICATE-----\nMIIDpDCCAoygAwIBAgIGAYVerify\n-----END CERTIFICATE-----\n",)
                    .with_idp_sso_url("https://acme.okta.com/app/acme_stytch/exk1a2b3c4d5e6f7g8h9/sso/saml")
                    .with_saml_connection_implicit_role_assignments(vec![sso::SAMLConnectionImplicitRoleAssignment::new("stytch_member")])
                    .with_idp_initiated_auth_disabled(true),
                Some(&sso_saml::B2BSSOSAMLUpdateConnectionRequestOptions { authorization: member_options() }),
            )
            .await)
        .await;
    assert_eq!(res.connection.unwrap().signing_certificates[0].issuer, "Stytch");

    let key_id = "saml-encryption-key-test-9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
    h.expect(
        Wire::delete(&format!("/v1/b2b/sso/saml/{ORG_ID}/connections/{SAML_ID}/encryption_private_keys/{key_id}"))
            .json(json!({})),
        ok_body(json!({ "private_key_id": key_id })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sso
            .saml
            .delete_encryption_private_key(
                &sso_saml::B2BSSOSAMLDeleteEncryptionPrivateKeyRequest::new(ORG_ID, SAML_ID, key_id),
                None,
            )
            .await)
        .await;
    assert_eq!(res.private_key_id, key_id);

    h.expect(
        Wire::post("/v1/b2b/sessions/exchange_access_token")
            .json(json!({ "access_token": "eyJhbGciOiJSUzI1NiJ9.b2b.access" })),
        b2b_authenticated(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sessions
            .exchange_access_token(&b2b_sessions::B2BSessionsExchangeAccessTokenRequest::new("eyJhbGciOiJSUzI1NiJ9.b2b.access"))
            .await)
        .await;
    assert_eq!(res.member_id, MEMBER_ID);

    h.expect(
        Wire::post("/v1/b2b/sessions/attest").json(json!({
            "profile_id": "trusted-auth-token-profile-test-4f5e6d7c",
            "token": "eyJhbGciOiJSUzI1NiJ9.external.jwt",
            "organization_id": ORG_ID
        })),
        b2b_authenticated(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sessions
            .attest(&b2b_sessions::B2BSessionsAttestRequest::new("trusted-auth-token-profile-test-4f5e6d7c", "eyJhbGciOiJSUzI1NiJ9.external.jwt")
                .with_organization_id(ORG_ID))
            .await)
        .await;
    assert_eq!(res.member_session.organization_id, ORG_ID);

    h.expect(
        Wire::post("/v1/b2b/sessions/migrate")
            .json(json!({ "session_token": "legacy-idp-session-9Xy", "organization_id": ORG_ID })),
        b2b_authenticated(json!({})),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .sessions
            .migrate(&b2b_sessions::B2BSessionsMigrateRequest::new("legacy-idp-session-9Xy", ORG_ID))
            .await)
        .await;
    assert_eq!(res.session_jwt, MEMBER_SESSION_JWT);

    h.expect(
        Wire::post("/v1/b2b/totp/migrate").json(json!({
            "organization_id": ORG_ID,
            "member_id": MEMBER_ID,
            "secret": "BTGNX5RKJRMQWQFRQKTG34JCF6XDRHZS",
            "recovery_codes": ["ckss-2skx-ebow"]
        })),
        ok_body(json!({
            "member_id": MEMBER_ID,
            "member": member(),
            "organization": organization(),
            "totp_registration_id": "member-totp-test-5a0f3c53-b8b3-4a5c-8d0e-6f6e9e3c2b1a",
            "recovery_codes": ["ckss-2skx-ebow"]
        })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .totps
            .migrate(&b2b_totps::B2BTOTPsMigrateRequest::new(ORG_ID, MEMBER_ID, "BTGNX5RKJRMQWQFRQKTG34JCF6XDRHZS", vec!["ckss-2skx-ebow".into()]))
            .await)
        .await;
    assert_eq!(res.totp_registration_id, "member-totp-test-5a0f3c53-b8b3-4a5c-8d0e-6f6e9e3c2b1a");

    h.expect(
        Wire::post("/v1/b2b/passwords/email/reset").json(json!({
            "password_reset_token": "Ri8ZD4bSNdvm9FZVsz2m4jFQN7j4nLYkrixMSL9hdFpI",
            "password": "FLOW-MATIC-1955!",
            "intermediate_session_token": IST
        })),
        b2b_authenticated(json!({ "member_email_id": "member-email-test-6f3b2a10-4c5d-4e6f-8a9b-0c1d2e3f4a5b" })),
    )
    .await;
    let res = h
        .ok(h
            .b2b
            .passwords
            .email
            .reset(&b2b_pw_email::B2BPasswordsEmailResetRequest::new("Ri8ZD4bSNdvm9FZVsz2m4jFQN7j4nLYkrixMSL9hdFpI", "FLOW-MATIC-1955!")
                .with_intermediate_session_token(IST))
            .await)
        .await;
    assert_eq!(res.member_email_id, "member-email-test-6f3b2a10-4c5d-4e6f-8a9b-0c1d2e3f4a5b");
    h.done().await;
}
