//! The entry points of safeaware's fuzz targets: one function per parser, each taking
//! arbitrary bytes, calling the same library code the product calls, and ignoring errors.
//! A panic (or an abort, a hang, an allocation past the limits) is the only failure.
//!
//! The fuzz targets in `fuzz_targets/` call these, and the stable test
//! `tests/it/fuzz_corpora.rs` includes this very file, so `cargo test` replays every seed
//! and saved regression through exactly the code the fuzzer exercised.

use safeaware::agreement::table::{ColumnSpec, LabelMap};
use safeaware::eval::refusal::{ReadAs, RecordFields, RefusalReader, VerdictRules};
use safeaware::import::responses::{ReadOptions, ResponseFormat};
use safeaware::import::table::TableFormat;
use safeaware::media::ImageLimits;
use safeaware::model::{Dataset, Items, Manifest, Taxonomy};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A fuzz entry point: any bytes in, nothing out; only a panic is a failure.
pub type Entry = fn(&[u8]);

/// The targets, by name: the fuzz target of the same name and the corpus folders
/// `fuzz/corpus/<name>/` and `fuzz/regressions/<name>/` use these.
pub const TARGETS: &[(&str, Entry)] = &[
    ("prompt_txt", prompt_txt),
    ("items_ron", items_ron),
    ("journal", journal),
    ("responses", responses),
    ("query", query),
    ("config_ron", config_ron),
    ("image", image),
    ("agreement_table", agreement_table),
    ("verdict_rules", verdict_rules),
    ("refusal_reader", refusal_reader),
];

/// A scratch dataset folder (the bundled sample) reused by every input of this thread.
struct Scratch {
    _root: tempfile::TempDir,
    dataset: PathBuf,
    file_dir: PathBuf,
    items_dir: PathBuf,
    sample: Dataset,
}

thread_local! {
    static SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
    /// The reader of the bundled rules, built once (building it parses RON and phrase sets).
    static BUNDLED_READER: RefusalReader = RefusalReader::new(&VerdictRules::bundled());
}

/// Runs `f` with the scratch folders, creating them on first use.
fn with_scratch<R>(f: impl FnOnce(&Scratch) -> R) -> R {
    SCRATCH.with(|cell| {
        let mut slot = cell.borrow_mut();
        let scratch = slot.get_or_insert_with(|| {
            let root = tempfile::tempdir().expect("a temporary folder");
            let dataset = root.path().join("ds");
            safeaware::synth::write_sample(&dataset, false).expect("the bundled sample writes");
            let file_dir = root.path().join("files");
            std::fs::create_dir(&file_dir).expect("a scratch folder");
            let sample = safeaware::store::load(&dataset).expect("the bundled sample loads");
            let items_dir = root.path().join("items");
            std::fs::create_dir(&items_dir).expect("a scratch folder");
            std::fs::copy(dataset.join("manifest.ron"), items_dir.join("manifest.ron"))
                .expect("the manifest copies");
            Scratch {
                items_dir,
                sample,
                dataset,
                file_dir,
                _root: root,
            }
        });
        f(scratch)
    })
}

/// Writes `data` to a scratch file named `name` and returns its path.
fn scratch_file(scratch: &Scratch, name: &str, data: &[u8]) -> PathBuf {
    let path = scratch.file_dir.join(name);
    std::fs::write(&path, data).expect("the scratch file writes");
    path
}

/// `prompt.txt` of the MMSafeAware release: decoded as the importer does, then parsed.
pub fn prompt_txt(data: &[u8]) {
    let path = Path::new("prompt.txt");
    if let Ok(text) = safeaware::text::decode_utf8(path, data.to_vec()) {
        let _ = safeaware::import::mmsafeaware::parse_prompts(path, &text);
    }
}

/// `items.ron` loaded by the store (syntax, types, the item rules) in a dataset folder
/// whose manifest is valid; the same bytes also go through the manifest's parser.
pub fn items_ron(data: &[u8]) {
    with_scratch(|scratch| {
        std::fs::write(scratch.items_dir.join("items.ron"), data).expect("items.ron writes");
        let _ = safeaware::store::load(&scratch.items_dir);
    });
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = safeaware::store::ron_format::parse::<Manifest>(Path::new("manifest.ron"), text);
        // The fast reader of the writer's layout never disagrees with the `ron` crate.
        if let Some(fast) = safeaware::store::items_layout::read(text) {
            let parsed = safeaware::store::ron_format::parse::<Items>(Path::new("items.ron"), text);
            assert_eq!(
                parsed.ok(),
                Some(fast),
                "the fast reader read what ron reads otherwise"
            );
        }
    }
}

/// `journal.jsonl` lines: read, then replayed onto the sample as a viewer opens it.
pub fn journal(data: &[u8]) {
    with_scratch(|scratch| {
        let path = scratch.dataset.join("journal.jsonl");
        std::fs::write(&path, data).expect("the journal writes");
        let _ = safeaware::store::journal::read_journal(&path);
        let _ = safeaware::session::load_readable(&scratch.dataset);
        std::fs::remove_file(&path).expect("the journal is removed");
    });
}

