//! Ephemeris records: exactly `data_source, epoch, location_geo, location_gsm,
//! nbtrace, sbtrace, metadata` (pyaurorax v1 `EphemerisData(**r)`), shaped like F7.

use super::rng::uniform;
use super::sources::{resolve_data_sources, Source};
use super::{num, Range};
use crate::time::record_time;
use serde_json::Value;
use std::fmt::Write;

const STEP_SECONDS: i64 = 600;

pub struct Eph {
    range: Range,
    sources: Vec<Source>,
}

impl Eph {
    pub fn new(q: &Value, range: Range) -> Eph {
        let sources = resolve_data_sources(&q["data_sources"], "swarm", "footprint", "leo");
        Eph { range, sources }
    }

    pub fn default_count(&self) -> usize {
        (self.range.span_seconds() / STEP_SECONDS + 1) as usize * self.sources.len()
    }

    pub fn write(&self, i: usize, out: &mut String) {
        let r = &self.range;
        let src = &self.sources[i % self.sources.len()];
        let step = (i / self.sources.len()) as i64;
        let epoch = r.at((step * STEP_SECONDS) % (r.span_seconds() + 1));
        let (s, n) = (r.seed ^ src.identifier, step as u64);
        let loc = |lat: f64, lon: f64| format!("{{\"lat\":{},\"lon\":{}}}", num(lat), num(lon));
        let null = "{\"lat\":null,\"lon\":null}";
        let _ = write!(
            out,
            "{{\"data_source\":{},\"epoch\":\"{}\",",
            src.json,
            record_time(&epoch)
        );
        if src.source_type == "ground" {
            // a ground station does not move; gsm is null for ground sources (F7)
            let (lat, lon) = (
                uniform(s, 0, 0, 50.0, 70.0),
                uniform(s, 0, 1, -125.0, -70.0),
            );
            let _ = write!(
                out,
                "\"location_geo\":{},\"location_gsm\":{null},\"nbtrace\":{},\"sbtrace\":{},\"metadata\":{{\"clausen_ml_oath\":\"classified as {}\",\"calgary_apa_ml_v1\":\"classified as not APA\",\"calgary_cloud_ml_v1\":\"{}\",\"calgary_apa_ml_v1_confidence\":100,\"calgary_cloud_ml_v1_confidence\":{}}}}}",
                loc(lat, lon), loc(lat, lon), loc(-lat - 10.0, lon - 40.0),
                if uniform(s, n, 5, 0.0, 1.0) < 0.5 { "discrete" } else { "diffuse" },
                if uniform(s, n, 2, 0.0, 1.0) < 0.5 { "classified as cloudy" } else { "classified as not cloudy" },
                num(uniform(s, n, 3, 50.0, 100.0))
            );
        } else {
            let (lat, lon) = (
                uniform(s, n, 0, -90.0, 90.0),
                uniform(s, n, 1, -180.0, 180.0),
            );
            let (blat, blon) = (
                uniform(s, n, 2, 45.0, 90.0),
                uniform(s, n, 3, -180.0, 180.0),
            );
            let _ = write!(
                out,
                "\"location_geo\":{},\"location_gsm\":{},\"nbtrace\":{},\"sbtrace\":{},\"metadata\":{{\"state\":\"definitive\",\"tii_on\":true,\"nbtrace_region\":\"{}\",\"sbtrace_region\":\"{}\",\"radial_distance\":{},\"tii_quality_viy\":0,\"tii_quality_viz\":0,\"tii_quality_vixh\":0,\"tii_quality_vixv\":{},\"spacecraft_region\":\"nightside magnetosphere\",\"radial_trace_region\":\"{}\"}}}}",
                loc(lat, lon), loc(lat, lon), loc(blat, blon), loc(-blat, blon),
                if blat > 75.0 { "north polar cap" } else { "north auroral oval" },
                if blat > 75.0 { "south polar cap" } else { "south auroral oval" },
                num(uniform(s, n, 4, 6700.0, 6900.0)),
                u8::from(uniform(s, n, 5, 0.0, 1.0) < 0.2),
                if blat > 75.0 { "north polar cap" } else { "north auroral oval" }
            );
        }
    }
}
