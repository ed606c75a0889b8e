//! A reader of an inflated part that counts bytes against the budget and remembers how
//! it ended (a zip CRC error, the last bytes), so a part cut short or changed in transit
//! is told from a part in an unusual shape.

use std::io::{self, Read};

use super::Meter;

pub(crate) struct Tracked<'m, 'b, R> {
    inner: R,
    meter: &'m Meter<'b>,
    /// The first read error (a bad CRC, a broken deflate stream).
    pub(crate) error: Option<String>,
    /// Whether the end of the part was reached.
    pub(crate) eof: bool,
    tail: Vec<u8>,
}

const TAIL: usize = 64;

impl<'m, 'b, R: Read> Tracked<'m, 'b, R> {
    pub(crate) fn new(inner: R, meter: &'m Meter<'b>) -> Self {
        Tracked {
            inner,
            meter,
            error: None,
            eof: false,
            tail: Vec::with_capacity(2 * TAIL),
        }
    }

    /// Reads to the end, so the CRC of the part is checked.
    pub(crate) fn drain(&mut self) {
        let _ = io::copy(self, &mut io::sink());
    }

    /// Whether the part ends with the closing tag of its root element (`</worksheet>`,
    /// with or without a prefix), as a complete XML document does.
    pub(crate) fn closed(&self, root: &[u8]) -> bool {
        let t = self.tail.trim_ascii_end();
        t.ends_with(b">") && t[..t.len() - 1].ends_with(root) && {
            let before = &t[..t.len() - 1 - root.len()];
            before.ends_with(b"</") || before.ends_with(b":")
        }
    }

    /// Why the part cannot be trusted, if it cannot: a read error, or no closing tag.
    pub(crate) fn damage(&self, root: &[u8]) -> Option<String> {
        if let Some(e) = &self.error {
            return Some(format!("часть книги не распаковывается без ошибок: {e}"));
        }
        (self.eof && !self.closed(root))
            .then(|| "таблица в файле обрывается, не дойдя до конца".to_string())
    }
}

impl<R: Read> Read for Tracked<'_, '_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
            Err(e) => {
                self.error
                    .get_or_insert_with(|| super::zip::unpack_reason(&e));
                return Err(e);
            }
        };
        if n == 0 {
            self.eof = !buf.is_empty();
            return Ok(0);
        }
        self.meter.bytes(n as u64).map_err(io::Error::other)?;
        if n >= TAIL {
            self.tail.clear();
            self.tail.extend_from_slice(&buf[n - TAIL..n]);
        } else {
            self.tail.extend_from_slice(&buf[..n]);
            if self.tail.len() > TAIL {
                self.tail.drain(..self.tail.len() - TAIL);
            }
        }
        Ok(n)
    }
}
