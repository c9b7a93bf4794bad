//! Live events of a session (contract §4), as one typed enum. The stream that yields them is
//! `handle::event_stream`; the live connection makes them from socket events.

use serde::Serialize;
use serde_json::Value;

use super::usage::Usage;

/// One live event. Serialises (for the bindings) as an object with a snake_case `type`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// The agent's live reasoning (`message` of type `agent`).
    AgentThought {
        /// The task, when the service names it.
        task_id: Option<String>,
        /// The thought.
        content: String,
        /// The payload as received.
        raw: Value,
    },
    /// A browser action the agent takes (`action`).
    Action {
        /// The task, when named.
        task_id: Option<String>,
        /// What it does, e.g. `click_element`.
        name: String,
        /// What it acts on, e.g. `search button`.
        target: Option<String>,
        /// The payload as received.
        raw: Value,
    },
    /// A progress message (`response_update`).
    ResponseUpdate {
        /// The task, when named.
        task_id: Option<String>,
        /// The message.
        message: String,
        /// The payload as received.
        raw: Value,
    },
    /// The task finished (`task_completed`).
    TaskCompleted {
        /// The task, when named.
        task_id: Option<String>,
        /// The agent's final message.
        message: String,
        /// Usage and cost.
        usage: Usage,
        /// The payload as received.
        raw: Value,
    },
    /// The agent needs a human (`guardrail_trigger`).
    Guardrail {
        /// The task, when named.
        task_id: Option<String>,
        /// The agent's question.
        question: String,
        /// The payload as received.
        raw: Value,
    },
    /// The task failed (`error`).
    TaskError {
        /// The task, when named.
        task_id: Option<String>,
        /// The service's code, e.g. `NAVIGATION_TIMEOUT`.
        code: String,
        /// The service's text.
        error: String,
        /// The payload as received.
        raw: Value,
    },
    /// The session ended (`end_session`): `completed`, `terminated`, `expired`,
    /// `terminateOnCompletion` or `instance_lost`.
    SessionEnded {
        /// Why.
        reason: String,
        /// The service's text.
        message: Option<String>,
        /// The payload as received.
        raw: Value,
    },
    /// The browser instance lost its connection (`instance:disconnected`); it has
    /// `grace_period_ms` to come back.
    InstanceDisconnected {
        /// The service's text.
        message: Option<String>,
        /// How long the instance may stay away, ms.
        grace_period_ms: Option<u64>,
        /// The payload as received.
        raw: Value,
    },
    /// The browser instance is back (`instance:reconnected`).
    InstanceReconnected {
        /// The service's text.
        message: Option<String>,
        /// The payload as received.
        raw: Value,
    },
    /// The live connection is (again) up. Events missed while it was down are not replayed.
    Connected,
    /// The live connection dropped; `will_reconnect` says whether the SDK tries again.
    Disconnected {
        /// Why, in Socket.IO's words (`transport close`, `io server disconnect`...).
        reason: String,
        /// Whether a reconnection follows.
        will_reconnect: bool,
    },
    /// A reconnection attempt starts.
    Reconnecting {
        /// 1-based attempt number.
        attempt: u32,
    },
    /// The service refused the live connection (e.g. the session no longer exists).
    ConnectError {
        /// The service's text.
        message: String,
    },
    /// This stream's reader fell behind and `missed` events were dropped before it read them
    /// (each stream holds up to 1,024 unread events, then drops the oldest). The stream goes on
    /// with the newest events. Task waits are not affected: a wait whose own view has a gap
    /// asks the service over REST.
    Lagged {
        /// How many events this stream skipped.
        missed: u64,
    },
    /// An event this SDK does not know, passed through untouched.
    Raw {
        /// The Socket.IO event name.
        name: String,
        /// Its payload.
        payload: Value,
    },
}

