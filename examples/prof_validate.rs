use safeaware::families::{AttackPatterns, Families};
use safeaware::import::no_progress;
use safeaware::synth::{SynthOptions, write_synth};
use safeaware::validate::{self, Options, phash};
fn main() {
    let dir = std::path::PathBuf::from("/tmp/h6_s100k");
    let dataset = if dir.join("items.ron").exists() {
        safeaware::store::load(&dir).unwrap()
    } else {
        write_synth(
            &dir,
            SynthOptions {
                items: 100_000,
                images: 1000,
                seed: 1,
                models: 0,
            },
            false,
            &no_progress,
        )
        .unwrap()
    };
    let o = Options {
        decode_images: false,
        relations: false,
        ..Options::default()
    };
    let what = std::env::args().nth(1).unwrap_or_default();
    let families = Families::build(&dataset, &AttackPatterns::default());
    let hashes = phash::perceptual_hashes(&dir, &dataset, o.image_limits);
    for _ in 0..3 {
        let t = std::time::Instant::now();
        if what == "rel" {
            validate::relation_findings(&dir, &dataset, &families, &hashes, o);
        } else if what == "fam" {
            Families::build(&dataset, &AttackPatterns::default());
        } else {
            validate::validate(&dir, &dataset, o, &no_progress);
        }
        eprintln!("{what} {:?}", t.elapsed());
    }
}
