//! Marks given as shares of the participants (ФИС ОКО «Статистика по отметкам»: «Кол-во
//! участников» and «Распределение групп баллов в %» / 2…5), turned back into counts — only
//! when the percentages, as precise as the file writes them, allow exactly one count per
//! mark (docs/recognition.md «Столбцы», rule «доли отметок → число отметок»).

use crate::read::Cell;

/// A share as written: the percentage and the number of decimals it was written with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Share {
    pub percent: f64,
    pub decimals: u32,
}

/// Reads a percentage cell: `Ok(None)` for an empty cell, `Err` for text that is no number.
pub fn share_of(cell: &Cell) -> Result<Option<Share>, String> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        // The shortest text that reads back as the same f64: what the file's author typed.
        Cell::Number(x) => format!("{x}"),
        Cell::Text(t) => t.trim().trim_end_matches('%').trim().replace(',', "."),
    };
    if text.is_empty() {
        return Ok(None);
    }
    let percent: f64 = text
        .parse()
        .map_err(|_| format!("«{text}» — не число (ожидается доля в процентах)"))?;
    if !(0.0..=100.0).contains(&percent) {
        return Err(format!("доля {text} % вне 0–100"));
    }
    #[allow(clippy::cast_possible_truncation)]
    let decimals = text
        .split_once('.')
        .map_or(0, |(_, d)| d.len().min(6) as u32);
    Ok(Some(Share { percent, decimals }))
}

/// The precision a column of shares is written with: the most decimals any of its cells has.
/// A spreadsheet number loses its trailing zeros (43,00 % is stored as 43), so one cell
/// does not tell; the column, written with one format, does.
pub fn column_decimals<'a>(cells: impl Iterator<Item = &'a Cell>) -> u32 {
    cells
        .filter_map(|c| share_of(c).ok().flatten())
        .map(|s| s.decimals)
        .max()
        .unwrap_or(0)
}

/// The counts of marks 2…5 behind their shares of `n` participants. Each share written with
/// d decimals stands for a count c with |100·c/n − share| ≤ ½·10^−d; the counts are taken
/// only when every mark has exactly one such c and they add up to `n`. `Err` says why not,
/// in Russian, with the mark (0 for «2» … 3 for «5») whose share is at fault, if one is.
pub fn counts_from_shares(n: u32, shares: [Share; 4]) -> Result<[u32; 4], (Option<usize>, String)> {
    let mut counts = [0u32; 4];
    for (i, s) in shares.iter().enumerate() {
        let tol = 0.5 * 10f64.powi(-i32::try_from(s.decimals).unwrap_or(6)) + 1e-9;
        let fits = |c: u32| (100.0 * f64::from(c) / f64::from(n) - s.percent).abs() <= tol;
        let candidates: Vec<u32> = (0..=n).filter(|&c| fits(c)).collect();
        match candidates.as_slice() {
            [c] => counts[i] = *c,
            [] => {
                return Err((
                    Some(i),
                    format!(
                        "доля отметки «{}» {} % не получается ни при каком числе учащихся из {n}: \
                     проверьте строку",
                        i + 2,
                        s.percent
                    ),
                ));
            }
            _ => {
                let list: Vec<String> = candidates.iter().map(u32::to_string).collect();
                return Err((
                    Some(i),
                    format!(
                        "доля отметки «{}» {} % при {n} участниках округлена слишком грубо: ей \
                     подходит любое из чисел учащихся {}. Нужна выгрузка с числом отметок или \
                     с долями точнее",
                        i + 2,
                        s.percent,
                        list.join(", ")
                    ),
                ));
            }
        }
    }
    let sum: u32 = counts.iter().sum();
    if sum != n {
        return Err((
            None,
            format!(
                "по долям отметок выходит {}+{}+{}+{} = {sum} учащихся, а участников {n}: \
             проверьте строку",
                counts[0], counts[1], counts[2], counts[3]
            ),
        ));
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(percent: f64, decimals: u32) -> Share {
        Share { percent, decimals }
    }

    #[test]
    fn two_decimal_shares_give_the_counts() {
        // 54 participants: 3, 18, 22, 11 → 5.56, 33.33, 40.74, 20.37 (% of 54, rounded).
        assert_eq!(
            counts_from_shares(54, [s(5.56, 2), s(33.33, 2), s(40.74, 2), s(20.37, 2)]),
            Ok([3, 18, 22, 11])
        );
    }

    #[test]
    fn whole_percent_shares_of_a_small_class_still_give_the_counts() {
        // 20 participants: each pupil is 5 %, so whole percentages are exact: 1, 7, 8, 4.
        assert_eq!(
            counts_from_shares(20, [s(5.0, 0), s(35.0, 0), s(40.0, 0), s(20.0, 0)]),
            Ok([1, 7, 8, 4])
        );
    }

    #[test]
    fn coarse_shares_of_a_large_school_are_refused() {
        // 250 participants, 12 % ± 0.5 % fits 29, 30 and 31 pupils (11.6 %, 12 %, 12.4 %).
        let e = counts_from_shares(250, [s(12.0, 0), s(40.0, 0), s(30.0, 0), s(18.0, 0)]);
        assert!(
            e.unwrap_err()
                .1
                .contains("слишком грубо: ей подходит любое из чисел учащихся 29, 30, 31")
        );
    }

    #[test]
    fn shares_that_do_not_add_up_are_refused() {
        // 10 participants: 10 %, 20 %, 30 %, 30 % → 1+2+3+3 = 9, not 10.
        let e = counts_from_shares(10, [s(10.0, 1), s(20.0, 1), s(30.0, 1), s(30.0, 1)]);
        assert!(e.unwrap_err().1.contains("1+2+3+3 = 9"));
    }

    #[test]
    fn a_share_no_count_can_give_is_refused() {
        // 3 participants give 0, 33.33, 66.67 or 100 %; 50 % is none of them.
        let e = counts_from_shares(3, [s(50.0, 2), s(50.0, 2), s(0.0, 2), s(0.0, 2)]);
        assert_eq!(e.clone().unwrap_err().0, Some(0));
        assert!(e.unwrap_err().1.contains("ни при каком"));
    }

    #[test]
    fn a_column_is_as_precise_as_its_most_precise_cell() {
        // 89 of 207 is 42,995 % → «43,00» in the file, stored as the number 43.
        let col = [Cell::Number(43.0), Cell::Number(5.56), Cell::Empty];
        assert_eq!(column_decimals(col.iter()), 2);
        assert_eq!(column_decimals([Cell::Number(40.0)].iter()), 0);
        // With the column's two decimals, 43 % of 207 is one count: 89.
        let d = column_decimals(col.iter());
        assert_eq!(
            counts_from_shares(207, [s(10.63, 2), s(43.0, d), s(30.43, 2), s(15.94, 2)]),
            Ok([22, 89, 63, 33])
        );
    }

    #[test]
    fn cells_keep_the_precision_they_were_written_with() {
        assert_eq!(share_of(&Cell::Number(33.33)), Ok(Some(s(33.33, 2))));
        assert_eq!(share_of(&Cell::Text("12,5 %".into())), Ok(Some(s(12.5, 1))));
        assert_eq!(share_of(&Cell::Number(40.0)), Ok(Some(s(40.0, 0))));
        assert_eq!(share_of(&Cell::Empty), Ok(None));
        assert!(share_of(&Cell::Text("сорок".into())).is_err());
        assert!(share_of(&Cell::Number(140.0)).is_err());
    }
}
