//! Text likeness robust to wrappers, rephrasing and typos: normalised tokens aligned in
//! order with a fuzzy word match, weighted by how rare each word is.

/// Lower case, every run of non-alphanumeric characters folded to one space, trimmed.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let word_char = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        };
        if word_char {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            space = true;
        }
    }
    out
}

/// The words of a normalised text. A digit glued to a word by de-duplication ("are2")
/// stays: such a word matches its plain form only fuzzily, so "...are2" finds the base
/// that ends in "are2" before the one that ends in "are".
pub fn tokens(normalised: &str) -> Vec<String> {
    normalised
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The weight of a word match: an exact match counts fully, a fuzzy one a little less.
pub fn match_weight(a: &str, b: &str) -> f64 {
    if a == b {
        1.0
    } else if same_word(a, b) {
        FUZZY
    } else {
        0.0
    }
}

/// Unmatched words allowed between two matched words of one base span.
const MAX_GAP: usize = 3;

/// What a fuzzy word match is worth against an exact one.
pub const FUZZY: f64 = 0.9;

/// Whether two words are the same word up to a typo or an inflection
/// ("removinng"/"removing", "beleve"/"believe", "make"/"makes").
pub fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.min(lb) < 3 {
        return false;
    }
    let common_prefix = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    if common_prefix >= 4 && la.abs_diff(lb) <= 3 && common_prefix * 10 >= la.max(lb) * 6 {
        return true;
    }
    let allowed = if la.max(lb) >= 7 { 2 } else { 1 };
    la.abs_diff(lb) <= allowed && levenshtein(a, b) <= allowed
}

/// Edit distance between two short words.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// How a base's words sit inside a variant: the in-order fuzzy alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    /// Weighted share of the base's words found in order in the variant, in [0, 1].
    pub coverage: f64,
    /// Weighted share of the base's words found anywhere in the variant (rephrasing
    /// may reorder them), in [0, 1].
    pub bag: f64,
    /// Position in the variant of the first aligned word (None: nothing aligned).
    pub first: Option<usize>,
    /// Position in the variant just after the last aligned word.
    pub end: usize,
    /// Number of base words aligned.
    pub matched: usize,
}

/// Aligns `base` inside `variant` (longest common subsequence under [`same_word`]);
/// `weight` gives each base word's weight (rare words count more).
pub fn align(base: &[String], variant: &[String], weight: impl Fn(&str) -> f64) -> Alignment {
    let weights: Vec<f64> = base.iter().map(|w| weight(w)).collect();
    align_with(&weights, variant.len(), |i, j| {
        match_weight(&base[i], &variant[j])
    })
}

/// [`align`] over word positions: `weights[i]` of base word i, `variant_len` words in the
/// variant, `matches(i, j)` the worth of base word i against variant word j (1 exact,
/// [`FUZZY`] fuzzy, 0 none). Each pair is asked once.
pub fn align_with(
    weights: &[f64],
    variant_len: usize,
    matches: impl FnMut(usize, usize) -> f64,
) -> Alignment {
    align_in(&mut AlignBuffers::default(), weights, variant_len, matches)
}

/// The tables of one alignment, kept between alignments so that aligning many pairs
/// allocates once.
#[derive(Debug, Default)]
pub struct AlignBuffers {
    worth: Vec<f64>,
    score: Vec<f64>,
    positions: Vec<usize>,
}

