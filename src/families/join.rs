//! Joining an attack item to its typical base: by shared image content first, ties
//! broken by text likeness; by text alone when the image is missing or shared by no
//! typical item.

use super::similarity::{AlignBuffers, Alignment, FUZZY, align_in, normalise, same_word};
use crate::model::{Dataset, Subset};
use std::cell::RefCell;
use std::collections::HashMap;

/// Below this likeness a sentence fits no base of its image group.
const MIN_IMAGE_TEXT: f64 = 0.34;
/// Below this likeness a sentence fits no base found by text alone.
const MIN_TEXT_ONLY: f64 = 0.6;
/// In a large image group, candidates sharing less than this share of the best
/// candidate's rare-word weight are not aligned.
const SHORTLIST_SHARE: f64 = 0.6;
/// How many candidates (ranked by shared rare words) are aligned word by word.
const ALIGNED_CANDIDATES: usize = 8;

/// Vocabularies up to this size keep fuzzy word matches in a dense table.
const DENSE_VOCABULARY: usize = 4096;

/// The words of every item and how rare each word is among the typical items.
pub(super) struct Texts {
    /// Per item position: the normalised sentence.
    pub normalised: Vec<String>,
    /// Per item position: its words as vocabulary ids.
    ids: Vec<Vec<u32>>,
    /// Per item position: its sentence class (items with the same words share one).
    class: Vec<u32>,
    /// The vocabulary.
    words: Vec<String>,
    /// Per word id: how many typical items use it.
    document_frequency: Vec<u32>,
    /// Per word id: its weight (inverse document frequency).
    weights: Vec<f64>,
    typical_count: f64,
}

/// Buffers reused across joins, so that joining allocates little.
#[derive(Default)]
struct Scratch {
    /// Alignment tables.
    tables: AlignBuffers,
    /// Weights of the base being aligned.
    weights: Vec<f64>,
    /// Per word id: the mark of the last variant that uses it.
    marks: Vec<u32>,
    /// Per distinct sentence of an image group: its shared weight with the variant.
    shared: Vec<f64>,
    /// The current variant's mark.
    mark: u32,
}

/// Remembered fuzzy matches between vocabulary words (0 unknown, 1 no, 2 fuzzy).
struct WordMatches {
    size: usize,
    dense: Vec<u8>,
    sparse: HashMap<(u32, u32), u8>,
}

impl WordMatches {
    fn worth(&mut self, words: &[String], a: u32, b: u32) -> f64 {
        if a == b {
            return 1.0;
        }
        let known = if self.dense.is_empty() {
            self.sparse.get(&(a, b)).copied().unwrap_or(0)
        } else {
            self.dense[a as usize * self.size + b as usize]
        };
        let value = if known == 0 {
            let v = if same_word(&words[a as usize], &words[b as usize]) {
                2
            } else {
                1
            };
            if self.dense.is_empty() {
                self.sparse.insert((a, b), v);
            } else {
                self.dense[a as usize * self.size + b as usize] = v;
            }
            v
        } else {
            known
        };
        if value == 2 { FUZZY } else { 0.0 }
    }
}

impl Texts {
    pub(super) fn new(dataset: &Dataset) -> Texts {
        let normalised: Vec<String> = dataset.items.iter().map(|it| normalise(&it.sentence)).collect();
        let mut vocabulary: HashMap<&str, u32> = HashMap::new();
        let mut words: Vec<String> = Vec::new();
        let ids: Vec<Vec<u32>> = normalised
            .iter()
            .map(|sentence| {
                sentence
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .map(|w| {
                        *vocabulary.entry(w).or_insert_with(|| {
                            words.push(w.to_string());
                            (words.len() - 1) as u32
                        })
                    })
                    .collect()
            })
            .collect();
        let mut classes: HashMap<&[u32], u32> = HashMap::new();
        let class: Vec<u32> = ids
            .iter()
            .map(|item| {
                let next = classes.len() as u32;
                *classes.entry(item.as_slice()).or_insert(next)
            })
            .collect();
        let mut document_frequency = vec![0u32; words.len()];
        let mut typical_count = 0.0;
        let mut seen: Vec<u32> = Vec::new();
        for (item, item_ids) in dataset.items.iter().zip(&ids) {
            if item.subset != Subset::Typical {
                continue;
            }
            typical_count += 1.0;
            seen.clear();
            seen.extend_from_slice(item_ids);
            seen.sort_unstable();
            seen.dedup();
            for &w in &seen {
                document_frequency[w as usize] += 1;
            }
        }
        let weights = document_frequency
            .iter()
            .map(|&df| (1.0 + (typical_count + 1.0) / (df as f64 + 1.0)).ln())
            .collect();
        Texts {
            normalised,
            ids,
            class,
            words,
            document_frequency,
            weights,
            typical_count,
        }
    }

