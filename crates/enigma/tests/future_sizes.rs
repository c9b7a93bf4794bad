//! A backend holding thousands of sessions holds thousands of waiters (issue 23): each one's
//! future is allocated whole for its whole life, however rarely it connects, polls or stops. The
//! wait keeps those paths' large states (a socket's connect, an HTTP request) in boxes of their
//! own while they run, so an idle waiter stays small. One unboxed connect made it 14.8 KB.

use enigma::{Client, WaitOptions};

/// Room for the wait's own state, with margin for the compiler's layout (about 1 KB today).
const WAITER_BYTES_AT_MOST: usize = 2048;

fn client() -> Client {
    // Never contacted: the futures are measured, not run.
    Client::builder().api_key("enig_futuresizes00000000000000000").base_url("http://127.0.0.1:9").build().unwrap()
}

#[tokio::test]
async fn an_idle_waiter_stays_small() {
    let client = client();
    let task = client.task("session-1", "task-1").unwrap();
    let waiting = task.result(WaitOptions::new());
    assert!(
        std::mem::size_of_val(&waiting) <= WAITER_BYTES_AT_MOST,
        "Task::result's future is {} bytes",
        std::mem::size_of_val(&waiting)
    );
    let watched = task.result_with_progress(WaitOptions::new(), |_| {});
    assert!(
        std::mem::size_of_val(&watched) <= WAITER_BYTES_AT_MOST,
        "Task::result_with_progress's future is {} bytes",
        std::mem::size_of_val(&watched)
    );
}
