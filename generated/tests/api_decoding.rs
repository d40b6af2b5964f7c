//! How leniently the SDK decodes real-world responses, and how it reports failures.
//!
//! The policy these tests pin down:
//!
//! - Fields the SDK does not know are ignored (the API adds fields over time).
//! - `null` is accepted wherever the `.d.ts` declares the field optional (`field?: T`): it
//!   decodes to `None`.
//! - A field the `.d.ts` declares required but the response leaves out decodes to its type's
//!   default (`""`, `0`, `false`, `[]`, an empty object, a nested struct of defaults): every
//!   generated type is `#[serde(default)]`. The transport drops `null` object members before
//!   decoding, so `null` in a required field is the same as a missing field: the default.
//! - A string enum value the SDK does not know is kept in the enum's catch-all variant
//!   (`Other(String)`) and serializes back to the same string.
//! - A status of 400 or more with a JSON object body is `Error::Api` (both the Stytch shape and
//!   the OAuth2 shape); with any other body it is `Error::Http` with the raw body.
//! - A success body that does not fit the type is `Error::Decode` with the JSON path of the
//!   failure, the HTTP status and the raw body.

use serde_json::{Value, json};
use stytch_generated::b2c::{fraud, fraud_fingerprint, fraud_rules, idp_oauth, passwords, sessions, users};
use stytch_generated::ext::{ClientConfig, Environment};
use stytch_generated::{Client, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT_ID: &str = "project-test-6c20cd16-73d5-44f7-852c-9a7e7b2ccf62";
const SECRET: &str = "secret-test-ZqUcgHbVgSeXvDM2ZfnNEYLQjXrWqHf08X4=";
const USER_ID: &str = "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6";
const REQUEST_ID: &str = "request-id-test-b05c992f-ebdc-489d-a754-c7e70ae13141";

fn user() -> Value {
    serde_json::from_str(include_str!("fixtures/user.json")).unwrap()
}

/// A server and a client whose API and fraud base URLs both point at it.
async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::with_config(
        ClientConfig::new(PROJECT_ID, SECRET).env(Environment::Custom(server.uri())).allow_http_loopback().fraud_base_url(server.uri()),
    )
    .unwrap();
    (server, client)
}

async fn respond(server: &MockServer, verb: &str, route: &str, template: ResponseTemplate) {
    Mock::given(method(verb)).and(path(route)).respond_with(template).expect(1).mount(server).await;
}

fn get_user() -> users::UsersGetRequest {
    users::UsersGetRequest::new(USER_ID)
}

#[tokio::test]
async fn unknown_fields_are_ignored_at_every_level() {
    let (server, client) = setup().await;
    let mut body = user();
    body["request_id"] = json!(REQUEST_ID);
    body["status_code"] = json!(200);
    // New top-level fields of every JSON type...
    body["passkey_registrations"] = json!([{ "passkey_id": "passkey-test-1" }]);
    body["risk"] = json!({ "score": 12, "signals": ["new_device"] });
    body["beta_flag"] = json!(true);
    body["nullable_new_field"] = Value::Null;
    // ...and inside nested objects and array elements.
    body["emails"][0]["primary"] = json!(true);
    body["name"]["preferred_name"] = json!("Ada");
    body["password"]["last_changed_at"] = json!("2024-01-01T00:00:00Z");
    respond(&server, "GET", &format!("/v1/users/{USER_ID}"), ResponseTemplate::new(200).set_body_json(body)).await;

    let res = client.users.get(&get_user()).await.expect("unknown fields are ignored");
    assert_eq!(res.user_id, USER_ID);
    assert_eq!(res.emails[0].email, "ada@example.com");
    assert_eq!(res.name.unwrap().first_name.as_deref(), Some("Ada"));
    assert_eq!(res.password.unwrap().password_id, "password-test-e59b6a63-3b4a-4a1d-8d4f-d14a5a3b3f4e");
}

