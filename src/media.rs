//! Image files: identify them from their bytes (format, size, hash), check they are
//! complete, and decode them fully when asked.

use image::{ImageFormat, ImageReader};
use std::io::{Cursor, Read};
use std::path::Path;

/// Default largest image file read: 64 MiB.
pub const DEFAULT_MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;
/// Default largest image decoded: 64 million pixels (256 MB as RGBA).
pub const DEFAULT_MAX_IMAGE_PIXELS: u64 = 64_000_000;

/// Bounds on what safeaware reads and decodes, so a hostile file cannot exhaust memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageLimits {
    /// Largest file size read, in bytes.
    pub max_bytes: u64,
    /// Largest width x height decoded.
    pub max_pixels: u64,
}

impl Default for ImageLimits {
    fn default() -> ImageLimits {
        ImageLimits {
            max_bytes: DEFAULT_MAX_IMAGE_BYTES,
            max_pixels: DEFAULT_MAX_IMAGE_PIXELS,
        }
    }
}

/// Why an image file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The file does not exist.
    Missing,
    /// It exists but is not usable: the reason in a few words.
    Refused(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Missing => f.write_str("does not exist"),
            ReadError::Refused(why) => f.write_str(why),
        }
    }
}

/// Reads an image file's bytes, refusing anything but a regular file (a FIFO or a device
/// would block or never end) and files over `limits.max_bytes`, before reading them.
pub fn read_image_file(path: &Path, limits: ImageLimits) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    read_image_file_into(path, limits, &mut bytes)?;
    Ok(bytes)
}

/// A buffer for [`read_image_file_into`] with room for a typical benchmark image (1 MiB),
/// so reading many images does not grow it step by step; an allocation this large also
/// gets pages of its own from the allocator, touched only as far as the reads reach.
pub fn image_buffer() -> Vec<u8> {
    Vec::with_capacity(1 << 20)
}

/// [`read_image_file`] into `bytes` (emptied first): a loop over many files that passes
/// the same buffer reuses one allocation instead of touching fresh memory for each file.
pub fn read_image_file_into(path: &Path, limits: ImageLimits, bytes: &mut Vec<u8>) -> Result<(), ReadError> {
    bytes.clear();
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO without O_NONBLOCK waits for a writer; with it, it returns at once.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::Missing),
        Err(e) => return Err(ReadError::Refused(e.to_string())),
    };
    let meta = file.metadata().map_err(|e| ReadError::Refused(e.to_string()))?;
    if !meta.is_file() {
        return Err(ReadError::Refused(format!(
            "not a regular file ({}); only regular image files are read",
            file_kind(&meta)
        )));
    }
    if meta.len() > limits.max_bytes {
        return Err(ReadError::Refused(format!(
            "{} bytes is over the limit of {} bytes (--max-image-bytes)",
            meta.len(),
            limits.max_bytes
        )));
    }
    // Exactly the size just read: no probe for more (one read per file), and a file that
    // grows meanwhile is read as it was.
    bytes.resize(meta.len() as usize, 0);
    file.read_exact(bytes).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            ReadError::Refused(format!("shrank below {} bytes while being read", meta.len()))
        }
        _ => ReadError::Refused(e.to_string()),
    })
}

fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() { "a folder" } else { "not a file" }
}

/// Checks a header's dimensions against the pixel limit, before any decode.
pub fn check_pixels(width: u32, height: u32, limits: ImageLimits) -> Result<(), String> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels {
        return Err(format!(
            "{width}x{height} is {pixels} pixels, over the limit of {}",
            limits.max_pixels
        ));
    }
    Ok(())
}

/// What safeaware records about an image file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFacts {
    /// blake3 of the bytes, hex.
    pub blake3: String,
    /// File size in bytes.
    pub bytes: u64,
    /// Format read from the content, lower-case (`jpeg`, `png`, `webp`, `gif`).
    pub format: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Identifies an image from its bytes: header, dimensions, completeness and hash.
