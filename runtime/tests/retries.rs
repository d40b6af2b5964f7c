//! The opt-in retry policy, on tokio's paused clock: waits are measured on the
//! virtual clock, so no test really sleeps.

mod common;

use std::time::Duration;

use npm_sdk_runtime::{Config, Method, Request, RetryPolicy, Transport, reqwest};
use serde_json::{Value, json};
use tokio::time::Instant;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering the first `times` requests with `first`, then 200 `{}`.
async fn server_failing(first: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    server
}

/// A transport to `server` retrying with `policy`. It sets no timer of its own (no timeout, no
/// pooled connections to reap), so the paused clock moves only for the retry waits.
fn retrying(server: &MockServer, policy: RetryPolicy) -> Transport {
    Transport::new(without_timers(common::config(server)).with_retry(policy)).expect("transport builds")
}

fn without_timers(config: Config) -> Config {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("client builds");
    config.without_timeout().with_http_client(client)
}

fn quick_policy() -> RetryPolicy {
    RetryPolicy::new()
        .with_min_delay(Duration::from_millis(100))
        .without_jitter()
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.expect("recording is on").len()
}

#[tokio::test(start_paused = true)]
async fn a_429_then_200_succeeds_after_the_backoff() {
    let server = server_failing(ResponseTemplate::new(429), 1).await;
    let started = Instant::now();
    let body: Value = retrying(&server, quick_policy())
        .send(Request::new(Method::GET, "/v1/users"))
        .await
        .expect("the second attempt succeeds");
    assert_eq!(body, json!({"ok": true}));
    assert_eq!(request_count(&server).await, 2);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(100) && waited < Duration::from_secs(1), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn retry_after_replaces_the_backoff() {
    let first = ResponseTemplate::new(503).insert_header("Retry-After", "7");
    let server = server_failing(first, 1).await;
    let started = Instant::now();
    let _: Value = retrying(&server, quick_policy())
        .send(Request::new(Method::GET, "/v1/users"))
        .await
        .expect("the second attempt succeeds");
    assert_eq!(request_count(&server).await, 2);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(7) && waited < Duration::from_secs(8), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn retry_after_ms_is_honoured() {
    let first = ResponseTemplate::new(429).insert_header("retry-after-ms", "2500");
    let server = server_failing(first, 1).await;
    let started = Instant::now();
    let _: Value = retrying(&server, quick_policy())
        .send(Request::new(Method::DELETE, "/v1/users/u-1"))
        .await
        .expect("the second attempt succeeds");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(2500) && waited < Duration::from_secs(3), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_cap_returns_the_response_at_once() {
    let first = ResponseTemplate::new(429).insert_header("Retry-After", "3600");
    let server = server_failing(first, 1).await;
    let error = retrying(&server, quick_policy())
        .send::<Value>(Request::new(Method::GET, "/v1/users"))
        .await
        .expect_err("no retry past the cap");
    assert_eq!(error.status(), Some(429));
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test(start_paused = true)]
async fn post_is_not_retried() {
    let server = server_failing(ResponseTemplate::new(503), 1).await;
    let error = retrying(&server, quick_policy())
        .send::<Value>(Request::new(Method::POST, "/v1/users"))
        .await
        .expect_err("the 503 is returned");
    assert_eq!(error.status(), Some(503));
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test(start_paused = true)]
async fn attempts_stop_at_the_limit_with_growing_waits() {
    let server = server_failing(ResponseTemplate::new(500), 10).await;
    let started = Instant::now();
    let error = retrying(&server, quick_policy().with_max_attempts(3))
        .send::<Value>(Request::new(Method::GET, "/v1/users"))
        .await
        .expect_err("every attempt fails");
    assert_eq!(error.status(), Some(500));
    assert_eq!(request_count(&server).await, 3);
    // 100 ms, then 200 ms: exponential.
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(300) && waited < Duration::from_millis(400), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn client_errors_and_unconfigured_transports_are_not_retried() {
    let server = server_failing(ResponseTemplate::new(404), 1).await;
    let error = retrying(&server, quick_policy())
        .send::<Value>(Request::new(Method::GET, "/v1/users"))
        .await
        .expect_err("a 404 is final");
    assert_eq!(error.status(), Some(404));
    let server = server_failing(ResponseTemplate::new(503), 1).await;
    let error = Transport::new(without_timers(common::config(&server)))
        .expect("transport builds")
        .send::<Value>(Request::new(Method::GET, "/v1/users"))
        .await
        .expect_err("no policy, no retry");
    assert_eq!(error.status(), Some(503));
    assert_eq!(request_count(&server).await, 1);
}
