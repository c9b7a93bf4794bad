//! The picture of a [`Timeline`] as HTML: an SVG drawing (a row per task, grouped by session;
//! marks on the bars; commands as vertical lines; the spend as a curve under them, with the
//! budget) and a table of the tasks. No script and nothing fetched: it renders the same in a
//! browser opened from a file, in a notebook and in a sandboxed frame. Everything that came
//! from the service or the user is escaped.

use std::fmt::Write;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::model::{Mark, MarkKind, TaskBar, Timeline};

const WIDTH: f64 = 960.0;
const LABEL: f64 = 230.0;
const PLOT: f64 = WIDTH - LABEL - 20.0;
const ROW: f64 = 26.0;
const AXIS: f64 = 24.0;
const SPEND: f64 = 110.0;

/// The style of the picture, scoped to its class (a notebook shows many side by side).
const STYLE: &str = "\
.enigma-timeline{font:13px system-ui,-apple-system,'Segoe UI',sans-serif;color:#222;max-width:960px}\
.enigma-timeline h2{font-size:15px;margin:6px 0}\
.enigma-timeline .summary{color:#555;margin:0 0 6px}\
.enigma-timeline svg{background:#fff;border:1px solid #ddd}\
.enigma-timeline .label{font-size:12px;fill:#222}\
.enigma-timeline .session-label{font-size:11px;fill:#666;font-weight:bold}\
.enigma-timeline .tick{font-size:10px;fill:#777}\
.enigma-timeline .grid{stroke:#eee}\
.enigma-timeline .command line{stroke:#446;stroke-dasharray:4 3}\
.enigma-timeline .command text{font-size:10px;fill:#446}\
.enigma-timeline .mark-error,.enigma-timeline .mark-guardrail{stroke:#000;stroke-width:1}\
.enigma-timeline table{border-collapse:collapse;margin-top:8px;font-size:12px}\
.enigma-timeline td,.enigma-timeline th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}\
.enigma-timeline tr.highlight td{background:#fff3e0}\
.enigma-timeline .legend span{display:inline-block;margin-right:10px;font-size:11px}\
.enigma-timeline .legend i{display:inline-block;width:10px;height:10px;margin-right:3px;vertical-align:middle}";

/// The colour of a task's bar, by its outcome.
fn outcome_colour(outcome: &str) -> &'static str {
    match outcome {
        "completed" => "#2a7",
        "guardrail" => "#e90",
        "failed" => "#d33",
        "stopped" => "#888",
        "terminated" => "#666",
        "unknown" => "#a6c",
        "skipped" => "#bbb",
        _ => "#48c", // running
    }
}

fn mark_colour(kind: MarkKind) -> &'static str {
    match kind {
        MarkKind::Agent => "#1565c0",
        MarkKind::Action => "#222",
        MarkKind::Update => "#999",
        MarkKind::Guardrail => "#ff9800",
        MarkKind::Error => "#e53935",
        MarkKind::Outcome => "#fff",
        MarkKind::Session => "#555",
    }
}

fn highlighted(kind: MarkKind) -> bool {
    matches!(kind, MarkKind::Guardrail | MarkKind::Error)
}

/// `12.3 s`, `4 min 05 s`.
fn duration(secs: f64) -> String {
    if secs < 60.0 {
        format!("{secs:.1} s")
    } else {
        format!("{} min {:02} s", (secs / 60.0).floor() as u64, (secs % 60.0).round() as u64)
    }
}

fn usd(value: f64) -> String {
    format!("{value:.4} USD")
}

/// Cuts a long text for a label (the whole text stays in the tooltip and the table).
fn short(value: &str, limit: usize) -> String {
    if value.chars().count() <= limit {
        return value.to_owned();
    }
    let cut: String = value.chars().take(limit.saturating_sub(1)).collect();
    format!("{cut}…")
}

/// One step of the time axis: about six ticks.
fn tick_step(span: f64) -> f64 {
    let raw = span / 6.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|step| *step >= raw).unwrap_or(10.0 * magnitude)
}

