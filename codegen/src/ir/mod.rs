//! The intermediate representation between parsing and emitting.
//!
//! - [`decl`]: what the declaration files say, per module, still unresolved (names are as written).
//! - [`route`]: what each compiled JS method sends on the wire.
//! - [`space`]: the resolved, named type space and client tree the emitter reads.
//!
//! Every item keeps its wire (TypeScript) name beside its Rust name.

pub mod decl;
pub mod route;
pub mod space;
