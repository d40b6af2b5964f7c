//! SAML Shield's `validate` sends its form body (`users.search_all` is `users.search_stream`:
//! tests/streams.rs).

use serde_json::json;
use stytch_generated::samlshield::index::{SamlShieldClient, SamlShieldValidateRequest};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn saml_shield_validate_sends_a_form_with_the_bearer_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/saml/validate"))
        .and(header("authorization", "Bearer public-token-test-1"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("SAMLResponse=PHNhbWw%2BPC9zYW1sPg%3D%3D"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"request_id": "r", "status_code": 200, "message": "valid"})))
        .expect(1)
        .mount(&server)
        .await;
    let config = stytch_generated::Config::new(&server.uri()).unwrap().allow_http_loopback().with_header("Authorization", "Bearer public-token-test-1").unwrap();
    let client = SamlShieldClient::from_transport(stytch_generated::Transport::new(config).unwrap());
    let request = SamlShieldValidateRequest::new("PHNhbWw+PC9zYW1sPg==");
    assert_eq!(client.saml.validate(&request).await.unwrap().message, "valid");
}

#[test]
fn saml_shield_needs_a_token_and_an_https_base_url() {
    assert!(SamlShieldClient::new("").is_err());
    assert!(SamlShieldClient::with_options("tok", Some("http://insecure.example"), None).is_err());
    assert!(SamlShieldClient::with_options("tok", Some("HTTPS://api.samlshield.example"), None).is_ok());
    assert!(SamlShieldClient::new("tok").is_ok());
}
