//! A table of strings rendered as aligned text, markdown or LaTeX (booktabs), shared by
//! the accuracy report and the attack report.

use std::fmt::Write;

/// Output formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text.
    Table,
    /// GitHub-flavoured markdown.
    Markdown,
    /// RFC 4180 CSV.
    Csv,
    /// The JSON contract.
    Json,
    /// A LaTeX booktabs tabular.
    Latex,
}

fn latex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A table of strings: header and rows, rendered in any text format.
pub(crate) struct Grid {
    /// Column titles.
    pub header: Vec<String>,
    /// Cells, one row per entry.
    pub rows: Vec<Vec<String>>,
}

impl Grid {
    /// The grid as text; CSV and JSON have their own writers and render as nothing.
    pub fn render(&self, format: Format) -> String {
        let mut out = String::new();
        match format {
            Format::Table => {
                let widths: Vec<usize> = (0..self.header.len())
                    .map(|c| {
                        self.rows
                            .iter()
                            .map(|r| crate::text::display_width(&r[c]))
                            .chain([crate::text::display_width(&self.header[c])])
                            .max()
                            .unwrap_or(0)
                    })
                    .collect();
                let line = |cells: &[String]| {
                    cells
                        .iter()
                        .enumerate()
                        .map(|(c, v)| {
                            if c == 0 {
                                crate::text::pad_right(v, widths[c])
                            } else {
                                crate::text::pad_left(v, widths[c])
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("  ")
                };
                let _ = writeln!(out, "{}", line(&self.header));
                let _ = writeln!(
                    out,
                    "{}",
                    widths
                        .iter()
                        .map(|w| "-".repeat(*w))
                        .collect::<Vec<_>>()
                        .join("  ")
                );
                for r in &self.rows {
                    let _ = writeln!(out, "{}", line(r));
                }
            }
            Format::Markdown => {
                let escape = |s: &String| s.replace('|', "\\|");
                let _ = writeln!(
                    out,
                    "| {} |",
                    self.header.iter().map(escape).collect::<Vec<_>>().join(" | ")
                );
                let align: Vec<&str> = (0..self.header.len())
                    .map(|c| if c == 0 { "---" } else { "---:" })
                    .collect();
                let _ = writeln!(out, "| {} |", align.join(" | "));
                for r in &self.rows {
                    let _ = writeln!(
                        out,
                        "| {} |",
                        r.iter().map(escape).collect::<Vec<_>>().join(" | ")
                    );
                }
            }
            Format::Latex => {
                let cols = format!("l{}", "r".repeat(self.header.len() - 1));
                let _ = writeln!(out, "\\begin{{tabular}}{{{cols}}}\n\\toprule");
                let _ = writeln!(
                    out,
                    "{} \\\\\n\\midrule",
                    self.header
                        .iter()
                        .map(|h| latex_escape(h))
                        .collect::<Vec<_>>()
                        .join(" & ")
                );
                for r in &self.rows {
                    let _ = writeln!(
                        out,
                        "{} \\\\",
                        r.iter().map(|v| latex_escape(v)).collect::<Vec<_>>().join(" & ")
                    );
                }
                let _ = writeln!(out, "\\bottomrule\n\\end{{tabular}}");
            }
            Format::Csv | Format::Json => {}
        }
        out
    }
}
