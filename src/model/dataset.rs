//! A dataset in memory, and the facts derived from its items that every reader needs:
//! the id -> position index and the groups of items sharing one image.
//!
//! The derived facts are computed once, on first use, and shared by everyone holding the
//! dataset. Any mutable access to the item list (adding, removing, reordering, or a
//! `&mut Item` that could change an id or an image) drops them, so they are never stale;
//! [`Dataset::apply_change`] edits a label field and keeps them, since a [`Change`] never
//! touches an id or an image.

use super::{Change, Item, Manifest, Subset};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// A dataset in memory: its manifest and its items in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    /// Name, version, question template, taxonomy and protocol.
    pub manifest: Manifest,
    /// The items, in the order the items file lists them.
    pub items: Items,
}

impl Dataset {
    /// A dataset of `items` in this order.
    pub fn new(manifest: Manifest, items: impl Into<Items>) -> Dataset {
        Dataset {
            manifest,
            items: items.into(),
        }
    }

    /// Number of items per subset, in the order typical, attack, over-safety.
    pub fn subset_counts(&self) -> SubsetCounts {
        let mut counts = SubsetCounts::default();
        for item in &self.items {
            match item.subset {
                Subset::Typical => counts.typical += 1,
                Subset::Attack => counts.attack += 1,
                Subset::OverSafety => counts.over_safety += 1,
            }
        }
        counts
    }

    /// Item id -> position in [`Dataset::items`] (the first, should an id repeat).
    pub fn index(&self) -> &HashMap<String, usize> {
        self.items.index()
    }

    /// The position of the item with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index().get(id).copied()
    }

    /// Items sharing byte-identical image content, by content hash.
    pub fn image_groups(&self) -> &ImageGroups {
        self.items.image_groups()
    }

    /// How many items show the image of item `i` (itself included; 0 without an image).
    pub fn image_shared_by(&self, i: usize) -> usize {
        self.image_groups().group(i).len()
    }

    /// Writes a label change into item `i`, keeping the derived facts (a change never
    /// touches an id or an image). Does nothing when `i` is out of range.
    pub fn apply_change(&mut self, i: usize, change: &Change) {
        if let Some(item) = self.items.item_mut_keeping_facts(i) {
            change.apply_to(item);
        }
    }

    /// Copies the labels (gold, subset, scenario, status, flags, notes) of `from` into
    /// item `i`; id, text and image stay, so the derived facts stay valid.
    pub fn set_labels(&mut self, i: usize, from: &Item) {
        if let Some(item) = self.items.item_mut_keeping_facts(i) {
            item.gold = from.gold;
            item.subset = from.subset;
            item.scenario = from.scenario.clone();
            item.status = from.status;
            item.flags = from.flags.clone();
            item.notes = from.notes.clone();
        }
    }
}

/// Item counts per subset, as the JSON contracts report them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SubsetCounts {
    /// Typical unsafe items.
    pub typical: usize,
    /// Attack-wrapped unsafe items.
    pub attack: usize,
    /// Benign items that look unsafe.
    pub over_safety: usize,
}

/// A dataset's items in file order, with their derived facts computed on first use.
///
/// Reads like a slice of [`Item`] (`len`, `iter`, `items[i]`); every mutable access drops
/// the derived facts.
///
/// Copies share the list, each item and the facts until one of them changes (copy on
/// write, per item): the TUI, its workers, the editing session and a curator's view of it
/// each hold "the dataset" for the price of one, and an edit copies only the item it changes.
#[derive(Clone, Default)]
pub struct Items {
    list: Arc<Vec<Arc<Item>>>,
    derived: Arc<Derived>,
}

/// Facts computed from the item list, each at most once until the list changes.
#[derive(Debug, Default)]
struct Derived {
    index: OnceLock<HashMap<String, usize>>,
    image_groups: OnceLock<ImageGroups>,
}

/// The items of an [`Items`] in order, by reference.
pub type Iter<'a> = std::iter::Map<std::slice::Iter<'a, Arc<Item>>, fn(&Arc<Item>) -> &Item>;

