//! Consumer session JWTs: `sessions.authenticate_jwt_local` and `sessions.authenticate_jwt`
//! (`dist/b2c/sessions.js`, `dist/shared/sessions.js`), the JWKS cache (jose's
//! `createRemoteJWKSet`) and the RBAC authorization check (`dist/b2c/rbac_local.js`).

#![cfg(feature = "consumer")]

mod ext_support;

use std::time::Duration;

use ext_support::*;
use serde_json::{Value, json};
use stytch_generated::b2c::sessions::{
    Session, SessionsAuthenticateJwtLocalRequest, SessionsAuthenticateJwtRequest, SessionsAuthorizationCheck,
};
use stytch_generated::ext::{AuthError, ClientErrorCode};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

fn local(jwt: &str) -> SessionsAuthenticateJwtLocalRequest {
    SessionsAuthenticateJwtLocalRequest::new(jwt.to_owned())
}

async fn verify(client: &stytch_generated::Client, jwt: &str) -> Result<Session, AuthError> {
    client.sessions.authenticate_jwt_local(&local(jwt)).await
}

#[track_caller]
fn assert_code<T: std::fmt::Debug>(result: Result<T, AuthError>, code: ClientErrorCode) -> String {
    match result {
        Err(AuthError::Client(e)) if e.code() == code => e.to_string(),
        other => panic!("expected a {code} ClientError, got {other:?}"),
    }
}

/// A server with the consumer JWKS (key A), mounted to be fetched exactly `times` times.
async fn env_with_jwks(times: u64) -> Env {
    let env = Env::new().await;
    jwks_mock(CONSUMER_JWKS, &[key_a()]).expect(times).mount(&env.server).await;
    env
}

