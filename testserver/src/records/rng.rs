//! Deterministic pseudo-randomness: the same query must give the same bytes on
//! every run and every platform, so no std hasher (its algorithm is unspecified).

pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// splitmix64 of a seed mixed with two indexes.
pub fn mix(seed: u64, a: u64, b: u64) -> u64 {
    let mut z =
        seed ^ a.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ b.wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A value in [lo, hi), rounded to 8 decimals so the printed text stays short.
pub fn uniform(seed: u64, a: u64, b: u64, lo: f64, hi: f64) -> f64 {
    let u = (mix(seed, a, b) >> 11) as f64 / (1u64 << 53) as f64;
    ((lo + u * (hi - lo)) * 1e8).round() / 1e8
}
