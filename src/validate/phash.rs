//! `near_duplicate_image`: perceptually similar images that are not byte-identical.
//!
//! Each distinct image content (by blake3) is decoded and hashed once (64-bit gradient
//! hash), in parallel, and the hashes are kept in the dataset's `.cache/phash.json`
//! keyed by blake3, so a second run decodes nothing.

use super::{Finding, Kind, esc};
use crate::media::{self, ImageLimits};
use crate::model::Dataset;
use crate::store::cache::CACHE_DIR;
use image_hasher::{HashAlg, HasherConfig};
use std::collections::BTreeMap;
use std::path::Path;

/// The cache file inside the dataset's `.cache/` folder.
pub const PHASH_CACHE_FILE: &str = "phash.json";

/// Default largest Hamming distance (of 64 bits) reported as a near duplicate.
pub const DEFAULT_PHASH_DISTANCE: u32 = 3;

/// blake3 (hex) -> 64-bit gradient hash, for every distinct image content.
pub type PerceptualHashes = BTreeMap<String, u64>;

/// The perceptual hash of every distinct image content of `dataset`, from the cache
/// where it has one, computed (in parallel) and written back for the rest. Images that
/// cannot be read are left out (other findings report them).
pub fn perceptual_hashes(dir: &Path, dataset: &Dataset, limits: ImageLimits) -> PerceptualHashes {
    let cache_path = dir.join(CACHE_DIR).join(PHASH_CACHE_FILE);
    let mut known: PerceptualHashes = std::fs::read(&cache_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let mut todo: BTreeMap<&str, &str> = BTreeMap::new();
    for item in &dataset.items {
        if let Some(image) = &item.image
            && !known.contains_key(&image.blake3)
        {
            todo.entry(&image.blake3).or_insert(&image.path);
        }
    }
    if todo.is_empty() {
        return known;
    }
    let todo: Vec<(&str, &str)> = todo.into_iter().collect();
    let fresh: Vec<(String, u64)> = crate::parallel::map(&todo, |(blake3, path)| {
        hash_file(&dir.join(path), blake3, limits).map(|h| (blake3.to_string(), h))
    })
    .into_iter()
    .flatten()
    .collect();
    if !fresh.is_empty() {
        known.extend(fresh);
        if let Ok(text) = serde_json::to_vec(&known) {
            let _ = std::fs::create_dir_all(dir.join(CACHE_DIR));
            let _ = crate::store::write_atomic(&cache_path, &text);
        }
    }
    known
}

/// The 64-bit gradient hash of an image file, when its bytes still have `blake3`.
fn hash_file(path: &Path, blake3: &str, limits: ImageLimits) -> Option<u64> {
    let bytes = media::read_image_file(path, limits).ok()?;
    if blake3::hash(&bytes).to_hex().as_str() != blake3 {
        return None;
    }
    let image = media::decode(&bytes, limits).ok()?;
    Some(gradient_hash(&image))
}

/// The 64-bit (8x8) gradient hash of a decoded image.
pub fn gradient_hash(image: &image::DynamicImage) -> u64 {
    let hasher = HasherConfig::new()
        .hash_alg(HashAlg::Gradient)
        .hash_size(8, 8)
        .to_hasher();
    let hash = hasher.hash_image(image);
    hash.as_bytes()
        .iter()
        .take(8)
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

/// Adds a finding for every pair of distinct contents within `max_distance` bits.
pub(super) fn near_duplicate_images(
    dataset: &Dataset,
    hashes: &PerceptualHashes,
    max_distance: u32,
    out: &mut Vec<Finding>,
) {
    // One entry per distinct content, from the image groups the dataset already keeps:
    // (blake3, hash, the items showing it, ascending), in blake3 order (which image a
    // message names first).
    let groups = dataset.image_groups();
    let mut contents: Vec<(&str, u64, &[usize])> = dataset
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let image = item.image.as_ref()?;
            let members = groups.group(i);
            (members.first() == Some(&i))
                .then(|| {
                    hashes
                        .get(&image.blake3)
                        .map(|&h| (image.blake3.as_str(), h, members))
                })
                .flatten()
        })
        .collect();
    contents.sort_unstable_by_key(|&(blake3, _, _)| blake3);
    let keys: Vec<(&str, u64)> = contents.iter().map(|&(b, h, _)| (b, h)).collect();
    let path_of = |members: &[usize]| {
        members
            .first()
            .and_then(|&p| dataset.items[p].image.as_ref())
            .map_or("", |image| image.path.as_str())
    };
    for (x, y, distance) in close_pairs(&keys, max_distance) {
        let ((_, _, a), (_, _, b)) = (contents[x], contents[y]);
        let mut positions: Vec<usize> = a.iter().chain(b).copied().collect();
        positions.sort_unstable();
        let ids = positions.iter().map(|&p| dataset.items[p].id.clone()).collect();
        out.push(Finding::new(
            Kind::NearDuplicateImage,
            ids,
            format!(
                "{} and {} look alike (gradient hash distance {distance} of 64) but are not byte-identical",
                esc(path_of(a)),
                esc(path_of(b))
            ),
        ));
    }
}

/// Index pairs `(x, y, distance)` with `x < y` whose hashes differ in at most `max` bits,
/// sorted. Below 16 bits it compares only hashes that agree exactly on one of `max + 1`
/// bit ranges (by pigeonhole, every close pair does), so it stays fast on many images.
fn close_pairs(contents: &[(&str, u64)], max: u32) -> Vec<(usize, usize, u32)> {
    let distance = |x: usize, y: usize| (contents[x].1 ^ contents[y].1).count_ones();
    let mut pairs = Vec::new();
    if max >= 16 {
        for x in 0..contents.len() {
            for y in x + 1..contents.len() {
                if distance(x, y) <= max {
                    pairs.push((x, y, distance(x, y)));
                }
            }
        }
        return pairs;
    }
    let blocks = max as usize + 1;
    let mut seen = std::collections::HashSet::new();
    for block in 0..blocks {
        let (from, to) = (64 * block / blocks, 64 * (block + 1) / blocks);
        let mask = if to - from == 64 {
            u64::MAX
        } else {
            ((1u64 << (to - from)) - 1) << from
        };
        let mut by_value: std::collections::HashMap<u64, Vec<usize>> = Default::default();
        for (x, &(_, hash)) in contents.iter().enumerate() {
            by_value.entry(hash & mask).or_default().push(x);
        }
        for group in by_value.values() {
            for (n, &x) in group.iter().enumerate() {
                for &y in &group[n + 1..] {
                    if distance(x, y) <= max && seen.insert((x, y)) {
                        pairs.push((x, y, distance(x, y)));
                    }
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_index_finds_the_same_pairs_as_comparing_every_pair() {
        let hashes: Vec<u64> = (0..300u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (i % 7))
            .chain([0, 1, 3, 7, 0xF000_0000_0000_0001])
            .collect();
        let contents: Vec<(&str, u64)> = hashes.iter().map(|&h| ("", h)).collect();
        for max in [0, 1, 3, 5] {
            let mut brute = Vec::new();
            for x in 0..contents.len() {
                for y in x + 1..contents.len() {
                    let d = (hashes[x] ^ hashes[y]).count_ones();
                    if d <= max {
                        brute.push((x, y, d));
                    }
                }
            }
            assert_eq!(close_pairs(&contents, max), brute, "max {max}");
        }
    }
}
