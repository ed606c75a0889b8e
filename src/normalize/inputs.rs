//! Which files of the given folders shnor reads: recursively, sorted, without hidden and
//! lock files, the config, notes and shnor's own outputs. A file of an unknown type inside a
//! folder is reported, never silently skipped.

use crate::model::{Issue, Severity};
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// Files to read, and warnings about files left aside.
#[derive(Debug, Default)]
pub struct Expanded {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<Issue>,
}

impl Expanded {
    /// The files' size on disk together (a file gone since the walk counts 0).
    pub fn bytes(&self) -> u64 {
        self.files
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum()
    }
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
        || (l.starts_with("identify-")
            && (l.ends_with(".xlsx") || l.ends_with(".json") || l.ends_with(".docx")))
}

/// How folders are walked.
#[derive(Clone, Copy, Debug, Default)]
pub struct Walk {
    /// Follow symbolic links, but only to files and folders inside the given folder
    /// (`--follow-symlinks`). Off by default: a link may lead anywhere on the machine.
    pub follow_symlinks: bool,
}

/// Expands directories (recursively, sorted) without following symbolic links. Files named
/// explicitly are kept as given; a file reached twice (named and inside a given folder) is
/// read once.
///
/// # Errors
/// When a path does not exist or a folder cannot be listed.
pub fn expand(inputs: &[PathBuf]) -> Result<Expanded> {
    expand_with(inputs, Walk::default())
}

