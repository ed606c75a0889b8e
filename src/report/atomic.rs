//! All-or-nothing writing of a report set (docs/outputs.md «Как записываются файлы»).
//!
//! A set (xlsx, csv, json) is written whole into a staging folder `<out>/.shnor-tmp-<pid>/`,
//! each file synced; then a manifest naming the files is renamed into that folder — from that
//! moment the new set is committed — and the files are renamed into `<out>` one by one. A run
//! killed before the manifest leaves the previous set untouched; a run killed during the
//! renames leaves a committed staging folder that the next run into `<out>` completes before
//! anything else. The next run also removes staging folders and `.shnor-*.tmp` files of dead
//! runs. A lock file `<out>/.shnor.lock` (flock) serialises runs into one folder: a second run
//! waits up to `SHNOR_LOCK_WAIT` seconds (60 by default), then stops with a message.
//!
//! A set may hold one level of folders («папка/файл»: the part workbooks of a split report):
//! a folder is committed by renaming it whole, the previous one moved aside and removed. A
//! set also names what it replaces without rewriting (a full JSON or a folder of parts an
//! earlier run wrote and this one does not): removed at the commit, never before.
//!
//! Files are created with mode 0666 minus the umask: reports hold coordinators' names and
//! phones, so who may read them is the analyst's umask, not ours.

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Writes one file's content into an open file.
pub type Fill<'a> = Box<dyn FnOnce(&mut File) -> Result<()> + Send + 'a>;

/// A `Fill` that writes bytes rendered beforehand.
pub fn fill_bytes<'a>(bytes: Vec<u8>) -> Fill<'a> {
    Box::new(move |f: &mut File| Ok(f.write_all(&bytes)?))
}

const LOCK: &str = ".shnor.lock";
const STAGING: &str = ".shnor-tmp-";
const MANIFEST: &str = "manifest";
const DEFAULT_WAIT_SECS: f64 = 60.0;

/// Writes `bytes` to `path` through a temporary file `.shnor-<pid>-<n>.tmp` in the same folder
/// (a single file: a configuration, a settings block), renamed into place when complete.
///
/// # Errors
/// When the folder cannot be created or written; the temporary file is removed.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = folder_of(path);
    fs::create_dir_all(dir)
        .with_context(|| format!("не удалось создать папку {}", dir.display()))?;
    let (tmp, mut file) = new_temporary(dir)?;
    let done = (|| -> Result<()> {
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        Ok(())
    })();
    if let Err(e) = done {
        fs::remove_file(&tmp).ok();
        return Err(e).with_context(|| format!("не удалось записать {}", path.display()));
    }
    sync_dir(dir);
    Ok(())
}

/// Writes a set of files into `dir` all or nothing (see the module comment); `outputs` are
/// (file name, bytes). Returns the paths written, in the order given.
///
/// # Errors
/// When the folder cannot be created or locked, or a file cannot be written; then the
/// previous set in `dir` is left as it was.
#[cfg(test)]
pub fn write_set(dir: &Path, outputs: Vec<(String, Vec<u8>)>) -> Result<Vec<PathBuf>> {
    write_set_replacing(dir, outputs, &[])
}

/// As [`write_set`]; the names in `remove` (files or folders of an earlier set that this one
/// does not have) are removed when the set is committed.
///
/// # Errors
/// As [`write_set`].
pub fn write_set_replacing(
    dir: &Path,
    outputs: Vec<(String, Vec<u8>)>,
    remove: &[String],
) -> Result<Vec<PathBuf>> {
    let fills = outputs
        .into_iter()
        .map(|(name, bytes)| (name, fill_bytes(bytes)))
        .collect();
    write_set_removing(dir, fills, remove, lock_wait())
}

/// As [`write_set`], each file written by its own `Fill` straight into the staging folder:
/// a large file (a country's progress JSON is hundreds of MB) is never held whole in memory.
/// A `Fill` that fails leaves nothing written, as a failed rendering before it would.
///
/// # Errors
/// As [`write_set`].
pub fn write_set_filled(dir: &Path, outputs: Vec<(String, Fill)>) -> Result<Vec<PathBuf>> {
    write_set_removing(dir, outputs, &[], lock_wait())
}

