//! Using the SDK as an application would: building clients and requests.

use std::time::Duration;

use serde_json::json;
use stytch_generated::b2b::organizations_members as members;
use stytch_generated::b2c::{magic_links_email, passwords, users};
use stytch_generated::ext::config::{LIVE_BASE_URL, TEST_BASE_URL};
use stytch_generated::ext::{ClientConfig, Environment};
use stytch_generated::{B2BClient, Client, Error};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TEST_PROJECT: &str = "project-test-6c20cd16-73d5-44f7-852c-9a7e7b2ccf62";
const LIVE_PROJECT: &str = "project-live-0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a";
const SECRET: &str = "secret-test-ZqUcgHbVgSeXvDM2ZfnNEYLQjXrWqHf08X4=";
const USER_ID: &str = "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6";

fn base_url_of(client: &Client) -> String {
    client.transport().config().base_url().to_string()
}

fn b2b_base_url_of(client: &B2BClient) -> String {
    client.transport().config().base_url().to_string()
}

#[tokio::test]
async fn requests_need_only_their_required_fields() {
    let server = MockServer::start().await;
    let client =
        Client::with_config(ClientConfig::new(TEST_PROJECT, SECRET).env(Environment::Custom(server.uri())).allow_http_loopback()).unwrap();
    let b2b =
        B2BClient::with_config(ClientConfig::new(TEST_PROJECT, SECRET).env(Environment::Custom(server.uri())).allow_http_loopback()).unwrap();

    // Only the fields that were set go on the wire: every optional field left at its default
    // (`None`) is omitted, as JSON.stringify drops `undefined`.
    Mock::given(method("POST"))
        .and(path("/v1/passwords/authenticate"))
        .and(body_json(json!({ "email": "ada@example.com", "password": "correct-horse-battery-staple-1843" })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "status_code": 200, "user_id": USER_ID })))
        .expect(1)
        .mount(&server)
        .await;
    let res = client
        .passwords
        .authenticate(&passwords::PasswordsAuthenticateRequest::new("ada@example.com", "correct-horse-battery-staple-1843"))
        .await
        .unwrap();
    assert_eq!(res.user_id, USER_ID);

    // A request type whose fields are all optional: `Default::default()` alone.
    Mock::given(method("POST"))
        .and(path("/v1/users"))
        .and(body_json(json!({})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "status_code": 200, "user_id": USER_ID })))
        .expect(1)
        .mount(&server)
        .await;
    client.users.create(&users::UsersCreateRequest::default()).await.unwrap();

    Mock::given(method("POST"))
        .and(path("/v1/magic_links/email/login_or_create"))
        .and(body_json(json!({ "email": "ada@example.com" })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "status_code": 200, "user_created": false })))
        .expect(1)
        .mount(&server)
        .await;
    let res = client
        .magic_links
        .email
        .login_or_create(&magic_links_email::MagicLinksEmailLoginOrCreateRequest::new("ada@example.com"))
        .await
        .unwrap();
    assert!(!res.user_created);

    // A subset body with nothing set is `{}`, and `None` options send no authorization headers.
    Mock::given(method("PUT"))
        .and(path("/v1/b2b/organizations/organization-test-1/members/member-test-1"))
        .and(body_json(json!({})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "status_code": 200, "member_id": "member-test-1" })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let res = b2b
        .organizations
        .members
        .update(
            &members::B2BOrganizationsMembersUpdateRequest::new("organization-test-1", "member-test-1"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(res.member_id, "member-test-1");
    let received = server.received_requests().await.unwrap();
    assert!(
        received.iter().all(|r| !r.headers.contains_key("x-stytch-member-session")
            && !r.headers.contains_key("x-stytch-member-sessionjwt"))
    );
    server.verify().await;
}

#[test]
fn the_project_id_prefix_chooses_test_or_live() {
    // As the JS BaseClient: `project-live-` is live, anything else is test.
    assert_eq!(ClientConfig::new(TEST_PROJECT, SECRET).base_url(), TEST_BASE_URL);
    assert_eq!(ClientConfig::new(LIVE_PROJECT, SECRET).base_url(), LIVE_BASE_URL);
    assert_eq!(ClientConfig::new("project-staging-1234", SECRET).base_url(), TEST_BASE_URL);
    assert_eq!(TEST_BASE_URL, "https://test.stytch.com/");
    assert_eq!(LIVE_BASE_URL, "https://api.stytch.com/");

    // The built clients use it.
    assert_eq!(base_url_of(&Client::new(TEST_PROJECT, SECRET).unwrap()), "https://test.stytch.com/");
    assert_eq!(base_url_of(&Client::new(LIVE_PROJECT, SECRET).unwrap()), "https://api.stytch.com/");
    assert_eq!(b2b_base_url_of(&B2BClient::new(TEST_PROJECT, SECRET).unwrap()), "https://test.stytch.com/");
    assert_eq!(b2b_base_url_of(&B2BClient::new(LIVE_PROJECT, SECRET).unwrap()), "https://api.stytch.com/");

    // An explicit environment overrides the prefix; a custom base URL wins over both and gets a
    // trailing slash.
    assert_eq!(ClientConfig::new(LIVE_PROJECT, SECRET).env(Environment::Test).base_url(), TEST_BASE_URL);
    let custom =
        ClientConfig::new(LIVE_PROJECT, SECRET).env(Environment::Test).custom_base_url("https://auth.acme.example");
    assert_eq!(custom.base_url(), "https://auth.acme.example/");
    assert_eq!(base_url_of(&Client::with_config(custom).unwrap()), "https://auth.acme.example/");
}

#[tokio::test]
async fn client_new_sends_to_the_chosen_environment_with_basic_auth() {
    // `Environment::Custom` stands in for test/live so the request can be observed.
    let server = MockServer::start().await;
    // base64("project-test-…:secret-test-…")
    let basic = "Basic cHJvamVjdC10ZXN0LTZjMjBjZDE2LTczZDUtNDRmNy04NTJjLTlhN2U3YjJjY2Y2MjpzZWNyZXQtdGVzdC1acVVjZ0hiVmdTZVh2RE0yWmZuTkVZTFFqWHJXcUhmMDhYND0=";
    Mock::given(method("GET"))
        .and(path("/v1/debug/whoami"))
        .and(header("authorization", basic))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "request_id": "request-id-test-1",
            "status_code": 200,
            "project_id": TEST_PROJECT,
            "name": "Acme (test)"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client =
        Client::with_config(ClientConfig::new(TEST_PROJECT, SECRET).env(Environment::Custom(server.uri())).allow_http_loopback()).unwrap();
    let res = client.debug.whoami().await.unwrap();
    assert_eq!(res.project_id, TEST_PROJECT);
    let ua = server.received_requests().await.unwrap()[0].headers["user-agent"].to_str().unwrap().to_owned();
    assert!(ua.starts_with("stytch-rust/"), "{ua}");
}

/// The `Error::Config` message of a client built from `config`, which must fail.
fn config_error(config: ClientConfig) -> String {
    match Client::with_config(config.clone()) {
        Err(Error::Config(message)) => {
            assert!(matches!(B2BClient::with_config(config), Err(Error::Config(_))));
            message
        }
        other => panic!("expected Error::Config, got {other:?}"),
    }
}

#[test]
fn every_base_url_must_be_https() {
    for url in ["http://auth.acme.example", "http://localhost:8080/", "auth.acme.example", "ftp://auth.acme.example"] {
        let message = config_error(ClientConfig::new(TEST_PROJECT, SECRET).custom_base_url(url));
        assert!(message.contains("https") || message.contains("invalid base URL"), "{url}: {message}");
        // The fraud base URL receives the project secret too.
        let message = config_error(ClientConfig::new(TEST_PROJECT, SECRET).fraud_base_url(url));
        assert!(message.contains("\"FRAUD\"") || message.contains("invalid base URL"), "{url}: {message}");
        let message = config_error(ClientConfig::new(TEST_PROJECT, SECRET).env(Environment::Custom(url.into())));
        assert!(message.contains("https") || message.contains("invalid base URL"), "{url}: {message}");
    }
    // The scheme is compared case-insensitively.
    for url in ["https://auth.acme.example", "HTTPS://auth.acme.example", "Https://auth.acme.example/"] {
        let config = ClientConfig::new(TEST_PROJECT, SECRET).custom_base_url(url).fraud_base_url(url);
        assert!(Client::with_config(config).is_ok(), "{url}");
    }
    // Plain http only to a loopback host, and only after the explicit opt-out.
    let local = || ClientConfig::new(TEST_PROJECT, SECRET).env(Environment::Custom("http://127.0.0.1:1".into()));
    assert!(config_error(local()).contains("allow_http_loopback"));
    assert!(Client::with_config(local().allow_http_loopback()).is_ok());
    let remote_fraud = local().allow_http_loopback().fraud_base_url("http://telemetry.acme.example");
    assert!(config_error(remote_fraud).contains("\"FRAUD\""));
}

#[test]
fn the_project_id_and_secret_are_required() {
    assert!(matches!(Client::new("", SECRET), Err(Error::Config(m)) if m.contains("project_id")));
    assert!(matches!(Client::new(TEST_PROJECT, ""), Err(Error::Config(m)) if m.contains("secret")));
    assert!(matches!(B2BClient::new("", SECRET), Err(Error::Config(_))));
}

/// Restores environment variables when dropped, even if the test panics.
struct EnvGuard(Vec<(&'static str, Option<std::ffi::OsString>)>);

impl EnvGuard {
    fn set(vars: &[(&'static str, Option<&str>)]) -> EnvGuard {
        let saved = vars.iter().map(|(name, _)| (*name, std::env::var_os(name))).collect();
        for (name, value) in vars {
            // SAFETY: this is the only test in this binary that reads or writes the process
            // environment (the other tests build clients from explicit values), so no other
            // thread accesses it concurrently.
            unsafe {
                match value {
                    Some(v) => std::env::set_var(name, v),
                    None => std::env::remove_var(name),
                }
            }
        }
        EnvGuard(saved)
    }
}

impl Drop for EnvGuard {
    fn drop(&mut self) {
        for (name, value) in &self.0 {
            // SAFETY: as in `EnvGuard::set`.
            unsafe {
                match value {
                    Some(v) => std::env::set_var(name, v),
                    None => std::env::remove_var(name),
                }
            }
        }
    }
}

/// The only test that touches `STYTCH_PROJECT_ID` and `STYTCH_SECRET`.
#[tokio::test]
async fn from_env_reads_the_project_id_and_secret() {
    let server = MockServer::start().await;
    {
        let _guard = EnvGuard::set(&[
            ("STYTCH_PROJECT_ID", Some(LIVE_PROJECT)),
            ("STYTCH_SECRET", Some("secret-live-envvar-4f3e2d1c")),
        ]);

        let client = Client::from_env().expect("both variables are set");
        assert_eq!(base_url_of(&client), LIVE_BASE_URL, "a live project id picks the live API");
        assert_eq!(client.transport().config().username(), Some(LIVE_PROJECT));
        let b2b = B2BClient::from_env().unwrap();
        assert_eq!(b2b_base_url_of(&b2b), LIVE_BASE_URL);

        // The secret from the environment is what goes into the Basic auth header.
        let config = ClientConfig::from_env().unwrap().env(Environment::Custom(server.uri())).allow_http_loopback();
        assert_eq!(config.project_id(), LIVE_PROJECT);
        // base64("project-live-…:secret-live-envvar-4f3e2d1c")
        Mock::given(method("GET"))
            .and(path("/v1/projects/metrics"))
            .and(header(
                "authorization",
                "Basic cHJvamVjdC1saXZlLTBkOWM4YjdhLTZmNWUtNGQzYy05YjJhLTFmMGU5ZDhjN2I2YTpzZWNyZXQtbGl2ZS1lbnZ2YXItNGYzZTJkMWM=",
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "request_id": "request-id-test-2",
                "status_code": 200,
                "project_id": LIVE_PROJECT,
                "metrics": []
            })))
            .expect(1)
            .mount(&server)
            .await;
        let res = Client::with_config(config).unwrap().project.metrics().await.unwrap();
        assert_eq!(res.project_id, LIVE_PROJECT);
    }
    {
        let _guard = EnvGuard::set(&[("STYTCH_PROJECT_ID", Some(TEST_PROJECT)), ("STYTCH_SECRET", None)]);
        match Client::from_env() {
            Err(Error::Config(message)) => assert!(message.contains("STYTCH_SECRET"), "{message}"),
            other => panic!("expected Error::Config, got {other:?}"),
        }
    }
    {
        let _guard = EnvGuard::set(&[("STYTCH_PROJECT_ID", None), ("STYTCH_SECRET", Some(SECRET))]);
        match B2BClient::from_env() {
            Err(Error::Config(message)) => assert!(message.contains("STYTCH_PROJECT_ID"), "{message}"),
            other => panic!("expected Error::Config, got {other:?}"),
        }
    }
    server.verify().await;
}

#[test]
fn clients_are_send_sync_clone_and_static() {
    fn assert_shareable<T: Send + Sync + Clone + 'static>() {}
    assert_shareable::<Client>();
    assert_shareable::<B2BClient>();
    assert_shareable::<ClientConfig>();
    assert_shareable::<stytch_generated::Transport>();
    // Sub-clients can be handed around on their own.
    assert_shareable::<stytch_generated::b2c::users::Users>();
    assert_shareable::<stytch_generated::b2b::organizations_members::Members>();
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error>();
}

#[tokio::test]
async fn calls_can_run_on_spawned_tasks() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/users/{USER_ID}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "status_code": 200, "user_id": USER_ID })))
        .expect(4)
        .mount(&server)
        .await;
    let client =
        Client::with_config(ClientConfig::new(TEST_PROJECT, SECRET).env(Environment::Custom(server.uri())).allow_http_loopback()).unwrap();
    // The futures are `Send`, so a cloned client works from `tokio::spawn`.
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.users.get(&users::UsersGetRequest::new(USER_ID)).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().user_id, USER_ID);
    }
    server.verify().await;
}

