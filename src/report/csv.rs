//! `schools.csv`: one row per school for scripts. Conventions (docs/outputs.md): UTF-8 with a
//! BOM (so Excel shows Cyrillic), `;` between fields, a decimal *point*, shares as fractions
//! 0–1, flags as 1/0, an empty field where there is no value. The decimal point keeps the
//! file parseable by any script without locale settings; the Excel-facing output is the
//! workbook.

use crate::config::Config;
use crate::judge::context::Verdict;
use crate::judge::{Findings, FlagKind, SchoolResult};
use crate::report::format::{self, FLAG_ORDER};

/// The header row: ASCII keys, stable across runs with the same configuration.
pub fn header(findings: &Findings, cfg: &Config) -> Vec<String> {
    let mut h: Vec<String> = ["id", "name", "municipality", "cluster"]
        .map(String::from)
        .to_vec();
    for spec in &cfg.indicators {
        h.push(spec.id.clone());
        h.push(format!("{}_n", spec.id));
        h.push(format!("{}_points", spec.id));
        for part in ["low", "high", "shrunk", "shrink_b"] {
            h.push(format!("{}_{part}", spec.id));
        }
    }
    for y in &findings.years {
        h.extend([
            format!("oip_{y}"),
            format!("oip_{y}_low"),
            format!("oip_{y}_high"),
        ]);
    }
    h.extend(
        [
            "oip_robust",
            "isb",
            "rank_in_cluster",
            "context_expected",
            "context_residual",
            "context",
            "resilient_context",
        ]
        .map(String::from),
    );
    h.extend(FLAG_ORDER.iter().map(|k| flag_key(*k).to_string()));
    h.push("basis".into());
    // §6.5, after every older column so scripts reading by position keep working.
    h.extend(["objectivity", "objectivity_basis"].map(String::from));
    // Only a national registry («Субъект РФ») has regions; a municipality's file keeps its
    // columns.
    if has_regions(findings) {
        h.push("region".into());
    }
    h
}

fn has_regions(f: &Findings) -> bool {
    f.schools.iter().any(|s| s.school.region.is_some())
}

/// Column name of a flag in `schools.csv`.
pub fn flag_key(k: FlagKind) -> &'static str {
    match k {
        FlagKind::Shnor => "flag_shnor",
        FlagKind::Shnsu => "flag_shnsu",
        FlagKind::Risk => "flag_risk",
        FlagKind::Resilient => "flag_resilient",
    }
}

use super::format::csv_number as num;

fn row(s: &SchoolResult, findings: &Findings, cfg: &Config, regions: bool) -> Vec<String> {
    let mut r = vec![
        s.school.id.clone(),
        s.school.name.clone(),
        s.school.municipality.clone().unwrap_or_default(),
        s.cluster.clone(),
    ];
    for spec in &cfg.indicators {
        let ind = format::indicator(s, findings.year, &spec.id);
        let value = ind.and_then(|i| i.value);
        r.push(num(value));
        r.push(match (ind, value) {
            (Some(i), Some(_)) => i.n.to_string(),
            _ => String::new(),
        });
        r.push(
            ind.and_then(|i| i.points)
                .map(|p| p.to_string())
                .unwrap_or_default(),
        );
        let c = ind.map(|i| &i.certainty);
        for v in [
            c.and_then(|c| c.low),
            c.and_then(|c| c.high),
            c.and_then(|c| c.shrunk),
            c.and_then(|c| c.weight),
        ] {
            r.push(num(v));
        }
    }
    for y in &findings.years {
        let o = s.oip.iter().find(|o| o.year == *y);
        r.push(num(o.and_then(|o| o.value)));
        r.push(num(o.and_then(|o| o.low)));
        r.push(num(o.and_then(|o| o.high)));
    }
    r.push(match s.oip_robust {
        Some(true) => "1".into(),
        Some(false) => "0".into(),
        None => String::new(),
    });
    r.push(num(s.isb.as_ref().map(|i| i.value)));
    r.push(s.rank_in_cluster.map(|x| x.to_string()).unwrap_or_default());
    let cx = s.context.as_ref();
    r.push(num(cx.map(|c| c.expected)));
    r.push(num(cx.map(|c| c.residual)));
    r.push(
        cx.map(|c| match c.verdict {
            Verdict::Above => "above",
            Verdict::Within => "within",
            Verdict::Below => "below",
        })
        .unwrap_or_default()
        .into(),
    );
    r.push(cx.map_or(String::new(), |c| {
        if c.resilient { "1" } else { "0" }.into()
    }));
    for k in FLAG_ORDER {
        r.push(if s.flag(k).is_some() { "1" } else { "0" }.into());
    }
    r.push(format::basis(s));
    // «Признаки необъективности» of the identify year: 1/0 and the основание.
    let marked = findings
        .objectivity
        .iter()
        .find(|o| o.school == s.school.id && o.year == findings.year && o.marked);
    r.push(if marked.is_some() { "1" } else { "0" }.into());
    r.push(marked.and_then(|o| o.basis.clone()).unwrap_or_default());
    if regions {
        r.push(s.school.region.clone().unwrap_or_default());
    }
    r
}

