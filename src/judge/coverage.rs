//! Coverage: for every input kind the methodology needs (registry, ВПР, ОГЭ, ЕГЭ, ВсОШ,
//! contingent, social passport), whether it is wholly missing, wholly rejected, or leaves
//! an indicator (or the ИСБ) with no school in the identify year. One line per such case,
//! in the analyst's words; the terminal prints them and the «Сводка» shows them on top, so a
//! report can never look complete when a whole kind of data did not count (docs/outputs.md).
//! `validate` prints the same lines; `inspect`, which judges nothing, prints the lines about
//! whole kinds only (missing or wholly rejected), see [`coverage`].

use super::SchoolResult;
use crate::config::{Config, IndicatorSource};
use crate::model::{Dataset, Exam, InputKind, Severity, Year};
use serde::{Deserialize, Serialize};

/// One line about a kind of data that counted for no school.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoverageNote {
    /// Rows or files of this kind were rejected (or files were not recognised): the analyst
    /// must act. `false`: the kind is simply absent from the data given.
    pub loud: bool,
    pub text: String,
}

impl CoverageNote {
    /// The line as the terminal shows it: a loud one starts with «ВНИМАНИЕ: ».
    pub fn line(&self) -> String {
        let loud = if self.loud { "ВНИМАНИЕ: " } else { "" };
        format!("{loud}{}", self.text)
    }
}

/// «все 3 строки реестра отклонены», «единственная строка реестра отклонена».
fn all_rejected(n: usize, of: &str) -> String {
    if n == 1 {
        format!("единственная строка {of} отклонена")
    } else {
        format!("все {} {of} отклонены", crate::read::rows(n))
    }
}

/// An input kind as the methodology needs it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Need {
    Registry,
    Exam(Exam),
    Olympiad,
    Contingent,
    Passport,
}

impl Need {
    /// «Нет данных …» / «строк … отклонены»: the kind in the genitive.
    fn genitive(self) -> &'static str {
        match self {
            Need::Registry => "реестра школ",
            Need::Exam(e) => e.label(),
            Need::Olympiad => "протоколов ВсОШ",
            Need::Contingent => "контингента",
            Need::Passport => "социального паспорта",
        }
    }

    fn holds(self, kind: Option<InputKind>, procedure: Option<&str>) -> bool {
        match self {
            Need::Registry => kind == Some(InputKind::Registry),
            Need::Olympiad => kind == Some(InputKind::Olympiad),
            Need::Contingent => kind == Some(InputKind::Contingent),
            Need::Passport => kind == Some(InputKind::Passport),
            Need::Exam(e) => is_results(kind) && table_exams(procedure).contains(&e),
        }
    }

    /// Kinds an indicator is computed from.
    fn of(source: &IndicatorSource) -> Vec<Need> {
        match source {
            IndicatorSource::VprMark => vec![Need::Exam(Exam::Vpr)],
            IndicatorSource::ExamScore { exam, .. } => vec![Need::Exam(*exam)],
            IndicatorSource::Olympiad => vec![Need::Olympiad, Need::Contingent],
            IndicatorSource::Retention => vec![Need::Contingent],
        }
    }
}

fn is_results(kind: Option<InputKind>) -> bool {
    matches!(kind, Some(InputKind::Aggregates | InputKind::Participants))
}

/// Exams named by a table's procedure text («ЕГЭ Русский язык, ЕГЭ Математика …»: each
/// procedure starts with its exam's label).
fn table_exams(procedure: Option<&str>) -> Vec<Exam> {
    procedure
        .into_iter()
        .flat_map(|p| p.split(", "))
        .filter_map(|p| p.split_whitespace().next().and_then(Exam::parse))
        .collect()
}

/// Tables of a kind and their rows, over all files read.
#[derive(Default)]
struct Rows {
    tables: usize,
    accepted: usize,
    rejected: usize,
}

fn rows(ds: &Dataset, need: Need) -> Rows {
    let mut r = Rows::default();
    for t in ds.files.iter().flat_map(|f| &f.tables) {
        if need.holds(t.kind, t.procedure.as_deref()) {
            r.tables += 1;
            r.accepted += t.rows_accepted;
            r.rejected += t.rows_rejected;
        }
    }
    r
}

