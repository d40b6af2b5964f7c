//! How responses with error statuses, undecodable bodies, timeouts and
//! connection failures turn into [`Error`]s.

mod common;

use std::time::{Duration, Instant};

use npm_sdk_runtime::{ApiError, Error, Method, Request, Transport};
use common::{config, server_with, transport};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::ResponseTemplate;

#[tokio::test]
async fn the_stytch_error_shape_becomes_an_api_error() {
    let data = json!({
        "status_code": 404,
        "request_id": "request-id-test-1",
        "error_type": "user_not_found",
        "error_message": "User could not be found.",
        "error_url": "https://stytch.com/docs/api/errors/404",
        "error_details": {"field": "user_id"}
    });
    let raw = data.to_string();
    let server = server_with(ResponseTemplate::new(404).set_body_string(raw.clone())).await;
    let err = transport(&server)
        .send_json(Request::new(Method::GET, "/v1/users/nope"))
        .await
        .unwrap_err();

    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(
        **api,
        ApiError {
            status: 404,
            request_id: Some("request-id-test-1".into()),
            error_type: Some("user_not_found".into()),
            error_message: Some("User could not be found.".into()),
            error_url: Some("https://stytch.com/docs/api/errors/404".into()),
            error_details: Some(json!({"field": "user_id"})),
            body: raw,
            headers: api.headers.clone(),
        }
    );
    assert_eq!(err.status(), Some(404));
    assert_eq!(
        err.to_string(),
        "API error: HTTP 404 user_not_found: User could not be found. (request_id: request-id-test-1)"
    );
}

#[tokio::test]
async fn the_oauth2_error_shape_becomes_an_api_error() {
    let data = json!({
        "status_code": 401,
        "request_id": "request-id-test-2",
        "error": "invalid_client",
        "error_description": "Client authentication failed.",
        "error_uri": "https://stytch.com/docs/oauth2",
        "error_details": {"ignored": true}
    });
    let raw = data.to_string();
    let server = server_with(ResponseTemplate::new(401).set_body_string(raw.clone())).await;
    let err = transport(&server)
        .send_json(Request::new(Method::POST, "/v1/oauth2/token").empty_json())
        .await
        .unwrap_err();

    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(
        **api,
        ApiError {
            status: 401,
            request_id: Some("request-id-test-2".into()),
            error_type: Some("invalid_client".into()),
            error_message: Some("Client authentication failed.".into()),
            error_url: Some("https://stytch.com/docs/oauth2".into()),
            error_details: None,
            body: raw,
            headers: api.headers.clone(),
        }
    );
}

#[tokio::test]
async fn status_400_is_an_error_and_the_http_status_wins_over_the_body() {
    let raw = r#"{"status_code":200,"error_type":"weird"}"#;
    let server = server_with(ResponseTemplate::new(400).set_body_string(raw)).await;
    let err = transport(&server)
        .send_json(Request::new(Method::GET, "/"))
        .await
        .unwrap_err();
    let Error::Api(api) = err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(
        (api.status, api.error_type.as_deref(), api.request_id),
        (400, Some("weird"), None)
    );
}

#[tokio::test]
async fn a_non_json_error_body_becomes_an_http_error() {
    let html = "<html><body>502 Bad Gateway</body></html>";
    let server = server_with(ResponseTemplate::new(502).set_body_string(html)).await;
    let err = transport(&server)
        .send_json(Request::new(Method::GET, "/v1/x"))
        .await
        .unwrap_err();
    match err {
        Error::Http { status, body, .. } => assert_eq!((status, body.as_str()), (502, html)),
        other => panic!("expected Error::Http, got {other:?}"),
    }
}

