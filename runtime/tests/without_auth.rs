//! `Request::without_auth`: the configured basic credentials are left out, everything else is
//! sent as usual.

mod common;

use npm_sdk_runtime::{Method, Request, Transport};
use common::{body, config, header, json_server, only_request};
use serde_json::{Value, json};

#[tokio::test]
async fn without_auth_drops_only_the_configured_authorization_header() {
    let server = json_server(json!({"ok": true})).await;
    let transport = Transport::new(
        config(&server)
            .with_basic_auth("project-test-1", "secret-test-1")
            .with_user_agent("sdk/1.0")
            .with_header("X-Fixed", "kept")
            .unwrap(),
    )
    .unwrap();

    let request = Request::new(Method::POST, "/v1/public/p/oauth2/token")
        .form_field("client_id", "id")
        .without_auth();
    let _: Value = transport.send(request).await.unwrap();
    let received = only_request(&server).await;
    assert!(header(&received, "authorization").is_empty());
    assert_eq!(header(&received, "user-agent"), ["sdk/1.0"]);
    assert_eq!(header(&received, "x-fixed"), ["kept"]);
    assert_eq!(
        header(&received, "content-type"),
        ["application/x-www-form-urlencoded"]
    );
    assert_eq!(body(&received), "client_id=id");
}

#[tokio::test]
async fn requests_keep_the_authorization_header_by_default() {
    let server = json_server(json!({"ok": true})).await;
    let transport = Transport::new(config(&server).with_basic_auth("user", "pass")).unwrap();
    let _: Value = transport
        .send(Request::new(Method::GET, "/v1/x"))
        .await
        .unwrap();
    let received = only_request(&server).await;
    assert_eq!(header(&received, "authorization"), ["Basic dXNlcjpwYXNz"]);
}

#[tokio::test]
async fn a_request_may_still_set_its_own_authorization_header() {
    let server = json_server(json!({"ok": true})).await;
    let transport = Transport::new(config(&server).with_basic_auth("user", "pass")).unwrap();
    let request = Request::new(Method::GET, "/v1/x")
        .without_auth()
        .header_if_present("Authorization", Some("Bearer own-token"));
    let _: Value = transport.send(request).await.unwrap();
    let received = only_request(&server).await;
    assert_eq!(header(&received, "authorization"), ["Bearer own-token"]);
}
