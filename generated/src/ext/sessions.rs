//! Session JWT authentication, preferring local verification.
//!
//! Mirrors the `MANUAL(authenticateJwt)` sections of `dist/b2c/sessions.js` and
//! `dist/b2b/sessions.js`, with `authenticateSessionJwtLocal` of `dist/shared/sessions.js`:
//!
//! - `authenticate_jwt_local` verifies the JWT against the project's JWKS (see
//!   [`crate::ext::jwks`]), checks `max_token_age_seconds` against `iat`, turns the
//!   `https://stytch.com/session` claim (and, for B2B, `https://stytch.com/organization`) into the
//!   generated session type, with every other non-registered claim in `custom_claims`, and runs
//!   the RBAC `authorization_check` against the cached policy (see [`crate::ext::rbac`]).
//! - `authenticate_jwt` calls the API's `authenticate` directly when `max_token_age_seconds` is
//!   zero, and otherwise whenever the local verification fails for any reason (signature, expiry,
//!   age, missing claims, a failed authorization check, an unreachable JWKS or policy).

use std::time::SystemTime;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::clock::{parse_rfc3339_millis, to_iso_string};
use super::error::{AuthError, ClientError, ClientErrorCode};
use super::jwt::VerifiedJwt;

/// The Stytch session claim.
pub const SESSION_CLAIM: &str = "https://stytch.com/session";
/// The Stytch organization claim of B2B tokens.
pub const ORGANIZATION_CLAIM: &str = "https://stytch.com/organization";

/// The fields of the session claim `authenticateSessionJwtLocal` reads.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SessionClaim {
    id: Value,
    attributes: Value,
    authentication_factors: Value,
    started_at: Value,
    last_accessed_at: Value,
    expires_at: Value,
    roles: Value,
}

/// `authenticateSessionJwtLocal`'s `IntermediateSession`.
#[derive(Debug)]
struct IntermediateSession {
    sub: String,
    claim: SessionClaim,
    expires_at: String,
    custom_claims: Map<String, Value>,
}

fn invalid(message: impl Into<String>) -> ClientError {
    ClientError::new(ClientErrorCode::JwtInvalid, message)
}

