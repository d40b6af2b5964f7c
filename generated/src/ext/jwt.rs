//! Local JWT verification.
//!
//! Mirrors `authenticateJwtLocal` of `dist/shared/sessions.js`, which calls jose's `jwtVerify`
//! with the options the JS clients build (`audience: project_id`,
//! `issuer: ["stytch.com/{project_id}", base URL without trailing slash]`, `typ: "JWT"`, the
//! caller's `clockTolerance` and `currentDate`), wraps every failure in
//! `ClientError("jwt_invalid", "Could not verify JWT", cause)`, then applies
//! `max_token_age_seconds` to `iat` itself. The signature is checked by `jsonwebtoken` (with
//! aws-lc-rs); the claim checks follow jose's `validateClaimsSet` one by one.
//!
//! Unlike jose, a token longer than [`MAX_JWT_BYTES`] is refused before any decoding.

use std::time::SystemTime;

use jsonwebtoken::{Validation, decode, decode_header};
use serde_json::{Map, Value};

use super::clock::epoch_millis;
use super::config::StytchContext;
use super::error::{ClientError, ClientErrorCode};
use super::jwks::JwksCache;
use crate::runtime::Transport;

/// The longest JWT accepted: 16 KiB. A token longer than this is refused (`jwt_invalid`) before
/// any base64 or JSON decoding, and [`crate::ext::sessions`]' `authenticate_jwt` does not send it
/// to the API either.
///
/// Real Stytch JWTs are 1 to 2 KiB; session JWTs travel in the `stytch_session_jwt` cookie,
/// which browsers cap at 4 KiB, and in headers, which common servers cap at 8 KiB (nginx's
/// default buffer): 16 KiB leaves twice that margin and still refuses a multi-megabyte token.
pub const MAX_JWT_BYTES: usize = 16 * 1024;

/// `Err(jwt_invalid)` when `jwt` is longer than [`MAX_JWT_BYTES`].
pub(crate) fn check_size(jwt: &str) -> Result<(), ClientError> {
    if jwt.len() <= MAX_JWT_BYTES {
        return Ok(());
    }
    Err(ClientError::new(ClientErrorCode::JwtInvalid, "Could not verify JWT")
        .with_cause(format!("the JWT is {} bytes long, more than the limit of {MAX_JWT_BYTES}", jwt.len())))
}

/// The registered claims the JS SDK leaves out of `custom_claims`.
pub(crate) const REGISTERED_CLAIMS: [&str; 7] = ["aud", "exp", "iat", "iss", "jti", "nbf", "sub"];

/// The options of `authenticateJwtLocal` (`clock_tolerance_seconds`, `max_token_age_seconds`,
/// `current_date`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct JwtOptions {
    pub(crate) clock_tolerance_seconds: Option<i64>,
    pub(crate) max_token_age_seconds: Option<i64>,
    /// The time the claims are checked against (default: the client's clock).
    pub(crate) current_date: Option<SystemTime>,
}

/// A verified token: its whole payload, and the payload without the registered claims.
#[derive(Debug, Clone)]
pub(crate) struct VerifiedJwt {
    pub(crate) payload: Map<String, Value>,
    pub(crate) custom_claims: Map<String, Value>,
}

/// A reason jose would reject a token, used as the cause of `jwt_invalid`.
#[derive(Debug)]
struct JoseError(String);

impl std::fmt::Display for JoseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JoseError {}

fn reject(message: impl Into<String>) -> Box<dyn std::error::Error + Send + Sync> {
    Box::new(JoseError(message.into()))
}

