//! Every reviewed fixture snapshot, compiled (see `build.rs`). The crate denies warnings, so a
//! snapshot whose code warns fails here.

include!(concat!(env!("OUT_DIR"), "/snapshots.rs"));
