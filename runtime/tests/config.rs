//! Configuration checks, redaction of secrets, and thread-safety of the
//! public types.

use npm_sdk_runtime::{Config, Error, Method, Request, Transport};

const SECRET: &str = "secret-test-do-not-print";

#[test]
fn debug_output_never_shows_the_password_or_header_values() {
    let config = Config::new("https://test.stytch.com/")
        .unwrap()
        .with_basic_auth("project-test-123", SECRET)
        .with_header("X-Api-Key", "header-secret-value")
        .unwrap();
    let debug = format!("{config:?} {config:#?}");
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(!debug.contains("header-secret-value"), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
    assert!(debug.contains("project-test-123"), "{debug}");
    assert!(debug.contains("x-api-key"), "{debug}");

    let transport = Transport::new(config).unwrap();
    let debug = format!("{transport:?} {transport:#?}");
    assert!(!debug.contains(SECRET), "{debug}");
    // Nor the base64 form of the credentials.
    assert!(!debug.contains("cHJvamVjdC10ZXN0LTEyMz"), "{debug}");
}

#[test]
fn transport_and_requests_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Transport>();
    assert_send_sync::<Config>();
    assert_send_sync::<Request>();
    assert_send_sync::<Error>();
}

#[test]
fn send_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let transport =
        Transport::new(Config::new("http://127.0.0.1:1").unwrap().allow_http_loopback()).unwrap();
    let future = transport.send::<serde_json::Value>(Request::new(Method::GET, "/"));
    assert_send(&future);
    let future = transport.send_json(Request::new(Method::GET, "/"));
    assert_send(&future);
}

#[test]
fn unparsable_base_urls_are_config_errors() {
    for bad in [
        "",
        "not a url",
        "/relative/path",
        "mailto:someone@example.com",
    ] {
        assert!(matches!(Config::new(bad), Err(Error::Config(_))), "{bad:?}");
        let config = Config::new("http://127.0.0.1:1").unwrap();
        assert!(
            matches!(
                config.with_named_base_url("FRAUD", bad),
                Err(Error::Config(_))
            ),
            "{bad:?}"
        );
    }
}

#[test]
fn invalid_fixed_headers_are_config_errors() {
    let config = || Config::new("http://127.0.0.1:1").unwrap().allow_http_loopback();
    assert!(matches!(
        config().with_header("bad name", "v"),
        Err(Error::Config(_))
    ));
    assert!(matches!(
        config().with_header("x-ok", "line\nbreak"),
        Err(Error::Config(_))
    ));
    assert!(matches!(
        Transport::new(config().with_user_agent("ua\r\nInjected: 1")),
        Err(Error::Config(_))
    ));
}

#[test]
fn accessors_return_what_was_configured() {
    let config = Config::new("https://test.stytch.com")
        .unwrap()
        .with_named_base_url("FRAUD", "https://telemetry.stytch.com/base/")
        .unwrap();
    let transport = Transport::new(config).unwrap();
    assert_eq!(
        transport.config().base_url().as_str(),
        "https://test.stytch.com/"
    );
    assert_eq!(
        transport
            .config()
            .named_base_url("FRAUD")
            .map(|u| u.as_str()),
        Some("https://telemetry.stytch.com/base/")
    );
    assert!(transport.config().named_base_url("OTHER").is_none());
}

#[test]
fn extensions_are_found_by_type_and_shared_by_clones() {
    #[derive(Debug, PartialEq)]
    struct Cache(u32);
    let config = npm_sdk_runtime::Config::new("https://api.example.com/").unwrap().with_extension(Cache(7));
    let transport = npm_sdk_runtime::Transport::new(config).unwrap();
    let clone = transport.clone();
    assert_eq!(clone.config().extension::<Cache>(), Some(&Cache(7)));
    assert_eq!(clone.config().extension::<String>(), None);
    assert!(std::ptr::eq(transport.config().extension::<Cache>().unwrap(), clone.config().extension::<Cache>().unwrap()));
}
