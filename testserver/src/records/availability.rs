//! How many ephemeris and data-product records each catalogue source has on a
//! day: a pure function of the source and the date, so availability answers
//! and data-source stats are the same on every run.
//!
//! * No data before the source's first day or after `catalogue::data_end()`.
//! * Outage days have nothing: about 1 day in 23 for an imager, 1 in 97 for a satellite.
//! * A satellite has one ephemeris record a minute (1440 a day, as the real API
//!   reports for Swarm) and no data products.
//! * An imager has one ephemeris record per minute of darkness, 360 at the June
//!   solstice to 1080 at the December one, and each day one keogram, one montage
//!   and one movie per started hour of imaging.

use super::catalogue::{data_end, Entry, Family};
use super::rng::mix;
use crate::validation::DATA_PRODUCT_TYPES;
use chrono::{Datelike, NaiveDate};

fn day_number(d: NaiveDate) -> u64 {
    d.num_days_from_ce().max(0) as u64
}

fn has_data(e: &Entry, d: NaiveDate) -> bool {
    if d < e.since() || d > data_end() {
        return false;
    }
    let every = match e.family {
        Family::Imager => 23,
        Family::Orbit => 97,
    };
    !mix(e.identifier as u64, day_number(d), 7).is_multiple_of(every)
}

fn dark_minutes(d: NaiveDate) -> u64 {
    let phase = 2.0 * std::f64::consts::PI * (f64::from(d.ordinal()) - 355.0) / 365.25;
    (720.0 + 360.0 * phase.cos()).round() as u64
}

pub fn ephemeris(e: &Entry, d: NaiveDate) -> u64 {
    if !has_data(e, d) {
        return 0;
    }
    match e.family {
        Family::Orbit => 1440,
        Family::Imager => dark_minutes(d),
    }
}

/// Records of one product type, or of all types with `None`.
pub fn data_products(e: &Entry, d: NaiveDate, product_type: Option<&str>) -> u64 {
    if e.family != Family::Imager || !has_data(e, d) {
        return 0;
    }
    let per_type = |t: &str| match t {
        "keogram" | "montage" => 1,
        "movie" => dark_minutes(d).div_ceil(60),
        _ => 0,
    };
    match product_type {
        Some(t) => per_type(t),
        None => DATA_PRODUCT_TYPES.iter().map(|t| per_type(t)).sum(),
    }
}

/// (count, first day, last day) over the whole catalogue span.
pub fn totals(
    e: &Entry,
    per_day: impl Fn(NaiveDate) -> u64,
) -> (u64, Option<NaiveDate>, Option<NaiveDate>) {
    let (mut n, mut first, mut last) = (0, None, None);
    for d in e.since().iter_days().take_while(|d| *d <= data_end()) {
        let c = per_day(d);
        if c > 0 {
            n += c;
            first.get_or_insert(d);
            last = Some(d);
        }
    }
    (n, first, last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::catalogue::by_identifier;

    #[test]
    fn counts_follow_the_rules() {
        let swarm = by_identifier(3).unwrap();
        let gill = by_identifier(46).unwrap();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(ephemeris(swarm, d(2013, 11, 25)), 0);
        assert_eq!(ephemeris(swarm, d(2026, 1, 1)), 0);
        assert_eq!(data_products(swarm, d(2020, 1, 1), None), 0);
        let winter: Vec<u64> = (1..=20).map(|i| ephemeris(gill, d(2019, 12, i))).collect();
        assert!(winter.iter().all(|c| *c == 0 || *c > 1000), "{winter:?}");
        let summer = ephemeris(gill, d(2019, 6, 21));
        assert!(summer == 0 || summer < 400, "{summer}");
        let year = d(2019, 1, 1).iter_days().take(365);
        let outages = year.filter(|day| ephemeris(gill, *day) == 0).count();
        assert!((5..=30).contains(&outages), "{outages} outage days");
    }
}