#[tokio::test]
async fn a_valid_token_gives_the_session_from_its_claim() {
    let env = env_with_jwks(1).await;
    let client = env.client();
    let jwt = key_a().sign(&session_claims(env.now()));
    let session = verify(&client, &jwt).await.unwrap();

    assert_eq!(session.session_id, "session-test-fe6c042b-6286-479f-8a4f-b046a6c46509");
    assert_eq!(session.user_id, "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6");
    assert_eq!(session.started_at.as_deref(), Some("2023-11-14T22:10:00Z"));
    assert_eq!(session.last_accessed_at.as_deref(), Some("2023-11-14T22:13:20Z"));
    // JS: `new Date(claim.expires_at).toISOString()`.
    assert_eq!(session.expires_at.as_deref(), Some("2023-11-14T23:13:20.000Z"));
    assert_eq!(session.roles, ["stytch_user", "editor"]);
    let attributes = session.attributes.unwrap();
    assert_eq!(attributes.ip_address.as_deref(), Some("203.0.113.1"));
    assert_eq!(session.authentication_factors.len(), 1);
    assert_eq!(session.authentication_factors[0].r#type.as_str(), "magic_link");
    assert_eq!(session.authentication_factors[0].email_factor.as_ref().unwrap().email_address, "sandbox@stytch.com");
    assert_eq!(session.custom_claims, Some(Default::default()));

    // The JWKS request went through the client's transport: its credentials and user agent.
    let requests = requests_to(&env.server, CONSUMER_JWKS).await;
    assert!(requests[0].headers.get("authorization").unwrap().to_str().unwrap().starts_with("Basic "));
}

#[tokio::test]
async fn expires_at_falls_back_to_the_exp_claim() {
    let env = env_with_jwks(1).await;
    let client = env.client();
    let mut claims = session_claims(env.now());
    claims["https://stytch.com/session"]["expires_at"] = json!("");
    let session = verify(&client, &key_a().sign(&claims)).await.unwrap();
    // exp = START + 300 = 2023-11-14T22:18:20Z
    assert_eq!(session.expires_at.as_deref(), Some("2023-11-14T22:18:20.000Z"));
}

#[tokio::test]
async fn custom_claims_round_trip_without_registered_or_stytch_claims() {
    let env = env_with_jwks(1).await;
    let client = env.client();
    let mut claims = session_claims(env.now());
    let custom = json!({
        "tier": "gold",
        "limits": {"requests": 10, "nested": [1, 2, {"deep": true}]},
        "flag": false,
        "https://example.com/claim": "namespaced",
    });
    for (k, v) in custom.as_object().unwrap() {
        claims[k] = v.clone();
    }
    claims["jti"] = json!("jwt-id-1");
    let session = verify(&client, &key_a().sign(&claims)).await.unwrap();
    let got: Value = serde_json::to_value(session.custom_claims.unwrap()).unwrap();
    assert_eq!(got, custom);
}

#[tokio::test]
async fn an_expired_token_is_rejected_unless_within_the_clock_tolerance() {
    let env = env_with_jwks(1).await;
    let client = env.client();
    let now = env.now();
    // jose: `exp <= now - tolerance` fails, so a token expiring this very second is expired.
    let jwt = key_a().sign(&with(session_claims(now - 300), "exp", json!(now)));
    let message = assert_code(verify(&client, &jwt).await, ClientErrorCode::JwtInvalid);
    assert!(message.starts_with("jwt_invalid: Could not verify JWT: "), "{message}");
    assert!(message.contains("\"exp\""), "{message}");

    let request = local(&jwt).with_clock_tolerance_seconds(1);
    assert!(client.sessions.authenticate_jwt_local(&request).await.is_ok());

    // current_date moves the check back in time.
    let request =
        local(&jwt).with_current_date("2023-11-14T22:13:00Z");
    assert!(client.sessions.authenticate_jwt_local(&request).await.is_ok());
}

#[tokio::test]
async fn a_token_not_yet_valid_is_rejected_unless_within_the_clock_tolerance() {
    let env = env_with_jwks(1).await;
    let client = env.client();
    let now = env.now();
    let jwt = key_a().sign(&with(session_claims(now), "nbf", json!(now + 30)));
    let message = assert_code(verify(&client, &jwt).await, ClientErrorCode::JwtInvalid);
    assert!(message.contains("\"nbf\""), "{message}");
    let request = local(&jwt).with_clock_tolerance_seconds(30);
    assert!(client.sessions.authenticate_jwt_local(&request).await.is_ok());
}

#[tokio::test]
async fn the_issuer_must_be_the_project_or_the_base_url() {
    let env = env_with_jwks(1).await;
    let client = env.client();
    let now = env.now();
    for iss in ["stytch.com/project-test-other", "https://evil.example.com", ""] {
        let jwt = key_a().sign(&with(session_claims(now), "iss", json!(iss)));
        let message = assert_code(verify(&client, &jwt).await, ClientErrorCode::JwtInvalid);
        assert!(message.contains("\"iss\""), "{message}");
    }
    let jwt = key_a().sign(&with(session_claims(now), "iss", Value::Null));
    assert_code(verify(&client, &jwt).await, ClientErrorCode::JwtInvalid);
    // The base URL, without its trailing slash, is the other accepted issuer.
    let jwt = key_a().sign(&with(session_claims(now), "iss", json!(env.server.uri())));
    assert!(verify(&client, &jwt).await.is_ok());
}

#[tokio::test]
async fn the_audience_must_name_the_project() {
    let env = env_with_jwks(1).await;
    let client = env.client();
    let now = env.now();
    for aud in [json!(["project-test-other"]), json!("project-test-other"), json!([])] {
        let jwt = key_a().sign(&with(session_claims(now), "aud", aud));
        let message = assert_code(verify(&client, &jwt).await, ClientErrorCode::JwtInvalid);
        assert!(message.contains("\"aud\""), "{message}");
    }
    for aud in [json!(PROJECT_ID), json!(["someone-else", PROJECT_ID])] {
        let jwt = key_a().sign(&with(session_claims(now), "aud", aud));
        assert!(verify(&client, &jwt).await.is_ok());
    }
}

#[tokio::test]
async fn a_bad_signature_is_rejected() {
    let env = env_with_jwks(1).await;
    let client = env.client();
    let claims = session_claims(env.now());
    // Signed by key B while naming key A.
    let forged = key_b().sign_with_header(&json!({"alg": "RS256", "typ": "JWT", "kid": key_a().kid}), &claims);
    assert_code(verify(&client, &forged).await, ClientErrorCode::JwtInvalid);
    // A valid token with its payload swapped.
    let valid = key_a().sign(&claims);
    let other = key_a().sign(&with(claims, "sub", json!("user-test-someone-else")));
    let parts: Vec<&str> = valid.split('.').collect();
    let swapped = format!("{}.{}.{}", parts[0], other.split('.').nth(1).unwrap(), parts[2]);
    assert_code(verify(&client, &swapped).await, ClientErrorCode::JwtInvalid);
    assert_code(verify(&client, "not-a-jwt").await, ClientErrorCode::JwtInvalid);
}

#[tokio::test]
async fn the_header_must_say_typ_jwt() {
    let env = env_with_jwks(1).await;
    let client = env.client();
    let claims = session_claims(env.now());
    let jwt = key_a().sign_with_header(&json!({"alg": "RS256", "kid": key_a().kid}), &claims);
    let message = assert_code(verify(&client, &jwt).await, ClientErrorCode::JwtInvalid);
    assert!(message.contains("typ"), "{message}");
    let jwt = key_a().sign_with_header(&json!({"alg": "RS256", "typ": "application/jwt", "kid": key_a().kid}), &claims);
    assert!(verify(&client, &jwt).await.is_ok());
}

#[tokio::test]
async fn an_unknown_key_id_refetches_the_jwks_after_the_cooldown() {
    let env = Env::new().await;
    // Before the rotation the JWKS holds key A; afterwards A and B.
    jwks_mock(CONSUMER_JWKS, &[key_a()]).up_to_n_times(1).expect(1).mount(&env.server).await;
    jwks_mock(CONSUMER_JWKS, &[key_a(), key_b()]).expect(1).mount(&env.server).await;
    let client = env.client();

    let jwt_a = key_a().sign(&session_claims(env.now()));
    assert!(client.sessions.authenticate_jwt_local(&local(&jwt_a)).await.is_ok());

    // Within jose's 30 s cooldown an unknown kid does not refetch.
    let jwt_b = key_b().sign(&session_claims(env.now()));
    let message =
        assert_code(client.sessions.authenticate_jwt_local(&local(&jwt_b)).await, ClientErrorCode::JwtInvalid);
    assert!(message.contains("no applicable key"), "{message}");
    assert_eq!(requests_to(&env.server, CONSUMER_JWKS).await.len(), 1);

    env.advance(31);
    let jwt_b = key_b().sign(&session_claims(env.now()));
    assert!(client.sessions.authenticate_jwt_local(&local(&jwt_b)).await.is_ok());
    // Both keys are now cached.
    let jwt_a = key_a().sign(&session_claims(env.now()));
    assert!(client.sessions.authenticate_jwt_local(&local(&jwt_a)).await.is_ok());
    assert_eq!(requests_to(&env.server, CONSUMER_JWKS).await.len(), 2);
}

#[tokio::test]
async fn a_token_older_than_max_token_age_is_too_old() {
    let env = env_with_jwks(1).await;
    let client = env.client();
    let now = env.now();
    let jwt = key_a().sign(&with(session_claims(now - 120), "exp", json!(now + 180)));
    let request = local(&jwt).with_max_token_age_seconds(60);
    let message = assert_code(client.sessions.authenticate_jwt_local(&request).await, ClientErrorCode::JwtTooOld);
    assert_eq!(message, format!("jwt_too_old: JWT was issued at {}, more than 60 seconds ago", now - 120));

    let request = local(&jwt).with_max_token_age_seconds(121);
    assert!(client.sessions.authenticate_jwt_local(&request).await.is_ok());
    // Zero: every token is too old.
    let fresh = key_a().sign(&session_claims(now));
    let request = local(&fresh).with_max_token_age_seconds(0);
    assert_code(client.sessions.authenticate_jwt_local(&request).await, ClientErrorCode::JwtTooOld);
    // Without iat the age cannot be checked.
    let no_iat = key_a().sign(&with(session_claims(now), "iat", Value::Null));
    let request = local(&no_iat).with_max_token_age_seconds(60);
    let message = assert_code(client.sessions.authenticate_jwt_local(&request).await, ClientErrorCode::JwtInvalid);
    assert_eq!(message, "jwt_invalid: JWT was missing iat claim");
}

#[tokio::test]
async fn a_token_without_the_session_claim_is_rejected() {
    let env = env_with_jwks(1).await;
    let client = env.client();
    let jwt = key_a().sign(&with(session_claims(env.now()), "https://stytch.com/session", Value::Null));
    let message = assert_code(verify(&client, &jwt).await, ClientErrorCode::JwtInvalid);
    assert!(message.contains("https://stytch.com/session"), "{message}");
}

#[tokio::test]
async fn the_jwks_is_fetched_once_for_many_verifications() {
    let env = env_with_jwks(1).await;
    let client = env.client();
    for i in 0..10 {
        let jwt = key_a().sign(&with(session_claims(env.now()), "sub", json!(format!("user-test-{i}"))));
        let session = client.sessions.authenticate_jwt_local(&local(&jwt)).await.unwrap();
        assert_eq!(session.user_id, format!("user-test-{i}"));
        env.advance(30);
    }
    // Sub-clients of one client, and clones of it, share the cache.
    let clone = client.clone();
    let jwt = key_a().sign(&session_claims(env.now()));
    assert!(clone.sessions.authenticate_jwt_local(&local(&jwt)).await.is_ok());
}

#[tokio::test]
async fn the_jwks_is_refetched_once_older_than_ten_minutes() {
    let env = env_with_jwks(2).await;
    let client = env.client();
    let check = |jwt: String| {
        let client = client.clone();
        async move { client.sessions.authenticate_jwt_local(&local(&jwt)).await }
    };
    assert!(check(key_a().sign(&session_claims(env.now()))).await.is_ok());
    env.advance(599);
    assert!(check(key_a().sign(&session_claims(env.now()))).await.is_ok());
    assert_eq!(requests_to(&env.server, CONSUMER_JWKS).await.len(), 1);
    env.advance(1);
    assert!(check(key_a().sign(&session_claims(env.now()))).await.is_ok());
    assert_eq!(requests_to(&env.server, CONSUMER_JWKS).await.len(), 2);
    env.advance(60);
    assert!(check(key_a().sign(&session_claims(env.now()))).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_verifications_share_one_jwks_fetch() {
    let env = Env::new().await;
    Mock::given(method("GET"))
        .and(path(CONSUMER_JWKS))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(jwks_body(&[key_a()])).set_delay(Duration::from_millis(300)),
        )
        .expect(1)
        .mount(&env.server)
        .await;
    let client = env.client();
    let jwt = key_a().sign(&session_claims(env.now()));
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            let jwt = jwt.clone();
            tokio::spawn(async move { client.sessions.authenticate_jwt_local(&local(&jwt)).await })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap().is_ok());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_callers_share_the_error_of_a_failed_fetch() {
    let env = Env::new().await;
    Mock::given(method("GET"))
        .and(path(CONSUMER_JWKS))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"error_type": "internal_server_error", "status_code": 500}))
                .set_delay(Duration::from_millis(300)),
        )
        .expect(1)
        .mount(&env.server)
        .await;
    let client = env.client();
    let jwt = key_a().sign(&session_claims(env.now()));
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            let jwt = jwt.clone();
            tokio::spawn(async move { client.sessions.authenticate_jwt_local(&local(&jwt)).await })
        })
        .collect();
    for task in tasks {
        let message = assert_code(task.await.unwrap(), ClientErrorCode::JwtInvalid);
        assert!(message.contains("internal_server_error"), "{message}");
    }
}

