//! Reading one input file (or archive): every sheet recognized and normalized on its own,
//! in parallel with the other files; nothing here knows the registry yet.

use super::copies::Memo;
use super::{SheetNotes, SheetOut, is_notes_sheet, table, table_summary};
use crate::config::Config;
use crate::model::{InputFile, InputKind, Issue, Severity};
use crate::read::Workbook;
use crate::recognize::prepare_sheet;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::atomic::AtomicU64;
/// One sheet's output with where it goes in `Dataset::files`.
pub(super) struct SheetResult {
    /// Index into `FileOut::files`.
    pub(super) file: usize,
    /// Index into that file's `tables`.
    pub(super) table: usize,
    pub(super) kind: InputKind,
    pub(super) out: SheetOut,
    /// A trend table (several years side by side): see [`assemble`](super::assemble).
    pub(super) trend: bool,
}

#[derive(Default)]
pub(super) struct FileOut {
    pub(super) files: Vec<InputFile>,
    pub(super) sheets: Vec<SheetResult>,
    pub(super) issues: Vec<Issue>,
    pub(super) notes: Vec<SheetNotes>,
}

/// Streamed: a file over the reading budget must not be loaded whole just to be hashed.
pub(super) fn sha256(path: &Path) -> String {
    let mut hasher = Sha256::new();
    match std::fs::File::open(path).and_then(|mut f| std::io::copy(&mut f, &mut hasher)) {
        Ok(_) => hex(&hasher.finalize()),
        Err(_) => String::new(),
    }
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `[[files]]` setting that leaves this file aside (`ignore = true`), if any.
pub(super) fn ignored_by<'a>(cfg: &'a Config, path: &Path) -> Option<&'a crate::config::FileHint> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    cfg.files.iter().find(|h| h.matches(&name) && h.ignore)
}

/// `hashed`: the SHA-256 of the file, when already known. `memo`: the sheets read so far by
/// this task, so a copy of one of them is not normalized again ([`copies`](super::copies)).
/// `records`: records kept by the whole run so far (`[limits] run_records`).
pub(super) fn read_one(
    path: &Path,
    hashed: Option<&str>,
    memo: &mut Memo,
    cfg: &Config,
    budget: &crate::read::Budget,
    records: &AtomicU64,
) -> FileOut {
    let mut fo = FileOut::default();
    let shown = path.display().to_string();
    if let Some(h) = ignored_by(cfg, path) {
        fo.files.push(InputFile {
            path: shown.clone(),
            sha256: hashed.map_or_else(|| sha256(path), str::to_string),
            tables: Vec::new(),
            copy_of: None,
        });
        fo.notes.push(SheetNotes {
            file: shown,
            sheet: None,
            notes: vec![format!(
                "пропущен по настройкам ([[files]] pattern = \"{}\", ignore = true)",
                h.pattern
            )],
        });
        return fo;
    }
    // Hashed from the bytes the reader loads; streamed from the file when it is not loaded.
    // The bytes read win over `hashed` (the file may have changed since it was hashed).
    let loaded: std::cell::OnceCell<String> = std::cell::OnceCell::new();
    let sha = || {
        loaded
            .get()
            .cloned()
            .or_else(|| hashed.map(str::to_string))
            .unwrap_or_else(|| sha256(path))
    };
    // Workbooks one at a time (a zip holds several): each dropped before the next unpacks.
    let mut seen = |digest: [u8; 32]| {
        let _ = loaded.set(hex(&digest));
    };
    crate::read::read_each_seen(path, budget, &mut seen, &mut |wb| {
        let wb = match wb {
            Ok(wb) => wb,
            Err(e) => {
                fo.issues.push(read_refusal(&e));
                fo.files.push(InputFile {
                    path: e.path().to_string(),
                    sha256: sha(),
                    tables: Vec::new(),
                    copy_of: None,
                });
                return;
            }
        };
        read_workbook(&wb, &sha(), cfg, (&mut fo, memo), records);
    });
    fo
}

/// A file (or archive member) not read: the reader's reason, without its own path prefix
/// (the issue names the file).
fn read_refusal(e: &crate::read::ReadError) -> Issue {
    let at = e.path();
    let msg = e.to_string();
    let msg = msg
        .strip_prefix(&format!("{at}: "))
        .map_or(msg.clone(), str::to_string);
    Issue::of_file(Severity::Rejected, at, format!("файл не учтён: {msg}"))
}

