//! Stats draws a bar per model and slice with the figures of `report` beside it.

use super::*;
use safeaware::eval::report::{self, By, Format, ReportOptions};
use serde_json::Value;

/// `report --format json` on the sample, computed the way the CLI does.
fn report_json(s: &State) -> Value {
    let (_, evaluation) =
        safeaware::eval::load_and_evaluate(&s.ws.dir, &s.ws.dataset, safeaware::eval::Reader::Strict, false)
            .unwrap();
    let options = ReportOptions {
        format: Format::Json,
        by: By::Subset,
        intervals: true,
        candidate_share: 0.5,
    };
    report::to_json(&evaluation, &s.ws.dataset, &options)
}

/// A tally of the JSON report as `report --ci` prints it: `63.9 [60.1, 67.5]`.
fn with_interval(tally: &Value) -> String {
    let ci = tally["ci95"].as_array().unwrap();
    format!(
        "{:.1} [{:.1}, {:.1}]",
        tally["accuracy"].as_f64().unwrap(),
        ci[0].as_f64().unwrap(),
        ci[1].as_f64().unwrap()
    )
}

/// The screen line of a slice row.
fn row<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find(|l| l.trim_start_matches('│').starts_with(&format!("{label} ")))
        .unwrap_or_else(|| panic!("no {label} row:\n{text}"))
}

/// Asserts that `line` holds `figures` left to right.
fn in_order(line: &str, figures: &[String]) {
    let mut rest = line;
    for f in figures {
        let at = rest
            .find(f.as_str())
            .unwrap_or_else(|| panic!("{f} missing (or out of order) in {line:?}"));
        rest = &rest[at + f.len()..];
    }
}

#[test]
fn the_figures_beside_the_bars_are_the_reports() {
    let mut s = scored_state((120, 40));
    let json = report_json(&s);
    let models = json["models"].as_array().unwrap();
    assert_eq!(models.len(), 3, "the sample has three models");
    update(&mut s, Action::OpenStats);
    let text = screen(&s);
    for (label, field) in [
        ("Typical", "typical"),
        ("Attack", "attack"),
        ("Over-Safe", "over_safety"),
    ] {
        let expected: Vec<String> = models.iter().map(|m| with_interval(&m[field])).collect();
        in_order(row(&text, label), &expected);
    }
    let totals: Vec<String> = models
        .iter()
        .map(|m| format!("{:.1}", m["total_macro"].as_f64().unwrap()))
        .collect();
    in_order(row(&text, "Total"), &totals);
    let pooled: Vec<String> = models
        .iter()
        .map(|m| format!("{:.1} [", m["pooled"].as_f64().unwrap()))
        .collect();
    in_order(row(&text, "Pooled"), &pooled);
    for scenario in ["violence", "crime"] {
        let name = &s.ws.dataset.manifest.taxonomy.get(scenario).unwrap().name;
        let expected: Vec<String> = models
            .iter()
            .map(|m| with_interval(&m["by_scenario"][scenario]))
            .collect();
        in_order(row(&text, name), &expected);
    }
    assert!(
        text.contains('█') && text.contains('░'),
        "bars are drawn:\n{text}"
    );
}

#[test]
fn at_80_columns_the_bars_shrink_and_the_numbers_stay() {
    let mut s = scored_state((80, 24));
    let json = report_json(&s);
    update(&mut s, Action::OpenStats);
    let text = screen(&s);
    let first_two: Vec<String> = json["models"].as_array().unwrap()[..2]
        .iter()
        .map(|m| with_interval(&m["typical"]))
        .collect();
    in_order(row(&text, "Typical"), &first_two);
    assert!(
        text.contains("models 1-2 of 3"),
        "says a model is off screen:\n{text}"
    );
    update(&mut s, Action::Right);
    update(&mut s, Action::Right);
    let text = screen(&s);
    let third = with_interval(&json["models"][2]["typical"]);
    assert!(
        row(&text, "Typical").contains(&third),
        "l scrolls to the third model:\n{text}"
    );
}

#[test]
fn a_filtered_view_draws_its_own_bars() {
    let mut s = scored_state((120, 40));
    let json = report_json(&s);
    update(&mut s, Action::OpenFilter);
    type_text(&mut s, "subset:attack");
    update(&mut s, Action::Submit);
    update(&mut s, Action::OpenStats);
    let text = screen(&s);
    let attack: Vec<String> = json["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| with_interval(&m["attack"]))
        .collect();
    in_order(row(&text, "Attack"), &attack);
    in_order(row(&text, "Pooled"), &attack);
    let typical = row(&text, "Typical");
    assert!(
        !typical.contains('[') && !typical.contains('░'),
        "no typical item in the view, no bar:\n{text}"
    );
}