impl Items {
    /// Item id -> position (the first, should an id repeat).
    pub fn index(&self) -> &HashMap<String, usize> {
        self.derived.index.get_or_init(|| {
            let mut index = HashMap::with_capacity(self.list.len());
            for (i, item) in self.iter().enumerate() {
                index.entry(item.id.clone()).or_insert(i);
            }
            index
        })
    }

    /// Items sharing byte-identical image content.
    pub fn image_groups(&self) -> &ImageGroups {
        self.derived
            .image_groups
            .get_or_init(|| ImageGroups::new(self.iter()))
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The items in order.
    pub fn iter(&self) -> Iter<'_> {
        self.list.iter().map(|item| item.as_ref())
    }

    /// The item at position `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&Item> {
        self.list.get(i).map(|item| item.as_ref())
    }

    /// The first item, if any.
    pub fn first(&self) -> Option<&Item> {
        self.get(0)
    }

    /// The last item, if any.
    pub fn last(&self) -> Option<&Item> {
        self.list.last().map(|item| item.as_ref())
    }

    /// The item at position `i` to change (copied first if another copy shares it).
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Item> {
        self.derived = Arc::default();
        self.item_mut_keeping_facts(i)
    }

    /// Like [`Items::get_mut`] for changes that keep ids and images, so the derived facts
    /// stay true.
    fn item_mut_keeping_facts(&mut self, i: usize) -> Option<&mut Item> {
        Arc::make_mut(&mut self.list).get_mut(i).map(Arc::make_mut)
    }

    /// Every item to change, in order (each copied first if shared).
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Item> {
        self.list_mut().iter_mut().map(Arc::make_mut)
    }

    fn list_mut(&mut self) -> &mut Vec<Arc<Item>> {
        self.derived = Arc::default();
        Arc::make_mut(&mut self.list)
    }

    /// Adds an item at the end.
    pub fn push(&mut self, item: Item) {
        self.list_mut().push(Arc::new(item));
    }

    /// Keeps only the items `keep` accepts, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Item) -> bool) {
        self.list_mut().retain(|item| keep(item));
    }

    /// The items as an owned list (copied where another copy shares them).
    pub fn into_vec(self) -> Vec<Item> {
        let list = Arc::try_unwrap(self.list).unwrap_or_else(|shared| (*shared).clone());
        list.into_iter()
            .map(|item| Arc::try_unwrap(item).unwrap_or_else(|shared| (*shared).clone()))
            .collect()
    }
}

impl std::ops::Index<usize> for Items {
    type Output = Item;
    fn index(&self, i: usize) -> &Item {
        &self.list[i]
    }
}

impl std::ops::IndexMut<usize> for Items {
    fn index_mut(&mut self, i: usize) -> &mut Item {
        Arc::make_mut(&mut self.list_mut()[i])
    }
}

