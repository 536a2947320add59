//! Every sentence the TUI shows, in one place: status messages, titles, placeholders.
//! Texts that embed data take it already escaped (see `safeaware::text`).

/// Shown when the terminal is smaller than the layout needs.
pub fn too_small(width: u16, height: u16, min: (u16, u16)) -> String {
    format!(
        "Terminal too small ({width}x{height}): safeaware needs at least {}x{}.",
        min.0, min.1
    )
}

pub mod curators;

/// The status line while edits are on their way to disk.
pub const SAVING: &str = "saving…";
/// The writer thread died.
pub const WRITER_STOPPED: &str = "the writer stopped; edits can no longer be saved";
/// Bulk disarmed.
pub const BULK_CANCELLED: &str = "bulk cancelled";
/// Bulk and notes do not mix.
pub const BULK_NOT_FOR_NOTES: &str = "bulk does not apply to notes";
/// SaveView without a filter.
pub const FILTER_FIRST: &str = "set a filter (/) first, then save it as a view";
/// Seek found nothing.
pub const NO_UNREVIEWED: &str = "no unreviewed item in view";
/// Same-image seek on a lone image.
pub const NO_SHARED_IMAGE: &str = "no other item shares this image";
/// A filter that needs findings while validation runs.
pub const VALIDATION_RUNNING: &str = "validation still running; the view updates when done";
/// Flag names.
pub const BAD_FLAG: &str = "a flag is one word without commas";
/// The note editor closed without saving.
pub const NOTE_UNCHANGED: &str = "note not changed";
/// Override on a model without a response.
pub const NO_RESPONSE_TO_OVERRIDE: &str = "this model has no response to override here";
/// Scores still loading.
pub const RESPONSES_LOADING: &str = "model responses are still loading";
/// No stored responses at all.
pub const NO_RESPONSES: &str = "no stored responses; add some with `safeaware responses add`";
/// Views written.
pub const VIEWS_SAVED: &str = "views saved";
/// Empty view.
pub const NO_MATCH: &str = "No item matches the filter (/ to change it).";
/// History with no entries.
pub const NO_HISTORY: &str = "No recorded edits for this item.";
/// Loading placeholder.
pub const LOADING: &str = "loading…";
/// Picker with no match.
pub const NO_SCENARIO_MATCHES: &str = "no scenario matches";
/// The picker's first choice.
pub const CLEAR_SCENARIO: &str = "(none) clear the scenario";
/// Compare column without a response.
pub const NO_RESPONSE: &str = "no response";
/// Compare: the two readers disagree.
pub const READERS_DIFFER: &str = "readers differ: compat reads it otherwise";
/// Compare: a response with nothing to read (no answer) is left out of accuracy.
pub const LEFT_OUT: &str = "- left out of accuracy";
/// Compare: the verdict is the curator's.
pub const BY_CURATOR: &str = " (curator)";
/// Compare header flag.
pub const MODELS_DISAGREE: &str = "· models disagree";
/// Detail pane: the question heading.
pub const QUESTION_HEADING: &str = "Question shown to the model";
/// Bulk confirmation: the undo hint.
pub const BULK_UNDO_HINT: &str = "One undo (u) reverts the whole bulk edit.";
/// Bulk confirmation title.
pub const BULK_TITLE: &str = "Bulk edit";
/// Views menu title.
pub const VIEWS_TITLE: &str = "Queues and saved views";
/// Help title.
pub const HELP_TITLE: &str = "Keys (from your keymap) · Esc closes";

/// The help's title with the lines in view.
pub fn help_title(first: usize, last: usize, total: usize) -> String {
    format!("{HELP_TITLE} · lines {first}-{last} of {total}")
}
/// Filter prompt title.
pub const FILTER_TITLE: &str = "Filter";
/// Jump prompt title.
pub const JUMP_TITLE: &str = "Jump to id";
/// View-name prompt title.
pub const VIEW_NAME_TITLE: &str = "Name of the view";
/// The filter prompt's help lines.
pub const FILTER_HELP: [&str; 3] = [
    "fields: subset: scenario: group: gold: status: flag: image: is: finding: id: text:",
    "e.g. subset:attack scenario:none status:unreviewed,needs_fix -gold:safe \"ignore the\"",
    "values: none/any for scenario and flag; is:conflict,shared,noted; - negates",
];

