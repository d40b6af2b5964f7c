//! The project's JSON Web Key Set, fetched through the client's transport and cached.
//!
//! Mirrors `jose.createRemoteJWKSet(new URL("/v1/sessions/jwks/{project_id}", baseURL))` of
//! `dist/b2c/client.js` (`/v1/b2b/sessions/jwks/{project_id}` in `dist/b2b/client.js`) with jose's
//! defaults: the key set is refetched when it is older than [`JWKS_CACHE_MAX_AGE`] (jose's
//! `cacheMaxAge`, 10 minutes), and when a token names a key the set does not hold, unless the set
//! was fetched less than [`JWKS_COOLDOWN`] ago (jose's `cooldownDuration`, 30 seconds). One fetch
//! runs at a time; concurrent callers wait for it. Keys are chosen as jose's `LocalJWKSet` does.
//!
//! Unlike jose, a failed fetch is not retried by the next verification: for
//! [`FAILED_FETCH_COOLDOWN`] (30 seconds) every verification fails with that fetch's error, so a
//! JWKS endpoint that answers 500 gets one request per 30 seconds, not one per token.
//!
//! Unlike jose, the key set is fetched through the client's transport, so the client's base URL,
//! credentials, user agent and timeout apply.

use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, Header};
use serde::Deserialize;
use serde_json::{Map, Value};

pub use super::cache::FAILED_FETCH_COOLDOWN;
use super::cache::{SingleFlight, Stamped};
use super::clock::Clock;
use crate::runtime::{Method, Request, Transport};

/// How long a fetched key set is used before it is fetched again (jose's default
/// `cacheMaxAge`).
pub const JWKS_CACHE_MAX_AGE: Duration = Duration::from_secs(10 * 60);

/// How long after a fetch a token with an unknown key id does not cause another fetch (jose's
/// default `cooldownDuration`).
pub const JWKS_COOLDOWN: Duration = Duration::from_secs(30);

/// A key set as served: `{"keys": [...]}` (jose's `isJWKSLike`).
#[derive(Debug, Deserialize)]
struct KeySet {
    keys: Vec<Map<String, Value>>,
}

/// Why no key could be chosen.
#[derive(Debug)]
pub(crate) enum KeyError {
    /// No key matches the token header (jose's `JWKSNoMatchingKey`): worth refetching.
    NoMatchingKey,
    /// Anything else: the JWKS could not be fetched, several keys match, an unsupported
    /// algorithm, a malformed key.
    Other(Box<dyn std::error::Error + Send + Sync>),
}

/// The cached key set of one JWKS endpoint.
#[derive(Debug)]
pub(crate) struct JwksCache {
    path: String,
    cell: SingleFlight<KeySet>,
}

impl JwksCache {
    /// A cache for the key set at `path` (absolute, resolved against the base URL).
    pub(crate) fn new(path: String) -> JwksCache {
        JwksCache { path, cell: SingleFlight::default() }
    }

    async fn fetch(&self, transport: &Transport) -> Result<KeySet, crate::Error> {
        transport.send(Request::new(Method::GET, self.path.clone())).await
    }

    /// The key that verifies a token with `header`, as jose's `RemoteJWKSet.getKey`.
    pub(crate) async fn get_key(
        &self,
        transport: &Transport,
        clock: &dyn Clock,
        header: &Header,
    ) -> Result<DecodingKey, KeyError> {
        let keys = self
            .cell
            .get(JWKS_CACHE_MAX_AGE, clock, || self.fetch(transport))
            .await
            .map_err(|e| KeyError::Other(Box::new(e)))?;
        match select_key(&keys.value, header) {
            Err(KeyError::NoMatchingKey) if !cooling_down(&keys, clock) => {
                let keys = self
                    .cell
                    .refresh(keys.attempt, clock, || self.fetch(transport))
                    .await
                    .map_err(|e| KeyError::Other(Box::new(e)))?;
                select_key(&keys.value, header)
            }
            other => other,
        }
    }
}

fn cooling_down(keys: &Stamped<KeySet>, clock: &dyn Clock) -> bool {
    keys.younger_than(JWKS_COOLDOWN, clock.now())
}

