//! Joining an attack item to its typical base: by shared image content first, ties
//! broken by text likeness; by text alone when the image is missing or shared by no
//! typical item.

use super::similarity::{Alignment, align, normalise, tokens};
use crate::model::{Dataset, Subset};
use std::collections::HashMap;

/// Below this likeness a sentence fits no base of its image group.
const MIN_IMAGE_TEXT: f64 = 0.34;
/// Below this likeness a sentence fits no base found by text alone.
const MIN_TEXT_ONLY: f64 = 0.6;
/// How many candidates (ranked by shared rare words) are aligned word by word.
const ALIGNED_CANDIDATES: usize = 8;

/// The words of every item and how rare each word is among the typical items.
pub(super) struct Texts {
    /// Per item position: the normalised sentence.
    pub normalised: Vec<String>,
    /// Per item position: its words.
    pub tokens: Vec<Vec<String>>,
    document_frequency: HashMap<String, u32>,
    typical_count: f64,
}

impl Texts {
    pub(super) fn new(dataset: &Dataset) -> Texts {
        let normalised: Vec<String> = dataset.items.iter().map(|it| normalise(&it.sentence)).collect();
        let tokens: Vec<Vec<String>> = normalised.iter().map(|n| tokens(n)).collect();
        let mut document_frequency: HashMap<String, u32> = HashMap::new();
        let mut typical_count = 0.0;
        for (item, words) in dataset.items.iter().zip(&tokens) {
            if item.subset != Subset::Typical {
                continue;
            }
            typical_count += 1.0;
            let mut seen: Vec<&String> = words.iter().collect();
            seen.sort();
            seen.dedup();
            for w in seen {
                *document_frequency.entry(w.clone()).or_insert(0) += 1;
            }
        }
        Texts {
            normalised,
            tokens,
            document_frequency,
            typical_count,
        }
    }

    /// Inverse document frequency: rare words weigh more than "it" or "is".
    pub(super) fn weight(&self, word: &str) -> f64 {
        let df = self.document_frequency.get(word).copied().unwrap_or(0) as f64;
        (1.0 + (self.typical_count + 1.0) / (df + 1.0)).ln()
    }

    fn align(&self, base: usize, variant: usize) -> Alignment {
        align(&self.tokens[base], &self.tokens[variant], |w| self.weight(w))
    }
}

/// How an attack item was joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    /// The only typical item with its image.
    Image,
    /// The best-fitting typical item among several with its image.
    ImageText,
    /// The best-fitting typical item by text alone.
    Text,
}

/// The outcome of joining one attack item.
pub(super) enum Joined {
    /// Joined to `base` with a confidence and the alignment of the base in it;
    /// `others` are the other bases of its image group that fit too (base, likeness,
    /// alignment), for the mix repair.
    Base {
        base: usize,
        found: Found,
        confidence: f64,
        alignment: Alignment,
        others: Vec<(usize, f64, Alignment)>,
    },
    /// No base; the reason says why.
    Orphan(String),
}

