//! The data-source catalogue behind `/api/v1/data_sources` and the availability
//! endpoints. Search records take their sources from here too, so a source has
//! the same identifier everywhere. Real identifiers are kept where they are
//! known (THEMIS-ASI ATHA 44, GILL 46, Swarm A/B/C 3/29/30, TREx RGB GILL 103);
//! the rest are made up but stable.

use chrono::NaiveDate;
use serde_json::{json, Map, Value};

/// What a source measures decides its metadata schemas and how much data it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// A ground all-sky imager: ML-classified ephemeris, keograms and movies.
    Imager,
    /// A satellite footprint: region-classified ephemeris, no data products.
    Orbit,
}

#[derive(Debug)]
pub struct Entry {
    pub identifier: i64,
    pub program: &'static str,
    pub platform: &'static str,
    pub instrument_type: &'static str,
    pub source_type: &'static str,
    pub display_name: &'static str,
    pub family: Family,
    /// Geographic lat/lon of a ground site.
    pub site: Option<(f64, f64)>,
    /// First day with data, as (year, month, day).
    pub since: (i32, u32, u32),
}

impl Entry {
    pub fn since(&self) -> NaiveDate {
        let (y, m, d) = self.since;
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }
}

/// Last day with data in the catalogue: fixed, so availability never depends on today's date.
pub fn data_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or(NaiveDate::MAX)
}

pub const OWNER: &str = "data-team@aurorax.example";

macro_rules! imager {
    ($id:expr, $prog:expr, $plat:expr, $inst:expr, $disp:expr, $lat:expr, $lon:expr, $since:expr) => {
        Entry {
            identifier: $id,
            program: $prog,
            platform: $plat,
            instrument_type: $inst,
            source_type: "ground",
            display_name: $disp,
            family: Family::Imager,
            site: Some(($lat, $lon)),
            since: $since,
        }
    };
}

macro_rules! orbit {
    ($id:expr, $prog:expr, $plat:expr, $stype:expr, $disp:expr, $since:expr) => {
        Entry {
            identifier: $id,
            program: $prog,
            platform: $plat,
            instrument_type: "footprint",
            source_type: $stype,
            display_name: $disp,
            family: Family::Orbit,
            site: None,
            since: $since,
        }
    };
}

/// In identifier order, which is the order every listing uses.
pub const CATALOGUE: &[Entry] = &[
    orbit!(3, "swarm", "swarma", "leo", "Swarm A", (2013, 11, 26)),
    orbit!(6, "themis", "themisa", "heo", "THEMIS-A", (2007, 2, 17)),
    orbit!(9, "themis", "themisd", "heo", "THEMIS-D", (2007, 2, 17)),
    orbit!(10, "themis", "themise", "heo", "THEMIS-E", (2007, 2, 17)),
    orbit!(29, "swarm", "swarmb", "leo", "Swarm B", (2013, 11, 26)),
    orbit!(30, "swarm", "swarmc", "leo", "Swarm C", (2013, 11, 26)),
    imager!(
        44,
        "themis-asi",
        "athabasca",
        "panchromatic ASI",
        "THEMIS-ASI ATHA",
        54.60,
        -113.64,
        (2006, 1, 1)
    ),
    imager!(
        46,
        "themis-asi",
        "gillam",
        "panchromatic ASI",
        "THEMIS-ASI GILL",
        56.38,
        -94.64,
        (2006, 1, 1)
    ),
    imager!(
        47,
        "themis-asi",
        "fort_smith",
        "panchromatic ASI",
        "THEMIS-ASI FSMI",
        59.98,
        -111.84,
        (2006, 1, 1)
    ),
    imager!(
        48,
        "themis-asi",
        "rankin_inlet",
        "panchromatic ASI",
        "THEMIS-ASI RANK",
        62.82,
        -92.11,
        (2006, 1, 1)
    ),
    imager!(
        80,
        "rego",
        "gillam",
        "redline ASI",
        "REGO GILL",
        56.38,
        -94.64,
        (2014, 10, 1)
    ),
    imager!(
        81,
        "rego",
        "rabbit_lake",
        "redline ASI",
        "REGO RABB",
        58.23,
        -103.68,
        (2014, 10, 1)
    ),
    imager!(
        82,
        "rego",
        "resolute_bay",
        "redline ASI",
        "REGO RESU",
        74.73,
        -94.91,
        (2014, 10, 1)
    ),
    imager!(
        103,
        "trex",
        "gillam",
        "RGB ASI",
        "TREx RGB GILL",
        56.38,
        -94.64,
        (2019, 9, 1)
    ),
    imager!(
        104,
        "trex",
        "rabbit_lake",
        "RGB ASI",
        "TREx RGB RABB",
        58.23,
        -103.68,
        (2019, 9, 1)
    ),
    imager!(
        105,
        "trex",
        "fort_smith",
        "RGB ASI",
        "TREx RGB FSMI",
        59.98,
        -111.84,
        (2019, 9, 1)
    ),
    imager!(
        120,
        "trex",
        "gillam",
        "NIR ASI",
        "TREx NIR GILL",
        56.38,
        -94.64,
        (2021, 11, 1)
    ),
];

/// The entry a search names. Without an instrument type the first (lowest
/// identifier) one of the program and platform is taken.
pub fn find(
    program: &str,
    platform: &str,
    instrument_type: Option<&str>,
) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|e| {
        e.program == program
            && e.platform == platform
            && instrument_type.is_none_or(|i| e.instrument_type == i)
    })
}

