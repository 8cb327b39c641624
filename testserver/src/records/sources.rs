//! Data sources in the API's basic_info form, derived from the programs and
//! platforms a query names. A few real sources keep their real identifiers
//! (F7, F8, F10); anything else gets a stable made-up one.

use super::rng::fnv1a;
use serde_json::Value;

#[derive(Clone, Debug)]
pub struct Source {
    pub identifier: u64,
    pub program: String,
    pub platform: String,
    pub source_type: &'static str,
    /// Pre-rendered basic_info JSON: sources repeat in every record.
    pub json: String,
}

const KNOWN: &[(&str, &str, u64, &str, &str, &str)] = &[
    (
        "themis-asi",
        "athabasca",
        44,
        "panchromatic ASI",
        "ground",
        "THEMIS-ASI ATHA",
    ),
    (
        "themis-asi",
        "gillam",
        46,
        "panchromatic ASI",
        "ground",
        "THEMIS-ASI GILL",
    ),
    (
        "themis-asi",
        "fort_smith",
        47,
        "panchromatic ASI",
        "ground",
        "THEMIS-ASI FSMI",
    ),
    ("swarm", "swarma", 3, "footprint", "leo", "Swarm A"),
    ("swarm", "swarmb", 29, "footprint", "leo", "Swarm B"),
    ("swarm", "swarmc", 30, "footprint", "leo", "Swarm C"),
    ("trex", "gillam", 103, "RGB ASI", "ground", "TREx RGB GILL"),
    (
        "trex",
        "rabbit_lake",
        104,
        "RGB ASI",
        "ground",
        "TREx RGB RABB",
    ),
];

/// What a criteria block (or a data_sources object) asks for.
pub struct Filter<'a> {
    pub programs: Vec<&'a str>,
    pub platforms: Vec<&'a str>,
    pub instrument_types: Vec<&'a str>,
    /// Used when the query names no program.
    pub default_program: &'static str,
    pub default_instrument: &'static str,
    pub source_type: &'static str,
}

pub fn strs(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// At most three platforms per program, so records stay a realistic size.
pub fn resolve(f: &Filter) -> Vec<Source> {
    let programs = if f.programs.is_empty() {
        vec![f.default_program]
    } else {
        f.programs.clone()
    };
    let mut out = Vec::new();
    for program in programs {
        let platforms: Vec<String> = if !f.platforms.is_empty() {
            f.platforms.iter().take(3).map(|s| s.to_string()).collect()
        } else {
            let known: Vec<String> = KNOWN
                .iter()
                .filter(|k| k.0 == program)
                .map(|k| k.1.to_string())
                .collect();
            if known.is_empty() {
                vec![format!("{program}-1")]
            } else {
                known
            }
        };
        for platform in platforms {
            out.push(make(program, &platform, f));
        }
    }
    out
}

fn make(program: &str, platform: &str, f: &Filter) -> Source {
    // the catalogue of /api/v1/data_sources decides, so a source has one identifier everywhere
    let named = f.instrument_types.first().copied();
    let known = super::catalogue::find(program, platform, named)
        .or_else(|| super::catalogue::find(program, platform, None));
    let (identifier, instrument, source_type, display) = match known {
        Some(k) => (
            k.identifier as u64,
            k.instrument_type.to_string(),
            k.source_type,
            k.display_name.to_string(),
        ),
        None => (
            1000 + fnv1a(format!("{program}/{platform}").as_bytes()) % 9000,
            f.instrument_types
                .first()
                .copied()
                .unwrap_or(f.default_instrument)
                .to_string(),
            f.source_type,
            format!("{} {}", program.to_uppercase(), platform),
        ),
    };
    let js = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let json = format!(
        "{{\"identifier\":{identifier},\"program\":{},\"platform\":{},\"instrument_type\":{},\"source_type\":{},\"display_name\":{}}}",
        js(program), js(platform), js(&instrument), js(source_type), js(&display)
    );
    Source {
        identifier,
        program: program.to_string(),
        platform: platform.to_string(),
        source_type,
        json,
    }
}

/// The sources an ephemeris or data-product query's `data_sources` object selects, with the
/// defaults used when it names no program or instrument.
pub fn resolve_data_sources(
    data_sources: &Value,
    default_program: &'static str,
    default_instrument: &'static str,
    source_type: &'static str,
) -> Vec<Source> {
    let (programs, platforms, instrument_types) = (
        strs(data_sources, "programs"),
        strs(data_sources, "platforms"),
        strs(data_sources, "instrument_types"),
    );
    resolve(&Filter {
        programs: programs.iter().map(String::as_str).collect(),
        platforms: platforms.iter().map(String::as_str).collect(),
        instrument_types: instrument_types.iter().map(String::as_str).collect(),
        default_program,
        default_instrument,
        source_type,
    })
}

#[cfg(test)]
mod tests {
    use super::KNOWN;
    use crate::records::catalogue::find;

    #[test]
    fn known_sources_agree_with_the_catalogue() {
        for k in KNOWN {
            let e = find(k.0, k.1, Some(k.3)).unwrap_or_else(|| panic!("{k:?} not catalogued"));
            assert_eq!(
                (e.identifier as u64, e.source_type, e.display_name),
                (k.2, k.4, k.5)
            );
        }
    }
}