/// As [`write_set`], each file written by its own `Fill`, waiting at most `wait` for the lock.
///
/// # Errors
/// As [`write_set`].
#[cfg(test)]
pub fn write_set_with(
    dir: &Path,
    outputs: Vec<(String, Fill)>,
    wait: Duration,
) -> Result<Vec<PathBuf>> {
    write_set_removing(dir, outputs, &[], wait)
}

fn write_set_removing(
    dir: &Path,
    outputs: Vec<(String, Fill)>,
    remove: &[String],
    wait: Duration,
) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)
        .with_context(|| format!("не удалось создать папку {}", dir.display()))?;
    let _lock = DirLock::acquire(dir, wait)?;
    recover(dir)?;
    let names: Vec<String> = outputs.iter().map(|(n, _)| n.clone()).collect();
    let mut entries: Vec<String> = Vec::new();
    for n in &names {
        let top = top_name(n).to_string();
        if !entries.contains(&top) {
            entries.push(top);
        }
    }
    let staging = dir.join(format!("{STAGING}{}", std::process::id()));
    let removals: Vec<String> = remove
        .iter()
        .filter(|r| is_plain_name(r) && !entries.contains(r))
        .map(|r| format!("{REMOVE}{r}"))
        .collect();
    entries.extend(removals);
    if let Err(e) = stage(&staging, outputs, &entries) {
        fs::remove_dir_all(&staging).ok();
        let full = e.chain().any(|c| {
            c.downcast_ref::<std::io::Error>().is_some_and(|io| {
                use std::io::ErrorKind::{FileTooLarge, QuotaExceeded, StorageFull};
                matches!(io.kind(), StorageFull | QuotaExceeded | FileTooLarge)
            })
        });
        let why = if full {
            " (на диске не хватает места: освободите место или укажите другую папку --out)"
        } else {
            ""
        };
        return Err(e).with_context(|| {
            format!(
                "отчёт в папку {} не записан{why}, прежние файлы отчёта не изменены",
                dir.display()
            )
        });
    }
    commit(dir, &staging, &entries).with_context(|| {
        format!(
            "отчёт в папке {} записан не до конца: следующий запуск shnor в эту папку допишет его",
            dir.display()
        )
    })?;
    Ok(names.iter().map(|n| dir.join(n)).collect())
}

/// Seconds to wait for another run's lock: `SHNOR_LOCK_WAIT`, 60 by default.
fn lock_wait() -> Duration {
    std::env::var("SHNOR_LOCK_WAIT")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(Duration::from_secs_f64(DEFAULT_WAIT_SECS), |s| {
            Duration::from_secs_f64(s.min(1e6))
        })
}

/// The entry of the output folder a set's name lands in: «папка/файл» → «папка».
fn top_name(name: &str) -> &str {
    name.split('/').next().unwrap_or(name)
}

/// A manifest line naming what the commit removes.
const REMOVE: &str = "\t";