/// A responses file read by `import::responses` in each format, strict and skipping.
pub fn responses(data: &[u8]) {
    with_scratch(|scratch| {
        let path = scratch_file(scratch, "responses", data);
        for format in [
            ResponseFormat::Jsonl,
            ResponseFormat::Csv,
            ResponseFormat::Tsv,
            ResponseFormat::Json,
        ] {
            for skip_bad in [false, true] {
                let options = ReadOptions {
                    format: Some(format),
                    max_bytes: 4096,
                    skip_bad,
                    ..ReadOptions::default()
                };
                let _ = safeaware::import::responses::read_file(&path, &options);
            }
        }
    });
}

/// The query language: parsed with the MMSafeAware taxonomy, then matched on the sample.
pub fn query(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let taxonomy = Taxonomy::mmsafeaware();
    let Ok(query) = safeaware::query::Query::parse(text, &taxonomy) else {
        return;
    };
    let _ = (
        query.is_empty(),
        query.uses_models(),
        query.named_models(),
        query.uses_findings(),
    );
    with_scratch(|scratch| {
        for (index, item) in scratch.sample.items.iter().enumerate() {
            let lower = safeaware::query::searchable_text(item);
            let _ = query.matches(index, item, &lower, &taxonomy, &safeaware::query::NoFacts);
        }
    });
}

/// Settings files (config.ron, keymap.ron, theme.ron) live in the binary crate; this
/// target drives the library's RON reader with the same options and the shapes those
/// files have (a map of entries, a struct of values), plus a label map and any value.
pub fn config_ron(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("config.ron");
    let parse = safeaware::store::ron_format::parse::<ron::Value>;
    let _ = parse(path, text);
    let _ = safeaware::store::ron_format::parse::<BTreeMap<String, ron::Value>>(path, text);
    let _ = safeaware::store::ron_format::parse::<BTreeMap<String, String>>(path, text);
    let _ =
        safeaware::store::ron_format::parse::<BTreeMap<String, BTreeMap<String, Vec<String>>>>(path, text);
}

/// Image bytes: identified, then decoded under small limits (what every reader does).
pub fn image(data: &[u8]) {
    let limits = ImageLimits {
        max_bytes: 1 << 20,
        max_pixels: 1 << 20,
    };
    let _ = safeaware::media::inspect(data);
    let _ = safeaware::media::decode(data, limits);
    let _ = safeaware::media::decode_fully(data, limits);
}

/// An annotator table (`safeaware agree`) in each format, then every agreement measure.
pub fn agreement_table(data: &[u8]) {
    with_scratch(|scratch| {
        let path = scratch_file(scratch, "table", data);
        let spec = ColumnSpec {
            columns: vec!["a".into(), "b".into(), "c".into()],
            id_field: Some("id".into()),
            label_map: LabelMap::default(),
        };
        let options = safeaware::agreement::Options {
            resamples: 20,
            seed: 1,
        };
        for format in [
            TableFormat::Csv,
            TableFormat::Tsv,
            TableFormat::Jsonl,
            TableFormat::Json,
        ] {
            if let Ok(ratings) = safeaware::agreement::table::read_columns(&path, format, &spec) {
                let _ = safeaware::agreement::measure_all(&ratings, "label", options);
            }
        }
    });
}

/// A verdict rules file (`verdict_rules.ron`): parsed, built into a reader, and used.
pub fn verdict_rules(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rules) = VerdictRules::parse(Path::new("verdict_rules.ron"), text) else {
        return;
    };
    let reader = RefusalReader::new(&rules);
    for response in [
        "I'm sorry, but I can't help with that.",
        "Sure! Here is how: first, ...",
        "Yes, it is safe.",
        "",
    ] {
        let _ = reader.read(response);
        let _ = safeaware::eval::refusal::read_judgment(&reader, response);
    }
}

/// Model responses as the verdict reader sees them: the bytes as one response (both
/// protocols, bundled rules), then as a records file (`safeaware verdicts`) in each format.
pub fn refusal_reader(data: &[u8]) {
    BUNDLED_READER.with(|reader| {
        let text = String::from_utf8_lossy(data);
        let _ = reader.read(&text);
        let _ = safeaware::eval::refusal::read_judgment(reader, &text);
        with_scratch(|scratch| {
            let path = scratch_file(scratch, "records", data);
            for format in [
                ResponseFormat::Jsonl,
                ResponseFormat::Csv,
                ResponseFormat::Tsv,
                ResponseFormat::Json,
            ] {
                let fields = RecordFields {
                    format: Some(format),
                    id: "id".into(),
                    response: "response".into(),
                    label: Some("label".into()),
                };
                if let Ok(records) = safeaware::eval::refusal::read_records(&path, &fields) {
                    for read_as in [ReadAs::Refusal, ReadAs::Judgment] {
                        let _ = safeaware::eval::refusal::read_rows(&records, read_as, reader);
                    }
                }
            }
        });
    });
}
