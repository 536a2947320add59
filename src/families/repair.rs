//! Mix repair: when a base has more variants of an attack type than the dataset's norm
//! and another base of the same image group has fewer, the variant that fits the
//! second base too moves there (a rephrased variant can fit both; the benchmark's
//! regular structure decides).

use super::join::{Texts, image_text_confidence};
use super::similarity::Alignment;
use super::{Member, wrappers};
use std::collections::{BTreeMap, HashMap};

fn count(variants: &[Member], key: &str) -> usize {
    variants
        .iter()
        .filter(|m| m.attack_type.as_deref() == Some(key))
        .count()
}

/// Moves surplus variants (lowest confidence first) to bases of their image group that
/// lack their type, when they fit those bases too.
pub(super) fn repair_mixes(
    by_base: &mut BTreeMap<usize, Vec<Member>>,
    alternatives: &HashMap<usize, Vec<(usize, f64, Alignment)>>,
    norm: &BTreeMap<String, usize>,
    texts: &Texts,
) {
    let bases: Vec<usize> = by_base.keys().copied().collect();
    for base in bases {
        for (key, &want) in norm {
            while let Some(variants) = by_base.get(&base) {
                if count(variants, key) <= want {
                    break;
                }
                let mut movable: Vec<(f64, usize, usize, f64, Alignment)> = variants
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| m.attack_type.as_deref() == Some(key.as_str()))
                    .filter_map(|(v, m)| {
                        let (to, likeness, alignment) =
                            alternatives.get(&m.item)?.iter().find(|(to, _, _)| {
                                *to != base && by_base.get(to).map_or(0, |vs| count(vs, key)) < want
                            })?;
                        Some((m.confidence, v, *to, *likeness, alignment.clone()))
                    })
                    .collect();
                movable.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let Some((_, v, to, likeness, alignment)) = movable.into_iter().next() else {
                    break;
                };
                let Some(variants) = by_base.get_mut(&base) else {
                    break;
                };
                let mut member = variants.remove(v);
                member.confidence = (image_text_confidence(likeness, likeness) * 1000.0).round() / 1000.0;
                member.wrapper = wrappers::template(&texts.words(member.item), &alignment);
                let target = by_base.entry(to).or_default();
                let at = target.partition_point(|m| m.item < member.item);
                target.insert(at, member);
            }
        }
    }
}
