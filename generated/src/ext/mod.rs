//! Hand-written parts of the SDK: what no declaration describes. The generator declares this
//! module in `lib.rs` and never writes, removes or checks anything inside it.
//!
//! - [`config`]: building clients from a project id and secret, as the JS SDK's `BaseClient`
//!   does (environment from the project id, custom base URL, fraud base URL, timeout).

pub mod config;

pub use config::{ClientConfig, Environment, StytchContext};
