//! Image checks: missing, unreadable or changed files, extensions that lie about the
//! format, items without images, and stray files in the image folders.

use super::{Finding, Kind, Options, esc};
use crate::import::Progress;
use crate::media;
use crate::model::{Dataset, Item};
use crate::store;
use std::collections::HashSet;
use std::path::Path;

/// What reading one image file found.
enum ImageCheck {
    Missing,
    Unreadable(String),
    Read { blake3: String, format: &'static str },
}

pub(super) fn check_images(
    dir: &Path,
    dataset: &Dataset,
    options: Options,
    progress: Progress<'_>,
    out: &mut Vec<Finding>,
) {
    let with_image: Vec<&Item> = dataset.items.iter().filter(|i| i.image.is_some()).collect();
    // Items often share one image file (attack variants reuse their base's): each
    // distinct path is read and hashed once.
    let mut slots: std::collections::HashMap<&str, usize> = Default::default();
    let mut paths: Vec<&str> = Vec::new();
    let slot_of: Vec<usize> = with_image
        .iter()
        .filter_map(|item| item.image.as_ref())
        .map(|image| {
            *slots.entry(image.path.as_str()).or_insert_with(|| {
                paths.push(image.path.as_str());
                paths.len() - 1
            })
        })
        .collect();
    let total = paths.len() as u64;
    let done = std::sync::atomic::AtomicU64::new(0);
    let decoded: std::sync::Mutex<HashSet<String>> = Default::default();
    let check = |relative: &str| -> ImageCheck {
        let path = dir.join(relative);
        let limits = options.image_limits;
        let result = match media::read_image_file(&path, limits) {
            Err(media::ReadError::Missing) => ImageCheck::Missing,
            Err(media::ReadError::Refused(why)) => ImageCheck::Unreadable(why),
            Ok(bytes) => match media::inspect(&bytes) {
                Err(why) => ImageCheck::Unreadable(why),
                Ok(facts) => {
                    let first = options.decode_images
                        && decoded
                            .lock()
                            .map(|mut s| s.insert(facts.blake3.clone()))
                            .unwrap_or(true);
                    match first.then(|| media::decode_fully(&bytes, limits)) {
                        Some(Err(why)) => ImageCheck::Unreadable(why),
                        _ => ImageCheck::Read {
                            blake3: facts.blake3,
                            format: facts.format,
                        },
                    }
                }
            },
        };
        progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, total);
        result
    };
    let by_path: Vec<ImageCheck> = crate::parallel::map(&paths, |p| check(p));
    let results = slot_of.iter().map(|&slot| &by_path[slot]);
    let mut referenced = HashSet::new();
    for (item, result) in with_image.iter().zip(results) {
        let image = item.image.as_ref().expect("filtered to items with images");
        referenced.insert(image.path.as_str());
        let id = vec![item.id.clone()];
        let path = esc(&image.path);
        match result {
            ImageCheck::Missing => {
                out.push(Finding::new(
                    Kind::MissingImage,
                    id,
                    format!("{path} does not exist"),
                ));
            }
            ImageCheck::Unreadable(why) => {
                out.push(Finding::new(
                    Kind::UnreadableImage,
                    id,
                    format!("{path}: {}", esc(why)),
                ));
            }
            ImageCheck::Read { blake3, format } => {
                if *blake3 != image.blake3 {
                    out.push(Finding::new(
                        Kind::ImageChanged,
                        id.clone(),
                        format!("{path} changed since it was recorded (blake3 differs)"),
                    ));
                }
                let ext = Path::new(&image.path)
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or("");
                if media::format_of_extension(ext) != Some(format) {
                    out.push(Finding::new(
                        Kind::ExtensionMismatch,
                        id,
                        format!("{path} is a {format} file with extension .{}", esc(ext)),
                    ));
                }
            }
        }
    }
    for item in &dataset.items {
        if item.image.is_none() && item.provenance.image_expected {
            let source = esc(&item.provenance.source);
            out.push(Finding::new(
                Kind::MissingImage,
                vec![item.id.clone()],
                format!("the source should have an image for this item ({source}) but the file was absent at import"),
            ));
        }
    }
    let never: Vec<String> = dataset
        .items
        .iter()
        .filter(|i| i.image.is_none() && !i.provenance.image_expected)
        .map(|i| i.id.clone())
        .collect();
    if !never.is_empty() {
        let n = never.len();
        out.push(Finding::new(
            Kind::NoImage,
            never,
            format!("{n} items have no image in the source"),
        ));
    }
    check_stray_files(dir, dataset, &referenced, out);
}

/// Files in the dataset's image folders (`images/`, and each folder an item's path names,
/// linked ones included) that no item references, then the source's strays recorded at
/// import that a linked folder did not show already.
fn check_stray_files(dir: &Path, dataset: &Dataset, referenced: &HashSet<&str>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for folder in store::image_folders(&dataset.items) {
        // A linked folder is the source's own: its strays are the ones recorded at import.
        let linked = std::fs::symlink_metadata(dir.join(&folder)).is_ok_and(|m| m.file_type().is_symlink());
        let mut names: Vec<String> = std::fs::read_dir(dir.join(&folder))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        for name in names {
            let relative = format!("{folder}/{name}");
            if !referenced.contains(relative.as_str()) {
                out.push(Finding::new(
                    Kind::StrayFile,
                    vec![],
                    format!("{} belongs to no item", esc(&relative)),
                ));
                if linked {
                    seen.insert(relative);
                }
            }
        }
    }
    for stray in &dataset.manifest.source.stray_files {
        if seen.contains(stray) {
            continue;
        }
        out.push(Finding::new(
            Kind::StrayFile,
            vec![],
            format!(
                "{} in the source ({}) belongs to no item",
                esc(stray),
                esc(&dataset.manifest.source.kind)
            ),
        ));
    }
}