/// Writes every file into a fresh staging folder, syncs it, then commits it by the manifest
/// of `entries` (the top-level names, and the removals).
fn stage(staging: &Path, outputs: Vec<(String, Fill)>, entries: &[String]) -> Result<()> {
    if staging.exists() {
        fs::remove_dir_all(staging)?;
    }
    fs::create_dir(staging)
        .with_context(|| format!("не удалось создать папку {}", staging.display()))?;
    let mut folders = Vec::new();
    for (name, _) in &outputs {
        let path = staging.join(name);
        if let Some(parent) = path.parent()
            && parent != staging
            && !parent.exists()
        {
            fs::create_dir_all(parent)
                .with_context(|| format!("не удалось создать папку {}", parent.display()))?;
            folders.push(parent.to_path_buf());
        }
    }
    // Filled side by side (a country's progress workbook, JSON and CSV take seconds each),
    // one job per file (`with_max_len(1)`: halves of the list put the workbook and the JSON,
    // the two longest, on one thread); each job opens its own file, so a thousand part books
    // never hold a thousand descriptors.
    outputs
        .into_par_iter()
        .with_max_len(1)
        .try_for_each(|(name, fill)| {
            let path = staging.join(&name);
            let mut f = File::create(&path)
                .with_context(|| format!("не удалось создать файл {}", path.display()))?;
            fill(&mut f).with_context(|| format!("не удалось записать {name}"))?;
            f.sync_all()
                .with_context(|| format!("не удалось записать {name}"))
        })?;
    for d in &folders {
        sync_dir(d);
    }
    let mut list = String::new();
    for e in entries {
        list.push_str(e);
        list.push('\n');
    }
    // The manifest appears whole or not at all: written aside, then renamed.
    let part = staging.join(format!("{MANIFEST}.part"));
    let mut f = File::create(&part)?;
    f.write_all(list.as_bytes())?;
    f.sync_all()?;
    drop(f);
    sync_dir(staging);
    fs::rename(&part, staging.join(MANIFEST)).context("не удалось записать список файлов")?;
    sync_dir(staging);
    Ok(())
}

/// Renames the committed files and folders of `staging` into `dir`, removes what the set
/// replaces, and removes the staging folder.
fn commit(dir: &Path, staging: &Path, names: &[String]) -> Result<()> {
    for name in names {
        if let Some(gone) = name.strip_prefix(REMOVE) {
            remove_entry(&dir.join(gone)).with_context(|| format!("не удалось удалить {gone}"))?;
            continue;
        }
        let from = staging.join(name);
        // Absent when an interrupted commit already moved it.
        if from.is_dir() {
            let to = dir.join(name);
            if to.exists() {
                // Moved aside under a staging name: a run killed here leaves it to the next
                // run's `recover`, which removes a staging folder without a manifest.
                let old = dir.join(format!("{STAGING}old-{}", std::process::id()));
                remove_entry(&old)?;
                fs::rename(&to, &old)
                    .with_context(|| format!("не удалось переименовать {name}"))?;
                fs::rename(&from, &to)
                    .with_context(|| format!("не удалось переименовать {name}"))?;
                fs::remove_dir_all(&old).ok();
            } else {
                fs::rename(&from, &to)
                    .with_context(|| format!("не удалось переименовать {name}"))?;
            }
        } else if from.exists() {
            fs::rename(&from, dir.join(name))
                .with_context(|| format!("не удалось переименовать {name}"))?;
        }
    }
    sync_dir(dir);
    fs::remove_dir_all(staging)
        .with_context(|| format!("не удалось удалить {}", staging.display()))?;
    Ok(())
}

/// Finishes or removes what earlier runs left in `dir` (called under the lock, so no live
/// run owns a staging folder): a committed staging folder is renamed into place, an
/// uncommitted one removed; a single-file temporary is removed unless its process lives.
fn recover(dir: &Path) -> Result<()> {
    let entries = fs::read_dir(dir)
        .with_context(|| format!("не удалось прочитать папку {}", dir.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && name.starts_with(STAGING) {
            match fs::read_to_string(path.join(MANIFEST)) {
                Ok(list) => {
                    let names: Vec<String> = list
                        .lines()
                        .filter(|n| is_plain_name(n))
                        .map(String::from)
                        .collect();
                    commit(dir, &path, &names).with_context(|| {
                        format!(
                            "не удалось дописать отчёт прерванного запуска ({})",
                            path.display()
                        )
                    })?;
                }
                Err(_) => fs::remove_dir_all(&path).with_context(|| {
                    format!("не удалось удалить временную папку {}", path.display())
                })?,
            }
        } else if !is_dir
            && name.starts_with(".shnor-")
            && name.ends_with(".tmp")
            && !owner_alive(&name)
        {
            fs::remove_file(&path)
                .with_context(|| format!("не удалось удалить временный файл {}", path.display()))?;
        }
    }
    Ok(())
}

/// A file name without folders (a manifest line is trusted no further than that).
fn is_plain_name(n: &str) -> bool {
    let n = n.strip_prefix(REMOVE).unwrap_or(n);
    !n.is_empty() && n != "." && n != ".." && !n.contains(['/', '\\', '\t'])
}

/// Removes a file or a folder; absent is fine. Symbolic links are removed, never followed.
fn remove_entry(p: &Path) -> Result<()> {
    match fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(p)?,
        Ok(_) => fs::remove_file(p)?,
        Err(_) => {}
    }
    Ok(())
}

