//! The Stytch SDK generated at build time from the pinned npm package, included as a module.
#![deny(warnings)]

pub mod stytch {
    include!(concat!(env!("OUT_DIR"), "/stytch.rs"));
}
