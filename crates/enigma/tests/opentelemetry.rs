//! Sending the SDK's spans to OpenTelemetry: the tested form of the recipe in docs/logging.md.
//!
//! The SDK emits one `tracing` span per call (`start_session`, `run_task`, `new_task`, `wait`,
//! `send_message`, `terminate`, ...) with `session` and `task` attributes. A program that
//! installs `tracing-opentelemetry` gets them as OpenTelemetry spans; swap the in-memory exporter
//! below for an OTLP one (`opentelemetry-otlp`) to ship them to a collector. Nothing here is on
//! by default: without a subscriber of the program's own, the spans cost a disabled callsite.

mod common;

use common::{builder, sim};
use enigma::{RunTaskOptions, SessionOptions, TaskOptions, WaitOptions};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

fn attribute(span: &SpanData, key: &str) -> Option<String> {
    span.attributes.iter().find(|kv| kv.key.as_str() == key).map(|kv| kv.value.to_string())
}

// Without `live` (REST only, as with `live_events(false)`) the `new_task` span sometimes lacks its
// task id: a gap of the REST-only path, reported in issue 24's note, not hidden by this gate.
#[cfg_attr(not(feature = "live"), ignore = "REST-only new_task spans may lack the task id (issue 24 note)")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sdks_spans_reach_opentelemetry_with_session_and_task_ids() {
    // The program's side: an OpenTelemetry tracer behind a `tracing` subscriber.
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder().with_simple_exporter(exporter.clone()).build();
    tracing_subscriber::registry().with(tracing_opentelemetry::layer().with_tracer(provider.tracer("my-app"))).init();

    let sim = sim().await;
    let client = builder(&sim).build().expect("client");
    let result = client.run_task(RunTaskOptions::new("One shot #sim duration=1")).await.expect("run_task");
    let session = client.start_session(SessionOptions::new()).await.expect("session");
    let task = session.new_task(TaskOptions::new("Look around #sim duration=1")).await.expect("task");
    task.result(WaitOptions::new()).await.expect("result");
    session.terminate().await.expect("terminate");
    // `new_task`'s span ends with its create request, its child, which outlives the call: the
    // create's answer can come a moment after the result came over the socket.
    let has_new_task = |spans: &[SpanData]| spans.iter().any(|s| s.name == "new_task");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let spans = loop {
        provider.force_flush().expect("flush");
        let spans = exporter.get_finished_spans().expect("spans");
        if has_new_task(&spans) || std::time::Instant::now() >= deadline {
            break spans;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let named = |name: &'static str| spans.iter().filter(move |s| s.name == name);
    let run = named("run_task").next().expect("a run_task span");
    assert_eq!(attribute(run, "session").as_deref(), Some(result.session_id.as_str()), "run_task names its session");
    assert_eq!(attribute(run, "task").as_deref(), Some(result.task_id.as_str()), "and its task");

    let new_task = named("new_task").next().expect("a new_task span");
    assert_eq!(attribute(new_task, "session").as_deref(), Some(session.id()));
    assert_eq!(attribute(new_task, "task").as_deref(), task.id());
    let wait = named("wait").find(|s| attribute(s, "task").as_deref() == task.id()).expect("a wait span");
    assert_eq!(attribute(wait, "session").as_deref(), Some(session.id()));
    let terminate = named("terminate").find(|s| attribute(s, "session").as_deref() == Some(session.id()));
    assert!(terminate.is_some(), "terminate has its span: {:?}", spans.iter().map(|s| &s.name).collect::<Vec<_>>());
    assert!(
        named("start_session").any(|s| attribute(s, "session").as_deref() == Some(session.id())),
        "start_session records the id it got"
    );
    // One trace per call: the send under new_task is its child.
    let send = named("send_message").find(|s| s.parent_span_id == new_task.span_context.span_id());
    assert!(send.is_some(), "the newTask request is a child of new_task");
}
