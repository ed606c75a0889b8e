//! `shnor progress` on the hand-worked fixture (fixtures/progress/README.md) and on the bad
//! cases of issue 4: a baseline of another format version or config, targets the tool cannot
//! compute, a school missing from the interim data, an interim file of an earlier year.

use crate::util::{read_csv, root, shnor};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    root().join("fixtures/progress")
}

const DATE: &str = "2026-02-15";

/// Runs progress on the fixture's interim folder (or `inputs`) and returns the JSON report.
fn run(inputs: &Path, baseline: &Path, extra: &[&str], out: &Path) -> assert_cmd::assert::Assert {
    shnor()
        .arg("progress")
        .arg(inputs)
        .arg("--baseline")
        .arg(baseline)
        .arg("--targets")
        .arg(fixture().join("целевые показатели.csv"))
        .args(["--date", DATE, "--out"])
        .arg(out)
        .args(extra)
        .assert()
}

fn report(out: &Path) -> Value {
    let p = out.join(format!("progress-{DATE}.json"));
    serde_json::from_slice(&std::fs::read(&p).expect("progress json written")).unwrap()
}

fn flag<'a>(r: &'a Value, school: &str, kind: &str) -> Option<&'a Value> {
    r["findings"]["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["school"] == school && f["kind"] == kind)
}

fn change<'a>(r: &'a Value, school: &str, key: &str) -> &'a Value {
    r["findings"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["school"] == school && c["key"] == key)
        .unwrap_or_else(|| panic!("no change {school} {key}"))
}

#[test]
fn fixture_reproduces_the_hand_arithmetic() {
    let out = tempfile::tempdir().unwrap();
    run(
        &fixture().join("interim"),
        &fixture().join("identify-2025.json"),
        &[],
        out.path(),
    )
    .code(0);
    for ext in ["xlsx", "json", "csv"] {
        assert!(out.path().join(format!("progress-{DATE}.{ext}")).is_file());
    }
    let r = report(out.path());
    // README §2: ОИП on the interim date 17.0 / 14.0 / 20.0.
    let oip = |id: &str| {
        r["findings"]["oip"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["school"] == id)
            .unwrap()["value"]
            .as_f64()
    };
    assert!((oip("ОО-1").unwrap() - 17.0).abs() < 1e-9);
    assert!((oip("ОО-2").unwrap() - 14.0).abs() < 1e-9);
    assert!((oip("ОО-3").unwrap() - 20.0).abs() < 1e-9);
    // README §3: the two-proportion test by hand, p = 0.025347.
    let c = change(&r, "ОО-1", "КДР Математика 5 кл.|fail");
    assert_eq!(c["status"], "улучшение");
    assert!((c["p_value"].as_f64().unwrap() - 0.025_347).abs() < 1e-5);
    assert_eq!(
        change(&r, "ОО-3", "КДР Математика 5 кл.|fail")["status"],
        "ухудшение"
    );
    // README §4: ОО-1 leaves ШНОР (17.0 ≥ 15), ОО-2 stays (14.0 < 15), ОО-3 enters зона риска.
    assert_eq!(flag(&r, "ОО-1", "ШНОР").unwrap()["movement"], "вышла");
    assert_eq!(flag(&r, "ОО-2", "ШНОР").unwrap()["movement"], "остаётся");
    assert_eq!(flag(&r, "ОО-3", "зона риска").unwrap()["movement"], "вошла");
    // A school missing from the interim data: listed, nothing moves.
    let c = change(&r, "ОО-4", "—");
    assert_eq!(c["status"], "нет данных для сравнения");
    assert!(flag(&r, "ОО-4", "ШНОР").is_none());
    // The CSV for scripts: one row per comparison, shares as fractions with a decimal point.
    let (header, rows) = read_csv(&out.path().join(format!("progress-{DATE}.csv")));
    let col = |h: &str| header.iter().position(|x| x == h).unwrap();
    let fail = rows
        .iter()
        .find(|r| r[col("school")] == "ОО-1" && r[col("key")] == "КДР Математика 5 кл.|fail")
        .unwrap();
    assert_eq!(fail[col("baseline")], "0.3");
    assert_eq!(fail[col("current")], "0.1");
    assert_eq!(fail[col("status")], "улучшение");
    // README §5: targets.
    let t = r["findings"]["targets"].as_array().unwrap();
    assert!((t[0]["actual"].as_f64().unwrap() - 40.0).abs() < 1e-9);
    assert!((t[0]["percent_of_plan"].as_f64().unwrap() - 80.0).abs() < 1e-9);
    assert_eq!(t[0]["status"], "не достигнуто");
    assert_eq!(t[2]["source"], "не вычисляется, взято как введено");
    assert_eq!(t[2]["status"], "в пределах допуска");
    assert_eq!(t[3]["source"], "не вычисляется, нет факта");
    assert_eq!(t[3]["status"], "нет факта");
    assert!(
        t[3]["note"]
            .as_str()
            .unwrap()
            .contains("ключ «network» shnor не знает")
    );
    assert_eq!(t[4]["actual"].as_f64(), Some(1.0));
    assert_eq!(t[4]["status"], "достигнуто");
}