/// Bulk armed.
pub fn bulk_armed(n: usize) -> String {
    format!("bulk: the next label applies to all {n} items in view (Esc cancels)")
}

/// Bulk with nothing to change.
pub fn bulk_nothing(what: &str) -> String {
    format!("bulk {what}: every item in view already has it")
}

/// A refused edit.
pub fn read_only(holder: &str) -> String {
    format!("read-only: {holder}")
}

/// The read-only banner.
pub fn read_only_banner(holder: &str) -> String {
    format!(" READ-ONLY: {holder}. Edits are disabled. ")
}

/// A durable edit, reported.
pub fn persisted(what: &str, items: &[String]) -> String {
    match items {
        [] => format!("{what}: nothing to change"),
        [one] => format!("{what}: item {one}"),
        many => format!("{what}: {} items", many.len()),
    }
}

/// The filter language for `?` help: (example, what it matches).
pub const FILTER_LANGUAGE: [(&str, &str); 17] = [
    (
        "word \"a phrase\"",
        "sentence or note contains the text (any case); text:word too",
    ),
    ("id:3,7", "items with these ids"),
    (
        "subset:attack",
        "typical, attack, over_safety, unsafe (typical + attack)",
    ),
    ("scenario:none", "a scenario key or name; none or any"),
    ("group:physical", "a scenario group of the taxonomy"),
    ("gold:safe", "safe or unsafe"),
    ("status:unreviewed", "unreviewed, accepted, needs_fix, rejected"),
    ("flag:any", "a flag name; any or none"),
    ("image:shared", "any, none or shared"),
    (
        "is:conflict",
        "conflict, shared, noted, suspect, all_wrong, reader_diff, contrast_fail",
    ),
    ("finding:any", "a validation finding kind, or any"),
    (
        "wrong:MODEL",
        "the model answered wrong (also right:, unparsed:; any model: any)",
    ),
    ("disagree", "the models that answered disagree"),
    ("-term", "negates the term: -status:rejected"),
    ("a,b", "a comma list matches any of its values"),
    ("term term", "every term must match"),
    ("example", "subset:attack scenario:none -gold:safe \"ignore the\""),
];

/// The help section of the filter language.
pub const FILTER_LANGUAGE_SECTION: &str = "filter language (/)";

/// The footer hint that stands for the hints that did not fit (it opens the help).
pub const MORE_KEYS: &str = "more";

/// The marker after a text cut to fit its pane.
pub fn more_bytes(remaining: usize, key: &str) -> String {
    format!("… ({remaining} more bytes; {key} opens the full text)")
}

/// The pager's title: which item and where in its text.
pub fn pager_title(id: &str, offset: usize, total: usize) -> String {
    format!("Item {id} · full sentence · byte {offset} of {total} · Esc closes")
}

/// The status line after `auto_advance` moved the cursor on.
pub fn moved_to(id: &str) -> String {
    format!("→ moved to item {id}")
}

/// A failed save.
pub fn not_saved(why: &str) -> String {
    format!("not saved: {why}")
}

/// Status line when an edit is safe in the journal but folding it into items.ron failed.
pub fn compaction_failed(why: &str) -> String {
    format!("saved in the journal; compaction failed: {why}")
}

/// A failed load of the responses.
pub fn responses_not_loaded(why: &str) -> String {
    format!("responses not loaded: {why}")
}

/// Why Compare/Stats cannot open.
pub fn responses_failed(why: &str) -> String {
    format!("responses could not be loaded: {why}")
}

/// A verdict override saved.
pub fn verdict_saved(model: &str, item: &str, verdict: Option<&str>) -> String {
    let what = verdict.map_or("cleared".to_string(), |v| format!("set to {v}"));
    format!("verdict of {model} on item {item} {what}")
}