#[tokio::test]
async fn a_failing_jwks_endpoint_is_fetched_once_per_cooldown() {
    let env = Env::new().await;
    Mock::given(method("GET"))
        .and(path(CONSUMER_JWKS))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(json!({"error_type": "internal_server_error", "status_code": 500})),
        )
        .mount(&env.server)
        .await;
    let client = env.client();
    for _ in 0..50 {
        let jwt = key_a().sign(&session_claims(env.now()));
        let message = assert_code(verify(&client, &jwt).await, ClientErrorCode::JwtInvalid);
        assert!(message.contains("internal_server_error"), "{message}");
    }
    assert_eq!(requests_to(&env.server, CONSUMER_JWKS).await.len(), 1);
    env.advance(stytch_generated::ext::jwks::FAILED_FETCH_COOLDOWN.as_secs() - 1);
    assert!(verify(&client, &key_a().sign(&session_claims(env.now()))).await.is_err());
    assert_eq!(requests_to(&env.server, CONSUMER_JWKS).await.len(), 1);
    // Once the cooldown is over, the next verification fetches again, and a recovered endpoint
    // serves the keys.
    env.server.reset().await;
    jwks_mock(CONSUMER_JWKS, &[key_a()]).expect(1).mount(&env.server).await;
    env.advance(1);
    assert!(verify(&client, &key_a().sign(&session_claims(env.now()))).await.is_ok());
}

