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
