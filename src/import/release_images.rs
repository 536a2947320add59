//! The image folders of an MMSafeAware release as the importer sees them: listed without
//! reading a file, assigned to ids by file stem, linked into the dataset or read, inspected
//! and hashed on every core.

use super::ImageMode;
use crate::error::{Error, IoContext, Result};
use crate::media;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The release's folders that hold images, in the order they are searched.
const IMAGE_FOLDERS: [&str; 2] = ["images", "images2"];

/// One image file found in the release.
pub(super) struct FoundImage {
    /// Its path relative to the release (`images/12.jpeg`).
    pub(super) relative: String,
    /// Its full path.
    pub(super) path: PathBuf,
    /// Its file name.
    pub(super) file_name: String,
}

/// The files of the release's image folders, in search order.
pub(super) struct Listing {
    folders: Vec<ListedFolder>,
}

/// One image folder of the release.
struct ListedFolder {
    /// Its name in the release (`images`).
    name: &'static str,
    /// Its full path.
    dir: PathBuf,
    /// The names of the files directly inside it, sorted.
    files: Vec<String>,
    /// The paths (from the release) of files nested deeper, which belong to no item.
    nested: Vec<String>,
}

/// Lists the release's image folders (without reading any file).
pub(super) fn list_images(release: &Path) -> Result<Listing> {
    let mut listing = Listing { folders: Vec::new() };
    for folder in IMAGE_FOLDERS {
        let dir = release.join(folder);
        if !dir.is_dir() {
            continue;
        }
        // The folder itself by its entries' types (no stat per file); a link is followed
        // only to see whether it names a folder.
        let mut names: Vec<String> = Vec::new();
        let mut nested = Vec::new();
        let mut subfolders = Vec::new();
        for entry in std::fs::read_dir(&dir).at(&dir)? {
            let entry = entry.at(&dir)?;
            let kind = entry.file_type().at(&entry.path())?;
            if kind.is_dir() || (kind.is_symlink() && entry.path().is_dir()) {
                subfolders.push(entry.path());
            } else {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        subfolders.sort();
        // Files in nested folders belong to no item: each is listed (walkdir reports a
        // symlink loop instead of following it).
        for subfolder in subfolders {
            for entry in walkdir::WalkDir::new(&subfolder)
                .follow_links(true)
                .sort_by_file_name()
            {
                let entry = entry.map_err(|e| {
                    let at = e.path().unwrap_or(&subfolder).to_path_buf();
                    Error::io(&at, e.into())
                })?;
                if !entry.file_type().is_dir() {
                    let relative = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                    nested.push(format!("{folder}/{}", relative.display()));
                }
            }
        }
        names.sort();
        listing.folders.push(ListedFolder {
            name: folder,
            dir,
            files: names,
            nested,
        });
    }
    Ok(listing)
}

/// Assigns listed image files to ids by their stem; files that match no id (or a second
/// file for an id) are strays, listed folder by folder, each folder's nested files first.
pub(super) fn find_images(listing: Listing, ids: &BTreeSet<u32>) -> (BTreeMap<u32, FoundImage>, Vec<String>) {
    let mut found = BTreeMap::new();
    let mut stray = Vec::new();
    for ListedFolder {
        name: folder,
        dir,
        files,
        nested,
    } in listing.folders
    {
        stray.extend(nested);
        for name in files {
            let relative = format!("{folder}/{name}");
            let stem = Path::new(&name)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("");
            let id = stem.parse::<u32>().ok().filter(|id| ids.contains(id));
            match id {
                Some(id) if !found.contains_key(&id) => {
                    found.insert(
                        id,
                        FoundImage {
                            path: dir.join(&name),
                            relative,
                            file_name: name,
                        },
                    );
                }
                _ => stray.push(relative),
            }
        }
    }
    (found, stray)
}

/// Links each of the release's image folders into the dataset folder `dir` under its own
/// name (`images -> <release>/images`, `images2 -> <release>/images2`): one symlink per
/// folder instead of one per image, so the import creates two inodes, not 1447. Each
/// folder is made absolute once, so the dataset can move as long as the release stays put.
pub(super) fn link_image_folders(release: &Path, dir: &Path) -> Result<()> {
    for folder in IMAGE_FOLDERS {
        let source = release.join(folder);
        if !source.is_dir() {
            continue;
        }
        let absolute = std::fs::canonicalize(&source).at(&source)?;
        let link = dir.join(folder);
        #[cfg(unix)]
        std::os::unix::fs::symlink(&absolute, &link).at(&link)?;
        #[cfg(not(unix))]
        {
            let _ = (absolute, link);
            return Err(Error::Refused(
                "--images link needs a Unix system; use --images copy".into(),
            ));
        }
    }
    Ok(())
}

/// Reads, inspects and hashes every found image on every core, copying it into
/// `images_dir` in copy mode (link mode linked the folders already); each file is read
/// once, into one reused buffer per core. Results by id (errors name the file and the item).
pub(super) fn place_images(
    found: &BTreeMap<u32, FoundImage>,
    images_dir: &Path,
    mode: ImageMode,
    limits: media::ImageLimits,
) -> BTreeMap<u32, Result<media::ImageFacts>> {
    let files: Vec<(&u32, &FoundImage)> = found.iter().collect();
    crate::parallel::map_with(&files, media::image_buffer, |buffer, &(&id, file)| {
        (id, place_one(id, file, images_dir, mode, limits, buffer))
    })
    .into_iter()
    .collect()
}

fn place_one(
    id: u32,
    file: &FoundImage,
    images_dir: &Path,
    mode: ImageMode,
    limits: media::ImageLimits,
    data: &mut Vec<u8>,
) -> Result<media::ImageFacts> {
    media::read_image_file_into(&file.path, limits, data).map_err(|why| Error::Invalid {
        path: file.path.clone(),
        line: None,
        item: Some(id.to_string()),
        message: format!("image {why}; replace or remove the file and import again"),
    })?;
    let facts = media::inspect(data).map_err(|why| Error::Invalid {
        path: file.path.clone(),
        line: None,
        item: Some(id.to_string()),
        message: format!("{why}; replace or remove the file and import again"),
    })?;
    if mode == ImageMode::Copy {
        let dest = images_dir.join(&file.file_name);
        std::fs::write(&dest, &*data).at(&dest)?;
    }
    Ok(facts)
}
