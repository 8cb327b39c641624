//! Data-product records: exactly `data_source, data_product_type, start, end, url,
//! metadata` (pyaurorax v1 `DataProduct(**r)`), shaped like F8.

use super::sources::{resolve_data_sources, strs, Source};
use super::{js, Range};
use crate::time::record_time;
use chrono::Duration;
use serde_json::Value;
use std::fmt::Write;

pub struct Dp {
    range: Range,
    sources: Vec<Source>,
    types: Vec<String>,
}

impl Dp {
    pub fn new(q: &Value, range: Range) -> Dp {
        let sources = resolve_data_sources(&q["data_sources"], "trex", "RGB ASI", "ground");
        let mut types = strs(q, "data_product_type_filters");
        if types.is_empty() {
            types.push("keogram".into());
        }
        Dp {
            range,
            sources,
            types,
        }
    }

    pub fn default_count(&self) -> usize {
        self.range.days() * self.sources.len() * self.types.len()
    }

    pub fn write(&self, i: usize, out: &mut String) {
        let r = &self.range;
        let (ns, nt) = (self.sources.len(), self.types.len());
        let src = &self.sources[i % ns];
        let ptype = &self.types[(i / ns) % nt];
        let day = ((i / (ns * nt)) % r.days()) as i64;
        let midnight = r.start.date().and_hms_opt(0, 0, 0).unwrap_or(r.start) + Duration::days(day);
        let start = std::cmp::max(midnight, r.start);
        let end = std::cmp::min(midnight + Duration::seconds(86_340), r.end);
        let url = format!(
            "https://data.phys.ucalgary.ca/sort_by_project/{}/{}/{}/{}__{}_{}.jpg",
            src.program,
            src.platform,
            midnight.format("%Y/%m/%d"),
            midnight.format("%Y%m%d"),
            src.platform,
            ptype
        );
        let _ = write!(
            out,
            "{{\"data_source\":{},\"data_product_type\":{},\"start\":\"{}\",\"end\":\"{}\",\"url\":{},\"metadata\":{{\"keogram_type\":\"daily\",\"imaging_end_time\":\"{}\",\"imaging_start_time\":\"{}\"}}}}",
            src.json, js(ptype), record_time(&start), record_time(&end), js(&url),
            (midnight + Duration::seconds(47_760)).format("%Y-%m-%dT%H:%M:%S%.6f"),
            (midnight - Duration::seconds(1_800)).format("%Y-%m-%dT%H:%M:%S%.6f")
        );
    }
}