    /// The words of the item at `position`.
    pub(super) fn words(&self, position: usize) -> Vec<&str> {
        self.ids[position]
            .iter()
            .map(|&w| self.words[w as usize].as_str())
            .collect()
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
#[derive(Debug)]
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

/// The typical items sharing one image, with the words of each distinct sentence laid
/// out flat so that weighing them against a variant reads memory in order.
struct ImageGroup {
    /// Positions of the typical items, in dataset order.
    members: Vec<usize>,
    /// Per member: its sentence's index among the group's distinct sentences.
    sentence_of: Vec<u32>,
    /// Per distinct sentence: where its words start in `words` (one more entry at the end).
    starts: Vec<u32>,
    /// The words of every distinct sentence, in order.
    words: Vec<u32>,
}

impl ImageGroup {
    fn new(texts: &Texts, members: Vec<usize>) -> ImageGroup {
        let mut local: HashMap<u32, u32> = HashMap::new();
        let mut starts = vec![0u32];
        let mut words = Vec::new();
        let sentence_of = members
            .iter()
            .map(|&m| {
                *local.entry(texts.class[m]).or_insert_with(|| {
                    words.extend_from_slice(&texts.ids[m]);
                    starts.push(words.len() as u32);
                    (starts.len() - 2) as u32
                })
            })
            .collect();
        ImageGroup {
            members,
            sentence_of,
            starts,
            words,
        }
    }
}

/// What every join looks up: typical items by image and by rare word.
pub(super) struct JoinIndex<'a> {
    dataset: &'a Dataset,
    texts: &'a Texts,
    /// Typical items by image content hash.
    typical_by_image: HashMap<&'a str, ImageGroup>,
    /// Typical items by word, for words that are not too common.
    typical_by_word: HashMap<u32, Vec<usize>>,
}

impl<'a> JoinIndex<'a> {
    pub(super) fn new(dataset: &'a Dataset, texts: &'a Texts) -> JoinIndex<'a> {
        let typical_by_image = dataset
            .image_groups()
            .shared()
            .filter_map(|members| {
                let hash = dataset.items[members[0]].image.as_ref()?.blake3.as_str();
                let typical: Vec<usize> = members
                    .iter()
                    .copied()
                    .filter(|&i| dataset.items[i].subset == Subset::Typical)
                    .collect();
                (!typical.is_empty()).then(|| (hash, ImageGroup::new(texts, typical)))
            })
            .collect();
        let common = (texts.typical_count as usize / 20).max(50) as u32;
        let mut typical_by_word: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, item) in dataset.items.iter().enumerate() {
            if item.subset != Subset::Typical {
                continue;
            }
            for &w in &texts.ids[i] {
                if texts.document_frequency[w as usize] <= common {
                    let list = typical_by_word.entry(w).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
        }
        JoinIndex {
            dataset,
            texts,
            typical_by_image,
            typical_by_word,
        }
    }

    /// Joins the attack items at `positions`, in order; on large inputs the work is
    /// shared by the machine's cores (each join is independent, so the answers are
    /// the same as one by one).
    pub(super) fn join_all(&self, positions: &[usize]) -> Vec<Joined> {
        if positions.len() < 2 * PARALLEL_CHUNK {
            let joiner = Joiner::new(self);
            return positions.iter().map(|&i| joiner.join(i)).collect();
        }
        // One joiner (buffers and fuzzy-match memory) per thread.
        crate::parallel::map_with(positions, || Joiner::new(self), |joiner, &i| joiner.join(i))
    }
}

/// Below twice this many attack items, one thread joins them all.
const PARALLEL_CHUNK: usize = 2000;

/// Joins attack items to typical bases, with its own buffers and match memory (one
/// per thread).
struct Joiner<'a> {
    index: &'a JoinIndex<'a>,
    /// Fuzzy word matches asked so far.
    matches: RefCell<WordMatches>,
    /// Buffers reused by every join.
    scratch: RefCell<Scratch>,
}

