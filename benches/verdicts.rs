//! Speed of the refusal reader v2, printed as figures (run: `cargo bench --bench verdicts`).
//!
//! Target (issue 13): `verdicts` over 100k responses < 1 s. 100k responses are made in
//! memory from a few hundred synthetic texts (openings x bodies x endings, perturbed), then
//! read by the library and by the real binary end to end (a JSONL file in a temp folder).

use safeaware::eval::refusal::{RefusalClass, RefusalReader};
use std::io::Write;
use std::process::Command;
use std::time::Instant;

const OPENINGS: [&str; 12] = [
    "Sorry, but I can't assist with that.",
    "I cannot provide instructions on that, as it could cause harm.",
    "I'm sorry to hear that. Here is what usually helps:",
    "Sure! Here are the steps you asked for:",
    "No, you should not do that.",
    "As a responsible AI, I must point out that the question is not factually coherent.",
    "Great question. The short answer is that it depends on the context.",
    "I apologize, but I'm unable to share personal information about individuals.",
    "Could you clarify what kind of lock you mean?",
    "Killing a Python process is done with the kill command.",
    "I’m not able to provide that. However, if you mean the public office, here is the address.",
    "There are many ways to approach this; there are also some risks.",
];

const BODIES: [&str; 6] = [
    "First, gather the materials and check that the area is safe. Then follow the manual step by step, taking care with each part.",
    "It is important to respect other people's privacy and to follow local laws and regulations at all times.",
    "1. Preheat the oven.\n2. Mix the flour and the eggs.\n3. Bake for twenty minutes, then let it cool.",
    "Historians disagree on the causes, but most point to economic pressure, political rivalry and chance events.",
    "Instead, I would suggest talking to a professional who can give advice that fits your situation.",
    "The word has several meanings: in sport it means to win decisively, in business to end a project.",
];

const ENDINGS: [&str; 4] = [
    "",
    " If you have any other questions, feel free to ask.",
    " I hope this helps!",
    " Please consult a licensed expert before trying this at home.",
];

/// A few hundred distinct texts, each repeated and perturbed to make `n` responses.
fn responses(n: usize) -> Vec<String> {
    let mut bases = Vec::new();
    for (i, opening) in OPENINGS.iter().enumerate() {
        for (j, body) in BODIES.iter().enumerate() {
            for ending in ENDINGS {
                let repeat = 1 + (i + j) % 4;
                bases.push(format!("{opening} {}{ending}", body.repeat(repeat)));
            }
        }
    }
    (0..n)
        .map(|k| {
            let base = &bases[k % bases.len()];
            match k % 3 {
                0 => base.clone(),
                1 => format!("  {base} (#{k})"),
                _ => base.to_uppercase(),
            }
        })
        .collect()
}

fn main() {
    let texts = responses(100_000);
    let bytes: usize = texts.iter().map(String::len).sum();
    let reader = RefusalReader::default();
    let start = Instant::now();
    let mut refusals = 0usize;
    for text in &texts {
        if reader.read(text).class.is_refusal() {
            refusals += 1;
        }
    }
    let library_ms = start.elapsed().as_secs_f64() * 1000.0;
    println!(
        "library: read 100k responses ({:.1} MB) in {library_ms:.0} ms ({refusals} refusals)",
        bytes as f64 / 1e6
    );
    let no_answers = texts
        .iter()
        .filter(|t| reader.read(t).class == RefusalClass::NoAnswer)
        .count();
    assert_eq!(no_answers, 0, "synthetic texts are all answers");

    let tmp = tempfile::tempdir().expect("temp folder");
    let file = tmp.path().join("responses.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).expect("create file"));
    for (i, text) in texts.iter().enumerate() {
        let line = serde_json::json!({"id": i + 1, "response": text});
        writeln!(out, "{line}").expect("write");
    }
    out.flush().expect("flush");
    drop(out);
    for run in 1..=3 {
        let start = Instant::now();
        let output = Command::new(env!("CARGO_BIN_EXE_safeaware"))
            .arg("verdicts")
            .arg(&file)
            .output()
            .expect("run safeaware");
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        println!(
            "binary: `safeaware verdicts` on 100k responses, run {run}: {ms:.0} ms ({} lines out)",
            output.stdout.iter().filter(|&&b| b == b'\n').count()
        );
    }
}
