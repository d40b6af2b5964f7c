//! What a hostile or misconfigured server cannot do: receive credentials over plain http,
//! make the client hold an unbounded body, or hide its `Retry-After` and request id.

mod common;

use std::time::{Duration, SystemTime};

use npm_sdk_runtime::{Config, Error, Method, Request, Transport};
use common::{config, request_count, server_with, transport};
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use wiremock::ResponseTemplate;

#[test]
fn every_base_url_must_be_https_whatever_its_case() {
    let https = Config::new("HTTPS://Test.Stytch.com/")
        .unwrap()
        .with_named_base_url("FRAUD", "HttpS://telemetry.stytch.com/")
        .unwrap();
    assert!(Transport::new(https).is_ok());

    for bad in ["http://test.stytch.com/", "HTTP://test.stytch.com/", "ftp://test.stytch.com/", "ws://test.stytch.com/"] {
        let err = Transport::new(Config::new(bad).unwrap()).unwrap_err();
        assert!(matches!(&err, Error::Config(m) if m.contains("must use https")), "{bad}: {err:?}");
        // A named base URL (the fraud one, or any added later) gets the same check.
        let named = Config::new("https://test.stytch.com/").unwrap().with_named_base_url("FRAUD", bad).unwrap();
        let err = Transport::new(named).unwrap_err();
        assert!(matches!(&err, Error::Config(m) if m.contains("\"FRAUD\"") && m.contains("must use https")), "{bad}: {err:?}");
    }
}

#[test]
fn plain_http_needs_the_opt_out_and_a_loopback_host() {
    for local in ["http://127.0.0.1:8080/", "http://localhost:1/", "http://LOCALHOST:1/", "http://[::1]:1/", "http://127.1.2.3/"] {
        let err = Transport::new(Config::new(local).unwrap()).unwrap_err();
        assert!(matches!(&err, Error::Config(m) if m.contains("allow_http_loopback")), "{local}: {err:?}");
        assert!(Transport::new(Config::new(local).unwrap().allow_http_loopback()).is_ok(), "{local}");
    }
    for remote in ["http://test.stytch.com/", "http://10.0.0.1/", "http://localhost.evil.example/", "http://[::2]/"] {
        let config = Config::new(remote).unwrap().allow_http_loopback();
        assert!(matches!(Transport::new(config), Err(Error::Config(_))), "{remote}");
        let named = Config::new("http://127.0.0.1:1/").unwrap().allow_http_loopback().with_named_base_url("FRAUD", remote).unwrap();
        assert!(matches!(Transport::new(named), Err(Error::Config(_))), "{remote}");
    }
}

#[tokio::test]
async fn error_responses_keep_their_headers_retry_after_and_request_id() {
    let server = server_with(
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "120")
            .insert_header("X-Request-Id", "request-id-header-1")
            .insert_header("Set-Cookie", "session=cookie-secret-value")
            .set_body_json(json!({"status_code": 429, "error_type": "too_many_requests"})),
    )
    .await;
    let err = transport(&server).send_json(Request::new(Method::GET, "/v1/x")).await.unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(err.request_id(), Some("request-id-header-1"));
    assert_eq!(err.headers().unwrap()["set-cookie"], "session=cookie-secret-value");
    assert!(!format!("{err:?}").contains("cookie-secret-value"), "{err:?}");
}

#[tokio::test]
async fn a_non_json_error_keeps_its_headers_and_an_http_date_retry_after() {
    let in_two_minutes = SystemTime::now() + Duration::from_secs(120);
    let server = server_with(
        ResponseTemplate::new(503)
            .insert_header("Retry-After", httpdate::fmt_http_date(in_two_minutes).as_str())
            .insert_header("Request-Id", "request-id-header-2")
            .set_body_string("<html>busy</html>"),
    )
    .await;
    let err = transport(&server).send_json(Request::new(Method::GET, "/v1/x")).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    let wait = err.retry_after().expect("an HTTP date is read");
    // The date has a one-second resolution.
    assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120), "{wait:?}");
    assert_eq!(err.request_id(), Some("request-id-header-2"));

    let past = server_with(ResponseTemplate::new(503).insert_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")).await;
    let err = transport(&past).send_json(Request::new(Method::GET, "/")).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::ZERO));
    let junk = server_with(ResponseTemplate::new(503).insert_header("Retry-After", "soon")).await;
    let err = transport(&junk).send_json(Request::new(Method::GET, "/")).await.unwrap_err();
    assert_eq!(err.retry_after(), None);
}

#[tokio::test]
async fn a_body_over_the_announced_cap_is_refused() {
    let server = server_with(ResponseTemplate::new(200).set_body_string(format!("[{}0]", "0,".repeat(600)))).await;
    let capped = Transport::new(config(&server).with_max_response_bytes(1000)).unwrap();
    let err = capped.send_json(Request::new(Method::GET, "/v1/x")).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { status: 200, limit: 1000, .. }), "{err:?}");
    assert_eq!(err.to_string(), "the HTTP 200 response body exceeds the limit of 1000 bytes");
    // At the cap exactly, the body is read.
    let capped = Transport::new(config(&server).with_max_response_bytes(1203)).unwrap();
    assert!(capped.send_json(Request::new(Method::GET, "/v1/x")).await.is_ok());
    assert_eq!(request_count(&server).await, 2);
    assert_eq!(Config::new("https://x.example/").unwrap().max_response_bytes(), 32 * 1024 * 1024);
}

/// A server that sends a chunked body of `sent` bytes, then keeps the connection open forever
/// without ending the body.
async fn endless_chunked_server(sent: usize) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        socket.write_all(head.as_bytes()).await.unwrap();
        let chunk = vec![b' '; 64 * 1024];
        let mut written = 0;
        while written < sent {
            let frame = [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk.clone(), b"\r\n".to_vec()].concat();
            if socket.write_all(&frame).await.is_err() {
                return;
            }
            written += chunk.len();
        }
        std::future::pending::<()>().await;
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn the_cap_is_enforced_while_streaming_an_unannounced_body() {
    // 2 MiB arrive, the body never ends: a client that reads it all waits for the timeout.
    let url = endless_chunked_server(2 * 1024 * 1024).await;
    let config = Config::new(&url)
        .unwrap()
        .allow_http_loopback()
        .with_max_response_bytes(1024 * 1024)
        .with_timeout(Duration::from_secs(20));
    let err = Transport::new(config).unwrap().send_json(Request::new(Method::GET, "/")).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { status: 200, limit: 1_048_576, .. }), "{err:?}");
}
