//! The help a newcomer reads: `enigma --help` names the key, the simulator fallback and example
//! commands that work; `run --help` lists exit codes that match what `run` does, and the `#sim`
//! directives; `sim --help` explains `--time-scale` in plain words.

mod common;

use common::*;

fn help(args: &[&str]) -> String {
    let output = run(enigma().args(args));
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

/// The lines after `Examples:` that start with `enigma`, without a trailing `# comment`.
fn examples(help: &str) -> Vec<String> {
    let section = help.split("Examples:").nth(1).expect("an Examples section");
    section
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("enigma "))
        .map(|line| line.split("  #").next().unwrap().trim().to_owned())
        .collect()
}

/// Splits a command line on spaces, keeping "double-quoted" words whole.
fn words(line: &str) -> Vec<String> {
    line.split('"')
        .enumerate()
        .flat_map(
            |(i, part)| {
                if i % 2 == 1 { vec![part.to_owned()] } else { part.split_whitespace().map(str::to_owned).collect() }
            },
        )
        .collect()
}

#[test]
fn top_level_help_names_the_key_the_simulator_and_three_examples_that_run() {
    let text = help(&["--help"]);
    assert!(text.contains("ENIGMA_API_KEY") && text.contains("built-in simulator"), "{text}");
    let lines = examples(&text);
    assert_eq!(lines.len(), 3, "{text}");
    // The first two run as printed (without a key: on the built-in simulator); the third serves forever.
    for line in &lines[..2] {
        let args = words(line);
        let output = run(enigma().args(&args[1..]));
        assert_eq!(output.status.code(), Some(0), "{line}: {}", stderr(&output));
    }
    assert!(lines[2].starts_with("enigma sim "));
}

/// The exit code `run --help` gives for a kind (the number starting the line that names it).
fn code_for(help: &str, kind: &str) -> i32 {
    let section = help.split("Exit codes:").nth(1).expect("an Exit codes section");
    for line in section.lines() {
        if let Some((code, text)) = line.trim().split_once(char::is_whitespace) {
            if text.trim_start().starts_with(kind) {
                return code.parse().expect("a number");
            }
        }
    }
    panic!("no exit code for {kind} in:\n{help}");
}

#[test]
fn run_help_lists_exit_codes_that_match_what_run_does_and_the_directives() {
    let text = help(&["run", "--help"]);
    for directive in ["#sim", "duration=", "cost=", "guardrail=", "fail=", "instance="] {
        assert!(text.contains(directive), "{directive} missing:\n{text}");
    }
    let sim = Sim::start(&["--time-scale", "0.01", "--rate-limit", "0"]);
    let cases = [
        ("completed", vec!["run", "Look"]),
        ("guardrail", vec!["run", "Buy #sim guardrail=\"Which size?\""]),
        ("task failed", vec!["run", "Open #sim fail=PAGE_CRASH"]),
        ("validation", vec!["run", "x", "--max-duration", "0"]),
        ("cost limit", vec!["run", "Crawl #sim duration=200 cost=5", "--max-cost", "0.01"]),
    ];
    for (kind, args) in cases {
        let output = run(sim.enigma().args(&args));
        assert_eq!(output.status.code(), Some(code_for(&text, kind)), "{kind}: {}", stderr(&output));
    }
    assert_eq!(code_for(&text, "cancelled"), 130);
}

#[test]
fn sim_help_says_what_the_time_scale_means() {
    let text = help(&["sim", "--help"]);
    assert!(text.contains("wall-clock seconds per simulated second"), "{text}");
    assert!(text.contains("100 times faster"), "{text}");
    assert!(text.contains("0 turns the rate limiter off"), "{text}");
}
