//! Images for the terminal: `encode` decodes, downscales and encodes for the terminal's
//! protocol (on the image worker, see `workers`); the UI keeps an LRU cache of encoded images per (item, area) and draws a
//! placeholder until an image is ready.

use lru::LruCache;
use ratatui::layout::Size;
use ratatui_image::Resize;
use ratatui_image::picker::Picker;
use ratatui_image::protocol::Protocol;
use std::num::NonZeroUsize;
use std::path::PathBuf;

/// Which image, encoded for which area (in cells).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ImageKey {
    /// Index of the item in the dataset.
    pub item: usize,
    /// Area width in cells.
    pub width: u16,
    /// Area height in cells.
    pub height: u16,
}

/// An image encoded for the terminal, ready to draw.
pub struct Encoded(pub Protocol);

impl std::fmt::Debug for Encoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Encoded(..)")
    }
}

/// The outcome of loading one image.
pub type ImageResult = Result<Encoded, String>;

/// A request to the worker.
#[derive(Debug, Clone)]
pub struct ImageRequest {
    /// What to load, for which area.
    pub key: ImageKey,
    /// The file.
    pub path: PathBuf,
    /// The item on screen (served before prefetches).
    pub current: bool,
}

/// One cache entry.
#[derive(Debug)]
pub enum Slot {
    /// Sent to the worker.
    Loading,
    /// Ready to draw.
    Ready(Encoded),
    /// Could not be read or decoded; the reason is shown instead.
    Failed(String),
}

/// Encoded images by key, least recently used dropped first.
#[derive(Debug)]
pub struct ImageCache {
    slots: LruCache<ImageKey, Slot>,
}

impl Default for ImageCache {
    fn default() -> ImageCache {
        ImageCache {
            slots: LruCache::new(NonZeroUsize::new(64).expect("non-zero")),
        }
    }
}

impl ImageCache {
    /// The slot of `key`, without changing its recency (draw is pure).
    pub fn peek(&self, key: &ImageKey) -> Option<&Slot> {
        self.slots.peek(key)
    }

    /// Whether `key` is cached or on its way; marks it recently used.
    pub fn has(&mut self, key: &ImageKey) -> bool {
        self.slots.get(key).is_some()
    }

    /// Records that `key` was requested.
    pub fn mark_loading(&mut self, key: ImageKey) {
        self.slots.put(key, Slot::Loading);
    }

    /// Stores a finished load.
    pub fn store(&mut self, key: ImageKey, result: ImageResult) {
        let slot = match result {
            Ok(encoded) => Slot::Ready(encoded),
            Err(why) => Slot::Failed(why),
        };
        self.slots.put(key, slot);
    }

    /// Whether any requested image has not arrived yet.
    pub fn any_loading(&self) -> bool {
        self.slots.iter().any(|(_, slot)| matches!(slot, Slot::Loading))
    }

    /// Whether `key` is encoded and ready to draw.
    pub fn is_ready(&self, key: &ImageKey) -> bool {
        matches!(self.slots.peek(key), Some(Slot::Ready(_)))
    }

    /// Drops everything (after a resize every area changes).
    pub fn clear(&mut self) {
        self.slots.clear();
    }
}

/// Whether kitty draws the Unicode placeholders ratatui-image uses (kitty 0.28 and
/// later). `kitty` is None for another terminal, Some(None) for kitty of unknown version
/// (trusted: the probe said it speaks the protocol).
pub fn kitty_placeholders_supported(kitty: Option<Option<String>>) -> bool {
    let Some(Some(version)) = kitty else { return true };
    let mut parts = version.trim().split('.').map(|p| p.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(major), Some(minor)) => (major, minor) >= (0, 28),
        _ => true,
    }
}

/// Decodes, downscales and encodes one image for an area of `size` cells.
pub fn encode(picker: &Picker, path: &std::path::Path, size: Size) -> ImageResult {
    let limits = safeaware::media::ImageLimits::default();
    let bytes = safeaware::media::read_image_file(path, limits)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let image = safeaware::media::decode(&bytes, limits).map_err(|e| format!("cannot decode: {e}"))?;
    let font = picker.font_size();
    let max_w = u32::from(size.width) * u32::from(font.width);
    let max_h = u32::from(size.height) * u32::from(font.height);
    let image = if image.width() > max_w || image.height() > max_h {
        image.thumbnail(max_w, max_h)
    } else {
        image
    };
    picker
        .new_protocol(image, size, Resize::Fit(None))
        .map(Encoded)
        .map_err(|e| format!("cannot encode: {e}"))
}

#[cfg(test)]
mod tests {
    use super::kitty_placeholders_supported;

    #[test]
    fn kitty_before_0_28_has_no_unicode_placeholders() {
        assert!(!kitty_placeholders_supported(Some(Some("0.26.5".into()))));
        assert!(kitty_placeholders_supported(Some(Some("0.28.0".into()))));
        assert!(kitty_placeholders_supported(Some(Some("0.35.2".into()))));
        assert!(
            kitty_placeholders_supported(Some(None)),
            "unknown version: trust the probe"
        );
        assert!(kitty_placeholders_supported(None), "not kitty");
    }
}
