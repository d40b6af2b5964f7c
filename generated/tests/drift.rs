//! Drift on a real call: a `{}`-like body gives `sessions.authenticate` an empty session token
//! by default, and a `Decode` error naming the path under strict decoding.

use serde_json::json;
use stytch_generated::b2c::sessions::SessionsAuthenticateRequest;
use stytch_generated::ext::{ClientConfig, Environment};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/sessions/authenticate"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status_code": 200, "request_id": "r", "brand_new": 1})))
        .mount(&server)
        .await;
    server
}

fn config(server: &MockServer) -> ClientConfig {
    ClientConfig::new("project-test-1", "secret").env(Environment::Custom(server.uri())).allow_http_loopback()
}

#[tokio::test]
async fn lenient_by_default_strict_on_request() {
    let server = server().await;
    let request = SessionsAuthenticateRequest { session_token: Some("t".into()), ..Default::default() };

    let lenient = stytch_generated::Client::with_config(config(&server)).unwrap();
    let response = lenient.sessions.authenticate(&request).await.unwrap();
    assert_eq!(response.session_token, "");

    let strict = stytch_generated::Client::with_config(config(&server).strict_decoding()).unwrap();
    let error = strict.sessions.authenticate(&request).await.unwrap_err();
    let stytch_generated::Error::Decode { path, message, .. } = &error else { panic!("{error:?}") };
    assert_eq!(path, "session");
    assert_eq!(message, "required field missing at session, session_jwt, session_token, user; unknown field at brand_new");
}
