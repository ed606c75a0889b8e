//! Clusters of comparable schools (docs/method.md §4.1). A cluster given explicitly (settings, then
//! the registry) is taken as it is. Otherwise the key is settlement × level group; a group
//! with fewer than `min_size` schools is merged into its settlement-level cluster, and if
//! that is still too small, into one cluster of the whole municipality. Every school gets a
//! Russian reason naming the rule that put it where it is.
//!
//! Level groups from the free text of «Тип ОО» (or, when it says nothing, the name),
//! checked in this order so that «СОШ с УИОП» is an УИОП school and «коррекционная СОШ» is
//! special:
//! - специальная: «коррекц», «специальн», «адаптир», «с овз», «для обучающихся с овз»;
//! - гимназия, лицей, УИОП: «гимназ», «лицей», «уиоп», «углубл»;
//! - СОШ: «сош», «средн»;
//! - ООШ (вкл. НОШ): «оош», «основн», «нош», «начальн».
//!
//! Anything else (e.g. «центр образования») is left without a level rather than guessed.

use super::ClusterInfo;
use crate::config::Config;
use crate::model::School;
use crate::read::norm_text;
use std::collections::BTreeMap;

/// Level group of a school, for the automatic cluster key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LevelGroup {
    Basic,
    Secondary,
    Advanced,
    Special,
}

impl LevelGroup {
    pub fn label(self) -> &'static str {
        match self {
            LevelGroup::Basic => "ООШ",
            LevelGroup::Secondary => "СОШ",
            LevelGroup::Advanced => "гимназия, лицей, УИОП",
            LevelGroup::Special => "специальная",
        }
    }
}

/// Level group from free text (see the module docs for the rules).
pub fn level_group(text: &str) -> Option<LevelGroup> {
    let t = norm_text(text);
    let has = |keys: &[&str]| keys.iter().any(|k| t.contains(k));
    if has(&[
        "коррекц",
        "специальн",
        "адаптир",
        "с овз",
        "для обучающихся с овз",
    ]) {
        Some(LevelGroup::Special)
    } else if has(&["гимназ", "лицей", "уиоп", "углубл"]) {
        Some(LevelGroup::Advanced)
    } else if has(&["сош", "средн"]) {
        Some(LevelGroup::Secondary)
    } else if has(&["оош", "основн", "нош", "начальн"]) {
        Some(LevelGroup::Basic)
    } else {
        None
    }
}

/// Settlement type: «город» and «село» recognised in their usual spellings, anything else
/// (пгт, деревня …) kept as written, lower-cased with spaces tidied.
pub fn settlement(text: &str) -> Option<String> {
    let t = norm_text(text);
    let t = t.trim_end_matches('.').trim().to_string();
    if t.is_empty() || t == "-" || t == "—" {
        return None;
    }
    Some(match t.as_str() {
        "г"
        | "город"
        | "городской"
        | "городская"
        | "городская местность"
        | "городское поселение" => "город".into(),
        "с" | "село" | "сельский" | "сельская" | "сельская местность" | "сельское поселение" => {
            "село".into()
        }
        _ => t,
    })
}

/// Automatic cluster key: settlement × level group, either may be unknown.
type AutoKey = (Option<String>, Option<LevelGroup>);

/// Where one school went and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub cluster: String,
    pub reason: String,
}

