//! `items.ron` exactly as safeaware writes it (one pretty style, see
//! [`super::ron_format`]): a writer that prints the `ron` crate's output byte for byte,
//! and a reader straight into shared items, each several times faster than the `ron`
//! crate. Anything the reader does not expect, byte for byte, makes it give up (None),
//! and the caller parses the file with the `ron` crate instead, so errors still name their
//! line and column and hand-edited files read the same.

use super::layout::{Cursor, push_string};
use crate::model::{Gold, GoldClaim, ImageRef, Item, Items, Provenance, Status, Subset};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::sync::Arc;

/// What the writer puts before the first item.
const HEAD: &str = "#![enable(implicit_some)]\n[";
/// What the writer puts before each item's id.
const ITEM_START: &str = "\n    (\n        id: ";
/// What the writer puts after each item.
const ITEM_END: &str = ",\n    ),";

/// `items` as [`super::ron_format::to_string`] writes them, byte for byte.
pub fn write<'a>(items: impl ExactSizeIterator<Item = &'a Item>) -> String {
    let mut out = String::with_capacity(64 + items.len() * 700);
    out.push_str(HEAD);
    let mut any = false;
    for item in items {
        any = true;
        out.push_str(ITEM_START);
        write_item(&mut out, item);
        out.push_str(ITEM_END);
    }
    if any {
        out.push('\n');
    }
    out.push_str("]\n");
    out
}

fn write_item(out: &mut String, item: &Item) {
    push_string(out, &item.id);
    if let Some(image) = &item.image {
        out.push_str(",\n        image: (\n            path: ");
        push_string(out, &image.path);
        out.push_str(",\n            blake3: ");
        push_string(out, &image.blake3);
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            ",\n            bytes: {},\n            format: ",
            image.bytes
        );
        push_string(out, &image.format);
        let _ = write!(
            out,
            ",\n            width: {},\n            height: {},\n        )",
            image.width, image.height
        );
    }
    out.push_str(",\n        sentence: ");
    push_string(out, &item.sentence);
    out.push_str(",\n        subset: ");
    out.push_str(item.subset.key());
    write_optional(out, ",\n        scenario: ", item.scenario.as_deref());
    write_optional(out, ",\n        base_scenario: ", item.base_scenario.as_deref());
    out.push_str(",\n        gold: ");
    out.push_str(item.gold.key());
    out.push_str(",\n        status: ");
    out.push_str(item.status.key());
    if !item.flags.is_empty() {
        out.push_str(",\n        flags: [");
        for flag in &item.flags {
            out.push_str("\n            ");
            push_string(out, flag);
            out.push(',');
        }
        out.push_str("\n        ]");
    }
    write_optional(
        out,
        ",\n        notes: ",
        Some(item.notes.as_str()).filter(|n| !n.is_empty()),
    );
    let provenance = &item.provenance;
    out.push_str(",\n        provenance: (\n            source: ");
    push_string(out, &provenance.source);
    write_optional(
        out,
        ",\n            original_image: ",
        provenance.original_image.as_deref(),
    );
    if provenance.image_expected {
        out.push_str(",\n            image_expected: true");
    }
    write_optional(out, ",\n            template: ", provenance.template.as_deref());
    if !provenance.gold_claims.is_empty() {
        out.push_str(",\n            gold_claims: [");
        for claim in &provenance.gold_claims {
            out.push_str("\n                (\n                    source: ");
            push_string(out, &claim.source);
            out.push_str(",\n                    gold: ");
            out.push_str(claim.gold.key());
            out.push_str(",\n                ),");
        }
        out.push_str("\n            ]");
    }
    out.push_str(",\n        )");
}

/// `field` and the quoted value, when there is one.
fn write_optional(out: &mut String, field: &str, value: Option<&str>) {
    if let Some(value) = value {
        out.push_str(field);
        push_string(out, value);
    }
}

