//! Evaluation: verdicts read from stored responses, and the metrics the paper reports.

pub mod metrics;
pub mod report;
pub mod stats;
pub mod verdict;

pub use metrics::{Evaluation, ModelReport, Outcome, Scored, Tally, evaluate};
pub use verdict::{Reader, RefusalRules};
