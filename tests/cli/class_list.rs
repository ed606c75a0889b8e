//! A class list (one row per class: code, class, letter, pupils) is not summed into the
//! contingent yet (issue 9, item 3): rule К3 leaves it out, and `inspect` says what to do
//! instead of proposing a `[[files]]` block that would not read it.

use crate::util::shnor;

const CLASSES: &str = "Код ОО;Класс;Литера;Количество обучающихся\n\
                       101;5;А;25\n101;5;Б;24\n101;6;А;27\n102;5;А;20\n";

#[test]
fn inspect_says_how_to_count_a_class_list_as_contingent() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("классы.csv");
    std::fs::write(&file, CLASSES).unwrap();
    let o = shnor().arg("inspect").arg(&file).output().unwrap();
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("это список классов (столбец «Литера» — буква класса)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "лист похож на список классов; чтобы учесть его как контингент, сложите число \
             обучающихся по параллелям (5А + 5Б → 5 класс)"
        ),
        "{stdout}"
    );
    // No block proposes a kind that would not read it; a file named alone gets no coverage
    // lines (every other kind would be «missing»).
    assert!(!stdout.contains("[[files]]"), "{stdout}");
    assert!(!stdout.contains("Неполные данные"), "{stdout}");
    // --toml has nothing to write for it.
    let toml = dir.path().join("shnor.toml");
    shnor()
        .arg("inspect")
        .arg(&file)
        .arg("--toml")
        .arg(&toml)
        .assert()
        .code(3);
    assert!(!toml.exists());
}
