//! The Retry-After reader on any header text and any clock: never a panic, never a pause
//! beyond the clamp, and every number (not NaN) read as a pause.
//!
//! Input: 8 bytes of "now" (seconds since 1970, little-endian, up to year ~10,000), then the
//! header's value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::time::{Duration, SystemTime};

// The parser is private to the engine; it depends on std and chrono only, so its source is
// compiled here as it is (its unit tests stay behind #[cfg(test)]).
#[path = "../../src/engine/retry_after.rs"]
#[allow(dead_code)]
mod retry_after;
use retry_after::{parse_retry_after, MAX_RETRY_AFTER};

fuzz_target!(|input: &[u8]| {
    if input.len() < 8 {
        return;
    }
    let secs = u64::from_le_bytes(input[..8].try_into().unwrap()) % 253_402_300_800;
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
    let Ok(value) = std::str::from_utf8(&input[8..]) else { return };
    let pause = parse_retry_after(value, now);
    if let Some(pause) = pause {
        assert!(pause <= MAX_RETRY_AFTER, "{value:?} -> {pause:?}");
    }
    let trimmed = value.trim();
    if trimmed.len() <= 64 {
        if let Ok(seconds) = trimmed.parse::<f64>() {
            if !seconds.is_nan() {
                let expected = Duration::from_secs_f64(seconds.clamp(0.0, MAX_RETRY_AFTER.as_secs_f64()));
                assert_eq!(pause, Some(expected), "{value:?}");
            }
        }
    }
});