pub fn by_identifier(identifier: i64) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|e| e.identifier == identifier)
}

/// The `format` query parameter of the data-source endpoints (oas enum).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    IdentifierOnly,
    BasicInfo,
    WithMetadata,
    FullRecord,
}

impl Format {
    pub const NAMES: &'static str = "identifier_only, basic_info, with_metadata, full_record";

    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "identifier_only" => Some(Format::IdentifierOnly),
            "basic_info" => Some(Format::BasicInfo),
            "with_metadata" => Some(Format::WithMetadata),
            "full_record" => Some(Format::FullRecord),
            _ => None,
        }
    }
}

fn schema_item(field: &str, description: &str, data_type: &str, allowed: &[&str]) -> Value {
    json!({"field_name": field, "description": description, "data_type": data_type,
        "allowed_values": allowed, "searchable": true})
}

/// The metadata keys that search records of this family carry, so a client can
/// build metadata filters from the schema.
fn ephemeris_schema(family: Family) -> Value {
    match family {
        Family::Orbit => json!([
            schema_item(
                "nbtrace_region",
                "Region of the northern footprint of the field line through the spacecraft",
                "string",
                &[
                    "north polar cap",
                    "north cusp",
                    "north cleft",
                    "north auroral oval",
                    "north mid-latitude",
                    "low latitude"
                ]
            ),
            schema_item(
                "sbtrace_region",
                "Region of the southern footprint of the field line through the spacecraft",
                "string",
                &[
                    "south polar cap",
                    "south cusp",
                    "south cleft",
                    "south auroral oval",
                    "south mid-latitude",
                    "low latitude"
                ]
            ),
            schema_item(
                "radial_distance",
                "Distance of the spacecraft from the Earth's centre, in km",
                "double",
                &[]
            ),
            schema_item(
                "spacecraft_region",
                "Region of the magnetosphere the spacecraft is in",
                "string",
                &[
                    "interplanetary medium",
                    "dayside magnetosheath",
                    "nightside magnetosheath",
                    "dayside magnetosphere",
                    "nightside magnetosphere",
                    "dayside plasmasphere",
                    "nightside plasmasphere",
                    "plasma sheet",
                    "tail lobe"
                ]
            ),
            schema_item(
                "state",
                "Whether the position is predictive or definitive",
                "string",
                &["predictive", "definitive"]
            ),
        ]),
        Family::Imager => json!([
            schema_item(
                "calgary_cloud_ml_v1",
                "Cloud classification of the image by a machine-learning model",
                "string",
                &["classified as cloudy", "classified as not cloudy"]
            ),
            schema_item(
                "calgary_cloud_ml_v1_confidence",
                "Confidence of the cloud classification, in percent",
                "double",
                &[]
            ),
            schema_item(
                "calgary_apa_ml_v1",
                "Amorphous pulsating aurora classification by a machine-learning model",
                "string",
                &["classified as APA", "classified as not APA"]
            ),
            schema_item(
                "calgary_apa_ml_v1_confidence",
                "Confidence of the APA classification, in percent",
                "double",
                &[]
            ),
        ]),
    }
}

fn data_product_schema(family: Family) -> Value {
    match family {
        Family::Orbit => json!([]),
        Family::Imager => json!([
            schema_item(
                "keogram_type",
                "Time span the keogram covers",
                "string",
                &["daily", "hourly"]
            ),
            schema_item(
                "imaging_start_time",
                "First image of the product (UTC)",
                "string",
                &[]
            ),
            schema_item(
                "imaging_end_time",
                "Last image of the product (UTC)",
                "string",
                &[]
            ),
        ]),
    }
}

fn metadata(e: &Entry) -> Value {
    match e.site {
        Some((lat, lon)) => json!({"geo_lat": lat, "geo_lon": lon}),
        None => json!({}),
    }
}

/// The source in the requested format. Keys follow the real full record's order.
pub fn render(e: &Entry, format: Format) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("identifier".into(), json!(e.identifier));
    if format == Format::IdentifierOnly {
        return m;
    }
    m.insert("program".into(), json!(e.program));
    m.insert("platform".into(), json!(e.platform));
    m.insert("instrument_type".into(), json!(e.instrument_type));
    m.insert("source_type".into(), json!(e.source_type));
    m.insert("display_name".into(), json!(e.display_name));
    if format == Format::BasicInfo {
        return m;
    }
    m.insert("metadata".into(), metadata(e));
    if format == Format::WithMetadata {
        return m;
    }
    m.insert("owner".into(), json!(OWNER));
    m.insert("maintainers".into(), json!([]));
    m.insert(
        "ephemeris_metadata_schema".into(),
        ephemeris_schema(e.family),
    );
    m.insert(
        "data_product_metadata_schema".into(),
        data_product_schema(e.family),
    );
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_unique_and_ordered() {
        for w in CATALOGUE.windows(2) {
            assert!(w[0].identifier < w[1].identifier, "{:?}", w[1]);
        }
    }

    #[test]
    fn find_prefers_the_named_instrument() {
        assert_eq!(find("trex", "gillam", None).unwrap().identifier, 103);
        assert_eq!(
            find("trex", "gillam", Some("NIR ASI")).unwrap().identifier,
            120
        );
        assert!(find("trex", "gillam", Some("nope")).is_none());
    }
}
