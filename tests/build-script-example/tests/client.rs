//! The client generated at build time works against a local server.

use build_script_example::stytch;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn generated_client_sends_what_the_js_sdk_sends() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/b2b/passwords/session/reset"))
        .and(header("authorization", "Basic cHJvamVjdDpzZWNyZXQ="))
        .and(body_json(serde_json::json!({
            "organization_id": "org-1",
            "password": "correct horse",
            "session_duration_minutes": 60
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "request_id": "req-1",
            "member_id": "member-1",
            "status_code": 200,
            "member_authenticated": true,
            "unknown_field": {"ignored": true}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let config = stytch::Config::new(&server.uri()).unwrap().allow_http_loopback().with_basic_auth("project", "secret");
    let client = stytch::B2BClient::from_transport(stytch::Transport::new(config).unwrap());
    let request = stytch::b2b::passwords_session::B2BPasswordsSessionResetRequest::new("org-1", "correct horse").with_session_duration_minutes(60);
    let response = client.passwords.sessions.reset(&request).await.unwrap();
    assert_eq!(response.member_id, "member-1");
    assert!(response.member_authenticated);
    assert_eq!(response.status_code, 200);
}
