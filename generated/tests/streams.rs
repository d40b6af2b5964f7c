//! `_stream` methods page through cursor-paginated endpoints: every item of every page, each
//! page sent as the operation itself sends it, the cursor taken from the previous page.

use std::pin::pin;

use futures_util::{StreamExt as _, TryStreamExt as _};
use serde_json::json;
use stytch_generated::b2b::scim_connection::{B2BSCIMConnectionGetGroupsRequest, B2BSCIMConnectionGetGroupsRequestOptions};
use stytch_generated::b2c::users::UsersSearchRequest;
use stytch_generated::ext::{ClientConfig, Environment};
use stytch_generated::shared::method_options::Authorization;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn config(server: &MockServer) -> ClientConfig {
    ClientConfig::new("project-test-1", "secret").env(Environment::Custom(server.uri())).allow_http_loopback()
}

fn users_page(ids: &[&str], next: Option<&str>) -> serde_json::Value {
    let users: Vec<_> = ids.iter().map(|id| json!({"user_id": id, "status": "active"})).collect();
    json!({"request_id": "r", "status_code": 200, "results": users, "results_metadata": {"total": 4, "next_cursor": next}})
}

/// Answers one `POST /v1/users/search` whose body is `body`, once.
async fn users_search(server: &MockServer, body: serde_json::Value, page: serde_json::Value) {
    Mock::given(method("POST"))
        .and(path("/v1/users/search"))
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn search_stream_follows_the_cursor_through_every_page() {
    let server = MockServer::start().await;
    users_search(&server, json!({"limit": 2}), users_page(&["u1", "u2"], Some("c1"))).await;
    // An empty page in the middle does not end the stream; only a missing cursor does.
    users_search(&server, json!({"limit": 2, "cursor": "c1"}), users_page(&[], Some("c2"))).await;
    users_search(&server, json!({"limit": 2, "cursor": "c2"}), users_page(&["u3", "u4"], None)).await;
    let client = stytch_generated::Client::with_config(config(&server)).unwrap();

    let users = client.users.search_stream(UsersSearchRequest { limit: Some(2), ..Default::default() });
    let ids: Vec<String> = users.map_ok(|u| u.user_id).try_collect().await.unwrap();
    assert_eq!(ids, ["u1", "u2", "u3", "u4"]);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_items_before_it() {
    let server = MockServer::start().await;
    users_search(&server, json!({}), users_page(&["u1"], Some("c1"))).await;
    Mock::given(method("POST"))
        .and(path("/v1/users/search"))
        .and(body_json(json!({"cursor": "c1"})))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({"status_code": 429, "error_type": "too_many_requests", "error_message": "slow down"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = stytch_generated::Client::with_config(config(&server)).unwrap();

    let mut users = pin!(client.users.search_stream(UsersSearchRequest::default()));
    assert_eq!(users.next().await.unwrap().unwrap().user_id, "u1");
    assert_eq!(users.next().await.unwrap().unwrap_err().status(), Some(429));
    assert!(users.next().await.is_none());
}

#[tokio::test]
async fn a_top_level_cursor_and_the_options_go_with_every_page() {
    let server = MockServer::start().await;
    let groups = |ids: &[&str], next: Option<&str>| {
        let groups: Vec<_> = ids.iter().map(|id| json!({"group_id": id, "group_name": id, "organization_id": "o", "connection_id": "c"})).collect();
        json!({"status_code": 200, "scim_groups": groups, "next_cursor": next})
    };
    let get = || Mock::given(method("GET")).and(path("/v1/b2b/scim/org-1/connection/conn-1")).and(header("X-Stytch-Member-Session", "member-session"));
    get().and(query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(groups(&["g1"], Some("next-1"))))
        .expect(1)
        .mount(&server)
        .await;
    get().and(query_param("cursor", "next-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(groups(&["g2", "g3"], Some(""))))
        .expect(1)
        .mount(&server)
        .await;
    let b2b = stytch_generated::B2BClient::with_config(config(&server)).unwrap();
    let request = B2BSCIMConnectionGetGroupsRequest::new("org-1", "conn-1");
    let options = B2BSCIMConnectionGetGroupsRequestOptions {
        authorization: Some(Authorization { session_token: Some("member-session".into()), ..Default::default() }),
    };

    let groups: Vec<_> = b2b.scim.connection.get_groups_stream(request, Some(options)).try_collect().await.unwrap();
    let ids: Vec<&str> = groups.iter().map(|g| g.group_id.as_str()).collect();
    // An empty `next_cursor` ends the stream, as a missing one does.
    assert_eq!(ids, ["g1", "g2", "g3"]);
}
