//! OAuth2 access token introspection for Stytch as an identity provider (Connected Apps).
//!
//! Mirrors the `MANUAL(introspectTokenNetwork)` sections of `dist/b2c/idp.js` and
//! `dist/b2b/idp.js`:
//!
//! - `introspect_token_network`: a form-encoded `POST /v1/public/{project_id}/oauth2/introspect`
//!   with `token`, `client_id` and, when not empty, `client_secret` and `token_type_hint`,
//!   sending only the user agent and content type (no project credentials). Any failure of the
//!   call is `token_invalid: Could not introspect token`; an inactive token is
//!   `token_invalid: Token was not active`.
//! - `introspect_token_local`: the JWT verification of `authenticate_jwt_local` (jose's `jwtVerify`, no maximum age).
//!
//! Both then run the optional RBAC scope check against the cached project policy (B2B: after the
//! `tenancy_mismatch` check), and split the claims the same way as the JS SDK.

use std::time::SystemTime;

use serde_json::{Map, Value};

use super::error::{ClientError, ClientErrorCode};
use super::jwt::without;

/// The claims the network introspection response holds besides custom claims.
const NETWORK_CLAIMS: [&str; 12] = [
    "aud",
    "exp",
    "iat",
    "iss",
    "nbf",
    "sub",
    "status_code",
    "scope",
    "active",
    "request_id",
    "token_type",
    "client_id",
];

/// The claims of a verified access token besides custom claims.
const LOCAL_CLAIMS: [&str; 8] = ["aud", "exp", "iat", "iss", "jti", "nbf", "sub", "scope"];

/// The options of `introspect_token_network` (JS `options`).
#[derive(Debug, Clone)]
pub struct IntrospectTokenNetworkOptions<C> {
    /// An RBAC check the token's scopes must pass.
    pub authorization_check: Option<C>,
}

impl<C> Default for IntrospectTokenNetworkOptions<C> {
    fn default() -> Self {
        IntrospectTokenNetworkOptions { authorization_check: None }
    }
}

/// The options of `introspect_token_local` (JS `options`).
#[derive(Debug, Clone)]
pub struct IntrospectTokenLocalOptions<C> {
    /// The allowed clock skew when checking `exp` and `nbf` (default zero).
    pub clock_tolerance_seconds: Option<i64>,
    /// The time the claims are checked at (default: the client's clock).
    pub current_date: Option<SystemTime>,
    /// An RBAC check the token's scopes must pass.
    pub authorization_check: Option<C>,
}

impl<C> Default for IntrospectTokenLocalOptions<C> {
    fn default() -> Self {
        IntrospectTokenLocalOptions { clock_tolerance_seconds: None, current_date: None, authorization_check: None }
    }
}

/// The claims both introspections return (fields that are missing are empty or zero).
struct Claims {
    subject: String,
    scope: String,
    audience: Value,
    expires_at: i64,
    issued_at: i64,
    issuer: String,
    not_before: i64,
    custom_claims: std::collections::BTreeMap<String, Value>,
}

impl Claims {
    fn from_payload(payload: &Map<String, Value>, custom_claims: Map<String, Value>) -> Claims {
        let text = |key: &str| payload.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
        let number = |key: &str| payload.get(key).and_then(Value::as_f64).map_or(0, |n| n as i64);
        Claims {
            subject: text("sub"),
            scope: text("scope"),
            audience: payload.get("aud").cloned().unwrap_or(Value::Null),
            expires_at: number("exp"),
            issued_at: number("iat"),
            issuer: text("iss"),
            not_before: number("nbf"),
            custom_claims: custom_claims.into_iter().collect(),
        }
    }

    /// JS `_scope.trim().split(" ")`.
    fn token_scopes(&self) -> Vec<String> {
        self.scope.trim().split(' ').map(str::to_owned).collect()
    }
}

/// The organization claim of a B2B token or introspection response.
#[cfg(feature = "b2b")]
fn organization_claim(
    payload: &Map<String, Value>,
    code: ClientErrorCode,
) -> Result<crate::b2b::idp::OrganizationClaim, ClientError> {
    match payload.get(super::sessions::ORGANIZATION_CLAIM) {
        Some(Value::Object(claim)) => {
            let text = |key: &str| claim.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
            Ok(crate::b2b::idp::OrganizationClaim::new(text("organization_id"), text("slug")))
        }
        // JS: `_organization_claim.organization_id` of undefined, a TypeError.
        _ => {
            Err(ClientError::new(code, format!("Token was missing the {} claim", super::sessions::ORGANIZATION_CLAIM)))
        }
    }
}

/// The introspection request both clients send.
fn introspect_request(
    project_id: &str,
    token: &str,
    client_id: &str,
    client_secret: Option<&str>,
    token_type_hint: Option<&str>,
) -> crate::runtime::Request {
    let mut request = crate::runtime::Request::new(
        crate::runtime::Method::POST,
        format!("/v1/public/{project_id}/oauth2/introspect"),
    )
    .form_field("token", token)
    .form_field("client_id", client_id);
    if let Some(secret) = client_secret.filter(|s| !s.is_empty()) {
        request = request.form_field("client_secret", secret);
    }
    if let Some(hint) = token_type_hint.filter(|s| !s.is_empty()) {
        request = request.form_field("token_type_hint", hint);
    }
    request.without_auth()
}