/// Whether the process that named a `.shnor-<pid>-<n>.tmp` file still runs. Names of older
/// versions (`.shnor-<random>.tmp`) carry no process: theirs is long gone.
fn owner_alive(name: &str) -> bool {
    let Some(pid) = name
        .strip_prefix(".shnor-")
        .and_then(|r| r.split('-').next())
        .and_then(|p| p.parse::<u32>().ok())
    else {
        return false;
    };
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        // Without /proc we cannot tell; keeping a stray file beats deleting a live one.
        true
    }
}

/// A new temporary file `.shnor-<pid>-<n>.tmp` in `dir`, created exclusively.
fn new_temporary(dir: &Path) -> Result<(PathBuf, File)> {
    let pid = std::process::id();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    for n in 0..100u32 {
        let path = dir.join(format!(".shnor-{pid}-{}.tmp", seed.wrapping_add(n)));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(f) => return Ok((path, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(e).with_context(|| {
                    format!("не удалось создать временный файл в {}", dir.display())
                });
            }
        }
    }
    bail!("не удалось создать временный файл в {}", dir.display())
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Makes renames in `dir` durable; a file system that cannot sync a folder is not an error.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        d.sync_all().ok();
    }
}

/// The lock of an output folder: `<dir>/.shnor.lock`, locked with flock and removed when the
/// run ends. Removing it is safe because a run that locked a file checks that the path still
/// names that file, else it locks again.
struct DirLock {
    path: PathBuf,
    _file: File,
}

impl DirLock {
    fn acquire(dir: &Path, wait: Duration) -> Result<DirLock> {
        let path = dir.join(LOCK);
        let deadline = Instant::now() + wait;
        loop {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .with_context(|| format!("не удалось создать файл {}", path.display()))?;
            match file.try_lock() {
                Ok(()) => {
                    if !same_file(&file, &path) {
                        continue;
                    }
                    // The holder's process id, for the message of a run that waits.
                    file.set_len(0).ok();
                    write!(file, "{}", std::process::id()).ok();
                    return Ok(DirLock { path, _file: file });
                }
                Err(fs::TryLockError::WouldBlock) => {
                    if Instant::now() >= deadline {
                        let mut holder = String::new();
                        file.read_to_string(&mut holder).ok();
                        let holder = holder.trim();
                        let who = if holder.is_empty() {
                            String::new()
                        } else {
                            format!(" (процесс {holder})")
                        };
                        bail!(
                            "папка {} занята: в неё сейчас записывает отчёт другой запуск shnor{who}; \
                             подождали {} с. Дождитесь его окончания и запустите снова или укажите \
                             другую папку --out (время ожидания задаёт переменная SHNOR_LOCK_WAIT, \
                             в секундах)",
                            dir.display(),
                            wait.as_secs()
                        );
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                // A file system without locks (some network shares): write unlocked, as
                // before locks existed, rather than refuse to write at all.
                Err(fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                    return Ok(DirLock { path, _file: file });
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(e)
                        .with_context(|| format!("не удалось заблокировать {}", path.display()));
                }
            }
        }
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Removed while still locked (the file closes after this), so no run can lock it
        // after us and find it gone.
        fs::remove_file(&self.path).ok();
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
#[path = "atomic_tests.rs"]
mod tests;
