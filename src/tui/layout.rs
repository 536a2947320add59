//! Screen geometry, computed from the terminal size alone so that `update` (which asks
//! for images of the right size) and `draw` agree on every area.

use ratatui::layout::{Constraint, Layout, Rect};

/// Smallest usable terminal.
pub const MIN_SIZE: (u16, u16) = (60, 16);

/// Where each part of the browse screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Title, position and filter (plus the read-only banner when present).
    pub header: Rect,
    /// The item list, with its border.
    pub list: Rect,
    /// The detail pane, with its border.
    pub detail: Rect,
    /// Inside the detail pane: the image.
    pub image: Rect,
    /// Inside the detail pane: the text.
    pub text: Rect,
    /// Status message and key hints.
    pub footer: Rect,
    /// Side by side (wide) or stacked (narrow).
    pub wide: bool,
}

/// The areas for a terminal of `width` x `height`, or None when it is too small.
pub fn areas(width: u16, height: u16, banner: bool) -> Option<Areas> {
    if width < MIN_SIZE.0 || height < MIN_SIZE.1 {
        return None;
    }
    let screen = Rect::new(0, 0, width, height);
    let header_height = if banner { 2 } else { 1 };
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(header_height),
        Constraint::Fill(1),
        Constraint::Length(2),
    ])
    .areas(screen);
    let wide = width >= 100;
    let (list, detail) = if wide {
        let list_width = (width * 55 / 100).max(60);
        let [list, detail] =
            Layout::horizontal([Constraint::Length(list_width), Constraint::Fill(1)]).areas(body);
        (list, detail)
    } else {
        let [list, detail] = Layout::vertical([Constraint::Percentage(40), Constraint::Fill(1)]).areas(body);
        (list, detail)
    };
    let inner = Rect::new(
        detail.x + 1,
        detail.y + 1,
        detail.width.saturating_sub(2),
        detail.height.saturating_sub(2),
    );
    let (image, text) = if wide {
        let image_height = (inner.height * 45 / 100).clamp(4, 22);
        let [image, text] =
            Layout::vertical([Constraint::Length(image_height), Constraint::Fill(1)]).areas(inner);
        (image, text)
    } else {
        let image_width = (inner.width * 35 / 100).clamp(10, 40);
        let [image, _, text] = Layout::horizontal([
            Constraint::Length(image_width),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        (image, text)
    };
    Some(Areas {
        header,
        list,
        detail,
        image,
        text,
        footer,
        wide,
    })
}

/// Rows of items visible in the list (inside the border, below the column titles).
pub fn list_rows(areas: &Areas) -> usize {
    usize::from(areas.list.height.saturating_sub(3)).max(1)
}

/// A centred rectangle of at most `width` x `height` inside `area`, for overlays.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_terminals_put_detail_beside_the_list_and_narrow_ones_below() {
        let wide = areas(120, 40, false).unwrap();
        assert!(wide.wide && wide.detail.x > wide.list.x && wide.detail.y == wide.list.y);
        let narrow = areas(80, 24, false).unwrap();
        assert!(!narrow.wide && narrow.detail.y > narrow.list.y);
        assert!(areas(40, 10, false).is_none());
        assert_eq!(areas(120, 40, true).unwrap().header.height, 2);
    }
}