/// Sends the introspection request and keeps the response of an active token.
async fn introspect(
    transport: &crate::runtime::Transport,
    request: crate::runtime::Request,
) -> Result<Map<String, Value>, ClientError> {
    let response = transport
        .send_json(request)
        .await
        .map_err(|e| ClientError::new(ClientErrorCode::TokenInvalid, "Could not introspect token").with_cause(e))?;
    let active = response.get("active").is_some_and(js_truthy);
    match response {
        Value::Object(map) if active => Ok(map),
        _ => Err(ClientError::new(ClientErrorCode::TokenInvalid, "Token was not active")),
    }
}

/// JS truthiness of a JSON value.
fn js_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

#[cfg(feature = "consumer")]
mod consumer {
    use super::*;
    use crate::b2c::idp::{Idp, IntrospectTokenClaims, IntrospectTokenClaimsAudience, IntrospectTokenRequest};
    use crate::b2c::rbac::Rbac;
    use crate::b2c::sessions::SessionsAuthorizationCheck;
    use crate::ext::config::StytchContext;
    use crate::ext::error::AuthError;
    use crate::ext::jwt::verify_jwt;
    use crate::ext::rbac::perform_scope_authorization_check;

    fn audience(aud: Value) -> IntrospectTokenClaimsAudience {
        match aud {
            Value::String(s) => IntrospectTokenClaimsAudience::String(s),
            Value::Array(items) => IntrospectTokenClaimsAudience::List(
                items.into_iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
            ),
            _ => IntrospectTokenClaimsAudience::List(Vec::new()),
        }
    }

    impl Idp {
        /// Introspects an access token with the API (JS `idp.introspectTokenNetwork`).
        ///
        /// Fails with `token_invalid` when the call fails or the token is not active, and,
        /// with an `authorization_check`, with `invalid_permissions` when the token's scopes do
        /// not grant the action on the resource in the project's RBAC policy.
        pub async fn introspect_token_network(
            &self,
            data: &IntrospectTokenRequest,
            options: &IntrospectTokenNetworkOptions<SessionsAuthorizationCheck>,
        ) -> Result<IntrospectTokenClaims, AuthError> {
            let ctx = StytchContext::of(self.transport())?;
            let request = introspect_request(
                &ctx.project_id,
                &data.token,
                &data.client_id,
                data.client_secret.as_deref(),
                data.token_type_hint.as_deref(),
            );
            let response = introspect(self.transport(), request).await?;
            let token_type = response.get("token_type").and_then(Value::as_str).unwrap_or_default().to_owned();
            let claims = Claims::from_payload(&response, without(&response, &NETWORK_CLAIMS));
            self.authorize(ctx, &claims, options.authorization_check.as_ref()).await?;
            Ok(into_claims(claims, token_type))
        }

        /// Verifies an access token JWT locally (JS `idp.introspectTokenLocal`): signed by a
        /// key of the project's JWKS, for the project, from `stytch.com/{project_id}` (or the
        /// base URL), within `nbf`/`exp` (allowing `clock_tolerance_seconds`, at
        /// `current_date`). Fails with `jwt_invalid`, or `invalid_permissions` for a failed
        /// `authorization_check`.
        pub async fn introspect_token_local(
            &self,
            token_jwt: &str,
            options: &IntrospectTokenLocalOptions<SessionsAuthorizationCheck>,
        ) -> Result<IntrospectTokenClaims, AuthError> {
            let ctx = StytchContext::of(self.transport())?;
            let payload = verify_jwt(
                ctx,
                self.transport(),
                &ctx.consumer_jwks,
                token_jwt,
                options.clock_tolerance_seconds,
                options.current_date,
            )
            .await?;
            let claims = Claims::from_payload(&payload, without(&payload, &LOCAL_CLAIMS));
            self.authorize(ctx, &claims, options.authorization_check.as_ref()).await?;
            Ok(into_claims(claims, "access_token".to_owned()))
        }

        async fn authorize(
            &self,
            ctx: &StytchContext,
            claims: &Claims,
            check: Option<&SessionsAuthorizationCheck>,
        ) -> Result<(), AuthError> {
            if let Some(check) = check {
                let rbac = Rbac::from_transport(self.transport().clone());
                let policy = ctx.consumer_policy.get_policy(&rbac, ctx).await?;
                perform_scope_authorization_check(&policy, &claims.token_scopes(), check)?;
            }
            Ok(())
        }
    }

    fn into_claims(claims: Claims, token_type: String) -> IntrospectTokenClaims {
        IntrospectTokenClaims {
            subject: claims.subject,
            scope: claims.scope,
            custom_claims: claims.custom_claims,
            audience: audience(claims.audience),
            expires_at: claims.expires_at,
            issued_at: claims.issued_at,
            issuer: claims.issuer,
            not_before: claims.not_before,
            token_type,
        }
    }
}

