//! The shape of the house, checked on every `cargo test`: no two modules import each
//! other, and no source file outgrows one concept (600 lines, test files aside).
//!
//! The module graph is read from the sources with no tool to install: every `use` tree and
//! every qualified `crate::`/`super::`/`self::` path outside `#[cfg(test)]` items, resolved
//! to the file that defines the module. A node is one file: a top-level module
//! (`query`), or a file in a module folder (`eval::metrics`). The library is rooted at
//! src/lib.rs; the binary at src/main.rs with the modules main.rs declares (cli, tui).
//! A parent and its child (`eval` <-> `eval::metrics`, a parent re-exporting its child)
//! may import each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Longest source file allowed, in lines.
const MAX_LINES: usize = 600;

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Test files may be long: `tests.rs`, and anything in a `tests/` folder.
fn is_test_file(relative: &Path) -> bool {
    relative.file_name().is_some_and(|n| n == "tests.rs")
        || relative.components().any(|c| c.as_os_str() == "tests")
}

/// Which crate a file belongs to, and its module path inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Module {
    binary: bool,
    path: Vec<String>,
}

impl Module {
    fn name(&self) -> String {
        let krate = if self.binary { "bin" } else { "lib" };
        if self.path.is_empty() {
            format!("{krate}:crate")
        } else {
            format!("{krate}:{}", self.path.join("::"))
        }
    }
}

/// The modules src/main.rs declares (`mod cli;`): their files belong to the binary.
fn binary_modules(main: &str) -> BTreeSet<String> {
    let code = strip(main);
    code.lines()
        .filter_map(|l| {
            let l = l.trim().trim_start_matches("pub ");
            l.strip_prefix("mod ")?
                .strip_suffix(';')
                .map(|m| m.trim().to_string())
        })
        .collect()
}

fn module_of(relative: &Path, binary_mods: &BTreeSet<String>) -> Module {
    let mut path: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if path.last().is_some_and(|l| l == "mod") {
        path.pop();
    }
    if path == ["lib"] {
        return Module {
            binary: false,
            path: vec![],
        };
    }
    if path == ["main"] {
        return Module {
            binary: true,
            path: vec![],
        };
    }
    let binary = binary_mods.contains(&path[0]);
    Module { binary, path }
}

