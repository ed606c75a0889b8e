//! Reproducers of the fuzzer's findings. Each runs under the same supervisor (memory cap,
//! timeout, a worker process so an abort is a failure, not the end of the test run).
//!
//! A finding not fixed yet is an `#[ignore]`d test naming where it crashes; enable it
//! when the fix lands. Files that are mutations of fixtures live in
//! tests/fuzz-regressions/; mutations of ../shared/realdata may not be copied into the
//! repository, so those are generated here from a small hand-made equivalent.

use super::{Settings, summary, supervise};
use std::path::{Path, PathBuf};

/// Replays `files` and fails on any finding.
fn replay(files: Vec<PathBuf>) {
    replay_capped(files, None);
}

/// [`replay`] under a memory cap of `cap` bytes instead of the fuzzer's.
fn replay_capped(files: Vec<PathBuf>, cap: Option<usize>) {
    let mut s = Settings::from_env();
    s.replay = files;
    if let Some(cap) = cap {
        s.cap = cap;
    }
    s.timeout = std::time::Duration::from_secs(60);
    let t = supervise(&s);
    let text = summary(&s, &t, std::time::Duration::from_secs(1));
    assert!(t.findings.is_empty(), "{text}");
}

/// An OLE compound file (.xls) of three 512-byte sectors whose directory chain points at
/// itself: FAT[1] = 1. Found by the fuzzer from a real .xls with 36 bytes repeated
/// (seed 1, input 177): calamine 0.38 `cfb.rs` `get_chain` reads the chain with no length
/// limit and no cycle check, so the directory buffer grows until memory runs out
/// («memory allocation of 2147483648 bytes failed», abort) — a 1.5 KB file.
pub fn cfb_fat_cycle() -> Vec<u8> {
    let mut b = vec![0u8; 512 * 3];
    let put16 =
        |b: &mut Vec<u8>, at: usize, v: u16| b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 =
        |b: &mut Vec<u8>, at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    b[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    put16(&mut b, 24, 0x003E); // minor version
    put16(&mut b, 26, 3); // major version: 512-byte sectors
    put16(&mut b, 28, 0xFFFE); // byte order
    put16(&mut b, 30, 9); // sector shift
    put16(&mut b, 32, 6); // mini sector shift
    put32(&mut b, 44, 1); // FAT sectors
    put32(&mut b, 48, 1); // first directory sector
    put32(&mut b, 56, 4096); // mini stream cutoff
    put32(&mut b, 60, 0xFFFF_FFFE); // no mini FAT
    put32(&mut b, 68, 0xFFFF_FFFE); // no DIFAT sectors
    for k in 0..109 {
        put32(&mut b, 76 + 4 * k, if k == 0 { 0 } else { 0xFFFF_FFFF });
    }
    // Sector 0 (the FAT): itself a FAT sector; sector 1 continues to sector 1.
    for k in 0..128 {
        put32(&mut b, 512 + 4 * k, 0xFFFF_FFFF);
    }
    put32(&mut b, 512, 0xFFFF_FFFD);
    put32(&mut b, 516, 1);
    // Sector 1: a root directory entry.
    let name: Vec<u8> = "Root Entry"
        .encode_utf16()
        .chain([0])
        .flat_map(u16::to_le_bytes)
        .collect();
    b[1024..1024 + name.len()].copy_from_slice(&name);
    put16(&mut b, 1024 + 64, name.len() as u16);
    b[1024 + 66] = 5; // root storage
    put32(&mut b, 1024 + 116, 0xFFFF_FFFE);
    b
}

/// Now refused by read::xls_scan, which walks the compound file before calamine does.
#[test]
fn xls_fat_cycle_is_refused_not_an_abort() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("цикл.xls");
    std::fs::write(&p, cfb_fat_cycle()).unwrap();
    replay(vec![p]);
}

/// Every kept reproducer file in tests/fuzz-regressions/ (see its README).
#[test]
fn kept_reproducers_are_refused_not_crashes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut files = Vec::new();
    super::replay_files(&dir, &mut files);
    replay(files);
}

/// An archive of three archives, each holding one ОГЭ export of 1,000 schools fifty times
/// under other names: the shape of seed 1, input 795142 (../shared/realdata's Altai ЕГЭ-2014
/// archive nested 20 × 20 with 5 bytes flipped: 400 copies, whose rows were all kept until
/// the run found the tables repeated — 4.6 GB, past the fuzzer's 2 GiB cap).
pub fn copies_in_nested_zips() -> Vec<u8> {
    let mut csv = String::from(
        "Код ОО;Кол-во участников;отметка \"2\";отметка \"3\";отметка \"4\";отметка \"5\"\n",
    );
    for i in 0..1000 {
        csv.push_str(&format!("{};10;1;4;3;2\n", 100_000 + i));
    }
    let inner: Vec<(String, Vec<u8>)> = (0..50)
        .map(|k| {
            (
                format!("копия {k}/ОГЭ 2025 математика.csv"),
                csv.clone().into_bytes(),
            )
        })
        .collect();
    let inner = super::mutate::zip(&inner, true);
    let outer: Vec<(String, Vec<u8>)> = (0..3)
        .map(|k| (format!("{k}_выгрузка.zip"), inner.clone()))
        .collect();
    super::mutate::zip(&outer, true)
}

/// 150 copies of 1,000 schools' rows. Measured in release builds (peak of the worker, which
/// also runs `identify`): 129 MB when every copy's records were kept (3706a49), 43 MB with
/// one copy read (41 MB for the export alone). Under an 80 MB cap only the latter passes.
#[test]
fn copies_in_an_archive_are_not_kept() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("копии.zip");
    std::fs::write(&p, copies_in_nested_zips()).unwrap();
    replay_capped(vec![p], Some(80 << 20));
}