#[cfg(feature = "b2b")]
mod b2b {
    use super::*;
    use crate::b2b::idp::{
        B2BIntrospectTokenClaims, B2BIntrospectTokenClaimsAudience, B2BIntrospectTokenRequest, Idp, OrganizationClaim,
    };
    use crate::b2b::rbac::Rbac;
    use crate::b2b::sessions::AuthorizationCheck;
    use crate::ext::config::StytchContext;
    use crate::ext::error::AuthError;
    use crate::ext::jwt::verify_jwt;
    use crate::ext::rbac::perform_b2b_scope_authorization_check;
    use crate::ext::sessions::ORGANIZATION_CLAIM;

    fn audience(aud: Value) -> B2BIntrospectTokenClaimsAudience {
        match aud {
            Value::String(s) => B2BIntrospectTokenClaimsAudience::String(s),
            Value::Array(items) => B2BIntrospectTokenClaimsAudience::List(
                items.into_iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
            ),
            _ => B2BIntrospectTokenClaimsAudience::List(Vec::new()),
        }
    }

    impl Idp {
        /// Introspects an access token with the API (JS `idp.introspectTokenNetwork`).
        ///
        /// Fails with `token_invalid` when the call fails, the token is not active or has no
        /// organization claim, and, with an `authorization_check`, with `tenancy_mismatch` or
        /// `invalid_permissions` (the token's scopes in the project's RBAC policy).
        pub async fn introspect_token_network(
            &self,
            data: &B2BIntrospectTokenRequest,
            options: &IntrospectTokenNetworkOptions<AuthorizationCheck>,
        ) -> Result<B2BIntrospectTokenClaims, AuthError> {
            let ctx = StytchContext::of(self.transport())?;
            let request = introspect_request(
                &ctx.project_id,
                &data.token,
                &data.client_id,
                data.client_secret.as_deref(),
                data.token_type_hint.as_deref(),
            );
            let response = introspect(self.transport(), request).await?;
            let token_type = response.get("token_type").and_then(Value::as_str).unwrap_or_default().to_owned();
            let organization = organization_claim(&response, ClientErrorCode::TokenInvalid)?;
            let mut omitted = NETWORK_CLAIMS.to_vec();
            omitted.push(ORGANIZATION_CLAIM);
            let claims = Claims::from_payload(&response, without(&response, &omitted));
            self.authorize(ctx, &claims, &organization, options.authorization_check.as_ref()).await?;
            Ok(into_claims(claims, token_type, organization))
        }

        /// Verifies an access token JWT locally (JS `idp.introspectTokenLocal`), against the
        /// B2B JWKS; the token must carry the organization claim. Fails with `jwt_invalid`, or
        /// `tenancy_mismatch` / `invalid_permissions` for a failed `authorization_check`.
        pub async fn introspect_token_local(
            &self,
            token_jwt: &str,
            options: &IntrospectTokenLocalOptions<AuthorizationCheck>,
        ) -> Result<B2BIntrospectTokenClaims, AuthError> {
            let ctx = StytchContext::of(self.transport())?;
            let payload = verify_jwt(
                ctx,
                self.transport(),
                &ctx.b2b_jwks,
                token_jwt,
                options.clock_tolerance_seconds,
                options.current_date,
            )
            .await?;
            let organization = organization_claim(&payload, ClientErrorCode::JwtInvalid)?;
            let mut omitted = LOCAL_CLAIMS.to_vec();
            omitted.push(ORGANIZATION_CLAIM);
            let claims = Claims::from_payload(&payload, without(&payload, &omitted));
            self.authorize(ctx, &claims, &organization, options.authorization_check.as_ref()).await?;
            Ok(into_claims(claims, "access_token".to_owned(), organization))
        }

        async fn authorize(
            &self,
            ctx: &StytchContext,
            claims: &Claims,
            organization: &OrganizationClaim,
            check: Option<&AuthorizationCheck>,
        ) -> Result<(), AuthError> {
            if let Some(check) = check {
                let rbac = Rbac::from_transport(self.transport().clone());
                let policy = ctx.b2b_policy.get_policy(&rbac, ctx).await?;
                perform_b2b_scope_authorization_check(
                    &policy,
                    &claims.token_scopes(),
                    &organization.organization_id,
                    check,
                )?;
            }
            Ok(())
        }
    }

    fn into_claims(claims: Claims, token_type: String, organization: OrganizationClaim) -> B2BIntrospectTokenClaims {
        B2BIntrospectTokenClaims {
            subject: claims.subject,
            scope: claims.scope,
            custom_claims: claims.custom_claims,
            audience: audience(claims.audience),
            expires_at: claims.expires_at,
            issued_at: claims.issued_at,
            issuer: claims.issuer,
            not_before: claims.not_before,
            token_type,
            organization,
        }
    }
}
