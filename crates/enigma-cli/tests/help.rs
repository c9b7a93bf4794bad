//! The help a newcomer reads: `enigma --help` names the key, the simulator fallback and example
//! commands that work; `run --help` lists exit codes that match what `run` does, and the `#sim`
//! directives; `sim --help` explains `--time-scale` in plain words. And the `enigma` commands of
//! the docs' code blocks marked `<!-- run-by: crates/enigma-cli/tests/help.rs -->` run.

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
        if let Some((code, text)) = line.trim().split_once(char::is_whitespace)
            && text.trim_start().starts_with(kind)
        {
            return code.parse().expect("a number");
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
    assert_eq!(code_for(&text, "cancelled (Ctrl-C"), 130);
    assert_eq!(code_for(&text, "cancelled (SIGTERM"), 143);
}

#[test]
fn sim_help_says_what_the_time_scale_means() {
    let text = help(&["sim", "--help"]);
    assert!(text.contains("wall-clock seconds per simulated second"), "{text}");
    assert!(text.contains("100 times faster"), "{text}");
    assert!(text.contains("0 turns the rate limiter off"), "{text}");
}

/// The `enigma ...` lines of the code blocks that the docs mark as run by this file.
fn marked_commands(markdown: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut lines = markdown.lines().peekable();
    let mut marked = false;
    while let Some(line) = lines.next() {
        if line.trim().starts_with("<!-- run-by: crates/enigma-cli/tests/help.rs") {
            marked = true;
        } else if line.starts_with("```") && marked {
            for code in lines.by_ref().take_while(|l| !l.starts_with("```")) {
                if code.trim_start().starts_with("enigma ") {
                    commands.push(code.split("  #").next().unwrap().trim().to_owned());
                }
            }
            marked = false;
        } else if !line.trim().is_empty() {
            marked = false;
        }
    }
    commands
}

#[test]
fn the_readme_commands_run_on_the_built_in_simulator() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut commands = Vec::new();
    // The CLI archive's own README too: what a user of the archive runs first.
    for doc in ["README.md", "python/README.md", "node/README.md", "crates/enigma-cli/ARCHIVE-README.md"] {
        commands.extend(marked_commands(&std::fs::read_to_string(root.join(doc)).expect("a doc")));
    }
    assert!(!commands.is_empty(), "no marked block in the READMEs");
    for line in commands {
        let args = words(&line);
        let output = run(enigma().args(&args[1..]));
        assert_eq!(output.status.code(), Some(0), "{line}: {}", stderr(&output));
    }
}

#[test]
fn only_marked_blocks_count() {
    let md = "<!-- run-by: crates/enigma-cli/tests/help.rs -->\n```sh\nenigma run \"a b\"  # note\nls\n```\n```sh\nenigma health\n```\n";
    assert_eq!(marked_commands(md), ["enigma run \"a b\""]);
    assert_eq!(words("enigma run \"a b\" --json"), ["enigma", "run", "a b", "--json"]);
}