/// The whole file as bytes (BOM included). Schools in id order.
///
/// # Errors
/// Only on an internal CSV writer failure.
pub fn render(findings: &Findings, cfg: &Config) -> anyhow::Result<Vec<u8>> {
    let mut buf = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut buf);
        w.write_record(header(findings, cfg))?;
        let mut schools: Vec<&SchoolResult> = findings.schools.iter().collect();
        schools.sort_by(|a, b| a.school.id.cmp(&b.school.id));
        let regions = has_regions(findings);
        for s in schools {
            w.write_record(
                row(s, findings, cfg, regions)
                    .into_iter()
                    .map(format::csv_text),
            )?;
        }
        w.flush()?;
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;

    #[test]
    fn header_and_rows_read_back_by_name() {
        let f = testdata::findings();
        let cfg = Config::default();
        let bytes = render(&f, &cfg).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        let first = text.lines().next().unwrap();
        assert!(first.starts_with(
            "id;name;municipality;cluster;vpr;vpr_n;vpr_points;vpr_low;vpr_high;vpr_shrunk;\
             vpr_shrink_b;oge_ru;"
        ));
        assert!(first.ends_with(
            "oip_2024;oip_2024_low;oip_2024_high;oip_2025;oip_2025_low;oip_2025_high;oip_robust;\
             isb;rank_in_cluster;context_expected;context_residual;context;resilient_context;\
             flag_shnor;flag_shnsu;flag_risk;flag_resilient;basis;objectivity;objectivity_basis"
        ));

        let mut rd = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(&bytes[..]);
        let hdr = rd.headers().unwrap().clone();
        let col = |name: &str| hdr.iter().position(|h| h == name).unwrap();
        let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 4);
        // School 01 as built in testdata: vpr 3.1 over 110 works, 1 point; ОИП 12.6 / 10; ИСБ 72.5; ШНОР.
        let r = &rows[0];
        assert_eq!(&r[col("id")], "01");
        assert_eq!(&r[col("vpr")], "3.1");
        assert_eq!(&r[col("vpr_n")], "110");
        assert_eq!(&r[col("vpr_points")], "1");
        assert_eq!(&r[col("olymp")], "0.05");
        assert_eq!(&r[col("ege_ru")], "", "no ЕГЭ → empty");
        assert_eq!(&r[col("oip_2024")], "12.6");
        assert_eq!(&r[col("oip_2025")], "10");
        // The interval and shrunk value testdata sets on school 01 (2025).
        assert_eq!(&r[col("vpr_low")], "2.95");
        assert_eq!(&r[col("vpr_high")], "3.25");
        assert_eq!(&r[col("vpr_shrunk")], "3.2");
        assert_eq!(&r[col("vpr_shrink_b")], "0.85");
        assert_eq!(&r[col("oip_2025_low")], "8.74");
        assert_eq!(&r[col("oip_2025_high")], "12.26");
        assert_eq!(&r[col("oip_2024_low")], "", "no interval in testdata");
        assert_eq!(&r[col("oip_robust")], "0");
        assert_eq!(&r[col("context_expected")], "15");
        assert_eq!(&r[col("context")], "below");
        assert_eq!(&r[col("resilient_context")], "0");
        assert_eq!(&rows[1][col("oip_robust")], "", "not listed by an ОИП rule");
        assert_eq!(&r[col("isb")], "72.5");
        assert_eq!(&r[col("flag_shnor")], "1");
        assert_eq!(&r[col("flag_risk")], "0");
        assert!(r[col("basis")].starts_with("ШНОР: ОИП 12,6 и 10,0"));
        // School 04 has no ОИП in 2025 (too few indicators) and no ИСБ.
        assert_eq!(&rows[3][col("oip_2025")], "");
        assert_eq!(&rows[3][col("isb")], "");
        // School 02 is ШНСУ and resilient.
        assert_eq!(&rows[1][col("flag_shnsu")], "1");
        assert_eq!(&rows[1][col("flag_resilient")], "1");
    }

    #[test]
    fn objectivity_columns_for_the_marked_school_only() {
        let f = crate::report::xlsx::objectivity_test_findings();
        let bytes = render(&f, &Config::default()).unwrap();
        let mut rd = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(&bytes[3..]);
        let hdr = rd.headers().unwrap().clone();
        let col = |name: &str| hdr.iter().position(|h| h == name).unwrap();
        let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
        let marked: Vec<(&str, &str)> = rows
            .iter()
            .filter(|r| &r[col("objectivity")] == "1")
            .map(|r| (&r[col("id")], &r[col("objectivity_basis")]))
            .collect();
        assert_eq!(
            marked,
            [(
                "01",
                "ВПР Математика 5 кл. 2025: повысили 34,8 %; пик на границе «4»"
            )]
        );
        assert!(
            rows.iter()
                .all(|r| ["0", "1"].contains(&&r[col("objectivity")]))
        );
    }

    /// OWASP «CSV Injection»: a text that a spreadsheet would run as a formula gets a leading
    /// `'`; numbers, negative ones included, stay numbers.
    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        let mut f = testdata::findings();
        let names = [
            "=HYPERLINK(\"http://x\";\"Школа\")",
            "+7 (900) 000-00-00",
            "-Школа",
            "@SUM(A1)",
            "\tШкола",
            "-5",
        ];
        for (s, n) in f.schools.iter_mut().zip(names) {
            s.school.name = n.to_string();
        }
        f.schools[0].school.municipality = Some("\rРайон".into());
        f.schools[1].cluster = "=1+2".into();
        let bytes = render(&f, &Config::default()).unwrap();
        let mut rd = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(&bytes[3..]);
        let hdr = rd.headers().unwrap().clone();
        let col = |name: &str| hdr.iter().position(|h| h == name).unwrap();
        let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
        let by_id = |id: &str| rows.iter().find(|r| &r[col("id")] == id).unwrap();
        assert_eq!(
            &by_id("01")[col("name")],
            "'=HYPERLINK(\"http://x\";\"Школа\")"
        );
        assert_eq!(&by_id("01")[col("municipality")], "'\rРайон");
        assert_eq!(&by_id("02")[col("name")], "'+7 (900) 000-00-00");
        assert_eq!(&by_id("02")[col("cluster")], "'=1+2");
        assert_eq!(&by_id("03")[col("name")], "'-Школа");
        assert_eq!(&by_id("04")[col("name")], "'@SUM(A1)");
        assert_eq!(format::csv_text("\tШкола".into()), "'\tШкола");
        assert_eq!(
            format::csv_text("-5".into()),
            "-5",
            "a number stays a number"
        );
        assert_eq!(format::csv_text("-0.2".into()), "-0.2");
        assert_eq!(
            format::csv_text("-inf".into()),
            "'-inf",
            "not a finite number"
        );
        assert_eq!(format::csv_text("Школа № 1".into()), "Школа № 1");
    }
}