#[test]
fn baseline_of_another_format_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut v: Value =
        serde_json::from_slice(&std::fs::read(fixture().join("identify-2025.json")).unwrap())
            .unwrap();
    v["format_version"] = 99.into();
    let b = dir.path().join("identify-2025.json");
    std::fs::write(&b, v.to_string()).unwrap();
    let out = dir.path().join("out");
    let a = run(&fixture().join("interim"), &b, &[], &out).code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("версия формата 99 не поддерживается"), "{err}");
    assert!(err.contains("shnor identify"), "{err}");
    assert!(!out.exists(), "nothing written");
}

/// Baselines that cannot be compared against (issue 13, item 6): each used to give a report
/// with exit 0 («вошли 0, вышли 0» or flags moved by a threshold of −1e308).
#[test]
fn baseline_that_does_not_fit_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture().join("identify-2025.json")).unwrap();
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut v: Value = serde_json::from_str(&text).unwrap();
        f(&mut v);
        v.to_string()
    };
    let cases = [
        (
            "другой муниципалитет",
            // Every school id of the baseline changed: the same file of another municipality.
            text.replace("ОО-", "ШК-"),
            "ни одна школа промежуточных данных не найдена в базовом снимке",
        ),
        (
            "порог ИСБ",
            edit(&|v| {
                v["findings"]["isb_threshold"] =
                    serde_json::json!({"spec": "p25", "value": -1e308, "year": 2025});
            }),
            "базовый снимок не подходит для сравнения — порог ИСБ -1e308 вне шкалы ИСБ (от 0 до 100)",
        ),
        (
            "пустой список",
            edit(&|v| v["findings"]["schools"] = serde_json::json!([])),
            "базовый снимок не подходит для сравнения — в нём нет ни одной школы",
        ),
        (
            "ОИП",
            edit(&|v| v["findings"]["schools"][1]["oip"][0]["value"] = 250.0.into()),
            "ОИП школы ОО-2 за 2024 год — 250, вне шкалы ОИП (от 0 до 35)",
        ),
        (
            "настройки снимка",
            edit(&|v| v["config"]["oip"]["shnor_bar"] = (-5.0).into()),
            "ошибка в настройках, записанных в снимке: oip.shnor_bar = -5",
        ),
    ];
    for (what, json, want) in cases {
        let b = dir.path().join("identify-2025.json");
        std::fs::write(&b, json).unwrap();
        let out = dir.path().join("out");
        let a = run(&fixture().join("interim"), &b, &[], &out).code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(err.contains(want), "{what}: {err}");
        assert!(
            err.contains("identify"),
            "{what}: says what the file is: {err}"
        );
        assert!(!out.exists(), "{what}: nothing written");
    }
}

#[test]
fn baseline_made_with_another_config_is_judged_by_its_own_methodology() {
    let dir = tempfile::tempdir().unwrap();
    // With a ШНОР bar of 13, ОО-2 (14.0 ≥ 13 + 1) would leave; the baseline's bar 14 keeps it.
    let cfg = dir.path().join("shnor.toml");
    std::fs::write(&cfg, "[oip]\nshnor_bar = 13.0\n").unwrap();
    let out = dir.path().join("out");
    let a = run(
        &fixture().join("interim"),
        &fixture().join("identify-2025.json"),
        &["--config", cfg.to_str().unwrap()],
        &out,
    )
    .code(0);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        err.contains("отличаются от настроек базового снимка (разделы: oip)"),
        "{err}"
    );
    let r = report(&out);
    assert_eq!(flag(&r, "ОО-2", "ШНОР").unwrap()["movement"], "остаётся");
    assert!(
        r["notes"][0]
            .as_str()
            .unwrap()
            .contains("по методике снимка")
    );
}

#[test]
fn interim_file_of_an_earlier_year_is_left_out_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let interim = dir.path().join("промежуточные");
    std::fs::create_dir(&interim).unwrap();
    let old = std::fs::read_to_string(fixture().join("interim/всош МЭ 2025-2026.csv"))
        .unwrap()
        .replace(";2026", ";2025");
    std::fs::write(interim.join("всош МЭ 2024-2025.csv"), &old).unwrap();
    let b = fixture().join("identify-2025.json");

    // Only the old file: nothing to compare, nothing written.
    let out = dir.path().join("out1");
    let a = run(&interim, &b, &[], &out).code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("всош МЭ 2024-2025.csv"), "{err}");
    assert!(
        err.contains("год базового снимка (2025) или раньше"),
        "{err}"
    );
    assert!(
        err.contains("нет промежуточных данных за 2025/26 учебный год"),
        "{err}"
    );
    assert!(!out.join(format!("progress-{DATE}.json")).exists());

    // The old file next to the real interim data: the report is written without it, exit 3.
    for f in std::fs::read_dir(fixture().join("interim")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, interim.join(f.file_name().unwrap())).unwrap();
    }
    let out = dir.path().join("out2");
    run(&interim, &b, &[], &out).code(3);
    let r = report(&out);
    let issue = r["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            i["origin"]["file"]
                .as_str()
                .unwrap()
                .ends_with("всош МЭ 2024-2025.csv")
        })
        .expect("the old file is reported");
    assert_eq!(issue["severity"], "отклонено");
    // The interim ОИП is the same as without the old file.
    let o1 = r["findings"]["oip"][0]["value"].as_f64().unwrap();
    assert!((o1 - 17.0).abs() < 1e-9);
}
