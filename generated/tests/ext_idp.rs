//! IDP token introspection: `idp.introspect_token_network` and `idp.introspect_token_local`
//! (`dist/b2c/idp.js`, `dist/b2b/idp.js`) with the RBAC scope check
//! (`performScopeAuthorizationCheck`).

#![cfg(any(feature = "consumer", feature = "b2b"))]

mod ext_support;

use ext_support::*;
use serde_json::{Value, json};
use stytch_generated::ext::idp::{IntrospectTokenLocalOptions, IntrospectTokenNetworkOptions};
use stytch_generated::ext::{AuthError, ClientErrorCode};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const INTROSPECT_PATH: &str = "/v1/public/project-test-11111111-2222-3333-4444-555555555555/oauth2/introspect";
const ORG: &str = "organization-test-07971b06-ac8b-4cdb-9c15-63b17e653931";

#[track_caller]
fn assert_code<T: std::fmt::Debug>(result: Result<T, AuthError>, code: ClientErrorCode) -> String {
    match result {
        Err(AuthError::Client(e)) if e.code() == code => e.to_string(),
        other => panic!("expected a {code} ClientError, got {other:?}"),
    }
}

fn active_response(extra: Value) -> Value {
    let mut body = json!({
        "active": true,
        "request_id": "request-id-test-introspect",
        "status_code": 200,
        "sub": "user-test-1",
        "scope": "openid read:documents",
        "aud": ["connected-app-test-1"],
        "exp": START + 3600,
        "iat": START,
        "iss": issuer(),
        "nbf": START,
        "client_id": "connected-app-test-1",
        "token_type": "access_token",
        "jti": "token-id-1",
        "custom": {"a": 1},
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn mount_introspection(env: &Env, body: Value) {
    Mock::given(method("POST"))
        .and(path(INTROSPECT_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&env.server)
        .await;
}

fn access_token_claims(now: i64, scope: &str) -> Value {
    json!({
        "sub": "user-test-1",
        "iss": issuer(),
        "aud": ["connected-app-test-1", PROJECT_ID],
        "scope": scope,
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "jti": "token-id-1",
        "token_type": "access_token",
        "https://stytch.com/organization": {"organization_id": ORG, "slug": "example-org"},
        "custom": "yes",
    })
}

#[cfg(feature = "consumer")]
mod consumer {
    use super::*;
    use stytch_generated::b2c::idp::{IntrospectTokenClaimsAudience, IntrospectTokenRequest};
    use stytch_generated::b2c::sessions::SessionsAuthorizationCheck;

    fn request(secret: Option<&str>, hint: Option<&str>) -> IntrospectTokenRequest {
        let mut request = IntrospectTokenRequest::new("opaque-or-jwt-token", "connected-app-test-1");
        request.client_secret = secret.map(str::to_owned);
        request.token_type_hint = hint.map(str::to_owned);
        request
    }

    fn check(resource: &str, action: &str) -> IntrospectTokenNetworkOptions<SessionsAuthorizationCheck> {
        IntrospectTokenNetworkOptions {
            authorization_check: Some(SessionsAuthorizationCheck::new(resource, action)),
        }
    }

    #[tokio::test]
    async fn network_introspection_sends_the_form_without_credentials() {
        let env = Env::new().await;
        mount_introspection(&env, active_response(json!({}))).await;
        let client = env.client();
        let claims = client
            .idp
            .introspect_token_network(&request(Some("s3cret"), Some("access_token")), &Default::default())
            .await
            .unwrap();
        assert_eq!(claims.subject, "user-test-1");
        assert_eq!(claims.scope, "openid read:documents");
        assert_eq!(claims.audience, IntrospectTokenClaimsAudience::List(vec!["connected-app-test-1".into()]));
        assert_eq!((claims.expires_at, claims.issued_at, claims.not_before), (START + 3600, START, START));
        assert_eq!(claims.issuer, issuer());
        assert_eq!(claims.token_type, "access_token");
        // jti is not one of the claims the JS leaves out of the network response.
        assert_eq!(
            serde_json::to_value(&claims.custom_claims).unwrap(),
            json!({"jti": "token-id-1", "custom": {"a": 1}})
        );

        // Empty client_secret and token_type_hint are left out.
        client.idp.introspect_token_network(&request(Some(""), None), &Default::default()).await.unwrap();
        let requests = requests_to(&env.server, INTROSPECT_PATH).await;
        let bodies: Vec<String> = requests.iter().map(|r| String::from_utf8(r.body.clone()).unwrap()).collect();
        assert_eq!(
            bodies,
            [
                "token=opaque-or-jwt-token&client_id=connected-app-test-1&client_secret=s3cret&token_type_hint=access_token",
                "token=opaque-or-jwt-token&client_id=connected-app-test-1",
            ]
        );
        for r in &requests {
            assert!(r.headers.get("authorization").is_none());
            assert_eq!(r.headers.get("content-type").unwrap(), "application/x-www-form-urlencoded");
        }
    }

    #[tokio::test]
    async fn inactive_tokens_and_failed_calls_are_token_invalid() {
        let env = Env::new().await;
        mount_introspection(&env, json!({"active": false, "request_id": "r", "status_code": 200})).await;
        let message = assert_code(
            env.client().idp.introspect_token_network(&request(None, None), &Default::default()).await,
            ClientErrorCode::TokenInvalid,
        );
        assert_eq!(message, "token_invalid: Token was not active");

        let env = Env::new().await;
        Mock::given(method("POST"))
            .and(path(INTROSPECT_PATH))
            .respond_with(
                ResponseTemplate::new(401).set_body_json(json!({"error": "invalid_client", "status_code": 401})),
            )
            .mount(&env.server)
            .await;
        let message = assert_code(
            env.client().idp.introspect_token_network(&request(None, None), &Default::default()).await,
            ClientErrorCode::TokenInvalid,
        );
        assert!(message.starts_with("token_invalid: Could not introspect token: "), "{message}");
        assert!(message.contains("invalid_client"), "{message}");
    }

    #[tokio::test]
    async fn network_introspection_checks_scopes_against_the_policy() {
        let env = Env::new().await;
        mount_introspection(&env, active_response(json!({}))).await;
        Mock::given(method("GET"))
            .and(path("/v1/rbac/policy"))
            .respond_with(ResponseTemplate::new(200).set_body_json(policy_body()))
            .expect(1)
            .mount(&env.server)
            .await;
        let client = env.client();
        assert!(client.idp.introspect_token_network(&request(None, None), &check("documents", "read")).await.is_ok());
        let message = assert_code(
            client.idp.introspect_token_network(&request(None, None), &check("documents", "write")).await,
            ClientErrorCode::InvalidPermissions,
        );
        assert_eq!(message, "invalid_permissions: User does not have permission to perform the requested action");
    }

    #[tokio::test]
    async fn local_introspection_verifies_the_jwt_and_checks_scopes() {
        let env = Env::new().await;
        jwks_mock(CONSUMER_JWKS, &[key_a()]).expect(1).mount(&env.server).await;
        Mock::given(method("GET"))
            .and(path("/v1/rbac/policy"))
            .respond_with(ResponseTemplate::new(200).set_body_json(policy_body()))
            .expect(1)
            .mount(&env.server)
            .await;
        let client = env.client();
        let token = key_a().sign(&access_token_claims(env.now(), "admin:billing"));
        let options = |resource: &str, action: &str| IntrospectTokenLocalOptions {
            authorization_check: Some(SessionsAuthorizationCheck::new(resource, action)),
            ..Default::default()
        };
        let claims = client.idp.introspect_token_local(&token, &options("billing", "refund")).await.unwrap();
        assert_eq!(claims.subject, "user-test-1");
        assert_eq!(claims.scope, "admin:billing");
        assert_eq!(claims.token_type, "access_token");
        assert_eq!(
            claims.audience,
            IntrospectTokenClaimsAudience::List(vec!["connected-app-test-1".into(), PROJECT_ID.into()])
        );
        // Locally only the registered claims and scope are left out.
        assert_eq!(
            serde_json::to_value(&claims.custom_claims).unwrap(),
            json!({
                "token_type": "access_token",
                "https://stytch.com/organization": {"organization_id": ORG, "slug": "example-org"},
                "custom": "yes",
            })
        );
        assert_code(
            client.idp.introspect_token_local(&token, &options("documents", "read")).await,
            ClientErrorCode::InvalidPermissions,
        );
        let expired =
            key_a().sign(&with(access_token_claims(env.now() - 7200, "openid"), "exp", json!(env.now() - 10)));
        assert_code(
            client.idp.introspect_token_local(&expired, &Default::default()).await,
            ClientErrorCode::JwtInvalid,
        );
        let tolerant = IntrospectTokenLocalOptions { clock_tolerance_seconds: Some(10), ..Default::default() };
        let _ = client.idp.introspect_token_local(&expired, &tolerant).await.unwrap_err();
        let tolerant = IntrospectTokenLocalOptions { clock_tolerance_seconds: Some(11), ..Default::default() };
        assert!(client.idp.introspect_token_local(&expired, &tolerant).await.is_ok());
    }
}

#[cfg(feature = "b2b")]
mod b2b {
    use super::*;
    use stytch_generated::b2b::idp::B2BIntrospectTokenRequest;
    use stytch_generated::b2b::sessions::AuthorizationCheck;

    fn check(org: &str, resource: &str, action: &str) -> Option<AuthorizationCheck> {
        Some(AuthorizationCheck::new(org, resource, action))
    }

    async fn mount_policy(env: &Env) {
        Mock::given(method("GET"))
            .and(path("/v1/b2b/rbac/policy"))
            .respond_with(ResponseTemplate::new(200).set_body_json(policy_body()))
            .expect(1)
            .mount(&env.server)
            .await;
    }

    #[tokio::test]
    async fn network_introspection_reads_the_organization_and_checks_tenancy() {
        let env = Env::new().await;
        let org_claim = json!({"https://stytch.com/organization": {"organization_id": ORG, "slug": "example-org"}});
        mount_introspection(&env, active_response(org_claim)).await;
        mount_policy(&env).await;
        let client = env.b2b_client();
        let request = B2BIntrospectTokenRequest::new("token", "connected-app-test-1");
        let options = |check| IntrospectTokenNetworkOptions { authorization_check: check };
        let claims =
            client.idp.introspect_token_network(&request, &options(check(ORG, "documents", "read"))).await.unwrap();
        assert_eq!(claims.organization.organization_id, ORG);
        assert_eq!(claims.organization.slug, "example-org");
        assert_eq!(
            serde_json::to_value(&claims.custom_claims).unwrap(),
            json!({"jti": "token-id-1", "custom": {"a": 1}})
        );
        let message = assert_code(
            client
                .idp
                .introspect_token_network(&request, &options(check("organization-test-other", "documents", "read")))
                .await,
            ClientErrorCode::TenancyMismatch,
        );
        assert_eq!(message, "tenancy_mismatch: Member belongs to different organization");
        let message = assert_code(
            client.idp.introspect_token_network(&request, &options(check(ORG, "documents", "write"))).await,
            ClientErrorCode::InvalidPermissions,
        );
        assert_eq!(message, "invalid_permissions: Member does not have permission to perform the requested action");
    }

    #[tokio::test]
    async fn local_introspection_uses_the_b2b_jwks() {
        let env = Env::new().await;
        jwks_mock(B2B_JWKS, &[key_b()]).expect(1).mount(&env.server).await;
        mount_policy(&env).await;
        let client = env.b2b_client();
        let token = key_b().sign(&access_token_claims(env.now(), "read:documents"));
        let options = |check| IntrospectTokenLocalOptions { authorization_check: check, ..Default::default() };
        let claims =
            client.idp.introspect_token_local(&token, &options(check(ORG, "documents", "read"))).await.unwrap();
        assert_eq!(claims.organization.organization_id, ORG);
        assert_eq!(
            serde_json::to_value(&claims.custom_claims).unwrap(),
            json!({"token_type": "access_token", "custom": "yes"})
        );
        assert_code(
            client
                .idp
                .introspect_token_local(&token, &options(check("organization-test-other", "documents", "read")))
                .await,
            ClientErrorCode::TenancyMismatch,
        );
        let no_org =
            key_b().sign(&with(access_token_claims(env.now(), "x"), "https://stytch.com/organization", Value::Null));
        assert_code(client.idp.introspect_token_local(&no_org, &options(None)).await, ClientErrorCode::JwtInvalid);
    }
}