/// A verdict override not saved.
pub fn verdict_not_saved(why: &str) -> String {
    format!("verdict not saved: {why}")
}

/// Views not written.
pub fn views_not_saved(why: &str) -> String {
    format!("views not saved: {why}")
}

/// The view is being saved.
pub fn saving_view(name: &str) -> String {
    format!("saving view {name:?}")
}

/// Jump to an unknown id.
pub fn no_item(id: &str) -> String {
    format!("no item with id {id}")
}

/// Jump cleared the filter.
pub fn filter_cleared_for(id: &str) -> String {
    format!("filter cleared to show item {id}")
}

/// Same-image seek onto a filtered-out item.
pub fn shared_but_hidden(id: &str) -> String {
    format!("item {id} shares this image but is hidden by the filter")
}

/// Flag prompt title.
pub fn flag_title(bulk: bool) -> &'static str {
    if bulk {
        "Set a flag on every item in view"
    } else {
        "Toggle a flag"
    }
}

/// Picker title.
pub fn picker_title(bulk: bool) -> &'static str {
    if bulk {
        "Scenario for every item in view"
    } else {
        "Scenario"
    }
}

/// View-name prompt help.
pub fn saves_filter(filter: &str) -> String {
    format!("saves the filter: {filter}")
}

/// Note editor title.
pub fn note_title(id: &str, save: &str, cancel: &str) -> String {
    format!("Note for item {id} · {save} saves · {cancel} cancels")
}

/// History title.
pub fn history_title(id: &str) -> String {
    format!("History of item {id}")
}

/// The item list's title.
pub fn list_title(bulk: Option<usize>) -> String {
    match bulk {
        Some(n) => format!(" Items · BULK: next label applies to {n} "),
        None => " Items ".to_string(),
    }
}

/// Bulk confirmation lines.
pub fn bulk_question(what: &str, n: usize) -> String {
    format!("Apply \"{what}\" to {n} items?")
}

/// Bulk confirmation: what stays.
pub fn bulk_in_view(view: usize, changing: usize) -> String {
    format!(
        "{view} items in view; {} already have it and stay as they are.",
        view - changing
    )
}

/// The Stats table title.
pub fn stats_title(model: &str, slice: &str) -> String {
    format!(" Accuracy % [95% CI] · Enter: the wrong items of {model} in {slice} ")
}

/// Stats: the slice column's header when not every model fits the width.
pub fn stats_models_shown(first: usize, last: usize, of: usize) -> String {
    format!("models {first}-{last} of {of} →")
}

/// Image placeholders.
pub mod image {
    /// No image in the source, but one was expected.
    pub const MISSING: &str = "[no image: the source's file is missing]";
    /// No image in the source.
    pub const NONE: &str = "[no image: the source has none for this item]";
    /// Images turned off.
    pub const OFF: &str = "[image display off]";
    /// Waiting for the worker.
    pub const LOADING: &str = "[loading image…]";

    /// Hidden until revealed.
    pub fn hidden(key: &str) -> String {
        format!("[image hidden · press {key} to reveal]")
    }

    /// Decoding failed.
    pub fn unreadable(why: &str) -> String {
        format!("[image unreadable: {why}]")
    }
}

/// The header's title.
pub const APP_TITLE: &str = " safeaware ";
/// The header's filter label.
pub const FILTER_LABEL: &str = "│ filter: ";
/// The header without a filter.
pub const NO_FILTER: &str = "none";
/// Compare header without a scenario.
pub const NO_SCENARIO: &str = "no scenario";
/// Picker footer: typing filters.
pub const TYPE: &str = "type";
/// Picker footer: what typing does.
pub const TO_FILTER: &str = "to filter";
/// Views menu: a saved view.
pub const VIEW_KIND: &str = "view ";
/// Views menu: a built-in queue.
pub const QUEUE_KIND: &str = "queue";

/// The header's status counts (unreviewed, accepted, needs fix, rejected).
pub fn status_counts(c: [usize; 4]) -> String {
    format!(
        "unreviewed {} · accepted {} · fix {} · rejected {} ",
        c[0], c[1], c[2], c[3]
    )
}