/// Assigns every school of the registry to a cluster.
pub fn assign(
    schools: &[School],
    cfg: &Config,
) -> (BTreeMap<String, Assignment>, Vec<ClusterInfo>) {
    let min = cfg.clusters.min_size;
    let mut out: BTreeMap<String, Assignment> = BTreeMap::new();
    // Automatic candidates: (settlement, level) → school ids, with the level's source text.
    let mut by_key: BTreeMap<AutoKey, Vec<(&School, String)>> = BTreeMap::new();
    for s in schools {
        if let Some(c) = cfg
            .clusters
            .assign
            .get(&s.id)
            .filter(|c| !c.trim().is_empty())
        {
            out.insert(
                s.id.clone(),
                Assignment {
                    cluster: c.trim().to_string(),
                    reason: "кластер задан в настройках (clusters.assign)".into(),
                },
            );
            continue;
        }
        if let Some(c) = s.cluster.as_deref().filter(|c| !c.trim().is_empty()) {
            out.insert(
                s.id.clone(),
                Assignment {
                    cluster: c.trim().to_string(),
                    reason: "кластер указан в реестре школ".into(),
                },
            );
            continue;
        }
        let set = s.settlement.as_deref().and_then(settlement);
        let (level, source) = match s.level.as_deref().and_then(level_group) {
            Some(l) => (
                Some(l),
                format!("тип ОО «{}»", s.level.as_deref().unwrap_or("")),
            ),
            None => match level_group(&s.name) {
                Some(l) => (Some(l), format!("наименование «{}»", s.name)),
                None => (None, String::new()),
            },
        };
        by_key.entry((set, level)).or_default().push((s, source));
    }

    let muni_name = municipality_cluster_name(schools);
    let mut by_settlement: BTreeMap<String, Vec<(&School, String)>> = BTreeMap::new();
    let mut to_muni: Vec<(&School, String)> = Vec::new();
    for ((set, level), members) in by_key {
        match (&set, level) {
            (Some(st), Some(l)) if members.len() >= min => {
                let name = format!("{st}, {}", l.label());
                let n = members.len();
                for (s, source) in members {
                    out.insert(
                        s.id.clone(),
                        Assignment {
                            cluster: name.clone(),
                            reason: format!(
                                "тип населённого пункта «{st}», уровень «{}» ({source}); в \
                                 группе {}",
                                l.label(),
                                super::text::schools(n),
                            ),
                        },
                    );
                }
            }
            (Some(st), Some(l)) => {
                let why = format!(
                    "в группе «{st}, {}» {} (меньше {min})",
                    l.label(),
                    super::text::schools(members.len())
                );
                by_settlement
                    .entry(st.clone())
                    .or_default()
                    .extend(members.into_iter().map(|(s, _)| (s, why.clone())));
            }
            (Some(st), None) => {
                let why = "уровень школы не определён по типу ОО и наименованию".to_string();
                by_settlement
                    .entry(st.clone())
                    .or_default()
                    .extend(members.into_iter().map(|(s, _)| (s, why.clone())));
            }
            (None, _) => {
                let why = "тип населённого пункта не указан".to_string();
                to_muni.extend(members.into_iter().map(|(s, _)| (s, why.clone())));
            }
        }
    }
    for (st, members) in by_settlement {
        if members.len() >= min {
            for (s, why) in members {
                out.insert(
                    s.id.clone(),
                    Assignment {
                        cluster: st.clone(),
                        reason: format!("{why} — объединена в кластер «{st}»"),
                    },
                );
            }
        } else {
            let n = members.len();
            to_muni.extend(members.into_iter().map(|(s, why)| {
                (
                    s,
                    format!(
                        "{why}; в кластере «{st}» тоже {} (меньше {min})",
                        super::text::schools(n)
                    ),
                )
            }));
        }
    }
    for (s, why) in to_muni {
        out.insert(
            s.id.clone(),
            Assignment {
                cluster: muni_name.clone(),
                reason: format!("{why} — объединена в общий кластер «{muni_name}»"),
            },
        );
    }

    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for a in out.values() {
        *sizes.entry(a.cluster.as_str()).or_default() += 1;
    }
    let infos = sizes
        .into_iter()
        .map(|(name, schools)| ClusterInfo {
            name: name.to_string(),
            schools,
        })
        .collect();
    (out, infos)
}

