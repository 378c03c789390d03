//! Test support of the conformance suite.

#[cfg(feature = "postgres")]
mod cluster;
#[cfg(feature = "postgres")]
pub use cluster::*;
