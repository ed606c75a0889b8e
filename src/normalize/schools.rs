//! School keys: the registry id, its aliases (`Другие коды ОО`), zero padding (`000378` =
//! `378`) and ФИС ОКО logins (`sch220123` / `edu220123` = `220123`) all lead to one school.

use super::values::code_key;
use crate::model::{Origin, School};
use std::collections::BTreeMap;

/// Forms under which a key may be written elsewhere.
fn forms(key: &str) -> Vec<String> {
    let k = code_key(key);
    let mut out = vec![k.clone()];
    for prefix in ["sch", "edu"] {
        if let Some(rest) = k.strip_prefix(prefix)
            && !rest.is_empty()
            && rest.chars().all(|c| c.is_ascii_digit())
        {
            out.push(code_key(rest));
        }
    }
    out
}

/// Key → registry id.
#[derive(Debug, Default)]
pub struct Index {
    map: BTreeMap<String, String>,
}

impl Index {
    /// Builds the index; duplicate ids are an error naming both rows.
    ///
    /// # Errors
    /// A Russian message naming both rows with the same id.
    pub fn build(schools: &[School], origins: &[Origin]) -> anyhow::Result<Index> {
        let mut ids: BTreeMap<String, usize> = BTreeMap::new();
        for (i, s) in schools.iter().enumerate() {
            if let Some(&j) = ids.get(&code_key(&s.id)) {
                anyhow::bail!(
                    "в реестре школ код ОО «{}» повторяется: {} и {}. Оставьте одну строку \
                     (у каждой школы свой код), иначе результаты нельзя отнести к школе",
                    s.id,
                    origins[j],
                    origins[i]
                );
            }
            ids.insert(code_key(&s.id), i);
        }
        let mut map = BTreeMap::new();
        // Ids first so an alias never shadows another school's id.
        for s in schools {
            for f in forms(&s.id) {
                map.entry(f).or_insert_with(|| s.id.clone());
            }
        }
        for s in schools {
            for a in &s.aliases {
                for f in forms(a) {
                    map.entry(f).or_insert_with(|| s.id.clone());
                }
            }
        }
        Ok(Index { map })
    }

    /// The registry id a key written in a file refers to.
    pub fn resolve(&self, key: &str) -> Option<&str> {
        forms(key)
            .iter()
            .find_map(|f| self.map.get(f))
            .map(String::as_str)
    }
}

/// A key's grouping form when there is no registry: `000378` and `378` are one school.
pub fn bare_key(key: &str) -> String {
    forms(key).pop().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn school(id: &str, aliases: &[&str]) -> School {
        School {
            id: id.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            ..School::default()
        }
    }

    #[test]
    fn resolves_padding_aliases_and_logins() {
        let schools = [school("220123", &["sch999", "0456"]), school("000378", &[])];
        let idx = Index::build(&schools, &[Origin::default(), Origin::default()]).unwrap();
        assert_eq!(idx.resolve("sch220123"), Some("220123"));
        assert_eq!(idx.resolve("edu220123"), Some("220123"));
        assert_eq!(idx.resolve("999"), Some("220123"));
        assert_eq!(idx.resolve("456"), Some("220123"));
        assert_eq!(idx.resolve("378"), Some("000378"));
        assert_eq!(idx.resolve("SCH220123"), Some("220123"));
        assert_eq!(idx.resolve("777"), None);
    }

    #[test]
    fn duplicate_ids_name_both_rows() {
        let o = |row| Origin {
            file: "реестр.xlsx".into(),
            sheet: None,
            row,
        };
        let e = Index::build(&[school("12", &[]), school("012", &[])], &[o(2), o(5)]).unwrap_err();
        let m = e.to_string();
        assert!(m.contains("строка 2") && m.contains("строка 5"), "{m}");
    }
}
