//! Russian number agreement for counts in user-facing text («1 строка», «3 строки», «5 строк»).
//! It lives in the lowest stage so every stage (and every command) says a count the same way.

/// The form of a noun that agrees with `n`: `one` for 1, 21, 101…; `few` for 2–4, 22–24…;
/// `many` for 0, 5–20, 25–30… and for every number ending in 11–14.
///
/// For the genitive after «из», «сумма», «меньше» pass the genitive forms, `few` = `many`
/// («из 1 школы», «из 3 школ»).
pub fn plural(n: usize, one: &'static str, few: &'static str, many: &'static str) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=14) => many,
        (1, _) => one,
        (2..=4, _) => few,
        _ => many,
    }
}

/// The count and its noun: `count(3, "строка", "строки", "строк")` → «3 строки».
pub fn count(n: usize, one: &'static str, few: &'static str, many: &'static str) -> String {
    format!("{n} {}", plural(n, one, few, many))
}

/// «N строка/строки/строк», the count said most often.
pub fn rows(n: usize) -> String {
    count(n, "строка", "строки", "строк")
}

/// «N школа/школы/школ».
pub fn schools(n: usize) -> String {
    count(n, "школа", "школы", "школ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_number() {
        // (n, expected form): 1 and x1 (not 11) take the singular, 2–4 and x2–x4 (not 12–14)
        // the «few» form, 0, 5–20 and 11–14 in any hundred the «many» form.
        let cases = [
            (0, "строк"),
            (1, "строка"),
            (2, "строки"),
            (4, "строки"),
            (5, "строк"),
            (11, "строк"),
            (12, "строк"),
            (14, "строк"),
            (21, "строка"),
            (22, "строки"),
            (25, "строк"),
            (101, "строка"),
            (111, "строк"),
            (112, "строк"),
            (1004, "строки"),
        ];
        for (n, form) in cases {
            assert_eq!(plural(n, "строка", "строки", "строк"), form, "{n}");
        }
        assert_eq!(rows(3), "3 строки");
        assert_eq!(schools(21), "21 школа");
        assert_eq!(count(12, "файл", "файла", "файлов"), "12 файлов");
        assert_eq!(count(2, "лист", "листа", "листов"), "2 листа");
        assert_eq!(count(1, "значение", "значения", "значений"), "1 значение");
        // The genitive: «сумма 1 строки», «сумма 2 строк».
        assert_eq!(plural(1, "строки", "строк", "строк"), "строки");
        assert_eq!(plural(2, "строки", "строк", "строк"), "строк");
    }
}
