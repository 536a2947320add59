//! The curators' texts: the header, blind mode, the consensus lines of the detail pane,
//! the Adjudicate view and the progress overlay. Names and values come in escaped.

/// Blind mode refuses a view that shows model responses.
pub const BLIND_NO_RESPONSES: &str =
    "not in blind mode: model responses, verdicts and families stay hidden until you label without --blind";
/// Blind mode refuses suggestions.
pub const BLIND_NO_SUGGESTIONS: &str = "not in blind mode: suggestions stay hidden";
/// Blind mode refuses views with other curators' labels.
pub const BLIND_NO_OTHERS: &str = "not in blind mode: other curators' labels and the history stay hidden";
/// Blind mode keeps its own order.
pub const BLIND_OWN_ORDER: &str = "not in blind mode: items come in your own order (j/k to move)";
/// Blind mode answers the benchmark's question only.
pub const BLIND_ONLY_ANSWER: &str = "blind mode: answer safe or unsafe, and set a scenario if you like";
/// Every item of the blind queue has an answer.
pub const ALL_ANSWERED: &str = "every item of your queue has an answer";
/// Header: blind mode.
pub const BLIND: &str = "BLIND";
/// Header: progress in blind mode.
pub fn blind_progress(done: usize, assigned: usize) -> String {
    format!(" {done}/{assigned} done")
}
/// The list title in blind mode.
pub const BLIND_LIST_TITLE: &str = " Your items (blind, your order) ";
/// Item list columns in blind mode.
pub const BLIND_COLUMNS: [&str; 7] = ["", "id", "", "scenario", "answer", "", "sentence"];
/// Item list: no answer yet.
pub const UNANSWERED: &str = "?";
/// Detail (blind): the question heading.
pub const YOUR_ANSWER: &str = "Answer";
/// Detail (blind): the scenario the curator set.
pub const YOUR_SCENARIO: &str = "Scenario";
/// Detail (blind): not answered yet, with the keys.
pub fn not_answered(safe: &str, unsafe_key: &str) -> String {
    format!("not yet: {safe} safe (Yes), {unsafe_key} unsafe (No)")
}
/// Detail (blind): no scenario set, with the key.
pub fn no_scenario(key: &str) -> String {
    format!("none ({key} to set one, optional)")
}
/// Detail (blind): the time already spent.
pub fn seconds_spent(seconds: u64) -> String {
    format!("{seconds} s recorded on this item")
}
/// Detail label: which rule gave each labelled field.
pub const CONSENSUS: &str = "Decided";
/// Detail label: which curators gave which value.
pub const DISAGREE: &str = "Disagree";

/// Adjudicate: the panel title.
pub fn adjudicate_title(position: usize, len: usize) -> String {
    format!(" Adjudicate: {position}/{len} items where curators disagree ")
}
/// Adjudicate: nothing to do.
pub const QUEUE_EMPTY: &str = "No item where curators disagree: nothing to adjudicate.";
/// Adjudicate: the majority row label.
pub const MAJORITY: &str = "majority";
/// Adjudicate: no majority.
pub const NO_MAJORITY: &str = "no majority: take one curator's label";
/// Adjudicate: the curator numbered so has no value for the disputed fields.
pub fn nothing_to_take(name: &str) -> String {
    format!("{name} gave no value for the fields in dispute")
}
/// Adjudicate: no curator with that number.
pub fn no_curator(n: usize) -> String {
    format!("no curator numbered {n} on this item")
}
/// Adjudicate: what was taken (for the status line and history).
pub fn took(whose: &str, id: &str) -> String {
    format!("adjudicated {id}: took {whose}'s label")
}
/// Adjudicate: the note heading.
pub const NOTE: &str = "note";
/// Adjudicate: read-only datasets cannot be adjudicated.
pub const NOTHING_OPEN: &str = "no item selected";

/// Progress overlay: title.
pub const PROGRESS_TITLE: &str = " Progress per curator ";
/// Progress overlay: no curator yet.
pub const NO_CURATORS: &str = "No curator has labels or an assignment yet (see `safeaware assign`).";
/// Progress overlay: one curator's line.
pub fn progress_line(
    name: &str,
    done: usize,
    assigned: usize,
    rate: Option<f64>,
    left: Option<f64>,
) -> String {
    let rate = rate.map_or("-".to_string(), |r| format!("{r:.0} items/h"));
    let left = left.map_or("-".to_string(), |h| format!("{h:.1} h left"));
    format!("{name:<16} {done:>5}/{assigned:<5} {rate:>13} {left:>11}")
}
/// Progress overlay: one subset's counts.
pub fn subset_count(subset: &str, done: usize, assigned: usize) -> String {
    format!("    {subset:<12} {done:>5}/{assigned}")
}
