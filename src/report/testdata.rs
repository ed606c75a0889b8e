//! A small synthetic municipality's findings for the report tests: four schools, two judged
//! years, every flag, an unreliable and a pooled indicator, a frozen ИСБ threshold.

use crate::config::Config;
use crate::judge::*;
use crate::measure::{OlympiadSummary, ProcStat};
use crate::model::*;

pub const SHA: &str = "3f2a9c0d1e4b5a6978877665544332211000ffeeddccbbaa9988776655443322";

fn ind(
    year: Year,
    id: &str,
    value: Option<f64>,
    n: u32,
    cluster: Option<f64>,
    cmp: Option<f64>,
    points: Option<u8>,
) -> IndicatorResult {
    IndicatorResult {
        year,
        indicator: id.into(),
        value,
        raw_value: value,
        n,
        raw_n: n,
        pooled_years: 1,
        reliable: value.is_some() && n >= 10,
        cluster_value: cluster,
        comparison: cmp,
        points,
        certainty: Default::default(),
    }
}

fn school(id: &str, name: &str, cluster: &str) -> School {
    School {
        id: id.into(),
        name: name.into(),
        municipality: Some("Энский район".into()),
        settlement: Some("город".into()),
        level: Some("СОШ".into()),
        cluster: Some(cluster.into()),
        aliases: vec![format!("sch{id}")],
        coordinator: Some(format!("Координатор {id}")),
        phone: Some(format!("+7 900 000-00-{id}")),
        ..School::default()
    }
}

fn oip(year: Year, v: Option<f64>, used: usize) -> OipYear {
    OipYear {
        year,
        value: v,
        indicators_used: used,
        calculation: Default::default(),
        low: None,
        high: None,
    }
}

fn flag(kind: FlagKind, basis: &str) -> Flag {
    Flag {
        kind,
        basis: basis.into(),
    }
}

fn result(s: School, cluster: &str) -> SchoolResult {
    SchoolResult {
        school: s,
        cluster: cluster.into(),
        cluster_reason: "кластер задан в реестре школ".into(),
        indicators: Vec::new(),
        oip: Vec::new(),
        isb: None,
        rank_in_cluster: None,
        flags: Vec::new(),
        checks: Default::default(),
        olympiad: Vec::new(),
        oip_robust: None,
        context: None,
    }
}

/// Indicator rows for every configured indicator in a year, `None` where not listed.
fn fill(year: Year, given: Vec<IndicatorResult>) -> Vec<IndicatorResult> {
    Config::default()
        .indicators
        .iter()
        .map(|spec| {
            given
                .iter()
                .find(|g| g.indicator == spec.id)
                .cloned()
                .unwrap_or_else(|| ind(year, &spec.id, None, 0, None, None, None))
        })
        .collect()
}

