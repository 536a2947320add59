//! `misspelling`: words of the sentences that are not in an English dictionary, grouped
//! by word with the items that use it and a likely correction.
//!
//! The dictionary is Debian's `hunspell-en-us` (SCOWL, permissive licence; see
//! `assets/dictionary/LICENSE-en_US.txt`), read by `spellbook` and loaded once per process.
//! Words are accepted when the bundled allow list (`assets/allow_words.txt`, model and
//! product names) or the dataset's own `allow_words.txt` has them.

use super::{Finding, Kind, esc};
use crate::model::Dataset;
use crate::store::cache::CACHE_DIR;
use spellbook::Dictionary;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

/// The dataset's own allow list, one word a line (`#` starts a comment).
pub const ALLOW_WORDS_FILE: &str = "allow_words.txt";

const AFF: &str = include_str!("../../assets/dictionary/en_US.aff");
const DIC: &str = include_str!("../../assets/dictionary/en_US.dic");
const BUILT_IN_ALLOW: &str = include_str!("../../assets/allow_words.txt");

/// The en_US dictionary, parsed on first use (about 30 ms) and kept for the process.
fn dictionary() -> Option<&'static Dictionary> {
    static DICTIONARY: OnceLock<Option<Dictionary>> = OnceLock::new();
    DICTIONARY.get_or_init(|| Dictionary::new(AFF, DIC).ok()).as_ref()
}

/// Lower-cased words of an allow list text.
fn allow_list(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
}

/// The bundled allow list plus the dataset's `allow_words.txt` (when there is one).
pub fn allowed_words(dir: &Path) -> HashSet<String> {
    let mut words: HashSet<String> = allow_list(BUILT_IN_ALLOW).collect();
    if let Ok(text) = std::fs::read_to_string(dir.join(ALLOW_WORDS_FILE)) {
        words.extend(allow_list(&text));
    }
    words
}

/// The words of a sentence the check looks at: runs of letters (with inner apostrophes
/// and hyphens), skipping any run glued to a digit (`glued_digit` reports those).
pub fn words(sentence: &str) -> Vec<&str> {
    let is_part = |c: char| c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
    sentence
        .split(|c: char| !is_part(c))
        .flat_map(|run| run.split('-'))
        .map(|w| w.trim_matches(|c: char| c == '\'' || c == '’'))
        .filter(|w| {
            w.chars().any(char::is_alphabetic)
                && w.chars().all(|c| c.is_alphabetic() || c == '\'' || c == '’')
        })
        .collect()
}

/// One misspelled word, the items (positions, dataset order) that use it and a likely
/// correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misspelling {
    /// The word as written (first spelling seen).
    pub word: String,
    /// Positions of the items using it.
    pub items: Vec<usize>,
    /// The dictionary's first suggestion, if any (after [`add_corrections`]).
    pub correction: Option<String>,
}

/// Every word of `dataset` the dictionary and `allowed` reject, in order of first use
/// (corrections not filled in yet: [`add_corrections`]).
pub fn misspellings(dataset: &Dataset, allowed: &HashSet<String>) -> Vec<Misspelling> {
    let Some(dictionary) = dictionary() else {
        return Vec::new();
    };
    let mut verdict: HashMap<&str, bool> = HashMap::new();
    let mut found: BTreeMap<String, (usize, String, Vec<usize>)> = BTreeMap::new();
    for (position, item) in dataset.items.iter().enumerate() {
        for word in words(&item.sentence) {
            let known = *verdict.entry(word).or_insert_with(|| {
                let plain = word.replace('’', "'");
                let lower = plain.to_lowercase();
                allowed.contains(&lower)
                    || dictionary.check(&plain)
                    || dictionary.check(&lower)
                    || word.chars().count() < 2
            });
            if !known {
                let entry = found
                    .entry(word.to_lowercase())
                    .or_insert_with(|| (position, word.to_string(), Vec::new()));
                if entry.2.last() != Some(&position) {
                    entry.2.push(position);
                }
            }
        }
    }
    let mut out: Vec<Misspelling> = found
        .into_values()
        .map(|(_, word, items)| Misspelling {
            correction: None,
            word,
            items,
        })
        .collect();
    out.sort_by_key(|m| m.items.first().copied());
    out
}