#[tokio::test]
async fn null_in_optional_fields_decodes_to_none() {
    let (server, client) = setup().await;
    let mut body = user();
    body["request_id"] = json!(REQUEST_ID);
    body["status_code"] = json!(200);
    for field in ["name", "created_at", "password", "trusted_metadata", "untrusted_metadata", "external_id"] {
        body[field] = Value::Null;
    }
    respond(&server, "GET", &format!("/v1/users/{USER_ID}"), ResponseTemplate::new(200).set_body_json(body)).await;

    let res = client.users.get(&get_user()).await.expect("null is accepted in optional fields");
    assert_eq!(res.name, None);
    assert_eq!(res.created_at, None);
    assert_eq!(res.password, None);
    assert_eq!(res.trusted_metadata, None);
    assert_eq!(res.untrusted_metadata, None);
    assert_eq!(res.external_id, None);
    assert_eq!(res.lock_created_at, None, "the fixture's own nulls");

    // `null` in an optional nested object and in an optional field of a nested object.
    let (server, client) = setup().await;
    let mut user = user();
    user["name"] = json!({ "first_name": "Ada", "middle_name": null, "last_name": null });
    respond(
        &server,
        "POST",
        "/v1/passwords/authenticate",
        ResponseTemplate::new(200).set_body_json(json!({
            "request_id": REQUEST_ID,
            "status_code": 200,
            "user_id": USER_ID,
            "session_token": "",
            "session_jwt": "",
            "user": user,
            "session": null,
            "user_device": null
        })),
    )
    .await;
    let res = client
        .passwords
        .authenticate(&passwords::PasswordsAuthenticateRequest::new("ada@example.com", "correct-horse-battery-staple-1843"))
        .await
        .unwrap();
    assert!(res.session.is_none());
    assert!(res.user_device.is_none());
    let name = res.user.name.unwrap();
    assert_eq!((name.first_name.as_deref(), name.middle_name, name.last_name), (Some("Ada"), None, None));
}

/// Policy: a required field that is missing, or `null`, decodes to its type's default.
#[tokio::test]
async fn missing_required_fields_decode_to_the_type_default() {
    let (server, client) = setup().await;
    // `UsersGetResponse` declares all of these required; the body has none of them.
    respond(
        &server,
        "GET",
        &format!("/v1/users/{USER_ID}"),
        ResponseTemplate::new(200).set_body_json(json!({ "user_id": USER_ID })),
    )
    .await;
    let res = client.users.get(&get_user()).await.expect("missing required fields are defaulted");
    assert_eq!(res.user_id, USER_ID);
    assert_eq!(res.request_id, "", "String -> \"\"");
    assert_eq!(res.status, "");
    assert_eq!(res.status_code, 0, "i64 -> 0");
    assert!(!res.is_locked, "bool -> false");
    assert!(res.emails.is_empty(), "Vec -> []");
    assert!(res.roles.is_empty());

    // A missing required nested object is a struct of defaults; a missing required enum is the
    // catch-all holding "".
    let (server, client) = setup().await;
    respond(
        &server,
        "POST",
        "/v1/fingerprint/lookup",
        ResponseTemplate::new(200).set_body_json(json!({
            "request_id": REQUEST_ID,
            "telemetry_id": "026ac93b-8cdf-4c83-b5d0-1c9e4b9c6c5a",
            "verdict": { "reasons": [] }
        })),
    )
    .await;
    let res = client
        .fraud
        .fingerprint
        .lookup(&fraud_fingerprint::FraudFingerprintLookupRequest::new("026ac93b-8cdf-4c83-b5d0-1c9e4b9c6c5a"))
        .await
        .unwrap();
    assert_eq!(res.fingerprints, fraud::Fingerprints::default());
    assert_eq!(res.fingerprints.network_fingerprint, "");
    assert_eq!(res.verdict.action, fraud::VerdictAction::Other(String::new()));
    assert_eq!(res.verdict.action, fraud::VerdictAction::default());
    assert!(!res.verdict.is_authentic_device);
    assert_eq!(res.properties, None, "a missing optional field is None");

    // `null` in a required field is treated as a missing field: the type's default.
    let (server, client) = setup().await;
    let mut body = user();
    body["status"] = Value::Null;
    body["emails"] = Value::Null;
    body["is_locked"] = Value::Null;
    body["providers"][0]["locale"] = Value::Null;
    respond(&server, "GET", &format!("/v1/users/{USER_ID}"), ResponseTemplate::new(200).set_body_json(body)).await;
    let res = client.users.get(&get_user()).await.expect("null in a required field decodes to the default");
    assert_eq!(res.status, "");
    assert!(res.emails.is_empty());
    assert!(!res.is_locked);
    assert_eq!(res.providers[0].locale, "");
    assert_eq!(res.providers[0].provider_type, "Google");

    // ...also for a required nested object.
    let (server, client) = setup().await;
    respond(
        &server,
        "POST",
        "/v1/passwords/authenticate",
        ResponseTemplate::new(200).set_body_json(json!({
            "request_id": REQUEST_ID,
            "status_code": 200,
            "user_id": USER_ID,
            "user": null
        })),
    )
    .await;
    let res = client
        .passwords
        .authenticate(&passwords::PasswordsAuthenticateRequest::new("ada@example.com", "correct-horse-battery-staple-1843"))
        .await
        .unwrap();
    assert_eq!(res.user, users::User::default());
}