/// The picture as an HTML fragment (a `<div>` with its own `<style>`): what a notebook shows.
pub(crate) fn fragment(timeline: &Timeline) -> String {
    let span = timeline.duration.max(timeline.spend.last().map_or(0.0, |p| p.t)).max(1.0);
    let x = |t: f64| LABEL + (t.clamp(0.0, span) / span) * PLOT;
    // Rows: a session label row before each session's tasks when there are several sessions.
    let mut rows: Vec<Row> = Vec::new();
    let sessions = {
        let mut ids: Vec<Option<&str>> = Vec::new();
        for task in &timeline.tasks {
            if !ids.contains(&task.session_id.as_deref()) {
                ids.push(task.session_id.as_deref());
            }
        }
        ids
    };
    let grouped = sessions.len() > 1;
    for session in &sessions {
        if grouped {
            rows.push(Row::Session(session.unwrap_or("(no session)")));
        }
        for (index, task) in timeline.tasks.iter().enumerate() {
            if task.session_id.as_deref() == *session {
                rows.push(Row::Task(index, task));
            }
        }
    }
    let session_row = !timeline.marks.is_empty();
    let first_row = AXIS + if session_row { ROW } else { 0.0 };
    let tasks_bottom = first_row + rows.len() as f64 * ROW;
    let has_spend = !timeline.spend.is_empty() || timeline.budget.is_some();
    let height = tasks_bottom + if has_spend { SPEND + 20.0 } else { 8.0 };

    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline-chart\" width=\"{WIDTH}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {WIDTH} {height:.0}\" role=\"img\" aria-label=\"{}\">",
        attr(&timeline.title)
    );
    // The time axis and its grid.
    let step = tick_step(span);
    let mut tick = 0.0;
    while tick <= span + 1e-9 {
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{0:.1}\" y1=\"{AXIS}\" x2=\"{0:.1}\" y2=\"{tasks_bottom:.1}\"/>\
             <text class=\"tick\" x=\"{0:.1}\" y=\"14\" text-anchor=\"middle\">{1}</text>",
            x(tick),
            text(&duration(tick))
        );
        tick += step;
    }
    if session_row {
        let _ = write!(svg, "<text class=\"label\" x=\"6\" y=\"{:.1}\">session</text>", AXIS + 17.0);
        for mark in &timeline.marks {
            draw_mark(&mut svg, mark, x(mark.t), AXIS + ROW / 2.0, None);
        }
    }
    for (row_index, row) in rows.iter().enumerate() {
        let top = first_row + row_index as f64 * ROW;
        match row {
            Row::Session(id) => {
                let _ = write!(
                    svg,
                    "<text class=\"session-label\" x=\"6\" y=\"{:.1}\">session {}</text>",
                    top + 17.0,
                    text(id)
                );
            }
            Row::Task(index, task) => draw_task(&mut svg, *index, task, top, span, &x),
        }
    }
    for command in &timeline.commands {
        let cx = x(command.t);
        let label = match &command.detail {
            Some(detail) => format!("{}: {detail}", command.name),
            None => command.name.clone(),
        };
        let _ = write!(
            svg,
            "<g class=\"command command-{name}\" data-command=\"{name}\"><title>{title} at {at}</title>\
             <line x1=\"{cx:.1}\" y1=\"{AXIS}\" x2=\"{cx:.1}\" y2=\"{tasks_bottom:.1}\"/>\
             <text x=\"{tx:.1}\" y=\"{ty:.1}\">{short}</text></g>",
            name = attr(&command.name),
            title = text(&label),
            at = text(&duration(command.t)),
            tx = cx + 2.0,
            ty = tasks_bottom - 3.0,
            short = text(&short(&command.name, 12)),
        );
    }
    if has_spend {
        draw_spend(&mut svg, timeline, tasks_bottom + 10.0, span, &x);
    }
    svg.push_str("</svg>");

    let mut out = String::new();
    let _ = write!(
        out,
        "<div class=\"enigma-timeline\" data-source=\"{}\"><style>{STYLE}</style><h2>{}</h2>",
        attr(&timeline.source),
        text(&timeline.title)
    );
    let _ = write!(out, "<p class=\"summary\">{}</p>", text(&summary(timeline)));
    out.push_str(&svg);
    out.push_str(&legend());
    out.push_str(&table(timeline));
    out.push_str("</div>");
    out
}

/// The picture as a whole page: what `enigma report` writes.
pub(crate) fn page(timeline: &Timeline) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Enigma timeline: {}</title></head>\n<body style=\"margin:16px\">\n{}\n</body></html>\n",
        text(&timeline.title),
        fragment(timeline)
    )
}

