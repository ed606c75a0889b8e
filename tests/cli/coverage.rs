//! One bad file never sinks the December report (issue 9, item 6): a file that is not
//! recognised or repeats another is listed and skipped (exit 3); a kind of data that is
//! wholly missing or wholly rejected is said in one line on the terminal and on top of the
//! «Сводка». The handworked fixture is copied and spoiled in each test.

use crate::util::{root, shnor};
use calamine::{Data, Reader, Xlsx, open_workbook};
use std::path::{Path, PathBuf};

/// `fixtures/handworked` copied into a fresh temporary folder (`<tmp>/in`).
fn handworked_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    for e in std::fs::read_dir(root().join("fixtures/handworked")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    (tmp, dir)
}

/// Runs `identify` into `<tmp>/<out>`: (exit code, stderr, output folder).
fn identify(tmp: &Path, input: &Path, out: &str) -> (i32, String, PathBuf) {
    let out = tmp.join(out);
    let o = shnor()
        .arg("identify")
        .arg(input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let code = o.status.code().unwrap();
    (code, String::from_utf8(o.stderr).unwrap(), out)
}

/// Every text cell of column A of the «Сводка» sheet, top to bottom.
fn summary_lines(out: &Path) -> Vec<String> {
    let mut wb: Xlsx<_> = open_workbook(out.join("identify-2025.xlsx")).unwrap();
    let r = wb.worksheet_range("Сводка").unwrap();
    r.rows()
        .filter_map(|row| match row.first() {
            Some(Data::String(s)) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// Lines of the «Неполные данные» block on top of the «Сводка» (empty when there is none).
fn coverage_block(out: &Path) -> Vec<String> {
    let lines = summary_lines(out);
    assert!(lines[0].starts_with("Выявление ШНОР и ШНСУ: сводка за 2025 год"));
    // Title, the line of counts, then the block if there is one.
    if lines.get(2).map(String::as_str) != Some("Неполные данные") {
        return Vec::new();
    }
    lines[3..]
        .iter()
        .take_while(|l| l.as_str() != "Итоги выявления")
        .cloned()
        .collect()
}

const EGE_MISSING: &str = "Нет данных ЕГЭ: показатели «ЕГЭ: средний тестовый балл, русский \
                           язык» и «ЕГЭ: средний тестовый балл, математика (профиль)» не \
                           посчитаны ни для одной школы";
const RETENTION: &str = "Показатель «Сохранность контингента (10 кл. / 9 кл. прошлого года)» \
                         не посчитан ни для одной школы за 2025 год: нужны \
                         10-е классы 2025 года и 9-е классы 2024 года в контингенте";

#[test]
fn a_passport_with_every_row_rejected_is_said_in_one_loud_line() {
    let (tmp, dir) = handworked_copy();
    // Every school's total becomes 1: each category count is above it, so every row is
    // rejected («подмножество больше общего числа»).
    let text = std::fs::read_to_string(dir.join("паспорт.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("Год;Код ОО;Всего обучающихся;"));
    let rows: Vec<String> = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut c: Vec<&str> = l.split(';').collect();
            c[2] = "1";
            c.join(";")
        })
        .collect();
    let written = format!("{header}\n{}\n", rows.join("\n"));
    std::fs::write(dir.join("паспорт.csv"), &written).unwrap();
    let n = written.lines().count() - 1;
    assert_eq!(n, 8, "the fixture's passport has 8 schools");

    let (code, stderr, out) = identify(tmp.path(), &dir, "out");
    assert_eq!(code, 3, "{stderr}");
    let line = format!(
        "ИСБ не посчитан ни для одной школы: все {n} строк социального паспорта отклонены — \
         см. лист «Качество данных»"
    );
    assert!(
        stderr
            .lines()
            .any(|l| l == format!("shnor: ВНИМАНИЕ: {line}")),
        "{stderr}"
    );
    // The «Сводка» carries it on top, with the calm lines of the kinds the fixture lacks.
    assert_eq!(coverage_block(&out), [EGE_MISSING, &line, RETENTION]);
    // The report is still written, for every school of the registry.
    let (_, schools) = crate::util::read_csv(&out.join("schools.csv"));
    assert_eq!(schools.len(), 8);
}

#[test]
fn an_unrecognisable_extra_file_is_listed_skipped_and_changes_no_number() {
    let (tmp, dir) = handworked_copy();
    let (code, stderr, clean) = identify(tmp.path(), &dir, "clean");
    assert_eq!(code, 0, "{stderr}");
    // The fixture lacks ЕГЭ and grade 10: two calm lines, nothing loud, exit 0.
    assert_eq!(coverage_block(&clean), [EGE_MISSING, RETENTION]);
    assert!(!stderr.contains("ВНИМАНИЕ"), "{stderr}");

    std::fs::write(dir.join("заметки.csv"), "что;где\nпозвонить;завтра\n").unwrap();
    let (code, stderr, spoiled) = identify(tmp.path(), &dir, "spoiled");
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("заметки.csv: файл не учтён: не удалось понять, что это за таблица"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(clean.join("schools.csv")).unwrap(),
        std::fs::read(spoiled.join("schools.csv")).unwrap(),
        "the report's numbers do not depend on the file left out"
    );
    // A kind that is missing may have been in the file that was not recognised: loud.
    assert!(
        stderr.lines().any(|l| l
            == format!(
                "shnor: ВНИМАНИЕ: {EGE_MISSING} (не распознано файлов: 1 — см. лист «Качество данных»)"
            )),
        "{stderr}"
    );
}

#[test]
fn a_missing_kind_is_said_calmly_and_exits_0() {
    let (tmp, dir) = handworked_copy();
    std::fs::remove_file(dir.join("паспорт.csv")).unwrap();
    let (code, stderr, out) = identify(tmp.path(), &dir, "out");
    assert_eq!(code, 0, "nothing was left out: {stderr}");
    let line = "Нет данных социального паспорта: ИСБ не посчитан ни для одной школы, признак \
                ШНСУ не присваивается";
    assert!(
        stderr.lines().any(|l| l == format!("shnor: {line}")),
        "{stderr}"
    );
    assert_eq!(coverage_block(&out), [EGE_MISSING, line, RETENTION]);
}

#[test]
fn a_second_copy_of_a_file_is_skipped_not_fatal() {
    let (tmp, dir) = handworked_copy();
    let (_, _, clean) = identify(tmp.path(), &dir, "clean");
    // Named to sort after the originals: the first file in input order is the one kept.
    // Byte-for-byte copies are refused unread; copies saved again (CRLF line ends: other
    // bytes, the same schools) are read and left out as repeated tables.
    for f in ["реестр", "результаты"] {
        let original = dir.join(format!("{f}.csv"));
        std::fs::copy(&original, dir.join(format!("{f}_копия.csv"))).unwrap();
        let text = std::fs::read_to_string(&original).unwrap();
        assert!(!text.contains('\r'), "the fixture has LF line ends");
        let crlf = text.replace('\n', "\r\n");
        std::fs::write(dir.join(format!("{f}_пересохранён.csv")), crlf).unwrap();
    }
    let (code, stderr, spoiled) = identify(tmp.path(), &dir, "spoiled");
    assert_eq!(code, 3, "{stderr}");
    for f in ["реестр", "результаты"] {
        let copy = format!(
            "{}: файл не учтён: совпадает байт в байт с «{}» и читается так же — эти \
             данные уже прочитаны оттуда; лишнюю копию можно удалить",
            dir.join(format!("{f}_копия.csv")).display(),
            dir.join(format!("{f}.csv")).display()
        );
        assert!(stderr.contains(&copy), "{copy}\n{stderr}");
    }
    assert!(
        stderr.contains(
            "реестр_пересохранён.csv: таблица не учтена: все 8 школ этого реестра уже есть в «"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("результаты_пересохранён.csv: таблица не учтена: «"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(clean.join("schools.csv")).unwrap(),
        std::fs::read(spoiled.join("schools.csv")).unwrap()
    );
}

#[test]
fn one_code_naming_two_schools_stops_the_run_naming_both_files() {
    let (tmp, dir) = handworked_copy();
    let reg = std::fs::read_to_string(dir.join("реестр.csv")).unwrap();
    let mut lines = reg.lines();
    let header = lines.next().unwrap();
    let first = lines.next().unwrap();
    let (code, rest) = first.split_once(';').unwrap();
    let (_, rest) = rest.split_once(';').unwrap();
    let other = format!("{header}\n{code};МБОУ «Вечерняя школа»;{rest}\n");
    std::fs::write(dir.join("реестр 2.csv"), other).unwrap();
    let (exit, stderr, out) = identify(tmp.path(), &dir, "out");
    assert_eq!(exit, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("код ОО «{code}» означает две разные школы")),
        "{stderr}"
    );
    assert!(stderr.contains("реестр.csv, строка 2"), "{stderr}");
    assert!(stderr.contains("реестр 2.csv, строка 2"), "{stderr}");
    assert!(!out.join("identify-2025.xlsx").exists());
}

/// Runs `validate` or `inspect` on a folder: (exit code, stdout).
fn check(command: &str, input: &Path) -> (i32, String) {
    let o = shnor().arg(command).arg(input).output().unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
    )
}

/// The lines printed under «Неполные данные…» by `validate` and `inspect`, without the indent.
fn printed_coverage(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .skip_while(|l| !l.starts_with("Неполные данные"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.trim_start().to_string())
        .collect()
}

#[test]
fn validate_prints_the_coverage_lines_of_identify() {
    let (tmp, dir) = handworked_copy();
    let (_, _, out) = identify(tmp.path(), &dir, "out");
    let (code, stdout) = check("validate", &dir);
    assert_eq!(code, 0, "{stdout}");
    // The same two calm lines as the «Сводка»: a kind missing (ЕГЭ) and an indicator with no
    // school in the year (retention needs grade 10), which only a run through judge knows.
    assert_eq!(printed_coverage(&stdout), coverage_block(&out));
    assert_eq!(printed_coverage(&stdout), [EGE_MISSING, RETENTION]);
}

#[test]
fn validate_and_inspect_say_loudly_that_every_passport_row_was_rejected() {
    let (_tmp, dir) = handworked_copy();
    // Every school's total becomes 0 while its category counts stay: each of the 8 rows is
    // rejected («подмножество больше общего числа»).
    let text = std::fs::read_to_string(dir.join("паспорт.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_string();
    let rows: Vec<String> = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut c: Vec<&str> = l.split(';').collect();
            c[2] = "0";
            c.join(";")
        })
        .collect();
    assert_eq!(rows.len(), 8);
    std::fs::write(
        dir.join("паспорт.csv"),
        format!("{header}\n{}\n", rows.join("\n")),
    )
    .unwrap();
    let loud = "ВНИМАНИЕ: ИСБ не посчитан ни для одной школы: все 8 строк социального паспорта \
                отклонены — см. лист «Качество данных»";
    let (code, stdout) = check("validate", &dir);
    assert_eq!(code, 3, "{stdout}");
    assert_eq!(printed_coverage(&stdout), [EGE_MISSING, loud, RETENTION]);
    // inspect judges nothing: the lines about whole kinds only, no retention line.
    let (_, stdout) = check("inspect", &dir);
    assert_eq!(printed_coverage(&stdout), [EGE_MISSING, loud]);
}

#[test]
fn a_single_rejected_passport_row_is_said_in_the_singular() {
    let (_tmp, dir) = handworked_copy();
    // A passport of one school whose total (0) is below its category counts: its only row
    // is rejected.
    let text = std::fs::read_to_string(dir.join("паспорт.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let mut c: Vec<&str> = lines.next().unwrap().split(';').collect();
    c[2] = "0";
    std::fs::write(
        dir.join("паспорт.csv"),
        format!("{header}\n{}\n", c.join(";")),
    )
    .unwrap();
    let (_, stdout) = check("inspect", &dir);
    assert!(
        printed_coverage(&stdout).contains(
            &"ВНИМАНИЕ: ИСБ не посчитан ни для одной школы: единственная строка социального \
              паспорта отклонена — см. лист «Качество данных»"
                .to_string()
        ),
        "{stdout}"
    );
}