/// The error says, in a few words, why the bytes are not a usable image.
pub fn inspect(bytes: &[u8]) -> Result<ImageFacts, String> {
    if bytes.is_empty() {
        return Err("file is empty".into());
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let format = reader.format().ok_or("not an image (unknown format)")?;
    let name = format_name(format).ok_or_else(|| format!("unsupported image format {format:?}"))?;
    let (width, height) = match header_size(format, bytes) {
        Some(size) => size,
        None => reader
            .into_dimensions()
            .map_err(|e| format!("unreadable {name} header: {e}"))?,
    };
    check_complete(format, bytes)?;
    Ok(ImageFacts {
        blake3: blake3::hash(bytes).to_hex().to_string(),
        bytes: bytes.len() as u64,
        format: name,
        width,
        height,
    })
}

/// Width and height from the frame header of the two formats benchmark images come in,
/// without the decoder setup the `image` crate does first (a JPEG's Huffman tables, a
/// PNG's line buffers): a PNG's IHDR chunk, or the start-of-frame segment of an 8-bit
/// baseline, extended or progressive JPEG (the kinds the decoder reads). None for
/// anything else, and the `image` crate then reads the header and says what is wrong.
fn header_size(format: ImageFormat, bytes: &[u8]) -> Option<(u32, u32)> {
    let (width, height) = match format {
        ImageFormat::Png => png_size(bytes)?,
        ImageFormat::Jpeg => jpeg_size(bytes)?,
        _ => return None,
    };
    (width > 0 && height > 0).then_some((width, height))
}

/// The IHDR chunk, which must come first: length 13, type, width, height (big-endian).
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.get(8..16)? != b"\0\0\0\x0dIHDR" {
        return None;
    }
    Some((big_endian_u32(bytes, 16)?, big_endian_u32(bytes, 20)?))
}

/// Walks the segments after the start-of-image marker up to the first start-of-frame.
fn jpeg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        while *bytes.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *bytes.get(at)?;
        at += 1;
        match marker {
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => continue,
            // Another image start, the end, or scan data before any frame header.
            0xD8..=0xDA => return None,
            _ => {}
        }
        let length = usize::from(big_endian_u16(bytes, at)?);
        if length < 2 {
            return None;
        }
        let start_of_frame = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if start_of_frame {
            // Length (2), precision (1), height (2), width (2).
            let readable = matches!(marker, 0xC0..=0xC2) && *bytes.get(at + 2)? == 8;
            let height = big_endian_u16(bytes, at + 3)?;
            let width = big_endian_u16(bytes, at + 5)?;
            return readable.then_some((u32::from(width), u32::from(height)));
        }
        at += length;
    }
}

fn big_endian_u16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn big_endian_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// Decodes the whole image, which catches corruption a header read cannot; images over
/// the pixel limit are refused from their header, without decoding.
pub fn decode_fully(bytes: &[u8], limits: ImageLimits) -> Result<(), String> {
    decode(bytes, limits).map(|_| ())
}

/// Decodes an image for display or checks, refusing one over the pixel limit from its
/// header, before any pixel is allocated.
pub fn decode(bytes: &[u8], limits: ImageLimits) -> Result<image::DynamicImage, String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let (width, height) = reader.into_dimensions().map_err(|e| e.to_string())?;
    check_pixels(width, height, limits)?;
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut decode_limits = image::Limits::default();
    decode_limits.max_image_width = Some(width);
    decode_limits.max_image_height = Some(height);
    decode_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8).saturating_add(64 << 20));
    reader.limits(decode_limits);
    reader.decode().map_err(|e| e.to_string())
}

/// The format a file extension promises, if it names one safeaware reads.
pub fn format_of_extension(ext: &str) -> Option<&'static str> {
    ImageFormat::from_extension(ext).and_then(format_name)
}

fn format_name(format: ImageFormat) -> Option<&'static str> {
    Some(match format {
        ImageFormat::Jpeg => "jpeg",
        ImageFormat::Png => "png",
        ImageFormat::WebP => "webp",
        ImageFormat::Gif => "gif",
        _ => return None,
    })
}