/// The items of `text`, when it has the writer's exact layout.
pub fn read(text: &str) -> Option<Items> {
    let mut cursor = Cursor::new(text);
    cursor.tag(HEAD)?;
    // An item takes at least 150 bytes of layout besides its strings.
    let mut list = Vec::with_capacity(text.len() / 300);
    while cursor.skip(ITEM_START) {
        list.push(Arc::new(item(&mut cursor)?));
        cursor.tag(ITEM_END)?;
    }
    if !list.is_empty() {
        cursor.tag("\n")?;
    }
    cursor.tag("]")?;
    cursor.at_end().then(|| Items::from(list))
}

/// One item, from just after `id: ` to just before its closing parenthesis.
fn item(cursor: &mut Cursor) -> Option<Item> {
    let id = cursor.string()?;
    let image = if cursor.skip(",\n        image: (\n            path: ") {
        Some(image(cursor)?)
    } else {
        None
    };
    cursor.tag(",\n        sentence: ")?;
    let sentence = cursor.string()?;
    cursor.tag(",\n        subset: ")?;
    let subset = subset(cursor.identifier()?)?;
    let scenario = optional_string(cursor, ",\n        scenario: ")?;
    let base_scenario = optional_string(cursor, ",\n        base_scenario: ")?;
    cursor.tag(",\n        gold: ")?;
    let gold = gold(cursor.identifier()?)?;
    cursor.tag(",\n        status: ")?;
    let status = status(cursor.identifier()?)?;
    let mut flags = BTreeSet::new();
    if cursor.skip(",\n        flags: [") {
        while cursor.skip("\n            ") {
            flags.insert(cursor.string()?);
            cursor.tag(",")?;
        }
        cursor.tag("\n        ]")?;
        if flags.is_empty() {
            return None;
        }
    }
    let notes = optional_string(cursor, ",\n        notes: ")?.unwrap_or_default();
    cursor.tag(",\n        provenance: (\n            source: ")?;
    let provenance = provenance(cursor)?;
    Some(Item {
        id,
        image,
        sentence,
        subset,
        scenario,
        base_scenario,
        gold,
        status,
        flags,
        notes,
        provenance,
    })
}

/// An item's image, from just after `path: ` to its closing parenthesis.
fn image(cursor: &mut Cursor) -> Option<ImageRef> {
    let path = cursor.string()?;
    cursor.tag(",\n            blake3: ")?;
    let blake3 = cursor.string()?;
    cursor.tag(",\n            bytes: ")?;
    let bytes = cursor.unsigned()?;
    cursor.tag(",\n            format: ")?;
    let format = cursor.string()?;
    cursor.tag(",\n            width: ")?;
    let width = cursor.unsigned()?;
    cursor.tag(",\n            height: ")?;
    let height = cursor.unsigned()?;
    cursor.tag(",\n        )")?;
    Some(ImageRef {
        path,
        blake3,
        bytes,
        format,
        width,
        height,
    })
}

/// An item's provenance, from just after `source: ` to its closing parenthesis.
fn provenance(cursor: &mut Cursor) -> Option<Provenance> {
    let source = cursor.string()?;
    let original_image = optional_string(cursor, ",\n            original_image: ")?;
    let image_expected = cursor.skip(",\n            image_expected: true");
    let template = optional_string(cursor, ",\n            template: ")?;
    let mut gold_claims = Vec::new();
    if cursor.skip(",\n            gold_claims: [") {
        while cursor.skip("\n                (\n                    source: ") {
            let source = cursor.string()?;
            cursor.tag(",\n                    gold: ")?;
            let gold = gold(cursor.identifier()?)?;
            cursor.tag(",\n                ),")?;
            gold_claims.push(GoldClaim { source, gold });
        }
        cursor.tag("\n            ]")?;
        if gold_claims.is_empty() {
            return None;
        }
    }
    cursor.tag(",\n        )")?;
    Some(Provenance {
        source,
        original_image,
        image_expected,
        template,
        gold_claims,
    })
}

/// The string after `field` when the text goes on with that field (Some(None) without it,
/// None when the field is there but its value is not a string).
fn optional_string(cursor: &mut Cursor, field: &str) -> Option<Option<String>> {
    if cursor.skip(field) {
        cursor.string().map(Some)
    } else {
        Some(None)
    }
}

