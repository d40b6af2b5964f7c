//! Hand-written parts of the SDK: what no declaration describes. The generator declares this
//! module in `lib.rs` and never writes, removes or checks anything inside it.
//!
//! - [`config`]: building clients from a project id and secret, as the JS SDK's `BaseClient`
//!   does (environment from the project id, custom base URL, fraud base URL, timeout), and the
//!   [`StytchContext`] every sub-client of a client shares (project id, issuers, clock, caches).
//! - [`clock`]: the injectable [`Clock`] the local checks and caches read.
//! - [`error`]: [`ClientError`] (the JS `ClientError` and its codes) and [`AuthError`].
//! - [`jwks`]: the project's JSON Web Key Set, fetched and cached as jose's
//!   `createRemoteJWKSet`.
//! - `jwt` (internal): local JWT verification, as `dist/shared/sessions.js` with jose's
//!   `jwtVerify`.
//! - [`sessions`]: `authenticate_jwt` and `authenticate_jwt_local` on the consumer and B2B
//!   `sessions` clients.
//! - [`m2m`]: `token`, `authenticate_token` and `authenticate_token_with` on the `m2m` client.
//! - [`idp`]: `introspect_token_network` and `introspect_token_local` on the consumer and B2B
//!   `idp` clients.
//! - [`rbac`]: the local RBAC checks and the policy cache (`cached_policy` on the `rbac`
//!   clients).
//! - [`samlshield`]: building a `SamlShieldClient` and its `validate` call.
//! - `required_fields` (doctests only): requests without their required fields do not compile.

#[cfg(any(feature = "consumer", feature = "b2b"))]
mod cache;
pub mod clock;
pub mod config;
pub mod error;
#[cfg(any(feature = "consumer", feature = "b2b"))]
pub mod idp;
#[cfg(any(feature = "consumer", feature = "b2b"))]
pub mod jwks;
#[cfg(any(feature = "consumer", feature = "b2b"))]
mod jwt;
#[cfg(feature = "consumer")]
pub mod m2m;
pub mod rbac;
#[cfg(all(doctest, feature = "consumer"))]
mod required_fields;
#[cfg(any(feature = "consumer", feature = "b2b"))]
pub mod sessions;
pub mod samlshield;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{ClientConfig, ClientKind, Environment, StytchContext};
pub use error::{AuthError, ClientError, ClientErrorCode};
#[cfg(any(feature = "consumer", feature = "b2b"))]
pub use jwt::MAX_JWT_BYTES;
