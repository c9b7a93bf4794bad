//! The `message` objects of `/start/send-message` and the socket (contract §3), as one enum.

use serde::Serialize;

use super::error::{Error, Result};
use super::options::TaskOptions;
use super::spelling::Spelling;

/// A command to a session. Serialises to the contract's `message` object.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "actionType")]
pub enum Message {
    /// Start a task (`newState: "start"`).
    #[serde(rename = "newTask")]
    NewTask(NewTask),
    /// Pause, resume, stop or terminate.
    #[serde(rename = "state")]
    State {
        /// The command.
        #[serde(rename = "newState")]
        new_state: StateCommand,
    },
    /// Manual control of the browser.
    #[serde(rename = "interaction")]
    Interaction {
        /// What to do.
        action: Interaction,
    },
    /// The human's answer to a guardrail question.
    #[serde(rename = "guardrail")]
    Guardrail {
        /// The answer.
        #[serde(rename = "taskDetails")]
        task_details: String,
        /// Go on (`resume`) or end the task (`stop`).
        #[serde(rename = "newState")]
        new_state: GuardrailDecision,
    },
}

/// The body of a `newTask` message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewTask {
    #[serde(rename = "newState")]
    new_state: &'static str,
    #[serde(flatten)]
    options: TaskOptions,
}

impl NewTask {
    pub(crate) fn new(options: TaskOptions) -> NewTask {
        NewTask { new_state: "start", options }
    }

    /// The task's options.
    pub fn options(&self) -> &TaskOptions {
        &self.options
    }
}

/// A state command (contract §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StateCommand {
    /// Pause after the current action.
    Pause,
    /// Continue a paused task.
    Resume,
    /// End the current task; the session stays.
    Stop,
    /// End the session.
    Terminate,
}

impl StateCommand {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            StateCommand::Pause => "pause",
            StateCommand::Resume => "resume",
            StateCommand::Stop => "stop",
            StateCommand::Terminate => "terminate",
        }
    }
}

/// The commands a session takes without arguments, each one message (a state command or an
/// interaction). The bindings send them by name (`SessionCommand::name`), so this list is
/// the one place they are spelled; each language's test checks its public methods against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionCommand {
    /// [`Session::pause`](crate::Session::pause).
    Pause,
    /// [`Session::resume`](crate::Session::resume).
    Resume,
    /// [`Session::stop`](crate::Session::stop).
    Stop,
    /// [`Session::take_over`](crate::Session::take_over).
    TakeOver,
    /// [`Session::release`](crate::Session::release).
    Release,
}

impl SessionCommand {
    /// Every command.
    pub const ALL: [SessionCommand; 5] = [Self::Pause, Self::Resume, Self::Stop, Self::TakeOver, Self::Release];

    /// The canonical (snake_case) name: the method's name in Rust and Python.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pause => "pause",
            Self::Resume => "resume",
            Self::Stop => "stop",
            Self::TakeOver => "take_over",
            Self::Release => "release",
        }
    }

    /// The command a binding names in its spelling (`take_over` / `takeOver`); a validation
    /// error naming `command` for any other name.
    #[cfg_attr(not(feature = "binding"), allow(dead_code))]
    pub(crate) fn named(name: &str, spelling: Spelling) -> Result<SessionCommand> {
        Self::ALL.into_iter().find(|c| spelling.spell(c.name()) == name).ok_or_else(|| {
            let known: Vec<String> = Self::ALL.iter().map(|c| spelling.spell(c.name())).collect();
            Error::validation("command", format!("unknown command '{name}' (known: {})", known.join(", ")))
        })
    }

    /// The message that carries it.
    pub(crate) fn message(self) -> Message {
        match self {
            Self::Pause => Message::State { new_state: StateCommand::Pause },
            Self::Resume => Message::State { new_state: StateCommand::Resume },
            Self::Stop => Message::State { new_state: StateCommand::Stop },
            Self::TakeOver => Message::Interaction { action: Interaction::TakeOverControl },
            Self::Release => Message::Interaction { action: Interaction::ReleaseControl },
        }
    }
}

/// The answer to a guardrail: go on or stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GuardrailDecision {
    /// The task goes on with the answer.
    Resume,
    /// The task ends.
    Stop,
}

/// How [`Session::type_text`](crate::Session::type_text) types.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Typing {
    /// All at once (the service's default).
    #[default]
    Instant,
    /// Key by key, with human-like timing.
    HumanLike,
}