/// [`expand`] with the walk's options.
///
/// # Errors
/// See [`expand`].
pub fn expand_with(inputs: &[PathBuf], opts: Walk) -> Result<Expanded> {
    let mut out = Expanded::default();
    for p in inputs {
        if p.is_dir() {
            let root = std::fs::canonicalize(p)
                .map_err(|e| anyhow::anyhow!("{}: не удалось открыть папку: {e}", p.display()))?;
            let mut w = Walker {
                root: root.clone(),
                opts,
                visited: std::collections::BTreeSet::from([root]),
                out: &mut out,
            };
            w.walk(p)?;
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

/// One given folder's walk.
struct Walker<'a> {
    /// The given folder, canonical: a followed link must stay under it.
    root: PathBuf,
    opts: Walk,
    /// Canonical folders already walked: a link back to a parent (or two links to `.`)
    /// cannot make the walk loop or multiply.
    visited: std::collections::BTreeSet<PathBuf>,
    out: &'a mut Expanded,
}

impl Walker<'_> {
    fn skip(&mut self, p: &Path, why: &str) {
        self.out.skipped.push(Issue::of_file(
            Severity::Warning,
            &p.display().to_string(),
            format!("пропущен: {why}"),
        ));
    }

    fn walk(&mut self, dir: &Path) -> Result<()> {
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
            let is_link = std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink());
            if is_link {
                if !self.opts.follow_symlinks {
                    self.skip(
                        &p,
                        "это символическая ссылка, по ссылкам shnor не переходит; чтобы \
                         читать файлы по ссылкам внутри папки с выгрузками, добавьте \
                         --follow-symlinks",
                    );
                    continue;
                }
                match std::fs::canonicalize(&p) {
                    Ok(target) if target.starts_with(&self.root) => {}
                    Ok(_) => {
                        self.skip(
                            &p,
                            "символическая ссылка ведёт за пределы папки с выгрузками; \
                             положите файл в эту папку",
                        );
                        continue;
                    }
                    Err(_) => {
                        self.skip(&p, "символическая ссылка никуда не ведёт");
                        continue;
                    }
                }
            }
            if p.is_dir() {
                // Canonical path: the same folder reached twice (a link to `.`, to a parent
                // or to a sibling) is walked once.
                let canon = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
                if self.visited.insert(canon) {
                    self.walk(&p)?;
                }
            } else if let Err(why) = crate::read::admit(&p) {
                self.skip(&p, &why);
            } else {
                self.out.files.push(p);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash of each input file as the test reads it itself.
    fn sha_of(path: &std::path::Path) -> String {
        use sha2::Digest;
        sha2::Sha256::digest(std::fs::read(path).unwrap())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    #[test]
    fn each_file_is_hashed_from_what_was_read_or_streamed_when_too_large() {
        let d = tempfile::tempdir().unwrap();
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/handworked");
        for n in ["реестр.csv", "результаты.csv"] {
            std::fs::copy(fixtures.join(n), d.path().join(n)).unwrap();
        }
        // Over the 1 MB byte budget: refused before it is loaded, so hashed by streaming.
        let big = d.path().join("большой.csv");
        std::fs::write(&big, "Код ОО;Название\n".repeat(80_000)).unwrap();
        let mut cfg = crate::config::Config::default();
        cfg.limits.file_megabytes = 1;
        let ds = crate::normalize::load(&[d.path().to_path_buf()], &cfg).unwrap();
        assert_eq!(ds.files.len(), 3, "{:?}", ds.files);
        for f in &ds.files {
            assert_eq!(
                f.sha256,
                sha_of(std::path::Path::new(&f.path)),
                "{}",
                f.path
            );
        }
        assert!(ds.issues.iter().any(
            |i| i.origin.file.ends_with("большой.csv") && i.message.contains("file_megabytes")
        ));
    }

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
            "identify-2025.docx",
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

#[cfg(all(test, unix))]
mod link_tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn names(e: &Expanded, root: &Path) -> Vec<String> {
        e.files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().display().to_string())
            .collect()
    }

    /// A folder with a real export, a link to a file outside it, links to `.` and to its
    /// parent folder, and a link to a file inside it.
    fn tree() -> (tempfile::TempDir, PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("выгрузки");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("a.csv"), "a;b\n").unwrap();
        std::fs::write(d.path().join("чужой.csv"), "a;b\n").unwrap();
        symlink("/etc/passwd", root.join("passwd.csv")).unwrap();
        symlink(d.path().join("чужой.csv"), root.join("outside.csv")).unwrap();
        symlink(".", root.join("loop1")).unwrap();
        symlink(".", root.join("loop2")).unwrap();
        symlink("..", root.join("sub/up")).unwrap();
        symlink("../a.csv", root.join("sub/inside.csv")).unwrap();
        symlink("нет.csv", root.join("dangling.csv")).unwrap();
        (d, root)
    }

    #[test]
    fn links_are_not_followed_by_default() {
        let (_d, root) = tree();
        let e = expand(std::slice::from_ref(&root)).unwrap();
        assert_eq!(names(&e, &root), ["a.csv"]);
        let skipped: Vec<&str> = e.skipped.iter().map(|i| &*i.origin.file).collect();
        // Every link is named, with the reason and the flag.
        assert_eq!(skipped.len(), 7, "{skipped:?}");
        assert!(
            e.skipped
                .iter()
                .all(|i| i.message.contains("символическая ссылка")
                    && i.message.contains("--follow-symlinks"))
        );
    }

    #[test]
    fn followed_links_stay_inside_the_folder_and_cannot_loop() {
        let (_d, root) = tree();
        let e = expand_with(
            std::slice::from_ref(&root),
            Walk {
                follow_symlinks: true,
            },
        )
        .unwrap();
        // The link inside the folder is the same file as a.csv: read once. Loops walk nothing
        // twice; /etc/passwd and the file beside the folder are never reached.
        assert_eq!(names(&e, &root), ["a.csv"]);
        assert!(e.files.iter().all(|p| !p.ends_with("passwd.csv")));
        let out: Vec<&Issue> = e
            .skipped
            .iter()
            .filter(|i| i.message.contains("за пределы папки"))
            .collect();
        assert_eq!(out.len(), 2, "{:?}", e.skipped);
        assert!(
            e.skipped
                .iter()
                .any(|i| i.message.contains("никуда не ведёт"))
        );
    }

    #[test]
    fn a_followed_link_to_a_file_inside_is_read() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        std::fs::create_dir(root.join("архив")).unwrap();
        std::fs::write(root.join("архив/огэ.csv"), "a;b\n").unwrap();
        std::fs::create_dir(root.join("2025")).unwrap();
        symlink("../архив", root.join("2025/ссылка")).unwrap();
        let e = expand_with(
            &[root.join("2025")],
            Walk {
                follow_symlinks: true,
            },
        )
        .unwrap();
        // The target lies outside the given folder «2025»: refused.
        assert!(e.files.is_empty());
        let e = expand_with(
            &[root.to_path_buf()],
            Walk {
                follow_symlinks: true,
            },
        )
        .unwrap();
        assert_eq!(names(&e, root), ["2025/ссылка/огэ.csv"]);
    }
}
