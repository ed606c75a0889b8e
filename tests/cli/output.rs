//! The report set is written all or nothing (docs/outputs.md «Как записываются файлы»): a
//! failed write keeps the previous set byte for byte, the next run removes what killed runs
//! left, a folder locked by another run gives a message, files follow the umask.

use crate::util::root;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output};

const SET: [&str; 5] = [
    "identify-2025.xlsx",
    "schools.csv",
    "identify-2025.json",
    "baseline-2025.json.gz",
    "identify-2025.docx",
];

/// `shnor identify fixtures/handworked --out <out>` with `setup` run in the child before exec.
fn identify(
    out: &Path,
    setup: impl FnMut() -> std::io::Result<()> + Send + Sync + 'static,
) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shnor"));
    cmd.arg("identify")
        .arg(root().join("fixtures/handworked"))
        .arg("--out")
        .arg(out)
        .arg("-q")
        .env("SHNOR_LOCK_WAIT", "0");
    // SAFETY: the closures only call async-signal-safe libc functions.
    unsafe { cmd.pre_exec(setup) };
    cmd.output().unwrap()
}

/// Every entry of the folder with its bytes, sorted.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = if e.file_type().unwrap().is_dir() {
                b"<folder>".to_vec()
            } else {
                fs::read(e.path()).unwrap()
            };
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    v.sort();
    v
}

fn previous_set(out: &Path) {
    fs::create_dir_all(out).unwrap();
    for name in SET {
        fs::write(out.join(name), format!("прежний {name}")).unwrap();
    }
}

#[test]
fn a_full_disk_keeps_the_previous_set_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("отчёт");
    previous_set(&out);
    let before = snapshot(&out);
    // A file may grow to 100 KiB: the workbook (~31 KB) and the CSV fit, the JSON (~150 KB)
    // does not — the order of a full disk that left the old JSON beside a new workbook.
    let out_run = identify(&out, || {
        // SAFETY: plain libc calls between fork and exec.
        unsafe {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: 100 * 1024,
                rlim_max: 100 * 1024,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        Ok(())
    });
    let err = String::from_utf8_lossy(&out_run.stderr);
    assert_eq!(out_run.status.code(), Some(1), "{err}");
    assert!(
        err.contains("не записан (на диске не хватает места: освободите место или укажите другую папку --out), прежние файлы отчёта не изменены"),
        "{err}"
    );
    assert!(err.contains("identify-2025.json"), "{err}");
    assert_eq!(
        snapshot(&out),
        before,
        "previous set intact, no temporaries"
    );
}

#[test]
fn the_next_run_removes_temporaries_and_follows_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("отчёт");
    previous_set(&out);
    // What killed runs left: a staging folder without a manifest, a temporary file of the
    // previous version, a single-file temporary of a process that is gone.
    let staging = out.join(".shnor-tmp-999999");
    fs::create_dir(&staging).unwrap();
    fs::write(staging.join("identify-2025.json"), "{\"half").unwrap();
    fs::write(out.join(".shnor-a1B2c3.tmp"), "полфайла").unwrap();
    fs::write(out.join(".shnor-999998-1.tmp"), "полфайла").unwrap();
    fs::write(out.join("заметки.txt"), "моё").unwrap();

    let run = identify(&out, || {
        // SAFETY: umask cannot fail.
        unsafe { libc::umask(0o077) };
        Ok(())
    });
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut names: Vec<String> = snapshot(&out).into_iter().map(|(n, _)| n).collect();
    names.sort();
    let mut want: Vec<String> = SET.iter().map(|s| s.to_string()).collect();
    want.push("заметки.txt".into());
    want.sort();
    assert_eq!(names, want);
    for name in SET {
        let mode = fs::metadata(out.join(name)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name}: umask 077 → rw-------");
        assert!(
            !fs::read(out.join(name))
                .unwrap()
                .starts_with("прежний".as_bytes())
        );
    }
}

