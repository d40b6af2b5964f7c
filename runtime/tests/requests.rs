//! What the runtime puts on the wire: method, path, query, headers and body,
//! checked against a real local server.

mod common;

use npm_sdk_runtime::{Config, Error, Method, Request, Transport, encode_path_segment, reqwest};
use common::{body, config, header, json_server, only_request, request_count, transport};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

const DEFAULT_UA: &str = concat!("npm-sdk-runtime/", env!("CARGO_PKG_VERSION"));

#[derive(Serialize)]
struct CreateUser {
    email: String,
    name: Option<String>,
    trusted_metadata: Value,
    create_user_as_pending: bool,
}

#[derive(Debug, Deserialize, PartialEq)]
struct CreateUserResponse {
    status_code: u16,
    user_id: String,
}

#[tokio::test]
async fn json_body_is_sent_whole_and_the_response_decoded() {
    let server = json_server(json!({"status_code": 200, "user_id": "user-1"})).await;
    let request = Request::new(Method::POST, "/v1/users").json(&CreateUser {
        email: "a@example.com".into(),
        name: None,
        trusted_metadata: json!({"tier": 2}),
        create_user_as_pending: true,
    });
    let response: CreateUserResponse = transport(&server).send(request).await.unwrap();
    assert_eq!(
        response,
        CreateUserResponse {
            status_code: 200,
            user_id: "user-1".into()
        }
    );

    let received = only_request(&server).await;
    assert_eq!(received.method.as_str(), "POST");
    assert_eq!(received.url.path(), "/v1/users");
    assert_eq!(received.url.query(), None);
    assert_eq!(header(&received, "content-type"), ["application/json"]);
    assert_eq!(header(&received, "user-agent"), [DEFAULT_UA]);
    assert!(header(&received, "authorization").is_empty());
    let expected = r#"{"email":"a@example.com","name":null,"trusted_metadata":{"tier":2},"create_user_as_pending":true}"#;
    assert_eq!(body(&received), expected);
    assert_eq!(
        header(&received, "content-length"),
        [expected.len().to_string()]
    );
}

#[tokio::test]
async fn send_json_returns_the_whole_response_value() {
    let response = json!({"status_code": 200, "items": [1, {"a": null}], "next": null});
    let server = json_server(response.clone()).await;
    let got = transport(&server)
        .send_json(Request::new(Method::GET, "/v1/items"))
        .await
        .unwrap();
    assert_eq!(got, response);
}

#[tokio::test]
async fn json_fields_build_an_object_without_null_fields() {
    let server = json_server(json!({})).await;
    let request = Request::new(Method::PUT, "/v1/users/user-1")
        .json_field("name", &json!({"first_name": "Ada"}))
        .json_field("untrusted_metadata", &None::<Value>)
        .json_field("emails", &["a@example.com"])
        .json_field("session_duration_minutes", &Some(60));
    transport(&server).send_json(request).await.unwrap();

    let received = only_request(&server).await;
    assert_eq!(received.method.as_str(), "PUT");
    assert_eq!(received.url.path(), "/v1/users/user-1");
    assert_eq!(header(&received, "content-type"), ["application/json"]);
    assert_eq!(
        body(&received),
        r#"{"name":{"first_name":"Ada"},"emails":["a@example.com"],"session_duration_minutes":60}"#
    );
}

#[tokio::test]
async fn empty_json_sends_an_empty_object() {
    let server = json_server(json!({})).await;
    let request = Request::new(Method::POST, "/v1/sessions/authenticate").empty_json();
    transport(&server).send_json(request).await.unwrap();

    let received = only_request(&server).await;
    assert_eq!(body(&received), "{}");
    assert_eq!(header(&received, "content-length"), ["2"]);
    assert_eq!(header(&received, "content-type"), ["application/json"]);
}

#[tokio::test]
async fn json_fields_whose_values_are_all_null_still_send_an_object() {
    let server = json_server(json!({})).await;
    let request = Request::new(Method::POST, "/v1/x").json_field("a", &None::<String>);
    transport(&server).send_json(request).await.unwrap();
    assert_eq!(body(&only_request(&server).await), "{}");
}

#[tokio::test]
async fn get_sends_no_body() {
    let server = json_server(json!({"ok": true})).await;
    transport(&server)
        .send_json(Request::new(Method::GET, "/v1/users/user-1"))
        .await
        .unwrap();

    let received = only_request(&server).await;
    assert_eq!(received.method.as_str(), "GET");
    assert!(received.body.is_empty());
    assert!(header(&received, "content-length").is_empty());
    assert!(header(&received, "transfer-encoding").is_empty());
    // The JS SDK sends its JSON content type on every request.
    assert_eq!(header(&received, "content-type"), ["application/json"]);
}

