//! The safe Rust API against a local AuroraX server: two searches in parallel followed with
//! `wait_any`, their records, and a data-source look-up.
//!
//!     cargo run --example safe_api                      # starts its own local server
//!     AURORAX_API_URL=https://api.aurorax.space cargo run --example safe_api
//!
//! (The local server is a dev-dependency: `aurorax_testserver`.)

use aurorax::client::{wait_any, Search, Settings};
use std::time::Duration;

const GROUND: &str = r#"[{"programs": ["themis-asi"], "ephemeris_metadata_filters": [{"key": "ml_cloud_v1", "operator": "=", "values": ["not classified as cloud"]}]}]"#;
const SPACE: &str = r#"[{"programs": ["swarm"], "ephemeris_metadata_filters": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}]"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // a local server unless AURORAX_API_URL names one
    let local;
    let mut settings = Settings::from_env()?.with_poll_interval(Duration::from_millis(500))?;
    if std::env::var_os("AURORAX_API_URL").is_none() {
        local = aurorax_testserver::start(Default::default())?;
        settings = settings.with_api_url(local.base_url())?;
    }

    let january = Search::conjunctions(
        &settings,
        "2019-01-01T00:00:00",
        "2019-01-31T23:59:59",
        Some(GROUND),
        Some(SPACE),
        300.0,
    )?;
    let ephemeris = Search::ephemeris_json(
        &settings,
        r#"{"start": "2019-01-01T00:00:00", "end": "2019-01-01T01:00:00",
            "data_sources": {"programs": ["swarm"]}}"#,
    )?;

    // follow both; the first to end is reported first
    let searches = [&january, &ephemeris];
    let first = wait_any(&searches, Some(Duration::from_secs(120)))?;
    println!("search {first} ended first ({:?})", searches[first].phase());
    for (name, search) in [("conjunctions", &january), ("ephemeris", &ephemeris)] {
        search.wait(Some(Duration::from_secs(120)))?;
        let records = search.records()?;
        println!(
            "{name}: request {}, {} records, {} bytes",
            search.request_id().unwrap_or_default(),
            records.len(),
            search.data()?.len()
        );
        if let Some(r) = records.first() {
            println!("  first: {}…", r.chars().take(100).collect::<String>());
        }
    }
    println!("described: {}", january.describe()?);

    let sources = Search::data_sources(&settings, Some(r#"{"program": "swarm"}"#))?;
    sources.wait(Some(Duration::from_secs(60)))?;
    println!("{} swarm data sources", sources.records()?.len());
    Ok(())
}