#[test]
fn debug_output_never_shows_the_secret() {
    let secret = "secret-live-DO-NOT-LOG-9f8e7d6c5b4a";
    let config = ClientConfig::new(LIVE_PROJECT, secret).timeout(Duration::from_secs(30));
    let shown = format!("{config:?}");
    assert!(!shown.contains(secret), "{shown}");
    assert!(shown.contains(LIVE_PROJECT), "the project id is not secret: {shown}");
    let pretty = format!("{config:#?}");
    assert!(!pretty.contains(secret), "{pretty}");

    // Nor does the Debug output of the clients built from it, which hold the Basic auth header.
    let encoded_credentials = "cHJvamVjdC1saXZl"; // base64 of "project-live", the header's prefix
    for shown in [
        format!("{:?}", Client::with_config(config.clone()).unwrap()),
        format!("{:?}", B2BClient::with_config(config).unwrap()),
    ] {
        assert!(!shown.contains(secret), "{shown}");
        assert!(!shown.contains(encoded_credentials), "{shown}");
    }
}

#[tokio::test]
async fn a_slow_response_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/debug/whoami"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "status_code": 200 })).set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = Client::with_config(
        ClientConfig::new(TEST_PROJECT, SECRET)
            .env(Environment::Custom(server.uri())).allow_http_loopback()
            .timeout(Duration::from_millis(100)),
    )
    .unwrap();
    let err = client.debug.whoami().await.expect_err("the response is too slow");
    assert!(err.is_timeout(), "{err:?}");
}
