//! The safe Rust API (`aurorax::client`) against the local server.

use aurorax::client::{
    data_source, describe_query, query_of_status, request_status, search_data_sources, wait_any,
    Kind, Phase, Search, Settings, Status,
};
use aurorax_testserver::{start, Config, ServerGuard};
use std::time::{Duration, Instant};

const QUERY: &str = r#"{"start": "2019-01-01T00:00:00", "end": "2019-01-02T23:59:59",
    "ground": [{"programs": ["themis-asi"]}], "space": [{"programs": ["swarm"]}],
    "conjunction_types": ["nbtrace"], "max_distances": {"ground1-space1": 500},
    "subminute_precision": false}"#;
/// Only ends a wait that would otherwise hang: a busy machine cannot break it.
const LIMIT: Option<Duration> = Some(Duration::from_secs(300));

fn server(search_seconds: f64) -> ServerGuard {
    start(Config {
        search_seconds,
        ..Config::default()
    })
    .unwrap()
}

fn settings(server: &ServerGuard) -> Settings {
    Settings::default()
        .with_api_url(server.base_url())
        .unwrap()
        .with_poll_interval(Duration::from_millis(250))
        .unwrap()
}

fn request_id(search: &Search) -> String {
    let deadline = Instant::now() + LIMIT.unwrap();
    loop {
        if let Some(id) = search.request_id() {
            return id;
        }
        assert!(Instant::now() < deadline, "no request id within {LIMIT:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_search_from_json_ends_ready_with_the_servers_records() {
    let server = server(0.2);
    let s = Search::conjunctions_json(&settings(&server), QUERY).unwrap();
    s.wait(LIMIT).unwrap();
    assert!(s.ready() && s.ended());
    assert_eq!(s.phase(), Phase::Ready);
    let records = s.records().unwrap();
    assert!(!records.is_empty());
    assert_eq!(
        format!("[{}]", records.join(",")).len(),
        s.data().unwrap().len()
    );
    assert!(s.bytes_received() > 0);
    assert_eq!(s.kind(), Some(Kind::Conjunctions));
    let status = s.status_json().unwrap();
    assert!(query_of_status(&status).unwrap().contains("themis-asi"));
    assert!(s.describe().unwrap().contains("nbtrace"));
}

#[test]
fn bad_input_is_refused_before_any_request() {
    let server = server(0.2);
    let st = settings(&server);
    let e = Search::conjunctions_json(&st, "{").unwrap_err();
    assert_eq!(e.status, Status::AURORAX_ERR_INVALID_ARGUMENT);
    let e = Search::attach(&st, Kind::Ephemeris, "not-a-uuid").unwrap_err();
    assert!(e.message.starts_with("request_id"), "{e}");
    assert_eq!(server.stats()["total"].as_u64(), Some(0));
}

#[test]
fn cancel_wakes_the_waiter_and_the_server_sees_the_delete() {
    let server = server(30.0);
    let s = Search::conjunctions_json(&settings(&server), QUERY).unwrap();
    let id = request_id(&s);
    assert!(s.cancel());
    assert_eq!(
        s.wait(LIMIT).unwrap_err().status,
        Status::AURORAX_ERR_CANCELLED
    );
    assert_eq!(s.phase(), Phase::Ended(Status::AURORAX_ERR_CANCELLED));
    let deadline = Instant::now() + LIMIT.unwrap();
    while server.stats()["by_request"][&id]["cancel"]
        .as_u64()
        .unwrap_or(0)
        == 0
    {
        assert!(Instant::now() < deadline, "no DELETE within {LIMIT:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn wait_any_names_the_search_that_ended_and_times_out_otherwise() {
    let slow = server(30.0);
    let fast = server(0.1);
    let a = Search::conjunctions_json(&settings(&slow), QUERY).unwrap();
    let e = wait_any(&[&a], Some(Duration::from_millis(50))).unwrap_err();
    assert_eq!(e.status, Status::AURORAX_ERR_TIMEOUT);
    let b = Search::conjunctions_json(&settings(&fast), QUERY).unwrap();
    assert_eq!(wait_any(&[&a, &b], LIMIT).unwrap(), 1);
    assert!(!a.ended());
    assert_eq!(
        wait_any(&[], LIMIT).unwrap_err().status,
        Status::AURORAX_ERR_INVALID_ARGUMENT
    );
}

#[test]
fn attach_and_lookups_answer_from_the_server() {
    let server = server(0.1);
    let st = settings(&server);
    let s = Search::ephemeris_json(
        &st,
        r#"{"start": "2019-01-01T00:00:00", "end": "2019-01-01T01:00:00", "data_sources": {"programs": ["swarm"]}}"#,
    )
    .unwrap();
    s.wait(LIMIT).unwrap();
    let id = request_id(&s);
    let attached = Search::attach(&st, Kind::Ephemeris, &id).unwrap();
    attached.wait(LIMIT).unwrap();
    assert_eq!(attached.data().unwrap(), s.data().unwrap());
    let status = request_status(&st, Kind::Ephemeris, &id).unwrap();
    assert!(status.contains(&id));
    let unknown = request_status(&st, Kind::Ephemeris, "00000000-0000-4000-8000-000000000000");
    assert_eq!(unknown.unwrap_err().status, Status::AURORAX_ERR_API);

    let sources = Search::data_sources(&st, Some(r#"{"program": "swarm"}"#)).unwrap();
    sources.wait(LIMIT).unwrap();
    let first: serde_json::Value = serde_json::from_str(sources.records().unwrap()[0]).unwrap();
    let ident = first["identifier"].as_i64().unwrap();
    let one = data_source(&st, ident, None, false).unwrap();
    assert!(one.contains("swarm"), "{one}");
    let found = search_data_sources(&st, Some(&["swarm".into()]), None, None, None, false).unwrap();
    assert!(found.starts_with('['), "{found}");
    let availability =
        Search::ephemeris_availability(&st, "2019-01-01", "2019-01-03", None).unwrap();
    availability.wait(LIMIT).unwrap();
    assert!(!availability.records().unwrap().is_empty());
    let text = describe_query(&st, Kind::Conjunctions, QUERY).unwrap();
    assert!(text.contains("ground1-space1=500"), "{text}");
}

#[test]
fn columns_agree_with_each_record_read_as_json() {
    let server = server(0.2);
    let s = Search::conjunctions_json(&settings(&server), QUERY).unwrap();
    s.wait(LIMIT).unwrap();
    let records: Vec<serde_json::Value> = s
        .records()
        .unwrap()
        .iter()
        .map(|r| serde_json::from_str(r).unwrap())
        .collect();
    let distances = s.column_f64("/min_distance").unwrap();
    let types = s.column_text("/conjunction_type").unwrap();
    let sources = s.column_json("/data_sources").unwrap();
    let missing = s.column_text("/no_such_field").unwrap();
    assert_eq!(distances.len(), records.len());
    for (i, record) in records.iter().enumerate() {
        assert_eq!(Some(distances[i]), record["min_distance"].as_f64());
        assert_eq!(types[i].as_deref(), record["conjunction_type"].as_str());
        let parsed: serde_json::Value = serde_json::from_str(sources[i].unwrap()).unwrap();
        assert_eq!(parsed, record["data_sources"]);
        assert_eq!(missing[i], None);
    }
    assert_eq!(
        s.column_f64("min_distance").unwrap_err().status,
        Status::AURORAX_ERR_INVALID_ARGUMENT
    );
}

#[test]
fn precision_reaches_the_server_as_subminute_precision() {
    let server = server(0.1);
    for (field, expected) in [
        (r#""subminute_precision": true"#, true),
        (r#""epoch_search_precision": 30"#, true),
        (r#""epoch_search_precision": 60"#, false),
    ] {
        let query = QUERY.replace(r#""subminute_precision": false"#, field);
        let s = Search::conjunctions_json(&settings(&server), &query).unwrap();
        s.wait(LIMIT).unwrap();
        let status: serde_json::Value = serde_json::from_str(&s.status_json().unwrap()).unwrap();
        let sent = &status["search_request"]["query"];
        assert_eq!(sent["subminute_precision"], expected, "{field}: {sent}");
    }
}
