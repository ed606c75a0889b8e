use super::*;

/// A key of the default TOML: table keys and array indices.
#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

/// Paths of every number in `v` (numbers inside arrays included).
fn numbers(v: &toml::Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    match v {
        toml::Value::Float(_) | toml::Value::Integer(_) => out.push(path.clone()),
        toml::Value::Table(t) => {
            for (k, x) in t {
                path.push(Seg::Key(k.clone()));
                numbers(x, path, out);
                path.pop();
            }
        }
        toml::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                numbers(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a mut toml::Value, path: &[Seg]) -> &'a mut toml::Value {
    path.iter().fold(v, |v, s| match s {
        Seg::Key(k) => v.get_mut(k.as_str()).unwrap(),
        Seg::Index(i) => v.get_mut(*i).unwrap(),
    })
}

/// The message of a default configuration with one number replaced, parsed from TOML text as
/// a user's file would be.
fn refusal(path: &[Seg], new: toml::Value) -> String {
    let mut v: toml::Value = toml::from_str(&Config::default_toml()).unwrap();
    *at(&mut v, path) = new;
    let text = toml::to_string(&v).unwrap();
    match toml::from_str::<Config>(&text) {
        Ok(c) => match c.validate() {
            Ok(()) => String::new(),
            Err(e) => format!("{e:#}"),
        },
        Err(e) => format!("{e}"),
    }
}

fn keys(path: &[Seg]) -> Vec<&str> {
    path.iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .collect()
}

/// Every number of `shnor config --default`: NaN, infinity (floats) and 0 (whole numbers,
/// all of which count something) are refused with a message naming the key.
#[test]
fn every_numeric_key_has_a_range() {
    let v: toml::Value = toml::from_str(&Config::default_toml()).unwrap();
    let mut paths = Vec::new();
    numbers(&v, &mut Vec::new(), &mut paths);
    assert!(paths.len() > 40, "{} numbers", paths.len());
    let mut checked = 0;
    for path in &paths {
        let ks = keys(path);
        let (first, last) = (ks[0], ks[ks.len() - 1]);
        let is_float = matches!(at(&mut v.clone(), path), toml::Value::Float(_));
        let bad = if is_float {
            vec![
                ("nan", toml::Value::Float(f64::NAN)),
                ("inf", toml::Value::Float(f64::INFINITY)),
                ("-inf", toml::Value::Float(f64::NEG_INFINITY)),
            ]
        } else {
            vec![("0", toml::Value::Integer(0))]
        };
        for (shown, new) in bad {
            let msg = refusal(path, new);
            assert!(
                msg.contains(first) && msg.contains(last) && msg.contains(shown),
                "{path:?} = {shown}: «{msg}»"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

fn refused(toml_text: &str) -> String {
    let c: Config = toml::from_str(toml_text).unwrap();
    format!("{:#}", c.validate().unwrap_err())
}

#[test]
fn negative_bars_inverted_bands_and_weights_are_refused_with_the_range() {
    assert_eq!(
        refused("[oip]\nshnor_bar = -5\n"),
        "oip.shnor_bar = -5: по шкале ОИП (0 … 5 × oip.scale) — допустимо число от 0 до 35"
    );
    assert_eq!(
        refused("[points]\nratio_bands = [0.85, 1.05, 0.95, 1.15]\n"),
        "points.ratio_bands = [0.85, 1.05, 0.95, 1.15]: границы должны возрастать слева направо"
    );
    assert!(refused("[points]\npp_bands = [-10.0, -4.0, 4.0, 1e9]\n").contains("от -100 до 100"));
    assert_eq!(
        refused(
            "[[indicators]]\nid = \"vpr\"\nname = \"ВПР\"\nweight = -1.0\nsource = \"vpr_mark\"\n"
        ),
        "indicators «vpr»: weight = -1: вес показателя — допустимо число от 0 до 100"
    );
    assert_eq!(
        refused("[general]\nmin_n = 0\n"),
        "general.min_n = 0: наименьшее n — допустимо целое число от 1 до 100000"
    );
    assert_eq!(
        refused("[isb]\nthreshold = -1e308\n"),
        "isb.threshold = -1e308: порог ИСБ — допустимо число от 0 до 100"
    );
    assert!(refused("[oip]\nmin_low_years = 4\n").contains("не больше oip.window"));
    assert!(refused("[oip]\nmin_indicators = 8\n").contains("от 1 до 7"));
    assert!(refused("[oip]\nshnor_bar = 22\n").contains("выше oip.program_threshold = 21"));
    assert!(refused("[risk]\nalpha = 1.0\n").contains("больше 0 и меньше 1"));
    assert!(refused("[progress]\ntarget_tolerance = 1.0\n").contains("меньше 1"));
    let zero =
        "[[indicators]]\nid = \"vpr\"\nname = \"ВПР\"\nweight = 0.0\nsource = \"vpr_mark\"\n";
    assert!(
        refused(&format!("{zero}[oip]\nmin_indicators = 1\n")).contains("у всех показателей вес 0")
    );
    // The bounds themselves are allowed.
    let c: Config = toml::from_str("[oip]\nshnor_bar = 0.0\nprogram_threshold = 35.0\n").unwrap();
    c.validate().unwrap();
}

/// `[limits]` is left out of the written default, so the walk above does not reach it.
#[test]
fn a_zero_reading_budget_is_refused_with_its_key() {
    for key in [
        "file_megabytes",
        "file_cells",
        "file_rows",
        "run_megabytes",
        "run_cells",
        "sheet_records",
        "run_records",
        "unpack_ratio",
        "unpack_ratio_from_megabytes",
    ] {
        let msg = refused(&format!("[limits]\n{key} = 0\n"));
        assert!(
            msg.contains(&format!("limits.{key} = 0")) && msg.contains("от 1"),
            "{key}: «{msg}»"
        );
    }
    let c: Config = toml::from_str("[limits]\nfile_rows = 5\n").unwrap();
    assert!(c.validate().is_ok());
}

#[test]
fn objectivity_keys_are_checked_with_their_names() {
    for (text, key) in [
        ("raised_share = 120", "objectivity.raised_share = 120"),
        ("lowered_ratio = -1", "objectivity.lowered_ratio = -1"),
        (
            "peak_input_ratio = nan",
            "objectivity.peak_input_ratio = nan",
        ),
        ("min_n = 0", "objectivity.min_n = 0"),
        ("min_signs = 0", "objectivity.min_signs = 0"),
    ] {
        let msg = refused(&format!("[objectivity]\n{text}\n"));
        assert!(msg.contains(key), "{text}: «{msg}»");
    }
    let c: Config = toml::from_str("[objectivity]\nexclude_from_cluster = true\n").unwrap();
    assert!(c.validate().is_ok());
    assert_eq!(c.objectivity.min_n, 20);
}