/// The payload without `keys`.
pub(crate) fn without(payload: &Map<String, Value>, keys: &[&str]) -> Map<String, Value> {
    payload.iter().filter(|(k, _)| !keys.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// JS `typ` normalization of jose (`application/` prefix dropped, lowercase).
fn normalize_typ(typ: &str) -> String {
    let lower = typ.to_ascii_lowercase();
    lower.strip_prefix("application/").map(str::to_owned).unwrap_or(lower)
}

/// jose's `jwtVerify(jwt, remoteJWKSet, {audience, issuer, typ: "JWT", clockTolerance, currentDate})`.
async fn jose_jwt_verify(
    ctx: &StytchContext,
    transport: &Transport,
    jwks: &JwksCache,
    jwt: &str,
    clock_tolerance_seconds: Option<i64>,
    now: SystemTime,
) -> Result<Map<String, Value>, Box<dyn std::error::Error + Send + Sync>> {
    let header = decode_header(jwt)?;
    let key = jwks.get_key(transport, ctx.clock(), &header).await?;

    // Only the signature (and the algorithm the key was chosen for) is checked here; the claims
    // are checked below exactly as jose does.
    let mut validation = Validation::new(header.alg);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    let payload = decode::<Value>(jwt, &key, &validation)?.claims;
    let Value::Object(payload) = payload else {
        return Err(reject("JWT Claims Set must be a top-level JSON object"));
    };

    // validateClaimsSet
    if header.typ.as_deref().map(normalize_typ).as_deref() != Some("jwt") {
        return Err(reject("unexpected \"typ\" JWT header value"));
    }
    for claim in ["iss", "aud"] {
        if !payload.contains_key(claim) {
            return Err(reject(format!("missing required \"{claim}\" claim")));
        }
    }
    let issuers = ctx.issuers();
    if !payload.get("iss").and_then(Value::as_str).is_some_and(|iss| issuers.iter().any(|i| i == iss)) {
        return Err(reject("unexpected \"iss\" claim value"));
    }
    let audience_ok = match payload.get("aud") {
        Some(Value::String(aud)) => *aud == ctx.project_id,
        Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(ctx.project_id.as_str())),
        _ => false,
    };
    if !audience_ok {
        return Err(reject("unexpected \"aud\" claim value"));
    }
    let tolerance = clock_tolerance_seconds.unwrap_or(0) as f64;
    // jose's epoch(): whole seconds.
    let now = epoch_millis(now).div_euclid(1000) as f64;
    if payload.get("iat").is_some_and(|iat| !iat.is_number()) {
        return Err(reject("\"iat\" claim must be a number"));
    }
    if let Some(nbf) = payload.get("nbf") {
        let Some(nbf) = nbf.as_f64() else {
            return Err(reject("\"nbf\" claim must be a number"));
        };
        if nbf > now + tolerance {
            return Err(reject("\"nbf\" claim timestamp check failed"));
        }
    }
    if let Some(exp) = payload.get("exp") {
        let Some(exp) = exp.as_f64() else {
            return Err(reject("\"exp\" claim must be a number"));
        };
        if exp <= now - tolerance {
            return Err(reject("\"exp\" claim timestamp check failed"));
        }
    }
    Ok(payload)
}

/// `authenticateJwtLocal` of `dist/shared/sessions.js`.
pub(crate) async fn authenticate_jwt_local(
    ctx: &StytchContext,
    transport: &Transport,
    jwks: &JwksCache,
    jwt: &str,
    options: JwtOptions,
) -> Result<VerifiedJwt, ClientError> {
    check_size(jwt)?;
    let now = options.current_date.unwrap_or_else(|| ctx.clock().now());
    let payload = jose_jwt_verify(ctx, transport, jwks, jwt, options.clock_tolerance_seconds, now)
        .await
        .map_err(|e| ClientError::new(ClientErrorCode::JwtInvalid, "Could not verify JWT").with_cause(e))?;

    if let Some(max_token_age) = options.max_token_age_seconds {
        // `if (!iat)`: missing, zero (and any other falsy value).
        let iat = payload.get("iat").filter(|iat| iat.as_f64().is_some_and(|v| v != 0.0));
        let Some(iat) = iat else {
            return Err(ClientError::new(ClientErrorCode::JwtInvalid, "JWT was missing iat claim"));
        };
        // `+now / 1000`: fractional seconds.
        let now_epoch = epoch_millis(now) as f64 / 1000.0;
        if now_epoch - iat.as_f64().unwrap_or_default() >= max_token_age as f64 {
            return Err(ClientError::new(
                ClientErrorCode::JwtTooOld,
                format!("JWT was issued at {iat}, more than {max_token_age} seconds ago"),
            ));
        }
    }

    let custom_claims = without(&payload, &REGISTERED_CLAIMS);
    Ok(VerifiedJwt { payload, custom_claims })
}

/// jose's `jwtVerify` alone, wrapped as `introspectTokenLocal` does (`jwt_invalid`).
pub(crate) async fn verify_jwt(
    ctx: &StytchContext,
    transport: &Transport,
    jwks: &JwksCache,
    jwt: &str,
    clock_tolerance_seconds: Option<i64>,
    current_date: Option<SystemTime>,
) -> Result<Map<String, Value>, ClientError> {
    let options = JwtOptions { clock_tolerance_seconds, max_token_age_seconds: None, current_date };
    authenticate_jwt_local(ctx, transport, jwks, jwt, options).await.map(|v| v.payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typ_is_normalized_as_jose() {
        assert_eq!(normalize_typ("JWT"), "jwt");
        assert_eq!(normalize_typ("application/JWT"), "jwt");
        assert_eq!(normalize_typ("at+jwt"), "at+jwt");
    }
}
