//! Export of a cleaned dataset: one module per target format.
//!
//! Every export selects items the same way (a query, rejected items out, exact duplicate
//! pairs out), lists each left-out item with its reason, builds in a temp folder beside
//! the target and renames it at the end, and writes `manifest.json` with counts and a
//! blake3 of every file. The same input gives byte-identical output.

mod csv;
mod jsonl;
mod mmsafeaware;
pub mod parquet;
mod relations;
mod ron;

pub use relations::{Relation, relations, relations_with};

use crate::error::{Error, IoContext, Result};
use crate::eval::{self, Outcome};
use crate::import::{Progress, Staging};
use crate::model::{Dataset, Item, Status};
use crate::query::{DatasetFacts, Facts, Query, searchable_text};
use crate::store;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The format written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// One JSON object per item (pandas `read_json(lines=True)`, Hugging Face `datasets`).
    Jsonl,
    /// The same columns as RFC 4180 CSV.
    Csv,
    /// A safeaware dataset folder.
    Ron,
    /// The release layout (`prompt.txt` + `images/`) the authors' scripts read.
    Mmsafeaware,
    /// `items.parquet` and, with responses, `responses/model=<name>/part-0.parquet` (DuckDB,
    /// polars, Spark, Hugging Face `datasets`).
    Parquet,
}

/// What to export and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The format.
    pub target: Target,
    /// Only items matching this query.
    pub query: Option<String>,
    /// Keep rejected items.
    pub include_rejected: bool,
    /// Keep exact duplicate pairs (same image bytes and sentence).
    pub keep_duplicates: bool,
    /// Copy images into the export (otherwise paths point into the source dataset).
    pub copy_images: bool,
    /// Add every model's response and verdict to each item.
    pub with_responses: bool,
    /// Replace an existing export (or safeaware dataset) at the target.
    pub force: bool,
}

/// An item left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exclusion {
    /// The item's id.
    pub id: String,
    /// Why it was left out.
    pub reason: String,
}

/// Which items go out, in dataset order, and which stay, with reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Dataset indices of the exported items.
    pub items: Vec<usize>,
    /// Left-out items, in dataset order.
    pub excluded: Vec<Exclusion>,
}

/// One written file, as `manifest.json` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WrittenFile {
    /// Path relative to the export folder, `/`-separated.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// blake3 of the content, hex.
    pub blake3: String,
}

/// `manifest.json` of an export.
#[derive(Debug, Clone, Serialize)]
pub struct ExportManifest {
    /// The tool that wrote it.
    pub tool: String,
    /// The tool's version.
    pub tool_version: String,
    /// The source dataset's name.
    pub source_name: String,
    /// The source dataset's version.
    pub source_version: String,
    /// The dataset format version of the source.
    pub format_version: u32,
    /// The format of this export.
    pub format: Target,
    /// The `--where` query, if any.
    pub query: Option<String>,
    /// Whether image files are in the export.
    pub images_included: bool,
    /// Exported items.
    pub items: usize,
    /// Exported items per subset.
    pub subsets: BTreeMap<String, usize>,
    /// Exported items per scenario (`none` for unlabeled).
    pub scenarios: BTreeMap<String, usize>,
    /// Every file written besides this manifest, sorted by path.
    pub files: Vec<WrittenFile>,
    /// Every item left out, with its reason.
    pub excluded: Vec<Exclusion>,
}

/// Picks the items to export and says why each other item is left out.
pub fn select(dataset: &Dataset, query: Option<&Query>, facts: &dyn Facts, options: &Options) -> Selection {
    let taxonomy = &dataset.manifest.taxonomy;
    let mut items = Vec::new();
    let mut excluded = Vec::new();
    let mut first_of_pair: HashMap<(&str, &str), &str> = HashMap::new();
    for (i, item) in dataset.items.iter().enumerate() {
        let reason = if !options.include_rejected && item.status == Status::Rejected {
            Some("rejected".to_string())
        } else if query.is_some_and(|q| !q.matches(i, item, &searchable_text(item), taxonomy, facts)) {
            Some("does not match the query".to_string())
        } else if let Some(image) = item.image.as_ref().filter(|_| !options.keep_duplicates) {
            let key = (image.blake3.as_str(), item.sentence.as_str());
            match first_of_pair.get(&key) {
                Some(first) => Some(format!("duplicate of item {first} (same image and sentence)")),
                None => {
                    first_of_pair.insert(key, &item.id);
                    None
                }
            }
        } else {
            None
        };
        match reason {
            Some(reason) => excluded.push(Exclusion {
                id: item.id.clone(),
                reason,
            }),
            None => items.push(i),
        }
    }
    Selection { items, excluded }
}

/// A model's answer to one exported item.
#[derive(Debug, Clone, Serialize)]
pub struct ExportedResponse {
    /// The response text.
    pub text: String,
    /// The verdict used for scoring (strict reader, or the curator's).
    pub verdict: String,
    /// Whether it matches the gold; None for a `no_answer`, which accuracy leaves out.
    pub correct: Option<bool>,
}