enum Row<'a> {
    Session(&'a str),
    Task(usize, &'a TaskBar),
}

fn summary(timeline: &Timeline) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for task in &timeline.tasks {
        match counts.iter_mut().find(|(o, _)| *o == task.outcome) {
            Some((_, n)) => *n += 1,
            None => counts.push((task.outcome.clone(), 1)),
        }
    }
    let outcomes: Vec<String> = counts.iter().map(|(o, n)| format!("{n} {o}")).collect();
    let mut said = format!(
        "{} task(s) over {}: {}; spent {}",
        timeline.tasks.len(),
        duration(timeline.duration),
        if outcomes.is_empty() { "none".to_owned() } else { outcomes.join(", ") },
        usd(timeline.spent())
    );
    if let Some(budget) = timeline.budget {
        let _ = write!(said, " of a {} budget", usd(budget));
    }
    if let Some(at) = &timeline.started_at {
        let _ = write!(said, "; started {at}");
    }
    said
}

fn draw_task(svg: &mut String, index: usize, task: &TaskBar, top: f64, span: f64, x: &dyn Fn(f64) -> f64) {
    let label = if task.text.is_empty() {
        task.id.clone().unwrap_or_else(|| format!("task {}", index + 1))
    } else {
        task.text.clone()
    };
    let start = x(task.start);
    let end = x(task.end.unwrap_or(span)).max(start + 3.0);
    let colour = outcome_colour(&task.outcome);
    let cost = task.cost.map(usd).unwrap_or_else(|| "cost unknown".into());
    let _ = write!(
        svg,
        "<g class=\"task\" data-task-index=\"{index}\" data-task-id=\"{id}\" data-outcome=\"{outcome}\">\
         <text class=\"label\" x=\"6\" y=\"{ly:.1}\"><title>{full}</title>{short}</text>\
         <rect class=\"task-bar outcome-{outcome}\" x=\"{start:.1}\" y=\"{by:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" rx=\"3\" \
         fill=\"{colour}\" fill-opacity=\"0.35\" stroke=\"{colour}\"><title>{full} ({outcome}, {cost}, {from} to {to})</title></rect>",
        id = attr(task.id.as_deref().unwrap_or("")),
        outcome = attr(&task.outcome),
        ly = top + 17.0,
        full = text(&label),
        short = text(&short(&label, 32)),
        by = top + 4.0,
        w = end - start,
        h = ROW - 8.0,
        cost = text(&cost),
        from = text(&duration(task.start)),
        to = task.end.map(duration).unwrap_or_else(|| "now".into()),
    );
    for mark in &task.marks {
        draw_mark(svg, mark, x(mark.t), top + ROW / 2.0, Some(colour));
    }
    svg.push_str("</g>");
}

fn draw_mark(svg: &mut String, mark: &Mark, cx: f64, cy: f64, bar: Option<&str>) {
    let kind = mark.kind.as_str();
    let fill = match (mark.kind, bar) {
        (MarkKind::Outcome, Some(bar)) => bar,
        _ => mark_colour(mark.kind),
    };
    let tip = format!("{kind} at {}: {}", duration(mark.t), mark.text);
    let _ = write!(svg, "<g class=\"mark mark-{kind}\" data-kind=\"{kind}\"><title>{}</title>", text(&tip));
    if highlighted(mark.kind) {
        // A diamond, larger than the dots: what needs a person's eye.
        let r = 7.0;
        let _ = write!(
            svg,
            "<path class=\"mark-{kind}\" d=\"M{cx:.1} {t:.1} L{r1:.1} {cy:.1} L{cx:.1} {b:.1} L{l:.1} {cy:.1} Z\" fill=\"{fill}\"/>",
            t = cy - r,
            r1 = cx + r,
            b = cy + r,
            l = cx - r,
        );
    } else if mark.kind == MarkKind::Outcome {
        let _ = write!(svg, "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"5\" fill=\"{fill}\" stroke=\"#000\"/>");
    } else {
        let _ = write!(svg, "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"3\" fill=\"{fill}\"/>");
    }
    svg.push_str("</g>");
}

