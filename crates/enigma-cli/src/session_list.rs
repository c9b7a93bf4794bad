//! `enigma session list [--terminate]`: the sessions the ledger saw opened and never saw end,
//! checked against the service (the core's `Client::check_unended_sessions`), as a table or,
//! with `--json`, one object per line.

use crate::exit::ExitCode;

use enigma::{CheckedSession, Client, Error};

pub async fn run(client: &Client, terminate: bool, json: bool) -> Result<ExitCode, Error> {
    let checked = client.check_unended_sessions(terminate).await?;
    if json {
        for session in &checked {
            // One object per line, in the CLI's one JSON style (camelCase).
            println!("{}", crate::output::camel(session));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let path = client.ledger_path().map(|p| p.display().to_string()).unwrap_or_default();
    if checked.is_empty() {
        println!("No session left unended (ledger: {path}).");
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", table(&checked));
    println!("Ledger: {path}");
    Ok(ExitCode::SUCCESS)
}

/// The sessions as aligned columns: id, state, age, key, process, command.
fn table(checked: &[CheckedSession]) -> String {
    let header = ["SESSION", "STATE", "AGE", "KEY", "PROCESS", "COMMAND"].map(String::from);
    let rows: Vec<[String; 6]> = checked
        .iter()
        .map(|c| {
            let s = &c.session;
            let process = match s.process_alive {
                Some(true) => format!("{} running", s.pid),
                Some(false) => format!("{} gone", s.pid),
                None => s.pid.to_string(),
            };
            let state = match &c.detail {
                Some(detail) if c.state != enigma::LedgerState::Ended => format!("{} ({detail})", c.state.as_str()),
                _ => c.state.as_str().to_owned(),
            };
            let key = s.key_last4.as_deref().map_or("-".to_owned(), |k| format!("…{k}"));
            [s.session_id.clone(), state, age(s.age_secs), key, process, s.command.clone()]
        })
        .collect();
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row.iter().zip(widths).map(|(cell, width)| format!("{cell:<width$}")).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// An age as its largest unit: `45s`, `12m`, `3h`, `2d`.
fn age(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        3600..86400 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86400),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ages() {
        assert_eq!(super::age(59), "59s");
        assert_eq!(super::age(60), "1m");
        assert_eq!(super::age(7200), "2h");
        assert_eq!(super::age(200_000), "2d");
    }
}
