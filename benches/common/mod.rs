//! Helpers the benches share: synthetic datasets and running the release binary.
#![allow(dead_code)]

use safeaware::import::no_progress;
use safeaware::model::Dataset;
use safeaware::synth::{SynthOptions, write_synth};
use std::path::Path;
use std::process::{Command, Output};

/// Writes a synthetic dataset of `items` items over `images` pictures with `models`
/// synthetic responders (seed 1: the same data in every bench and run).
pub fn synth(dir: &Path, items: usize, images: usize, models: usize) -> Dataset {
    write_synth(
        dir,
        SynthOptions {
            items,
            images,
            seed: 1,
            models,
        },
        false,
        &no_progress,
    )
    .expect("synthetic dataset")
}

/// Runs `cmd` and returns its output; the bench stops with its stderr if it failed.
pub fn succeeded(cmd: &mut Command) -> Output {
    let output = cmd.output().expect("run safeaware");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}
