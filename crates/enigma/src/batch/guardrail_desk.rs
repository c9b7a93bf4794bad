//! Guardrail questions handed out by token, for hosts that answer them from elsewhere (the
//! Python and Node bindings answer from the caller's thread): the handler the desk makes queues
//! each question with a token and waits; the host takes questions off [`GuardrailDesk::next_question`]
//! and answers with [`GuardrailDesk::answer`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, oneshot};

use super::options::{GuardrailHandler, GuardrailQuestion};

type Pending = Arc<Mutex<HashMap<u32, oneshot::Sender<Option<String>>>>>;

/// The questions of a batch waiting for a host's answer.
pub struct GuardrailDesk {
    questions: tokio::sync::Mutex<mpsc::UnboundedReceiver<(u32, GuardrailQuestion)>>,
    pending: Pending,
}

impl GuardrailDesk {
    /// A desk, and the handler to give the batch (`BatchOptions::on_guardrail`).
    pub fn new() -> (GuardrailDesk, GuardrailHandler) {
        let (question_tx, question_rx) = mpsc::unbounded_channel();
        let pending: Pending = Arc::default();
        let (tokens, waiting) = (AtomicU32::new(0), pending.clone());
        let handler: GuardrailHandler = Arc::new(move |question| {
            let token = tokens.fetch_add(1, Ordering::SeqCst);
            let (tx, rx) = oneshot::channel();
            waiting.lock().unwrap_or_else(|e| e.into_inner()).insert(token, tx);
            let _ = question_tx.send((token, question));
            // No answer (the desk or the sender dropped) ends the task with outcome `guardrail`.
            Box::pin(async move { rx.await.ok().flatten() })
        });
        (GuardrailDesk { questions: tokio::sync::Mutex::new(question_rx), pending }, handler)
    }

    /// The next question with its token; None once the batch (the handler) is gone.
    /// Cancellation-safe: a question is never lost by a cancelled call.
    pub async fn next_question(&self) -> Option<(u32, GuardrailQuestion)> {
        self.questions.lock().await.recv().await
    }

    /// Answers question `token`: a text resumes the task with it, None ends it with outcome
    /// `guardrail`. False when no such question waits.
    pub fn answer(&self, token: u32, text: Option<String>) -> bool {
        let sender = self.pending.lock().unwrap_or_else(|e| e.into_inner()).remove(&token);
        sender.is_some_and(|tx| tx.send(text).is_ok())
    }

    /// Ends every waiting question unanswered (their tasks end with outcome `guardrail`).
    pub fn drop_pending(&self) {
        self.pending.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}