/// The cache of corrections inside the dataset's `.cache/` (word -> first suggestion):
/// suggesting is slow (up to a few hundred ms a word), the dictionary never changes.
pub const CORRECTIONS_CACHE_FILE: &str = "corrections.json";

/// Fills in each misspelling's likely correction, from the cache in `dir` where it has
/// one; the others are computed in parallel and written back.
pub fn add_corrections(dir: &Path, misspellings: &mut [Misspelling]) {
    let Some(dictionary) = dictionary() else { return };
    let path = dir.join(CACHE_DIR).join(CORRECTIONS_CACHE_FILE);
    let mut known: BTreeMap<String, Option<String>> = std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let todo: Vec<&str> = misspellings
        .iter()
        .map(|m| m.word.as_str())
        .filter(|w| !known.contains_key(*w))
        .collect();
    if !todo.is_empty() {
        let fresh: Vec<(String, Option<String>)> =
            crate::parallel::map(&todo, |word| (word.to_string(), correction(dictionary, word)));
        known.extend(fresh);
        if let Ok(bytes) = serde_json::to_vec(&known) {
            let _ = std::fs::create_dir_all(dir.join(CACHE_DIR));
            let _ = crate::store::write_atomic(&path, &bytes);
        }
    }
    for m in misspellings {
        m.correction = known.get(&m.word).cloned().flatten();
    }
}

/// A likely correction: a dictionary word one edit away (capitalised, a letter dropped,
/// two swapped, one replaced, one added, in that order), else the dictionary's first
/// suggestion (slower: Hunspell's full search).
fn correction(dictionary: &Dictionary, word: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut candidates: Vec<String> = Vec::new();
    let mut capitalised = chars.clone();
    if let Some(first) = capitalised.first_mut() {
        *first = first.to_ascii_uppercase();
    }
    candidates.push(capitalised.iter().collect());
    for i in 0..chars.len() {
        let mut v = chars.clone();
        v.remove(i);
        candidates.push(v.iter().collect());
    }
    for i in 0..chars.len().saturating_sub(1) {
        let mut v = chars.clone();
        v.swap(i, i + 1);
        candidates.push(v.iter().collect());
    }
    for i in 0..chars.len() {
        for c in 'a'..='z' {
            let mut v = chars.clone();
            v[i] = c;
            candidates.push(v.iter().collect());
        }
    }
    for i in 0..=chars.len() {
        for c in 'a'..='z' {
            let mut v = chars.clone();
            v.insert(i, c);
            candidates.push(v.iter().collect());
        }
    }
    if let Some(found) = candidates
        .into_iter()
        .find(|c| c != word && c.len() > 1 && dictionary.check(c))
    {
        return Some(found);
    }
    let mut suggestions = Vec::new();
    dictionary.suggest(word, &mut suggestions);
    suggestions.into_iter().next()
}

/// Adds one `misspelling` finding per misspelled word.
pub(super) fn check(dir: &Path, dataset: &Dataset, out: &mut Vec<Finding>) {
    let allowed = allowed_words(dir);
    let mut found = misspellings(dataset, &allowed);
    add_corrections(dir, &mut found);
    for m in found {
        let n = m.items.len();
        let correction = m
            .correction
            .as_deref()
            .map(|c| format!("; likely \"{}\"", esc(c)))
            .unwrap_or_default();
        let uses = if n == 1 {
            "1 item".to_string()
        } else {
            format!("{n} items")
        };
        out.push(Finding::new(
            Kind::Misspelling,
            m.items.iter().map(|&p| dataset.items[p].id.clone()).collect(),
            format!(
                "\"{}\" is not in the dictionary ({uses}){correction}; add it to {ALLOW_WORDS_FILE} if it is right",
                esc(&m.word)
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_skip_numbers_and_split_hyphens() {
        assert_eq!(
            words("Don't make a bomb2, self-harm is 100% bad."),
            ["Don't", "make", "a", "self", "harm", "is", "bad"]
        );
    }
}
