//! Memory the allocator holds after reading. Reading a region frees millions of cells of
//! every file it has read; an allocator may keep the freed pages for reuse, and the judging
//! and writing that follow allocate beside them, so the peak is the two added. Giving the
//! freed pages back before judging keeps the peak to what is alive.

/// Returns freed heap pages to the system. The `shnor` binary allocates through mimalloc
/// (src/main.rs); its `mi_collect` does what glibc's `malloc_trim` did before.
pub fn release_freed() {
    // SAFETY: mi_collect only walks mimalloc's own heaps; it has no preconditions and
    // does nothing harmful when another allocator serves the program (tests).
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
}

/// mimalloc's `mi_option_purge_delay`: its place in `mi_option_e` (mimalloc.h, the same in
/// v2 and v3); libmimalloc-sys names no constant for it.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Inputs larger than this (bytes on disk) keep freed pages ([`keep_freed_for`]).
pub const KEEP_FREED_ABOVE: u64 = 1 << 30;

/// Keeps freed pages for the next allocations instead of giving them back to the system
/// after mimalloc's purge delay, when the input is over [`KEEP_FREED_ABOVE`]. Reading frees
/// each file's cells (tens of MB a participant file) just before the next file allocates as
/// much again; given back, the pages come back zeroed by the kernel. At 40,000 schools
/// (4.3 GB) that is 16 s of system time instead of 21 s and 119 s instead of 123 s, for
/// +0.6 GB of peak; at 2,000 schools (220 MB) the time is the same within noise and the
/// peak 360 MB instead of 260–310 MB, so small inputs give pages back (README «Сколько
/// выдерживает одна машина»). Called by the reading stage once it knows the input's size.
pub fn keep_freed_for(input_bytes: u64) -> bool {
    let keep = input_bytes > KEEP_FREED_ABOVE;
    if keep {
        // SAFETY: sets one of mimalloc's options; any value is valid, -1 means «never purge».
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
    }
    keep
}

use std::alloc::{GlobalAlloc, Layout};
use std::io::Write;

/// The binary's allocator: mimalloc, and when it has no memory to give (a machine or a
/// `ulimit -v` too small for the input), one Russian message and exit code 1. Rust's own
/// answer is an English «memory allocation of N bytes failed», a backtrace and SIGABRT
/// (exit 134), which says nothing to an analyst or to cron. Outputs are written into a
/// temporary folder and swapped in, so an exit here leaves the previous set whole.
pub struct Allocator;

// SAFETY: every call goes to mimalloc unchanged; only a null result is acted upon.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        given(unsafe { mimalloc::MiMalloc.alloc(l) }, l.size())
    }

    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        given(unsafe { mimalloc::MiMalloc.alloc_zeroed(l) }, l.size())
    }

    unsafe fn realloc(&self, ptr: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
        given(
            unsafe { mimalloc::MiMalloc.realloc(ptr, l, new_size) },
            new_size,
        )
    }

    unsafe fn dealloc(&self, ptr: *mut u8, l: Layout) {
        unsafe { mimalloc::MiMalloc.dealloc(ptr, l) }
    }
}

/// `p`, the memory given for a request of `bytes`; a null ends the run ([`out_of_memory`]).
fn given(p: *mut u8, bytes: usize) -> *mut u8 {
    if p.is_null() {
        out_of_memory(bytes);
    }
    p
}

/// Says that memory ran out and ends the process at once; allocates nothing (the message
/// is put together on the stack).
fn out_of_memory(bytes: usize) -> ! {
    let mut buf = [0u8; 1024];
    let len = oom_message(bytes, &mut buf);
    let _ = std::io::stderr().write_all(&buf[..len]);
    // SAFETY: _exit ends the process without running anything that could allocate.
    unsafe { libc::_exit(crate::exit::FAILED.into()) }
}

/// Writes the out-of-memory message for a request of `bytes` into `buf`; its length.
fn oom_message(bytes: usize, buf: &mut [u8]) -> usize {
    const HEAD: &str = "shnor: ошибка: не хватило памяти (не удалось получить ещё ";
    const TAIL: &str = " МБ). Отчёт не записан, прежние файлы в папке отчёта не тронуты. \
        Запустите shnor на машине с большим объёмом памяти или без ограничения памяти \
        (ulimit -v), либо на меньшей папке (например, по муниципалитетам); сколько памяти \
        нужно на какой объём данных, сказано в README («Сколько выдерживает одна машина»)\n";
    let mut digits = [0u8; 20];
    let mut n = bytes.div_ceil(1 << 20).max(1);
    let mut d = digits.len();
    while n > 0 {
        d -= 1;
        digits[d] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let mut len = 0;
    for part in [HEAD.as_bytes(), &digits[d..], TAIL.as_bytes()] {
        let take = part.len().min(buf.len() - len);
        buf[len..len + take].copy_from_slice(&part[..take]);
        len += take;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::oom_message;

    #[test]
    fn the_purge_delay_option_is_where_mimalloc_keeps_it_and_only_large_inputs_keep_pages() {
        // mimalloc v3's default purge delay is 1,000 ms; no other option of `mi_option_e`
        // has that default, so a moved index fails here rather than setting another option.
        // One test: the option is the process's, and the steps below change it.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            eprintln!("SKIPPED: MIMALLOC_PURGE_DELAY is set in the environment");
            return;
        }
        // SAFETY: reads an option.
        let delay = || unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(delay(), 1000);
        // 1 GiB exactly is not over the line: pages are given back as before.
        assert!(!super::keep_freed_for(1 << 30));
        assert_eq!(delay(), 1000);
        assert!(super::keep_freed_for((1 << 30) + 1));
        assert_eq!(delay(), -1);
        // SAFETY: puts the default back for whatever else runs in this process.
        unsafe { libmimalloc_sys::mi_option_set(super::PURGE_DELAY, 1000) }
    }

    #[test]
    fn the_out_of_memory_message_names_the_request_in_megabytes() {
        let mut buf = [0u8; 1024];
        // 50,331,648 bytes = 48 MB exactly; 14,336 bytes round up to 1 MB.
        let len = oom_message(50_331_648, &mut buf);
        let text = std::str::from_utf8(&buf[..len]).unwrap();
        assert!(
            text.starts_with("shnor: ошибка: не хватило памяти (не удалось получить ещё 48 МБ).")
        );
        assert!(
            text.ends_with("(«Сколько выдерживает одна машина»)\n"),
            "{text}"
        );
        let len = oom_message(14_336, &mut buf);
        assert!(
            std::str::from_utf8(&buf[..len])
                .unwrap()
                .contains("ещё 1 МБ")
        );
    }
}
