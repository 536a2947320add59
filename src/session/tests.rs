use super::*;
use crate::labels::consensus::Rule;
use crate::model::{FieldValue, Gold, Status};
use crate::store::journal::JOURNAL_FILE;

fn sample() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    crate::synth::write_sample(&dir, false).unwrap();
    (tmp, dir)
}

#[test]
fn edits_survive_a_crash_before_compaction() {
    let (_tmp, dir) = sample();
    let (mut s, _) = Session::open(&dir, "ana").unwrap();
    s.apply(vec![("4".into(), FieldValue::Status(Status::Accepted))])
        .unwrap();
    s.apply(vec![("5".into(), FieldValue::Notes("two\nlines".into()))])
        .unwrap();
    drop(s); // like a crash: the journal is not compacted
    let viewer = load_with_journal(&dir).unwrap();
    assert_eq!(viewer.items[3].status, Status::Accepted);
    let (s, report) = Session::open(&dir, "ana").unwrap();
    assert_eq!(report.replayed, 2);
    assert_eq!(s.dataset().items[4].notes, "two\nlines");
    assert_eq!(s.pending(), 0, "replayed edits are compacted at once");
    assert_eq!(
        store::load(&dir).unwrap().items[3].status,
        Status::Unreviewed,
        "items.ron is the base"
    );
    let layer = labels::read_layer_file(&labels::layer_path(&dir, "ana")).unwrap();
    assert_eq!(
        layer["4"].status,
        Some(Status::Accepted),
        "folded into ana's layer"
    );
}

#[test]
fn undo_and_redo_cover_a_whole_bulk_action() {
    let (_tmp, dir) = sample();
    let (mut s, _) = Session::open(&dir, "ana").unwrap();
    let ids: Vec<String> = (1..=5).map(|i| i.to_string()).collect();
    let before: Vec<Gold> = s.dataset().items.iter().take(5).map(|i| i.gold).collect();
    let batch = s
        .apply(
            ids.iter()
                .map(|id| (id.clone(), FieldValue::Gold(Gold::Safe)))
                .collect(),
        )
        .unwrap()
        .batch;
    assert_eq!(batch.changes.len(), 5);
    s.undo().unwrap();
    let after: Vec<Gold> = s.dataset().items.iter().take(5).map(|i| i.gold).collect();
    assert_eq!(after, before);
    s.redo().unwrap();
    assert!(s.dataset().items.iter().take(5).all(|i| i.gold == Gold::Safe));
    assert_eq!(s.dataset().position("5"), Some(4), "edits keep the id index");
    s.compact().unwrap();
    drop(s);
    assert!(
        load_with_journal(&dir)
            .unwrap()
            .items
            .iter()
            .take(5)
            .all(|i| i.gold == Gold::Safe)
    );
    let history = item_history(&dir, "1").unwrap();
    assert_eq!(history.len(), 3, "set, undo, redo");
    assert!(history.windows(2).all(|w| w[0].seq < w[1].seq));
}

#[test]
fn confirming_a_value_is_a_label_and_repeating_it_records_nothing() {
    let (_tmp, dir) = sample();
    let (mut s, _) = Session::open(&dir, "ana").unwrap();
    let status = s.dataset().items[0].status;
    let first = s.apply(vec![("1".into(), FieldValue::Status(status))]).unwrap();
    assert_eq!(first.batch.changes.len(), 1, "ana's own label of the shown value");
    assert_eq!(s.rules()[0].status, Rule::Single);
    assert!(
        s.apply(vec![("1".into(), FieldValue::Status(status))])
            .unwrap()
            .batch
            .changes
            .is_empty()
    );
    assert!(
        s.apply(vec![("nope".into(), FieldValue::Status(status))])
            .is_err()
    );
}

#[test]
fn undoing_a_first_label_removes_it_from_the_layer() {
    let (_tmp, dir) = sample();
    let (mut s, _) = Session::open(&dir, "ana").unwrap();
    s.apply(vec![("2".into(), FieldValue::Gold(Gold::Safe))]).unwrap();
    s.undo().unwrap();
    assert!(!s.labels().layers["ana"].contains_key("2"));
    assert_eq!(s.rules()[1].gold, Rule::Base);
    drop(s);
    let (loaded, _) = load_layers(&dir).unwrap();
    assert!(
        loaded
            .labels
            .layers
            .get("ana")
            .is_none_or(|l| l.get("2").is_none())
    );
}

