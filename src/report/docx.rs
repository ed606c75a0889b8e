//! `identify-<year>.docx`: the справка in Word, in the form municipal orders attach — the
//! Сводка's text (counts, thresholds, what changed since the previous December, data quality)
//! and each program list with its основания as an appendix table. Analysts paste these into
//! приказы; the workbook stays the place for the numbers behind them.

use crate::config::Config;
use crate::judge::{Findings, FlagKind};
use crate::model::{Dataset, Severity};
use crate::read::schools as schools_n;
use crate::report::Previous;
use crate::report::format::{self, FLAG_ORDER, threshold_how};
use anyhow::Result;
use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, Table, TableCell,
    TableRow,
};

/// Font sizes in half-points: 14 pt text, 12 pt tables (the usual sizes of an order).
pub(super) const TEXT: usize = 28;
pub(super) const TABLE: usize = 24;
/// A4 portrait and margins (30 mm left, 15 mm right, 20 mm top and bottom) in twips.
const A4: (u32, u32) = (11_906, 16_838);
const MARGIN: (i32, i32, i32, i32) = (1_134, 850, 1_134, 1_701);
/// Column widths of a list (№, name, основание) in twips: the page's width less margins.
const GRID: [usize; 3] = [600, 3_400, 5_355];

pub(super) fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size)
}

/// A justified paragraph of body text with a first-line indent, as in an order.
pub(super) fn para(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, TEXT))
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(docx_rs::SpecialIndentType::FirstLine(709)),
            None,
            None,
        )
        .line_spacing(LineSpacing::new().after(120))
}

pub(super) fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, TEXT).bold())
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().before(240).after(120))
}

pub(super) fn cell(text: &str, bold: bool) -> TableCell {
    let r = run(text, TABLE);
    TableCell::new().add_paragraph(Paragraph::new().add_run(if bold { r.bold() } else { r }))
}

/// «Перечень …» of a flag, as on the list's sheet.
fn list_title(k: FlagKind) -> &'static str {
    match k {
        FlagKind::Shnor => "Перечень школ с низкими образовательными результатами (ШНОР)",
        FlagKind::Shnsu => {
            "Перечень школ, функционирующих в неблагоприятных социальных условиях (ШНСУ)"
        }
        FlagKind::Risk => "Перечень школ зоны риска",
        FlagKind::Resilient => "Перечень резильентных школ",
    }
}

/// An empty A4 document in the fonts and margins of an order; its dates are pinned, so the
/// same inputs give the same bytes.
/// How sure the lists are (docs/method.md §6.2) and the schools with signs of non-objective ВПР
/// results (§6.5): what a commission asks after the lists.
fn sureness_lines(f: &Findings) -> Vec<String> {
    let labels = format::Labels::new(f);
    let mut out = Vec::new();
    let by_oip: Vec<&crate::judge::SchoolResult> = f
        .schools
        .iter()
        .filter(|s| s.oip_robust.is_some())
        .collect();
    if !by_oip.is_empty() {
        let unsure: Vec<&str> = by_oip
            .iter()
            .filter(|s| s.oip_robust == Some(false))
            .map(|s| labels.of(s))
            .collect();
        out.push(format!(
            "Устойчивость признаков по ОИП: в перечнях по правилам ОИП школ — {}, из них \
             статистически неустойчивых (верхняя граница интервала ОИП не ниже порога) — {}{}.",
            by_oip.len(),
            unsure.len(),
            if unsure.is_empty() {
                String::new()
            } else {
                format!(": {}", unsure.join(", "))
            }
        ));
    }
    let marked: Vec<String> = f
        .objectivity
        .iter()
        .filter(|o| o.marked && o.year == f.year)
        .filter_map(|o| {
            let s = f.schools.iter().find(|s| s.school.id == o.school)?;
            Some(labels.of(s).to_string())
        })
        .collect();
    if !marked.is_empty() {
        out.push(format!(
            "Признаки необъективности результатов ВПР {} г. (на признаки ШНОР и ШНСУ не влияют; \
             расчёт — на листе «Признаки необъективности»): {}.",
            f.year,
            marked.join(", ")
        ));
    }
    out
}

pub(super) fn page() -> Docx {
    Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN.0)
                .right(MARGIN.1)
                .bottom(MARGIN.2)
                .left(MARGIN.3),
        )
        .default_fonts(
            RunFonts::new()
                .ascii("Times New Roman")
                .hi_ansi("Times New Roman")
                .cs("Times New Roman"),
        )
        .default_size(TEXT)
        .created_at("2000-01-01T00:00:00Z")
        .updated_at("2000-01-01T00:00:00Z")
}

/// The packed bytes of a document.
pub(super) fn pack(doc: Docx) -> Result<Vec<u8>> {
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| anyhow::anyhow!("справку Word не удалось собрать: {e}"))?;
    Ok(out.into_inner())
}

