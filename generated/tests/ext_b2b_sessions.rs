//! B2B member session JWTs: `sessions.authenticate_jwt_local` and `sessions.authenticate_jwt`
//! (`dist/b2b/sessions.js`) with the organization claim, the B2B JWKS, and the RBAC check with
//! project and organization policies and the tenancy check (`dist/b2b/rbac_local.js`).

#![cfg(feature = "b2b")]

mod ext_support;

use ext_support::*;
use serde_json::{Value, json};
use stytch_generated::b2b::sessions::{
    AuthorizationCheck, B2BSessionsAuthenticateJwtLocalRequest, B2BSessionsAuthenticateJwtRequest, MemberSession,
};
use stytch_generated::ext::{AuthError, ClientErrorCode};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, ResponseTemplate};

const ORG: &str = "organization-test-07971b06-ac8b-4cdb-9c15-63b17e653931";
const ORG_POLICY_PATH: &str = "/v1/b2b/rbac/organizations/organization-test-07971b06-ac8b-4cdb-9c15-63b17e653931";

fn member_claims(now: i64, roles: &[&str]) -> Value {
    json!({
        "sub": "member-test-32fc5024-9c09-4da3-bd2e-c9ce4da9375f",
        "iss": issuer(),
        "aud": [PROJECT_ID],
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "https://stytch.com/session": session_claim(roles),
        "https://stytch.com/organization": {"organization_id": ORG, "slug": "example-org"},
        "favorite_color": "blue",
    })
}

fn local(jwt: &str) -> B2BSessionsAuthenticateJwtLocalRequest {
    B2BSessionsAuthenticateJwtLocalRequest::new(jwt.to_owned())
}

fn check(org: &str, resource: &str, action: &str) -> AuthorizationCheck {
    AuthorizationCheck::new(org, resource, action)
}

#[track_caller]
fn assert_code(result: Result<MemberSession, AuthError>, code: ClientErrorCode) -> String {
    match result {
        Err(AuthError::Client(e)) if e.code() == code => e.to_string(),
        other => panic!("expected a {code} ClientError, got {other:?}"),
    }
}

async fn env_with_jwks() -> Env {
    let env = Env::new().await;
    jwks_mock(B2B_JWKS, &[key_a()]).expect(1).mount(&env.server).await;
    jwks_mock(CONSUMER_JWKS, &[key_a()]).expect(0).mount(&env.server).await;
    env
}

/// Mounts the project policy (`policy()`) and an organization policy granting `org_admin`.
async fn mount_policies(env: &Env) {
    Mock::given(method("GET"))
        .and(path("/v1/b2b/rbac/policy"))
        .respond_with(ResponseTemplate::new(200).set_body_json(policy_body()))
        .expect(1)
        .mount(&env.server)
        .await;
    Mock::given(method("GET"))
        .and(path(ORG_POLICY_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "request_id": "request-id-test-org-policy",
            "status_code": 200,
            "org_policy": {"roles": [{"role_id": "org_admin", "description": "", "permissions": [
                {"resource_id": "settings", "actions": ["update"]},
            ]}]},
        })))
        .expect(1)
        .mount(&env.server)
        .await;
}

#[tokio::test]
async fn a_valid_token_gives_the_member_session() {
    let env = env_with_jwks().await;
    let jwt = key_a().sign(&member_claims(env.now(), &["stytch_member", "editor"]));
    let session = env.b2b_client().sessions.authenticate_jwt_local(&local(&jwt)).await.unwrap();
    assert_eq!(session.member_session_id, "session-test-fe6c042b-6286-479f-8a4f-b046a6c46509");
    assert_eq!(session.member_id, "member-test-32fc5024-9c09-4da3-bd2e-c9ce4da9375f");
    assert_eq!(session.organization_id, ORG);
    assert_eq!(session.organization_slug, "example-org");
    assert_eq!(session.started_at, "2023-11-14T22:10:00Z");
    assert_eq!(session.expires_at, "2023-11-14T23:13:20.000Z");
    assert_eq!(session.roles, ["stytch_member", "editor"]);
    assert_eq!(session.authentication_factors.len(), 1);
    // Neither the session nor the organization claim is a custom claim.
    let custom = serde_json::to_value(session.custom_claims.unwrap()).unwrap();
    assert_eq!(custom, json!({"favorite_color": "blue"}));
}

#[tokio::test]
async fn a_token_without_the_organization_claim_is_rejected() {
    let env = env_with_jwks().await;
    let jwt = key_a().sign(&with(member_claims(env.now(), &[]), "https://stytch.com/organization", Value::Null));
    let message =
        assert_code(env.b2b_client().sessions.authenticate_jwt_local(&local(&jwt)).await, ClientErrorCode::JwtInvalid);
    assert!(message.contains("https://stytch.com/organization"), "{message}");
}

#[tokio::test]
async fn authorization_uses_project_and_organization_policies_and_checks_tenancy() {
    let env = env_with_jwks().await;
    mount_policies(&env).await;
    let client = env.b2b_client();
    let jwt = key_a().sign(&member_claims(env.now(), &["editor", "org_admin"]));
    let authorize = |org: &str, resource: &str, action: &str| {
        let request = local(&jwt)
            .with_authorization_check(check(org, resource, action));
        let client = client.clone();
        async move { client.sessions.authenticate_jwt_local(&request).await }
    };
    // A project role and an organization role.
    assert!(authorize(ORG, "documents", "write").await.is_ok());
    assert!(authorize(ORG, "settings", "update").await.is_ok());
    let message = assert_code(authorize(ORG, "billing", "pay").await, ClientErrorCode::InvalidPermissions);
    assert_eq!(message, "invalid_permissions: Member does not have permission to perform the requested action");
    let message =
        assert_code(authorize("organization-test-other", "documents", "read").await, ClientErrorCode::TenancyMismatch);
    assert_eq!(message, "tenancy_mismatch: Member belongs to different organization");
}

#[tokio::test]
async fn authenticate_jwt_falls_back_to_the_b2b_api() {
    let env = env_with_jwks().await;
    let now = env.now();
    let jwt = key_a().sign(&with(member_claims(now - 120, &[]), "exp", json!(now + 180)));
    Mock::given(method("POST"))
        .and(path("/v1/b2b/sessions/authenticate"))
        .and(body_json(json!({"session_jwt": jwt})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "request_id": "request-id-test",
            "status_code": 200,
            "member_session": {"member_session_id": "member-session-from-api", "organization_id": ORG},
            "session_token": "token",
            "session_jwt": "jwt-from-api",
            "member": {},
            "organization": {},
        })))
        .expect(1)
        .mount(&env.server)
        .await;
    let client = env.b2b_client();
    let request = B2BSessionsAuthenticateJwtRequest::new(jwt.clone())
        .with_max_token_age_seconds(60);
    let response = client.sessions.authenticate_jwt(&request).await.unwrap();
    assert_eq!(response.member_session.member_session_id, "member-session-from-api");
    assert_eq!(response.session_jwt, "jwt-from-api");

    // Verified locally when young enough: no second API call.
    let request = request.with_max_token_age_seconds(600);
    let response = client.sessions.authenticate_jwt(&request).await.unwrap();
    assert!(response.authenticate_response.is_none());
    assert_eq!(response.member_session.organization_id, ORG);
}
