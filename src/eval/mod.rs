//! Evaluation: verdicts read from stored responses, and the metrics the paper reports.

mod analysis;
pub mod attack_report;
#[cfg(test)]
mod fixtures;
mod grid;
pub mod item_verdicts;
mod model_report;
mod outcome;
pub mod plot;
mod queues;
pub mod refusal;
pub mod report;
mod score;
pub mod stats;
pub mod verdict;

pub use analysis::{Candidate, ContrastReport};
pub use model_report::{Confusion, ModelReport, Tally};
pub use outcome::{Outcome, Scored};
pub use queues::{Queues, SUSPECT_SHARE, ScoreFacts};
pub use score::{Evaluation, Options, evaluate};
pub use verdict::{Reader, RefusalSource};

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
    evaluate_stored_with(
        dir,
        dataset,
        models,
        (reader, RefusalSource::Rules),
        include_rejected,
    )
}

/// [`evaluate_stored`] with a choice of refusal reader (the rules or the stored judge).
pub fn evaluate_stored_with(
    dir: &Path,
    dataset: &Dataset,
    models: &[ModelResponses],
    (reader, refusal_source): (Reader, RefusalSource),
    include_rejected: bool,
) -> Result<Evaluation> {
    let overrides = responses::load_overrides(dir)?;
    let options = Options {
        reader,
        refusal: refusal::RefusalReader::new(&refusal::VerdictRules::for_dataset(dir)?),
        refusal_source,
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