/// Files that were not recognised at all (any of them may have been of a missing kind),
/// plus result tables whose procedure is unknown and whose rows were all rejected.
fn unplaced(ds: &Dataset) -> (usize, usize) {
    let files = ds
        .files
        .iter()
        .filter(|f| {
            // A copy of a file read was recognized: nothing is missing through it.
            f.tables.is_empty()
                && f.copy_of.is_none()
                && ds.issues.iter().any(|i| {
                    i.severity == Severity::Rejected
                        && i.origin.row == 0
                        && *i.origin.file == *f.path
                })
        })
        .count();
    let rows = ds
        .files
        .iter()
        .flat_map(|f| &f.tables)
        .filter(|t| is_results(t.kind) && table_exams(t.procedure.as_deref()).is_empty())
        .map(|t| t.rows_rejected)
        .sum();
    (files, rows)
}

/// «Показатель «…»» / «Показатели «…» и «…»» by the names the report shows (not internal
/// ids), and the verb agreeing with it.
fn indicators_phrase(names: &[&str]) -> (String, &'static str) {
    let quoted: Vec<String> = names.iter().map(|n| format!("«{n}»")).collect();
    match quoted.as_slice() {
        [one] => (format!("показатель {one}"), "не посчитан"),
        [rest @ .., last] => (
            format!("показатели {} и {last}", rest.join(", ")),
            "не посчитаны",
        ),
        [] => (String::new(), "не посчитаны"),
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

const QUALITY: &str = "см. лист «Качество данных»";

/// What an indicator needs that the data did not give in the year, in the analyst's words.
fn hint(source: &IndicatorSource, y: Year) -> String {
    match source {
        IndicatorSource::VprMark => format!("нет результатов ВПР за {y} год"),
        IndicatorSource::ExamScore { exam, subject } => {
            format!("нет результатов {exam} «{subject}» за {y} год")
        }
        IndicatorSource::Olympiad => {
            format!("нужны протокол муниципального этапа ВсОШ и контингент 7–11 классов за {y} год")
        }
        IndicatorSource::Retention => format!(
            "нужны 10-е классы {y} года и 9-е классы {} года в контингенте",
            y - 1
        ),
    }
}

/// The coverage lines, in the order registry, ВПР, ОГЭ, ЕГЭ, КДР, ВсОШ, contingent,
/// passport; empty when every kind counted for some school.
///
/// `judged` is the identify year and its schools. Without it (nothing judged: `inspect`, or
/// no results to judge) only the lines about whole kinds are made — a kind missing or every
/// row of it rejected — since which indicator has a school is not known.
pub fn coverage(
    ds: &Dataset,
    cfg: &Config,
    judged: Option<(Year, &[SchoolResult])>,
) -> Vec<CoverageNote> {
    let mut needs = vec![Need::Registry];
    for e in Exam::ALL {
        if cfg
            .indicators
            .iter()
            .any(|s| Need::of(&s.source).contains(&Need::Exam(e)))
        {
            needs.push(Need::Exam(e));
        }
    }
    for n in [Need::Olympiad, Need::Contingent] {
        if cfg
            .indicators
            .iter()
            .any(|s| Need::of(&s.source).contains(&n))
        {
            needs.push(n);
        }
    }
    needs.push(Need::Passport);

    // Indicators no school has a value of in the identify year (not judged: every one — the
    // lines below then speak only of kinds missing or wholly rejected, where that is so).
    let none: Vec<_> = cfg
        .indicators
        .iter()
        .filter(|spec| {
            judged.is_none_or(|(y, schools)| {
                !schools.iter().any(|s| {
                    s.indicators
                        .iter()
                        .any(|i| i.year == y && i.indicator == spec.id && i.value.is_some())
                })
            })
        })
        .collect();
    let no_isb = judged.is_none_or(|(_, schools)| !schools.iter().any(|s| s.isb.is_some()));
    let (unrecognised, unknown_rows) = unplaced(ds);
    let unplaced_note = || {
        let mut parts = Vec::new();
        if unrecognised > 0 {
            parts.push(format!("не распознано файлов: {unrecognised}"));
        }
        if unknown_rows > 0 {
            parts.push(format!(
                "отклонено строк результатов неизвестной процедуры: {unknown_rows}"
            ));
        }
        (!parts.is_empty()).then(|| format!(" ({} — {QUALITY})", parts.join(", ")))
    };

    let mut out = Vec::new();
    // Kinds already reported as missing or rejected: their indicators are not repeated.
    let mut reported: Vec<Need> = Vec::new();
    for need in needs {
        let r = rows(ds, need);
        let missing = r.tables == 0;
        let rejected = !missing && r.accepted == 0 && r.rejected > 0;
        let kind = need.genitive();
        match need {
            Need::Registry => {
                if missing || rejected {
                    let cause = if missing {
                        "Нет реестра школ".to_string()
                    } else {
                        format!(
                            "Реестр школ не учтён: {} — {QUALITY}",
                            all_rejected(r.rejected, "реестра")
                        )
                    };
                    let count = judged.map_or(String::new(), |(_, s)| format!(" ({})", s.len()));
                    out.push(CoverageNote {
                        loud: rejected || (missing && unrecognised > 0),
                        text: format!(
                            "{cause}: список школ{count} составлен по файлам результатов, все \
                             школы в одном кластере{}",
                            if missing {
                                unplaced_note().unwrap_or_default()
                            } else {
                                String::new()
                            }
                        ),
                    });
                }
            }
            Need::Passport => {
                if !no_isb {
                    continue;
                }
                let text = if missing {
                    let note = unplaced_note();
                    out.push(CoverageNote {
                        loud: note.is_some(),
                        text: format!(
                            "Нет данных {kind}: ИСБ не посчитан ни для одной школы, признак \
                             ШНСУ не присваивается{}",
                            note.unwrap_or_default()
                        ),
                    });
                    continue;
                } else if rejected {
                    format!(
                        "ИСБ не посчитан ни для одной школы: {} — {QUALITY}",
                        all_rejected(r.rejected, kind)
                    )
                } else if let Some((y, _)) = judged {
                    format!(
                        "ИСБ не посчитан ни для одной школы: в социальных паспортах до {y} \
                         года нет ни одной школы с данными для ИСБ (строк принято: {}, \
                         отклонено: {})",
                        r.accepted, r.rejected
                    )
                } else {
                    continue;
                };
                out.push(CoverageNote { loud: true, text });
            }
            _ => {
                let ids: Vec<&str> = none
                    .iter()
                    .filter(|s| Need::of(&s.source).contains(&need))
                    .map(|s| s.name.as_str())
                    .collect();
                if missing || rejected {
                    reported.push(need);
                }
                if ids.is_empty() {
                    continue;
                }
                let (what, verb) = indicators_phrase(&ids);
                if missing {
                    let note = unplaced_note();
                    out.push(CoverageNote {
                        loud: note.is_some(),
                        text: format!(
                            "Нет данных {kind}: {what} {verb} ни для одной школы{}",
                            note.unwrap_or_default()
                        ),
                    });
                } else if rejected {
                    out.push(CoverageNote {
                        loud: true,
                        text: format!(
                            "{} {verb} ни для одной школы: {} — {QUALITY}",
                            capitalized(&what),
                            all_rejected(r.rejected, kind)
                        ),
                    });
                }
            }
        }
    }

    // Kinds that were read, yet an indicator of theirs has no school in the year: once per
    // indicator, unless a kind it needs was already reported as missing or rejected.
    let Some((y, _)) = judged else {
        return out;
    };
    for spec in &none {
        let needs = Need::of(&spec.source);
        if needs.iter().any(|n| reported.contains(n)) {
            continue;
        }
        let rejected: usize = needs.iter().map(|&n| rows(ds, n).rejected).sum();
        let (what, verb) = indicators_phrase(&[spec.name.as_str()]);
        let mut text = format!(
            "{} {verb} ни для одной школы за {y} год: {}",
            capitalized(&what),
            hint(&spec.source, y)
        );
        if rejected > 0 {
            text.push_str(&format!(
                " (отклонено строк {}: {rejected} — {QUALITY})",
                needs
                    .iter()
                    .map(|n| n.genitive())
                    .collect::<Vec<_>>()
                    .join(" и ")
            ));
        }
        out.push(CoverageNote {
            loud: rejected > 0,
            text,
        });
    }
    out
}