/// ...also when the nested object's type is one requests use too, built with `new` and without
/// `Default` (`OrgPolicy` is sent by `set_org_policy`): every required field of it empty.
#[cfg(feature = "b2b")]
#[test]
fn a_missing_required_object_without_default_decodes_to_its_empty_value() {
    use stytch_generated::b2b::{rbac::OrgPolicy, rbac_organizations::B2BRBACOrganizationsGetOrgPolicyResponse};
    let res: B2BRBACOrganizationsGetOrgPolicyResponse =
        serde_json::from_value(json!({ "request_id": REQUEST_ID, "status_code": 200 })).unwrap();
    assert_eq!(res.org_policy, OrgPolicy::new(Vec::new()));
    assert_eq!(res.request_id, REQUEST_ID);
    // A present one decodes as sent; a missing role field inside it is defaulted as usual.
    let res: B2BRBACOrganizationsGetOrgPolicyResponse =
        serde_json::from_value(json!({ "org_policy": { "roles": [{ "role_id": "editor" }] } })).unwrap();
    assert_eq!(res.org_policy.roles[0].role_id, "editor");
    assert_eq!(res.org_policy.roles[0].description, "");
}

#[tokio::test]
async fn unknown_enum_values_are_kept_and_serialize_back_unchanged() {
    let (server, client) = setup().await;
    respond(
        &server,
        "POST",
        "/v1/fingerprint/lookup",
        ResponseTemplate::new(200).set_body_json(json!({
            "request_id": REQUEST_ID,
            "status_code": 200,
            "telemetry_id": "026ac93b-8cdf-4c83-b5d0-1c9e4b9c6c5a",
            "fingerprints": {
                "network_fingerprint": "netf-bjboL9GtSlVwvdZhnNUAJg==",
                "hardware_fingerprint": "hardf-y4bRchZ8cLL0LzfPNqXZsA==",
                "browser_fingerprint": "browf-fymqEXtMGoNYt5Yr5HuMTQ==",
                "visitor_fingerprint": "visf-ZxxFlMmhHKCbn9lMGJjKnA=="
            },
            "verdict": {
                "action": "QUARANTINE",
                "reasons": ["NEW_SIGNAL"],
                "detected_device_type": "SMART_FRIDGE",
                "is_authentic_device": true,
                "verdict_reason_overrides": [{ "verdict_reason": "NEW_SIGNAL", "override_action": "ESCALATE" }],
                "rule_match_type": "DEVICE_GRAPH_CLUSTER"
            },
            "external_metadata": {},
            "created_at": "2024-03-05T09:12:44Z",
            "expires_at": "2024-03-06T09:12:44Z"
        })),
    )
    .await;
    let res = client
        .fraud
        .fingerprint
        .lookup(&fraud_fingerprint::FraudFingerprintLookupRequest::new("026ac93b-8cdf-4c83-b5d0-1c9e4b9c6c5a"))
        .await
        .expect("unknown enum values decode");
    assert_eq!(res.verdict.action, fraud::VerdictAction::Other("QUARANTINE".into()));
    assert_eq!(res.verdict.action.as_str(), "QUARANTINE");
    assert_eq!(res.verdict.rule_match_type, Some(fraud::VerdictRuleMatchType::Other("DEVICE_GRAPH_CLUSTER".into())));
    assert_eq!(
        serde_json::to_value(&res.verdict.verdict_reason_overrides[0].override_action).unwrap(),
        json!("ESCALATE")
    );
    // Serializing the decoded value gives the strings back, unchanged.
    assert_eq!(serde_json::to_value(&res.verdict.action).unwrap(), json!("QUARANTINE"));
    let again = serde_json::to_value(&res.verdict).unwrap();
    assert_eq!(again["action"], "QUARANTINE");
    assert_eq!(again["rule_match_type"], "DEVICE_GRAPH_CLUSTER");
    assert_eq!(again["verdict_reason_overrides"][0]["override_action"], "ESCALATE");
    // A known value next to them still decodes to its own variant.
    let known: fraud::VerdictAction = serde_json::from_value(json!("BLOCK")).unwrap();
    assert_eq!(known, fraud::VerdictAction::Block);

    // The same in a nested session: an authentication factor type and delivery method that
    // this SDK version does not know.
    let (server, client) = setup().await;
    respond(
        &server,
        "GET",
        "/v1/sessions",
        ResponseTemplate::new(200).set_body_json(json!({
            "request_id": REQUEST_ID,
            "status_code": 200,
            "sessions": [{
                "session_id": "session-test-fe6c042b-6286-479f-8a4f-b046a6c46509",
                "user_id": USER_ID,
                "authentication_factors": [{ "type": "passkey_sync", "delivery_method": "hybrid_transport" }],
                "roles": []
            }]
        })),
    )
    .await;
    let res = client.sessions.get(&sessions::SessionsGetRequest::new(USER_ID)).await.unwrap();
    let factor = &res.sessions[0].authentication_factors[0];
    assert_eq!(factor.r#type, sessions::AuthenticationFactorType::Other("passkey_sync".into()));
    assert_eq!(factor.delivery_method, sessions::AuthenticationFactorDeliveryMethod::Other("hybrid_transport".into()));
    let again = serde_json::to_value(factor).unwrap();
    assert_eq!(again["type"], "passkey_sync");
    assert_eq!(again["delivery_method"], "hybrid_transport");

    // And in a request: a catch-all value goes on the wire as given.
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/v1/rules/set"))
        .and(wiremock::matchers::body_json(json!({ "action": "MONITOR", "visitor_id": "visitor-6139cbcc" })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "request_id": REQUEST_ID,
            "status_code": 200,
            "action": "MONITOR",
            "visitor_id": "visitor-6139cbcc"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let res = client
        .fraud
        .rules
        .set(&fraud_rules::FraudRulesSetRequest::new(fraud_rules::FraudRulesSetRequestAction::Other("MONITOR".into()))
            .with_visitor_id("visitor-6139cbcc"))
        .await
        .unwrap();
    assert_eq!(res.action, fraud_rules::FraudRulesSetResponseAction::Other("MONITOR".into()));
}

#[tokio::test]
async fn a_stytch_error_body_is_an_api_error() {
    let (server, client) = setup().await;
    let body = json!({
        "status_code": 404,
        "request_id": "request-id-test-55e4b4b1-7e1c-4b5a-a3ad-2b1f2b5d6c7e",
        "error_type": "user_not_found",
        "error_message": "User could not be found.",
        "error_url": "https://stytch.com/docs/api/errors/404#user_not_found"
    });
    respond(&server, "GET", &format!("/v1/users/{USER_ID}"), ResponseTemplate::new(404).set_body_json(&body)).await;

    let err = client.users.get(&get_user()).await.expect_err("a 404 is an error");
    assert_eq!(err.status(), Some(404));
    let Error::Api(api) = &err else { panic!("expected Error::Api, got {err:?}") };
    assert_eq!(api.status, 404);
    assert_eq!(api.request_id.as_deref(), Some("request-id-test-55e4b4b1-7e1c-4b5a-a3ad-2b1f2b5d6c7e"));
    assert_eq!(api.error_type.as_deref(), Some("user_not_found"));
    assert_eq!(api.error_message.as_deref(), Some("User could not be found."));
    assert_eq!(api.error_url.as_deref(), Some("https://stytch.com/docs/api/errors/404#user_not_found"));
    assert_eq!(api.error_details, None);
    assert_eq!(serde_json::from_str::<Value>(&api.body).unwrap(), body);
    let shown = err.to_string();
    assert!(
        shown.contains("404") && shown.contains("user_not_found") && shown.contains("User could not be found."),
        "{shown}"
    );

    // A 429 with `error_details`, sent to the fraud base URL.
    let (server, client) = setup().await;
    respond(
        &server,
        "POST",
        "/v1/fingerprint/lookup",
        ResponseTemplate::new(429).set_body_json(json!({
            "status_code": 429,
            "request_id": "request-id-test-rate-limited",
            "error_type": "too_many_requests",
            "error_message": "Too many requests have been made.",
            "error_url": "https://stytch.com/docs/api/errors/429",
            "error_details": { "retry_after_seconds": 30 }
        })),
    )
    .await;
    let err = client
        .fraud
        .fingerprint
        .lookup(&fraud_fingerprint::FraudFingerprintLookupRequest::new("t"))
        .await
        .unwrap_err();
    let Error::Api(api) = err else { panic!("expected Error::Api") };
    assert_eq!(api.status, 429);
    assert_eq!(api.error_type.as_deref(), Some("too_many_requests"));
    assert_eq!(api.error_details, Some(json!({ "retry_after_seconds": 30 })));
}

#[tokio::test]
async fn an_oauth2_error_body_is_an_api_error() {
    let (server, client) = setup().await;
    respond(
        &server,
        "POST",
        "/v1/idp/oauth/authorize",
        ResponseTemplate::new(400).set_body_json(json!({
            "error": "invalid_request",
            "error_description": "The redirect_uri is not registered for this client.",
            "error_uri": "https://stytch.com/docs/api/errors/400#invalid_request",
            "status_code": 400,
            "request_id": "request-id-test-oauth2-4f1b"
        })),
    )
    .await;
    let err = client
        .idp
        .oauth
        .authorize(&idp_oauth::IDPOAuthAuthorizeRequest::new(true, vec!["openid".into()], "connected-app-test-0b7e3c2a-5d5f-4a8c-9f43-2c3c6f8e7d10", "https://evil.example/callback", "code")
            .with_user_id(USER_ID))
        .await
        .expect_err("a 400 is an error");
    let Error::Api(api) = err else { panic!("expected Error::Api") };
    assert_eq!(api.status, 400);
    assert_eq!(api.request_id.as_deref(), Some("request-id-test-oauth2-4f1b"));
    assert_eq!(api.error_type.as_deref(), Some("invalid_request"));
    assert_eq!(api.error_message.as_deref(), Some("The redirect_uri is not registered for this client."));
    assert_eq!(api.error_url.as_deref(), Some("https://stytch.com/docs/api/errors/400#invalid_request"));
    assert_eq!(api.error_details, None);
}

#[tokio::test]
async fn a_non_json_error_body_is_an_http_error() {
    let (server, client) = setup().await;
    let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
    respond(
        &server,
        "GET",
        &format!("/v1/users/{USER_ID}"),
        ResponseTemplate::new(502).set_body_raw(html, "text/html"),
    )
    .await;
    let err = client.users.get(&get_user()).await.expect_err("a 502 is an error");
    assert_eq!(err.status(), Some(502));
    match err {
        Error::Http { status, body, .. } => {
            assert_eq!(status, 502);
            assert_eq!(body, html);
        }
        other => panic!("expected Error::Http, got {other:?}"),
    }

    // JSON that is not an object (here an array) is not a Stytch error body either.
    let (server, client) = setup().await;
    respond(
        &server,
        "GET",
        &format!("/v1/users/{USER_ID}"),
        ResponseTemplate::new(503).set_body_json(json!(["maintenance"])),
    )
    .await;
    assert!(matches!(client.users.get(&get_user()).await, Err(Error::Http { status: 503, .. })));
}

#[tokio::test]
async fn a_wrong_typed_field_is_a_decode_error_with_its_path_and_the_body() {
    let (server, client) = setup().await;
    let mut user = user();
    user["emails"][0]["verified"] = json!("yes");
    let body = json!({
        "request_id": REQUEST_ID,
        "status_code": 200,
        "user_id": USER_ID,
        "session_token": "mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q",
        "session_jwt": "",
        "user": user
    });
    respond(&server, "POST", "/v1/passwords/authenticate", ResponseTemplate::new(200).set_body_json(&body)).await;
    let err = client
        .passwords
        .authenticate(&passwords::PasswordsAuthenticateRequest::new("ada@example.com", "correct-horse-battery-staple-1843"))
        .await
        .expect_err("a string where a boolean belongs does not decode");
    assert_eq!(err.status(), Some(200));
    match &err {
        Error::Decode { status, path, message, body: kept } => {
            assert_eq!(*status, 200);
            assert_eq!(path, "user.emails[0].verified");
            assert!(message.contains("boolean"), "{message}");
            assert_eq!(serde_json::from_str::<Value>(kept).unwrap(), body, "the raw body is kept");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    let shown = err.to_string();
    assert!(shown.contains("user.emails[0].verified"), "{shown}");

    // A number where a string belongs, at the top level.
    let (server, client) = setup().await;
    respond(
        &server,
        "GET",
        &format!("/v1/users/{USER_ID}"),
        ResponseTemplate::new(200).set_body_json(json!({ "user_id": 42, "request_id": REQUEST_ID })),
    )
    .await;
    match client.users.get(&get_user()).await {
        Err(Error::Decode { path, body, .. }) => {
            assert_eq!(path, "user_id");
            assert!(body.contains("\"user_id\":42"), "{body}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }

    // A 200 whose body is not JSON at all.
    let (server, client) = setup().await;
    respond(
        &server,
        "GET",
        &format!("/v1/users/{USER_ID}"),
        ResponseTemplate::new(200).set_body_raw("OK", "text/plain"),
    )
    .await;
    match client.users.get(&get_user()).await {
        Err(Error::Decode { status: 200, body, .. }) => assert_eq!(body, "OK"),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}