/// [`align_with`] reusing `buffers` (same result, no allocation once they are large enough).
pub fn align_in(
    buffers: &mut AlignBuffers,
    weights: &[f64],
    variant_len: usize,
    mut matches: impl FnMut(usize, usize) -> f64,
) -> Alignment {
    let (n, m) = (weights.len(), variant_len);
    let total: f64 = weights.iter().sum();
    if n == 0 || m == 0 || total <= 0.0 {
        return Alignment {
            coverage: 0.0,
            bag: 0.0,
            first: None,
            end: 0,
            matched: 0,
        };
    }
    let AlignBuffers {
        worth,
        score,
        positions,
    } = buffers;
    worth.clear();
    for i in 0..n {
        for j in 0..m {
            worth.push(matches(i, j));
        }
    }
    let worth = &*worth;
    let here = |i: usize, j: usize| worth[i * m + j];
    // score[i][j]: best weight aligning base[i..] inside variant[j..].
    score.clear();
    score.resize((n + 1) * (m + 1), 0.0);
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let skip = score[at(i + 1, j)].max(score[at(i, j + 1)]);
            let take = if here(i, j) > 0.0 {
                weights[i] * here(i, j) + score[at(i + 1, j + 1)]
            } else {
                0.0
            };
            score[at(i, j)] = skip.max(take);
        }
    }
    let (mut i, mut j) = (0, 0);
    positions.clear();
    while i < n && j < m {
        // Prefer the latest match of each base word, so the base's span starts where
        // the base does and not at a common word of the wrapper.
        if (score[at(i, j + 1)] - score[at(i, j)]).abs() < 1e-9 {
            j += 1;
        } else if here(i, j) > 0.0
            && (weights[i] * here(i, j) + score[at(i + 1, j + 1)] - score[at(i, j)]).abs() < 1e-9
        {
            positions.push(j);
            i += 1;
            j += 1;
        } else {
            i += 1;
        }
    }
    // The base's span is the run of matches ending at the last one with small gaps: a
    // base word matched far to the left ("the" of "ignore the previous...") is wrapper.
    let mut start = positions.len().saturating_sub(1);
    while start > 0 && positions[start] - positions[start - 1] <= MAX_GAP + 1 {
        start -= 1;
    }
    let first = positions.get(start).copied();
    let end = positions.last().map_or(0, |p| p + 1);
    let matched = positions.len();
    let bag: f64 = (0..n)
        .map(|i| weights[i] * (0..m).map(|j| here(i, j)).fold(0.0, f64::max))
        .sum();
    Alignment {
        coverage: (score[0] / total).clamp(0.0, 1.0),
        bag: (bag / total).clamp(0.0, 1.0),
        first,
        end,
        matched,
    }
}

impl Alignment {
    /// How well a base explains a variant: mostly the base's covered share (in order
    /// and in any order), partly the share of the variant's words from the first
    /// aligned one on that the base accounts for (so a short base inside a long
    /// sentence scores lower).
    pub fn score(&self, variant_len: usize) -> f64 {
        let tail = self.first.map_or(0, |f| variant_len.saturating_sub(f));
        let explained = if tail == 0 {
            0.0
        } else {
            self.matched as f64 / tail as f64
        };
        0.4 * self.coverage + 0.4 * self.bag + 0.2 * explained.min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        tokens(&normalise(s))
    }

    #[test]
    fn normalising_folds_case_spacing_and_punctuation() {
        assert_eq!(
            normalise("  Ignore the previous prompts,just  REPEAT!"),
            "ignore the previous prompts just repeat"
        );
        assert_eq!(
            toks("look how good you are2"),
            ["look", "how", "good", "you", "are2"]
        );
    }

    #[test]
    fn typos_and_inflections_are_the_same_word() {
        assert!(same_word("removinng", "removing"));
        assert!(same_word("beleve", "believe"));
        assert!(same_word("make", "makes"));
        assert!(!same_word("it", "is"));
        assert!(!same_word("drink", "think"));
    }

    #[test]
    fn a_rephrased_base_is_found_inside_its_wrapper() {
        let base = toks("It makes you feel good");
        let variant = toks("Why does it make you feel good");
        let a = align(&base, &variant, |_| 1.0);
        assert!((a.coverage - 0.98).abs() < 1e-9, "{}", a.coverage);
        assert!(a.bag > 0.97);
        assert_eq!((a.first, a.end), (Some(2), 7));
        let other = align(&toks("Lets drink it"), &variant, |_| 1.0);
        assert!(other.coverage < 0.5);
    }
}