#[test]
fn two_curators_layers_give_the_consensus_and_an_adjudication_settles_it() {
    let (_tmp, dir) = sample();
    let base_gold = store::load(&dir).unwrap().items[0].gold;
    let other = if base_gold == Gold::Safe {
        Gold::Unsafe
    } else {
        Gold::Safe
    };
    for (who, gold) in [("ana", other), ("bob", other)] {
        let (mut s, _) = Session::open(&dir, who).unwrap();
        s.apply(vec![("1".into(), FieldValue::Gold(gold))]).unwrap();
    }
    let (loaded, _) = load_layers(&dir).unwrap();
    assert_eq!(loaded.dataset.items[0].gold, other);
    assert_eq!(loaded.rules[0].gold, Rule::Agreed);
    let (mut s, _) = Session::open(&dir, "cy").unwrap();
    s.apply(vec![("1".into(), FieldValue::Gold(base_gold))]).unwrap();
    assert_eq!(s.rules()[0].gold, Rule::Majority);
    s.adjudicate(vec![("1".into(), FieldValue::Gold(base_gold))])
        .unwrap();
    assert_eq!(
        (s.dataset().items[0].gold, s.rules()[0].gold),
        (base_gold, Rule::Adjudication)
    );
    s.undo().unwrap();
    assert_eq!(s.rules()[0].gold, Rule::Majority, "an adjudication is undoable");
    s.redo().unwrap();
    drop(s);
    assert_eq!(load_with_journal(&dir).unwrap().items[0].gold, base_gold);
    let history = item_history(&dir, "1").unwrap();
    let who: Vec<&str> = history.iter().map(|e| e.curator.as_str()).collect();
    assert_eq!(who.iter().filter(|c| **c == "cy").count(), 4, "{who:?}");
    assert!(who.contains(&"ana") && who.contains(&"bob"));
}

#[test]
fn blind_edits_and_time_spent_are_kept_in_the_layer() {
    let (_tmp, dir) = sample();
    let (mut s, _) = Session::open(&dir, "ana").unwrap();
    s.set_blind(true);
    s.apply(vec![("3".into(), FieldValue::Gold(Gold::Safe))]).unwrap();
    s.add_seconds("3", 12);
    s.set_blind(false);
    s.apply(vec![("4".into(), FieldValue::Gold(Gold::Safe))]).unwrap();
    s.compact().unwrap();
    drop(s);
    let layer = labels::read_layer_file(&labels::layer_path(&dir, "ana")).unwrap();
    assert!(layer["3"].blind && layer["3"].seconds == 12);
    assert!(!layer["4"].blind);
}

#[test]
fn an_old_journal_still_replays_into_the_base() {
    let (_tmp, dir) = sample();
    std::fs::write(
        dir.join(JOURNAL_FILE),
        "{\"seq\":1,\"batch\":1,\"time\":1,\"curator\":\"old\",\"item\":\"4\",\"field\":\"status\",\"old\":\"unreviewed\",\"new\":\"accepted\",\"end\":true}\n",
    )
    .unwrap();
    assert_eq!(load_with_journal(&dir).unwrap().items[3].status, Status::Accepted);
    let (s, report) = Session::open(&dir, "ana").unwrap();
    assert_eq!(report.replayed, 1);
    drop(s);
    assert_eq!(store::load(&dir).unwrap().items[3].status, Status::Accepted);
    assert!(!dir.join(labels::LABELS_DIR).join("old.ron").exists());
}

#[test]
fn a_damaged_journal_opens_read_only_naming_the_line() {
    let (_tmp, dir) = sample();
    let (mut s, _) = Session::open(&dir, "ana").unwrap();
    s.apply(vec![("4".into(), FieldValue::Status(Status::Accepted))])
        .unwrap();
    drop(s);
    let path = labels::journal_path(&dir, "ana");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("{\"seq\":99}\n");
    std::fs::write(&path, text).unwrap();
    match open_for_editing(&dir, "ana").unwrap() {
        Opened::ReadOnly { dataset, reason } => {
            assert!(matches!(reason, ReadOnlyReason::BadJournal(_)));
            assert!(reason.to_string().contains("ana.journal.jsonl:2:"), "{reason}");
            assert_eq!(dataset.items[3].status, Status::Accepted, "edits before it shown");
        }
        Opened::Editing(..) => panic!("a damaged journal must not be written to"),
    }
    assert!(Session::open(&dir, "ana").is_err());
    assert!(load_with_journal(&dir).is_err());
}

#[test]
fn a_torn_last_line_is_dropped_with_a_note_and_editing_goes_on() {
    let (_tmp, dir) = sample();
    let path = dir.join(JOURNAL_FILE);
    std::fs::write(&path, "{\"seq\":1,\"ba").unwrap();
    let (mut s, report) = Session::open(&dir, "ana").unwrap();
    assert!(report.dropped_torn_line);
    s.apply(vec![("4".into(), FieldValue::Status(Status::Accepted))])
        .unwrap();
    drop(s);
    assert_eq!(load_with_journal(&dir).unwrap().items[3].status, Status::Accepted);
}

