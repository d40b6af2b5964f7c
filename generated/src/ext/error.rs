//! Errors of the hand-written, mostly local, checks.
//!
//! Mirrors `ClientError` of `dist/shared/errors.js`: a machine-readable `code` (the same strings
//! as the JS SDK), a message, and an optional cause; its `Display` is the JS `message`
//! (`"{code}: {message}"`, then `": {cause}"` when there is a cause). [`AuthError`] adds the
//! failures of the API calls these checks make (JWKS, RBAC policy, the network fallback), which
//! the JS SDK lets through as `StytchError` / `RequestError`.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

/// The `code` of a [`ClientError`], one per code the JS SDK throws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClientErrorCode {
    /// `jwt_invalid`: the JWT could not be verified (signature, key, claims, format).
    JwtInvalid,
    /// `jwt_too_old`: the JWT's `iat` is more than `max_token_age_seconds` ago.
    JwtTooOld,
    /// `invalid_permissions`: the RBAC policy grants no matching permission.
    InvalidPermissions,
    /// `tenancy_mismatch`: the member belongs to another organization than the check names.
    TenancyMismatch,
    /// `missing_scopes`: an M2M token lacks a required scope.
    MissingScopes,
    /// `token_invalid`: token introspection failed or the token is not active.
    TokenInvalid,
}

impl ClientErrorCode {
    /// The code as the JS SDK spells it (`"jwt_invalid"`, ...).
    pub fn as_str(&self) -> &'static str {
        match self {
            ClientErrorCode::JwtInvalid => "jwt_invalid",
            ClientErrorCode::JwtTooOld => "jwt_too_old",
            ClientErrorCode::InvalidPermissions => "invalid_permissions",
            ClientErrorCode::TenancyMismatch => "tenancy_mismatch",
            ClientErrorCode::MissingScopes => "missing_scopes",
            ClientErrorCode::TokenInvalid => "token_invalid",
        }
    }
}

impl fmt::Display for ClientErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error found by the SDK itself rather than returned by the API: the JS `ClientError`.
#[derive(Debug)]
pub struct ClientError {
    code: ClientErrorCode,
    message: String,
    cause: Option<Box<dyn StdError + Send + Sync>>,
}

impl ClientError {
    /// An error with `code` and `message` and no cause.
    pub fn new(code: ClientErrorCode, message: impl Into<String>) -> ClientError {
        ClientError { code, message: message.into(), cause: None }
    }

    /// Adds the underlying error (JS `cause`); it is shown after the message and returned by
    /// [`std::error::Error::source`].
    pub fn with_cause(mut self, cause: impl Into<Box<dyn StdError + Send + Sync>>) -> ClientError {
        self.cause = Some(cause.into());
        self
    }

    /// The machine-readable code.
    pub fn code(&self) -> ClientErrorCode {
        self.code
    }

    /// The message, without the code and the cause.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The underlying error, if any.
    pub fn cause(&self) -> Option<&(dyn StdError + Send + Sync + 'static)> {
        self.cause.as_deref()
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(cause) = &self.cause {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl StdError for ClientError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.cause.as_deref().map(|c| c as &(dyn StdError + 'static))
    }
}

/// What the hand-written authentication and authorization calls return on failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// A check made by the SDK failed (the JS `ClientError`).
    #[error(transparent)]
    Client(#[from] ClientError),
    /// An API call failed (the JS `StytchError` or `RequestError`): fetching the RBAC policy, or
    /// the network call itself. Shared (`Arc`) because concurrent callers waiting for the same
    /// cached fetch all receive its error.
    #[error(transparent)]
    Request(Arc<crate::Error>),
}

impl AuthError {
    /// The [`ClientErrorCode`] when this is a [`AuthError::Client`].
    pub fn client_code(&self) -> Option<ClientErrorCode> {
        match self {
            AuthError::Client(e) => Some(e.code()),
            AuthError::Request(_) => None,
        }
    }

    /// The API error when this is a [`AuthError::Request`].
    pub fn request_error(&self) -> Option<&crate::Error> {
        match self {
            AuthError::Client(_) => None,
            AuthError::Request(e) => Some(e),
        }
    }
}

impl From<crate::Error> for AuthError {
    fn from(e: crate::Error) -> AuthError {
        AuthError::Request(Arc::new(e))
    }
}

impl From<Arc<crate::Error>> for AuthError {
    fn from(e: Arc<crate::Error>) -> AuthError {
        AuthError::Request(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_matches_the_js_message() {
        let e = ClientError::new(ClientErrorCode::TenancyMismatch, "Member belongs to different organization");
        assert_eq!(e.to_string(), "tenancy_mismatch: Member belongs to different organization");
        let e = ClientError::new(ClientErrorCode::MissingScopes, "Missing at least one required scope")
            .with_cause("read:users,write:users");
        assert_eq!(e.to_string(), "missing_scopes: Missing at least one required scope: read:users,write:users");
        assert!(e.source().is_some());
        let e = AuthError::from(e);
        assert_eq!(e.client_code(), Some(ClientErrorCode::MissingScopes));
    }
}
