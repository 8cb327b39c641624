//! The seed workflow and its twins, end to end through the C ABI against the local server.

mod common;
use aurorax::internals::MIN_POLL_INTERVAL;
use common::*;
use serde_json::Value;
use std::time::{Duration, Instant};

#[test]
fn seed_workflow_returns_the_records_the_server_produced() {
    let server = server(0.3);
    let s = seed_search(&server);
    assert!(!s.is_null(), "{}", last_error());
    eventually(
        UNTIL_IT_HAPPENS,
        "check_for_data says the data is in",
        || aurorax_check_for_data(s) != 0,
    );
    assert_eq!(aurorax_check_for_data(s), 1);
    let json = data(s).expect("data");
    assert_eq!(json, expected_records("conjunctions", &seed_body()));
    assert_eq!(aurorax_get_data_length(s), json.len() as i64);
    let records: Vec<Value> = serde_json::from_str(&json).unwrap();
    assert!(!records.is_empty());
    assert_eq!(records[0]["data_sources"][0]["program"], "themis-asi");
    aurorax_free(s);
}

#[test]
fn check_for_data_never_touches_the_network() {
    let server = server(0.2);
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    let before = stats(&server);
    for _ in 0..1000 {
        assert_eq!(aurorax_check_for_data(s), 1);
        assert!(!aurorax_get_status(s).is_null());
        assert!(!aurorax_get_logs(s).is_null());
    }
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        stats(&server),
        before,
        "answering from memory caused requests"
    );
    aurorax_free(s);
}

#[test]
fn a_search_costs_one_submit_a_few_polls_and_one_download() {
    let server = server(0.5);
    let started = Instant::now();
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK);
    let took = started.elapsed();
    let id = request_id(s).unwrap();
    let by_request = &stats(&server)["by_request"][&id];
    assert_eq!(route_count(&server, "submit"), 1);
    assert_eq!(by_request["data"], 1);
    let polls = by_request["status"].as_u64().unwrap() as u32;
    // Each status request follows a pause of at least the floor, so n polls take at least
    // n floors. The server marks the search done only once it knows the result's size,
    // which a busy machine delays: the bound follows the time the search took, not the
    // 0.5 s it was given (2-3 polls on an idle machine; pyaurorax polls once a second).
    assert!(polls >= 1, "no status poll");
    assert!(
        MIN_POLL_INTERVAL * polls <= took,
        "{polls} status polls in {took:?}: more than one per {MIN_POLL_INTERVAL:?}"
    );
    aurorax_free(s);
}

#[test]
fn getters_report_id_url_status_and_logs() {
    let server = server(0.3);
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK);
    let id = request_id(s).unwrap();
    assert_eq!(id.len(), 36, "{id}");
    let url = text(aurorax_request_url(s)).unwrap();
    assert_eq!(
        url,
        format!("{}/api/v1/conjunctions/requests/{id}", server.base_url())
    );
    let status: Value = serde_json::from_str(&text(aurorax_get_status(s)).unwrap()).unwrap();
    assert_eq!(status["search_request"]["request_id"], id.as_str());
    assert!(status["search_result"]["data_uri"].is_string());
    let logs: Vec<Value> = serde_json::from_str(&text(aurorax_get_logs(s)).unwrap()).unwrap();
    let last = logs.last().unwrap()["summary"].as_str().unwrap();
    assert!(last.starts_with("Finished search"), "{last}");
    assert_eq!(search_error(s), None);
    aurorax_free(s);
}

#[test]
fn wait_blocks_until_the_data_is_in_memory() {
    let server = server(0.4);
    let s = seed_search(&server);
    assert_eq!(aurorax_check_for_data(s), 0);
    assert!(data(s).is_none(), "data before completion");
    assert!(
        last_error().contains("AURORAX_ERR_NOT_READY"),
        "{}",
        last_error()
    );
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK);
    assert_eq!(aurorax_check_for_data(s), 1);
    assert!(data(s).is_some());
    aurorax_free(s);
}