impl<'a> Joiner<'a> {
    fn new(index: &'a JoinIndex<'a>) -> Joiner<'a> {
        let size = index.texts.words.len();
        let dense = if size <= DENSE_VOCABULARY {
            vec![0u8; size * size]
        } else {
            Vec::new()
        };
        Joiner {
            index,
            matches: RefCell::new(WordMatches {
                size,
                dense,
                sparse: HashMap::new(),
            }),
            scratch: RefCell::new(Scratch {
                marks: vec![0; size],
                ..Scratch::default()
            }),
        }
    }

    /// Joins the attack item at position `i`.
    fn join(&self, i: usize) -> Joined {
        let item = &self.index.dataset.items[i];
        let same_image = item
            .image
            .as_ref()
            .and_then(|im| self.index.typical_by_image.get(im.blake3.as_str()));
        if let Some(group) = same_image {
            let candidates = group.members.as_slice();
            let mut ranked = self.rank(i, self.shortlist(i, group));
            if ranked.first().is_none_or(|r| r.2 < MIN_IMAGE_TEXT) && ranked.len() < candidates.len() {
                // A typo can hide the base from the shortlist: align the whole group.
                ranked = self.rank(i, candidates.to_vec());
            }
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
        for &w in &self.index.texts.ids[i] {
            if let Some(list) = self.index.typical_by_word.get(&w) {
                let weight = self.index.texts.weights[w as usize];
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

    /// At most [`ALIGNED_CANDIDATES`] of the group's members, those sharing the most
    /// rare words.
    fn shortlist(&self, i: usize, group: &ImageGroup) -> Vec<usize> {
        if group.members.len() <= ALIGNED_CANDIDATES {
            return group.members.clone();
        }
        let mut scored = self.shared_weights(i, group);
        let best_first = |a: &(usize, f64), b: &(usize, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        scored.select_nth_unstable_by(ALIGNED_CANDIDATES - 1, best_first);
        scored.truncate(ALIGNED_CANDIDATES);
        scored.sort_by(best_first);
        let floor = scored.first().map_or(0.0, |c| c.1 * SHORTLIST_SHARE);
        scored
            .into_iter()
            .take_while(|c| c.1 >= floor)
            .map(|c| c.0)
            .collect()
    }

    /// Candidates aligned and sorted best first (ties: the earlier item).
    fn rank(&self, i: usize, candidates: Vec<usize>) -> Vec<(usize, Alignment, f64)> {
        let len = self.index.texts.ids[i].len();
        let mut ranked: Vec<(usize, Alignment, f64)> = Vec::with_capacity(candidates.len());
        for c in candidates {
            // A candidate with the same words as one already aligned aligns the same way.
            let class = self.index.texts.class[c];
            let same = ranked.iter().find(|r| self.index.texts.class[r.0] == class);
            let (a, s) = match same {
                Some((_, a, s)) => (a.clone(), *s),
                None => {
                    let a = self.align(c, i);
                    let s = a.score(len);
                    (a, s)
                }
            };
            ranked.push((c, a, s));
        }
        ranked.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        ranked
    }

    fn ids(&self, positions: &[usize]) -> String {
        let mut ids: Vec<&str> = positions
            .iter()
            .take(5)
            .map(|&p| self.index.dataset.items[p].id.as_str())
            .collect();
        if positions.len() > 5 {
            ids.push("...");
        }
        ids.join(", ")
    }

    fn align(&self, base: usize, variant: usize) -> Alignment {
        let (b, v) = (&self.index.texts.ids[base], &self.index.texts.ids[variant]);
        let mut scratch = self.scratch.borrow_mut();
        let mut matches = self.matches.borrow_mut();
        let Scratch { tables, weights, .. } = &mut *scratch;
        weights.clear();
        weights.extend(b.iter().map(|&w| self.index.texts.weights[w as usize]));
        align_in(tables, weights, v.len(), |i, j| {
            matches.worth(&self.index.texts.words, b[i], v[j])
        })
    }

    /// Each member of `group` with the weight of its words that `variant` uses too
    /// (each word counted as often as the member's sentence has it).
    fn shared_weights(&self, variant: usize, group: &ImageGroup) -> Vec<(usize, f64)> {
        let texts = self.index.texts;
        let mut scratch = self.scratch.borrow_mut();
        let scratch = &mut *scratch;
        scratch.mark = scratch.mark.wrapping_add(1);
        if scratch.mark == 0 {
            scratch.marks.fill(0);
            scratch.mark = 1;
        }
        let mark = scratch.mark;
        for &w in &texts.ids[variant] {
            scratch.marks[w as usize] = mark;
        }
        scratch.shared.clear();
        scratch.shared.extend(group.starts.windows(2).map(|span| {
            group.words[span[0] as usize..span[1] as usize]
                .iter()
                .filter(|&&w| scratch.marks[w as usize] == mark)
                .map(|&w| texts.weights[w as usize])
                .sum::<f64>()
        }));
        group
            .members
            .iter()
            .zip(&group.sentence_of)
            .map(|(&m, &k)| (m, scratch.shared[k as usize]))
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{SynthOptions, write_synth};

    #[test]
    fn joining_on_several_threads_gives_the_answers_of_one_by_one() {
        let tmp = tempfile::tempdir().unwrap();
        let options = SynthOptions {
            items: 8000,
            images: 40,
            seed: 7,
            models: 0,
        };
        let dataset =
            write_synth(&tmp.path().join("d"), options, false, &crate::import::no_progress).unwrap();
        let texts = Texts::new(&dataset);
        let index = JoinIndex::new(&dataset, &texts);
        let attack: Vec<usize> = (0..dataset.items.len())
            .filter(|&i| dataset.items[i].subset == Subset::Attack)
            .collect();
        assert!(
            attack.len() >= 2 * PARALLEL_CHUNK,
            "{} attack items",
            attack.len()
        );
        let together = index.join_all(&attack);
        let one = Joiner::new(&index);
        assert_eq!(together.len(), attack.len());
        for (&i, joined) in attack.iter().zip(&together) {
            assert_eq!(format!("{joined:?}"), format!("{:?}", one.join(i)), "item {i}");
        }
    }
}