/// A claim value into a generated type; a missing value (JS `undefined`) gives the default.
fn typed<T: serde::de::DeserializeOwned + Default>(value: Value, name: &str) -> Result<T, ClientError> {
    if value.is_null() {
        return Ok(T::default());
    }
    serde_json::from_value(value).map_err(|e| invalid(format!("unexpected {name} in the session claim")).with_cause(e))
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

/// `authenticateSessionJwtLocal` after the verification: splits off the session claim and
/// computes `expires_at`.
fn intermediate_session(verified: VerifiedJwt) -> Result<IntermediateSession, ClientError> {
    let VerifiedJwt { payload, mut custom_claims } = verified;
    let claim = match custom_claims.remove(SESSION_CLAIM) {
        Some(claim @ Value::Object(_)) => typed::<SessionClaim>(claim, "shape")?,
        // JS: `claim.id` of undefined, a TypeError.
        _ => return Err(invalid(format!("JWT was missing the {SESSION_CLAIM} claim"))),
    };
    // `new Date(claim.expires_at || (payload.exp || 0) * 1000).toISOString()`
    let millis = match &claim.expires_at {
        Value::String(s) if !s.is_empty() => parse_rfc3339_millis(s),
        Value::Number(n) if n.as_f64() != Some(0.0) => n.as_f64().map(|ms| ms as i64),
        _ => Some(payload.get("exp").and_then(Value::as_f64).map_or(0, |exp| (exp * 1000.0) as i64)),
    };
    let expires_at = millis.and_then(to_iso_string).ok_or_else(|| invalid("RangeError: Invalid time value"))?;
    let sub = match payload.get("sub") {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    Ok(IntermediateSession { sub, claim, expires_at, custom_claims })
}

/// Parses the `current_date` of a local request (an RFC 3339 timestamp; JS takes a `Date`).
fn current_date(value: Option<&str>) -> Result<Option<SystemTime>, ClientError> {
    value
        .map(|s| {
            parse_rfc3339_millis(s)
                .map(super::clock::from_epoch_millis)
                .ok_or_else(|| invalid(format!("current_date {s:?} is not an RFC 3339 timestamp")))
        })
        .transpose()
}

#[cfg(feature = "consumer")]
mod consumer {
    use super::*;
    use crate::b2c::rbac::Rbac;
    use crate::b2c::sessions::{
        Session, Sessions, SessionsAuthenticateJwtLocalRequest, SessionsAuthenticateJwtRequest,
        SessionsAuthenticateRequest, SessionsAuthenticateResponse, SessionsAuthorizationCheck,
    };
    use crate::ext::config::StytchContext;
    use crate::ext::jwt::{JwtOptions, authenticate_jwt_local, check_size};
    use crate::ext::rbac::perform_authorization_check;

    /// What [`Sessions::authenticate_jwt`] returns: the session and JWT, as the JS
    /// `{ session, session_jwt }`, and the API's whole answer when the JWT was checked remotely.
    #[derive(Debug, Clone, PartialEq)]
    pub struct AuthenticateJwtResponse {
        /// The authenticated session.
        pub session: Session,
        /// The JWT given when verified locally; the API's (possibly refreshed) JWT otherwise.
        pub session_jwt: String,
        /// The response of [`Sessions::authenticate`] when the JWT was checked remotely; `None`
        /// when it was verified locally.
        pub authenticate_response: Option<Box<SessionsAuthenticateResponse>>,
    }

    impl Sessions {
        /// Authenticates a session JWT, locally when possible (JS `sessions.authenticateJwt`).
        ///
        /// With `max_token_age_seconds` zero, the API's `authenticate` is called directly (so
        /// `session_duration_minutes` and `session_custom_claims` apply). Otherwise the JWT is
        /// verified locally, as [`Sessions::authenticate_jwt_local`] does; if that fails for any
        /// reason (including a JWT older than `max_token_age_seconds` or a failed
        /// `authorization_check`), the API's `authenticate` decides.
        pub async fn authenticate_jwt(
            &self,
            params: &SessionsAuthenticateJwtRequest,
        ) -> Result<AuthenticateJwtResponse, AuthError> {
            // Too long to be a Stytch JWT: neither decoded here nor sent to the API.
            check_size(&params.session_jwt)?;
            if params.max_token_age_seconds != Some(0) {
                let local = self
                    .local(
                        &params.session_jwt,
                        params.authorization_check.as_ref(),
                        JwtOptions { max_token_age_seconds: params.max_token_age_seconds, ..JwtOptions::default() },
                    )
                    .await;
                if let Ok(session) = local {
                    return Ok(AuthenticateJwtResponse {
                        session,
                        session_jwt: params.session_jwt.clone(),
                        authenticate_response: None,
                    });
                }
            }
            let response = self
                .authenticate(&SessionsAuthenticateRequest {
                    session_jwt: Some(params.session_jwt.clone()),
                    authorization_check: params.authorization_check.clone(),
                    session_duration_minutes: params.session_duration_minutes,
                    session_custom_claims: params.session_custom_claims.clone(),
                    ..SessionsAuthenticateRequest::default()
                })
                .await?;
            Ok(AuthenticateJwtResponse {
                session: response.session.clone(),
                session_jwt: response.session_jwt.clone(),
                authenticate_response: Some(Box::new(response)),
            })
        }

        /// Verifies a session JWT locally, without calling `/v1/sessions/authenticate` (JS
        /// `sessions.authenticateJwtLocal`).
        ///
        /// The JWT must be signed by a key of the project's JWKS, name the project as audience,
        /// `stytch.com/{project_id}` (or the base URL) as issuer, not be expired or not yet
        /// valid (allowing `clock_tolerance_seconds`, checked at `current_date`, an RFC 3339
        /// timestamp, or the client's clock), and carry the Stytch session claim. With
        /// `max_token_age_seconds`, a JWT issued that long ago or longer fails with
        /// `jwt_too_old` (zero: every JWT). With `authorization_check`, the session's roles must
        /// grant the action on the resource in the project's RBAC policy (`invalid_permissions`).
        pub async fn authenticate_jwt_local(
            &self,
            params: &SessionsAuthenticateJwtLocalRequest,
        ) -> Result<Session, AuthError> {
            let options = JwtOptions {
                clock_tolerance_seconds: params.clock_tolerance_seconds,
                max_token_age_seconds: params.max_token_age_seconds,
                current_date: current_date(params.current_date.as_deref())?,
            };
            self.local(&params.session_jwt, params.authorization_check.as_ref(), options).await
        }

        async fn local(
            &self,
            jwt: &str,
            authorization_check: Option<&SessionsAuthorizationCheck>,
            options: JwtOptions,
        ) -> Result<Session, AuthError> {
            let ctx = StytchContext::of(self.transport())?;
            let verified = authenticate_jwt_local(ctx, self.transport(), &ctx.consumer_jwks, jwt, options).await?;
            let sess = intermediate_session(verified)?;
            let roles: Vec<String> = typed(sess.claim.roles, "roles")?;
            if let Some(check) = authorization_check {
                let rbac = Rbac::from_transport(self.transport().clone());
                let policy = ctx.consumer_policy.get_policy(&rbac, ctx).await?;
                perform_authorization_check(&policy.roles, &roles, check)?;
            }
            Ok(Session {
                session_id: text(&sess.claim.id).unwrap_or_default(),
                attributes: typed(sess.claim.attributes, "attributes")?,
                authentication_factors: typed(sess.claim.authentication_factors, "authentication_factors")?,
                user_id: sess.sub,
                started_at: text(&sess.claim.started_at),
                last_accessed_at: text(&sess.claim.last_accessed_at),
                expires_at: Some(sess.expires_at),
                custom_claims: Some(sess.custom_claims.into_iter().collect()),
                roles,
            })
        }
    }
}

#[cfg(feature = "consumer")]
pub use consumer::AuthenticateJwtResponse;

#[cfg(feature = "b2b")]
mod b2b {
    use super::*;
    use crate::b2b::rbac::Rbac;
    use crate::b2b::sessions::{
        AuthorizationCheck, B2BSessionsAuthenticateJwtLocalRequest, B2BSessionsAuthenticateJwtRequest,
        B2BSessionsAuthenticateRequest, B2BSessionsAuthenticateResponse, MemberSession, Sessions,
    };
    use crate::ext::config::StytchContext;
    use crate::ext::jwt::{JwtOptions, authenticate_jwt_local, check_size};
    use crate::ext::rbac::perform_b2b_authorization_check;

    /// What the B2B [`Sessions::authenticate_jwt`] returns: the member session and JWT, as the
    /// JS `{ member_session, session_jwt }`, and the API's whole answer when the JWT was checked
    /// remotely.
    #[derive(Debug, Clone, PartialEq)]
    pub struct B2BAuthenticateJwtResponse {
        /// The authenticated member session.
        pub member_session: MemberSession,
        /// The JWT given when verified locally; the API's (possibly refreshed) JWT otherwise.
        pub session_jwt: String,
        /// The response of [`Sessions::authenticate`] when the JWT was checked remotely; `None`
        /// when it was verified locally.
        pub authenticate_response: Option<Box<B2BSessionsAuthenticateResponse>>,
    }

    /// The organization claim of B2B session JWTs.
    #[derive(Debug, Default, Deserialize)]
    #[serde(default)]
    struct OrganizationClaim {
        organization_id: Value,
        slug: Value,
    }

    impl Sessions {
        /// Authenticates a member session JWT, locally when possible (JS
        /// `sessions.authenticateJwt`).
        ///
        /// With `max_token_age_seconds` zero, the API's `authenticate` is called directly.
        /// Otherwise the JWT is verified locally, as [`Sessions::authenticate_jwt_local`] does;
        /// if that fails for any reason, the API's `authenticate` decides.
        pub async fn authenticate_jwt(
            &self,
            params: &B2BSessionsAuthenticateJwtRequest,
        ) -> Result<B2BAuthenticateJwtResponse, AuthError> {
            // Too long to be a Stytch JWT: neither decoded here nor sent to the API.
            check_size(&params.session_jwt)?;
            if params.max_token_age_seconds != Some(0) {
                let local = self
                    .local(
                        &params.session_jwt,
                        params.authorization_check.as_ref(),
                        JwtOptions { max_token_age_seconds: params.max_token_age_seconds, ..JwtOptions::default() },
                    )
                    .await;
                if let Ok(member_session) = local {
                    return Ok(B2BAuthenticateJwtResponse {
                        member_session,
                        session_jwt: params.session_jwt.clone(),
                        authenticate_response: None,
                    });
                }
            }
            let response = self
                .authenticate(&B2BSessionsAuthenticateRequest {
                    session_jwt: Some(params.session_jwt.clone()),
                    authorization_check: params.authorization_check.clone(),
                    session_duration_minutes: params.session_duration_minutes,
                    session_custom_claims: params.session_custom_claims.clone(),
                    ..B2BSessionsAuthenticateRequest::default()
                })
                .await?;
            Ok(B2BAuthenticateJwtResponse {
                member_session: response.member_session.clone(),
                session_jwt: response.session_jwt.clone(),
                authenticate_response: Some(Box::new(response)),
            })
        }

        /// Verifies a member session JWT locally, without calling
        /// `/v1/b2b/sessions/authenticate` (JS `sessions.authenticateJwtLocal`).
        ///
        /// The checks are those of the consumer `authenticate_jwt_local`, against the B2B JWKS;
        /// the JWT must also carry the `https://stytch.com/organization` claim. With
        /// `authorization_check`, the member's organization must be the check's
        /// (`tenancy_mismatch`) and the member's roles, in the project policy plus the
        /// organization's policy, must grant the action on the resource
        /// (`invalid_permissions`).
        pub async fn authenticate_jwt_local(
            &self,
            params: &B2BSessionsAuthenticateJwtLocalRequest,
        ) -> Result<MemberSession, AuthError> {
            let options = JwtOptions {
                clock_tolerance_seconds: params.clock_tolerance_seconds,
                max_token_age_seconds: params.max_token_age_seconds,
                current_date: current_date(params.current_date.as_deref())?,
            };
            self.local(&params.session_jwt, params.authorization_check.as_ref(), options).await
        }

        async fn local(
            &self,
            jwt: &str,
            authorization_check: Option<&AuthorizationCheck>,
            options: JwtOptions,
        ) -> Result<MemberSession, AuthError> {
            let ctx = StytchContext::of(self.transport())?;
            let verified = authenticate_jwt_local(ctx, self.transport(), &ctx.b2b_jwks, jwt, options).await?;
            let mut sess = intermediate_session(verified)?;
            let org_claim: OrganizationClaim = match sess.custom_claims.remove(ORGANIZATION_CLAIM) {
                Some(claim @ Value::Object(_)) => typed(claim, "organization claim")?,
                // JS: `orgClaim.organization_id` of undefined, a TypeError.
                _ => return Err(invalid(format!("JWT was missing the {ORGANIZATION_CLAIM} claim")).into()),
            };
            let organization_id = text(&org_claim.organization_id).unwrap_or_default();
            let roles: Vec<String> = typed(sess.claim.roles, "roles")?;
            if let Some(check) = authorization_check {
                let rbac = Rbac::from_transport(self.transport().clone());
                let project_policy = ctx.b2b_policy.get_policy(&rbac, ctx).await?;
                let org_policy = ctx.b2b_policy.get_org_policy(&rbac, ctx, &organization_id).await?;
                let policy_roles: Vec<_> =
                    project_policy.roles.iter().chain(org_policy.roles.iter()).cloned().collect();
                perform_b2b_authorization_check(&policy_roles, &roles, &organization_id, check)?;
            }
            Ok(MemberSession {
                member_session_id: text(&sess.claim.id).unwrap_or_default(),
                member_id: sess.sub,
                organization_id,
                authentication_factors: typed(sess.claim.authentication_factors, "authentication_factors")?,
                started_at: text(&sess.claim.started_at).unwrap_or_default(),
                last_accessed_at: text(&sess.claim.last_accessed_at).unwrap_or_default(),
                expires_at: sess.expires_at,
                custom_claims: Some(sess.custom_claims.into_iter().collect()),
                roles,
                organization_slug: text(&org_claim.slug).unwrap_or_default(),
            })
        }
    }
}

#[cfg(feature = "b2b")]
pub use b2b::B2BAuthenticateJwtResponse;