impl std::fmt::Debug for Items {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Items {
    fn eq(&self, other: &Items) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Items {}

impl From<Vec<Item>> for Items {
    fn from(list: Vec<Item>) -> Items {
        Items {
            list: Arc::new(list.into_iter().map(Arc::new).collect()),
            derived: Arc::default(),
        }
    }
}

impl From<Vec<Arc<Item>>> for Items {
    /// Items already shared (e.g. read straight into `Arc`s), without copying any.
    fn from(list: Vec<Arc<Item>>) -> Items {
        Items {
            list: Arc::new(list),
            derived: Arc::default(),
        }
    }
}

impl FromIterator<Item> for Items {
    fn from_iter<I: IntoIterator<Item = Item>>(iter: I) -> Items {
        Items {
            list: Arc::new(iter.into_iter().map(Arc::new).collect()),
            derived: Arc::default(),
        }
    }
}

impl Extend<Item> for Items {
    fn extend<I: IntoIterator<Item = Item>>(&mut self, iter: I) {
        self.list_mut().extend(iter.into_iter().map(Arc::new));
    }
}

impl<'a> IntoIterator for &'a Items {
    type Item = &'a Item;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl IntoIterator for Items {
    type Item = Item;
    type IntoIter = std::vec::IntoIter<Item>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl Serialize for Items {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Items, D::Error> {
        // Straight into shared items: no second full list while a large file loads.
        Ok(Items {
            list: Arc::new(Vec::<Arc<Item>>::deserialize(deserializer)?),
            derived: Arc::default(),
        })
    }
}

/// Items grouped by the content hash of their image, every imaged item in exactly one
/// group (alone when nobody shares its image); items without an image in none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageGroups {
    /// Positions of the imaged items, group after group, ascending within a group;
    /// groups ordered by their first item.
    members: Vec<usize>,
    /// Where each group starts in `members`, plus the end.
    starts: Vec<usize>,
    /// Per item, its group number (`usize::MAX` without an image).
    group_of: Vec<usize>,
}

impl ImageGroups {
    fn new<'a>(items: impl ExactSizeIterator<Item = &'a Item>) -> ImageGroups {
        let count = items.len();
        let mut numbers: HashMap<&str, usize> = HashMap::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut group_of = vec![usize::MAX; count];
        for (i, item) in items.enumerate() {
            if let Some(image) = &item.image {
                let next = groups.len();
                let g = *numbers.entry(image.blake3.as_str()).or_insert(next);
                if g == next {
                    groups.push(Vec::new());
                }
                groups[g].push(i);
                group_of[i] = g;
            }
        }
        let mut starts = Vec::with_capacity(groups.len() + 1);
        let mut members = Vec::with_capacity(count);
        for group in groups {
            starts.push(members.len());
            members.extend(group);
        }
        starts.push(members.len());
        ImageGroups {
            members,
            starts,
            group_of,
        }
    }

    /// The items showing the image of item `i`, itself included, ascending; empty when
    /// it has no image.
    pub fn group(&self, i: usize) -> &[usize] {
        match self.group_of.get(i) {
            Some(&g) if g != usize::MAX => &self.members[self.starts[g]..self.starts[g + 1]],
            _ => &[],
        }
    }

    /// Every group of two or more items sharing one image, ordered by first item.
    pub fn shared(&self) -> impl Iterator<Item = &[usize]> {
        self.starts
            .windows(2)
            .map(|w| &self.members[w[0]..w[1]])
            .filter(|g| g.len() > 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Gold, ImageRef, Provenance, Status, Taxonomy};

    fn item(id: &str, image: Option<&str>) -> Item {
        Item {
            id: id.into(),
            image: image.map(|hash| ImageRef {
                path: format!("images/{id}.png"),
                blake3: hash.into(),
                bytes: 1,
                format: "png".into(),
                width: 1,
                height: 1,
            }),
            sentence: format!("sentence {id}"),
            subset: Subset::Typical,
            scenario: None,
            base_scenario: None,
            gold: Gold::Unsafe,
            status: Status::Unreviewed,
            flags: Default::default(),
            notes: String::new(),
            provenance: Provenance::default(),
        }
    }

    fn dataset(items: Vec<Item>) -> Dataset {
        Dataset::new(
            Manifest {
                format_version: 1,
                name: "t".into(),
                version: "1".into(),
                description: String::new(),
                question_template: "{sentence}".into(),
                protocol: Default::default(),
                source: Default::default(),
                taxonomy: Taxonomy::mmsafeaware(),
            },
            items,
        )
    }

    /// Whether item `i` is the very same allocation in both datasets (no copy was made).
    fn shares(a: &Dataset, b: &Dataset, i: usize) -> bool {
        Arc::ptr_eq(&a.items.list[i], &b.items.list[i])
    }

    #[test]
    fn a_copy_shares_the_items_until_one_side_changes() {
        let original = dataset(vec![item("a", None), item("b", None)]);
        assert_eq!(original.position("b"), Some(1));
        let mut copy = original.clone();
        assert!((0..2).all(|i| shares(&copy, &original, i)));
        copy.apply_change(
            0,
            &Change::Status {
                old: Status::Unreviewed,
                new: Status::Rejected,
            },
        );
        assert_eq!(copy.items[0].status, Status::Rejected);
        assert_eq!(
            original.items[0].status,
            Status::Unreviewed,
            "the original is untouched"
        );
        assert!(shares(&copy, &original, 1), "only the changed item was copied");
        assert!(!shares(&copy, &original, 0));
        copy.items[1].id = "renamed".into();
        assert_eq!((original.position("b"), copy.position("b")), (Some(1), None));
        assert_eq!(copy.clone().items.into_vec().len(), 2);
    }

    #[test]
    fn the_index_follows_every_change_of_the_item_list() {
        let mut d = dataset(vec![item("a", None), item("b", None), item("c", None)]);
        assert_eq!(d.position("b"), Some(1));
        d.items[1].id = "renamed".into();
        assert_eq!((d.position("b"), d.position("renamed")), (None, Some(1)));
        d.items.push(item("d", None));
        assert_eq!(d.position("d"), Some(3));
        d.items.retain(|it| it.id != "a");
        assert_eq!(
            (d.position("a"), d.position("c"), d.position("d")),
            (None, Some(1), Some(2))
        );
        d.items.extend([item("z", None), item("y", None)]);
        assert_eq!((d.position("renamed"), d.position("y")), (Some(0), Some(4)));
        for item in d.items.iter_mut() {
            item.id = format!("{}2", item.id);
        }
        assert_eq!((d.position("z"), d.position("z2")), (None, Some(3)), "renamed");
        let expected: HashMap<String, usize> = d
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.id.clone(), i))
            .collect();
        assert_eq!(d.index(), &expected);
        let copy = d.clone();
        assert_eq!(copy.index(), &expected);
    }