#[test]
fn ephemeris_and_data_product_searches_work_the_same_way() {
    let server = server(0.2);
    let sources =
        r#"{"programs": ["swarm"], "platforms": ["swarma"], "instrument_types": ["footprint"]}"#;
    let e = with_server(
        &server,
        || {},
        || unsafe {
            aurorax_ephemeris_search_async(
                c("2019-01-01T00:00:00").as_ptr(),
                c("2019-01-01T23:59:59").as_ptr(),
                c(sources).as_ptr(),
            )
        },
    );
    let products = r#"{"programs": ["trex"], "instrument_types": ["RGB ASI"]}"#;
    let d = with_server(
        &server,
        || {},
        || unsafe {
            aurorax_data_products_search_async(
                c("2020-02-01T00:00:00").as_ptr(),
                c("2020-02-05T23:59:59").as_ptr(),
                c(products).as_ptr(),
                c(r#"["keogram"]"#).as_ptr(),
            )
        },
    );
    assert!(!e.is_null() && !d.is_null(), "{}", last_error());
    assert_eq!(aurorax_wait(e, UNTIL_IT_ENDS), OK, "{:?}", search_error(e));
    assert_eq!(aurorax_wait(d, UNTIL_IT_ENDS), OK, "{:?}", search_error(d));
    let e_body = aurorax::internals::ephemeris::from_parts(
        "2019-01-01T00:00:00",
        "2019-01-01T23:59:59",
        Some(sources),
    )
    .unwrap()
    .body;
    assert_eq!(data(e).unwrap(), expected_records("ephemeris", &e_body));
    let d_body = aurorax::internals::data_products::from_parts(
        "2020-02-01T00:00:00",
        "2020-02-05T23:59:59",
        Some(products),
        Some(r#"["keogram"]"#),
    )
    .unwrap()
    .body;
    assert_eq!(data(d).unwrap(), expected_records("data_products", &d_body));
    let ephemeris: Vec<Value> = serde_json::from_str(&data(e).unwrap()).unwrap();
    let keys: Vec<&String> = ephemeris[0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 7, "{keys:?}");
    aurorax_free(e);
    aurorax_free(d);
}

#[test]
fn json_forms_send_advanced_queries_and_apply_the_response_format() {
    let server = server(0.2);
    let query = r#"{"start": "2020-01-01T00:00:00", "end": "2020-01-03T23:59:59",
        "ground": [{"programs": ["themis-asi"]}], "space": [{"programs": ["swarm"], "hemisphere": ["northern"]}],
        "conjunction_types": ["nbtrace"], "max_distances": {"ground1-space1": 500}, "epoch_search_precision": 60,
        "response_format": {"start": true, "end": true, "data_sources": {"identifier": true}}}"#;
    let s = with_server(
        &server,
        || {},
        || unsafe { aurorax_conjunctions_search_async_json(c(query).as_ptr()) },
    );
    assert!(!s.is_null(), "{}", last_error());
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    let records: Vec<Value> = serde_json::from_str(&data(s).unwrap()).unwrap();
    assert!(!records.is_empty());
    for r in &records {
        let mut keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["data_sources", "end", "start"]);
        assert_eq!(r["data_sources"][0].as_object().unwrap().len(), 1);
    }
    let id = request_id(s).unwrap();
    assert_eq!(stats(&server)["by_request"][&id]["data"], 1);
    aurorax_free(s);
}

#[test]
fn two_hundred_concurrent_searches_all_return_their_own_records() {
    let server = server(0.3);
    let ranges: Vec<(String, String)> = (0..200)
        .map(|i| {
            let day =
                chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap() + chrono::Duration::days(i);
            (
                format!("{day}T00:00:00"),
                format!("{}T23:59:59", day + chrono::Duration::days(i % 5)),
            )
        })
        .collect();
    let searches: Vec<_> = ranges
        .iter()
        .map(|(start, end)| {
            with_server(
                &server,
                // 200 submits arrive at once and a submit is never resent: on a busy machine
                // (or under a sanitizer) the last may take longer than the default 5 s
                || assert_eq!(aurorax_set_request_timeout(60.0), OK),
                || unsafe {
                    aurorax_conjunctions_search_async(
                        c(start).as_ptr(),
                        c(end).as_ptr(),
                        c(SEED_GROUND).as_ptr(),
                        c(SEED_SPACE).as_ptr(),
                        300.0,
                    )
                },
            )
        })
        .collect();
    for ((start, end), s) in ranges.iter().zip(&searches) {
        assert_eq!(
            aurorax_wait(*s, UNTIL_IT_ENDS),
            OK,
            "{:?}",
            search_error(*s)
        );
        assert_eq!(
            data(*s).unwrap(),
            expected_records("conjunctions", &seed_body_between(start, end)),
            "{start}..{end}"
        );
    }
    assert_eq!(route_count(&server, "submit"), 200);
    searches.into_iter().for_each(|s| aurorax_free(s));
}
