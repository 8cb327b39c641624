//! When to ask for a running search's status.
//!
//! A search that ends at time T is noticed at the first poll after T, so the lag is at
//! most the interval in force at T. The interval is a tenth of the time the search has
//! run, never below a quarter second (at most 4 requests a second) and never above the
//! configured maximum: the lag stays within max(0.25 s, 10 % of the duration), while a
//! ten-minute search costs about 150 requests (pyaurorax's fixed 1 s poll: 600).

use std::time::Duration;

/// The floor: no search is polled more than 4 times a second.
pub const MIN_POLL_INTERVAL: Duration = Duration::from_millis(250);
/// The share of the elapsed time a search may be noticed late by.
pub(crate) const LAG_SHARE: f64 = 0.1;

/// The pause before the next status request, `elapsed` after the search was accepted.
pub fn next_poll_interval(elapsed: Duration, max_interval: Duration) -> Duration {
    elapsed
        .mul_f64(LAG_SHARE)
        .min(max_interval)
        .max(MIN_POLL_INTERVAL)
}

/// The times (since acceptance) of the status requests over a search of `duration`,
/// the last one being the one that sees it done.
pub fn poll_times(duration: Duration, max_interval: Duration) -> Vec<Duration> {
    let mut times = Vec::new();
    let mut t = Duration::ZERO;
    loop {
        t += next_poll_interval(t, max_interval);
        times.push(t);
        if t >= duration {
            return times;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT_MAX: Duration = crate::config::DEFAULT_MAX_POLL_INTERVAL;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn never_more_than_four_requests_a_second() {
        for max in [secs(0.01), secs(1.0), DEFAULT_MAX] {
            let times = poll_times(secs(700.0), max);
            for pair in times.windows(2) {
                assert!(pair[1] - pair[0] >= MIN_POLL_INTERVAL, "{pair:?}");
            }
            // and over any one-second window
            for (i, t) in times.iter().enumerate() {
                assert!(
                    times[i..]
                        .iter()
                        .take_while(|u| **u < *t + secs(1.0))
                        .count()
                        <= 4
                );
            }
        }
    }

    #[test]
    fn the_lag_stays_within_a_tenth_of_the_duration_or_half_a_second() {
        for tenths in 1..6000 {
            let duration = secs(tenths as f64 / 10.0);
            let noticed = *poll_times(duration, DEFAULT_MAX).last().unwrap();
            let lag = (noticed - duration).as_secs_f64();
            let bound = (0.1 * duration.as_secs_f64()).max(0.5);
            assert!(lag <= bound + 1e-9, "duration {duration:?}: lag {lag}");
            if duration <= secs(1.5) {
                assert!(
                    lag <= 0.25 + 1e-9,
                    "a short search is noticed within a quarter second: {duration:?} {lag}"
                );
            }
        }
    }

    #[test]
    fn request_counts_at_one_and_ten_minutes() {
        let minute = poll_times(secs(60.0), DEFAULT_MAX).len();
        let ten_minutes = poll_times(secs(600.0), DEFAULT_MAX).len();
        // pyaurorax 1.27 polls once a second: 60 and 600 requests.
        assert!(minute <= 60, "{minute}");
        assert!(ten_minutes <= 200, "{ten_minutes}");
        assert!((40..=50).contains(&minute), "{minute}");
        assert!((140..=165).contains(&ten_minutes), "{ten_minutes}");
    }

    #[test]
    fn the_configured_maximum_caps_the_interval() {
        assert_eq!(next_poll_interval(secs(1000.0), secs(2.0)), secs(2.0));
        assert_eq!(
            next_poll_interval(secs(0.0), DEFAULT_MAX),
            MIN_POLL_INTERVAL
        );
        assert_eq!(next_poll_interval(secs(30.0), DEFAULT_MAX), secs(3.0));
    }
}