#[tokio::test]
async fn a_jwt_over_the_size_limit_is_refused_before_decoding_or_sending() {
    let env = Env::new().await;
    Mock::given(method("GET")).and(path(CONSUMER_JWKS)).respond_with(ResponseTemplate::new(500)).expect(0).mount(&env.server).await;
    Mock::given(path("/v1/sessions/authenticate")).respond_with(ResponseTemplate::new(500)).expect(0).mount(&env.server).await;
    let client = env.client();
    // 10 MB of valid-looking base64url: it would decode if it were ever decoded.
    let huge = format!("eyJhbGciOiJSUzI1NiJ9.{}.sig", "A".repeat(10_000_000));
    let message = assert_code(verify(&client, &huge).await, ClientErrorCode::JwtInvalid);
    assert!(message.contains("more than the limit of 16384"), "{message}");
    let request = SessionsAuthenticateJwtRequest::new(huge);
    assert_code(client.sessions.authenticate_jwt(&request).await, ClientErrorCode::JwtInvalid);
}

#[tokio::test]
async fn a_large_but_real_sized_jwt_still_verifies() {
    let env = env_with_jwks(1).await;
    let client = env.client();
    // Custom claims of 10 KB: far more than Stytch allows in session custom claims.
    let jwt = key_a().sign(&with(session_claims(env.now()), "padding", json!("x".repeat(10_000))));
    assert!(jwt.len() > 13_000 && jwt.len() <= stytch_generated::ext::MAX_JWT_BYTES, "{}", jwt.len());
    assert!(verify(&client, &jwt).await.is_ok());
}

