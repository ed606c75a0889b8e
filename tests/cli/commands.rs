//! The command line itself: help, config, exit codes for usage errors.

use crate::util::{root, shnor};
use predicates::prelude::*;

#[test]
fn help_is_russian_and_lists_commands() {
    shnor()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("identify"))
        .stdout(predicate::str::contains("Коды завершения"));
}

#[test]
fn default_config_round_trips_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("shnor.toml");
    shnor()
        .args(["config", "--default", "-o"])
        .arg(&cfg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&cfg).unwrap();
    // The docs/method.md §4 defaults are written out.
    assert!(text.contains("shnor_bar = 14.0"), "{text}");
    assert!(text.contains("program_threshold = 21.0"));
    assert!(text.contains("threshold = \"p25\""));
    // Read back with one value changed in the file: the effective settings carry it, and
    // the rest are still the defaults written above.
    std::fs::write(&cfg, text.replace("shnor_bar = 14.0", "shnor_bar = 16.0")).unwrap();
    let out = shnor()
        .arg("--config")
        .arg(&cfg)
        .arg("config")
        .assert()
        .success();
    let back = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(back.contains("shnor_bar = 16.0"), "{back}");
    assert!(back.contains("program_threshold = 21.0"), "{back}");
    assert!(back.contains("threshold = \"p25\""), "{back}");
}

#[test]
fn bad_config_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "[oip]\nshnor_bar = 30\n").unwrap();
    shnor()
        .arg("--config")
        .arg(&cfg)
        .args(["identify", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shnor_bar"))
        .stderr(predicate::str::contains("bad.toml"));
}

/// `shnor_bar = nan` used to be accepted: no school is below NaN, so the ШНОР list emptied.
#[test]
fn nan_in_config_is_refused_with_the_key_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("nan.toml");
    std::fs::write(&cfg, "[oip]\nshnor_bar = nan\n").unwrap();
    let out = dir.path().join("отчёт");
    shnor()
        .arg("--config")
        .arg(&cfg)
        .arg("identify")
        .arg(root().join("fixtures/handworked"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "nan.toml: oip.shnor_bar = nan: по шкале ОИП (0 … 5 × oip.scale) — допустимо число от 0 до 35",
        ));
    assert!(!out.exists());
}

#[test]
fn unknown_option_is_a_usage_error() {
    shnor()
        .args(["identify", "--nonsense"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'--nonsense'"));
}

#[test]
fn missing_input_fails_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    shnor()
        .args(["identify", "нет-такой-папки", "--out"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("нет-такой-папки"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// `shnor inspect … | head -1`: the reader is gone before shnor writes (the pipe's read end is
/// closed before the start, so every write fails). Exit 0 and not a word, as ripgrep does.
#[test]
fn closed_stdout_exits_quietly_with_zero() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shnor"))
        .arg("inspect")
        .arg(crate::util::root().join("fixtures/layouts/егэ_2024_широкая.csv"))
        .stdout(writer)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
}