/// A manual browser action (contract §3.2).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum Interaction {
    /// Take manual control (pauses the agent).
    #[serde(rename = "takeOverControl")]
    TakeOverControl,
    /// Give control back to the agent.
    #[serde(rename = "releaseControl")]
    ReleaseControl,
    /// Click at window coordinates.
    #[serde(rename = "CLICK")]
    Click {
        /// 0–1024.
        x: u32,
        /// 155–755 (the browser chrome is 155 px tall).
        y: u32,
    },
    /// Double-click at window coordinates.
    #[serde(rename = "DOUBLE_CLICK")]
    DoubleClick {
        /// 0–1024.
        x: u32,
        /// 155–755.
        y: u32,
    },
    /// Type text.
    #[serde(rename = "TYPE")]
    Type {
        /// The text, non-empty.
        text: String,
        /// Type with human-like timing.
        #[serde(rename = "humanLike", skip_serializing_if = "Option::is_none")]
        human_like: Option<bool>,
    },
    /// Press one key: Enter, Escape, Tab, Backspace, Delete, arrows, PageUp/PageDown, Home,
    /// End, or one character.
    #[serde(rename = "KEY_PRESS")]
    KeyPress {
        /// The key.
        key: String,
    },
}

impl Message {
    /// The `actionType` and sub-command, e.g. `state:pause`, for logs.
    pub fn label(&self) -> String {
        match self {
            Message::NewTask(_) => "newTask".to_owned(),
            Message::State { new_state } => format!("state:{}", new_state.as_str()),
            Message::Interaction { action } => format!("interaction:{}", action.type_name()),
            Message::Guardrail { new_state, .. } => match new_state {
                GuardrailDecision::Resume => "guardrail:resume".to_owned(),
                GuardrailDecision::Stop => "guardrail:stop".to_owned(),
            },
        }
    }

    /// Whether sending this twice does the same as sending it once. Such messages may be
    /// retried after a lost answer; others (a task, a click, typed text) may not.
    pub fn is_idempotent(&self) -> bool {
        match self {
            Message::State { .. } => true,
            Message::Interaction { action } => {
                matches!(action, Interaction::TakeOverControl | Interaction::ReleaseControl)
            }
            Message::NewTask(_) | Message::Guardrail { .. } => false,
        }
    }
}

impl Interaction {
    /// The wire `type`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Interaction::TakeOverControl => "takeOverControl",
            Interaction::ReleaseControl => "releaseControl",
            Interaction::Click { .. } => "CLICK",
            Interaction::DoubleClick { .. } => "DOUBLE_CLICK",
            Interaction::Type { .. } => "TYPE",
            Interaction::KeyPress { .. } => "KEY_PRESS",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serialises_to_the_contract_shapes() {
        let task = Message::NewTask(NewTask::new(
            TaskOptions::new("Find laptops").max_duration(std::time::Duration::from_secs(60)),
        ));
        assert_eq!(
            serde_json::to_value(&task).unwrap(),
            json!({"actionType":"newTask","newState":"start","taskDetails":"Find laptops","maxDuration":60000})
        );
        let pause = Message::State { new_state: StateCommand::Pause };
        assert_eq!(serde_json::to_value(&pause).unwrap(), json!({"actionType":"state","newState":"pause"}));
        let click = Message::Interaction { action: Interaction::Click { x: 10, y: 200 } };
        assert_eq!(
            serde_json::to_value(&click).unwrap(),
            json!({"actionType":"interaction","action":{"type":"CLICK","x":10,"y":200}})
        );
        let typed = Message::Interaction { action: Interaction::Type { text: "hi".into(), human_like: Some(true) } };
        assert_eq!(
            serde_json::to_value(&typed).unwrap(),
            json!({"actionType":"interaction","action":{"type":"TYPE","text":"hi","humanLike":true}})
        );
        let take = Message::Interaction { action: Interaction::TakeOverControl };
        assert_eq!(
            serde_json::to_value(&take).unwrap(),
            json!({"actionType":"interaction","action":{"type":"takeOverControl"}})
        );
        let answer = Message::Guardrail { task_details: "use guest".into(), new_state: GuardrailDecision::Resume };
        assert_eq!(
            serde_json::to_value(&answer).unwrap(),
            json!({"actionType":"guardrail","taskDetails":"use guest","newState":"resume"})
        );
        assert_eq!(answer.label(), "guardrail:resume");
    }

    #[test]
    fn session_commands_are_named_per_language_and_send_their_message() {
        assert_eq!(SessionCommand::named("take_over", Spelling::Snake).unwrap(), SessionCommand::TakeOver);
        assert_eq!(SessionCommand::named("takeOver", Spelling::Camel).unwrap(), SessionCommand::TakeOver);
        let err = SessionCommand::named("takeOver", Spelling::Snake).unwrap_err().to_string();
        assert!(err.contains("command") && err.contains("take_over"), "{err}");
        let wire = |c: SessionCommand| serde_json::to_value(c.message()).unwrap();
        assert_eq!(wire(SessionCommand::Pause), json!({"actionType": "state", "newState": "pause"}));
        assert_eq!(
            wire(SessionCommand::Release),
            json!({"actionType": "interaction", "action": {"type": "releaseControl"}})
        );
    }
}
