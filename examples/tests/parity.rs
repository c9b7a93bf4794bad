//! The examples exist in every language: each program (`name.rs`, `name.py`, `name.mjs`, helpers
//! starting with `_` aside) has its two siblings, or examples/README.md lists the gap with a
//! reason under "Gaps" as a line `` - `name.ext`: reason ``.

use std::collections::BTreeSet;
use std::path::Path;

const LANGUAGES: [&str; 3] = ["rs", "py", "mjs"];

#[test]
fn every_example_exists_in_rust_python_and_node() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut present = BTreeSet::new();
    for entry in std::fs::read_dir(dir).expect("examples/") {
        let path = entry.expect("entry").path();
        let (Some(stem), Some(ext)) =
            (path.file_stem().and_then(|s| s.to_str()), path.extension().and_then(|s| s.to_str()))
        else {
            continue;
        };
        if LANGUAGES.contains(&ext) && !stem.starts_with('_') {
            present.insert((stem.to_owned(), ext.to_owned()));
        }
    }
    let names: BTreeSet<&str> = present.iter().map(|(name, _)| name.as_str()).collect();
    assert!(names.len() >= 10, "the examples are missing: {names:?}");

    let readme = std::fs::read_to_string(dir.join("README.md")).expect("examples/README.md");
    let gaps = listed_gaps(&readme);
    let mut missing = Vec::new();
    for name in &names {
        for ext in LANGUAGES {
            let file = format!("{name}.{ext}");
            if !present.contains(&(name.to_string(), ext.to_owned())) && !gaps.contains(&file) {
                missing.push(file);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "examples missing in a language, without a reason in examples/README.md (Gaps): {missing:?}"
    );
    for gap in &gaps {
        assert!(!dir.join(gap).exists(), "{gap} is listed as a gap but exists: remove the line");
    }
}

/// The files named by `` - `file`: reason `` lines after the "## Gaps" heading (a reason required).
fn listed_gaps(readme: &str) -> BTreeSet<String> {
    let section = readme.split("\n## Gaps").nth(1).unwrap_or("");
    let section = section.split("\n## ").next().unwrap_or("");
    section
        .lines()
        .filter_map(|line| line.strip_prefix("- `"))
        .filter_map(|rest| rest.split_once("`:"))
        .filter(|(_, reason)| !reason.trim().is_empty())
        .map(|(file, _)| file.to_owned())
        .collect()
}

#[test]
fn a_gap_needs_a_reason() {
    let readme = "# x\n## Gaps\n- `a.rs`: the core has no such call\n- `b.py`:\n## Next\n- `c.rs`: not a gap\n";
    assert_eq!(listed_gaps(readme), BTreeSet::from(["a.rs".to_owned()]));
}