/// The synthetic findings (year 2025, judged 2024–2025).
///
/// School 01 (ШНОР), 2025: vpr 3,10 vs 3,80 → ratio 0,8158 → 1 point; oge_ru 20 vs 25 → 0,8
/// → 1; oge_ma 12 vs 13 → 0,923 → 2; olymp 5 % vs 12 % → −7 p.p. → 2 (weight 0,5); retention
/// n = 4 → unreliable. ОИП = 7 × (1·1 + 1·1 + 1·2 + 0,5·2) / 3,5 = 7 × 5 / 3,5 = 10,0.
pub fn findings() -> Findings {
    let c_city = "город, СОШ";
    let c_village = "село, ООШ";

    let mut s1 = result(school("01", "МБОУ СОШ № 1", c_city), c_city);
    // 2024: points 2, 2 (weight 1) and 1 (weight 0,5): 7 × 4,5 / 2,5 = 12,6.
    s1.indicators = fill(
        2024,
        vec![
            ind(
                2024,
                "vpr",
                Some(3.3),
                120,
                Some(3.8),
                Some(3.3 / 3.8),
                Some(2),
            ),
            ind(
                2024,
                "oge_ru",
                Some(22.0),
                24,
                Some(25.0),
                Some(0.88),
                Some(2),
            ),
            ind(
                2024,
                "olymp",
                Some(0.01),
                290,
                Some(0.12),
                Some(-11.0),
                Some(1),
            ),
        ],
    );
    let mut retention = ind(
        2025,
        "retention",
        Some(0.5),
        4,
        Some(0.8),
        Some(-30.0),
        None,
    );
    retention.reliable = false;
    let mut olymp = ind(
        2025,
        "olymp",
        Some(0.05),
        300,
        Some(0.12),
        Some(-7.0),
        Some(2),
    );
    olymp.pooled_years = 1;
    s1.indicators.extend(fill(
        2025,
        vec![
            ind(
                2025,
                "vpr",
                Some(3.1),
                110,
                Some(3.8),
                Some(3.1 / 3.8),
                Some(1),
            ),
            ind(
                2025,
                "oge_ru",
                Some(20.0),
                25,
                Some(25.0),
                Some(0.8),
                Some(1),
            ),
            ind(
                2025,
                "oge_ma",
                Some(12.0),
                25,
                Some(13.0),
                Some(12.0 / 13.0),
                Some(2),
            ),
            olymp,
            retention,
        ],
    ));
    s1.oip = vec![oip(2024, Some(12.6), 3), oip(2025, Some(10.0), 4)];
    s1.isb = Some(IsbResult {
        year: 2025,
        value: 72.5,
        components: vec![
            IsbComponent {
                category: "low_income".into(),
                share: 0.2,
                score: 80.0,
                weight: 1.0,
            },
            IsbComponent {
                category: "parent_higher_ed".into(),
                share: 0.65,
                score: 65.0,
                weight: 1.0,
            },
        ],
    });
    s1.rank_in_cluster = Some(3);
    s1.flags = vec![flag(
        FlagKind::Shnor,
        "ОИП 12,6 и 10,0 в 2024 и 2025 гг. при пороге ШНОР 14",
    )];

    let mut s2 = result(school("02", "Гимназия № 2", c_city), c_city);
    let mut pooled = ind(
        2025,
        "oge_ma",
        Some(15.0),
        12,
        Some(13.0),
        Some(15.0 / 13.0),
        Some(5),
    );
    pooled.pooled_years = 2;
    pooled.raw_n = 7;
    pooled.raw_value = Some(16.0);
    s2.indicators = fill(2024, vec![]);
    s2.indicators.extend(fill(
        2025,
        vec![
            ind(
                2025,
                "vpr",
                Some(4.4),
                90,
                Some(3.8),
                Some(4.4 / 3.8),
                Some(5),
            ),
            pooled,
        ],
    ));
    s2.oip = vec![oip(2024, Some(27.0), 3), oip(2025, Some(28.0), 3)];
    s2.isb = Some(IsbResult {
        year: 2025,
        value: 55.0,
        components: vec![],
    });
    s2.rank_in_cluster = Some(1);
    s2.flags = vec![
        flag(FlagKind::Shnsu, "ИСБ 55,0 ниже порога 60,0 (p25, 2025)"),
        flag(FlagKind::Resilient, "ШНСУ и ОИП 28,0 ≥ 24,5 в 2025 г."),
    ];

    let mut s3 = result(school("03", "МКОУ Ивановская ООШ", c_village), c_village);
    s3.indicators = fill(2024, vec![]);
    s3.indicators.extend(fill(2025, vec![]));
    s3.oip = vec![oip(2024, Some(18.0), 3), oip(2025, Some(13.5), 3)];
    s3.isb = Some(IsbResult {
        year: 2025,
        value: 61.0,
        components: vec![],
    });
    s3.rank_in_cluster = Some(1);
    s3.flags = vec![flag(
        FlagKind::Risk,
        "ОИП 13,5 ниже порога ШНОР 14 только в 2025 г.",
    )];
    s3.school.coordinator = None;
    s3.school.phone = None;

    let mut s4 = result(school("04", "Лицей «Эрудит»", c_city), c_city);
    s4.indicators = fill(2024, vec![]);
    s4.indicators.extend(fill(2025, vec![]));
    s4.oip = vec![oip(2024, Some(21.0), 3), oip(2025, None, 2)];
    s4.rank_in_cluster = None;
    s4.olympiad = vec![OlympiadSummary {
        school: "04".into(),
        year: 2025,
        participants: 40,
        winners: 2,
        prizewinners: 5,
        students: Some(200),
    }];

    let proc = Procedure {
        exam: Exam::Vpr,
        subject: "Математика".into(),
        grade: Some(5),
    };
    let ps = |school: Option<&str>, fail: f64| ProcStat {
        year: 2025,
        school: school.map(Into::into),
        procedure: proc.clone(),
        n: 100,
        mark_shares: Some([fail, 0.4, 0.2, 0.4 - fail]),
        pass_rate: Some(1.0 - fail),
        quality: Some(0.6 - fail),
        fail_share: Some(fail),
        mean_score: Some(9.5),
        mean_mark: Some(3.6),
        fail_change_pp: Some(4.0),
    };

    let mut schools = vec![s1, s2, s3, s4];
    // School 01, 2025: an interval and a shrunk value on ВПР (numbers set here, not computed),
    // ОИП 10 with bounds 8,74–12,26 and a неустойчивый ШНОР; a context line for all.
    if let Some(s) = schools.iter_mut().find(|s| s.school.id == "01") {
        if let Some(i) = s
            .indicators
            .iter_mut()
            .find(|i| i.year == 2025 && i.indicator == "vpr")
        {
            i.certainty = crate::judge::uncertainty::Certainty {
                sd: Some(0.8),
                sd_assumed: false,
                quantile: Some(1.982),
                low: Some(2.95),
                high: Some(3.25),
                shrunk: Some(3.2),
                weight: Some(0.85),
                points_low: Some(1),
                points_high: Some(1),
            };
        }
        if let Some(o) = s.oip.iter_mut().find(|o| o.year == 2025) {
            o.low = Some(8.74);
            o.high = Some(12.26);
        }
        s.oip_robust = Some(false);
        s.context = Some(crate::judge::context::SchoolContext {
            expected: 15.0,
            residual: -5.0,
            leverage: 0.2,
            band: 4.0,
            verdict: crate::judge::context::Verdict::Below,
            resilient: false,
        });
    }

    Findings {
        year: 2025,
        years: vec![2024, 2025],
        schools,
        clusters: vec![
            ClusterInfo {
                name: c_city.into(),
                schools: 3,
            },
            ClusterInfo {
                name: c_village.into(),
                schools: 1,
            },
        ],
        cluster_values: vec![ClusterValue {
            cluster: c_city.into(),
            year: 2025,
            indicator: "vpr".into(),
            value: 3.8,
            n: 320,
        }],
        isb_threshold: Some(FrozenThreshold {
            spec: "p25".into(),
            value: 60.0,
            year: Some(2025),
        }),
        proc_stats: vec![ps(Some("01"), 0.34), ps(None, 0.1)],
        raw: vec![],
        coverage: Vec::new(),
        shrink: false,
        context: Default::default(),
        objectivity: Vec::new(),
        objectivity_checked: Default::default(),
    }
}

