//! A check of a BIFF `.xls` before calamine reads it: the workbook stream is taken out of
//! the compound file (OLE) and its records walked once.
//!
//! Why: calamine reserves memory for the size a sheet's DIMENSIONS record declares (a
//! 16 KB file declaring 1,048,576 × 16,384 cells aborts the process) and builds a dense
//! grid over the cells' bounding box; and a stream cut short in the middle of a sheet is
//! read up to the cut without a word. Here both sizes are checked against the budget and
//! every record and every sheet must be complete, before calamine allocates anything.

/// What is wrong with the file: damaged, or a sheet larger than the budget.
pub(crate) enum Problem {
    Damaged(String),
    TooLarge(String),
}

const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// The compound file's sectors and allocation table.
struct Cfb<'a> {
    bytes: &'a [u8],
    sector: usize,
    fat: Vec<u32>,
}

impl<'a> Cfb<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, String> {
        if bytes.get(..8) != Some(&SIGNATURE[..]) {
            return Err("нет подписи составного документа".into());
        }
        let shift = u16_at(bytes, 0x1E).ok_or("заголовок обрывается")?;
        if shift != 9 && shift != 12 {
            return Err(format!("неверный размер сектора (2^{shift})"));
        }
        let sector = 1usize << shift;
        let mut cfb = Cfb {
            bytes,
            sector,
            fat: Vec::new(),
        };
        let fat_sectors = u32_at(bytes, 0x2C).ok_or("заголовок обрывается")? as usize;
        // The DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
        let mut ids: Vec<u32> = (0..109)
            .filter_map(|i| u32_at(bytes, 0x4C + 4 * i))
            .collect();
        let mut next = u32_at(bytes, 0x44).ok_or("заголовок обрывается")?;
        let mut guard = 0;
        while next != END_OF_CHAIN && next != FREE && ids.len() < fat_sectors + 109 {
            let s = cfb.sector_bytes(next)?;
            let per = sector / 4 - 1;
            ids.extend((0..per).filter_map(|i| u32_at(s, 4 * i)));
            next = u32_at(s, 4 * per).ok_or("сектор обрывается")?;
            guard += 1;
            if guard > bytes.len() / sector + 1 {
                return Err("цепочка секторов зациклена".into());
            }
        }
        ids.truncate(fat_sectors);
        if ids.len() < fat_sectors {
            return Err("таблица размещения неполна".into());
        }
        let mut fat = Vec::with_capacity(fat_sectors * sector / 4);
        for id in ids {
            let s = cfb.sector_bytes(id)?;
            fat.extend((0..sector / 4).filter_map(|i| u32_at(s, 4 * i)));
        }
        cfb.fat = fat;
        Ok(cfb)
    }

    fn sector_bytes(&self, id: u32) -> Result<&'a [u8], String> {
        let start = (id as usize)
            .checked_add(1)
            .and_then(|n| n.checked_mul(self.sector))
            .ok_or("неверный номер сектора")?;
        // The last sector of a file may be short when the writer did not pad it.
        let end = (start + self.sector).min(self.bytes.len());
        if start >= end {
            return Err("файл обрывается: нет сектора, на который ссылается книга".into());
        }
        Ok(&self.bytes[start..end])
    }

    /// A chain of sectors from `start`, concatenated and cut to `size`.
    fn chain(
        &self,
        start: u32,
        size: usize,
        table: &[u32],
        read: &dyn Fn(u32) -> Result<&'a [u8], String>,
    ) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(size.min(self.bytes.len()));
        let mut id = start;
        let mut steps = 0usize;
        while out.len() < size {
            if id == END_OF_CHAIN || id == FREE {
                return Err("файл обрывается: поток книги короче заявленного".into());
            }
            out.extend_from_slice(read(id)?);
            id = *table.get(id as usize).ok_or("неверный номер сектора")?;
            steps += 1;
            if steps > table.len() {
                return Err("цепочка секторов зациклена".into());
            }
        }
        out.truncate(size);
        Ok(out)
    }

    /// The stream named `Workbook` (BIFF8) or `Book` (BIFF5).
    fn workbook(&self) -> Result<Vec<u8>, String> {
        let first_dir = u32_at(self.bytes, 0x30).ok_or("заголовок обрывается")?;
        let dir = self.whole_chain(first_dir)?;
        let mut root: Option<(u32, usize)> = None;
        let mut book: Option<(u32, usize)> = None;
        for e in dir.chunks_exact(128) {
            let len = u16_at(e, 0x40).unwrap_or(0) as usize;
            let name: String = char::decode_utf16(
                (0..len.min(64) / 2)
                    .filter_map(|i| u16_at(e, 2 * i))
                    .take_while(|&c| c != 0),
            )
            .map(|c| c.unwrap_or('?'))
            .collect();
            let start = u32_at(e, 0x74).unwrap_or(FREE);
            let size = u32_at(e, 0x78).unwrap_or(0) as usize;
            match e[0x42] {
                5 => root = Some((start, size)),
                2 if (name.eq_ignore_ascii_case("Workbook")
                    || name.eq_ignore_ascii_case("Book"))
                    && book.is_none() =>
                {
                    book = Some((start, size));
                }
                _ => {}
            }
        }
        let (start, size) = book.ok_or("в файле нет книги Excel")?;
        let cutoff = u32_at(self.bytes, 0x38).unwrap_or(4096) as usize;
        if size >= cutoff {
            return self.chain(start, size, &self.fat, &|id| self.sector_bytes(id));
        }
        // A small stream lives in the mini stream (64-byte sectors inside the root's).
        let (root_start, root_size) = root.ok_or("нет корневого каталога")?;
        let mini = self.chain(root_start, root_size, &self.fat, &|id| {
            self.sector_bytes(id)
        })?;
        let mini_fat_start = u32_at(self.bytes, 0x3C).ok_or("заголовок обрывается")?;
        let mini_fat_bytes = self.whole_chain(mini_fat_start)?;
        let mini_fat: Vec<u32> = (0..mini_fat_bytes.len() / 4)
            .filter_map(|i| u32_at(&mini_fat_bytes, 4 * i))
            .collect();
        let mini_sector = 1usize << u16_at(self.bytes, 0x20).unwrap_or(6).min(12);
        self.chain(start, size, &mini_fat, &|id| {
            let s = (id as usize).saturating_mul(mini_sector);
            mini.get(s..s.saturating_add(mini_sector).min(mini.len()))
                .filter(|b| !b.is_empty())
                .ok_or_else(|| "файл обрывается: мини-поток короче заявленного".to_string())
        })
    }

    /// A chain read to its END_OF_CHAIN.
    fn whole_chain(&self, start: u32) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0usize;
        while id != END_OF_CHAIN && id != FREE {
            out.extend_from_slice(self.sector_bytes(id)?);
            id = *self.fat.get(id as usize).ok_or("неверный номер сектора")?;
            steps += 1;
            if steps > self.fat.len() {
                return Err("цепочка секторов зациклена".into());
            }
        }
        Ok(out)
    }
}

