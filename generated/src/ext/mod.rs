//! Hand-written extensions.