/// The synthetic findings as judge holds them in memory: with each year's ОИП terms recorded
/// from the school's indicators and the default weights, and the flag checks judged from the
/// school's ОИП, ИСБ and procedures (the baseline stores neither).
pub fn judged() -> Findings {
    let cfg = Config::default();
    let mut f = findings();
    let procs = f.proc_stats.clone();
    for s in &mut f.schools {
        let oip: std::collections::BTreeMap<Year, Option<f64>> =
            s.oip.iter().map(|o| (o.year, o.value)).collect();
        let own: Vec<&ProcStat> = procs
            .iter()
            .filter(|p| p.school.as_deref() == Some(s.school.id.as_str()))
            .collect();
        let bounds = s
            .oip
            .iter()
            .filter_map(|o| Some((o.year, (o.low?, o.high?))))
            .collect();
        let facts = Facts {
            year: f.year,
            oip: &oip,
            bounds: &bounds,
            procs: &own,
            isb: s.isb.as_ref(),
            threshold: f.isb_threshold.as_ref(),
        };
        s.checks = judge_school(&facts, &cfg).1;
        for o in &mut s.oip {
            let year: Vec<&IndicatorResult> =
                s.indicators.iter().filter(|i| i.year == o.year).collect();
            o.calculation = Calculation::new(cfg.indicators.iter().filter_map(|spec| {
                let i = year.iter().find(|i| i.indicator == spec.id)?;
                Some((*i, spec.weight))
            }));
        }
    }
    f
}

/// A dataset with one input file and two issues.
pub fn dataset() -> Dataset {
    Dataset {
        files: vec![InputFile {
            path: "выгрузки/впр_2025.xlsx".into(),
            sha256: SHA.into(),
            tables: vec![TableSummary {
                sheet: Some("Лист1".into()),
                kind: Some(InputKind::Participants),
                year: Some(2025),
                procedure: Some("ВПР Математика 5 кл.".into()),
                rows_accepted: 412,
                rows_rejected: 1,
                schools: 4,
            }],
            copy_of: None,
        }],
        issues: vec![
            Issue {
                severity: Severity::Rejected,
                origin: Origin {
                    file: "впр_2025.xlsx".into(),
                    sheet: Some("Лист1".into()),
                    row: 17,
                },
                column: Some("Отметка".into()),
                value: Some("7".into()),
                message: "отметка вне диапазона 2–5; исправьте строку".into(),
            },
            Issue {
                severity: Severity::Warning,
                origin: Origin {
                    file: "реестр.xlsx".into(),
                    sheet: None,
                    row: 3,
                },
                column: None,
                value: None,
                message: "у школы нет телефона".into(),
            },
        ],
        ..Dataset::default()
    }
}

/// The file names of written paths, in order.
pub fn file_names(paths: &[std::path::PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// Last December's findings for the comparison of lists (hand-made): school 03 was ШНОР,
/// school 01 on no list, the rest as in [`findings`].
pub fn previous_year() -> Findings {
    let mut before = findings();
    before.year = 2024;
    for s in &mut before.schools {
        match s.school.id.as_str() {
            "01" => s.flags.clear(),
            "03" => s.flags = vec![flag(FlagKind::Shnor, "ОИП ниже порога")],
            _ => {}
        }
    }
    before
}
