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
        .stderr(predicate::str::contains(
            "неизвестный параметр «--nonsense»",
        ))
        .stderr(predicate::str::contains("Справка: shnor identify --help"));
}

/// No line of clap's English reaches the analyst: help, refused command lines, values.
#[test]
fn help_and_command_line_errors_are_in_russian() {
    let english = [
        "Usage",
        "Options",
        "Arguments",
        "Commands",
        "error:",
        "Print help",
        "[OPTIONS]",
        "For more information",
    ];
    let runs: [(&[&str], i32); 6] = [
        (&["--help"], 0),
        (&["identify", "--help"], 0),
        (&["validate"], 2),
        (&["identfy", "x"], 2),
        (&["identify", "x", "--year", "abc"], 2),
        (&["template", "x", "--year", "1990"], 2),
    ];
    for (args, code) in runs {
        let out = shnor().args(args).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(code), "{args:?}: {text}");
        for w in english {
            assert!(!text.contains(w), "{args:?}: «{w}» в {text}");
        }
    }
    let stderr = |args: &[&str]| {
        String::from_utf8_lossy(&shnor().args(args).output().unwrap().stderr).into_owned()
    };
    assert!(stderr(&["validate"]).contains("не указано обязательное: <ПАПКА_ИЛИ_ФАЙЛЫ>"));
    assert!(stderr(&["identfy", "x"]).contains("нет команды «identfy» — может быть, identify?"));
    assert!(
        stderr(&["template", "x", "--year", "1990"]).contains(
            "значение «1990» у --year <ГОД> не подходит: должно быть в пределах 2000–2100"
        )
    );
}

#[test]
fn validate_of_a_folder_with_nothing_readable_fails() {
    let dir = tempfile::tempdir().unwrap();
    shnor()
        .arg("validate")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("файлов нет — проверьте путь"));
    // A file that is no table is a rejected file: code 3, with what it is not.
    std::fs::write(dir.path().join("прочти меня.txt"), "не таблица\n").unwrap();
    shnor()
        .arg("validate")
        .arg(dir.path())
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "не удалось понять, что это за таблица",
        ));
}

#[test]
fn template_does_not_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    shnor().arg("template").arg(dir.path()).assert().success();
    let registry = dir.path().join("реестр школ.xlsx");
    assert!(registry.is_file());
    // The analyst has filled the registry in.
    std::fs::write(&registry, b"filled in").unwrap();
    shnor()
        .arg("template")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("уже есть"))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(std::fs::read(&registry).unwrap(), b"filled in");
    shnor()
        .arg("template")
        .arg(dir.path())
        .arg("--force")
        .assert()
        .success();
    assert_ne!(std::fs::read(&registry).unwrap(), b"filled in");
}

#[test]
fn a_workbook_or_a_folder_given_as_baseline_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("identify-2025.json"), "{}").unwrap();
    std::fs::write(dir.path().join("identify-2025.xlsx"), b"PK\x03\x04").unwrap();
    // A workbook: the advice names the baseline lying beside it.
    shnor()
        .args(["progress", "нет-папки", "--baseline"])
        .arg(dir.path().join("identify-2025.xlsx"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("это книга Excel"))
        .stderr(predicate::str::contains("есть: identify-2025.json"))
        .stderr(predicate::str::contains("os error").not());
    // A folder: its baseline is read, and this one is not shnor's.
    shnor()
        .args(["progress", "нет-папки", "--baseline"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "identify-2025.json: нет поля format_version",
        ));
    // A folder with no baseline at all.
    let empty = tempfile::tempdir().unwrap();
    shnor()
        .args(["progress", "нет-папки", "--baseline"])
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("в папке нет базового снимка"));
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

/// `-q` in cron: a run on the demo with nothing left out prints nothing at all.
#[test]
fn quiet_runs_print_nothing_when_nothing_is_left_out() {
    let out = tempfile::tempdir().unwrap();
    let run = |args: &[&std::ffi::OsStr]| {
        let o = shnor().args(args).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let demo = root().join("examples/demo");
    let (o, e) = run(&[
        "-q".as_ref(),
        "identify".as_ref(),
        demo.as_os_str(),
        "--out".as_ref(),
        out.path().as_os_str(),
    ]);
    assert_eq!((o.as_str(), e.as_str()), ("", ""));
    // The interim data have no registry: matched through the baseline's — said in the
    // report, not on the terminal under -q.
    let (o, e) = run(&[
        "-q".as_ref(),
        "progress".as_ref(),
        root().join("examples/demo-progress").as_os_str(),
        "--baseline".as_ref(),
        out.path().join("identify-2025.json").as_os_str(),
        "--out".as_ref(),
        out.path().as_os_str(),
    ]);
    assert_eq!((o.as_str(), e.as_str()), ("", ""));
}
