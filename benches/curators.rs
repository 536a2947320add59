//! Speed of several-curator work, printed as figures (run: `cargo bench --bench curators`).
//!
//! Targets (issue "several curators"): `agree` over 1,523 items x 3 curators < 50 ms;
//! `merge` of two copies of the release < 200 ms. The release is read from
//! MMSAFEAWARE_RELEASE when set and imported into two temp folders (not timed); without
//! it a synthetic dataset of 1,523 items stands in. Layers are synthetic.
//!
//! Figures: `agree` as the command runs it in the library (load base, layers and
//! consensus; the rater table; every statistic with 1,000 bootstrap resamples), the
//! statistics alone, the whole `safeaware agree DIR` process (median of 15 runs of the
//! release binary), and `merge`.

use safeaware::agreement::{self, Options};
use safeaware::import::{ImageMode, no_progress};
use safeaware::labels::raters::{self, ExtraRaters, Field};
use safeaware::labels::{ItemLabel, Labels, Layer, write_layer};
use safeaware::model::{Dataset, Gold};
use safeaware::store::DatasetLock;
use safeaware::synth::{SynthOptions, write_synth};
use std::path::Path;
use std::time::Instant;

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[v.len() - 1])
}

/// A curator's layer: gold for every item, flipped on every `flip`-th item.
fn layer(dataset: &Dataset, flip: usize, time: u64) -> Layer {
    dataset
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let gold = if i % flip == 0 {
                match item.gold {
                    Gold::Safe => Gold::Unsafe,
                    Gold::Unsafe => Gold::Safe,
                }
            } else {
                item.gold
            };
            let label = ItemLabel {
                gold: Some(gold),
                blind: true,
                time,
                ..ItemLabel::default()
            };
            (item.id.clone(), label)
        })
        .collect()
}

fn dataset_copy(tmp: &Path, name: &str) -> std::path::PathBuf {
    let out = tmp.join(name);
    match std::env::var_os("MMSAFEAWARE_RELEASE") {
        Some(release) => {
            safeaware::import::mmsafeaware::import(
                Path::new(&release),
                &out,
                ImageMode::Link,
                false,
                &no_progress,
            )
            .expect("import the release");
        }
        None => {
            let options = SynthOptions {
                items: 1523,
                images: 50,
                seed: 1,
                models: 0,
            };
            write_synth(&out, options, false, &no_progress).expect("synthetic dataset");
        }
    }
    out
}

fn main() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let source = if std::env::var_os("MMSAFEAWARE_RELEASE").is_some() {
        "MMSafeAware release"
    } else {
        "synthetic (set MMSAFEAWARE_RELEASE for the release)"
    };
    let a = dataset_copy(tmp.path(), "a");
    let b = dataset_copy(tmp.path(), "b");
    let dataset = safeaware::store::load(&a).expect("load");
    let mut labels = Labels::default();
    for (name, flip) in [("ana", 7), ("bob", 11), ("cy", 13)] {
        labels.layers.insert(name.into(), layer(&dataset, flip, 100));
    }
    for (name, layer) in &labels.layers {
        write_layer(&a, name, layer).expect("layer");
    }
    let mut whole = Vec::new();
    let mut statistics = Vec::new();
    let mut result = None;
    for _ in 0..15 {
        let start = Instant::now();
        let (loaded, _) = safeaware::session::load_layers(&a).expect("load");
        let table = raters::table(
            &loaded.dataset,
            &loaded.labels,
            Field::Gold,
            None,
            &[],
            &[],
            &ExtraRaters::new(),
        )
        .expect("table");
        let measured = Instant::now();
        let report = agreement::measure_all(&table.ratings, "gold", Options::default());
        statistics.push(ms(measured));
        whole.push(ms(start));
        result = Some(report);
    }
    println!("{source}: {} items x 3 curators", dataset.items.len());
    let (mid, max) = median(whole);
    println!(
        "  agree, library (load + table + statistics)  median {mid:>8.1} ms  max {max:>8.1} ms  (target < 50 ms)"
    );
    let (mid, max) = median(statistics);
    println!("    statistics alone (1000 resamples)       median {mid:>8.1} ms  max {max:>8.1} ms");
    if let Some(r) = result {
        let ci = |c: Option<[f64; 2]>| c.map_or("-".to_string(), |[lo, hi]| format!("[{lo:.3}, {hi:.3}]"));
        println!(
            "    fleiss {:.3} {}  alpha {:.3} {}",
            r.fleiss_kappa.unwrap_or(f64::NAN),
            ci(r.fleiss_ci95),
            r.krippendorff_alpha.unwrap_or(f64::NAN),
            ci(r.alpha_ci95)
        );
    }
    let mut process = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_safeaware"))
            .arg("agree")
            .arg(&a)
            .args(["--format", "json"])
            .output()
            .expect("run safeaware agree");
        process.push(ms(start));
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let (mid, max) = median(process);
    println!(
        "  agree, whole process (safeaware agree DIR) median {mid:>8.1} ms  max {max:>8.1} ms  (target < 50 ms)"
    );

    let mut times = Vec::new();
    for round in 0..10 {
        // Fresh layers each round: ana in both copies (half her items newer in b), bob and cy in b.
        write_layer(&a, "ana", &layer(&dataset, 7, 100)).expect("layer");
        write_layer(&b, "ana", &layer(&dataset, 5, 200)).expect("layer");
        write_layer(&b, "bob", &layer(&dataset, 11, 100)).expect("layer");
        write_layer(&b, "cy", &layer(&dataset, 13, 100)).expect("layer");
        let _ = std::fs::remove_file(a.join("labels/bob.ron"));
        let _ = std::fs::remove_file(a.join("labels/cy.ron"));
        let start = Instant::now();
        let lock = DatasetLock::acquire(&a).expect("lock");
        let base = safeaware::session::load_with_journal(&a).expect("load");
        let known = |id: &str| base.position(id).is_some();
        let report = safeaware::labels::merge::merge(&lock, &b, &known).expect("merge");
        drop(lock);
        times.push(ms(start));
        if round == 0 {
            for l in &report.layers {
                println!("    {}: {} added, {} conflicts", l.layer, l.added, l.conflicts);
            }
        }
    }
    let (mid, max) = median(times);
    println!(
        "  merge (load + 3 layers, one shared)         median {mid:>8.1} ms  max {max:>8.1} ms  (target < 200 ms)"
    );
}
