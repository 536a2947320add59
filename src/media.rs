//! Image files: identify them from their bytes (format, size, hash), check they are
//! complete, and decode them fully when asked.

use image::{ImageFormat, ImageReader};
use std::io::Cursor;

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
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| format!("unreadable {name} header: {e}"))?;
    check_complete(format, bytes)?;
    Ok(ImageFacts {
        blake3: blake3::hash(bytes).to_hex().to_string(),
        bytes: bytes.len() as u64,
        format: name,
        width,
        height,
    })
}

/// Decodes the whole image, which catches corruption a header read cannot.
pub fn decode_fully(bytes: &[u8]) -> Result<(), String> {
    ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .decode()
        .map(|_| ())
        .map_err(|e| e.to_string())
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
        ImageFormat::Jpeg => tail.windows(2).any(|w| w == [0xFF, 0xD9]),
        ImageFormat::Png => tail.windows(4).any(|w| w == b"IEND"),
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
        decode_fully(&png).unwrap();
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
        assert!(decode_fully(cut).is_err());
    }

    #[test]
    fn extensions_map_to_formats() {
        assert_eq!(format_of_extension("JPG"), Some("jpeg"));
        assert_eq!(format_of_extension("webp"), Some("webp"));
        assert_eq!(format_of_extension("txt"), None);
    }
}