#[tokio::test]
async fn a_json_error_body_that_is_not_an_object_becomes_an_http_error() {
    let server = server_with(ResponseTemplate::new(500).set_body_string(r#"["oops"]"#)).await;
    let err = transport(&server)
        .send_json(Request::new(Method::GET, "/"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Http { status: 500, body, .. } if body == r#"["oops"]"#),
        "{err:?}"
    );
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct UserResponse {
    user: User,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct User {
    user_id: String,
    created_at: String,
}

#[tokio::test]
async fn a_wrongly_typed_field_gives_a_decode_error_with_its_path() {
    let raw = r#"{"user":{"user_id":"user-1","created_at":12345}}"#;
    let server = server_with(ResponseTemplate::new(200).set_body_string(raw)).await;
    let err = transport(&server)
        .send::<UserResponse>(Request::new(Method::GET, "/v1/users/user-1"))
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            status,
            path,
            message,
            body,
        } => {
            assert_eq!(*status, 200);
            assert_eq!(path, "user.created_at");
            assert!(
                message.starts_with("invalid type: integer `12345`"),
                "{message}"
            );
            assert_eq!(body, raw);
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(err.to_string().contains("user.created_at"), "{err}");
}

#[tokio::test]
async fn a_successful_body_that_is_not_json_gives_a_decode_error() {
    let server = server_with(ResponseTemplate::new(200).set_body_string("not json")).await;
    let err = transport(&server)
        .send_json(Request::new(Method::GET, "/"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { status: 200, path, body, .. } if path == "." && body == "not json"),
        "{err:?}"
    );
}

#[tokio::test]
async fn trailing_characters_after_the_json_body_give_a_decode_error() {
    let server = server_with(ResponseTemplate::new(200).set_body_string("{} {}")).await;
    let err = transport(&server)
        .send::<Value>(Request::new(Method::GET, "/"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { message, .. } if message.contains("trailing")),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_slow_response_times_out() {
    let slow = ResponseTemplate::new(200)
        .set_body_json(json!({}))
        .set_delay(Duration::from_millis(1500));
    let server = server_with(slow).await;
    let transport =
        Transport::new(config(&server).with_timeout(Duration::from_millis(200))).unwrap();
    let started = Instant::now();
    let err = transport
        .send_json(Request::new(Method::GET, "/v1/slow"))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(1200),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.status(), None);
}

#[tokio::test]
async fn the_timeout_also_applies_to_an_injected_client() {
    let slow = ResponseTemplate::new(200)
        .set_body_json(json!({}))
        .set_delay(Duration::from_millis(1500));
    let server = server_with(slow).await;
    let config = config(&server)
        .with_http_client(npm_sdk_runtime::reqwest::Client::new())
        .with_timeout(Duration::from_millis(200));
    let err = Transport::new(config)
        .unwrap()
        .send_json(Request::new(Method::GET, "/"))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_without_the_query() {
    // Bind then drop a listener to get a local port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = npm_sdk_runtime::Config::new(&format!("http://127.0.0.1:{port}"))
        .unwrap()
        .allow_http_loopback();
    let request = Request::new(Method::GET, "/v1/x").query("token", "query-secret-token");
    let err = Transport::new(config)
        .unwrap()
        .send_json(request)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(!err.is_timeout());
    assert!(
        !format!("{err} {err:?}").contains("query-secret-token"),
        "{err:?}"
    );
}

#[tokio::test]
async fn null_members_decode_as_absent() {
    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(default)]
    struct Name {
        first: String,
    }
    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(default)]
    struct User {
        id: String,
        name: Name,
        nickname: Option<String>,
        tags: Vec<String>,
    }
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_string(
            r#"{"id":"u1","name":null,"nickname":null,"tags":null,"extra":{"x":null}}"#,
        ))
        .mount(&server)
        .await;
    let transport = npm_sdk_runtime::Transport::new(npm_sdk_runtime::Config::new(&server.uri()).unwrap().allow_http_loopback()).unwrap();
    let user: User = transport.send(npm_sdk_runtime::Request::new(npm_sdk_runtime::Method::GET, "/u")).await.unwrap();
    assert_eq!((user.id.as_str(), user.name.first.as_str(), user.nickname, user.tags.len()), ("u1", "", None, 0));
    let raw = transport.send_json(npm_sdk_runtime::Request::new(npm_sdk_runtime::Method::GET, "/u")).await.unwrap();
    assert!(raw["name"].is_null() && raw.as_object().unwrap().contains_key("name"), "send_json keeps nulls");
}
