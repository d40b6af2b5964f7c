//! `users.search_all` pages through a search; SAML Shield's `validate` sends its form body.

use serde_json::json;
use stytch::b2c::users::UsersSearchRequest;
use stytch::ext::{ClientConfig, Environment};
use stytch::samlshield::index::{SamlShieldClient, SamlShieldValidateRequest};
use wiremock::matchers::{body_json, body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn page(ids: &[&str], next: Option<&str>) -> serde_json::Value {
    let users: Vec<_> = ids.iter().map(|id| json!({"user_id": id, "status": "active"})).collect();
    json!({"request_id": "r", "status_code": 200, "results": users,
           "results_metadata": {"total": 3, "next_cursor": next}})
}

#[tokio::test]
async fn search_all_follows_the_cursor_until_the_last_page() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/users/search"))
        .and(body_json(json!({"limit": 2})))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["u1", "u2"], Some("c1"))))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/users/search"))
        .and(body_json(json!({"limit": 2, "cursor": "c1"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["u3"], None)))
        .expect(1)
        .mount(&server)
        .await;
    let client = stytch::Client::with_config(ClientConfig::new("project-test-1", "secret").env(Environment::Custom(server.uri())).allow_http_loopback()).unwrap();
    let mut pages = client.users.search_all(UsersSearchRequest { limit: Some(2), ..Default::default() });
    let mut seen = Vec::new();
    while let Some(page) = pages.next().await {
        seen.extend(page.unwrap().into_iter().map(|u| u.user_id));
    }
    assert_eq!(seen, ["u1", "u2", "u3"]);
    assert!(!pages.has_next());
}

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
    let config = stytch::Config::new(&server.uri()).unwrap().allow_http_loopback().with_header("Authorization", "Bearer public-token-test-1").unwrap();
    let client = SamlShieldClient::from_transport(stytch::Transport::new(config).unwrap());
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