/// Renders the справка into memory.
///
/// # Errors
/// When the document cannot be packed (an internal failure of the writer).
pub fn render(
    f: &Findings,
    ds: &Dataset,
    cfg: &Config,
    prev: Option<&Previous>,
) -> Result<Vec<u8>> {
    let count = |k: FlagKind| f.schools.iter().filter(|s| s.flag(k).is_some()).count();
    let labels = format::Labels::new(f);
    let years: Vec<String> = f.years.iter().map(ToString::to_string).collect();
    let mut doc = page()
        .add_paragraph(heading("СПРАВКА"))
        .add_paragraph(heading(&format!(
            "по результатам выявления школ с низкими образовательными результатами (ШНОР) и \
             школ, функционирующих в неблагоприятных социальных условиях (ШНСУ), за {} год",
            f.year
        )));
    if let Some(d) = &cfg.report_date {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(run(d, TEXT))
                .align(AlignmentType::Right),
        );
    }
    doc = doc.add_paragraph(para(&format!(
        "Оценены {} в {} кластерах сопоставимых школ (тип поселения и тип школы) по \
         результатам {} гг.: ВПР, ОГЭ, ЕГЭ, муниципального этапа ВсОШ, контингенту и социальным \
         паспортам школ. Для каждой школы рассчитан обобщённый интегральный показатель (ОИП, \
         от 7 до 35) относительно её кластера и индекс социального благополучия (ИСБ, 0–100).",
        schools_n(f.schools.len()),
        f.clusters.len(),
        years.join(", ")
    )));
    doc = doc.add_paragraph(para(&format!(
        "Выявлено: ШНОР — {}; ШНСУ — {}; школ зоны риска — {}; резильентных школ — {}.",
        schools_n(count(FlagKind::Shnor)),
        schools_n(count(FlagKind::Shnsu)),
        count(FlagKind::Risk),
        count(FlagKind::Resilient)
    )));
    for note in &f.coverage {
        doc = doc.add_paragraph(para(&format!("Внимание: {}.", note.text)));
    }
    let isb = match &f.isb_threshold {
        Some(t) => format!(
            "порог ИСБ — {} ({})",
            format::fixed(t.value, 1),
            threshold_how(t)
        ),
        None => "порог ИСБ не определён (нет социальных паспортов)".to_string(),
    };
    doc = doc.add_paragraph(para(&format!(
        "Пороги: ШНОР — ОИП ниже {} не менее чем в {} из {} последних лет или федеральный \
         критерий по доле «2»; порог программы — ОИП {} (уровень кластера); {isb}.",
        format::trim(cfg.oip.shnor_bar),
        cfg.oip.min_low_years,
        cfg.oip.window,
        format::trim(cfg.oip.program_threshold)
    )));
    if let Some(prev) = prev {
        let prev_labels = format::Labels::new(&prev.findings);
        let mut lines = Vec::new();
        for k in FLAG_ORDER {
            let ch = format::list_changes(&prev.findings, f, k);
            if ch.entered.is_empty() && ch.left.is_empty() {
                continue;
            }
            let mut parts = vec![format!(
                "{}: было {}, стало {}",
                k.label(),
                ch.before,
                ch.now
            )];
            if !ch.entered.is_empty() {
                let names: Vec<&str> = ch.entered.iter().map(|s| labels.of(s)).collect();
                parts.push(format!("вошли {}", names.join(", ")));
            }
            if !ch.left.is_empty() {
                let names: Vec<String> = ch
                    .left
                    .iter()
                    .map(|s| {
                        let now = f.schools.iter().find(|n| n.school.id == s.school.id);
                        format!(
                            "{} ({})",
                            prev_labels.of(s),
                            format::why_not_listed(now, k, f, cfg)
                        )
                    })
                    .collect();
                parts.push(format!("вышли {}", names.join(", ")));
            }
            lines.push(parts.join("; "));
        }
        doc = doc.add_paragraph(para(&if lines.is_empty() {
            format!(
                "По сравнению с перечнями {} года перечни не изменились.",
                prev.findings.year
            )
        } else {
            format!(
                "По сравнению с перечнями {} года: {}.",
                prev.findings.year,
                lines.join(". ")
            )
        }));
    }
    for line in sureness_lines(f) {
        doc = doc.add_paragraph(para(&line));
    }
    let warnings = ds
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Warning)
        .count();
    doc = doc.add_paragraph(para(&format!(
        "Качество данных: при чтении выгрузок отклонено строк — {} (в расчёт не вошли), \
         предупреждений — {}; перечень — на листе «Качество данных» отчёта identify-{}.xlsx.",
        ds.rejected_rows(),
        warnings,
        f.year
    )));

    for (n, k) in FLAG_ORDER.iter().enumerate() {
        let list = format::listed(f, *k);
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(run(&format!("Приложение {}", n + 1), TEXT))
                .align(AlignmentType::Right)
                .page_break_before(true),
        );
        doc = doc.add_paragraph(heading(&format!("{}, {} год", list_title(*k), f.year)));
        if list.is_empty() {
            doc = doc.add_paragraph(para("Школ с этим признаком нет."));
            continue;
        }
        let mut rows = vec![TableRow::new(vec![
            cell("№ п/п", true),
            cell("Полное наименование ОО", true),
            cell("Основание", true),
        ])];
        for (i, s) in list.iter().enumerate() {
            let basis = s.flag(*k).map(|fl| fl.basis.as_str()).unwrap_or_default();
            rows.push(TableRow::new(vec![
                cell(&(i + 1).to_string(), false),
                cell(labels.of(s), false),
                cell(basis, false),
            ]));
        }
        doc = doc.add_table(Table::new(rows).set_grid(GRID.to_vec()));
    }

    pack(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;

    /// The document's text, paragraph by paragraph (table cells are paragraphs too).
    fn paragraphs(bytes: &[u8]) -> Vec<String> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
            .unwrap();
        let mut out = Vec::new();
        let mut r = quick_xml::Reader::from_str(&xml);
        let mut cur = String::new();
        loop {
            match r.read_event().unwrap() {
                quick_xml::events::Event::Text(t) => cur.push_str(&t.xml10_content()),
                quick_xml::events::Event::GeneralRef(g) => {
                    cur.push_str(quick_xml::escape::resolve_xml_entity(g.as_ref()).unwrap_or("?"))
                }
                quick_xml::events::Event::End(e) if e.local_name().as_ref() == "p" => {
                    out.push(std::mem::take(&mut cur));
                }
                quick_xml::events::Event::Eof => return out,
                _ => {}
            }
        }
    }

    #[test]
    fn the_spravka_names_counts_lists_and_changes() {
        let f = testdata::findings();
        let cfg = Config {
            report_date: Some("04.12.2026".into()),
            ..Default::default()
        };
        let text = paragraphs(&render(&f, &testdata::dataset(), &cfg, None).unwrap());
        let has = |s: &str| text.iter().any(|p| p.contains(s));
        assert!(has("за 2025 год"), "{text:?}");
        assert!(text.iter().any(|p| p == "04.12.2026"));
        // Testdata: 01 ШНОР, 02 ШНСУ and resilient, 03 зона риска.
        assert!(
            has(
                "Выявлено: ШНОР — 1 школа; ШНСУ — 1 школа; школ зоны риска — 1; резильентных школ — 1."
            ),
            "{text:?}"
        );
        assert!(has("отклонено строк — 1"), "{text:?}");
        // Testdata: 01 is the one school listed by an ОИП rule, and it is неустойчивый.
        assert!(
            has(
                "Устойчивость признаков по ОИП: в перечнях по правилам ОИП школ — 1, из них \
                 статистически неустойчивых (верхняя граница интервала ОИП не ниже порога) — 1: \
                 МБОУ СОШ № 1."
            ),
            "{text:?}"
        );
        // Four appendices, each list with its школы and full основание in the table.
        for n in 1..=4 {
            assert!(text.iter().any(|p| p == &format!("Приложение {n}")));
        }
        let at = text.iter().position(|p| p == "МБОУ СОШ № 1").unwrap();
        assert_eq!(
            text[at + 1],
            "ОИП 12,6 и 10,0 в 2024 и 2025 гг. при пороге ШНОР 14"
        );
        assert!(
            !has("По сравнению с перечнями"),
            "no previous, no comparison"
        );

        // Last December (testdata): 03 was ШНОР, 01 on no list.
        let before = testdata::previous_year();
        let prev = Previous {
            path: "identify-2024.json".into(),
            findings: before,
        };
        let text = paragraphs(&render(&f, &testdata::dataset(), &cfg, Some(&prev)).unwrap());
        assert!(
            text.iter().any(|p| p.contains(
                "По сравнению с перечнями 2024 года: ШНОР: было 1, стало 1; вошли МБОУ СОШ № 1; \
                 вышли МКОУ Ивановская ООШ (ОИП 2025 г. — 13,5 при пороге ШНОР 14; теперь: \
                 зона риска)."
            )),
            "{text:?}"
        );
    }

    #[test]
    fn same_findings_same_bytes() {
        let (f, ds, cfg) = (testdata::findings(), testdata::dataset(), Config::default());
        assert!(render(&f, &ds, &cfg, None).unwrap() == render(&f, &ds, &cfg, None).unwrap());
    }
}
