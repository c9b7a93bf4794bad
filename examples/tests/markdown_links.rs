//! Every relative link in the repository's Markdown files points to a file or folder that exists
//! (links to the web, `mailto:` and same-page `#anchors` aside). Links inside code blocks and
//! code spans are not links.

use std::path::{Path, PathBuf};

/// Folders never scanned: build output, installed packages, the VCS.
const SKIP: [&str; 6] = ["target", "node_modules", ".git", ".venv", "dist", ".tmp"];

#[test]
fn relative_links_in_markdown_resolve() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("repo root").to_path_buf();
    let mut files = Vec::new();
    markdown_files(&root, &mut files);
    assert!(files.len() >= 8, "found only {files:?}");
    let mut broken = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("markdown");
        for target in links(&text) {
            if let Some(path) = local_path(&target) {
                let resolved = if let Some(from_root) = path.strip_prefix('/') {
                    root.join(from_root)
                } else {
                    file.parent().unwrap().join(path)
                };
                if !resolved.exists() {
                    broken.push(format!("{}: {target}", file.strip_prefix(&root).unwrap().display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken relative links:\n{}", broken.join("\n"));
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !SKIP.contains(&name.as_str()) {
                markdown_files(&path, out);
            }
        } else if name.ends_with(".md") {
            out.push(path);
        }
    }
}

/// Links into this repository on GitHub (the package READMEs use them, since PyPI and npm show
/// those files outside the repository): checked as paths from the repository root.
const REPO_URLS: [&str; 2] =
    ["https://github.com/enigma-click/enigma-sdk/blob/main/", "https://github.com/enigma-click/enigma-sdk/tree/main/"];

/// The file part of a link target, when it is a local one (a path from the root starts with `/`).
fn local_path(target: &str) -> Option<&str> {
    let target = target.trim().trim_start_matches('<').trim_end_matches('>');
    if let Some(prefix) = REPO_URLS.iter().find(|prefix| target.starts_with(*prefix)) {
        return target[prefix.len() - 1..].split(['#', '?']).next();
    }
    let path = target.split(['#', '?']).next().unwrap_or("");
    let is_remote = target.contains("://") || target.starts_with("mailto:");
    (!is_remote && !path.is_empty()).then_some(path)
}

/// Link targets of inline links `[text](target "title")` and definitions `[label]: target`,
/// outside fenced code blocks and code spans.
fn links(markdown: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut fenced = false;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let prose = without_code_spans(line);
        if let Some(rest) = prose.trim_start().strip_prefix('[')
            && let Some((_, target)) = rest.split_once("]: ")
        {
            found.push(target.split_whitespace().next().unwrap_or("").to_owned());
            continue;
        }
        let mut rest = prose.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            found.push(after[..end].split_whitespace().next().unwrap_or("").to_owned());
            rest = &after[end..];
        }
    }
    found
}

fn without_code_spans(line: &str) -> String {
    line.split('`').step_by(2).collect::<Vec<_>>().join(" ")
}

#[test]
fn the_scanner_finds_links_and_skips_code() {
    let md = "See [a](docs/a.md#x) and `[b](no.md)`.\n```\n[c](no.md)\n```\n[d]: ../d.md\n[web](https://x.y) [top](#top)\n\
              [gh](https://github.com/enigma-click/enigma-sdk/blob/main/examples/x.py#L3)";
    let targets = links(md);
    assert_eq!(targets.len(), 5, "{targets:?}");
    let local: Vec<_> = targets.iter().filter_map(|t| local_path(t)).collect();
    assert_eq!(local, ["docs/a.md", "../d.md", "/examples/x.py"]);
}