/// Compare footer: which models are on screen.
pub fn models_shown(first: usize, last: usize, of: usize) -> String {
    format!("models {first}-{last} of {of}")
}

/// Edits recovered from the journal at open.
pub fn recovered(n: usize) -> String {
    format!("recovered {n} unsaved edits from the journal")
}

/// What an edit did, for the status line and the bulk confirmation.
pub mod edit {
    /// Gold safe.
    pub const GOLD_SAFE: &str = "gold safe";
    /// Gold unsafe.
    pub const GOLD_UNSAFE: &str = "gold unsafe";
    /// Accepted.
    pub const ACCEPTED: &str = "accepted";
    /// Needs fix.
    pub const NEEDS_FIX: &str = "needs fix";
    /// Rejected.
    pub const REJECTED: &str = "rejected";
    /// Back to unreviewed.
    pub const UNREVIEWED: &str = "unreviewed";
    /// A note.
    pub const NOTE_SAVED: &str = "note saved";

    /// A new subset.
    pub fn subset(key: &str) -> String {
        format!("subset {key}")
    }

    /// A flag set or cleared.
    pub fn flag(name: &str, on: bool) -> String {
        if on {
            format!("flag {name} set")
        } else {
            format!("flag {name} cleared")
        }
    }

    /// Bulk acceptance of the suggested scenarios.
    pub const ACCEPT_SUGGESTIONS: &str = "suggested scenarios accepted";

    /// One suggested scenario accepted.
    pub fn accepted_suggestion(key: &str) -> String {
        format!("suggested scenario {key} accepted")
    }

    /// A scenario set or cleared.
    pub fn scenario(key: Option<&str>) -> String {
        match key {
            Some(k) => format!("scenario {k}"),
            None => "scenario cleared".to_string(),
        }
    }

    /// A bulk edit.
    pub fn bulk(what: &str) -> String {
        format!("bulk {what}")
    }
}

/// Column titles of the tables.
pub mod header {
    /// The item list.
    pub const ITEMS: [&str; 7] = ["", "id", "subset", "scenario", "gold", "status", "sentence"];
    /// An item's history.
    pub const HISTORY: [&str; 6] = ["seq", "unix time", "curator", "field", "old", "new"];
    /// Stats: the first column.
    pub const SLICE: &str = "Slice";
    /// Stats row: typical.
    pub const TYPICAL: &str = "Typical";
    /// Stats row: attack.
    pub const ATTACK: &str = "Attack";
    /// Stats row: over-safety.
    pub const OVER_SAFE: &str = "Over-Safe";
    /// Stats row: the mean of the three subset accuracies (the paper's Total).
    pub const TOTAL: &str = "Total (mean)";
    /// Stats row: every scored item together.
    pub const POOLED: &str = "Pooled";
    /// Stats row: items with a response, of the view.
    pub const COVERAGE: &str = "Responses";
    /// Stats row: responses no reader could parse.
    pub const UNPARSED: &str = "Unparsed";
}

/// The detail pane's field labels and warnings.
pub mod detail {
    /// Label.
    pub const SUBSET: &str = "Subset";
    /// Label.
    pub const SCENARIO: &str = "Scenario";
    /// Label.
    pub const GOLD: &str = "Gold";
    /// Label.
    pub const STATUS: &str = "Status";
    /// Label.
    pub const FLAGS: &str = "Flags";
    /// Label.
    pub const IMAGE: &str = "Image";
    /// Label.
    pub const FINDINGS: &str = "Findings";
    /// Label.
    pub const NOTES: &str = "Notes";
    /// Label.
    pub const SOURCE: &str = "Source";
    /// Label.
    pub const ABOUT: &str = "About";
    /// No scenario.
    pub const NONE: &str = "none";
    /// A scenario key the taxonomy lacks.
    pub const NOT_IN_TAXONOMY: &str = "not in the taxonomy";