fn check(resource: &str, action: &str) -> SessionsAuthorizationCheck {
    SessionsAuthorizationCheck::new(resource, action)
}

#[tokio::test]
async fn authorization_checks_use_the_cached_project_policy() {
    let env = env_with_jwks(1).await;
    Mock::given(method("GET"))
        .and(path("/v1/rbac/policy"))
        .respond_with(ResponseTemplate::new(200).set_body_json(policy_body()))
        .expect(2)
        .mount(&env.server)
        .await;
    let client = env.client();
    let authorize = |resource: &str, action: &str| {
        let request = local(&key_a().sign(&session_claims(env.now())))
            .with_authorization_check(check(resource, action));
        let client = client.clone();
        async move { client.sessions.authenticate_jwt_local(&request).await }
    };
    // Roles stytch_user and editor.
    assert!(authorize("documents", "write").await.is_ok());
    assert!(authorize("profile", "read").await.is_ok());
    let message = assert_code(authorize("documents", "delete").await, ClientErrorCode::InvalidPermissions);
    assert_eq!(message, "invalid_permissions: User does not have permission to perform the requested action");
    assert_code(authorize("billing", "read").await, ClientErrorCode::InvalidPermissions);
    assert_eq!(requests_to(&env.server, "/v1/rbac/policy").await.len(), 1);

    // The JS PolicyCache keeps the policy for 5 minutes.
    env.advance(299);
    assert!(authorize("documents", "read").await.is_ok());
    assert_eq!(requests_to(&env.server, "/v1/rbac/policy").await.len(), 1);
    env.advance(1);
    assert!(authorize("documents", "read").await.is_ok());
    assert_eq!(requests_to(&env.server, "/v1/rbac/policy").await.len(), 2);
    let policy = client.rbac.cached_policy().await.unwrap();
    assert_eq!(policy.roles.len(), 3);
}

