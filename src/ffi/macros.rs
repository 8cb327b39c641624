/// Wraps an entry point's body: runs it under `catch_unwind` and turns a panic into
/// `$on_panic` with an `AURORAX_ERR_INTERNAL` message recorded for `aurorax_last_error`.
macro_rules! ffi_entry {
    ($on_panic:expr, $body:block) => {{
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(value) => value,
            Err(payload) => {
                $crate::ffi::last_error::record_panic(payload);
                $on_panic
            }
        }
    }};
}
