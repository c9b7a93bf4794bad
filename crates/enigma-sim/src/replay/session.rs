//! One session's replay: a clock over the recording that runs at the time scale but never past
//! the next request the program has not sent yet; the recorded writes (POSTs and socket
//! commands) taken in order; the events due by the clock.

use std::sync::Arc;

use serde_json::{Value, json};
use socketioxide::extract::SocketRef;
use tokio::time::Instant;

use super::difference::{Write, describe};
use super::recording::{Http, Kind, Recording};

/// How long a wait lasts when only another send can end it (which wakes every waiter).
const LONG_WAIT: std::time::Duration = std::time::Duration::from_secs(3600);
/// Two writes this close (recording seconds) were sent at once: either order replays.
const SENT_TOGETHER: f64 = 0.05;
/// How far apart two of the recording's times can be and still be the same moment: each is
/// rounded to the microsecond, and an answer's time is a sum of two rounded ones. (Recordings
/// of earlier releases are rounded to the millisecond: there, a write sent the same
/// millisecond as an answer came counts as sent before it, as a program that did not wait.)
const SAME_MOMENT: f64 = 0.000_002;

pub(crate) struct SessionReplay {
    pub recording: Arc<Recording>,
    scale: f64,
    /// The recorded writes in the order they were sent: (index of the record, what it did).
    writes: Vec<(usize, Write)>,
    pub next_write: usize,
    /// What the run received (events, and the answers of its POSTs) in the order it received
    /// them: the replay sends them in that order too. Each is sent once (`sent`); `next_send`
    /// is the first not sent yet.
    sends: Vec<usize>,
    sent: Vec<bool>,
    next_send: usize,
    /// The POST answers the program is waiting for (writes taken, answers not sent yet): the
    /// record, and when the run received the answer (recording seconds).
    awaited: Vec<(usize, f64)>,
    /// (a real instant, the recording's time then): the clock runs from there.
    anchor: (Instant, f64),
    /// The first difference, once the program did something the recording did not.
    pub diverged: Option<String>,
    pub sockets: Vec<SocketRef>,
    /// Events due while no socket was connected, sent when one connects (a replay serves every
    /// event the run saw, whenever its program connects).
    pub held: Vec<(String, Value)>,
}

/// What a write gets back.
pub(crate) enum Taken {
    /// A recorded REST answer (record `index`), due when the clock reaches `at` and what the run
    /// received before it was sent.
    Answer { index: usize, http: Http, at: f64 },
    /// A recorded socket command: nothing to answer.
    Command,
}

/// The recorded writes in the order they were sent: (index of the record, what it did).
pub(crate) fn writes_of(recording: &Recording) -> impl Iterator<Item = (usize, Write)> + '_ {
    recording.records.iter().enumerate().filter_map(|(i, record)| match &record.kind {
        Kind::Http(http) if http.method == "POST" => {
            Some((i, Write::Post { path: http.path.clone(), body: http.request.clone().unwrap_or(Value::Null) }))
        }
        Kind::Command { data } => Some((i, Write::Command { message: data.clone() })),
        _ => None,
    })
}

impl SessionReplay {
    pub(crate) fn new(recording: Arc<Recording>, scale: f64, now: Instant) -> SessionReplay {
        let writes = writes_of(&recording).collect();
        let mut sends: Vec<usize> = (0..recording.records.len())
            .filter(|&i| match &recording.records[i].kind {
                Kind::Event { .. } => true,
                Kind::Http(http) => http.method == "POST",
                Kind::Command { .. } => false,
            })
            .collect();
        sends.sort_by_key(|&i| recording.records[i].line);
        let sent = vec![false; sends.len()];
        SessionReplay {
            recording,
            scale,
            writes,
            next_write: 0,
            sends,
            sent,
            next_send: 0,
            awaited: Vec::new(),
            anchor: (now, 0.0),
            diverged: None,
            sockets: Vec::new(),
            held: Vec::new(),
        }
    }

    /// How many writes the recording has.
    pub(crate) fn writes_expected(&self) -> usize {
        self.writes.len()
    }

    /// The time of the next write not yet sent: the clock waits there for the program.
    fn limit(&self) -> f64 {
        self.writes.get(self.next_write).map_or(f64::INFINITY, |(i, _)| self.recording.records[*i].t)
    }

    /// The recording's time now.
    pub(crate) fn position(&self, now: Instant) -> f64 {
        let ran = now.saturating_duration_since(self.anchor.0).as_secs_f64() / self.scale;
        (self.anchor.1 + ran).min(self.limit())
    }