fn read_workbook(
    wb: &Workbook,
    sha: &str,
    cfg: &Config,
    (fo, memo): (&mut FileOut, &mut Memo),
    records: &AtomicU64,
) {
    let shown = wb.path.display().to_string();
    let file_idx = fo.files.len();
    let mut file = InputFile {
        path: shown.clone(),
        sha256: sha.to_string(),
        tables: Vec::new(),
        copy_of: None,
    };
    let mut failures: Vec<(Option<String>, String)> = Vec::new();
    let mut recognized = 0;
    // Sheets not normalized because an earlier file gave them (name, that file).
    let mut copies: Vec<(Option<String>, String)> = Vec::new();
    for (i, sheet) in wb.sheets.iter().enumerate() {
        let empty = sheet
            .rows
            .iter()
            .all(|r| r.iter().all(crate::read::Cell::is_empty));
        if empty {
            fo.notes.push(SheetNotes {
                file: shown.clone(),
                sheet: sheet.name.clone(),
                notes: vec!["лист пуст — пропущен".into()],
            });
            failures.push((sheet.name.clone(), "лист пуст".into()));
            continue;
        }
        let prepared = prepare_sheet(sheet, &wb.path, cfg);
        match prepared.table {
            Ok(t) => {
                recognized += 1;
                if let Some(first) = memo.earlier((wb.digest, i), (&t, prepared.trend), &shown) {
                    fo.notes.push(SheetNotes {
                        file: shown.clone(),
                        sheet: sheet.name.clone(),
                        notes: vec![format!(
                            "совпадает байт в байт с «{first}» и читается так же — не учтён \
                             повторно"
                        )],
                    });
                    copies.push((sheet.name.clone(), first));
                    continue;
                }
                let out = table::normalize_counted(
                    &prepared.sheet,
                    &t,
                    &shown,
                    cfg,
                    prepared.row_map.as_deref(),
                    records,
                );
                let mut notes = prepared.notes.clone();
                notes.extend(t.notes.iter().cloned());
                notes.extend(out.notes.iter().cloned());
                if let Some(d) = &wb.detected {
                    notes.insert(0, format!("кодировка и разделитель: {d}"));
                }
                fo.notes.push(SheetNotes {
                    file: shown.clone(),
                    sheet: sheet.name.clone(),
                    notes,
                });
                file.tables
                    .push(table_summary(sheet.name.clone(), &t, &out));
                fo.sheets.push(SheetResult {
                    file: file_idx,
                    table: file.tables.len() - 1,
                    kind: t.kind,
                    out,
                    trend: prepared.trend,
                });
            }
            Err(_) if sheet.name.as_deref().is_some_and(is_notes_sheet) => {
                // The «Пояснения» sheet of shnor's own templates (and instruction sheets like
                // it) explains the columns; it holds no data.
                fo.notes.push(SheetNotes {
                    file: shown.clone(),
                    sheet: sheet.name.clone(),
                    notes: vec!["лист с пояснениями к форме — пропущен".into()],
                });
                failures.push((sheet.name.clone(), "лист пуст".into()));
            }
            Err(u) => failures.push((sheet.name.clone(), u.message)),
        }
    }
    if !copies.is_empty() && copies.len() == recognized {
        // A copy of a whole file: said once; what else its sheets hold was said of the first.
        fo.issues.push(Issue::of_file(
            Severity::Rejected,
            &shown,
            format!(
                "файл не учтён: совпадает байт в байт с «{}» и читается так же — эти данные \
                 уже прочитаны оттуда; лишнюю копию можно удалить",
                copies[0].1
            ),
        ));
        file.copy_of = copies.into_iter().next().map(|c| c.1);
        fo.files.push(file);
        return;
    }
    for (sheet, first) in copies {
        let mut i = Issue::of_file(
            Severity::Rejected,
            &shown,
            format!(
                "таблица не учтена: совпадает байт в байт с тем же листом «{first}» и читается \
                 так же — эти данные уже прочитаны оттуда"
            ),
        );
        i.origin.sheet = sheet.as_deref().map(Into::into);
        fo.issues.push(i);
    }
    let describe = |(s, m): &(Option<String>, String)| match s {
        Some(s) => format!("лист «{s}»: {m}"),
        None => m.clone(),
    };
    // Sheets of municipality totals are not an error: they are simply not school data.
    let district = |m: &str| m.starts_with(crate::recognize::DISTRICT_TABLE);
    for f in failures.iter().filter(|(_, m)| district(m)) {
        let mut i = Issue::of_file(Severity::Warning, &shown, format!("лист не учтён: {}", f.1));
        i.origin.sheet = f.0.as_deref().map(Into::into);
        fo.issues.push(i);
    }
    let summaries = failures.iter().filter(|(_, m)| district(m)).count();
    failures.retain(|(_, m)| !district(m));
    let only_summaries = summaries > 0 && failures.iter().all(|(_, m)| m == "лист пуст");
    if recognized == 0 && only_summaries {
        // Only summary sheets (and empty ones): the warnings above say it all.
    } else if recognized == 0 {
        let all_empty = failures.iter().all(|(_, m)| m == "лист пуст");
        let msg = if wb.sheets.is_empty() || all_empty {
            "файл пуст: ни на одном листе нет данных".to_string()
        } else {
            failures
                .iter()
                .filter(|(_, m)| m != "лист пуст")
                .map(describe)
                .collect::<Vec<_>>()
                .join("\n")
        };
        fo.issues.push(Issue::of_file(
            Severity::Rejected,
            &shown,
            format!("файл не учтён: {msg}"),
        ));
    } else {
        for f in failures.iter().filter(|(_, m)| m != "лист пуст") {
            let mut i = Issue::of_file(
                Severity::Warning,
                &shown,
                format!("лист не распознан и не учтён: {}", f.1),
            );
            i.origin.sheet = f.0.as_deref().map(Into::into);
            fo.issues.push(i);
        }
    }
    fo.files.push(file);
}
