//! Asking the API what exists, through the C ABI: data sources and availability, with the
//! search lifecycle (check, wait, records, free).

mod common;
use common::*;
use serde_json::Value;

fn sources(server: &ServerGuard, filter: Option<&str>) -> *mut aurorax_search_t {
    let filter = filter.map(c);
    with_server(
        server,
        || {},
        || unsafe {
            aurorax_data_sources_async(filter.as_ref().map_or(std::ptr::null(), |f| f.as_ptr()))
        },
    )
}

fn records_of(s: *mut aurorax_search_t) -> Vec<Value> {
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    let all: Vec<Value> = serde_json::from_str(&data(s).unwrap()).unwrap();
    assert_eq!(aurorax_get_record_count(s), all.len() as i64);
    all
}

#[test]
fn data_sources_are_listed_and_filtered_by_the_server() {
    let server = server(0.1);
    let all = sources(&server, None);
    let everything = records_of(all);
    assert!(everything.len() > 5);
    let imagers = sources(
        &server,
        Some(r#"{"program": "themis-asi", "format": "full_record"}"#),
    );
    let listed = records_of(imagers);
    assert!(!listed.is_empty() && listed.len() < everything.len());
    for source in &listed {
        assert_eq!(source["program"], "themis-asi");
        assert!(
            source["ephemeris_metadata_schema"].is_array(),
            "full_record carries the filter keys: {source}"
        );
    }
    assert_eq!(aurorax_get_phase(imagers), 3);
    assert!(request_id(imagers).is_none(), "a lookup has no request id");
    assert!(aurorax_describe(imagers).is_null());
    assert!(
        last_error().starts_with("AURORAX_ERR_INVALID_ARGUMENT"),
        "{}",
        last_error()
    );
    assert_eq!(route_count(&server, "sources"), 2);
    assert_eq!(route_count(&server, "submit"), 0);
    aurorax_free(all);
    aurorax_free(imagers);
}

#[test]
fn bad_filters_and_dates_are_refused_before_any_request() {
    let server = server(0.1);
    for bad in [
        r#"{"programs": ["x"]}"#,
        r#"{"format": "everything"}"#,
        "[1]",
        "{",
        r#"{"program": 3}"#,
    ] {
        assert!(sources(&server, Some(bad)).is_null(), "{bad} accepted");
        assert!(last_error().contains("filter_json"), "{}", last_error());
    }
    let refused = with_server(
        &server,
        || {},
        || unsafe {
            aurorax_ephemeris_availability_async(
                c("2020-02-30").as_ptr(),
                c("2020-03-01").as_ptr(),
                std::ptr::null(),
            )
        },
    );
    assert!(refused.is_null());
    assert!(last_error().contains("start_date"), "{}", last_error());
    let backwards = with_server(
        &server,
        || {},
        || unsafe {
            aurorax_data_products_availability_async(
                c("2020-03-01").as_ptr(),
                c("2020-02-01").as_ptr(),
                std::ptr::null(),
            )
        },
    );
    assert!(backwards.is_null());
    assert!(unsafe {
        aurorax_data_products_availability_async(
            std::ptr::null(),
            std::ptr::null(),
            std::ptr::null(),
        )
    }
    .is_null());
    assert_eq!(total_requests(&server), 0);
}

#[test]
fn availability_counts_per_day_and_source() {
    let server = server(0.1);
    let ephemeris = with_server(
        &server,
        || {},
        || unsafe {
            aurorax_ephemeris_availability_async(
                c("2020-01-01").as_ptr(),
                c("2020-01-07").as_ptr(),
                c(r#"{"program": "swarm"}"#).as_ptr(),
            )
        },
    );
    let days = records_of(ephemeris);
    assert!(!days.is_empty());
    for entry in &days {
        assert_eq!(entry["data_source"]["program"], "swarm");
        let per_day = entry["available_ephemeris"].as_object().unwrap();
        assert!(
            per_day
                .keys()
                .all(|d| d.as_str() >= "2020-01-01" && d.as_str() <= "2020-01-07"),
            "{per_day:?}"
        );
    }
    let products = with_server(
        &server,
        || {},
        || unsafe {
            aurorax_data_products_availability_async(
                c("2020-01-01T00:00:00").as_ptr(),
                c("2020-01-03").as_ptr(),
                c(r#"{"program": "trex", "data_product_type": "keogram"}"#).as_ptr(),
            )
        },
    );
    for entry in records_of(products) {
        assert!(entry["available_data_products"].is_object(), "{entry}");
    }
    assert_eq!(route_count(&server, "availability"), 2);
    aurorax_free(ephemeris);
    aurorax_free(products);
}
