//! Helpers shared by the integration tests: a wiremock server that records
//! what it receives, and accessors for the recorded request.

#![allow(dead_code)]

use npm_sdk_runtime::{Config, Transport};
use serde::{Deserialize, Serialize};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering every request with `response`.
pub async fn server_with(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A server answering every request with 200 and `body` as JSON.
pub async fn json_server(body: serde_json::Value) -> MockServer {
    server_with(ResponseTemplate::new(200).set_body_json(body)).await
}

/// A config whose default base URL is `server`.
pub fn config(server: &MockServer) -> Config {
    Config::new(&server.uri())
        .expect("server URI parses")
        .allow_http_loopback()
}

/// A transport to `server` with the default configuration.
pub fn transport(server: &MockServer) -> Transport {
    Transport::new(config(server)).expect("transport builds")
}

/// The one request `server` received (panics on zero or several).
pub async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {requests:?}"
    );
    requests.remove(0)
}

/// How many requests `server` received.
pub async fn request_count(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .len()
}

/// All values of header `name`, as strings.
pub fn header(request: &wiremock::Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().expect("ASCII header").to_owned())
        .collect()
}

/// The request body as UTF-8.
pub fn body(request: &wiremock::Request) -> String {
    String::from_utf8(request.body.clone()).expect("UTF-8 body")
}

/// A response type for the drift tests: lenient (`default`) as generated types are.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Session {
    pub session_id: String,
    pub user: User,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct User {
    pub user_id: String,
    pub is_admin: bool,
}

/// `user.is_admin` is missing (it decodes to `false`), `user.nickname` is unknown.
pub fn drifted() -> serde_json::Value {
    json!({"session_id": "s1", "user": {"user_id": "u1", "nickname": "kit"}, "expires_at": null})
}
