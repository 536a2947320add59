//! Evaluation: verdicts read from stored responses, and the metrics the paper reports.

pub mod metrics;
pub mod refusal;
pub mod report;
pub mod stats;
pub mod verdict;

pub use metrics::{Evaluation, ModelReport, Outcome, Queues, ScoreFacts, Scored, Tally, evaluate};
pub use verdict::{Reader, RefusalRules};

use crate::error::Result;
use crate::model::{Dataset, ModelResponses};
use crate::store::responses;
use std::path::Path;

/// Scores `models` (responses of the dataset in `dir`) with the dataset's curator
/// overrides and refusal rules: the one way every command and the TUI evaluate.
pub fn evaluate_stored(
    dir: &Path,
    dataset: &Dataset,
    models: &[ModelResponses],
    reader: Reader,
    include_rejected: bool,
) -> Result<Evaluation> {
    let overrides = responses::load_overrides(dir)?;
    let options = metrics::Options {
        reader,
        rules: responses::load_rules(dir)?,
        include_rejected,
    };
    Ok(evaluate(dataset, models, &overrides, &options))
}

/// Reads every stored model's responses of the dataset in `dir` and scores them.
pub fn load_and_evaluate(
    dir: &Path,
    dataset: &Dataset,
    reader: Reader,
    include_rejected: bool,
) -> Result<(Vec<ModelResponses>, Evaluation)> {
    let models = responses::load_all(dir)?;
    let evaluation = evaluate_stored(dir, dataset, &models, reader, include_rejected)?;
    Ok((models, evaluation))
}
