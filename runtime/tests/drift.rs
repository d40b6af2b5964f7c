//! Drift in sight: strict decoding fails with the path of a missing required field, and unknown
//! fields stay reachable (the `debug` event: tests/drift_event.rs, alone in its binary).

mod common;

use npm_sdk_runtime::{Error, Method, Request, Transport};
use common::{Session, config, drifted, json_server};
use serde_json::json;

#[tokio::test]
async fn strict_decoding_fails_with_the_path() {
    let server = json_server(drifted()).await;
    let transport = Transport::new(config(&server).strict_decoding()).unwrap();
    let error = transport.send_checked::<Session>(Request::new(Method::GET, "/s")).await.unwrap_err();
    let Error::Decode { status, path, message, body } = &error else { panic!("{error:?}") };
    assert_eq!((*status, path.as_str()), (200, "user.is_admin"));
    assert_eq!(message, "required field missing at user.is_admin; unknown field at user.nickname");
    assert!(body.contains("nickname"), "{body}");

    // A body that matches its type decodes as usual, `null` optional fields included.
    let server = json_server(json!({"session_id": "s2", "user": {"user_id": "u2", "is_admin": true}, "expires_at": null})).await;
    let transport = Transport::new(config(&server).strict_decoding()).unwrap();
    let session: Session = transport.send_checked(Request::new(Method::GET, "/s")).await.unwrap();
    assert!(session.user.is_admin);
}

#[tokio::test]
async fn without_a_listener_or_strict_mode_nothing_is_compared() {
    let server = json_server(drifted()).await;
    let transport = Transport::new(config(&server)).unwrap();
    let session: Session = transport.send_checked(Request::new(Method::GET, "/s")).await.unwrap();
    assert_eq!(session.session_id, "s1");
    assert!(!transport.config().is_strict_decoding());
}

#[tokio::test]
async fn unknown_fields_stay_reachable_in_the_captured_body() {
    let server = json_server(drifted()).await;
    let transport = Transport::new(config(&server)).unwrap();
    let (session, bodies) = npm_sdk_runtime::raw::capture(async {
        let first: Session = transport.send_checked(Request::new(Method::GET, "/s")).await?;
        let second: Session = transport.send(Request::new(Method::GET, "/s")).await?;
        Ok::<_, Error>((first, second))
    })
    .await;
    let (first, _) = session.unwrap();
    assert_eq!(first.session_id, "s1");
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0]["user"]["nickname"], "kit");
    // As received: `null` members are still there.
    assert!(bodies[1]["expires_at"].is_null() && bodies[1].as_object().unwrap().contains_key("expires_at"));
    // Outside a capture nothing is kept.
    let _: Session = transport.send(Request::new(Method::GET, "/s")).await.unwrap();
}
