//! A test over the library's own sources: no module imports one that imports it back.
//!
//! Edges are the `crate::...` and `super::...` paths of each file (test modules left out),
//! resolved to top-level and second-level modules (`eval`, `eval::score`). The binary's
//! modules (`tui`, `cli`) are not part of the library and are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file defines, as path segments (`src/eval/mod.rs` -> `eval`).
fn module_of(src: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Module = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The longest prefix of `path` (at most two segments) that names a module file.
fn resolve(src: &Path, path: &[String]) -> Module {
    let mut module = Module::new();
    for segment in path.iter().take(2) {
        let mut candidate = module.clone();
        candidate.push(segment.clone());
        let base = candidate.iter().fold(src.to_path_buf(), |p, s| p.join(s));
        if base.with_extension("rs").is_file() || base.join("mod.rs").is_file() {
            module = candidate;
        } else {
            break;
        }
    }
    module
}

/// Each `crate::a::b` or `super::a` path in `text`, as segments from the crate root.
fn paths(text: &str, file_module: &Module) -> Vec<Module> {
    let mut out = Vec::new();
    for (keyword, relative) in [("crate::", false), ("super::", true)] {
        for (at, _) in text.match_indices(keyword) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let rest = &text[at + keyword.len()..];
            let mut segments: Module = rest
                .split("::")
                .map(|s| {
                    s.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect::<String>()
                })
                .take_while(|s| !s.is_empty())
                .collect();
            if relative {
                // `super` of `a/b.rs` and of `a/b/mod.rs` is `a`.
                let mut base = file_module.clone();
                base.pop();
                base.append(&mut segments);
                segments = base;
            }
            out.push(segments);
        }
    }
    out
}

fn library_edges() -> BTreeMap<Module, BTreeSet<Module>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for file in files {
        let module = module_of(&src, &file);
        if matches!(
            module.first().map(String::as_str),
            Some("tui" | "cli" | "main" | "lib")
        ) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let product = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        let from: Module = module.iter().take(2).cloned().collect();
        for path in paths(product, &module) {
            let to = resolve(&src, &path);
            if !to.is_empty() && to != from {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    edges
}

#[test]
fn no_library_module_imports_one_that_imports_it_back() {
    let edges = library_edges();
    assert!(edges.contains_key(&vec!["eval".to_string(), "score".to_string()]));
    let mut circles = Vec::new();
    for (a, targets) in &edges {
        for b in targets {
            if a < b && edges.get(b).is_some_and(|t| t.contains(a)) {
                circles.push(format!("{} <-> {}", a.join("::"), b.join("::")));
            }
        }
    }
    let mut top: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (a, targets) in &edges {
        for b in targets.iter().filter(|b| b[0] != a[0]) {
            top.entry(a[0].as_str()).or_default().insert(b[0].as_str());
        }
    }
    for start in top.keys() {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&str> = top[start].iter().copied().collect();
        while let Some(next) = todo.pop() {
            if next == *start {
                circles.push(format!("{start} reaches itself through its imports"));
                break;
            }
            if seen.insert(next) {
                todo.extend(top.get(next).into_iter().flatten().copied());
            }
        }
    }
    assert!(circles.is_empty(), "import circles: {circles:?}");
}
