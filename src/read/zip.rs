//! Plain zip archives of exports (РЦОИ ships a zip of per-subject reports). Members are
//! read in memory, never unpacked to disk; nested archives are opened in place. Member
//! names are UTF-8 when the archive says so (flag bit 11), otherwise CP866, which is
//! what Russian Windows archivers write.

use std::io::{Cursor, Read};

use sha2::{Digest, Sha256};

use super::budget::{Budget, Meter, Unpacked};
use super::sniff::{self, Kind};
use super::{EXTENSIONS, ReadError, Workbook, read_bytes};

/// Nested archives deeper than this are reported, not opened (a guard against loops).
const MAX_DEPTH: usize = 3;
/// Flag bit 11 of the general-purpose field: the name is UTF-8.
const UTF8_FLAG: u16 = 0x0800;

/// Reads every spreadsheet in an archive held in memory and hands each to `each` in
/// archive order, one member unpacked and parsed at a time (a parsed member is dropped
/// by the caller before the next is unpacked). Each member is a file for the budgets;
/// all of them together, at every depth, count against the unpacking ratio of the input
/// file (`unpacked`): past it the archive's remaining members are not read.
/// `name` is the archive's path as shown to the user.
pub(crate) fn read_archive(
    name: &str,
    bytes: &[u8],
    depth: usize,
    budget: &Budget,
    unpacked: &Unpacked,
    each: &mut dyn FnMut(Result<Workbook, ReadError>),
) {
    let mut archive = match ::zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => {
            return each(Err(ReadError::Damaged {
                path: name.to_string(),
                detail: format!("zip-архив не открывается: {e}"),
            }));
        }
    };
    let file_limit = budget.limits.file_megabytes.saturating_mul(1 << 20);
    // The sizes the archive declares refuse an honest bomb before anything is inflated;
    // the bytes actually inflated below catch one that lies.
    let declared = (0..archive.len())
        .filter_map(|i| archive.by_index_raw(i).ok().map(|m| m.size()))
        .fold(0u64, u64::saturating_add);
    if let Err(detail) = unpacked.would_exceed(&budget.limits, declared) {
        return each(Err(ReadError::TooLarge {
            path: name.to_string(),
            detail,
        }));
    }
    for i in 0..archive.len() {
        if unpacked.is_over() {
            return;
        }
        let mut member = match archive.by_index(i) {
            Ok(m) => m,
            Err(e) => {
                each(Err(ReadError::Damaged {
                    path: format!("{name}/#{}", i + 1),
                    detail: format!("файл № {} в архиве не читается: {e}", i + 1),
                }));
                continue;
            }
        };
        let member_name = decode_name(member.name_raw(), member.flags().as_u16() & UTF8_FLAG != 0);
        // Directories hold nothing themselves; macOS resource forks are not data.
        if member.is_dir() || member_name.starts_with("__MACOSX/") {
            continue;
        }
        let full = format!("{name}/{member_name}");
        let ext = member_name
            .rsplit_once('.')
            .map(|(_, e)| e.to_lowercase())
            .unwrap_or_default();
        let is_zip_name = ext == "zip";
        if !is_zip_name && !EXTENSIONS.contains(&ext.as_str()) {
            each(Err(ReadError::NotASpreadsheet {
                path: full,
                detail: "файл в архиве не похож на таблицу (по расширению), пропущен".to_string(),
            }));
            continue;
        }
        if member.encrypted() {
            each(Err(ReadError::Io {
                path: full,
                detail: "файл в архиве защищён паролем; распакуйте архив вручную".to_string(),
            }));
            continue;
        }
        let meter = Meter::inside(budget, unpacked);
        // The declared size is only a hint (it may lie): it refuses early, the count of
        // bytes actually inflated below decides.
        let too_large = |detail| ReadError::TooLarge {
            path: full.clone(),
            detail,
        };
        if member.size() > file_limit {
            let probe = Meter::new(budget);
            if let Err(detail) = probe.bytes(member.size()) {
                each(Err(too_large(detail)));
                continue;
            }
        }
        let limit = file_limit.min(unpacked.room(&budget.limits));
        let mut data = Vec::with_capacity(member.size().min(limit) as usize);
        // One byte over the limit tells a member that is too large from one that fits.
        let read = member
            .by_ref()
            .take(limit.saturating_add(1))
            .read_to_end(&mut data);
        if let Err(e) = read {
            // zip checks each member's CRC at its end: a bad one means changed bytes
            // (13 participants read as 93), so the member is refused, never read.
            each(Err(ReadError::Damaged {
                path: full,
                detail: format!(
                    "файл в архиве не распаковывается без ошибок: {}",
                    unpack_reason(&e)
                ),
            }));
            continue;
        }
        drop(member);
        if let Err(detail) = meter.bytes(data.len() as u64) {
            each(Err(too_large(detail)));
            continue;
        }
        if sniff::sniff(&data) == Kind::Zip {
            if depth + 1 >= MAX_DEPTH {
                each(Err(ReadError::NotASpreadsheet {
                    path: full,
                    detail: "слишком глубоко вложенный архив; распакуйте его вручную".to_string(),
                }));
            } else {
                // Its members have meters of their own (one place for a large file).
                drop(meter);
                read_archive(&full, &data, depth + 1, budget, unpacked, each);
            }
            continue;
        }
        let wb = read_bytes(&full, &data, &meter).map(|mut wb| {
            wb.digest = Some(Sha256::digest(&data).into());
            wb
        });
        drop(data);
        each(wb);
        drop(meter);
    }
}

