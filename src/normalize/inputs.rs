//! Which files of the given folders shnor reads: recursively, sorted, without hidden and
//! lock files, the config, notes and shnor's own outputs. A file of an unknown type inside a
//! folder is reported, never silently skipped.

use crate::model::{Issue, Origin, Severity};
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// Files to read, and warnings about files left aside.
#[derive(Debug, Default)]
pub struct Expanded {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<Issue>,
}

/// Our own outputs and companions that sit next to the exports.
fn is_own_or_aside(name: &str) -> bool {
    let l = name.to_lowercase();
    l.starts_with('.')
        || l.starts_with("~$")
        || l == "shnor.toml"
        || l.ends_with(".md")
        || l == "schools.csv"
        || l.starts_with("progress-")
        || (l.starts_with("identify-") && (l.ends_with(".xlsx") || l.ends_with(".json")))
}

/// Expands directories (recursively, sorted). Files named explicitly are kept as given; a
/// file reached twice (named and inside a given folder) is read once.
///
/// # Errors
/// When a path does not exist or a folder cannot be listed.
pub fn expand(inputs: &[PathBuf]) -> Result<Expanded> {
    let mut out = Expanded::default();
    for p in inputs {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else if p.exists() {
            out.files.push(p.clone());
        } else {
            bail!("{}: файл или папка не найдены", p.display());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    out.files
        .retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    Ok(out)
}

fn walk(dir: &Path, out: &mut Expanded) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("{}: не удалось открыть папку: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if is_own_or_aside(&name) {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else if let Err(why) = crate::read::admit(&p) {
            out.skipped.push(Issue {
                severity: Severity::Warning,
                origin: Origin {
                    file: p.display().to_string(),
                    sheet: None,
                    row: 0,
                },
                column: None,
                value: None,
                message: format!("пропущен: {why}"),
            });
        } else {
            out.files.push(p);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_named_and_inside_a_folder_is_read_once() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("цели.csv");
        std::fs::write(&f, "a;b\n").unwrap();
        let e = expand(&[d.path().to_path_buf(), f.clone()]).unwrap();
        assert_eq!(e.files, vec![f]);
    }

    #[test]
    fn walks_sorted_and_skips() {
        let d = tempfile::tempdir().unwrap();
        let w = |n: &str| std::fs::write(d.path().join(n), b"x").unwrap();
        std::fs::create_dir(d.path().join("sub")).unwrap();
        for n in [
            "b.xlsx",
            "a.csv",
            "~$a.xlsx",
            ".hidden.csv",
            "shnor.toml",
            "README.md",
            "identify-2025.xlsx",
            "schools.csv",
            "отчёт.docx",
            "sub/c.xls",
        ] {
            w(n);
        }
        let e = expand(&[d.path().to_path_buf()]).unwrap();
        let names: Vec<String> = e
            .files
            .iter()
            .map(|p| p.strip_prefix(d.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a.csv", "b.xlsx", "sub/c.xls"]);
        assert_eq!(e.skipped.len(), 1);
        assert!(e.skipped[0].origin.file.ends_with("отчёт.docx"));
        assert!(expand(&[d.path().join("нет")]).is_err());
    }
}