    /// Real time until the clock reaches `t`; `None` while it waits for a write first.
    pub(crate) fn until(&self, t: f64, now: Instant) -> Option<std::time::Duration> {
        let position = self.position(now);
        if position >= t {
            return Some(std::time::Duration::ZERO);
        }
        (t <= self.limit()).then(|| std::time::Duration::from_secs_f64((t - position) * self.scale))
    }

    /// Whether `got` is not the next recorded write but the one after it, and the two left the
    /// program at once (within [`SENT_TOGETHER`]): a create still going out while a socket
    /// command left may reach the service in either order, in a run as in its replay.
    fn sent_together_with_the_next(&self, got: &Write) -> bool {
        let (Some((first, expected)), Some((second, next))) =
            (self.writes.get(self.next_write), self.writes.get(self.next_write + 1))
        else {
            return false;
        };
        let gap = self.recording.records[*second].t - self.recording.records[*first].t;
        !expected.matches(got) && next.matches(got) && gap.abs() <= SENT_TOGETHER
    }

    /// Takes the next recorded write if `got` does what it did; else the first difference.
    pub(crate) fn take(&mut self, got: &Write, now: Instant) -> Result<Taken, String> {
        let id = &self.recording.session_id;
        if let Some(first) = &self.diverged {
            // The program's own cleanup (a `with` block, `terminate_open_sessions`) ends the
            // session it opened: the difference is kept, and the cleanup does not fail on it.
            if got.is_terminate() {
                return Ok(Taken::Command);
            }
            return Err(format!("the replay of session {id} stopped at its first difference: {first}"));
        }
        if self.sent_together_with_the_next(got) {
            self.writes.swap(self.next_write, self.next_write + 1);
        }
        let Some((index, expected)) = self.writes.get(self.next_write) else {
            let why = format!("expected nothing more in session {id} (its recording ends), got {}", got.gist());
            self.diverged = Some(why.clone());
            return Err(why);
        };
        if !expected.matches(got) {
            let why = describe(expected, got);
            self.diverged = Some(why.clone());
            return Err(why);
        }
        let record = &self.recording.records[*index];
        let position = self.position(now).max(record.t);
        self.anchor = (now, position);
        self.next_write += 1;
        let index = *index;
        Ok(match &record.kind {
            Kind::Http(http) if matches!(got, Write::Post { .. }) => {
                let received = record.t + http.ms / 1000.0;
                self.awaited.push((index, received));
                Taken::Answer { index, http: http.clone(), at: received }
            }
            Kind::Http(_) => {
                // Sent over the socket this time: its REST answer has no one to go to.
                self.mark_sent(index);
                Taken::Command
            }
            Kind::Command { .. } => Taken::Command,
            Kind::Event { .. } => unreachable!("a write is an exchange or a command"),
        })
    }

    /// The next event due now, or how long until it is (`None`: all sent). An answer the
    /// run received before the event goes first (its handler sends it).
    pub(crate) fn due_event(&mut self, now: Instant) -> Result<(String, Value), Option<std::time::Duration>> {
        let Some(&index) = self.sends.get(self.next_send) else { return Err(None) };
        let record = &self.recording.records[index];
        let Kind::Event { name, data } = &record.kind else { return Err(Some(LONG_WAIT)) };
        match self.until(self.owed(self.next_send, record.t), now) {
            Some(wait) if wait.is_zero() => {
                let event = (name.clone(), data.clone());
                self.mark_sent(index);
                Ok(event)
            }
            wait => Err(Some(wait.unwrap_or(LONG_WAIT))),
        }
    }

    /// Whether the answer of record `index` may go now: its turn has come and the clock is at
    /// `at`; then it counts as sent. Else how long to wait (at most; a send may come first).
    pub(crate) fn answer_now(&mut self, index: usize, at: f64, now: Instant) -> Result<(), std::time::Duration> {
        if self.sends.get(self.next_send) != Some(&index) {
            return Err(LONG_WAIT);
        }
        match self.until(self.owed(self.next_send, at), now) {
            Some(wait) if wait.is_zero() => {
                self.mark_sent(index);
                Ok(())
            }
            wait => Err(wait.unwrap_or(LONG_WAIT)),
        }
    }

    /// When the `position`th thing to send is due: at `t`, or by the time of the next write
    /// when that write waits for an answer that comes after this thing. In the run the program
    /// sent the write once it had the answer, and it received this before the answer; the
    /// recording's rounded times can still put this a hair past the write, which must not
    /// leave the two waiting on each other.
    fn owed(&self, position: usize, t: f64) -> f64 {
        let limit = self.limit();
        let write_waits_for_an_answer = self
            .awaited
            .iter()
            .any(|&(index, received)| limit >= received - SAME_MOMENT && self.sends[position..].contains(&index));
        if write_waits_for_an_answer { t.min(limit) } else { t }
    }