/// Code with comments, string and char literals blanked (line breaks kept), so that
/// braces and paths inside them are not read as code.
fn strip(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let keep_lines = |s: &[char], out: &mut String| {
        for &c in s {
            out.push(if c == '\n' { '\n' } else { ' ' });
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            let end = chars[i..]
                .iter()
                .position(|&c| c == '\n')
                .map_or(chars.len(), |p| i + p);
            keep_lines(&chars[i..end], &mut out);
            i = end;
        } else if c == '/' && next == Some('*') {
            let (mut depth, mut j) = (1, i + 2);
            while j < chars.len() && depth > 0 {
                if chars[j] == '/' && chars.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 1;
                } else if chars[j] == '*' && chars.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 1;
                }
                j += 1;
            }
            keep_lines(&chars[i..j.min(chars.len())], &mut out);
            i = j;
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_char(prev(&chars, i)) {
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let mut j = i + 2 + hashes;
            while j < chars.len() {
                if chars[j] == '"'
                    && chars[j + 1..].iter().take(hashes).filter(|&&c| c == '#').count() == hashes
                {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            keep_lines(&chars[i..j.min(chars.len())], &mut out);
            i = j;
        } else if c == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            keep_lines(&chars[i..(j + 1).min(chars.len())], &mut out);
            i = j + 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}'), not a lifetime ('a).
            let end = if next == Some('\\') {
                chars[i + 2..].iter().position(|&c| c == '\'').map(|p| i + 2 + p)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    keep_lines(&chars[i..=end], &mut out);
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn prev(chars: &[char], i: usize) -> char {
    if i == 0 { ' ' } else { chars[i - 1] }
}

fn ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The code without `#[cfg(test)]` items (test modules may import anything).
fn without_test_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        let brace = item.find('{');
        let semi = item.find(';');
        let end = match (brace, semi) {
            (Some(b), Some(s)) if s < b => s + 1,
            (Some(b), _) => {
                let mut depth = 0;
                let mut end = item.len();
                for (k, c) in item[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (None, Some(s)) => s + 1,
            (None, None) => item.len(),
        };
        out.extend(item[..end].chars().filter(|&c| c == '\n'));
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Splits code into identifiers, `::` and single punctuation characters, with line numbers.
fn tokens(code: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if ident_char(c) {
            let start = i;
            while i < chars.len() && ident_char(chars[i]) {
                i += 1;
            }
            out.push((chars[start..i].iter().collect(), line));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push(("::".into(), line));
            i += 2;
        } else {
            out.push((c.to_string(), line));
            i += 1;
        }
    }
    out
}

/// Expands a use tree (`a::{b, c::{d, e as f}}`) into its full paths.
fn expand_use(toks: &[String], prefix: &[String], out: &mut Vec<Vec<String>>) {
    let mut path = prefix.to_vec();
    let mut i = 0;
    while i < toks.len() {
        match toks[i].as_str() {
            "::" => {}
            "{" => {
                let mut depth = 0;
                let mut start = i + 1;
                for j in i..toks.len() {
                    match toks[j].as_str() {
                        "{" => depth += 1,
                        "}" => {
                            depth -= 1;
                            if depth == 0 {
                                expand_use(&toks[start..j], &path, out);
                                return;
                            }
                        }
                        "," if depth == 1 => {
                            expand_use(&toks[start..j], &path, out);
                            start = j + 1;
                        }
                        _ => {}
                    }
                }
                return;
            }
            "as" | "*" => break,
            "self" if !path.is_empty() => {}
            word => path.push(word.to_string()),
        }
        i += 1;
    }
    if !path.is_empty() {
        out.push(path);
    }
}

/// Every module path a file's code names: use trees and qualified paths, each with its
/// line. Paths start with `crate`, `super` or `self`; others (std, safeaware, locals) are
/// dropped by the resolver.
fn named_paths(code: &str) -> Vec<(Vec<String>, usize)> {
    let toks = tokens(code);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let (tok, line) = (&toks[i].0, toks[i].1);
        let after_colons = i > 0 && toks[i - 1].0 == "::";
        if tok == "use" {
            let end = toks[i..]
                .iter()
                .position(|t| t.0 == ";")
                .map_or(toks.len(), |p| i + p);
            let words: Vec<String> = toks[i + 1..end].iter().map(|t| t.0.clone()).collect();
            let mut paths = Vec::new();
            expand_use(&words, &[], &mut paths);
            out.extend(paths.into_iter().map(|p| (p, line)));
            i = end;
        } else if matches!(tok.as_str(), "crate" | "super" | "self") && !after_colons {
            let mut path = vec![tok.clone()];
            let mut j = i + 1;
            while j + 1 < toks.len()
                && toks[j].0 == "::"
                && ident_char(toks[j + 1].0.chars().next().unwrap_or(' '))
            {
                path.push(toks[j + 1].0.clone());
                j += 2;
            }
            if path.len() > 1 {
                out.push((path, line));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// The absolute module path a named path points into (None: outside this crate).
fn resolve(from: &Module, path: &[String]) -> Option<Vec<String>> {
    let mut base: Vec<String> = from.path.clone();
    let mut rest = path;
    match rest.first()?.as_str() {
        "crate" => {
            base.clear();
            rest = &rest[1..];
        }
        "self" => rest = &rest[1..],
        "super" => {
            while rest.first().is_some_and(|s| s == "super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        _ => return None,
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// A file of the source tree and what it names.
struct SourceFile {
    relative: PathBuf,
    module: Module,
    named: Vec<(Vec<String>, usize)>,
}

fn read_sources() -> Vec<SourceFile> {
    let src = src_dir();
    let main = std::fs::read_to_string(src.join("main.rs")).unwrap();
    let binary_mods = binary_modules(&main);
    rust_files(&src)
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&src).unwrap().to_path_buf();
            let module = module_of(&relative, &binary_mods);
            let text = std::fs::read_to_string(&path).unwrap();
            let named = if is_test_file(&relative) {
                Vec::new()
            } else {
                named_paths(&without_test_items(&strip(&text)))
            };
            SourceFile {
                relative,
                module,
                named,
            }
        })
        .collect()
}

/// Module-to-module imports: (from, to) -> the places (file:line) that make them.
fn import_graph(files: &[SourceFile]) -> BTreeMap<(Module, Module), Vec<String>> {
    let nodes: BTreeSet<&Module> = files.iter().map(|f| &f.module).collect();
    let mut edges: BTreeMap<(Module, Module), Vec<String>> = BTreeMap::new();
    for file in files {
        for (path, line) in &file.named {
            let Some(target) = resolve(&file.module, path) else {
                continue;
            };
            // The file that defines the longest known prefix of the path.
            let node = (0..=target.len()).rev().find_map(|n| {
                let candidate = Module {
                    binary: file.module.binary,
                    path: target[..n].to_vec(),
                };
                nodes.contains(&candidate).then_some(candidate)
            });
            let Some(node) = node else { continue };
            let (a, b) = (&file.module.path, &node.path);
            let parent_or_child = a.starts_with(b) || b.starts_with(a);
            if parent_or_child {
                continue;
            }
            let place = format!("{}:{line}", Path::new("src").join(&file.relative).display());
            let places = edges.entry((file.module.clone(), node)).or_default();
            if !places.contains(&place) {
                places.push(place);
            }
        }
    }
    edges
}

#[test]
fn no_two_modules_import_each_other() {
    let files = read_sources();
    let edges = import_graph(&files);
    let mut circles = Vec::new();
    for ((from, to), places) in &edges {
        if from < to
            && let Some(back) = edges.get(&(to.clone(), from.clone()))
        {
            circles.push(format!(
                "{} <-> {}\n    {} imports {} at {}\n    {} imports {} at {}",
                from.name(),
                to.name(),
                from.name(),
                to.name(),
                places.join(", "),
                to.name(),
                from.name(),
                back.join(", ")
            ));
        }
    }
    assert!(
        circles.is_empty(),
        "{} import circle(s):\n{}",
        circles.len(),
        circles.join("\n")
    );
}

#[test]
fn no_source_file_is_longer_than_600_lines() {
    let src = src_dir();
    let long: Vec<String> = rust_files(&src)
        .into_iter()
        .filter(|path| !is_test_file(path.strip_prefix(&src).unwrap()))
        .filter_map(|path| {
            let lines = std::fs::read_to_string(&path).unwrap().lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", path.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines (split them by concept):\n{}",
        long.join("\n")
    );
}

#[test]
fn the_reader_resolves_use_trees_and_relative_paths() {
    let code = strip(
        "use crate::{a::B, c::{self, d::E as F}};\nuse super::super::g::*; // crate::zzz\nlet s = \"crate::q\"; x = crate::h::i(); '{';",
    );
    let named: Vec<Vec<String>> = named_paths(&code).into_iter().map(|(p, _)| p).collect();
    let join = |p: &Vec<String>| p.join("::");
    let shown: Vec<String> = named.iter().map(join).collect();
    assert_eq!(
        shown,
        [
            "crate::a::B",
            "crate::c",
            "crate::c::d::E",
            "super::super::g",
            "crate::h::i"
        ]
    );
    let from = Module {
        binary: false,
        path: vec!["eval".into(), "metrics".into()],
    };
    assert_eq!(resolve(&from, &named[3]), Some(vec!["g".into()]));
    let up3: Vec<String> = ["super", "super", "super", "g"].map(String::from).to_vec();
    assert_eq!(resolve(&from, &up3), None, "three levels up leaves the crate");
    assert_eq!(
        resolve(&from, &["super".into(), "verdict".into()]),
        Some(vec!["eval".into(), "verdict".into()])
    );
    let tests = without_test_items("a\n#[cfg(test)]\nmod tests {\n use crate::x;\n}\nb");
    assert_eq!(tests, "a\n\n\n\n\nb");
}