/// The `kty` of keys for `alg` (jose's `getKtyFromAlg`); only RSA keys are supported here.
fn kty_for(alg: Algorithm) -> Option<&'static str> {
    match alg {
        Algorithm::RS256
        | Algorithm::RS384
        | Algorithm::RS512
        | Algorithm::PS256
        | Algorithm::PS384
        | Algorithm::PS512 => Some("RSA"),
        _ => None,
    }
}

fn alg_name(alg: Algorithm) -> String {
    // Algorithm serializes to its JOSE name ("RS256").
    serde_json::to_value(alg).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// jose's `LocalJWKSet._getKey` candidate filter, then the key of the one candidate.
fn select_key(keys: &KeySet, header: &Header) -> Result<DecodingKey, KeyError> {
    let alg = alg_name(header.alg);
    let Some(kty) = kty_for(header.alg) else {
        return Err(KeyError::Other(format!("unsupported \"alg\" value for a JSON Web Key Set: {alg}").into()));
    };
    let text = |jwk: &Map<String, Value>, key: &str| jwk.get(key).and_then(Value::as_str).map(str::to_owned);
    let candidates: Vec<&Map<String, Value>> = keys
        .keys
        .iter()
        .filter(|jwk| {
            text(jwk, "kty").as_deref() == Some(kty)
                && header.kid.as_ref().is_none_or(|kid| text(jwk, "kid").as_ref() == Some(kid))
                && jwk.get("alg").and_then(Value::as_str).is_none_or(|a| a == alg)
                && jwk.get("use").and_then(Value::as_str).is_none_or(|u| u == "sig")
                && jwk.get("key_ops").and_then(Value::as_array).is_none_or(|ops| ops.iter().any(|op| op == "verify"))
        })
        .collect();
    match candidates.as_slice() {
        [] => Err(KeyError::NoMatchingKey),
        [jwk] => {
            let (Some(n), Some(e)) = (text(jwk, "n"), text(jwk, "e")) else {
                return Err(KeyError::Other("the matching JSON Web Key has no \"n\" or \"e\"".into()));
            };
            DecodingKey::from_rsa_components(&n, &e).map_err(|e| KeyError::Other(Box::new(e)))
        }
        _ => Err(KeyError::Other("multiple matching keys found in the JSON Web Key Set".into())),
    }
}

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyError::NoMatchingKey => f.write_str("no applicable key found in the JSON Web Key Set"),
            KeyError::Other(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for KeyError {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(keys: Value) -> KeySet {
        serde_json::from_value(json!({ "keys": keys })).unwrap()
    }

    fn header(kid: Option<&str>) -> Header {
        let mut h = Header::new(Algorithm::RS256);
        h.kid = kid.map(str::to_owned);
        h
    }

    const N: &str = "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw";

    #[test]
    fn keys_are_chosen_as_jose_does() {
        let keys = set(json!([
            {"kty": "RSA", "kid": "a", "alg": "RS256", "use": "sig", "n": N, "e": "AQAB"},
            {"kty": "RSA", "kid": "b", "alg": "RS512", "n": N, "e": "AQAB"},
            {"kty": "RSA", "kid": "c", "use": "enc", "n": N, "e": "AQAB"},
            {"kty": "RSA", "kid": "d", "key_ops": ["sign"], "n": N, "e": "AQAB"},
            {"kty": "EC", "kid": "e"},
        ]));
        assert!(select_key(&keys, &header(Some("a"))).is_ok());
        for kid in ["b", "c", "d", "e", "zzz"] {
            assert!(matches!(select_key(&keys, &header(Some(kid))), Err(KeyError::NoMatchingKey)), "{kid}");
        }
        // Without a kid, only "a" fits RS256.
        assert!(select_key(&keys, &header(None)).is_ok());
        let two = set(json!([
            {"kty": "RSA", "kid": "a", "n": N, "e": "AQAB"},
            {"kty": "RSA", "kid": "b", "n": N, "e": "AQAB"},
        ]));
        assert!(matches!(select_key(&two, &header(None)), Err(KeyError::Other(_))));
        assert!(matches!(select_key(&two, &Header::new(Algorithm::HS256)), Err(KeyError::Other(_))));
    }
}