/// Everything an export writer needs.
pub(crate) struct Context<'a> {
    pub dir: &'a Path,
    pub dataset: &'a Dataset,
    pub selection: &'a Selection,
    pub options: &'a Options,
    /// Per exported item (same order as `selection.items`): model name -> response.
    pub responses: Vec<BTreeMap<String, ExportedResponse>>,
    /// Per dataset item (dataset order): its family columns.
    pub relations: Vec<Relation>,
}

impl Context<'_> {
    /// The exported items with their responses, in order.
    pub fn items(&self) -> impl Iterator<Item = (&Item, &BTreeMap<String, ExportedResponse>)> {
        self.selection
            .items
            .iter()
            .map(|&i| &self.dataset.items[i])
            .zip(&self.responses)
    }

    /// The family columns of the exported items, in the order of [`Context::items`].
    pub fn relations(&self) -> impl Iterator<Item = &Relation> {
        static NO_RELATION: Relation = Relation::NONE;
        self.selection
            .items
            .iter()
            .map(move |&i| self.relations.get(i).unwrap_or(&NO_RELATION))
    }

    /// The image path an export record shows: inside the export when copied, else in the source.
    pub fn image_path(&self, item: &Item) -> Option<String> {
        item.image.as_ref().map(|img| {
            if self.options.copy_images {
                img.path.clone()
            } else {
                let source = self.dir.join(&img.path);
                std::path::absolute(&source)
                    .unwrap_or(source)
                    .display()
                    .to_string()
            }
        })
    }
}

/// An image's path in the export when it keeps its path from the source dataset.
pub(crate) fn same_path(item: &Item) -> String {
    item.image.as_ref().map(|i| i.path.clone()).unwrap_or_default()
}

/// Copies the selected items' images into `out/images/`, or the folder `rename` names
/// (each file once; a linked release's `images2/1101.jpeg` lands in `out/images2/`).
pub(crate) fn copy_images(
    ctx: &Context,
    out: &Path,
    rename: &dyn Fn(&Item) -> String,
    progress: Progress<'_>,
) -> Result<()> {
    let folder = out.join(store::IMAGES_DIR);
    std::fs::create_dir_all(&folder).at(&folder)?;
    let total = ctx.selection.items.len() as u64;
    for (n, (item, _)) in ctx.items().enumerate() {
        if let Some(image) = &item.image {
            let src = ctx.dir.join(&image.path);
            let dest = out.join(rename(item));
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent).at(parent)?;
            }
            if !dest.exists() {
                std::fs::copy(&src, &dest).at(&src)?;
            }
        }
        progress(n as u64 + 1, total);
    }
    Ok(())
}

fn scored_responses(
    dir: &Path,
    dataset: &Dataset,
    selection: &Selection,
) -> Result<Vec<BTreeMap<String, ExportedResponse>>> {
    let (models, evaluation) = eval::load_and_evaluate(dir, dataset, eval::Reader::Strict, true)?;
    let positions: Vec<HashMap<&str, usize>> = models
        .iter()
        .map(|m| {
            m.responses
                .iter()
                .enumerate()
                .map(|(p, r)| (r.item.as_str(), p))
                .collect()
        })
        .collect();
    Ok(selection
        .items
        .iter()
        .map(|&i| {
            let item = &dataset.items[i];
            let mut out = BTreeMap::new();
            for (m, model) in models.iter().enumerate() {
                if let (Some(s), Some(&p)) = (evaluation.scored[m][i], positions[m].get(item.id.as_str())) {
                    out.insert(
                        model.model.name.clone(),
                        ExportedResponse {
                            text: model.responses[p].text.clone(),
                            verdict: s.verdict(evaluation.reader, item.gold).key().to_string(),
                            correct: s
                                .counted_outcome(evaluation.reader, item.gold)
                                .map(|o| o == Outcome::Right),
                        },
                    );
                }
            }
            out
        })
        .collect())
}

/// Lists every file under `root` with its size and hash, sorted.
fn list_files(root: &Path, dir: &Path, out: &mut Vec<WrittenFile>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .at(dir)?
        .collect::<std::io::Result<_>>()
        .at(dir)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if entry.file_type().at(&path)?.is_dir() {
            list_files(root, &path, out)?;
        } else {
            let bytes = std::fs::read(&path).at(&path)?;
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push(WrittenFile {
                path: relative,
                bytes: bytes.len() as u64,
                blake3: blake3::hash(&bytes).to_hex().to_string(),
            });
        }
    }
    Ok(())
}