/// Joins attack items to typical bases.
pub(super) struct Joiner<'a> {
    dataset: &'a Dataset,
    texts: &'a Texts,
    /// Typical items by image content hash.
    typical_by_image: HashMap<&'a str, Vec<usize>>,
    /// Typical items by word, for words that are not too common.
    typical_by_word: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Joiner<'a> {
    pub(super) fn new(dataset: &'a Dataset, texts: &'a Texts, image_groups: &HashMap<&'a str, Vec<usize>>) -> Joiner<'a> {
        let typical_by_image = image_groups
            .iter()
            .filter_map(|(hash, members)| {
                let typical: Vec<usize> = members
                    .iter()
                    .copied()
                    .filter(|&i| dataset.items[i].subset == Subset::Typical)
                    .collect();
                (!typical.is_empty()).then_some((*hash, typical))
            })
            .collect();
        let common = (texts.typical_count as usize / 20).max(50) as u32;
        let mut typical_by_word: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, item) in dataset.items.iter().enumerate() {
            if item.subset != Subset::Typical {
                continue;
            }
            for w in &texts.tokens[i] {
                if texts.document_frequency.get(w).is_some_and(|&df| df <= common) {
                    let list = typical_by_word.entry(w.as_str()).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
        }
        Joiner {
            dataset,
            texts,
            typical_by_image,
            typical_by_word,
        }
    }

    /// Joins the attack item at position `i`.
    pub(super) fn join(&self, i: usize) -> Joined {
        let item = &self.dataset.items[i];
        let same_image = item
            .image
            .as_ref()
            .and_then(|im| self.typical_by_image.get(im.blake3.as_str()));
        if let Some(candidates) = same_image {
            let ranked = self.rank(i, self.shortlist(i, candidates));
            if let [(base, alignment, score)] = ranked.as_slice() {
                return Joined::Base {
                    base: *base,
                    found: Found::Image,
                    confidence: 0.6 + 0.4 * score,
                    alignment: alignment.clone(),
                    others: Vec::new(),
                };
            }
            if let Some((base, alignment, best)) = ranked.first().filter(|r| r.2 >= MIN_IMAGE_TEXT) {
                let second = ranked.get(1).map_or(0.0, |r| r.2);
                return Joined::Base {
                    base: *base,
                    found: Found::ImageText,
                    confidence: image_text_confidence(*best, second),
                    alignment: alignment.clone(),
                    others: ranked
                        .iter()
                        .skip(1)
                        .filter(|r| r.2 >= MIN_IMAGE_TEXT)
                        .map(|(b, a, s)| (*b, *s, a.clone()))
                        .collect(),
                };
            }
            return match self.join_by_text(i) {
                Some(joined) => joined,
                None => Joined::Orphan(format!(
                    "shares its image with typical items {} but its sentence fits none of them (best likeness {:.2})",
                    self.ids(candidates),
                    ranked.first().map_or(0.0, |r| r.2)
                )),
            };
        }
        self.join_by_text(i).unwrap_or_else(|| {
            let why = if item.image.is_some() {
                "no typical item has its image"
            } else {
                "it has no image"
            };
            Joined::Orphan(format!("{why} and no typical sentence is like its sentence"))
        })
    }

    fn join_by_text(&self, i: usize) -> Option<Joined> {
        let mut shared: HashMap<usize, f64> = HashMap::new();
        for w in &self.texts.tokens[i] {
            if let Some(list) = self.typical_by_word.get(w.as_str()) {
                let weight = self.texts.weight(w);
                for &t in list {
                    *shared.entry(t).or_insert(0.0) += weight;
                }
            }
        }
        let mut candidates: Vec<(usize, f64)> = shared.into_iter().collect();
        candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        candidates.truncate(ALIGNED_CANDIDATES);
        let ranked = self.rank(i, candidates.into_iter().map(|c| c.0).collect());
        let (base, alignment, best) = ranked.first().filter(|r| r.2 >= MIN_TEXT_ONLY)?;
        let second = ranked.get(1).map_or(0.0, |r| r.2);
        Some(Joined::Base {
            base: *base,
            found: Found::Text,
            confidence: 0.8 * best * margin(*best, second),
            alignment: alignment.clone(),
            others: Vec::new(),
        })
    }

    /// At most [`ALIGNED_CANDIDATES`] of `candidates`, those sharing the most rare words.
    fn shortlist(&self, i: usize, candidates: &[usize]) -> Vec<usize> {
        if candidates.len() <= ALIGNED_CANDIDATES {
            return candidates.to_vec();
        }
        let words = &self.texts.tokens[i];
        let mut scored: Vec<(usize, f64)> = candidates
            .iter()
            .map(|&c| {
                let shared: f64 = self.texts.tokens[c]
                    .iter()
                    .filter(|w| words.contains(w))
                    .map(|w| self.texts.weight(w))
                    .sum();
                (c, shared)
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.into_iter().take(ALIGNED_CANDIDATES).map(|c| c.0).collect()
    }

    /// Candidates aligned and sorted best first (ties: the earlier item).
    fn rank(&self, i: usize, candidates: Vec<usize>) -> Vec<(usize, Alignment, f64)> {
        let len = self.texts.tokens[i].len();
        let mut ranked: Vec<(usize, Alignment, f64)> = candidates
            .into_iter()
            .map(|c| {
                let a = self.texts.align(c, i);
                let s = a.score(len);
                (c, a, s)
            })
            .collect();
        ranked.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        ranked
    }

    fn ids(&self, positions: &[usize]) -> String {
        let mut ids: Vec<&str> = positions.iter().take(5).map(|&p| self.dataset.items[p].id.as_str()).collect();
        if positions.len() > 5 {
            ids.push("...");
        }
        ids.join(", ")
    }
}

/// Confidence of a join among several bases sharing the image, from the best and the
/// second-best likeness.
pub(super) fn image_text_confidence(best: f64, second: f64) -> f64 {
    (0.5 + 0.5 * best) * margin(best, second)
}

/// 1 when the best clearly beats the second, 0.5 when they tie.
fn margin(best: f64, second: f64) -> f64 {
    if best <= 0.0 {
        0.0
    } else {
        1.0 - 0.5 * (second / best).clamp(0.0, 1.0)
    }
}