#[tokio::test]
async fn query_parameters_follow_js_string() {
    let server = json_server(json!({})).await;
    let request = Request::new(Method::GET, "/v1/search")
        .query("s", "a b&c=d")
        .query("n", &42)
        .query("f", &1.5)
        .query("neg", &-3i64)
        .query("t", &true)
        .query("fa", &false)
        .query("arr", &json!([1, null, "x y"]))
        .query("obj", &json!({"a": 1}))
        .query("none", &None::<u32>);
    transport(&server).send_json(request).await.unwrap();

    let received = only_request(&server).await;
    assert_eq!(received.url.path(), "/v1/search");
    // Expected string printed by node for the same URLSearchParams appends.
    assert_eq!(
        received.url.query(),
        Some(
            "s=a+b%26c%3Dd&n=42&f=1.5&neg=-3&t=true&fa=false&arr=1%2C%2Cx+y&obj=%5Bobject+Object%5D"
        )
    );
}

#[tokio::test]
async fn only_null_query_parameters_leave_no_query_string() {
    let server = json_server(json!({})).await;
    let request = Request::new(Method::GET, "/v1/search").query("a", &None::<bool>);
    transport(&server).send_json(request).await.unwrap();
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[test]
fn encode_path_segment_matches_encode_uri_component() {
    assert_eq!(encode_path_segment("a/b?c%d e"), "a%2Fb%3Fc%25d%20e");
    assert_eq!(
        encode_path_segment("héllo wörld/日本😀"),
        "h%C3%A9llo%20w%C3%B6rld%2F%E6%97%A5%E6%9C%AC%F0%9F%98%80"
    );
    assert_eq!(encode_path_segment(""), "");
}

#[tokio::test]
async fn an_encoded_path_segment_reaches_the_server_intact() {
    let server = json_server(json!({})).await;
    let path = format!("/v1/users/{}/emails", encode_path_segment("a/b?c%d e#日本"));
    transport(&server)
        .send_json(Request::new(Method::DELETE, path))
        .await
        .unwrap();

    let received = only_request(&server).await;
    assert_eq!(received.method.as_str(), "DELETE");
    assert_eq!(
        received.url.path(),
        "/v1/users/a%2Fb%3Fc%25d%20e%23%E6%97%A5%E6%9C%AC/emails"
    );
    assert_eq!(received.url.query(), None);
    assert_eq!(received.url.fragment(), None);
}

#[tokio::test]
async fn an_absolute_path_replaces_the_base_path_like_new_url() {
    let server = json_server(json!({})).await;
    let config = Config::new(&format!("{}/ignored/base/", server.uri()))
        .unwrap()
        .allow_http_loopback();
    let transport = Transport::new(config).unwrap();
    transport
        .send_json(Request::new(Method::GET, "/v1/x"))
        .await
        .unwrap();
    assert_eq!(only_request(&server).await.url.path(), "/v1/x");
}

#[tokio::test]
async fn a_named_base_url_sends_to_its_own_server() {
    let api = json_server(json!({"from": "api"})).await;
    let fraud = json_server(json!({"from": "fraud"})).await;
    let config = config(&api)
        .with_named_base_url("FRAUD", &fraud.uri())
        .unwrap();
    assert_eq!(
        config.named_base_url("FRAUD").unwrap().as_str(),
        format!("{}/", fraud.uri())
    );
    assert_eq!(config.base_url().as_str(), format!("{}/", api.uri()));
    let transport = Transport::new(config).unwrap();

    let request = Request::new(Method::POST, "/v1/fingerprint/lookup")
        .base_url("FRAUD")
        .json_field("telemetry_id", "t-1");
    let got = transport.send_json(request).await.unwrap();
    assert_eq!(got, json!({"from": "fraud"}));
    let received = only_request(&fraud).await;
    assert_eq!(received.url.path(), "/v1/fingerprint/lookup");
    assert_eq!(body(&received), r#"{"telemetry_id":"t-1"}"#);
    assert_eq!(request_count(&api).await, 0);

    let got = transport
        .send_json(Request::new(Method::GET, "/v1/users"))
        .await
        .unwrap();
    assert_eq!(got, json!({"from": "api"}));
    assert_eq!(request_count(&api).await, 1);
}

#[tokio::test]
async fn an_unknown_base_url_name_is_a_config_error_and_sends_nothing() {
    let server = json_server(json!({})).await;
    let request = Request::new(Method::GET, "/v1/x").base_url("FRAUD");
    let err = transport(&server).send_json(request).await.unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.contains("FRAUD")),
        "{err:?}"
    );
    assert_eq!(request_count(&server).await, 0);
}

