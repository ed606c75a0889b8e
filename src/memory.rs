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
