//! The library's status-poll schedule as poll times, for the figures that are computed
//! rather than measured (a 10-minute search), and checked against the 60 s measurement.

/// Where the schedule comes from, for BENCHMARKS.md.
pub const SOURCE: &str = "`poll_times` (aurorax::internals) with the default maximum interval";

/// Times of the status requests, in seconds after the submit was accepted, up to the first
/// one at or after `until`: the library's own pure function. Request round trips (~1 ms
/// here) are left out.
pub fn poll_times(until: f64) -> Vec<f64> {
    super::internals::poll_times(
        std::time::Duration::from_secs_f64(until),
        super::internals::DEFAULT_MAX_POLL_INTERVAL,
    )
    .into_iter()
    .map(|t| t.as_secs_f64())
    .collect()
}

/// A search that ends `seconds` after it was accepted: how many status requests the
/// schedule makes for it, and how late the one that sees it done comes.
pub fn for_search(seconds: f64) -> (usize, f64) {
    let times = poll_times(seconds);
    (times.len(), times.last().unwrap() - seconds)
}

/// The most requests any window shorter than one second holds.
pub fn max_per_second(times: &[f64]) -> usize {
    let mut sorted = times.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mut best = 0;
    let mut start = 0;
    for end in 0..sorted.len() {
        while sorted[end] - sorted[start] >= 1.0 {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}
