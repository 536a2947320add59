//! A tiny picture generator: flat shapes and a 5x7 bitmap font, enough to draw simple
//! scenes and typographic images (caption text inside the image, as FigStep-style
//! benchmarks use) without any asset we did not make.

use image::{Rgb, RgbImage};

/// An RGB colour.
pub type Color = [u8; 3];

/// Simple things a picture can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    /// A stick figure.
    Person,
    /// A two-coloured capsule.
    Pill,
    /// A bottle with a label.
    Bottle,
    /// A house with a roof and a door.
    House,
    /// A car seen from the side.
    Car,
    /// A tree.
    Tree,
    /// A banknote.
    Money,
    /// A closed book.
    Book,
    /// A phone with a screen.
    Phone,
    /// A flame.
    Flame,
    /// A kitchen knife.
    Knife,
    /// A padlock.
    Lock,
}

impl Icon {
    /// Every icon, for random choice.
    pub const ALL: [Icon; 12] = [
        Icon::Person,
        Icon::Pill,
        Icon::Bottle,
        Icon::House,
        Icon::Car,
        Icon::Tree,
        Icon::Money,
        Icon::Book,
        Icon::Phone,
        Icon::Flame,
        Icon::Knife,
        Icon::Lock,
    ];
}

/// A picture: background, an icon, and an optional caption drawn as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Background colour.
    pub background: Color,
    /// The main colour of the icon.
    pub accent: Color,
    /// What is drawn in the middle.
    pub icon: Icon,
    /// Text drawn under the icon (upper-cased; unknown characters become spaces).
    pub caption: String,
}

/// A canvas with the drawing primitives the icons are made of.
struct Canvas {
    img: RgbImage,
}

impl Canvas {
    fn rect(&mut self, x0: i32, y0: i32, w: i32, h: i32, c: Color) {
        for y in y0.max(0)..(y0 + h).min(self.img.height() as i32) {
            for x in x0.max(0)..(x0 + w).min(self.img.width() as i32) {
                self.img.put_pixel(x as u32, y as u32, Rgb(c));
            }
        }
    }

