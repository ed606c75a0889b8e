//! Russian wording helpers for основания: numbers with a decimal comma, percentages,
//! lists joined with «и», plural forms.

/// A number the Russian way, at most two decimals, trailing zeros dropped: 12.4 → «12,4»,
/// 14.0 → «14», 13.956 → «13,96». Rounds half away from zero.
pub fn num(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    let mut s = format!("{r:.2}");
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    if s == "-0" {
        s = "0".into();
    }
    s.replace('.', ",")
}

/// A share (fraction) as percent with at most one decimal: 0.34 → «34 %», 0.296 → «29,6 %».
pub fn pct(share: f64) -> String {
    let r = (share * 1000.0).round() / 10.0;
    let s = format!("{r:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s).replace('.', ",");
    format!("{s}\u{a0}%")
}

/// «a», «a и b», «a, b и c».
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} и {last}", init.join(", ")),
    }
}

/// «1 школа», «3 школы», «5 школ».
pub use crate::read::schools;

/// «в 2025 г.» or «в 2024 и 2025 гг.».
pub fn in_years(years: &[i32]) -> String {
    let ys: Vec<String> = years.iter().map(ToString::to_string).collect();
    if ys.len() == 1 {
        format!("в {} г.", ys[0])
    } else {
        format!("в {} гг.", join_and(&ys))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_numbers() {
        assert_eq!(num(12.4), "12,4");
        assert_eq!(num(14.0), "14");
        assert_eq!(num(13.956), "13,96");
        assert_eq!(num(-0.001), "0");
        assert_eq!(pct(0.34), "34\u{a0}%");
        assert_eq!(pct(0.296), "29,6\u{a0}%");
        assert_eq!(join_and(&["7".into(), "8".into(), "9".into()]), "7, 8 и 9");
        assert_eq!(schools(1), "1 школа");
        assert_eq!(schools(3), "3 школы");
        assert_eq!(schools(12), "12 школ");
        assert_eq!(schools(21), "21 школа");
        assert_eq!(in_years(&[2024, 2025]), "в 2024 и 2025 гг.");
    }
}