/// Cell records calamine reads; each starts with row and column (u16).
const CELL_RECORDS: [u16; 8] = [
    0x0203, 0x0204, 0x00FD, 0x027E, 0x0205, 0x0006, 0x00D6, 0x00BD,
];

/// One sheet's sizes: the cells' bounding box and the declared DIMENSIONS area.
#[derive(Default)]
struct Sizes {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
    declared: u64,
}

impl Sizes {
    fn cell(&mut self, row: u32, c1: u32, c2: u32) {
        let r = self.rows.get_or_insert((row, row));
        *r = (r.0.min(row), r.1.max(row));
        let c = self.cols.get_or_insert((c1, c2));
        *c = (c.0.min(c1), c.1.max(c2));
    }

    fn area(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => {
                u64::from(r1 - r0 + 1).saturating_mul(u64::from(c1.saturating_sub(c0) + 1))
            }
            _ => 0,
        }
    }
}

/// The DIMENSIONS area as calamine computes it (it reserves that many cells); `None` for
/// a record calamine would get wrong (an end before the start).
fn declared_area(d: &[u8]) -> Option<u64> {
    let (rf, rl, mut cf, cl) = match d.len() {
        10 => (
            u32::from(u16_at(d, 0)?),
            u32::from(u16_at(d, 2)?),
            u32::from(u16_at(d, 4)?),
            u32::from(u16_at(d, 6)?),
        ),
        14 | 16 => (
            u32_at(d, 0)?,
            u32_at(d, 4)?,
            u32::from(u16_at(d, 8)?),
            u32::from(u16_at(d, 10)?),
        ),
        _ => return Some(0), // calamine refuses the record itself
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    if rl >= 1 && cl >= 1 {
        let rows = (rl - 1).checked_sub(rf)? + 1;
        let cols = (cl - 1).checked_sub(cf)? + 1;
        Some(u64::from(rows) * u64::from(cols))
    } else {
        Some(1)
    }
}

/// Checks an `.xls` held in memory; `max_cells` is the per-file cell budget.
pub(crate) fn check(bytes: &[u8], max_cells: u64) -> Result<(), Problem> {
    let cfb = Cfb::open(bytes).map_err(Problem::Damaged)?;
    let stream = cfb.workbook().map_err(Problem::Damaged)?;
    // The stream holds the globals substream, then one substream per sheet (BOF … EOF,
    // embedded charts nested inside); BOUNDSHEET records in the globals count the sheets.
    let mut i = 0usize;
    let mut depth = 0usize;
    let mut substreams = 0usize;
    let mut declared_sheets = 0usize;
    let mut sizes = Sizes::default();
    let mut complete = false;
    let mut biff8 = true;
    while i + 4 <= stream.len() {
        let typ = u16_at(&stream, i).unwrap_or(0);
        let len = usize::from(u16_at(&stream, i + 2).unwrap_or(0));
        let data = stream
            .get(i + 4..i + 4 + len)
            .ok_or_else(|| Problem::Damaged("файл обрывается посреди записи".to_string()))?;
        i += 4 + len;
        let sheet = substreams.saturating_sub(1);
        let in_sheet = depth == 1 && substreams > 1;
        match typ {
            0x0809 => {
                depth += 1;
                if depth == 1 {
                    substreams += 1;
                    sizes = Sizes::default();
                }
                if depth == 1 && substreams == 1 {
                    biff8 = bof_is_biff8(data).ok_or_else(|| {
                        Problem::Damaged("запись начала книги (BOF) обрывается".to_string())
                    })?;
                }
            }
            0x0018 if depth == 1 && substreams == 1 => {
                name_fits(data, biff8).map_err(|why| {
                    Problem::Damaged(format!("запись имени диапазона повреждена: {why}"))
                })?;
            }
            0x0006 if in_sheet => {
                formula_fits(data, biff8).map_err(|why| {
                    Problem::Damaged(format!(
                        "запись формулы в листе № {sheet} (строка {}, столбец {}) повреждена: \
                         {why}",
                        u16_at(data, 0).map_or(0, |r| u32::from(r) + 1),
                        u16_at(data, 2).map_or(0, |c| u32::from(c) + 1),
                    ))
                })?;
                cell_at(&mut sizes, typ, data);
            }
            0x00E5 if in_sheet => {
                merges_fit(data).map_err(|why| {
                    Problem::Damaged(format!(
                        "запись объединённых ячеек в листе № {sheet} повреждена: {why}"
                    ))
                })?;
            }
            0x000A => {
                if in_sheet {
                    check_sizes(&sizes, sheet, max_cells)?;
                }
                depth = depth.saturating_sub(1);
                if depth == 0 && substreams > declared_sheets {
                    // Every sheet read to its end; writers may pad the stream after it.
                    complete = true;
                    break;
                }
            }
            0x0085 if depth == 1 && substreams == 1 => {
                declared_sheets += 1;
                sheet_fits(data, stream.len()).map_err(|why| {
                    Problem::Damaged(format!(
                        "запись о листе № {declared_sheets} повреждена: {why}"
                    ))
                })?;
            }
            0x0200 if in_sheet => {
                let area = declared_area(data).ok_or_else(|| {
                    Problem::Damaged(format!(
                        "в записи размеров листа № {sheet} конец раньше начала"
                    ))
                })?;
                sizes.declared = sizes.declared.max(area);
            }
            t if in_sheet && CELL_RECORDS.contains(&t) => cell_at(&mut sizes, t, data),
            _ => {}
        }
    }
    if !complete {
        return Err(Problem::Damaged(
            "файл обрывается: не все листы книги дописаны до конца".to_string(),
        ));
    }
    Ok(())
}

/// Counts a cell record in its sheet's bounding box.
fn cell_at(sizes: &mut Sizes, typ: u16, data: &[u8]) {
    if data.len() < 4 {
        return;
    }
    let row = u32::from(u16_at(data, 0).unwrap_or(0));
    let col = u32::from(u16_at(data, 2).unwrap_or(0));
    let last = if typ == 0x00BD && data.len() >= 6 {
        u32::from(u16_at(data, data.len() - 2).unwrap_or(0))
    } else {
        col
    };
    sizes.cell(row, col, last.max(col));
}

// calamine 0.38 slices the records below by the lengths they declare without checking
// them, and a damaged record panics inside it (fuzz seed 1, inputs 14961, 15467, 18968). The
// panic would be caught, but a damaged file deserves its own reason: each check is exactly
// the bound calamine's parser relies on.

/// The BIFF version of the globals' BOF as calamine reads it: 0x0500 and older are BIFF5
/// and earlier, 0 with the workbook type 0x1000 too; everything else is BIFF8.
fn bof_is_biff8(data: &[u8]) -> Option<bool> {
    let version = u16_at(data, 0)?;
    let dt = u16_at(data, 2).unwrap_or(0);
    Some(match version {
        0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500 => false,
        0 => dt != 0x1000,
        _ => true,
    })
}

/// A BOUNDSHEET record: where the sheet starts in the stream (u32), then visibility and
/// type bytes; calamine reads the sheet from that position (seed 1, input 18968).
fn sheet_fits(data: &[u8], stream: usize) -> Result<(), String> {
    if data.len() < 6 {
        return Err(format!("{} байт вместо минимум 6", data.len()));
    }
    let pos = u32_at(data, 0).unwrap_or(0) as usize;
    if pos > stream {
        return Err(format!(
            "лист начинается с байта {pos}, а поток книги короче ({stream} байт)"
        ));
    }
    Ok(())
}

/// A MERGEDCELLS record: the count of ranges (u16), then 8 bytes per range; calamine
/// reads as many as the count says (seed 1, input 510924).
fn merges_fit(data: &[u8]) -> Result<(), String> {
    let Some(count) = u16_at(data, 0) else {
        return Err(format!("{} байт вместо минимум 2", data.len()));
    };
    let need = 2 + 8 * usize::from(count);
    if need > data.len() {
        return Err(format!(
            "заявлено объединений {count} ({need} байт), а в записи {} байт",
            data.len()
        ));
    }
    Ok(())
}

/// A FORMULA record: 20 bytes of cell and value, then the formula's length `cce` (u16)
/// and `cce` bytes of tokens. calamine parses every formula and slices each token's
/// operand without checking that it lies inside the formula (seed 1, input 75807: a
/// PtgRefErr at the formula's end), so the tokens are walked with calamine's operand sizes.
fn formula_fits(data: &[u8], biff8: bool) -> Result<(), String> {
    let Some(cce) = u16_at(data, 20) else {
        return Err(format!("{} байт вместо минимум 22", data.len()));
    };
    let need = 22 + usize::from(cce);
    if need > data.len() {
        return Err(format!(
            "формула заявлена длиной {cce} байт, а в записи их {}",
            data.len() - 22
        ));
    }
    tokens_fit(&data[22..need], biff8)
}

/// Walks a formula's tokens (MS-XLS 2.5.198 Ptg) with the operand sizes calamine 0.38
/// reads. It stops, without judging, at the first token calamine itself refuses with an
/// error (an unknown token, a literal string that checks its own length): past it
/// calamine reads nothing. A well-formed formula always passes.
fn tokens_fit(mut rgce: &[u8], biff8: bool) -> Result<(), String> {
    let wide = |biff8_size: usize, older: usize| if biff8 { biff8_size } else { older };
    while let Some((&ptg, rest)) = rgce.split_first() {
        let need = match ptg {
            0x3a | 0x5a | 0x7a | 0x3c | 0x5c | 0x7c | 0x39 | 0x59 => 6,
            0x3b | 0x5b | 0x7b | 0x3d | 0x5d | 0x7d => 10,
            0x03..=0x16 => 0,
            // PtgExp and PtgStr check their own length (calamine stops there if short).
            0x01 if rest.len() < 4 => return Ok(()),
            0x01 => 4,
            0x17 => {
                let Some(&cch) = rest.first() else {
                    return Ok(());
                };
                let chars = usize::from(cch);
                let size = match (biff8, rest.get(1)) {
                    (false, _) => 1 + chars,
                    (true, Some(flags)) if flags & 1 != 0 => 2 + 2 * chars,
                    (true, _) => 2 + chars,
                };
                if size > rest.len() {
                    return Ok(());
                }
                size
            }
            0x18 => 5,
            0x19 => match rest.first() {
                None => 1,
                Some(0x01 | 0x02 | 0x08 | 0x10 | 0x20 | 0x21 | 0x40 | 0x41) => 3,
                Some(0x04) => match u16_at(rest, 1) {
                    Some(n) => 3 + 2 * (usize::from(n) + 1),
                    None => 3,
                },
                Some(_) => return Ok(()),
            },
            0x1C | 0x1D => 1,
            0x1E => 2,
            0x1F => 8,
            0x20 | 0x40 | 0x60 => 7,
            0x22 | 0x42 | 0x62 => 3,
            0x21 | 0x41 | 0x61 => 2,
            0x23 | 0x43 | 0x63 => 4,
            0x24 | 0x44 | 0x64 | 0x2A | 0x4A | 0x6A => wide(4, 3),
            0x25 | 0x45 | 0x65 | 0x2B | 0x4B | 0x6B => wide(8, 6),
            // Anything else calamine refuses with an error and reads no further.
            _ => return Ok(()),
        };
        if need > rest.len() {
            return Err(format!(
                "знак формулы 0x{ptg:02X} занимает {need} байт, а до конца формулы их {}",
                rest.len()
            ));
        }
        rgce = &rest[need..];
    }
    Ok(())
}

/// A LBL (defined name) record: 14 bytes of header with the name's formula length `cce`
/// at offset 4; the formula is the record's last `cce` bytes, and its first token, a
/// reference to another sheet, is read to its full size (BIFF8 and older differ).
fn name_fits(data: &[u8], biff8: bool) -> Result<(), String> {
    if data.len() < 14 {
        return Err(format!("{} байт вместо минимум 14", data.len()));
    }
    let cce = usize::from(u16_at(data, 4).unwrap_or(0));
    if cce > data.len() {
        return Err(format!(
            "формула имени заявлена длиной {cce} байт, а в записи их {}",
            data.len()
        ));
    }
    let rgce = &data[data.len() - cce..];
    let need = match (rgce.first(), biff8) {
        (Some(0x3a | 0x5a | 0x7a), true) => 7,
        (Some(0x3a | 0x5a | 0x7a), false) => 18,
        (Some(0x3b | 0x5b | 0x7b), true) => 11,
        (Some(0x3b | 0x5b | 0x7b), false) => 21,
        (Some(0x3c | 0x5c | 0x7c | 0x3d | 0x5d | 0x7d), true) => 3,
        (Some(0x3c | 0x5c | 0x7c | 0x3d | 0x5d | 0x7d), false) => 13,
        _ => 0,
    };
    if rgce.len() < need {
        return Err(format!(
            "ссылка в формуле имени занимает {need} байт, а записано {}",
            rgce.len()
        ));
    }
    Ok(())
}

/// The most a BIFF8 sheet can hold: 65,536 rows × 256 columns. calamine reserves the
/// declared area up front (address space, untouched: ~0.7 GB at this size), so a declared
/// size within it is no reason to refuse a file whose cells are few; beyond it the record
/// is simply impossible.
const BIFF8_CELLS: u64 = 65_536 * 256;

fn check_sizes(sizes: &Sizes, sheet: usize, max_cells: u64) -> Result<(), Problem> {
    if sizes.declared > BIFF8_CELLS {
        return Err(Problem::Damaged(format!(
            "запись размеров листа № {sheet} заявляет {} ячеек, а в листе .xls их не бывает \
             больше 65 536 × 256",
            sizes.declared
        )));
    }
    if sizes.area() > max_cells {
        return Err(Problem::TooLarge(format!(
            "лист № {sheet} занимает больше {max_cells} ячеек (от первой до последней \
             заполненной — {}) — \
             это предел [limits] file_cells в файле настроек. Обычно это ячейки, \
             разбросанные далеко вправо или вниз, или повреждённый файл: удалите лишние \
             строки и столбцы (Ctrl+End в Excel показывает последнюю ячейку) и пересохраните \
             файл; если таблица действительно такая большая, увеличьте предел",
            sizes.area()
        )));
    }
    Ok(())
}
