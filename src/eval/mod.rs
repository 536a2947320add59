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
mod verdict_cache;

pub use analysis::{Candidate, ContrastReport};
pub use model_report::{Confusion, ModelReport, Tally};
pub use outcome::{Outcome, Scored};
pub use queues::{Queues, SUSPECT_SHARE, ScoreFacts};
pub use score::{Evaluation, Options, evaluate, evaluate_readings};
pub use verdict::{Reader, RefusalSource};
pub use verdict_cache::Readings;

use crate::error::{IoContext, Result};
use crate::model::{Dataset, Manifest, ModelResponses, Override, Protocol};
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

/// Stored models read for scoring (their verdicts, not their texts), with what the
/// scoring needs besides: the curator overrides and the refusal reader. Made by
/// [`read_models`] while the dataset itself loads; scored by [`evaluate_read`].
#[derive(Debug)]
pub struct ReadModels {
    readings: Vec<Readings>,
    overrides: Vec<Override>,
    refusal: refusal::RefusalReader,
    refusal_source: RefusalSource,
}

/// Reads the stored models `names` of the dataset in `dir` (in that order), in parallel:
/// each model's verdicts come from the verdict cache while its file and the readers are
/// unchanged, so a warm run reads no response text; otherwise the file is scored as it is
/// parsed (no column of texts) and the cache filled.
pub fn read_models(dir: &Path, names: &[String], refusal_source: RefusalSource) -> Result<ReadModels> {
    let manifest_path = dir.join(crate::store::MANIFEST_FILE);
    let manifest_text = std::fs::read_to_string(&manifest_path).at(&manifest_path)?;
    let manifest: Manifest = crate::store::ron_format::parse(&manifest_path, &manifest_text)?;
    let overrides = responses::load_overrides(dir)?;
    let rules = refusal::VerdictRules::for_dataset(dir)?;
    let refusal = refusal::RefusalReader::new(&rules);
    let key = verdict_cache::key(&rules, refusal_source, manifest.protocol);
    let reading = (manifest.protocol, refusal_source, &refusal);
    // One worker per core, each reading its models' files into one reused buffer.
    let readings = crate::parallel::map_with(names, String::new, |buffer, name| {
        read_model(dir, name, &key, reading, buffer)
    })
    .into_iter()
    .collect::<Result<Vec<_>>>()?;
    Ok(ReadModels {
        readings,
        overrides,
        refusal,
        refusal_source,
    })
}

/// Scores models read by [`read_models`] against `dataset` (the same folder's, as loaded),
/// like [`evaluate_stored_with`].
pub fn evaluate_read(
    dataset: &Dataset,
    read: ReadModels,
    reader: Reader,
    include_rejected: bool,
) -> Evaluation {
    let options = Options {
        reader,
        refusal: read.refusal,
        refusal_source: read.refusal_source,
        include_rejected,
    };
    evaluate_readings(dataset, read.readings, &read.overrides, &options)
}

/// [`read_models`] then [`evaluate_read`].
pub fn evaluate_models(
    dir: &Path,
    dataset: &Dataset,
    names: &[String],
    (reader, refusal_source): (Reader, RefusalSource),
    include_rejected: bool,
) -> Result<Evaluation> {
    let read = read_models(dir, names, refusal_source)?;
    Ok(evaluate_read(dataset, read, reader, include_rejected))
}

/// One model's readings: from the verdict cache, or read from its responses (the file
/// into `buffer`) and cached.
fn read_model(
    dir: &Path,
    name: &str,
    key: &str,
    (protocol, refusal_source, refusal): (Protocol, RefusalSource, &refusal::RefusalReader),
    buffer: &mut String,
) -> Result<Readings> {
    let stamp = responses::model_stamp(dir, name);
    if let Some(stamp) = &stamp
        && let Some(body) = responses::read_derived(dir, name, stamp, verdict_cache::KIND, key)
        && let Some(readings) = verdict_cache::decode(&body)
    {
        return Ok(readings);
    }
    let mut sink = score::ReadingSink::new(protocol, refusal_source, refusal);
    let model = responses::read_model_into(dir, name, buffer, &mut sink)?;
    let readings = Readings {
        codes: sink.codes,
        items: sink.items,
        model,
    };
    if let Some(stamp) = &stamp
        && let Some(body) = verdict_cache::encode(&readings)
    {
        responses::write_derived(dir, name, stamp, verdict_cache::KIND, key, &body);
    }
    Ok(readings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_the_fast_reader_gives_up_on_is_read_once_not_twice() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = &tmp.path().join("synth");
        let options = crate::synth::SynthOptions {
            items: 300,
            images: 2,
            seed: 3,
            models: 1,
        };
        crate::synth::write_synth(dir, options, false, &crate::import::no_progress).unwrap();
        let names = responses::model_names(dir).unwrap();
        let path = dir
            .join(responses::RESPONSES_DIR)
            .join(format!("{}.ron", names[0]));
        // A comment before the closing bracket: the fast reader has read every response
        // when it gives up, and the `ron` crate reads them all again.
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = text.replacen("\n    ],\n)", "\n    // checked by hand\n    ],\n)", 1);
        assert_ne!(edited, text);
        std::fs::write(&path, edited).unwrap();
        let read = read_models(dir, &names, RefusalSource::default()).unwrap();
        assert_eq!(read.readings[0].items.len(), 300);
        assert_eq!(read.readings[0].codes.len(), 300);
    }
}
