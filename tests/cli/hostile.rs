//! Hostile folders (issue 13): symbolic links out of the input folder and link loops. The
//! run ends, reads nothing through a link by default, and never what lies outside the folder.

use crate::util::{root, shnor};

#[cfg(unix)]
#[test]
fn links_out_of_the_folder_and_loops_are_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("выгрузки");
    std::fs::create_dir(&input).unwrap();
    for e in std::fs::read_dir(root().join("fixtures/handworked")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, input.join(p.file_name().unwrap())).unwrap();
    }
    symlink("/etc/passwd", input.join("passwd.csv")).unwrap();
    symlink(".", input.join("петля1")).unwrap();
    symlink(".", input.join("петля2")).unwrap();
    for follow in [false, true] {
        let out = dir.path().join(format!("отчёт-{follow}"));
        let mut cmd = shnor();
        cmd.env("SHNOR_TODAY", "2025-12-04")
            .arg("identify")
            .arg(&input)
            .arg("--out")
            .arg(&out);
        if follow {
            cmd.arg("--follow-symlinks");
        }
        let run = cmd.assert().code(0);
        let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
        let json = std::fs::read_to_string(out.join("identify-2025.json")).unwrap();
        // Nothing of /etc/passwd reached the messages or the report.
        for text in [&stderr, &json] {
            assert!(!text.contains("root:"), "{text}");
        }
        // The link is named with the reason it was left aside.
        let why = if follow {
            "ведёт за пределы папки с выгрузками"
        } else {
            "символическая ссылка, по ссылкам shnor не переходит"
        };
        assert!(
            json.contains("passwd.csv") && json.contains(why),
            "follow={follow}"
        );
        // The five real files are read once each, whatever the loops.
        assert_eq!(json.matches("\"sha256\"").count(), 5, "follow={follow}");
    }
}

#[test]
fn a_name_of_forty_thousand_characters_is_cut_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("выгрузки");
    let out = dir.path().join("отчёт");
    std::fs::create_dir(&input).unwrap();
    for e in std::fs::read_dir(root().join("fixtures/handworked")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, input.join(p.file_name().unwrap())).unwrap();
    }
    let registry = input.join("реестр.csv");
    let text = std::fs::read_to_string(&registry).unwrap();
    let long = format!("МБОУ «Средняя школа №1» {}", "Ш".repeat(40_000));
    std::fs::write(
        &registry,
        text.replacen("МБОУ «Средняя школа №1»", &long, 1),
    )
    .unwrap();
    shnor()
        .env("SHNOR_TODAY", "2025-12-04")
        .arg("identify")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let json = std::fs::read_to_string(out.join("identify-2025.json")).unwrap();
    // The registry's row 2 (school 101) is named; the name kept is its first 1,000 characters.
    assert!(
        json.contains("текст ячейки длиннее 1000 знаков (40024)"),
        "warning"
    );
    let kept: String = long.chars().take(1000).collect();
    assert!(json.contains(&format!("\"{kept}\"")));
    assert!(!json.contains(&"Ш".repeat(1000)));
}