/// A member name: UTF-8 when flagged, else CP866 (pure ASCII reads the same either way).
fn decode_name(raw: &[u8], utf8_flag: bool) -> String {
    if utf8_flag {
        String::from_utf8_lossy(raw).into_owned()
    } else {
        encoding_rs::IBM866
            .decode_without_bom_handling(raw)
            .0
            .into_owned()
    }
}

/// A decompression error in the analyst's words (the zip and deflate crates speak English).
pub(crate) fn unpack_reason(e: &std::io::Error) -> String {
    let text = e.to_string().to_lowercase();
    if text.contains("checksum") || text.contains("crc") {
        "контрольная сумма (CRC) не сходится — байты файла изменены".into()
    } else if e.kind() == std::io::ErrorKind::UnexpectedEof {
        "архив обрывается на середине".into()
    } else {
        "сжатые данные испорчены".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{Cell, read_all};
    use std::io::Write;

    /// Builds a zip in memory. Non-ASCII names are written as raw CP866 bytes without
    /// the UTF-8 flag by patching them in after writing, as Russian archivers do.
    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ::zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = ::zip::write::SimpleFileOptions::default()
            .compression_method(::zip::CompressionMethod::Deflated);
        for (name, data) in members {
            if name.ends_with('/') {
                w.add_directory(*name, opts).unwrap();
            } else {
                w.start_file(*name, opts).unwrap();
                w.write_all(data).unwrap();
            }
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn cp866_names_are_decoded() {
        let (raw, _, _) = encoding_rs::IBM866.encode("Результаты_по_ОО.xls");
        assert_eq!(decode_name(&raw, false), "Результаты_по_ОО.xls");
        assert_eq!(decode_name("Итоги.xlsx".as_bytes(), true), "Итоги.xlsx");
    }

    #[test]
    fn archive_members_nested_and_skipped() {
        let inner = zip_of(&[("b.csv", "Код;Балл\n2;4\n".as_bytes())]);
        let outer = zip_of(&[
            ("dir/", b""),
            ("dir/a.csv", "Код;Балл\n1;5\n".as_bytes()),
            ("readme.pdf", b"%PDF-1.4"),
            ("inner.zip", &inner),
            ("empty.csv", b""),
        ]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("выгрузка.zip");
        std::fs::write(&path, &outer).unwrap();
        let all = read_all(&path);
        // 5 entries written, the directory is skipped: a.csv, readme.pdf, b.csv, empty.csv.
        assert_eq!(all.len(), 4);
        let a = all[0].as_ref().unwrap();
        assert_eq!(a.path, path.join("dir/a.csv"));
        assert_eq!(a.sheets[0].cell(1, 1), &Cell::Text("5".into()));
        assert!(
            matches!(&all[1], Err(ReadError::NotASpreadsheet { path, .. }) if path.ends_with("readme.pdf"))
        );
        let b = all[2].as_ref().unwrap();
        assert_eq!(b.path, path.join("inner.zip/b.csv"));
        assert_eq!(b.sheets[0].cell(1, 0), &Cell::Text("2".into()));
        assert!(matches!(&all[3], Err(ReadError::Empty { .. })));
    }

    /// A member's digest is its own bytes' SHA-256, whatever its name or depth; the file
    /// read on its own has the digest of its bytes too.
    #[test]
    fn members_carry_the_digest_of_their_bytes() {
        let a = "Код;Балл\n1;5\n".as_bytes();
        let inner = zip_of(&[("b.csv", a)]);
        let outer = zip_of(&[
            ("a.csv", a),
            ("inner.zip", &inner),
            ("c.csv", "Код;Балл\n1;4\n".as_bytes()),
        ]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("выгрузка.zip");
        std::fs::write(&path, &outer).unwrap();
        let plain = dir.path().join("a.csv");
        std::fs::write(&plain, a).unwrap();
        let digests: Vec<[u8; 32]> = read_all(&path)
            .into_iter()
            .chain(read_all(&plain))
            .map(|wb| wb.unwrap().digest.unwrap())
            .collect();
        let of_a: [u8; 32] = Sha256::digest(a).into();
        assert_eq!(digests.len(), 4);
        assert_eq!([digests[0], digests[1], digests[3]], [of_a; 3]);
        assert_ne!(digests[2], of_a);
    }

    #[test]
    fn non_archive_and_broken_archive() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("a.csv");
        std::fs::write(&csv, "x;y\n1;2\n").unwrap();
        let all = read_all(&csv);
        assert_eq!(all.len(), 1);
        assert!(all[0].is_ok());
        let bad = dir.path().join("bad.zip");
        std::fs::write(&bad, b"PK\x03\x04 not really a zip").unwrap();
        let all = read_all(&bad);
        assert_eq!(all.len(), 1);
        assert!(all[0].is_err());
    }
}
