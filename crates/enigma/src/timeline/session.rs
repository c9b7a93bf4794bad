//! The pictures of what the handles saw: a live session's timeline and live view, a batch feed's timeline.

use super::Timeline;
use super::records::Builder;
use crate::handle::session::Session;
use crate::model::live_view::LiveView;

impl Session {
    /// The session's timeline from what this handle saw so far: the tasks it created, the
    /// commands it sent, the events of its live connection. (A re-attached handle knows only
    /// what it saw itself.)
    pub fn timeline(&self) -> Timeline {
        let mut builder = Builder::new("session");
        builder.session(self.id(), self.live_slot().log().started_at());
        if let Some(text) = self.info().and_then(|info| info.initial_prompt.clone()).filter(|t| !t.is_empty()) {
            let index = builder.start_task(0.0, &text);
            if let Some(id) = self.initial_task().and_then(|task| task.id()) {
                builder.name_task(index, id);
            }
        }
        for record in self.live_slot().log().records() {
            builder.record(&record);
        }
        builder.finish()
    }
}

impl Session {
    /// The live view to embed (the service's `webViewURL` in a frame of the viewport's size);
    /// `None` on a re-attached handle, which has no start answer. `read_only`: a frame that
    /// takes no input (see [`LiveView`]).
    pub fn live_view(&self, read_only: bool) -> Option<LiveView> {
        let url = self.live_view_url()?;
        Some(LiveView::new(url, read_only, self.info().and_then(|info| info.dimensions)))
    }
}

#[cfg(feature = "binding")]
impl crate::batch::BatchFeed {
    /// The picture of the batch so far (the items it handed out, against its budget).
    pub fn timeline(&self) -> Timeline {
        let (items, budget) = self.ended_items();
        Timeline::from_batch_items(&items, budget)
    }
}
