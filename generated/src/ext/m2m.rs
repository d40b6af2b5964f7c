//! Machine-to-machine access tokens: getting one and verifying one locally.
//!
//! Mirrors the `MANUAL(token)` and `MANUAL(authenticateToken)` sections of `dist/b2c/m2m.js`,
//! `authenticateM2MJwtLocal` of `dist/shared/sessions.js` and `performAuthorizationCheck` of
//! `dist/b2c/m2m_local.js`.

use serde_json::Value;

use super::config::{ClientKind, StytchContext};
use super::error::{AuthError, ClientError, ClientErrorCode};
use super::jwt::{JwtOptions, authenticate_jwt_local, without};
use crate::b2c::m2m::{AuthenticateTokenRequest, AuthenticateTokenResponse, M2m, TokenRequest, TokenResponse};
use crate::runtime::{Method, Request};

/// The default scope authorization of `authenticate_token` (`performAuthorizationCheck` of
/// `dist/b2c/m2m_local.js`).
///
/// Scopes are either plain (`"read"`, resource `-`) or `"action:resource"`. Every required scope
/// must be held: its action with the same resource, or with the wildcard resource `*`
/// (`"read:*"` grants `"read:users"`).
pub fn perform_authorization_check(has_scopes: &[String], required_scopes: &[String]) -> bool {
    use std::collections::{HashMap, HashSet};

    /// JS `[action, resource] = scope.split(":")` (only the first two parts count).
    fn split(scope: &str) -> (&str, &str) {
        if scope.contains(':') {
            let mut parts = scope.split(':');
            (parts.next().unwrap_or_default(), parts.next().unwrap_or_default())
        } else {
            (scope, "-")
        }
    }

    let mut client_scopes: HashMap<&str, HashSet<&str>> = HashMap::new();
    for scope in has_scopes {
        let (action, resource) = split(scope);
        client_scopes.entry(action).or_default().insert(resource);
    }
    required_scopes.iter().all(|required| {
        let (action, resource) = split(required);
        client_scopes.get(action).is_some_and(|resources| resources.contains("*") || resources.contains(resource))
    })
}

impl M2m {
    /// Gets an access token for an M2M client with the client-credentials grant (JS
    /// `m2m.token`).
    ///
    /// As the JS SDK, this is a form-encoded `POST /v1/public/{project_id}/oauth2/token` with
    /// `client_id`, `client_secret`, `grant_type=client_credentials` and, when `scopes` is not
    /// empty, `scope` (the scopes joined with spaces); it sends only the user agent and the
    /// content type, and no project credentials.
    pub async fn token(&self, data: &TokenRequest) -> Result<TokenResponse, crate::Error> {
        let ctx = StytchContext::of(self.transport())?;
        let mut request = Request::new(Method::POST, format!("/v1/public/{}/oauth2/token", ctx.project_id))
            .form_field("client_id", &data.client_id)
            .form_field("client_secret", &data.client_secret)
            .form_field("grant_type", "client_credentials");
        if let Some(scopes) = data.scopes.as_ref().filter(|s| !s.is_empty()) {
            request = request.form_field("scope", &scopes.join(" "));
        }
        self.transport().send_checked(request.without_auth()).await
    }

    /// Verifies an M2M access token locally (JS `m2m.authenticateToken`), checking
    /// `required_scopes` with [`perform_authorization_check`].
    pub async fn authenticate_token(
        &self,
        data: &AuthenticateTokenRequest,
    ) -> Result<AuthenticateTokenResponse, AuthError> {
        self.authenticate_token_with(data, perform_authorization_check).await
    }

    /// As [`M2m::authenticate_token`], with a custom scope authorization function (JS
    /// `ScopeAuthorizationFunc`), called with the token's scopes and the required scopes when
    /// `required_scopes` is not empty; `false` fails with `missing_scopes`.
    ///
    /// The token must be signed by a key of the project's JWKS (the B2B one for a client built
    /// as [`crate::B2BClient`]), name the project as audience and `stytch.com/{project_id}` (or
    /// the base URL) as issuer, be within its `nbf`/`exp` (allowing `clock_tolerance_seconds`),
    /// younger than `max_token_age_seconds` when given, and carry a `scope` claim.
    pub async fn authenticate_token_with<F>(
        &self,
        data: &AuthenticateTokenRequest,
        scope_authorization_func: F,
    ) -> Result<AuthenticateTokenResponse, AuthError>
    where
        F: FnOnce(&[String], &[String]) -> bool,
    {
        let ctx = StytchContext::of(self.transport())?;
        let jwks = match ctx.kind {
            ClientKind::Consumer => &ctx.consumer_jwks,
            ClientKind::B2B => &ctx.b2b_jwks,
        };
        let options = JwtOptions {
            clock_tolerance_seconds: data.clock_tolerance_seconds,
            max_token_age_seconds: data.max_token_age_seconds,
            current_date: None,
        };
        // authenticateM2MJwtLocal
        let verified = authenticate_jwt_local(ctx, self.transport(), jwks, &data.access_token, options).await?;
        let Some(Value::String(scope)) = verified.custom_claims.get("scope") else {
            // JS: `scope.split` of undefined, a TypeError.
            return Err(ClientError::new(ClientErrorCode::JwtInvalid, "JWT was missing the scope claim").into());
        };
        let scopes: Vec<String> = scope.split(' ').map(str::to_owned).collect();
        let client_id = match verified.payload.get("sub") {
            Some(Value::String(sub)) => sub.clone(),
            _ => String::new(),
        };
        let custom_claims = without(&verified.custom_claims, &["scope"]);

        let required = data.required_scopes.as_ref().filter(|r| !r.is_empty());
        if let Some(required) = required.filter(|required| !scope_authorization_func(&scopes, required)) {
            return Err(ClientError::new(ClientErrorCode::MissingScopes, "Missing at least one required scope")
                .with_cause(required.join(","))
                .into());
        }
        Ok(AuthenticateTokenResponse { client_id, scopes, custom_claims: custom_claims.into_iter().collect() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn scope_check_matches_m2m_local_js() {
        let has = strings(&["read:users", "write:*", "admin"]);
        assert!(perform_authorization_check(&has, &strings(&["read:users"])));
        assert!(perform_authorization_check(&has, &strings(&["write:anything", "admin"])));
        assert!(!perform_authorization_check(&has, &strings(&["read:books"])));
        assert!(!perform_authorization_check(&has, &strings(&["admin:users"])));
        assert!(!perform_authorization_check(&has, &strings(&["delete"])));
        assert!(perform_authorization_check(&has, &[]));
        // Only the first two parts of "a:b:c" count.
        assert!(perform_authorization_check(&strings(&["read:users:extra"]), &strings(&["read:users:other"])));
    }
}