/// Cheap end-of-file checks that catch truncated downloads without a full decode.
fn check_complete(format: ImageFormat, bytes: &[u8]) -> Result<(), String> {
    const TAIL: usize = 4096;
    let tail = &bytes[bytes.len().saturating_sub(TAIL)..];
    let complete = match format {
        // From the end backwards: the marker is almost always the last bytes.
        ImageFormat::Jpeg => tail.windows(2).rev().any(|w| w == [0xFF, 0xD9]),
        ImageFormat::Png => tail.windows(4).rev().any(|w| w == b"IEND"),
        ImageFormat::WebP => {
            bytes.len() >= 8
                && u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize + 8 <= bytes.len()
        }
        ImageFormat::Gif => bytes.last() == Some(&0x3B),
        _ => true,
    };
    if complete {
        Ok(())
    } else {
        Err(format!(
            "truncated {} file (no end marker)",
            format_name(format).unwrap_or("image")
        ))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small valid PNG made with the image crate.
    pub fn tiny_png() -> Vec<u8> {
        let img = image::RgbImage::from_pixel(3, 2, image::Rgb([200, 10, 10]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn reads_format_size_and_hash_of_a_png() {
        let png = tiny_png();
        let facts = inspect(&png).unwrap();
        assert_eq!((facts.format, facts.width, facts.height), ("png", 3, 2));
        assert_eq!(facts.bytes, png.len() as u64);
        assert_eq!(facts.blake3.len(), 64);
        decode_fully(&png, ImageLimits::default()).unwrap();
    }

    /// `image` encoded by the image crate in `format`.
    fn encoded(format: ImageFormat, width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 7]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn header_sizes_are_the_decoders_and_other_frames_go_to_the_decoder() {
        for format in [ImageFormat::Png, ImageFormat::Jpeg] {
            for (w, h) in [(1, 1), (3, 2), (300, 17), (17, 300)] {
                let bytes = encoded(format, w, h);
                assert_eq!(header_size(format, &bytes), Some((w, h)), "{format:?}");
                let facts = inspect(&bytes).unwrap();
                assert_eq!((facts.width, facts.height), (w, h));
            }
        }
        // A lossless (SOF3) or arithmetic-coded (SOF9) frame, a 12-bit one: the decoder
        // cannot read them, so the header read leaves them to it, and it refuses them.
        let jpeg = encoded(ImageFormat::Jpeg, 8, 8);
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        for (offset, byte) in [(1, 0xC3), (1, 0xC9), (4, 12)] {
            let mut other = jpeg.clone();
            other[sof + offset] = byte;
            assert_eq!(header_size(ImageFormat::Jpeg, &other), None);
            assert!(inspect(&other).is_err(), "{byte:#x} at {offset}");
        }
        // A PNG whose first chunk is not IHDR (Apple's CgBI, a damaged file).
        let mut png = tiny_png();
        png[12..16].copy_from_slice(b"CgBI");
        assert_eq!(header_size(ImageFormat::Png, &png), None);
        assert!(inspect(&png).is_err());
    }

    #[test]
    fn truncated_and_non_images_are_refused_with_a_reason() {
        let png = tiny_png();
        let cut = &png[..png.len() - 20];
        assert!(inspect(cut).unwrap_err().contains("truncated png"));
        assert!(
            inspect(b"hello, not an image")
                .unwrap_err()
                .contains("not an image")
        );
        assert!(inspect(b"").unwrap_err().contains("empty"));
        assert!(decode_fully(cut, ImageLimits::default()).is_err());
    }

    #[test]
    fn images_over_the_pixel_limit_are_refused_before_decoding() {
        let png = tiny_png();
        let small = ImageLimits {
            max_bytes: 1 << 20,
            max_pixels: 5,
        };
        assert!(decode_fully(&png, small).unwrap_err().contains("over the limit"));
    }

    #[cfg(unix)]
    #[test]
    fn fifos_devices_and_large_files_are_refused_without_reading_them() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.png");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
        let why = read_image_file(&fifo, ImageLimits::default())
            .unwrap_err()
            .to_string();
        assert!(why.contains("FIFO"), "{why}");
        let zero = dir.path().join("zero.png");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let why = read_image_file(&zero, ImageLimits::default())
            .unwrap_err()
            .to_string();
        assert!(why.contains("device"), "{why}");
        let big = dir.path().join("big.png");
        std::fs::write(&big, tiny_png()).unwrap();
        let tight = ImageLimits {
            max_bytes: 10,
            max_pixels: 100,
        };
        let why = read_image_file(&big, tight).unwrap_err().to_string();
        assert!(why.contains("over the limit"), "{why}");
        assert!(matches!(
            read_image_file(&dir.path().join("none.png"), tight),
            Err(ReadError::Missing)
        ));
        assert_eq!(read_image_file(&big, ImageLimits::default()).unwrap(), tiny_png());
    }

    #[test]
    fn extensions_map_to_formats() {
        assert_eq!(format_of_extension("JPG"), Some("jpeg"));
        assert_eq!(format_of_extension("webp"), Some("webp"));
        assert_eq!(format_of_extension("txt"), None);
    }
}
