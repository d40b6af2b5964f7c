//! Helpers for the `ext_*` tests: RSA keys generated once per test binary, JWTs signed with
//! them, a wiremock server serving the JWKS, and clients on a [`ManualClock`].

#![allow(dead_code)]

use std::sync::{Arc, OnceLock};
use std::time::{Duration, UNIX_EPOCH};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256, RsaKeyPair, RsaPublicKeyComponents};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use stytch_generated::ext::{ClientConfig, Environment, ManualClock};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const PROJECT_ID: &str = "project-test-11111111-2222-3333-4444-555555555555";
pub const SECRET: &str = "secret-test-abcdefghijklmnopqrstuvwxyz0123456789";
/// The time the tests' clocks start at (2023-11-14T22:13:20Z).
pub const START: i64 = 1_700_000_000;

/// An RSA key with its key id.
pub struct TestKey {
    pub kid: String,
    pair: RsaKeyPair,
}

impl TestKey {
    fn generate(kid: &str) -> TestKey {
        let pair = RsaKeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).expect("RSA key generation");
        TestKey { kid: kid.to_owned(), pair }
    }

    /// The public key as a JWK, as the Stytch JWKS endpoint serves it.
    pub fn jwk(&self) -> Value {
        let components = RsaPublicKeyComponents::<Vec<u8>>::from(self.pair.public_key());
        json!({
            "alg": "RS256",
            "e": URL_SAFE_NO_PAD.encode(&components.e),
            "key_ops": ["verify"],
            "kid": self.kid,
            "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode(&components.n),
            "use": "sig",
            "x5c": [],
            "x5tS256": "",
        })
    }

    /// A compact JWS of `claims` with `header`, signed RS256 by this key.
    pub fn sign_with_header(&self, header: &Value, claims: &Value) -> String {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(header).unwrap()),
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap())
        );
        let mut signature = vec![0; self.pair.public_modulus_len()];
        self.pair.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), input.as_bytes(), &mut signature).expect("signing");
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    /// A JWT of `claims` with the usual header (`alg` RS256, `typ` JWT, this key's `kid`).
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_with_header(&json!({"alg": "RS256", "typ": "JWT", "kid": self.kid}), claims)
    }
}

/// Two keys, generated once per test binary (key generation is the slow part).
pub fn keys() -> &'static (TestKey, TestKey) {
    static KEYS: OnceLock<(TestKey, TestKey)> = OnceLock::new();
    KEYS.get_or_init(|| (TestKey::generate("jwk-test-a"), TestKey::generate("jwk-test-b")))
}

pub fn key_a() -> &'static TestKey {
    &keys().0
}

pub fn key_b() -> &'static TestKey {
    &keys().1
}

/// The JWKS response body holding `keys`.
pub fn jwks_body(keys: &[&TestKey]) -> Value {
    json!({
        "keys": keys.iter().map(|k| k.jwk()).collect::<Vec<_>>(),
        "request_id": "request-id-test-jwks",
        "status_code": 200,
    })
}

pub const CONSUMER_JWKS: &str = "/v1/sessions/jwks/project-test-11111111-2222-3333-4444-555555555555";
pub const B2B_JWKS: &str = "/v1/b2b/sessions/jwks/project-test-11111111-2222-3333-4444-555555555555";

/// A mock of `GET jwks_path` answering with `keys`.
pub fn jwks_mock(jwks_path: &str, keys: &[&TestKey]) -> Mock {
    Mock::given(method("GET"))
        .and(path(jwks_path))
        .respond_with(ResponseTemplate::new(200).set_body_json(jwks_body(keys)))
}

/// A server, a clock at [`START`], and a client configuration for both.
pub struct Env {
    pub server: MockServer,
    pub clock: Arc<ManualClock>,
}

impl Env {
    pub async fn new() -> Env {
        let server = MockServer::start().await;
        let clock = Arc::new(ManualClock::new(UNIX_EPOCH + Duration::from_secs(START as u64)));
        Env { server, clock }
    }

