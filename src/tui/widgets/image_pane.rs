//! The image pane: the encoded image, or a placeholder saying why there is none.

use super::esc;
use crate::tui::images::{ImageKey, Slot};
use crate::tui::strings::image as text;
use crate::tui::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_image::Image;
use safeaware::model::Item;

/// Paints item `i`'s image into `area`; `reveal` is the key that reveals a hidden one.
pub fn draw(ws: &Workspace, reveal: &str, frame: &mut Frame, area: Rect, i: usize, item: &Item) {
    let t = &ws.theme;
    let placeholder = |frame: &mut Frame, text: String| {
        let p = Paragraph::new(text).style(t.fg(t.dim)).wrap(Wrap { trim: true });
        frame.render_widget(p, area);
    };
    let Some(image) = &item.image else {
        let why = if item.provenance.image_expected {
            text::MISSING
        } else {
            text::NONE
        };
        placeholder(frame, why.to_string());
        return;
    };
    let describe = format!(
        "{} · {}x{} {}",
        esc(&image.path),
        image.width,
        image.height,
        image.format
    );
    if ws.config.hide_images && !ws.revealed.contains(&i) {
        placeholder(frame, format!("{}\n{describe}", text::hidden(reveal)));
        return;
    }
    if !ws.images_on {
        placeholder(frame, format!("{}\n{describe}", text::OFF));
        return;
    }
    let key = ImageKey {
        item: i,
        width: area.width,
        height: area.height,
    };
    match ws.images.peek(&key) {
        Some(Slot::Ready(encoded)) => frame.render_widget(Image::new(&encoded.0), area),
        Some(Slot::Failed(why)) => placeholder(frame, format!("{}\n{describe}", text::unreadable(&esc(why)))),
        _ => placeholder(frame, format!("{}\n{describe}", text::LOADING)),
    }
}
