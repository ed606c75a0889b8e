//! Advice that is right (issue 9, item 7): `inspect` proposes a column for `school_id` only
//! when its values fit a school code — never «№» (1…N) nor a municipality column — prints
//! the ready `shnor.toml` block, and `--toml` writes it without overwriting a file.

use crate::util::shnor;
use std::path::Path;

/// A table shnor cannot recognize: «№» running 1…N, municipality names, a code column under
/// an unknown heading, a count.
fn write_unknown(dir: &Path) {
    std::fs::write(
        dir.join("непонятно.csv"),
        "№;Муниципалитет;Рег. номер;Кол-во учеников\n\
         1;Бийский район;X-0101;250\n\
         2;Бийский район;X-0102;300\n\
         3;город Бийск;X-0201;410\n\
         4;город Бийск;X-0202;180\n",
    )
    .unwrap();
}

fn school_id_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.contains("= \"school_id\"") && !l.trim_start().starts_with('#'))
        .collect()
}

#[test]
fn inspect_proposes_the_code_column_only() {
    let dir = tempfile::tempdir().unwrap();
    write_unknown(dir.path());
    let out = shnor().arg("inspect").arg(dir.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("готовый блок для shnor.toml"), "{text}");
    let lines = school_id_lines(&text);
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].contains("\"Рег. номер\""), "{text}");
    assert!(!text.contains("\"№\" ="), "«№» is a row number: {text}");
    assert!(
        !text
            .to_lowercase()
            .contains("\"муниципалитет\" = \"school_id\""),
        "{text}"
    );
}

#[test]
fn no_code_column_no_proposal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("непонятно.csv"),
        "№;Муниципалитет;Кол-во учеников\n1;Бийский район;250\n2;город Бийск;300\n",
    )
    .unwrap();
    let out = shnor().arg("inspect").arg(dir.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(school_id_lines(&text).is_empty(), "{text}");
    assert!(text.contains("подходящий столбец не найден"), "{text}");
}

#[test]
fn toml_is_written_parsed_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    write_unknown(&data);
    let toml = dir.path().join("shnor.toml");
    shnor()
        .arg("inspect")
        .arg(&data)
        .arg("--toml")
        .arg(&toml)
        .assert()
        .code(3);
    let text = std::fs::read_to_string(&toml).unwrap();
    let cfg = shnor::config::Config::load(&toml).expect("the written block is a valid config");
    assert_eq!(
        cfg.columns.get("Рег. номер").map(String::as_str),
        Some("school_id"),
        "{text}"
    );
    assert_eq!(cfg.files.len(), 1, "{text}");
    assert_eq!(cfg.files[0].pattern, "непонятно.csv");
    // With the kind uncommented, the file is read with the proposed code column.
    let fixed = dir.path().join("fixed.toml");
    std::fs::write(&fixed, text.replace("# kind =", "kind =")).unwrap();
    shnor::config::Config::load(&fixed).expect("the kind line is valid too");
    let out = shnor()
        .arg("--config")
        .arg(&fixed)
        .arg("inspect")
        .arg(&data)
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("→ Код ОО (school_id)"), "{shown}");
    // A second run refuses to overwrite, and leaves the file as it was.
    let out = shnor()
        .arg("inspect")
        .arg(&data)
        .arg("--toml")
        .arg(&toml)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("уже есть") && err.contains("не перезаписывает"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&toml).unwrap(), text);
}

#[test]
fn municipal_column_that_repeats_gets_a_code_proposal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("огэ_математика_2025.csv"),
        "№;Муниципалитет;Рег. номер;Участников;Средний балл\n\
         1;Бийский район;X-0101;25;3,8\n\
         2;Бийский район;X-0102;30;4,1\n\
         3;город Бийск;X-0201;41;3,5\n\
         4;город Бийск;X-0202;18;3,9\n",
    )
    .unwrap();
    let out = shnor().arg("inspect").arg(dir.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let lines = school_id_lines(&text);
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].contains("\"Рег. номер\""), "{text}");
}
