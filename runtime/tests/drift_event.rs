//! A response that lacks a required field and holds an unknown one decodes leniently and says
//! so in one `debug` event naming both paths, once per type. Alone in its test binary: tracing
//! caches whether a callsite is enabled, and a test on another thread without a subscriber
//! could have it cached as disabled.

mod common;

use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex};

use npm_sdk_runtime::{Method, Request, Transport, drift};
use common::{Session, User, config, drifted, json_server};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Collects the drift events, one line each with their fields.
#[derive(Clone, Default)]
struct Capture {
    events: Arc<Mutex<Vec<String>>>,
}

struct Writer<'a>(&'a mut String);

impl Visit for Writer<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target() == drift::TARGET
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut line = format!("level={}", event.metadata().level());
        event.record(&mut Writer(&mut line));
        self.events.lock().unwrap().push(line);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn one_debug_event_names_both_paths_once_per_type() {
    let server = json_server(drifted()).await;
    let transport = Transport::new(config(&server)).unwrap();
    let capture = Capture::default();
    let guard = tracing::subscriber::set_default(capture.clone());
    for _ in 0..3 {
        let session: Session = transport.send_checked(Request::new(Method::GET, "/s")).await.unwrap();
        assert_eq!(session.user, User { user_id: "u1".into(), is_admin: false });
    }
    drop(guard);

    let events = capture.events.lock().unwrap().clone();
    assert_eq!(events.len(), 1, "{events:#?}");
    let event = &events[0];
    assert!(event.starts_with("level=DEBUG"), "{event}");
    assert!(event.contains(r#"missing=["user.is_admin"]"#), "{event}");
    assert!(event.contains(r#"unknown=["user.nickname"]"#), "{event}");
    assert!(event.contains("common::Session"), "{event}");
}