#[tokio::test]
async fn header_if_present_sends_only_non_empty_values() {
    let server = json_server(json!({})).await;
    let request = Request::new(Method::GET, "/v1/x")
        .header_if_present("X-Some", Some("value-1"))
        .header_if_present("X-None", None)
        .header_if_present("X-Empty", Some(""));
    transport(&server).send_json(request).await.unwrap();

    let received = only_request(&server).await;
    assert_eq!(header(&received, "x-some"), ["value-1"]);
    assert!(!received.headers.contains_key("x-none"));
    assert!(!received.headers.contains_key("x-empty"));
}

#[tokio::test]
async fn request_headers_replace_fixed_headers_of_the_same_name() {
    let server = json_server(json!({})).await;
    let config = config(&server)
        .with_header("X-Fixed", "fixed")
        .unwrap()
        .with_header("X-Replaced", "fixed")
        .unwrap();
    let request = Request::new(Method::GET, "/v1/x")
        .header_if_present("x-replaced", Some("per-request"))
        .header_if_present("User-Agent", Some("per-request-ua"));
    Transport::new(config)
        .unwrap()
        .send_json(request)
        .await
        .unwrap();

    let received = only_request(&server).await;
    assert_eq!(header(&received, "x-fixed"), ["fixed"]);
    assert_eq!(header(&received, "x-replaced"), ["per-request"]);
    assert_eq!(header(&received, "user-agent"), ["per-request-ua"]);
}

#[tokio::test]
async fn form_fields_send_a_urlencoded_body() {
    let server = json_server(json!({"access_token": "tok"})).await;
    let request = Request::new(Method::POST, "/v1/oauth2/token")
        .form_field("grant_type", "client_credentials")
        .form_field("scope", "read write")
        .form_field("missing", &None::<String>)
        .form_field("odd", "é&=+*~")
        .form_field("n", &3);
    transport(&server).send_json(request).await.unwrap();

    let received = only_request(&server).await;
    assert_eq!(
        header(&received, "content-type"),
        ["application/x-www-form-urlencoded"]
    );
    // Expected string printed by node's URLSearchParams.
    assert_eq!(
        body(&received),
        "grant_type=client_credentials&scope=read+write&odd=%C3%A9%26%3D%2B*%7E&n=3"
    );
}

#[tokio::test]
async fn basic_auth_user_agent_and_fixed_headers_are_sent() {
    let server = json_server(json!({})).await;
    let config = config(&server)
        .with_basic_auth("project-test-123", "secret-test-456")
        .with_user_agent("stytch-rust/9.9.9")
        .with_header("X-Sdk-Extra", "extra")
        .unwrap();
    Transport::new(config)
        .unwrap()
        .send_json(Request::new(Method::GET, "/v1/x"))
        .await
        .unwrap();

    let received = only_request(&server).await;
    // base64("project-test-123:secret-test-456"), as node's Buffer prints it.
    assert_eq!(
        header(&received, "authorization"),
        ["Basic cHJvamVjdC10ZXN0LTEyMzpzZWNyZXQtdGVzdC00NTY="]
    );
    assert_eq!(header(&received, "user-agent"), ["stytch-rust/9.9.9"]);
    assert_eq!(header(&received, "x-sdk-extra"), ["extra"]);
    assert_eq!(header(&received, "content-type"), ["application/json"]);
}

#[tokio::test]
async fn an_injected_http_client_is_used() {
    let server = json_server(json!({})).await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-from-client", "yes".parse().unwrap());
    let client = reqwest::Client::builder()
        .default_headers(defaults)
        .build()
        .unwrap();
    let transport = Transport::new(config(&server).with_http_client(client)).unwrap();
    transport
        .send_json(Request::new(Method::GET, "/v1/x"))
        .await
        .unwrap();
    assert_eq!(
        header(&only_request(&server).await, "x-from-client"),
        ["yes"]
    );
}

/// A value whose serialization always fails.
struct Unserializable;

impl Serialize for Unserializable {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("refused to serialize"))
    }
}

#[tokio::test]
async fn serialization_failures_surface_as_encode_errors_without_sending() {
    let server = json_server(json!({})).await;
    let transport = transport(&server);
    let builders: [fn() -> Request; 4] = [
        || Request::new(Method::POST, "/").json(&Unserializable),
        || Request::new(Method::POST, "/").json_field("a", &Unserializable),
        || Request::new(Method::POST, "/").form_field("a", &Unserializable),
        || Request::new(Method::GET, "/").query("a", &Unserializable),
    ];
    for build in builders {
        let err = transport.send_json(build()).await.unwrap_err();
        assert!(
            matches!(&err, Error::Encode(m) if m.contains("refused to serialize")),
            "{err:?}"
        );
    }
    let err = transport
        .send_json(Request::new(Method::GET, "/").header_if_present("bad header", Some("v")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Encode(_)), "{err:?}");
    assert_eq!(request_count(&server).await, 0);
}
