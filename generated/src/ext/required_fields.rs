//! Compile-fail checks (doctests only): a request cannot be built without its required fields.
//! Each `compile_fail` block has a twin that compiles, so it fails for the reason it names.
//!
//! A request struct with required fields has no `Default` and is `#[non_exhaustive]`; it is
//! built with `new(required...)`:
//!
//! ```
//! use stytch_generated::b2c::users::UsersGetRequest;
//! let request = UsersGetRequest::new("user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6");
//! assert_eq!(request.user_id, "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6");
//! ```
//!
//! Leaving `user_id` out through `Default` (which sent `GET /v1/users/`) does not compile:
//!
//! ```compile_fail
//! use stytch_generated::b2c::users::UsersGetRequest;
//! let request = UsersGetRequest { ..Default::default() };
//! ```
//!
//! ```compile_fail
//! use stytch_generated::b2c::users::UsersGetRequest;
//! let request = UsersGetRequest::default();
//! ```
//!
//! ```compile_fail
//! use stytch_generated::b2c::users::UsersGetRequest;
//! let request = UsersGetRequest::new();
//! ```
//!
//! Nor does a struct literal, even a complete one: a new optional field upstream must not
//! break it, so `new` is the only way in.
//!
//! ```compile_fail
//! use stytch_generated::b2c::users::UsersGetRequest;
//! let request = UsersGetRequest { user_id: "user-test-16d9ba61".into() };
//! ```
//!
//! A nested input type is held to the same: a PBKDF2 migration's config needs its
//! `algorithm` (an empty one went out as `"algorithm": ""`).
//!
//! ```
//! use stytch_generated::b2c::passwords::{PBKDF2Config, PasswordsMigrateRequest, PasswordsMigrateRequestHashType};
//! let config = PBKDF2Config::new("salt", 100_000, 32, "sha256");
//! let request = PasswordsMigrateRequest::new("ada@example.com", "hash", PasswordsMigrateRequestHashType::Pbkdf2)
//!     .with_pbkdf_2_config(config);
//! assert_eq!(request.pbkdf_2_config.map(|c| c.algorithm).as_deref(), Some("sha256"));
//! ```
//!
//! ```compile_fail
//! use stytch_generated::b2c::passwords::PBKDF2Config;
//! let config = PBKDF2Config::new("salt", 100_000, 32);
//! ```
//!
//! ```compile_fail
//! use stytch_generated::b2c::passwords::PBKDF2Config;
//! let config = PBKDF2Config { salt: "salt".into(), iteration_amount: 100_000, key_length: 32, ..Default::default() };
//! ```
