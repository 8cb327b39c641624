//! The crate's one use of `unsafe` outside the C boundary's own: mapping a spooled result.
//! It lives here, with the rest of the crate's `unsafe`, so that the core stays safe Rust.

/// Maps `file` read-only.
pub(crate) fn map_read_only(file: &std::fs::File) -> std::io::Result<memmap2::Mmap> {
    // SAFETY: `file` is the library's own spool file, created unlinked (no other process
    // can open it by name) and never written again once the body is complete, before this
    // call; so the mapped bytes cannot change under the slices handed out, which live no
    // longer than the mapping (both belong to the result).
    unsafe { memmap2::Mmap::map(file) }
}
