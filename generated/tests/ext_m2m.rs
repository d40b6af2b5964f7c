//! M2M: `m2m.token` (the client-credentials request exactly as `dist/b2c/m2m.js` sends it) and
//! `m2m.authenticate_token` (local verification and `performAuthorizationCheck` of
//! `dist/b2c/m2m_local.js`).

#![cfg(feature = "consumer")]

mod ext_support;

use ext_support::*;
use serde_json::{Value, json};
use stytch_generated::b2c::m2m::{AuthenticateTokenRequest, AuthenticateTokenResponse, TokenRequest};
use stytch_generated::ext::{AuthError, ClientErrorCode};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const TOKEN_PATH: &str = "/v1/public/project-test-11111111-2222-3333-4444-555555555555/oauth2/token";

async fn token_server(env: &Env) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "eyJ.access.token",
            "token_type": "bearer",
            "expires_in": 3600,
        })))
        .mount(&env.server)
        .await;
}

fn header_names(request: &wiremock::Request) -> Vec<String> {
    let mut names: Vec<String> = request.headers.keys().map(|k| k.as_str().to_owned()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn token_sends_the_form_exactly_as_the_js_without_credentials() {
    let env = Env::new().await;
    token_server(&env).await;
    let client = env.client();
    let response = client
        .m2m
        .token(&TokenRequest::new("m2m-client-test-1", "secret with spaces&symbols=/+")
            .with_scopes(vec!["read:users".into(), "write:users".into()]))
        .await
        .unwrap();
    assert_eq!(response.access_token, "eyJ.access.token");
    assert_eq!(response.token_type, "bearer");
    assert_eq!(response.expires_in, 3600);

    let requests = requests_to(&env.server, TOKEN_PATH).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    // As URLSearchParams serializes { client_id, client_secret, grant_type, scope }.
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        "client_id=m2m-client-test-1&client_secret=secret+with+spaces%26symbols%3D%2F%2B&grant_type=client_credentials&scope=read%3Ausers+write%3Ausers"
    );
    assert_eq!(request.headers.get("content-type").unwrap(), "application/x-www-form-urlencoded");
    assert!(request.headers.get("user-agent").unwrap().to_str().unwrap().starts_with("stytch-rust/"));
    assert!(request.headers.get("authorization").is_none(), "{:?}", header_names(request));
    // Only the user agent and content type of our own; the rest is what any HTTP client adds.
    for name in header_names(request) {
        assert!(
            ["user-agent", "content-type", "content-length", "accept", "host"].contains(&name.as_str()),
            "unexpected header {name}"
        );
    }
}

#[tokio::test]
async fn token_leaves_out_scope_when_there_are_no_scopes() {
    let env = Env::new().await;
    token_server(&env).await;
    let client = env.client();
    for scopes in [None, Some(vec![])] {
        let mut request = TokenRequest::new("id", "secret");
        request.scopes = scopes;
        client.m2m.token(&request).await.unwrap();
    }
    for request in requests_to(&env.server, TOKEN_PATH).await {
        assert_eq!(
            String::from_utf8(request.body).unwrap(),
            "client_id=id&client_secret=secret&grant_type=client_credentials"
        );
    }
}

#[tokio::test]
async fn token_errors_are_api_errors() {
    let env = Env::new().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client", "error_description": "Client authentication failed.", "status_code": 401,
        })))
        .mount(&env.server)
        .await;
    let request = TokenRequest::new("id", "wrong");
    match env.client().m2m.token(&request).await {
        Err(stytch_generated::Error::Api(api)) => {
            assert_eq!(api.status, 401);
            assert_eq!(api.error_type.as_deref(), Some("invalid_client"));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn access_token_claims(now: i64, scope: &str) -> Value {
    json!({
        "sub": "m2m-client-test-d731954d-dab3-4a2b-bdee-07f3ad1be885",
        "iss": issuer(),
        "aud": [PROJECT_ID],
        "scope": scope,
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "department": "finance",
    })
}

fn authenticate(token: &str, required: &[&str]) -> AuthenticateTokenRequest {
    AuthenticateTokenRequest::new(token.to_owned())
        .with_required_scopes(required.iter().map(|s| s.to_string()).collect())
}

#[track_caller]
fn assert_code(result: Result<AuthenticateTokenResponse, AuthError>, code: ClientErrorCode) -> String {
    match result {
        Err(AuthError::Client(e)) if e.code() == code => e.to_string(),
        other => panic!("expected a {code} ClientError, got {other:?}"),
    }
}

#[tokio::test]
async fn authenticate_token_checks_the_required_scopes() {
    let env = Env::new().await;
    jwks_mock(CONSUMER_JWKS, &[key_a()]).expect(1).mount(&env.server).await;
    let client = env.client();
    let token = key_a().sign(&access_token_claims(env.now(), "read:users write:* admin"));

    let response = client.m2m.authenticate_token(&authenticate(&token, &["read:users", "write:books"])).await.unwrap();
    assert_eq!(response.client_id, "m2m-client-test-d731954d-dab3-4a2b-bdee-07f3ad1be885");
    assert_eq!(response.scopes, ["read:users", "write:*", "admin"]);
    assert_eq!(serde_json::to_value(&response.custom_claims).unwrap(), json!({"department": "finance"}));
    assert!(client.m2m.authenticate_token(&authenticate(&token, &[])).await.is_ok());

    let result = client.m2m.authenticate_token(&authenticate(&token, &["read:users", "read:books"])).await;
    let message = assert_code(result, ClientErrorCode::MissingScopes);
    assert_eq!(message, "missing_scopes: Missing at least one required scope: read:users,read:books");

    // A custom scope authorization function replaces the default one.
    let result = client
        .m2m
        .authenticate_token_with(&authenticate(&token, &["anything"]), |has, required| {
            assert_eq!(has, ["read:users", "write:*", "admin"]);
            assert_eq!(required, ["anything"]);
            true
        })
        .await;
    assert!(result.is_ok());
    let result = client.m2m.authenticate_token_with(&authenticate(&token, &["read:users"]), |_, _| false).await;
    assert_code(result, ClientErrorCode::MissingScopes);
}

#[tokio::test]
async fn authenticate_token_verifies_the_token() {
    let env = Env::new().await;
    jwks_mock(CONSUMER_JWKS, &[key_a()]).expect(1).mount(&env.server).await;
    let client = env.client();
    let now = env.now();
    let expired = key_a().sign(&with(access_token_claims(now - 7200, "read"), "exp", json!(now - 3600)));
    assert_code(client.m2m.authenticate_token(&authenticate(&expired, &[])).await, ClientErrorCode::JwtInvalid);
    let other_project = key_a().sign(&with(access_token_claims(now, "read"), "aud", json!(["project-test-other"])));
    assert_code(client.m2m.authenticate_token(&authenticate(&other_project, &[])).await, ClientErrorCode::JwtInvalid);
    let old = key_a().sign(&access_token_claims(now - 100, "read"));
    let request = (authenticate(&old, &[])).with_max_token_age_seconds(50);
    assert_code(client.m2m.authenticate_token(&request).await, ClientErrorCode::JwtTooOld);
    let request = (authenticate(&old, &[])).with_max_token_age_seconds(500);
    assert!(client.m2m.authenticate_token(&request).await.is_ok());
}

#[cfg(feature = "b2b")]
#[tokio::test]
async fn the_b2b_client_verifies_m2m_tokens_with_the_b2b_jwks() {
    let env = Env::new().await;
    jwks_mock(B2B_JWKS, &[key_b()]).expect(1).mount(&env.server).await;
    jwks_mock(CONSUMER_JWKS, &[key_a()]).expect(0).mount(&env.server).await;
    let token = key_b().sign(&access_token_claims(env.now(), "read:users"));
    let response = env.b2b_client().m2m.authenticate_token(&authenticate(&token, &["read:users"])).await.unwrap();
    assert_eq!(response.scopes, ["read:users"]);
}