/// The municipality's name when every school has the same one, else «все школы».
fn municipality_cluster_name(schools: &[School]) -> String {
    let mut names = schools
        .iter()
        .filter_map(|s| s.municipality.as_deref())
        .map(str::trim)
        .filter(|m| !m.is_empty());
    match names.next() {
        Some(first) if names.all(|m| m == first) => format!("{first} (все школы)"),
        _ => "все школы".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn school(id: &str, settlement: Option<&str>, level: Option<&str>, name: &str) -> School {
        School {
            id: id.into(),
            name: name.into(),
            municipality: Some("Энский район".into()),
            settlement: settlement.map(Into::into),
            level: level.map(Into::into),
            ..School::default()
        }
    }

    #[test]
    fn levels_from_free_text() {
        assert_eq!(level_group("МБОУ СОШ с УИОП"), Some(LevelGroup::Advanced));
        assert_eq!(level_group("Гимназия №1"), Some(LevelGroup::Advanced));
        assert_eq!(level_group("МАОУ «Лицей»"), Some(LevelGroup::Advanced));
        assert_eq!(
            level_group("коррекционная школа"),
            Some(LevelGroup::Special)
        );
        assert_eq!(level_group("ООШ"), Some(LevelGroup::Basic));
        assert_eq!(level_group("МКОУ НОШ"), Some(LevelGroup::Basic));
        assert_eq!(
            level_group("средняя общеобразовательная школа"),
            Some(LevelGroup::Secondary)
        );
        assert_eq!(level_group("Центр образования"), None);
        assert_eq!(settlement(" Город "), Some("город".into()));
        assert_eq!(settlement("с."), Some("село".into()));
        assert_eq!(settlement("ПГТ"), Some("пгт".into()));
        assert_eq!(settlement(""), None);
    }

    #[test]
    fn small_group_merges_into_settlement_then_municipality() {
        let cfg = Config::default(); // min_size 5
        let mut schools = Vec::new();
        // 5 city СОШ stay a cluster of their own
        for i in 0..5 {
            schools.push(school(
                &format!("c{i}"),
                Some("город"),
                Some("СОШ"),
                "Школа",
            ));
        }
        // 3 city gymnasiums + 2 city ООШ: groups of 3 and 2, together 5 → cluster «город»
        for i in 0..3 {
            schools.push(school(&format!("g{i}"), Some("город"), None, "Гимназия №1"));
        }
        for i in 0..2 {
            schools.push(school(
                &format!("o{i}"),
                Some("город"),
                Some("ООШ"),
                "Школа",
            ));
        }
        // 3 village schools: settlement cluster too small → municipality
        for i in 0..3 {
            schools.push(school(&format!("v{i}"), Some("село"), Some("СОШ"), "Школа"));
        }
        // no settlement → municipality
        schools.push(school("x", None, Some("СОШ"), "Школа"));
        // explicit cluster wins
        let mut e = school("e", Some("город"), Some("СОШ"), "Школа");
        e.cluster = Some("Кластер 7".into());
        schools.push(e);

        let (a, infos) = assign(&schools, &cfg);
        assert_eq!(a["c0"].cluster, "город, СОШ");
        assert_eq!(
            a["c0"].reason,
            "тип населённого пункта «город», уровень «СОШ» (тип ОО «СОШ»); в группе 5 школ"
        );
        assert_eq!(a["g0"].cluster, "город");
        assert_eq!(
            a["g0"].reason,
            "в группе «город, гимназия, лицей, УИОП» 3 школы (меньше 5) — объединена в кластер «город»"
        );
        assert_eq!(a["o1"].cluster, "город");
        assert_eq!(a["v0"].cluster, "Энский район (все школы)");
        assert_eq!(
            a["v0"].reason,
            "в группе «село, СОШ» 3 школы (меньше 5); в кластере «село» тоже 3 школы (меньше 5) — \
             объединена в общий кластер «Энский район (все школы)»"
        );
        assert_eq!(a["x"].cluster, "Энский район (все школы)");
        assert!(
            a["x"]
                .reason
                .starts_with("тип населённого пункта не указан")
        );
        assert_eq!(a["e"].cluster, "Кластер 7");
        assert_eq!(a["e"].reason, "кластер указан в реестре школ");
        let sizes: Vec<(&str, usize)> =
            infos.iter().map(|i| (i.name.as_str(), i.schools)).collect();
        assert_eq!(
            sizes,
            vec![
                ("Кластер 7", 1),
                ("Энский район (все школы)", 4),
                ("город", 5),
                ("город, СОШ", 5)
            ]
        );
    }

    #[test]
    fn settings_override_registry() {
        let mut cfg = Config::default();
        cfg.clusters.assign.insert("1".into(), "Север".into());
        let mut s = school("1", Some("город"), Some("СОШ"), "Школа");
        s.cluster = Some("Юг".into());
        let (a, _) = assign(&[s], &cfg);
        assert_eq!(a["1"].cluster, "Север");
        assert_eq!(
            a["1"].reason,
            "кластер задан в настройках (clusters.assign)"
        );
    }
}
