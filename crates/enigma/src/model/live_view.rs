//! The live view embedded where the user is: the service's `webViewURL` in an `<iframe>` of the
//! viewport's size (1024×600 unless the start answer says otherwise), for a notebook's
//! `_repr_html_` and Node's `session.liveView()`.
//!
//! Read-only: the frame takes no pointer or keyboard input (`pointer-events: none`,
//! `tabindex="-1"`), a transparent layer over it catches every click, and its sandbox allows
//! scripts (the page must run to show anything) but no forms, popups or top navigation. The
//! URL is left as the service gave it: its query parameters are not documented, and the view
//! stays read-only whatever the page does with input it never gets.

use std::fmt::Write;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use serde::Serialize;

/// The documented viewport (contract §3.2).
pub const VIEWPORT: (u64, u64) = (1024, 600);

/// A session's live view: where it is, and how to embed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveView {
    /// The service's `webViewURL`.
    pub url: String,
    /// Whether the embed takes no input.
    pub read_only: bool,
    /// The frame's width, px.
    pub width: u64,
    /// The frame's height, px.
    pub height: u64,
}

impl LiveView {
    /// The view of `url` at `dimensions` (the viewport's when `None`).
    pub fn new(url: &str, read_only: bool, dimensions: Option<(u64, u64)>) -> LiveView {
        let (width, height) = dimensions.filter(|(w, h)| *w > 0 && *h > 0).unwrap_or(VIEWPORT);
        LiveView { url: url.to_owned(), read_only, width, height }
    }

    /// The HTML snippet: a frame of the viewport's size, with a link to open it in a tab.
    pub fn html(&self) -> String {
        let (w, h) = (self.width, self.height);
        let url = attr(&self.url);
        let mut out = format!(
            "<div class=\"enigma-live-view\" data-read-only=\"{ro}\" style=\"position:relative;width:{w}px;height:{h}px;\
             border:1px solid #ccc;overflow:hidden\">",
            ro = self.read_only
        );
        if self.read_only {
            let _ = write!(
                out,
                "<iframe src=\"{url}\" width=\"{w}\" height=\"{h}\" title=\"Enigma live view (read-only)\" \
                 sandbox=\"allow-scripts allow-same-origin\" tabindex=\"-1\" \
                 style=\"border:0;pointer-events:none\"></iframe>\
                 <div class=\"enigma-live-view-shield\" title=\"read-only view\" \
                 style=\"position:absolute;inset:0;cursor:not-allowed;background:transparent\"></div>\
                 <span style=\"position:absolute;right:6px;top:6px;font:11px sans-serif;background:#333;color:#fff;\
                 padding:1px 6px;border-radius:3px;opacity:.8\">view only</span>"
            );
        } else {
            let _ = write!(
                out,
                "<iframe src=\"{url}\" width=\"{w}\" height=\"{h}\" title=\"Enigma live view\" \
                 allow=\"clipboard-read; clipboard-write\" style=\"border:0\"></iframe>"
            );
        }
        let _ = write!(
            out,
            "</div><div style=\"font:12px sans-serif\"><a href=\"{url}\" target=\"_blank\" rel=\"noopener\">{}</a></div>",
            text(&self.url)
        );
        out
    }
}