#[tokio::test]
async fn an_admin_wildcard_grants_every_action_on_its_resources_only() {
    let env = env_with_jwks(1).await;
    Mock::given(method("GET"))
        .and(path("/v1/rbac/policy"))
        .respond_with(ResponseTemplate::new(200).set_body_json(policy_body()))
        .expect(1)
        .mount(&env.server)
        .await;
    let mut claims = session_claims(env.now());
    claims["https://stytch.com/session"]["roles"] = json!(["admin"]);
    let jwt = key_a().sign(&claims);
    let client = env.client();
    for (resource, action, allowed) in
        [("billing", "pay", true), ("documents", "delete", true), ("profile", "read", false)]
    {
        let request =
            local(&jwt).with_authorization_check(check(resource, action));
        let result = client.sessions.authenticate_jwt_local(&request).await;
        assert_eq!(result.is_ok(), allowed, "{resource} {action}: {result:?}");
    }
}

/// The `/v1/sessions/authenticate` response the fallback tests expect.
fn authenticate_response(jwt: &str) -> Value {
    json!({
        "request_id": "request-id-test-authenticate",
        "status_code": 200,
        "session": {
            "session_id": "session-test-from-api",
            "user_id": "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6",
            "authentication_factors": [],
            "roles": ["stytch_user"],
            "expires_at": "2023-11-14T23:13:20Z",
        },
        "session_token": "session-token-from-api",
        "session_jwt": format!("{jwt}-refreshed"),
        "user": {"user_id": "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6"},
    })
}