fn draw_spend(svg: &mut String, timeline: &Timeline, top: f64, span: f64, x: &dyn Fn(f64) -> f64) {
    let max = timeline.spent().max(timeline.budget.unwrap_or(0.0)).max(1e-6) * 1.1;
    let y = |usd: f64| top + SPEND - (usd / max) * SPEND;
    let _ = write!(
        svg,
        "<g class=\"spend\"><text class=\"label\" x=\"6\" y=\"{:.1}\">spend</text>\
         <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
         <line class=\"grid\" x1=\"{LABEL}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
        top + 14.0,
        LABEL - 4.0,
        top + 10.0,
        text(&usd(max)),
        top + SPEND,
        LABEL + PLOT,
        top + SPEND,
    );
    let mut points = format!("{:.1},{:.1}", x(0.0), y(0.0));
    let mut last = 0.0;
    for point in &timeline.spend {
        // A step: the spend holds until it changes.
        let _ = write!(points, " {:.1},{:.1} {:.1},{:.1}", x(point.t), y(last), x(point.t), y(point.usd));
        last = point.usd;
    }
    let _ = write!(points, " {:.1},{:.1}", x(span), y(last));
    let _ = write!(
        svg,
        "<polyline class=\"spend-curve\" points=\"{points}\" fill=\"none\" stroke=\"#6a1b9a\" stroke-width=\"2\">\
         <title>spent {}</title></polyline>",
        text(&usd(last))
    );
    if let Some(budget) = timeline.budget {
        let _ = write!(
            svg,
            "<line class=\"budget\" x1=\"{LABEL}\" y1=\"{by:.1}\" x2=\"{:.1}\" y2=\"{by:.1}\" stroke=\"#d33\" stroke-dasharray=\"6 3\">\
             <title>budget {}</title></line><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">budget {}</text>",
            LABEL + PLOT,
            text(&usd(budget)),
            LABEL + PLOT,
            y(budget) - 3.0,
            text(&usd(budget)),
            by = y(budget),
        );
    }
    svg.push_str("</g>");
}

fn legend() -> String {
    let mut out = String::from("<div class=\"legend\">");
    for outcome in ["completed", "guardrail", "failed", "stopped", "terminated", "unknown", "running"] {
        let _ = write!(out, "<span><i style=\"background:{}\"></i>{outcome}</span>", outcome_colour(outcome));
    }
    for kind in [MarkKind::Agent, MarkKind::Action, MarkKind::Update, MarkKind::Guardrail, MarkKind::Error] {
        let _ = write!(
            out,
            "<span><i style=\"background:{};border-radius:5px\"></i>{}</span>",
            mark_colour(kind),
            kind.as_str()
        );
    }
    out.push_str("<span><i style=\"border-left:2px dashed #446;width:0\"></i>command</span></div>");
    out
}

fn table(timeline: &Timeline) -> String {
    let mut out = String::from(
        "<table class=\"tasks\"><thead><tr><th>#</th><th>task</th><th>session</th><th>outcome</th><th>cost</th>\
         <th>time</th><th>events</th><th>guardrails and errors</th></tr></thead><tbody>",
    );
    for (index, task) in timeline.tasks.iter().enumerate() {
        let flagged: Vec<String> = task
            .marks
            .iter()
            .filter(|m| highlighted(m.kind))
            .map(|m| format!("{}: {}", m.kind.as_str(), m.text))
            .collect();
        let time = match task.end {
            Some(end) => format!("{} to {}", duration(task.start), duration(end)),
            None => format!("from {}", duration(task.start)),
        };
        let _ = write!(
            out,
            "<tr class=\"task-row{}\" data-task-id=\"{}\"><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            if flagged.is_empty() { "" } else { " highlight" },
            attr(task.id.as_deref().unwrap_or("")),
            index + 1,
            text(&task.text),
            text(task.session_id.as_deref().unwrap_or("")),
            text(&task.outcome),
            text(&task.cost.map(usd).unwrap_or_default()),
            text(&time),
            task.marks.len(),
            text(&flagged.join("; ")),
        );
    }
    out.push_str("</tbody></table>");
    if !timeline.marks.is_empty() {
        out.push_str("<ul class=\"session-marks\">");
        for mark in &timeline.marks {
            let _ = write!(
                out,
                "<li class=\"mark-{}\">{}: {}</li>",
                mark.kind.as_str(),
                text(&duration(mark.t)),
                text(&mark.text)
            );
        }
        out.push_str("</ul>");
    }
    out
}