/// Declares [`EventKind`] and its [`EventKind::ALL`] from one list, complete by construction.
macro_rules! event_kinds {
    ($( $variant:ident = $text:literal, )*) => {
        /// The kind of an [`Event`]: its `type` in the serialised form. The bindings export
        /// [`EventKind::ALL`] (`enigma._native.EVENT_TYPES`, Node's `eventTypes()`) and a test
        /// in each language fails when a kind has no event class or type there.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum EventKind {
            $(
                #[doc = concat!("[`Event::", stringify!($variant), "`]: `", $text, "`.")]
                $variant,
            )*
        }

        impl EventKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [EventKind] = &[$(EventKind::$variant),*];

            /// The `type` of the serialised event, e.g. `agent_thought`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(EventKind::$variant => $text,)*
                }
            }
        }

        impl Event {
            /// This event's kind.
            pub fn kind(&self) -> EventKind {
                match self {
                    $(Event::$variant { .. } => EventKind::$variant,)*
                }
            }
        }
    };
}

event_kinds! {
    AgentThought = "agent_thought",
    Action = "action",
    ResponseUpdate = "response_update",
    TaskCompleted = "task_completed",
    Guardrail = "guardrail",
    TaskError = "task_error",
    SessionEnded = "session_ended",
    InstanceDisconnected = "instance_disconnected",
    InstanceReconnected = "instance_reconnected",
    Connected = "connected",
    Disconnected = "disconnected",
    Reconnecting = "reconnecting",
    ConnectError = "connect_error",
    Lagged = "lagged",
    Raw = "raw",
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Event {
    /// Reads one Socket.IO event of the service. Never fails: unknown shapes become [`Event::Raw`].
    #[cfg_attr(not(feature = "live"), allow(dead_code))]
    pub(crate) fn from_socket(name: &str, payload: Value) -> Event {
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        let data = payload.get("data").cloned().unwrap_or(Value::Null);
        let task_id = text(&payload, "taskId");
        match (name, payload.get("type").and_then(Value::as_str)) {
            ("message", Some("agent")) => match text(&payload, "content") {
                Some(content) => Event::AgentThought { task_id, content, raw: payload },
                None => Event::Raw { name: name.to_owned(), payload },
            },
            ("message", Some("action")) => Event::Action {
                task_id,
                name: text(&data, "name").unwrap_or_default(),
                target: text(&data, "target"),
                raw: payload,
            },
            ("message", Some("response_update")) => {
                Event::ResponseUpdate { task_id, message: text(&data, "message").unwrap_or_default(), raw: payload }
            }
            ("message", Some("task_completed")) => Event::TaskCompleted {
                task_id,
                message: text(&data, "message").unwrap_or_default(),
                usage: Usage::from_body(&payload),
                raw: payload,
            },
            ("message", Some("guardrail_trigger")) => Event::Guardrail {
                task_id,
                question: text(&data, "value").or_else(|| text(&data, "message")).unwrap_or_default(),
                raw: payload,
            },
            ("message", Some("error")) => Event::TaskError {
                task_id,
                code: text(&payload, "code").unwrap_or_else(|| "UNKNOWN".to_owned()),
                error: text(&payload, "error").or_else(|| text(&payload, "message")).unwrap_or_default(),
                raw: payload,
            },
            ("end_session", _) => Event::SessionEnded {
                reason: text(&payload, "reason").unwrap_or_else(|| "unknown".to_owned()),
                message: text(&payload, "message"),
                raw: payload,
            },
            ("instance:disconnected", _) => Event::InstanceDisconnected {
                message: text(&payload, "message"),
                grace_period_ms: payload.get("gracePeriod").and_then(Value::as_u64),
                raw: payload,
            },
            ("instance:reconnected", _) => {
                Event::InstanceReconnected { message: text(&payload, "message"), raw: payload }
            }
            _ => Event::Raw { name: name.to_owned(), payload },
        }
    }

    /// The task a `message` event belongs to, when the service named it.
    pub fn task_id(&self) -> Option<&str> {
        match self {
            Event::AgentThought { task_id, .. }
            | Event::Action { task_id, .. }
            | Event::ResponseUpdate { task_id, .. }
            | Event::TaskCompleted { task_id, .. }
            | Event::Guardrail { task_id, .. }
            | Event::TaskError { task_id, .. } => task_id.as_deref(),
            Event::Raw { payload, .. } => payload.get("taskId").and_then(Value::as_str),
            _ => None,
        }
    }

    /// The event as JSON (the form the bindings hand to Python and Node).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_documented_event_is_typed_and_unknown_ones_pass_through() {
        let ev = |name: &str, payload: Value| Event::from_socket(name, payload);
        assert!(
            matches!(ev("message", json!({"type":"agent","content":"thinking"})), Event::AgentThought { content, .. } if content == "thinking")
        );
        assert!(
            matches!(ev("message", json!({"type":"action","data":{"name":"click_element","target":"search"}})), Event::Action { name, target: Some(t), .. } if name == "click_element" && t == "search")
        );
        assert!(matches!(
            ev("message", json!({"type":"response_update","data":{"message":"m"}})),
            Event::ResponseUpdate { .. }
        ));
        let done =
            ev("message", json!({"type":"task_completed","taskId":"t1","data":{"message":"ok","usage":{"cost":0.2}}}));
        assert!(matches!(&done, Event::TaskCompleted { usage, .. } if usage.cost == Some(0.2)));
        assert_eq!(done.task_id(), Some("t1"));
        assert!(
            matches!(ev("message", json!({"type":"guardrail_trigger","data":{"type":"human_input_needed","value":"q?"}})), Event::Guardrail { question, .. } if question == "q?")
        );
        assert!(
            matches!(ev("message", json!({"type":"error","error":"x","code":"PAGE_CRASH"})), Event::TaskError { code, .. } if code == "PAGE_CRASH")
        );
        assert!(
            matches!(ev("end_session", json!({"type":"end_session","reason":"expired"})), Event::SessionEnded { reason, .. } if reason == "expired")
        );
        assert!(matches!(
            ev("instance:disconnected", json!({"gracePeriod":300000})),
            Event::InstanceDisconnected { grace_period_ms: Some(300000), .. }
        ));
        assert!(matches!(ev("instance:reconnected", json!({})), Event::InstanceReconnected { .. }));
        assert!(matches!(ev("message", json!({"type":"mystery"})), Event::Raw { .. }));
        assert!(matches!(ev("other", json!(1)), Event::Raw { .. }));
        assert_eq!(ev("message", json!({"type":"agent","content":"c"})).to_json()["type"], "agent_thought");
        // The SDK's own events: a stream that fell behind says by how much.
        assert_eq!(Event::Lagged { missed: 7 }.to_json(), json!({"type": "lagged", "missed": 7}));
    }

    /// One event of each kind. The `match` is exhaustive over [`EventKind`], and
    /// [`Event::kind`] over [`Event`]: a new variant on either side fails to compile until both
    /// know it; the test then checks the serialised `type` is the kind's text.
    fn sample(kind: EventKind) -> Event {
        let raw = json!({});
        match kind {
            EventKind::AgentThought => Event::AgentThought { task_id: None, content: String::new(), raw },
            EventKind::Action => Event::Action { task_id: None, name: String::new(), target: None, raw },
            EventKind::ResponseUpdate => Event::ResponseUpdate { task_id: None, message: String::new(), raw },
            EventKind::TaskCompleted => {
                Event::TaskCompleted { task_id: None, message: String::new(), usage: Usage::default(), raw }
            }
            EventKind::Guardrail => Event::Guardrail { task_id: None, question: String::new(), raw },
            EventKind::TaskError => Event::TaskError { task_id: None, code: String::new(), error: String::new(), raw },
            EventKind::SessionEnded => Event::SessionEnded { reason: String::new(), message: None, raw },
            EventKind::InstanceDisconnected => {
                Event::InstanceDisconnected { message: None, grace_period_ms: None, raw }
            }
            EventKind::InstanceReconnected => Event::InstanceReconnected { message: None, raw },
            EventKind::Connected => Event::Connected,
            EventKind::Disconnected => Event::Disconnected { reason: String::new(), will_reconnect: false },
            EventKind::Reconnecting => Event::Reconnecting { attempt: 1 },
            EventKind::ConnectError => Event::ConnectError { message: String::new() },
            EventKind::Lagged => Event::Lagged { missed: 1 },
            EventKind::Raw => Event::Raw { name: String::new(), payload: raw },
        }
    }

    #[test]
    fn every_kind_is_listed_once_and_is_the_serialised_type() {
        let texts: std::collections::HashSet<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(texts.len(), EventKind::ALL.len());
        for &kind in EventKind::ALL {
            let event = sample(kind);
            assert_eq!(event.kind(), kind);
            assert_eq!(event.to_json()["type"], kind.as_str());
            assert_eq!(serde_json::to_value(kind).unwrap(), json!(kind.as_str()));
        }
    }
}
