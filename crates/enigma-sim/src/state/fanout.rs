//! A session's events to each of its listeners (its sockets, `SimHandle::subscribe`).
//!
//! One unbounded queue per listener rather than a broadcast channel: a broadcast channel
//! allocates its whole capacity when the session opens, and to never drop an event of the largest
//! task (1000 steps of 3 events, at any time scale) it had to hold 4096 slots: most of a simulated
//! session's memory, for events that mostly never come. A queue holds only what a listener has
//! not taken yet, and never drops.

use serde_json::Value;
use tokio::sync::mpsc;

/// The listeners of one session.
#[derive(Debug, Default)]
pub(crate) struct Fanout {
    listeners: Vec<mpsc::UnboundedSender<Value>>,
}

impl Fanout {
    /// A new listener: every event sent from now on, in order, until the session is dropped.
    pub(crate) fn subscribe(&mut self) -> mpsc::UnboundedReceiver<Value> {
        let (sender, receiver) = mpsc::unbounded_channel();
        self.listeners.push(sender);
        receiver
    }

    /// Sends to every listener still listening; forgets the ones that went away.
    pub(crate) fn send(&mut self, event: &Value) {
        self.listeners.retain(|listener| listener.send(event.clone()).is_ok());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listener_gets_every_event_in_order_and_gone_ones_are_forgotten() {
        let mut fanout = Fanout::default();
        let mut first = fanout.subscribe();
        let second = fanout.subscribe();
        drop(second);
        for n in 0..5000 {
            fanout.send(&Value::from(n));
        }
        assert_eq!(fanout.listeners.len(), 1, "the dropped listener is forgotten");
        for n in 0..5000 {
            assert_eq!(first.try_recv().ok(), Some(Value::from(n)));
        }
        drop(fanout);
        assert!(matches!(first.try_recv(), Err(mpsc::error::TryRecvError::Disconnected)));
    }
}
