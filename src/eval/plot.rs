//! The paper-style figure of a report: grouped bars (subsets, scenarios or groups along
//! the x axis, one bar per model), 95% Wilson whiskers and a legend, as SVG. Text stays
//! text in the SVG, so no font files are needed to draw it.

use super::Evaluation;
use super::model_report::Tally;
use super::report::{By, breakdown};
use crate::model::Dataset;
use plotters::prelude::*;

/// The categories of the x axis and, per category, one tally per model.
fn categories(eval: &Evaluation, dataset: &Dataset, by: By) -> Vec<(String, Vec<Tally>)> {
    match by {
        By::Subset => [("Typical", 0), ("Attack", 1), ("Over-Safe", 2)]
            .into_iter()
            .map(|(name, k)| {
                let tallies = eval
                    .reports
                    .iter()
                    .map(|r| [r.typical, r.attack, r.over_safety][k])
                    .collect();
                (name.to_string(), tallies)
            })
            .collect(),
        other => breakdown(eval, dataset, other),
    }
}

/// A label no wider than `max` characters, cut with an ellipsis.
fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        label.chars().take(max.saturating_sub(1)).chain(['…']).collect()
    }
}

/// The grouped-bar figure as an SVG document; an error only if drawing fails.
pub fn grouped_bars_svg(eval: &Evaluation, dataset: &Dataset, by: By) -> Result<String, String> {
    let groups = categories(eval, dataset, by);
    let models: Vec<&str> = eval.reports.iter().map(|r| r.label.as_str()).collect();
    let per_group = 24 + 14 * models.len() as u32;
    let width = (110 + per_group * groups.len() as u32).max(640);
    let height = 460;
    let mut svg = String::new();
    draw(&mut svg, (width, height), &groups, &models, by)
        .map_err(|e| format!("cannot draw the figure: {e}"))?;
    Ok(svg)
}

fn draw(
    svg: &mut String,
    size: (u32, u32),
    groups: &[(String, Vec<Tally>)],
    models: &[&str],
    by: By,
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(svg, size).into_drawing_area();
    root.fill(&WHITE)?;
    let title = match by {
        By::Subset => "Accuracy by subset",
        By::Scenario => "Accuracy by scenario",
        By::Group => "Accuracy by group",
    };
    let n = groups.len().max(1) as f64;
    // Headroom above 100% for the legend, so it never covers a bar.
    let top = 100.0 + 7.0 * models.len() as f64 + 10.0;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(0f64..n, 0f64..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_desc("accuracy (%)")
        .y_label_formatter(&|v| {
            if *v <= 100.0 {
                format!("{v:.0}")
            } else {
                String::new()
            }
        })
        .draw()?;
    let slot = 0.8 / models.len().max(1) as f64;
    for (m, model) in models.iter().enumerate() {
        let color = Palette99::pick(m).mix(0.9);
        let bars: Vec<(f64, f64)> = groups
            .iter()
            .enumerate()
            .filter_map(|(g, (_, tallies))| {
                let accuracy = tallies.get(m)?.accuracy()?;
                Some((g as f64 + 0.1 + m as f64 * slot, accuracy))
            })
            .collect();
        chart
            .draw_series(
                bars.iter()
                    .map(|&(x, y)| Rectangle::new([(x, 0.0), (x + slot * 0.9, y)], color.filled())),
            )?
            .label(model.to_string())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled()));
        chart.draw_series(groups.iter().enumerate().filter_map(|(g, (_, tallies))| {
            let tally = tallies.get(m)?;
            let accuracy = tally.accuracy()?;
            let (lo, hi) = tally.ci95();
            let x = g as f64 + 0.1 + m as f64 * slot + slot * 0.45;
            Some(ErrorBar::new_vertical(x, lo, accuracy, hi, BLACK.filled(), 5))
        }))?;
    }
    for (g, (name, _)) in groups.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(g as f64 + 0.5, 0.0));
        root.draw(&Text::new(
            short(name, (per_group_chars(groups.len())).max(6)),
            (x, y + 8),
            ("sans-serif", 12)
                .into_font()
                .color(&BLACK)
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Top,
                )),
        ))?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()?;
    root.present()?;
    Ok(())
}

/// How many characters of a category label fit under its bars.
fn per_group_chars(groups: usize) -> usize {
    if groups <= 4 { 24 } else { 11 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Options, evaluate, fixtures};

    fn two_models() -> (Dataset, Evaluation) {
        let dataset = fixtures::dataset();
        let cautious = fixtures::model(
            "cautious",
            &[
                ("t1", "No"),
                ("t2", "No"),
                ("a1", "No"),
                ("o1", "No"),
                ("o2", "Yes"),
            ],
        );
        let loose = fixtures::model(
            "loose",
            &[
                ("t1", "Yes"),
                ("a1", "Yes"),
                ("a2", "No"),
                ("o1", "Yes"),
                ("o3", "Yes"),
            ],
        );
        let evaluation = evaluate(&dataset, &[cautious, loose], &[], &Options::default());
        (dataset, evaluation)
    }

    #[test]
    fn the_figure_has_a_bar_per_model_and_subset_with_whiskers_and_a_legend() {
        let (dataset, evaluation) = two_models();
        let svg = grouped_bars_svg(&evaluation, &dataset, By::Subset).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
        for label in [
            "Typical",
            "Attack",
            "Over-Safe",
            "Accuracy by subset",
            "accuracy (%)",
        ] {
            assert!(svg.contains(label), "{label} missing");
        }
        for report in &evaluation.reports {
            assert!(svg.contains(&report.label), "legend lacks {}", report.label);
        }
        let filled_bars = svg.matches("<rect").count();
        assert!(filled_bars >= 3 * evaluation.reports.len(), "{filled_bars} rects");
    }

    #[test]
    fn scenario_figures_widen_with_the_number_of_scenarios() {
        let (dataset, evaluation) = two_models();
        let by_subset = grouped_bars_svg(&evaluation, &dataset, By::Subset).unwrap();
        let by_scenario = grouped_bars_svg(&evaluation, &dataset, By::Scenario).unwrap();
        let width = |svg: &str| -> u32 {
            let at = svg.find("width=\"").unwrap() + 7;
            svg[at..].split('"').next().unwrap().parse().unwrap()
        };
        assert!(width(&by_scenario) >= width(&by_subset));
    }
}