#[test]
fn a_folder_locked_by_another_run_gives_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("отчёт");
    previous_set(&out);
    // Another run holds the lock (flock is per open file, so this process's lock stops the
    // child); it wrote its process id into the file.
    let lock = fs::File::create(out.join(".shnor.lock")).unwrap();
    lock.lock().unwrap();
    fs::write(out.join(".shnor.lock"), "4242").unwrap();
    let before = snapshot(&out);
    let run = identify(&out, || Ok(()));
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(
        err.contains("занята: в неё сейчас записывает отчёт другой запуск shnor (процесс 4242)"),
        "{err}"
    );
    assert!(err.contains("SHNOR_LOCK_WAIT"), "{err}");
    assert_eq!(snapshot(&out), before);
    drop(lock);
}

/// The xlsx writer builds large sheets in the temporary folder: when it cannot (no folder
/// here; a full one makes the writer panic, tried by hand with a 64 KB tmpfs), the run says
/// so in Russian, exits 1 and the previous set stays.
#[test]
fn an_unusable_temporary_folder_is_named_and_the_previous_set_stays() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("отчёт");
    previous_set(&out);
    let before = snapshot(&out);
    let gone = dir.path().join("нет такой папки");
    let o = Command::new(env!("CARGO_BIN_EXE_shnor"))
        .arg("identify")
        .arg(root().join("fixtures/handworked"))
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .env("TMPDIR", &gone)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("книгу Excel не удалось собрать")
            && err.contains(&gone.display().to_string())
            && err.contains("TMPDIR")
            && !err.contains("panicked"),
        "{err}"
    );
    assert_eq!(snapshot(&out), before);
}

/// Memory that runs out is one Russian message and exit 1, not Rust's English «memory
/// allocation of N bytes failed» and SIGABRT; the previous set stays whole. Made
/// deterministic: a zip member says it holds 3.75 GB, the limits are raised so shnor
/// believes it (it reserves the declared size to read into), and the run may use 1 GB of
/// address space.
#[test]
fn running_out_of_memory_is_a_russian_message_and_the_previous_set_stays() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("выгрузки");
    fs::create_dir_all(&input).unwrap();
    for e in fs::read_dir(root().join("fixtures/handworked")).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, input.join(p.file_name().unwrap())).unwrap();
    }
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    w.start_file("big.csv", opts).unwrap();
    w.write_all(b"a;b\n1;2\n").unwrap();
    let mut zip = w.finish().unwrap().into_inner();
    // The uncompressed size: bytes 22.. of the local header, 24.. of the central one.
    let central = zip.windows(4).position(|s| s == b"PK\x01\x02").unwrap();
    for at in [22, central + 24] {
        zip[at..at + 4].copy_from_slice(&0xF000_0000u32.to_le_bytes());
    }
    fs::write(input.join("архив.zip"), zip).unwrap();
    let config = dir.path().join("shnor.toml");
    fs::write(
        &config,
        "[limits]\nfile_megabytes = 8192\nrun_megabytes = 16384\nunpack_ratio_from_megabytes = 8192\n",
    )
    .unwrap();
    let out = dir.path().join("отчёт");
    previous_set(&out);
    let before = snapshot(&out);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shnor"));
    cmd.arg("identify")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--config")
        .arg(&config)
        .arg("-q");
    // SAFETY: setrlimit only, between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 1 << 30,
                rlim_max: 1 << 30,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        })
    };
    let run = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(
        err.contains("shnor: ошибка: не хватило памяти (не удалось получить ещё 3840 МБ)"),
        "{err}"
    );
    assert!(!err.contains("memory allocation"), "{err}");
    assert_eq!(
        snapshot(&out),
        before,
        "previous set intact, no temporaries"
    );
}

/// Threads that cannot start (here: a stack size no mmap can give, as a small `ulimit -v`
/// does to every thread) are one Russian message and exit 1 before anything is read, not
/// rayon's English panic (exit 101); the previous set stays.
#[test]
fn threads_that_cannot_start_are_a_russian_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("отчёт");
    previous_set(&out);
    let before = snapshot(&out);
    let run = Command::new(env!("CARGO_BIN_EXE_shnor"))
        .arg("identify")
        .arg(root().join("fixtures/handworked"))
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .env("RUST_MIN_STACK", "100000000000000")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("shnor: ошибка: не удалось запустить потоки расчёта ("),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        snapshot(&out),
        before,
        "previous set intact, no temporaries"
    );
}