fn subset(key: &str) -> Option<Subset> {
    Subset::ALL.into_iter().find(|s| s.key() == key)
}

fn gold(key: &str) -> Option<Gold> {
    [Gold::Safe, Gold::Unsafe].into_iter().find(|g| g.key() == key)
}

fn status(key: &str) -> Option<Status> {
    [
        Status::Unreviewed,
        Status::Accepted,
        Status::NeedsFix,
        Status::Rejected,
    ]
    .into_iter()
    .find(|s| s.key() == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ron_format;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use std::path::Path;

    /// Pieces that stress the string reader: quotes, escapes, control characters, combining
    /// and invisible characters, text that looks like the layout itself.
    const PIECES: &[&str] = &[
        "a",
        "Print it",
        "\"",
        "\\",
        "'",
        "\n",
        "\r\n",
        "\t",
        "\0",
        "\u{1}",
        "\u{1b}[31m",
        "\u{7f}",
        "\u{85}",
        "\u{200b}",
        "\u{301}",
        "\u{feff}",
        "\u{e000}",
        "\u{10ffff}",
        "é",
        "你好",
        "🦀",
        "👩‍👩‍👧",
        " ",
        "(",
        ")",
        ",",
        "\n        id: \"x\",",
        "\n    ),",
        "#",
        "r#\"",
        "// c",
        "/* c */",
        "\\u{41}",
        "None",
        "Some(",
        "true",
    ];

    fn text(rng: &mut ChaCha8Rng) -> String {
        let pieces = rng.random_range(0..8);
        (0..pieces)
            .map(|_| {
                if rng.random_bool(0.2) {
                    char::from_u32(rng.random_range(0..0x11_0000u32))
                        .unwrap_or('x')
                        .to_string()
                } else {
                    PIECES[rng.random_range(0..PIECES.len())].to_string()
                }
            })
            .collect()
    }

    fn maybe(rng: &mut ChaCha8Rng) -> Option<String> {
        rng.random_bool(0.5).then(|| text(rng))
    }

    fn random_item(rng: &mut ChaCha8Rng) -> Item {
        let gold = |rng: &mut ChaCha8Rng| {
            if rng.random_bool(0.5) {
                Gold::Safe
            } else {
                Gold::Unsafe
            }
        };
        Item {
            id: text(rng),
            image: rng.random_bool(0.7).then(|| ImageRef {
                path: text(rng),
                blake3: text(rng),
                bytes: if rng.random_bool(0.1) {
                    u64::MAX
                } else {
                    rng.random_range(0..10_000_000)
                },
                format: text(rng),
                width: if rng.random_bool(0.1) {
                    0
                } else {
                    rng.random_range(0..=u32::MAX)
                },
                height: rng.random_range(0..5000),
            }),
            sentence: text(rng),
            subset: Subset::ALL[rng.random_range(0..3)],
            scenario: maybe(rng),
            base_scenario: maybe(rng),
            gold: gold(rng),
            status: [
                Status::Unreviewed,
                Status::Accepted,
                Status::NeedsFix,
                Status::Rejected,
            ][rng.random_range(0..4)],
            flags: (0..rng.random_range(0..4)).map(|_| text(rng)).collect(),
            notes: text(rng),
            provenance: Provenance {
                source: text(rng),
                original_image: maybe(rng),
                image_expected: rng.random_bool(0.3),
                template: maybe(rng),
                gold_claims: (0..rng.random_range(0..3))
                    .map(|_| GoldClaim {
                        source: text(rng),
                        gold: gold(rng),
                    })
                    .collect(),
            },
        }
    }

    /// Loads `text` as `store::load` loads an items file: the fast reader, else the `ron`
    /// crate (through the parse cache).
    fn load(text: &str) -> crate::error::Result<Items> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("items.ron");
        std::fs::write(&path, text).unwrap();
        crate::store::cache::load_fast_or_cached(dir.path(), &path, read)
    }

    fn parse_with_ron(text: &str) -> Items {
        ron_format::parse(Path::new("items.ron"), text).unwrap()
    }

    /// 400 random item lists of 0 to 3 items, the same for a given seed.
    fn random_lists(seed: u64) -> impl Iterator<Item = (usize, Items)> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..400).map(move |round| {
            let items = (0..rng.random_range(0..4))
                .map(|_| random_item(&mut rng))
                .collect();
            (round, items)
        })
    }

    #[test]
    fn the_fast_reader_reads_whatever_the_writer_wrote_as_the_ron_crate_does() {
        for (round, items) in random_lists(14) {
            let text = ron_format::to_string(&items);
            let fast =
                read(&text).unwrap_or_else(|| panic!("round {round}: the writer's own layout\n{text}"));
            assert_eq!(fast, parse_with_ron(&text), "round {round}\n{text}");
        }
    }

    #[test]
    fn the_fast_writer_prints_what_the_ron_crate_prints_byte_for_byte() {
        for (round, items) in random_lists(15) {
            assert_eq!(
                write(items.iter()),
                ron_format::to_string(&items),
                "round {round}"
            );
        }
        for text in [
            include_str!("../../dataset/items.ron"),
            include_str!("../../fuzz/corpus/items_ron/seed-every-field.ron"),
        ] {
            let items = parse_with_ron(text);
            assert_eq!(write(items.iter()), ron_format::to_string(&items));
        }
    }

    #[test]
    fn an_empty_list_and_the_bundled_sample_read_as_the_ron_crate_reads_them() {
        let empty = ron_format::to_string(&Items::default());
        assert_eq!(read(&empty), Some(Items::default()));
        let sample = include_str!("../../dataset/items.ron");
        let fast = read(sample).expect("the bundled sample is in the writer's layout");
        assert_eq!(fast.len(), parse_with_ron(sample).len());
        assert_eq!(fast, parse_with_ron(sample));
        // The fuzz seed with every optional field, escapes and an empty id.
        let seed = include_str!("../../fuzz/corpus/items_ron/seed-every-field.ron");
        let fast = read(seed).expect("the seed is in the writer's layout");
        assert_eq!(fast.len(), 2);
        assert_eq!(fast, parse_with_ron(seed));
    }

    #[test]
    fn hand_edited_files_are_left_to_the_ron_crate_and_read_the_same() {
        let sample = include_str!("../../dataset/items.ron");
        let expected = parse_with_ron(sample);
        // Another indentation, a comment, no header, no trailing comma, a raw string,
        // Some(..) spelled out, a number with a separator, fields in another order.
        for edited in [
            sample.replacen("        sentence:", "      sentence:", 1),
            sample.replacen("    (\n", "    // reviewed\n    (\n", 1),
            sample.replacen("#![enable(implicit_some)]\n", "", 1),
            sample.replacen(
                "\"safeaware sample\",\n        ),",
                "\"safeaware sample\"\n        ),",
                1,
            ),
            sample.replacen("id: \"1\"", "id: r\"1\"", 1),
            sample.replacen("scenario: \"self_harm\"", "scenario: Some(\"self_harm\")", 1),
            sample.replacen("bytes: 1971", "bytes: 1_971", 1),
            sample.replacen(
                "        subset: typical,\n        scenario: \"self_harm\",",
                "        scenario: \"self_harm\",\n        subset: typical,",
                1,
            ),
        ] {
            assert_ne!(edited, sample, "the edit applies");
            assert!(read(&edited).is_none(), "{edited}");
            let items = load(&edited).unwrap();
            assert_eq!(items, expected);
        }
    }

    #[test]
    fn a_broken_file_still_reports_its_line_and_column() {
        let sample = include_str!("../../dataset/items.ron");
        let broken = sample.replacen(
            "        gold: unsafe,\n        status: accepted,",
            "        gold: unsafe\n        status: accepted,",
            1,
        );
        let line = broken[..broken.find("gold: unsafe\n").unwrap()].lines().count() + 1;
        let error = load(&broken).unwrap_err();
        match error {
            crate::error::Error::Syntax { line: at, column, .. } => {
                assert_eq!((at, column), (line, 9), "{error:?}");
            }
            other => panic!("{other:?}"),
        }
    }
}