/// A `--where` naming a model with no stored responses would silently match nothing:
/// refuse it and list the models there are.
fn refuse_unknown_models(query: Option<&Query>, evaluation: &eval::Evaluation) -> Result<()> {
    let Some(query) = query else { return Ok(()) };
    for name in query.named_models() {
        if evaluation.model_index(name).is_none() {
            let known: Vec<&str> = evaluation.models.iter().map(|m| m.name.as_str()).collect();
            let known = if known.is_empty() {
                "none (add some with `safeaware responses add`)".to_string()
            } else {
                known.join(", ")
            };
            return Err(Error::Refused(format!(
                "--where: no stored responses for model {name:?}; models: {known}"
            )));
        }
    }
    Ok(())
}

/// Exports the dataset in `dir` to the folder `out`; an `out` inside one of the dataset's
/// linked image folders is refused (the export would be written into the source).
pub fn export(dir: &Path, out: &Path, options: &Options, progress: Progress<'_>) -> Result<ExportManifest> {
    store::refuse_write_through_links(dir, out)?;
    let dataset = crate::session::load_with_journal(dir)?;
    let query = options
        .query
        .as_deref()
        .map(|q| {
            Query::parse(q, &dataset.manifest.taxonomy)
                .map_err(|e| Error::Refused(format!("--where {q:?}: {e}")))
        })
        .transpose()?;
    let needs_models = query.as_ref().is_some_and(Query::uses_models);
    let scored = if needs_models {
        let evaluation = eval::load_and_evaluate(dir, &dataset, eval::Reader::Strict, false)?.1;
        refuse_unknown_models(query.as_ref(), &evaluation)?;
        let queues = eval::Queues::new(&evaluation, &dataset);
        Some((evaluation, queues))
    } else {
        None
    };
    let scores = scored.as_ref().map(|(evaluation, queues)| eval::ScoreFacts {
        evaluation,
        queues,
        dataset: &dataset,
    });
    let facts = DatasetFacts {
        dataset: &dataset,
        findings: &[],
        scores,
        suggestions: None,
    };
    let selection = select(&dataset, query.as_ref(), &facts, options);
    // Parquet writes responses in their own files, in long format.
    let responses = if options.with_responses && options.target != Target::Parquet {
        scored_responses(dir, &dataset, &selection)?
    } else {
        vec![BTreeMap::new(); selection.items.len()]
    };
    let staging = Staging::new(out, options.force)?;
    // The family columns and Parquet's responses are independent: made side by side.
    let relations = std::thread::scope(|scope| {
        let responses = (options.target == Target::Parquet && options.with_responses).then(|| {
            scope.spawn(|| {
                let names = store::responses::model_names(dir)?;
                let rules = (eval::Reader::Strict, eval::RefusalSource::Rules);
                let evaluation = eval::evaluate_models(dir, &dataset, &names, rules, true)?;
                parquet::write_responses(dir, &dataset, &selection.items, &evaluation, staging.path())
            })
        });
        let relations = match options.target {
            Target::Jsonl | Target::Csv | Target::Parquet => relations(dir, &dataset),
            Target::Ron | Target::Mmsafeaware => Ok(Vec::new()),
        };
        if let Some(handle) = responses {
            handle
                .join()
                .map_err(|_| Error::Refused("writing the responses failed".into()))??;
        }
        relations
    })?;
    let ctx = Context {
        dir,
        dataset: &dataset,
        selection: &selection,
        options,
        responses,
        relations,
    };
    match options.target {
        Target::Jsonl => jsonl::write(&ctx, staging.path(), progress)?,
        Target::Csv => csv::write(&ctx, staging.path(), progress)?,
        Target::Ron => ron::write(&ctx, staging.path(), progress)?,
        Target::Mmsafeaware => mmsafeaware::write(&ctx, staging.path(), progress)?,
        Target::Parquet => parquet::write(&ctx, staging.path(), progress)?,
    }
    let mut files = Vec::new();
    list_files(staging.path(), staging.path(), &mut files)?;
    let mut subsets = BTreeMap::new();
    let mut scenarios = BTreeMap::new();
    for (item, _) in ctx.items() {
        *subsets.entry(item.subset.key().to_string()).or_insert(0) += 1;
        *scenarios
            .entry(item.scenario.clone().unwrap_or_else(|| "none".into()))
            .or_insert(0) += 1;
    }
    let manifest = ExportManifest {
        tool: "safeaware".into(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        source_name: dataset.manifest.name.clone(),
        source_version: dataset.manifest.version.clone(),
        format_version: dataset.manifest.format_version,
        format: options.target,
        query: options.query.clone(),
        images_included: options.copy_images,
        items: selection.items.len(),
        subsets,
        scenarios,
        files,
        excluded: selection.excluded.clone(),
    };
    let text = serde_json::to_string_pretty(&manifest).expect("manifest serializes") + "\n";
    store::write_atomic(&staging.path().join("manifest.json"), text.as_bytes())?;
    staging.finish()?;
    Ok(manifest)
}

/// The path of an export's manifest.
pub fn manifest_path(out: &Path) -> PathBuf {
    out.join("manifest.json")
}
