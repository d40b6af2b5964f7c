//! The Stainless client runtime: credentials per scheme, `baseURL + path`, the JS client's
//! retries (on tokio's paused clock), query strings, and pages followed by their cursor rule.

use std::time::Duration;

use npm_sdk_runtime::stainless::{ApiClient, ClientOptions, Cursor, CursorFrom, Defaults, Fields, PageRule, Scheme};
use npm_sdk_runtime::{Error, Method, Request, reqwest};
use futures_util::StreamExt as _;
use serde_json::{Value, json};
use tokio::time::Instant;
use wiremock::matchers::{any, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const DEFAULTS: Defaults = Defaults {
    client: "Example",
    base_url: "https://api.example.test/v1",
    base_url_env: Some("EXAMPLE_BASE_URL"),
    schemes: &[
        Scheme { name: "bearerAuth", option: "apiKey", env: Some("EXAMPLE_API_KEY") },
        Scheme { name: "adminAPIKeyAuth", option: "adminAPIKey", env: Some("EXAMPLE_ADMIN_KEY") },
    ],
};

/// A client of `server` under `/v1` with the user key only, and no timers of its own (no
/// timeout, no pooled connections to reap), so a paused clock moves only for retry waits.
fn client(server: &MockServer) -> ApiClient {
    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let options = ClientOptions::new(DEFAULTS)
        .with_base_url(format!("{}/v1", server.uri()))
        .with_token("apiKey", "sk-user")
        .allow_http_loopback()
        .without_timeout()
        .with_http_client(http);
    ApiClient::new(options).unwrap()
}

async fn failing_then_ok(first: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(first).up_to_n_times(times).mount(&server).await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true}))).mount(&server).await;
    server
}

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true}))).mount(&server).await;
    server
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn the_base_urls_path_is_kept_and_the_calls_scheme_gives_the_token() {
    let server = ok_server().await;
    let c = client(&server);
    let _: Value = c.send(Request::new(Method::GET, "/batches"), &["bearerAuth"]).await.unwrap();
    let got = requests(&server).await;
    assert_eq!(got[0].url.path(), "/v1/batches");
    assert_eq!(got[0].headers.get("authorization").unwrap(), "Bearer sk-user");
    // The admin scheme has no token: refused before anything is sent.
    let err = c.send::<Value>(Request::new(Method::GET, "/organization/users"), &["adminAPIKeyAuth"]).await.unwrap_err();
    assert!(matches!(err, Error::Config(ref m) if m.contains("adminAPIKeyAuth")), "{err}");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_post_is_retried_after_a_409_with_the_backoff() {
    let server = failing_then_ok(ResponseTemplate::new(409), 1).await;
    let started = Instant::now();
    let body: Value = client(&server).send(Request::new(Method::POST, "/batches").json(&json!({})), &["bearerAuth"]).await.unwrap();
    assert_eq!(body, json!({"ok": true}));
    assert_eq!(requests(&server).await.len(), 2);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(500) && waited <= Duration::from_millis(1000), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn retry_after_ms_replaces_the_backoff() {
    let server = failing_then_ok(ResponseTemplate::new(429).insert_header("retry-after-ms", "250"), 1).await;
    let started = Instant::now();
    let _: Value = client(&server).send(Request::new(Method::GET, "/x"), &[]).await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(250) && waited < Duration::from_millis(500), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn two_retries_then_the_last_error_and_never_when_the_server_says_no() {
    let server = failing_then_ok(ResponseTemplate::new(500).set_body_json(json!({"error": {"message": "boom"}})), 10).await;
    let err = client(&server).send::<Value>(Request::new(Method::GET, "/x"), &[]).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(requests(&server).await.len(), 3);

    let server = failing_then_ok(ResponseTemplate::new(503).insert_header("x-should-retry", "false"), 1).await;
    assert_eq!(client(&server).send::<Value>(Request::new(Method::GET, "/x"), &[]).await.unwrap_err().status(), Some(503));
    assert_eq!(requests(&server).await.len(), 1);

    let server = failing_then_ok(ResponseTemplate::new(400), 1).await;
    assert_eq!(client(&server).send::<Value>(Request::new(Method::GET, "/x"), &[]).await.unwrap_err().status(), Some(400));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn the_query_is_written_as_qs_with_brackets_and_js_numbers() {
    let server = ok_server().await;
    let params = json!({"limit": 20.0, "include": ["a b", "c"], "metadata": {"k": "v"}, "path_id": "x", "none": null});
    let request = npm_sdk_runtime::stainless::query(Request::new(Method::GET, "/list"), &params, Fields::Without(&["path_id"]));
    let _: Value = client(&server).send(request, &[]).await.unwrap();
    let url = &requests(&server).await[0].url;
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let expected = [("include[]", "a b"), ("include[]", "c"), ("limit", "20"), ("metadata[k]", "v"), ("none", "")];
    assert_eq!(pairs, expected.map(|(k, v)| (k.to_string(), v.to_string())));
}

#[tokio::test]
async fn a_json_body_writes_integral_numbers_as_javascript_does() {
    let server = ok_server().await;
    let body = json!({"n": 2.0, "f": 0.5, "keep": "x", "drop": "y"});
    let request = npm_sdk_runtime::stainless::json_body(Request::new(Method::POST, "/b"), &body, Fields::Only(&["n", "f", "keep"]));
    let _: Value = client(&server).send(request, &[]).await.unwrap();
    assert_eq!(String::from_utf8(requests(&server).await[0].body.clone()).unwrap(), r#"{"f":0.5,"keep":"x","n":2}"#);
}

static CURSOR_PAGE: PageRule = PageRule {
    items: "data",
    has_more: Some("has_more"),
    cursor: Some(Cursor { from: CursorFrom::LastItem("id"), query: "after" }),
};

#[tokio::test]
async fn a_page_streams_every_item_following_the_cursor() {
    let server = MockServer::start().await;
    let first = json!({"data": [{"id": "a"}, {"id": "b"}], "has_more": true});
    let last = json!({"data": [{"id": "c"}], "has_more": false});
    Mock::given(method("GET")).and(path("/v1/items")).and(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(first)).mount(&server).await;
    Mock::given(method("GET")).and(path("/v1/items")).and(query_param("after", "b"))
        .respond_with(ResponseTemplate::new(200).set_body_json(last)).mount(&server).await;
    let request = Request::new(Method::GET, "/items").query("limit", &2);
    let page = client(&server).page::<Value>(request, &["bearerAuth"], &CURSOR_PAGE).await.unwrap();
    assert_eq!(page.items().len(), 2);
    assert!(page.has_next_page());
    let ids: Vec<String> = page.into_stream().map(|item| item.unwrap()["id"].as_str().unwrap().to_string()).collect().await;
    assert_eq!(ids, ["a", "b", "c"]);
    let got = requests(&server).await;
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].url.query(), Some("limit=2&after=b"));
}

#[test]
fn from_env_reads_the_packages_variables() {
    // The only test touching these variables (tests run in parallel in one process).
    unsafe {
        std::env::set_var("EXAMPLE_BASE_URL", " https://proxy.example.test/v2 ");
        std::env::set_var("EXAMPLE_API_KEY", "sk-env");
        std::env::remove_var("EXAMPLE_ADMIN_KEY");
    }
    let options = format!("{:?}", ClientOptions::from_env(DEFAULTS));
    assert!(options.contains("https://proxy.example.test/v2") && options.contains("[\"apiKey\"]"), "{options}");
    assert!(!options.contains("sk-env"), "tokens are never shown: {options}");
}
