//! Stage 1: reading the package. Each submodule turns source text into IR and diagnostics and
//! knows nothing about later stages.

pub mod dts;
pub mod jsdoc;
mod namespaces;
pub mod nesting;
pub mod routes;
pub mod source;
