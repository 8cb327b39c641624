//! Waiting on many searches at once without spinning: every search that ends bumps one
//! process-wide generation and wakes whoever waits on it.

use super::Search;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

static GENERATION: Mutex<u64> = Mutex::new(0);
static BUMPED: Condvar = Condvar::new();

pub(super) fn announce() {
    *GENERATION.lock().unwrap_or_else(|e| e.into_inner()) += 1;
    BUMPED.notify_all();
}

/// The lowest index of a search that has ended (ready, failed or cancelled), or `None`
/// when none did within `timeout` (`None`: no limit).
pub fn wait_any(searches: &[&Search], timeout: Option<Duration>) -> Option<usize> {
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    let mut generation = GENERATION.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        // Checked under the generation lock: an end announced after this check bumps
        // the generation only once we sleep, so it cannot be missed.
        if let Some(i) = searches.iter().position(|s| s.has_ended()) {
            return Some(i);
        }
        generation = match deadline {
            None => BUMPED.wait(generation).unwrap_or_else(|e| e.into_inner()),
            Some(d) => {
                let now = Instant::now();
                if now >= d {
                    return None;
                }
                BUMPED
                    .wait_timeout(generation, d - now)
                    .unwrap_or_else(|e| e.into_inner())
                    .0
            }
        };
    }
}
