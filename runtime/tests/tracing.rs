//! The request span: its name and fields, and that it never carries headers,
//! bodies, secrets or tokens.

mod common;

use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex};

use npm_sdk_runtime::{Method, Request, Transport};
use common::{config, json_server};
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A subscriber that writes every span and event, with all their fields, to
/// one shared log.
#[derive(Clone, Default)]
struct Capture {
    log: Arc<Mutex<String>>,
    next_id: Arc<Mutex<u64>>,
}

struct Writer<'a>(&'a mut String);

impl Visit for Writer<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // Only the runtime's own spans and events, not those of hyper.
        metadata.target().starts_with("npm_sdk_runtime")
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut log = self.log.lock().unwrap();
        let _ = write!(
            log,
            "\nspan {} level={}",
            span.metadata().name(),
            span.metadata().level()
        );
        span.record(&mut Writer(&mut log));
        let mut id = self.next_id.lock().unwrap();
        *id += 1;
        Id::from_u64(*id)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut log = self.log.lock().unwrap();
        log.push_str("\nrecord");
        values.record(&mut Writer(&mut log));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut log = self.log.lock().unwrap();
        let _ = write!(log, "\nevent level={}", event.metadata().level());
        event.record(&mut Writer(&mut log));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn one_span_per_request_without_headers_bodies_or_secrets() {
    let server = json_server(json!({"session_token": "response-token-value"})).await;
    let transport = Transport::new(
        config(&server)
            .with_basic_auth("project-test-123", "secret-test-value")
            .with_header("X-Api-Key", "header-secret-value")
            .unwrap(),
    )
    .unwrap();
    let request = Request::new(Method::POST, "/v1/sessions/authenticate")
        .query("q", "query-value")
        .json_field("session_token", "request-token-value")
        .header_if_present("X-Token", Some("request-header-value"));

    let capture = Capture::default();
    let guard = tracing::subscriber::set_default(capture.clone());
    transport.send_json(request).await.unwrap();
    drop(guard);

    let log = capture.log.lock().unwrap().clone();
    assert_eq!(log.matches("\nspan ").count(), 1, "{log}");
    assert!(
        log.contains("span http_request level=INFO method=POST path=/v1/sessions/authenticate"),
        "{log}"
    );
    assert!(log.contains("\nrecord status=200"), "{log}");
    assert!(log.contains("event level=DEBUG"), "{log}");
    assert!(!log.contains("event level=INFO"), "{log}");
    for secret in [
        "secret-test-value",
        "cHJvamVjdC10ZXN0LTEyMz", // base64 of the credentials
        "header-secret-value",
        "query-value",
        "request-token-value",
        "request-header-value",
        "response-token-value",
    ] {
        assert!(!log.contains(secret), "{secret} leaked into: {log}");
    }
}
