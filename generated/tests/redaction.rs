//! `Debug` of requests and responses never prints passwords, tokens, JWTs or client secrets,
//! also when they come back from the API.

#![cfg(all(feature = "consumer", feature = "b2b"))]

use serde_json::json;
use stytch_generated::b2b::passwords::B2BPasswordsAuthenticateRequest;
use stytch_generated::b2c::m2m::M2MClientWithClientSecret;
use stytch_generated::b2c::passwords::{PasswordsAuthenticateRequest, PasswordsAuthenticateResponse};
use stytch_generated::ext::{ClientConfig, Environment};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "correct-horse-battery-staple-77";

#[track_caller]
fn assert_hidden(debug: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(debug.contains("<redacted>"), "{debug}");
}

#[test]
fn requests_with_a_password_print_no_password() {
    let request = PasswordsAuthenticateRequest::new("sandbox@stytch.com", PASSWORD)
        .with_session_token("session-token-secret-1");
    for debug in [format!("{request:?}"), format!("{request:#?}")] {
        assert_hidden(&debug, &[PASSWORD, "session-token-secret-1"]);
        assert!(debug.contains("sandbox@stytch.com"), "{debug}");
    }
    let b2b = B2BPasswordsAuthenticateRequest::new("organization-test-1", "sandbox@stytch.com", PASSWORD);
    assert_hidden(&format!("{b2b:?}"), &[PASSWORD]);
    let client = M2MClientWithClientSecret {
        client_id: "m2m-client-test-1".into(),
        client_secret: "client-secret-value-1".into(),
        client_secret_last_four: "ue-1".into(),
        ..Default::default()
    };
    let debug = format!("{client:?}");
    assert_hidden(&debug, &["client-secret-value-1"]);
    assert!(debug.contains("m2m-client-test-1") && debug.contains("ue-1"), "{debug}");
}

#[tokio::test]
async fn decoded_responses_print_no_session_token_or_jwt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/passwords/authenticate"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "request_id": "request-id-test-1",
            "status_code": 200,
            "user_id": "user-test-1",
            "session_token": "session-token-from-api",
            "session_jwt": "eyJhbGciOiJSUzI1NiJ9.session-jwt-from-api.sig",
        })))
        .mount(&server)
        .await;
    let config = ClientConfig::new("project-test-1", "secret-test-1")
        .env(Environment::Custom(server.uri()))
        .allow_http_loopback();
    let client = stytch_generated::Client::with_config(config).unwrap();
    let request = PasswordsAuthenticateRequest::new("ada@example.com", PASSWORD);
    let response: PasswordsAuthenticateResponse = client.passwords.authenticate(&request).await.unwrap();
    assert_eq!(response.session_token, "session-token-from-api");
    let debug = format!("{response:?}");
    assert_hidden(&debug, &["session-token-from-api", "session-jwt-from-api"]);
    assert!(debug.contains("user-test-1"), "{debug}");
}
