//! Discovery lookups: paths, parameters and refusals.

use super::*;

fn path(l: Result<Lookup>) -> String {
    l.unwrap().path_and_query
}

fn refused(l: Result<Lookup>) -> String {
    l.unwrap_err().message
}

// The query strings below are the ones pyaurorax 1.27.0 sends (its requests.request
// patched to print the prepared URL), with Python's `False` written as JSON's `false`.

#[test]
fn data_sources_lists_every_source_by_default() {
    for none in [
        None,
        Some(""),
        Some("{}"),
        Some("null"),
        Some(r#"{"program": null}"#),
    ] {
        let l = data_sources(none).unwrap();
        assert_eq!(l.what, LookupKind::DataSources);
        assert_eq!(
            l.path_and_query, "/api/v1/data_sources?format=basic_info",
            "{none:?}"
        );
    }
}

#[test]
fn data_sources_sends_the_filter_as_sources_list_does() {
    // sources.list(program="themis-asi", source_type="ground", format="basic_info")
    let f = r#"{"source_type": "ground", "program": "themis-asi", "include_stats": false}"#;
    assert_eq!(path(data_sources(Some(f))), "/api/v1/data_sources?program=themis-asi&source_type=ground&format=basic_info&include_stats=false");
    // sources.list(): pyaurorax's default format is full_record
    let f = r#"{"format": "full_record", "include_stats": false}"#;
    assert_eq!(
        path(data_sources(Some(f))),
        "/api/v1/data_sources?format=full_record&include_stats=false"
    );
    let f = r#"{"platform": "fort smith", "instrument_type": "RGB ASI", "owner": "a&b=c"}"#;
    assert_eq!(path(data_sources(Some(f))), "/api/v1/data_sources?platform=fort+smith&instrument_type=RGB+ASI&owner=a%26b%3Dc&format=basic_info");
}

#[test]
fn data_source_filter_errors_name_the_key() {
    let cases = [
        (
            r#"{"programs": ["swarm"]}"#,
            "filter_json: unknown field 'programs'",
        ),
        (
            r#"{"program": ["swarm"]}"#,
            "filter_json.program: must be a string, got an array",
        ),
        (r#"{"program": ""}"#, "filter_json.program: is empty"),
        (
            r#"{"source_type": "space"}"#,
            "filter_json.source_type: 'space' is not one of ground, heo",
        ),
        (
            r#"{"format": "everything"}"#,
            "filter_json.format: 'everything' is not one of identifier_only",
        ),
        (
            r#"{"include_stats": "yes"}"#,
            "filter_json.include_stats: must be true or false, got a string",
        ),
        (r#"{"slow": true}"#, "filter_json: unknown field 'slow'"),
        (
            r#"["swarm"]"#,
            "filter_json: must be a JSON object, got an array",
        ),
        (r#"{"program": "swarm""#, "filter_json: is not valid JSON"),
    ];
    for (f, want) in cases {
        let e = refused(data_sources(Some(f)));
        assert!(e.starts_with(want), "{f}: {e}");
    }
}

#[test]
fn availability_sends_days_and_filters_as_pyaurorax_does() {
    // availability.ephemeris(datetime(2019,1,1), datetime(2019,1,31), program="swarm")
    let l = ephemeris_availability(
        "2019-01-01",
        "2019-01-31",
        Some(r#"{"program": "swarm", "slow": false}"#),
    )
    .unwrap();
    assert_eq!(l.what, LookupKind::EphemerisAvailability);
    assert_eq!(l.path_and_query, "/api/v1/availability/ephemeris?start=2019-01-01&end=2019-01-31&program=swarm&format=basic_info&slow=false");
    // availability.data_products(datetime(2020,1,1), datetime(2020,1,2), program="trex", instrument_type="RGB ASI")
    let l = data_products_availability(
        "2020-01-01",
        "2020-01-02",
        Some(r#"{"program": "trex", "instrument_type": "RGB ASI", "slow": false}"#),
    )
    .unwrap();
    assert_eq!(l.what, LookupKind::DataProductsAvailability);
    assert_eq!(l.path_and_query, "/api/v1/availability/data_products?start=2020-01-01&end=2020-01-02&program=trex&instrument_type=RGB+ASI&format=basic_info&slow=false");
    let l = data_products_availability(
        "2020-01-01",
        "2020-01-01",
        Some(r#"{"data_product_type": "keogram", "format": "full_record"}"#),
    );
    assert_eq!(path(l), "/api/v1/availability/data_products?start=2020-01-01&end=2020-01-01&data_product_type=keogram&format=full_record");
}

#[test]
fn availability_takes_a_timestamp_as_its_day() {
    let l = ephemeris_availability("2019-01-01T12:30:00", "2019-01-31 23:59:59Z", None);
    assert_eq!(
        path(l),
        "/api/v1/availability/ephemeris?start=2019-01-01&end=2019-01-31&format=basic_info"
    );
}

#[test]
fn availability_input_errors_name_the_argument() {
    let e = refused(ephemeris_availability("2019-02-01", "2019-01-31", None));
    assert!(
        e.starts_with("end_date: 2019-01-31 is before start_date 2019-02-01"),
        "{e}"
    );
    for bad in [
        "2019-1-1",
        "2019-02-30",
        "yesterday",
        "",
        "2019-01-01T25:00:00",
    ] {
        let e = refused(ephemeris_availability(bad, "2019-01-31", None));
        assert!(e.starts_with("start_date: "), "{bad}: {e}");
        let e = refused(data_products_availability("2019-01-01", bad, None));
        assert!(e.starts_with("end_date: "), "{bad}: {e}");
    }
    let e = refused(ephemeris_availability(
        "2019-01-01",
        "2019-01-02",
        Some(r#"{"data_product_type": "keogram"}"#),
    ));
    assert!(
        e.starts_with("filter_json: unknown field 'data_product_type'"),
        "{e}"
    );
    let e = refused(data_products_availability(
        "2019-01-01",
        "2019-01-02",
        Some(r#"{"data_product_type": "keogramm"}"#),
    ));
    assert!(
        e.starts_with("filter_json.data_product_type: 'keogramm' is not one of keogram"),
        "{e}"
    );
    let e = refused(data_products_availability(
        "2019-01-01",
        "2019-01-02",
        Some(r#"{"include_stats": true}"#),
    ));
    assert!(
        e.starts_with("filter_json: unknown field 'include_stats'"),
        "{e}"
    );
}

#[test]
fn request_ids_are_uuids_in_lowercase() {
    let id = "0848d9bb-5308-41a5-93ba-4453bad7ec38";
    assert_eq!(request_id(id).unwrap(), id);
    assert_eq!(request_id(&id.to_uppercase()).unwrap(), id);
    assert_eq!(request_id(&format!(" {id}\n")).unwrap(), id);
    let long = "x".repeat(500);
    for bad in [
        "",
        "0848d9bb",
        "0848d9bb-5308-41a5-93ba-4453bad7ec3",
        "0848d9bb-5308-41a5-93ba-4453bad7ec38-",
        "0848d9bb530841a593ba4453bad7ec38",
        "0848d9bg-5308-41a5-93ba-4453bad7ec38",
        "{0848d9bb-5308-41a5-93ba-4453bad7ec38}",
        "../../admin",
        long.as_str(),
    ] {
        let e = request_id(bad).unwrap_err();
        assert_eq!(e.status, crate::error::Status::AURORAX_ERR_INVALID_ARGUMENT);
        assert!(
            e.message.starts_with("request_id: ") && e.message.contains("is not a request id"),
            "{bad}: {}",
            e.message
        );
        assert!(e.message.len() < 200, "{}", e.message);
    }
}
