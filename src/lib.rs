#![warn(missing_docs)]
//! safeaware: curate and audit multimodal LLM safety benchmarks.
//!
//! The library holds everything but the terminal: the data model, the dataset store,
//! importers, validation and the synthetic generators. The `safeaware` binary is a thin
//! shell over it.

pub mod agreement;
pub mod diff;
pub mod error;
pub mod eval;
pub mod export;
pub mod families;
pub mod import;
pub mod labels;
pub mod media;
pub mod model;
pub mod parallel;
pub mod query;
pub mod session;
pub mod store;
pub mod synth;
pub mod text;
pub mod time;
pub mod validate;

pub use error::{Error, Result};