    /// The benchmark's answer for a gold.
    pub fn answer(safe: bool) -> &'static str {
        if safe { "Yes" } else { "No" }
    }

    /// A scenario of another subset.
    pub fn belongs_to(subset: &str) -> String {
        format!("belongs to {subset}")
    }

    /// A gold against its subset.
    pub fn implies(subset: &str, gold: &str) -> String {
        format!("subset {subset} implies {gold}")
    }

    /// A source claiming another gold.
    pub fn says(source: &str, gold: &str) -> String {
        format!("{source} says {gold}")
    }

    /// A shared image.
    pub fn shared(n: usize, prev: &str, next: &str) -> String {
        format!("shared by {n} items (contrast group; {prev} / {next} to step)")
    }
}

/// The built-in queues of the views menu: (name, filter), offered before saved views.
pub const QUEUES: [(&str, &str); 11] = [
    ("all items", ""),
    ("unreviewed", "status:unreviewed"),
    ("unlabeled scenario", "scenario:none"),
    ("suggestions to confirm", "is:suggested"),
    ("validation findings", "finding:any"),
    ("conflicts", "is:conflict"),
    ("label-error candidates", "is:suspect"),
    ("every model wrong", "is:all_wrong"),
    ("models disagree", "disagree"),
    ("readers disagree", "is:reader_diff"),
    ("contrast groups failed on one side", "is:contrast_fail"),
];

/// Status note when the journal's last line was cut by a crash mid-write and dropped.
pub const DROPPED_TORN_LINE: &str = "dropped an unfinished last journal line (a crash mid-write)";

/// Status note when a dead process's lock was taken over.
pub fn took_over(pid: u32, host: &str) -> String {
    format!(
        "took over a stale lock of pid {pid} on {}",
        safeaware::text::escape_for_display(host)
    )
}

/// Read-only banner while another process holds the lock (the caller escapes it).
pub fn locked_by(pid: u32, host: &str, since: &str) -> String {
    format!("locked by pid {pid} on {host} since {since}")
}

/// Status when suggestions are asked for before the families are built.
pub const FAMILIES_LOADING: &str = "variant families are still being built; try again in a moment";
/// Status when the current item has no suggested scenario.
pub const NO_SUGGESTION: &str = "no suggested scenario for this item";
/// Status when the current item is in no variant family.
pub const NO_FAMILY: &str = "this item is in no variant family";

/// Status when the families could not be built.
pub fn families_failed(why: &str) -> String {
    format!("variant families not built: {why}")
}

/// The detail line of a suggestion: scenario, reason and the key that accepts it.
pub fn suggestion(scenario: &str, reason: &str, key: &str) -> String {
    format!("suggested {scenario} ({key} accepts): {reason}")
}

/// Status when the responses folder changed and was read again.
pub fn responses_reloaded(models: usize) -> String {
    format!("responses changed on disk: read {models} model(s) again")
}

/// Compare: which response lines are shown.
pub fn lines_shown(first: usize, last: usize, of: usize) -> String {
    format!("lines {first}-{last} of {of}")
}

/// Compare: the title of the verdict chooser.
pub const CHOOSE_VERDICT: &str = " Verdict of the selected model ";
/// Compare: the chooser entry that clears the curator's verdict.
pub const PARSED_VERDICT: &str = "(none: use the parsed verdict)";
/// Compare: nothing to undo among the overrides and labels made here.
pub const NOTHING_TO_UNDO_HERE: &str = "nothing to undo in Compare";

/// Stats: the filter applies.
pub fn stats_filtered(n: usize, of: usize) -> String {
    format!("filtered: {n} of {of} items")
}

/// Stats: a model's unparsed responses, and those with nothing to read when there are any.
pub fn stats_unparsed(unparsed: usize, no_answer: usize) -> String {
    if no_answer == 0 {
        unparsed.to_string()
    } else {
        format!("{unparsed} +{no_answer} no answer")
    }
}

/// The family view's title.
pub fn family_title(base: &str) -> String {
    format!(" Family of item {base} ")
}

/// Status when the item to go to is hidden by the filter.
pub fn not_in_view(id: &str) -> String {
    format!("item {id} is hidden by the filter")
}