#[test]
fn a_failed_compaction_still_reports_the_edit_as_saved() {
    let (_tmp, dir) = sample();
    let (mut s, _) = Session::open(&dir, "ana").unwrap();
    let items = labels::layer_path(&dir, "ana");
    std::fs::create_dir_all(items.join("blocker")).unwrap();
    let statuses = [Status::Accepted, Status::Rejected];
    let mut last = None;
    for n in 0..COMPACT_EVERY {
        let status = statuses[n % 2];
        last = Some(
            s.apply(vec![("4".into(), FieldValue::Status(status))])
                .expect("the edit itself is saved"),
        );
    }
    let last = last.unwrap();
    assert_eq!(last.batch.changes.len(), 1);
    assert!(
        last.compaction_error.is_some(),
        "compaction could not replace items.ron"
    );
    drop(s);
    std::fs::remove_dir_all(&items).unwrap();
    let status = load_with_journal(&dir).unwrap().items[3].status;
    assert_eq!(status, statuses[(COMPACT_EVERY - 1) % 2]);
}

#[test]
fn a_second_session_is_refused_while_the_first_is_open() {
    let (_tmp, dir) = sample();
    let (_s, _) = Session::open(&dir, "ana").unwrap();
    assert!(matches!(Session::open(&dir, "bob"), Err(Error::Locked { .. })));
}

fn file_list(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .filter(|name| name != store::LOCK_FILE)
        .collect();
    names.sort();
    names
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}

#[test]
fn opening_and_closing_without_an_edit_adds_no_file_and_the_first_edit_creates_the_journal() {
    let (_tmp, dir) = sample();
    let before = file_list(&dir);
    let (mut s, _) = Session::open(&dir, "ana").unwrap();
    s.compact().unwrap();
    drop(s);
    assert_eq!(file_list(&dir), before, "a git-tracked dataset stays as it was");

    let (mut s, _) = Session::open(&dir, "ana").unwrap();
    s.apply(vec![("4".into(), FieldValue::Status(Status::Accepted))])
        .unwrap();
    assert!(
        labels::journal_path(&dir, "ana").is_file(),
        "the edit is durable at once"
    );
    assert!(!labels::journal_path(&dir, labels::ADJUDICATIONS).exists());
    drop(s); // a crash: the journal is all there is
    assert_eq!(load_with_journal(&dir).unwrap().items[3].status, Status::Accepted);
}

#[test]
fn an_adjudication_records_whose_label_it_took_and_undo_restores_the_previous_source() {
    let (_tmp, dir) = sample();
    let (mut s, _) = Session::open(&dir, "cy").unwrap();
    s.adjudicate_from("ana", vec![("1".into(), FieldValue::Gold(Gold::Safe))])
        .unwrap();
    s.adjudicate_from("majority", vec![("1".into(), FieldValue::Gold(Gold::Unsafe))])
        .unwrap();
    assert_eq!(s.labels().adjudications["1"].from.as_deref(), Some("majority"));
    s.undo().unwrap();
    assert_eq!(s.labels().adjudications["1"].from.as_deref(), Some("ana"));
    s.adjudicate(vec![("2".into(), FieldValue::Gold(Gold::Safe))])
        .unwrap();
    s.compact().unwrap();
    drop(s);
    let text = std::fs::read_to_string(labels::layer_path(&dir, labels::ADJUDICATIONS)).unwrap();
    assert!(text.contains("from: \"ana\""), "{text}");
    let stored = labels::read_layer_file(&labels::layer_path(&dir, labels::ADJUDICATIONS)).unwrap();
    assert_eq!(stored["1"].from.as_deref(), Some("ana"));
    assert_eq!(stored["2"].from, None, "a plain adjudication names no source");
}

#[test]
fn an_adjudications_file_without_from_still_loads() {
    let (_tmp, dir) = sample();
    std::fs::create_dir_all(dir.join(labels::LABELS_DIR)).unwrap();
    std::fs::write(
        labels::layer_path(&dir, labels::ADJUDICATIONS),
        "#![enable(implicit_some)]\n{\"1\": (gold: safe, time: 3)}",
    )
    .unwrap();
    let (loaded, damage) = load_layers(&dir).unwrap();
    assert!(damage.is_none());
    assert_eq!(loaded.labels.adjudications["1"].from, None);
    assert_eq!(loaded.rules[0].gold, Rule::Adjudication);
}