    fn mark_sent(&mut self, index: usize) {
        self.awaited.retain(|&(i, _)| i != index);
        if let Some(position) = self.sends.iter().position(|&i| i == index) {
            self.sent[position] = true;
        }
        while self.sent.get(self.next_send) == Some(&true) {
            self.next_send += 1;
        }
    }

    /// Whether everything the run received was sent.
    pub(crate) fn events_done(&self) -> bool {
        self.next_send >= self.sends.len()
    }

    /// A poll's answer at the clock's time: the latest news of the task by then, whichever way
    /// the run heard it (a recorded poll of the same path, an outcome event of the task, a
    /// create's final answer: each is a task-bearing body the SDK reads like a poll); before
    /// any, the first recorded poll, else "still running". Reads never count as differences:
    /// how often a program polls is timing.
    pub(crate) fn read(&self, path: &str, task_id: &str, now: Instant) -> (u16, Value) {
        let position = self.position(now);
        let news = self.recording.records.iter().filter_map(|r| match &r.kind {
            // A poll tells the state when it was asked.
            Kind::Http(h) if h.method == "GET" && h.path == path => {
                Some((r.t, h.status.unwrap_or(502), h.response.clone()))
            }
            Kind::Http(h)
                if h.method == "POST"
                    && h.response["taskId"] == task_id
                    && (h.response.get("result").is_some()
                        || matches!(
                            h.response["status"].as_str(),
                            Some("complete" | "completed" | "failed" | "stopped")
                        )) =>
            {
                Some((r.t + h.ms / 1000.0, 200, h.response.clone()))
            }
            Kind::Event { name, data }
                if name == "message"
                    && data["taskId"] == task_id
                    && matches!(
                        data["type"].as_str(),
                        Some("task_completed" | "guardrail_trigger" | "error" | "task_stopped")
                    ) =>
            {
                let mut body = data.clone();
                body["success"] = Value::Bool(data["type"] != "error");
                Some((r.t, 200, body))
            }
            _ => None,
        });
        let first_poll = self.recording.records.iter().find_map(|r| match &r.kind {
            Kind::Http(h) if h.method == "GET" && h.path == path => Some((h.status.unwrap_or(502), h.response.clone())),
            _ => None,
        });
        let mut latest: Option<(f64, u16, Value)> = None;
        for (t, status, body) in news {
            if t <= position && latest.as_ref().is_none_or(|(at, _, _)| t >= *at) {
                latest = Some((t, status, body));
            }
        }
        // News heard another way, then polled: the poll's body says more (its usage, say).
        let polled_after = |at: f64, news: &Value| {
            self.recording.records.iter().find_map(|r| match &r.kind {
                Kind::Http(h)
                    if h.method == "GET" && h.path == path && r.t >= at && outcome(&h.response) == outcome(news) =>
                {
                    Some((h.status.unwrap_or(502), h.response.clone()))
                }
                _ => None,
            })
        };
        // A question answered since: the task runs again (a poll in the run would have said
        // so; a run that heard its end by an event may have sent none).
        if let Some((at, _, body)) = &latest
            && outcome(body) == Some("guardrail_trigger")
            && self.guardrail_answered_between(*at, position)
        {
            let running = json!({ "success": true, "status": "active", "pending": true, "taskId": task_id });
            return (200, running);
        }
        match (latest, first_poll) {
            (Some((at, status, body)), _) => polled_after(at, &body).unwrap_or((status, body)),
            (None, Some(first)) => first,
            (None, None) => (200, serde_json::json!({ "success": true, "status": "active", "pending": true })),
        }
    }

    /// Whether the program answered a guardrail (a recorded write it sent) after `from` and by
    /// `to` (recording seconds).
    fn guardrail_answered_between(&self, from: f64, to: f64) -> bool {
        self.writes[..self.next_write].iter().any(|(index, write)| {
            let t = self.recording.records[*index].t;
            from < t && t <= to && write.is_guardrail_answer()
        })
    }
}

/// What a task-bearing body says happened, in one word (`guardrail_trigger`, `stopped`...).
fn outcome(body: &Value) -> Option<&str> {
    typed(body).or_else(|| typed(&body["result"])).or_else(|| body["status"].as_str()).map(|o| match o {
        "task_stopped" => "stopped",
        "complete" | "completed" => "task_completed",
        other => other,
    })
}

fn typed(value: &Value) -> Option<&str> {
    value["type"].as_str().filter(|t| *t != "human_input_needed")
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
