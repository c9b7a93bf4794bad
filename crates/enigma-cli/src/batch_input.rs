//! Reading a batch file into task specs, each with its line number: JSONL, CSV with a `task`
//! column, or plain text with one task per line. Blank lines are not tasks. The core parses
//! and checks each spec; errors name the line.

use std::path::Path;

use enigma::{Error, TaskSpec};
use serde_json::{Map, Value};

/// The tasks of a file, in order: each with its 1-based line and its spec or what is wrong.
pub struct Input {
    pub lines: Vec<usize>,
    pub specs: Vec<Result<TaskSpec, Error>>,
}

impl Input {
    /// The errors, as `line N: reason` texts.
    pub fn errors(&self) -> Vec<String> {
        self.lines
            .iter()
            .zip(&self.specs)
            .filter_map(|(line, spec)| spec.as_ref().err().map(|e| format!("line {line}: {}", reason(e))))
            .collect()
    }
}

/// A spec error's reason without the `invalid line N:` prefix the core gives it.
pub fn reason(err: &Error) -> String {
    match err {
        Error::Validation { reason, .. } => reason.clone(),
        other => other.to_string(),
    }
}

pub fn read(path: &Path) -> Result<Input, Error> {
    let text =
        std::fs::read_to_string(path).map_err(|e| invalid("file", format!("cannot read {}: {e}", path.display())))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    match ext.as_str() {
        "csv" => csv_input(&text),
        "jsonl" | "ndjson" | "json" => Ok(jsonl(&text)),
        _ if first.starts_with('{') => Ok(jsonl(&text)),
        _ => Ok(plain(&text)),
    }
}

fn jsonl(text: &str) -> Input {
    let mut input = Input { lines: Vec::new(), specs: Vec::new() };
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let label = format!("line {}", n + 1);
        let spec = match serde_json::from_str::<Value>(line) {
            Ok(value) => TaskSpec::from_value(&value, &label),
            Err(e) => Err(invalid(&label, format!("not valid JSON ({e})"))),
        };
        input.lines.push(n + 1);
        input.specs.push(spec);
    }
    input
}

fn plain(text: &str) -> Input {
    let mut input = Input { lines: Vec::new(), specs: Vec::new() };
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        input.lines.push(n + 1);
        input.specs.push(TaskSpec::from_value(&Value::String(line.trim().to_owned()), &format!("line {}", n + 1)));
    }
    input
}

fn csv_input(text: &str) -> Result<Input, Error> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| invalid("file", format!("cannot read the CSV header: {e}")))?.clone();
    if !headers.iter().any(|h| h.trim() == "task") {
        return Err(invalid("file", "the CSV has no `task` column (line 1 must name the columns)"));
    }
    let mut input = Input { lines: Vec::new(), specs: Vec::new() };
    for record in reader.records() {
        let (line, spec) = match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                if record.iter().all(|cell| cell.trim().is_empty()) {
                    continue;
                }
                let mut object = Map::new();
                for (header, cell) in headers.iter().zip(record.iter()) {
                    let (header, cell) = (header.trim(), cell.trim());
                    if cell.is_empty() {
                        continue;
                    }
                    // Options are typed: numbers, booleans and lists read as JSON; text as text.
                    let value = match header {
                        "task" | "id" | "startingUrl" | "starting_url" => Value::String(cell.to_owned()),
                        _ => serde_json::from_str(cell).unwrap_or_else(|_| Value::String(cell.to_owned())),
                    };
                    object.insert(header.to_owned(), value);
                }
                let label = format!("line {line}");
                (line, TaskSpec::from_value(&Value::Object(object), &label))
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                (line, Err(invalid(&format!("line {line}"), format!("not valid CSV ({e})"))))
            }
        };
        input.lines.push(line);
        input.specs.push(spec);
    }
    Ok(input)
}

/// A `validation` error naming `field` (the file, a line).
pub fn invalid(field: &str, reason: impl Into<String>) -> Error {
    Error::Validation { field: field.to_owned(), reason: reason.into() }
}
