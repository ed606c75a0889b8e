//! Dependencies point one way (README, «Устройство»): read ← recognize ← normalize ← measure ← judge ←
//! report ← cmd. This test reads every path that names a crate module (`use crate::…` and
//! `crate::x::…` in code) and fails when a stage reaches a later stage or a command, or when
//! the shared modules (`model`, `config`) reach any stage.

use crate::util::root;
use std::path::Path;

/// The pipeline in order; a file may name its own stage and earlier ones only.
const STAGES: [&str; 7] = [
    "read",
    "recognize",
    "normalize",
    "measure",
    "judge",
    "report",
    "cmd",
];

/// Where a file of `src/` stands: its stage's index, or `None` for the top (lib, main, cli,
/// demo), which may use every stage.
fn level(rel: &Path) -> Option<usize> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    let first = first.strip_suffix(".rs").unwrap_or(first);
    match first {
        // Shared by every stage, so below all of them.
        "model" | "config" => Some(0),
        // The synthetic municipality writes files like an export and checks a report: it sits
        // beside the commands and no stage may import it.
        "demo" | "cli" | "lib" | "main" => None,
        s => Some(STAGES.iter().position(|x| *x == s)? + 1),
    }
}

/// Module names a source file reaches through `crate::name`, comments and strings left out.
fn reached(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in src.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
            rest = after;
        }
        // `use crate::{judge, report}` names several modules at once.
        if let Some(i) = code.find("crate::{") {
            let inner = &code[i + "crate::{".len()..];
            let inner = inner.split('}').next().unwrap_or("");
            out.extend(
                inner
                    .split(',')
                    .map(|s| s.trim().split("::").next().unwrap_or("").to_string())
                    .filter(|s| !s.is_empty()),
            );
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src readable") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every edge that points the wrong way, as «file → module».
fn violations(src_dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src_dir, &mut files);
    files.sort();
    let mut bad = Vec::new();
    for path in files {
        let rel = path.strip_prefix(src_dir).expect("under src");
        let Some(own) = level(rel) else { continue };
        let text = std::fs::read_to_string(&path).expect("source readable");
        for name in reached(&text) {
            let target = match name.as_str() {
                "model" | "config" => 0,
                // Commands may use the argument definitions and the demo generator; no stage may.
                "demo" | "cli" => STAGES.len(),
                s => match STAGES.iter().position(|x| *x == s) {
                    Some(i) => i + 1,
                    None => continue, // crate-root items (exit codes, UsageError)
                },
            };
            if target > own {
                bad.push(format!("{} → {name}", rel.display()));
            }
        }
    }
    bad.sort();
    bad.dedup();
    bad
}

#[test]
fn stages_import_only_earlier_stages() {
    let bad = violations(&root().join("src"));
    assert!(
        bad.is_empty(),
        "stages import later stages or commands:\n{}",
        bad.join("\n")
    );
}

/// The checker itself must catch each kind of wrong edge, or a green run above means nothing.
#[test]
fn checker_finds_wrong_edges() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path();
    for (file, text) in [
        (
            "recognize/a.rs",
            "use crate::normalize::values::norm_text;\n",
        ),
        (
            "read/b.rs",
            "fn f() { crate::cmd::inspect::column_letter(1); }\n",
        ),
        ("judge/c.rs", "use crate::{measure, report};\n"),
        ("config.rs", "use crate::judge::stats;\n"),
        ("measure/d.rs", "use crate::demo::x;\n"),
        // Allowed edges and mentions that are not imports.
        (
            "normalize/e.rs",
            "use crate::recognize::Table;\n// crate::cmd in a comment\n",
        ),
        (
            "cmd/f.rs",
            "use crate::report::write;\nuse crate::UsageError;\n",
        ),
        ("demo/g.rs", "use crate::cmd::x;\n"),
    ] {
        let path = src.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    assert_eq!(
        violations(src),
        [
            "config.rs → judge",
            "judge/c.rs → report",
            "measure/d.rs → demo",
            "read/b.rs → cmd",
            "recognize/a.rs → normalize",
        ]
    );
}

/// A reader finds a rule by its file: no source file grows past ~800 lines, except the
/// vocabulary tables, which are data.
#[test]
fn source_files_stay_readable() {
    const LIMIT: usize = 800;
    const DATA_TABLES: [&str; 1] = ["recognize/synonyms.rs"];
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|p| {
            let rel = p
                .strip_prefix(&src)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let lines = std::fs::read_to_string(p).ok()?.lines().count();
            (lines > LIMIT && !DATA_TABLES.contains(&rel.as_str()))
                .then(|| format!("{rel}: {lines}"))
        })
        .collect();
    assert!(long.is_empty(), "files over {LIMIT} lines: {long:?}");
}