    pub fn config(&self) -> ClientConfig {
        ClientConfig::new(PROJECT_ID, SECRET).env(Environment::Custom(self.server.uri())).allow_http_loopback().clock(self.clock.clone())
    }

    #[cfg(feature = "consumer")]
    pub fn client(&self) -> stytch_generated::Client {
        stytch_generated::Client::with_config(self.config()).expect("client builds")
    }

    #[cfg(feature = "b2b")]
    pub fn b2b_client(&self) -> stytch_generated::B2BClient {
        stytch_generated::B2BClient::with_config(self.config()).expect("client builds")
    }

    /// The clock's time, in seconds since the epoch.
    pub fn now(&self) -> i64 {
        use stytch_generated::ext::Clock as _;
        self.clock.now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
    }

    pub fn advance(&self, secs: u64) {
        self.clock.advance(Duration::from_secs(secs));
    }
}

/// The `Authorization` header of project credentials: `"Basic " + base64(id:secret)`.
pub fn basic_auth() -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{PROJECT_ID}:{SECRET}")))
}

/// The issuer Stytch puts in tokens.
pub fn issuer() -> String {
    format!("stytch.com/{PROJECT_ID}")
}

/// A session claim as Stytch issues it.
pub fn session_claim(roles: &[&str]) -> Value {
    json!({
        "id": "session-test-fe6c042b-6286-479f-8a4f-b046a6c46509",
        "started_at": "2023-11-14T22:10:00Z",
        "last_accessed_at": "2023-11-14T22:13:20Z",
        "expires_at": "2023-11-14T23:13:20Z",
        "attributes": {"ip_address": "203.0.113.1", "user_agent": "Mozilla/5.0"},
        "authentication_factors": [{
            "type": "magic_link",
            "delivery_method": "email",
            "last_authenticated_at": "2023-11-14T22:10:00Z",
            "email_factor": {"email_id": "email-test-1", "email_address": "sandbox@stytch.com"},
        }],
        "roles": roles,
    })
}

/// The claims of a consumer session JWT issued at `now`, valid for five minutes.
pub fn session_claims(now: i64) -> Value {
    json!({
        "sub": "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6",
        "iss": issuer(),
        "aud": [PROJECT_ID],
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "https://stytch.com/session": session_claim(&["stytch_user", "editor"]),
    })
}

/// `claims` with `key` set to `value` (or removed when `value` is null).
pub fn with(mut claims: Value, key: &str, value: Value) -> Value {
    let map = claims.as_object_mut().unwrap();
    if value.is_null() {
        map.remove(key);
    } else {
        map.insert(key.to_owned(), value);
    }
    claims
}

/// The requests `server` received at `path`.
pub async fn requests_to(server: &MockServer, request_path: &str) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .into_iter()
        .filter(|r| r.url.path() == request_path)
        .collect()
}

/// The project's RBAC policy used by the tests: roles, resources and scopes.
pub fn policy() -> Value {
    json!({
        "roles": [
            {"role_id": "stytch_user", "description": "", "permissions": [
                {"resource_id": "profile", "actions": ["read"]},
            ]},
            {"role_id": "editor", "description": "", "permissions": [
                {"resource_id": "documents", "actions": ["read", "write"]},
            ]},
            {"role_id": "admin", "description": "", "permissions": [
                {"resource_id": "documents", "actions": ["*"]},
                {"resource_id": "billing", "actions": ["*"]},
            ]},
        ],
        "resources": [
            {"resource_id": "documents", "description": "", "actions": ["read", "write", "delete"]},
            {"resource_id": "billing", "description": "", "actions": ["read", "pay"]},
            {"resource_id": "profile", "description": "", "actions": ["read"]},
        ],
        "scopes": [
            {"scope": "read:documents", "description": "", "permissions": [
                {"resource_id": "documents", "actions": ["read"]},
            ]},
            {"scope": "admin:billing", "description": "", "permissions": [
                {"resource_id": "billing", "actions": ["*"]},
            ]},
        ],
    })
}

/// The body of an RBAC policy response.
pub fn policy_body() -> Value {
    json!({"request_id": "request-id-test-policy", "status_code": 200, "policy": policy()})
}