    fn circle(&mut self, cx: i32, cy: i32, r: i32, c: Color) {
        for y in (cy - r)..=(cy + r) {
            for x in (cx - r)..=(cx + r) {
                if (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r {
                    self.dot(x, y, c);
                }
            }
        }
    }

    fn triangle(&mut self, p: [(i32, i32); 3], c: Color) {
        let (min_x, max_x) = (
            p.iter().map(|q| q.0).min().unwrap_or(0),
            p.iter().map(|q| q.0).max().unwrap_or(0),
        );
        let (min_y, max_y) = (
            p.iter().map(|q| q.1).min().unwrap_or(0),
            p.iter().map(|q| q.1).max().unwrap_or(0),
        );
        let edge =
            |a: (i32, i32), b: (i32, i32), x: i32, y: i32| (b.0 - a.0) * (y - a.1) - (b.1 - a.1) * (x - a.0);
        for y in min_y..=max_y {
            for x in min_x..=max_x {
                let (e0, e1, e2) = (
                    edge(p[0], p[1], x, y),
                    edge(p[1], p[2], x, y),
                    edge(p[2], p[0], x, y),
                );
                if (e0 >= 0 && e1 >= 0 && e2 >= 0) || (e0 <= 0 && e1 <= 0 && e2 <= 0) {
                    self.dot(x, y, c);
                }
            }
        }
    }

    fn line(&mut self, a: (i32, i32), b: (i32, i32), width: i32, c: Color) {
        let steps = (b.0 - a.0).abs().max((b.1 - a.1).abs()).max(1);
        for i in 0..=steps {
            let x = a.0 + (b.0 - a.0) * i / steps;
            let y = a.1 + (b.1 - a.1) * i / steps;
            self.rect(x - width / 2, y - width / 2, width, width, c);
        }
    }

    fn dot(&mut self, x: i32, y: i32, c: Color) {
        if x >= 0 && y >= 0 && (x as u32) < self.img.width() && (y as u32) < self.img.height() {
            self.img.put_pixel(x as u32, y as u32, Rgb(c));
        }
    }

    /// Draws `text` centred on `cy` with glyphs `scale` pixels per font dot.
    fn text(&mut self, text: &str, cy: i32, scale: i32, c: Color) {
        let chars: Vec<char> = text.chars().collect();
        let width = chars.len() as i32 * 6 * scale - scale;
        let mut x = (self.img.width() as i32 - width) / 2;
        let y0 = cy - 7 * scale / 2;
        for ch in chars {
            for (row, bits) in glyph(ch).iter().enumerate() {
                for col in 0..5 {
                    if bits & (0x10 >> col) != 0 {
                        self.rect(x + col * scale, y0 + row as i32 * scale, scale, scale, c);
                    }
                }
            }
            x += 6 * scale;
        }
    }
}

/// Renders `picture` at `size` x `size` pixels.
pub fn render(picture: &Picture, size: u32) -> RgbImage {
    let mut c = Canvas {
        img: RgbImage::from_pixel(size, size, Rgb(picture.background)),
    };
    let s = size as i32;
    let has_caption = !picture.caption.trim().is_empty();
    let cx = s / 2;
    let cy = if has_caption { s * 2 / 5 } else { s / 2 };
    let u = s / 16;
    let a = picture.accent;
    let dark = [30, 30, 30];
    let light = [245, 245, 245];
    match picture.icon {
        Icon::Person => {
            c.circle(cx, cy - 3 * u, u + u / 2, a);
            c.line((cx, cy - 2 * u), (cx, cy + 2 * u), u, a);
            c.line((cx - 2 * u, cy - u), (cx + 2 * u, cy - u), u, a);
            c.line((cx, cy + 2 * u), (cx - 2 * u, cy + 4 * u), u, a);
            c.line((cx, cy + 2 * u), (cx + 2 * u, cy + 4 * u), u, a);
        }
        Icon::Pill => {
            c.circle(cx - 2 * u, cy, 2 * u, a);
            c.circle(cx + 2 * u, cy, 2 * u, light);
            c.rect(cx - 2 * u, cy - 2 * u, 2 * u, 4 * u + 1, a);
            c.rect(cx, cy - 2 * u, 2 * u, 4 * u + 1, light);
        }
        Icon::Bottle => {
            c.rect(cx - 2 * u, cy - 2 * u, 4 * u, 6 * u, a);
            c.rect(cx - u / 2 - 1, cy - 4 * u, u + 2, 2 * u, a);
            c.rect(cx - 2 * u, cy, 4 * u, 2 * u, light);
            c.line((cx - u, cy + u), (cx + u, cy + u), 2, dark);
        }
        Icon::House => {
            c.rect(cx - 3 * u, cy - u, 6 * u, 5 * u, a);
            c.triangle(
                [(cx - 4 * u, cy - u), (cx + 4 * u, cy - u), (cx, cy - 5 * u)],
                dark,
            );
            c.rect(cx - u / 2 - 1, cy + 2 * u, u + 2, 2 * u, light);
        }
        Icon::Car => {
            c.rect(cx - 5 * u, cy - u, 10 * u, 3 * u, a);
            c.rect(cx - 3 * u, cy - 3 * u, 6 * u, 2 * u, a);
            c.circle(cx - 3 * u, cy + 2 * u, u + u / 2, dark);
            c.circle(cx + 3 * u, cy + 2 * u, u + u / 2, dark);
        }
        Icon::Tree => {
            c.rect(cx - u / 2 - 1, cy, u + 2, 4 * u, [110, 70, 40]);
            c.circle(cx, cy - u, 3 * u, a);
        }
        Icon::Money => {
            c.rect(cx - 5 * u, cy - 3 * u, 10 * u, 6 * u, a);
            c.circle(cx, cy, 2 * u, light);
            c.text("$", cy, (u / 3).max(1), dark);
        }
        Icon::Book => {
            c.rect(cx - 3 * u, cy - 4 * u, 6 * u, 8 * u, a);
            c.rect(cx - 3 * u, cy - 4 * u, u, 8 * u, dark);
            c.rect(cx - u, cy - 2 * u, 3 * u, u / 2 + 1, light);
        }
        Icon::Phone => {
            c.rect(cx - 2 * u - 2, cy - 4 * u - 2, 4 * u + 4, 8 * u + 4, dark);
            c.rect(cx - 2 * u, cy - 4 * u, 4 * u, 7 * u, a);
            c.circle(cx, cy + 3 * u + u / 2, u / 3 + 1, light);
        }
        Icon::Flame => {
            c.triangle(
                [
                    (cx - 3 * u, cy + 3 * u),
                    (cx + 3 * u, cy + 3 * u),
                    (cx, cy - 5 * u),
                ],
                a,
            );
            c.circle(cx, cy + u, 2 * u + u / 2, a);
            c.triangle(
                [(cx - u, cy + 3 * u), (cx + u, cy + 3 * u), (cx, cy - u)],
                [255, 220, 80],
            );
        }
        Icon::Knife => {
            c.triangle(
                [(cx - 5 * u, cy), (cx + 2 * u, cy - u), (cx + 2 * u, cy + u)],
                [190, 190, 200],
            );
            c.rect(cx + 2 * u, cy - u, 4 * u, 2 * u, a);
        }
        Icon::Lock => {
            c.circle(cx, cy - 2 * u, 2 * u, dark);
            c.circle(cx, cy - 2 * u, u, picture.background);
            c.rect(cx - 3 * u, cy - 2 * u, 6 * u, 5 * u, a);
            c.circle(cx, cy, u / 2 + 1, dark);
        }
    }
    if has_caption {
        let caption = picture.caption.to_uppercase();
        let max_scale = (s - 8) / (caption.chars().count() as i32 * 6).max(1);
        let scale = max_scale.clamp(1, (u / 2).max(1));
        c.text(&caption, s * 17 / 20, scale, dark);
    }
    c.img
}

/// The 5x7 bitmap of a character (rows top to bottom, bit 4 is the left column).
fn glyph(c: char) -> [u8; 7] {
    match c.to_ascii_uppercase() {
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'D' => [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        'J' => [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'N' => [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        'Q' => [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D],
        'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        'U' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'V' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        'Y' => [0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04],
        'Z' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        '.' => [0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C],
        ',' => [0x00, 0x00, 0x00, 0x00, 0x0C, 0x04, 0x08],
        ':' => [0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00],
        '!' => [0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x04],
        '?' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04],
        '-' => [0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00],
        '+' => [0x00, 0x04, 0x04, 0x1F, 0x04, 0x04, 0x00],
        '/' => [0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00],
        '\'' => [0x0C, 0x04, 0x08, 0x00, 0x00, 0x00, 0x00],
        '%' => [0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03],
        '$' => [0x04, 0x0F, 0x14, 0x0E, 0x05, 0x1E, 0x04],
        '#' => [0x0A, 0x0A, 0x1F, 0x0A, 0x1F, 0x0A, 0x0A],
        _ => [0; 7],
    }
}

/// Encodes an image as PNG bytes (deterministic for the same pixels).
pub fn png_bytes(img: &RgbImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("PNG encoding into memory cannot fail");
    out.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_put_dark_pixels_in_the_lower_part() {
        let mut p = Picture {
            background: [250, 250, 250],
            accent: [200, 0, 0],
            icon: Icon::Book,
            caption: String::new(),
        };
        let plain = render(&p, 64);
        p.caption = "HELLO".into();
        let captioned = render(&p, 64);
        let dark_below = |img: &RgbImage| {
            (48..60)
                .flat_map(|y| (0..64).map(move |x| (x, y)))
                .filter(|&(x, y)| img.get_pixel(x, y).0 == [30, 30, 30])
                .count()
        };
        assert_eq!(dark_below(&plain), 0);
        assert!(dark_below(&captioned) > 20);
    }

    #[test]
    fn every_icon_draws_something_and_rendering_is_deterministic() {
        for icon in Icon::ALL {
            let p = Picture {
                background: [0, 0, 0],
                accent: [0, 200, 0],
                icon,
                caption: "X".into(),
            };
            let img = render(&p, 48);
            assert!(img.pixels().any(|px| px.0 != [0, 0, 0]), "{icon:?}");
            assert_eq!(png_bytes(&img), png_bytes(&render(&p, 48)));
        }
    }
}