#[tokio::test]
async fn authenticate_jwt_prefers_local_verification() {
    let env = env_with_jwks(1).await;
    let client = env.client();
    Mock::given(path("/v1/sessions/authenticate"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&env.server)
        .await;
    let jwt = key_a().sign(&session_claims(env.now()));
    let request = SessionsAuthenticateJwtRequest::new(jwt.clone());
    let response = client.sessions.authenticate_jwt(&request).await.unwrap();
    assert_eq!(response.session_jwt, jwt);
    assert_eq!(response.session.session_id, "session-test-fe6c042b-6286-479f-8a4f-b046a6c46509");
    assert!(response.authenticate_response.is_none());
}

#[tokio::test]
async fn authenticate_jwt_falls_back_to_the_api_when_the_token_is_too_old() {
    let env = env_with_jwks(1).await;
    let client = env.client();
    let now = env.now();
    let jwt = key_a().sign(&with(session_claims(now - 120), "exp", json!(now + 180)));
    Mock::given(method("POST"))
        .and(path("/v1/sessions/authenticate"))
        .and(header("authorization", basic_auth().as_str()))
        .and(body_json(json!({
            "session_duration_minutes": 60,
            "session_jwt": jwt,
            "session_custom_claims": {"tier": "gold"},
            "authorization_check": {"resource_id": "documents", "action": "write"},
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(authenticate_response(&jwt)))
        .expect(1)
        .mount(&env.server)
        .await;
    let request = SessionsAuthenticateJwtRequest::new(jwt.clone())
        .with_max_token_age_seconds(60)
        .with_session_duration_minutes(60)
        .with_session_custom_claims([("tier".to_owned(), json!("gold"))].into())
        .with_authorization_check(check("documents", "write"));
    let response = client.sessions.authenticate_jwt(&request).await.unwrap();
    assert_eq!(response.session.session_id, "session-test-from-api");
    assert_eq!(response.session_jwt, format!("{jwt}-refreshed"));
    assert_eq!(response.authenticate_response.unwrap().session_token, "session-token-from-api");
}

#[tokio::test]
async fn authenticate_jwt_falls_back_when_the_token_is_expired_or_unauthorized() {
    let env = env_with_jwks(1).await;
    Mock::given(method("GET"))
        .and(path("/v1/rbac/policy"))
        .respond_with(ResponseTemplate::new(200).set_body_json(policy_body()))
        .mount(&env.server)
        .await;
    let now = env.now();
    let expired = key_a().sign(&with(session_claims(now - 600), "exp", json!(now - 300)));
    let valid = key_a().sign(&session_claims(now));
    Mock::given(method("POST"))
        .and(path("/v1/sessions/authenticate"))
        .respond_with(ResponseTemplate::new(200).set_body_json(authenticate_response("x")))
        .expect(2)
        .mount(&env.server)
        .await;
    let client = env.client();
    let request = SessionsAuthenticateJwtRequest::new(expired);
    assert!(client.sessions.authenticate_jwt(&request).await.unwrap().authenticate_response.is_some());
    let request = SessionsAuthenticateJwtRequest::new(valid)
        .with_authorization_check(check("billing", "pay"));
    assert!(client.sessions.authenticate_jwt(&request).await.unwrap().authenticate_response.is_some());
}

#[tokio::test]
async fn authenticate_jwt_with_max_age_zero_goes_straight_to_the_api() {
    let env = env_with_jwks(0).await;
    let client = env.client();
    let jwt = key_a().sign(&session_claims(env.now()));
    Mock::given(method("POST"))
        .and(path("/v1/sessions/authenticate"))
        .and(body_json(json!({"session_jwt": jwt})))
        .respond_with(ResponseTemplate::new(200).set_body_json(authenticate_response(&jwt)))
        .expect(1)
        .mount(&env.server)
        .await;
    let request =
        SessionsAuthenticateJwtRequest::new(jwt).with_max_token_age_seconds(0);
    let response = client.sessions.authenticate_jwt(&request).await.unwrap();
    assert_eq!(response.session.session_id, "session-test-from-api");
}

#[tokio::test]
async fn api_errors_of_the_fallback_are_returned() {
    // A malformed JWT fails before any key is needed.
    let env = env_with_jwks(0).await;
    let client = env.client();
    Mock::given(method("POST"))
        .and(path("/v1/sessions/authenticate"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "status_code": 404, "request_id": "req-1", "error_type": "session_not_found", "error_message": "Session not found.",
        })))
        .expect(1)
        .mount(&env.server)
        .await;
    let request = SessionsAuthenticateJwtRequest::new("garbage");
    let err = client.sessions.authenticate_jwt(&request).await.unwrap_err();
    match err.request_error() {
        Some(stytch_generated::Error::Api(api)) => assert_eq!(api.error_type.as_deref(), Some("session_not_found")),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[test]
fn the_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = stytch_generated::Client::new(PROJECT_ID, SECRET).unwrap();
    assert_send(&client.sessions.authenticate_jwt(&SessionsAuthenticateJwtRequest::new("jwt")));
    assert_send(&client.sessions.authenticate_jwt_local(&SessionsAuthenticateJwtLocalRequest::new("jwt")));
    assert_send(&client.rbac.cached_policy());
}