    #[test]
    fn a_label_edit_keeps_the_index_and_changes_the_item() {
        let mut d = dataset(vec![item("a", Some("h1")), item("b", Some("h1"))]);
        let before = d.index() as *const _;
        d.apply_change(
            1,
            &Change::Gold {
                old: Gold::Unsafe,
                new: Gold::Safe,
            },
        );
        assert_eq!(d.items[1].gold, Gold::Safe);
        assert!(std::ptr::eq(before, d.index()), "no rebuild after a label edit");
        assert_eq!(d.image_groups().group(0), &[0, 1]);
    }

    #[test]
    fn image_groups_gather_byte_identical_images_only() {
        let mut d = dataset(vec![
            item("1", Some("h1")),
            item("2", Some("h2")),
            item("3", None),
            item("4", Some("h1")),
            item("5", Some("h2")),
            item("6", Some("h3")),
            item("7", Some("h1")),
        ]);
        let groups = d.image_groups();
        assert_eq!(groups.group(0), &[0, 3, 6]);
        assert_eq!(groups.group(4), &[1, 4]);
        assert_eq!(groups.group(5), &[5], "an unshared image is a group of one");
        assert!(groups.group(2).is_empty(), "no image, no group");
        assert!(groups.group(99).is_empty());
        let shared: Vec<&[usize]> = groups.shared().collect();
        assert_eq!(shared, vec![&[0, 3, 6][..], &[1, 4][..]]);
        assert_eq!(
            (d.image_shared_by(6), d.image_shared_by(5), d.image_shared_by(2)),
            (3, 1, 0)
        );
        d.items[5].image = d.items[1].image.clone();
        assert_eq!(
            d.image_groups().group(1),
            &[1, 4, 5],
            "recomputed after the image changed"
        );
    }

    #[test]
    fn image_groups_of_a_stored_dataset_are_the_items_whose_image_files_are_byte_identical() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("ds");
        crate::synth::write_sample(&dir, false).unwrap();
        let d = crate::store::load(&dir).unwrap();
        let bytes: Vec<Option<Vec<u8>>> = d
            .items
            .iter()
            .map(|it| {
                it.image
                    .as_ref()
                    .map(|img| std::fs::read(dir.join(&img.path)).unwrap())
            })
            .collect();
        assert!(
            d.image_groups().shared().next().is_some(),
            "the sample shares images"
        );
        for i in 0..d.items.len() {
            let same: Vec<usize> = (0..d.items.len())
                .filter(|&j| bytes[i].is_some() && bytes[j] == bytes[i])
                .collect();
            assert_eq!(
                d.image_groups().group(i),
                same.as_slice(),
                "item {}",
                d.items[i].id
            );
        }
    }
}
