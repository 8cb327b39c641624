//! The search protocol of aurorax-api.md §1–§4: status, data, cancel, describe, records.

mod common;
use aurorax_testserver::expected_result_json;
use common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut k: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    k.sort();
    k
}

const BASIC_INFO: [&str; 6] = [
    "identifier",
    "program",
    "platform",
    "instrument_type",
    "source_type",
    "display_name",
];

fn is_record_time(v: &Value) -> bool {
    let s = v.as_str().unwrap_or("");
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").is_ok() && s.len() == 19
}

#[test]
fn conjunction_search_runs_to_completion_with_true_counts_and_sizes() {
    let s = server(1.0);
    let c = client();
    let loc = submit(&c, s.base_url(), "conjunctions", &conjunction_query());
    assert!(
        loc.starts_with(&format!("{}/api/v1/conjunctions/requests/", s.base_url())),
        "{loc}"
    );
    let id = loc.rsplit('/').next().unwrap();
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 4);
    let first = get_json(&c, &loc);
    assert!(first["search_result"]["data_uri"].is_null());
    assert_eq!(
        first["logs"][0]["summary"],
        "Search request arrived and saved"
    );
    let done = wait_done(&c, &loc);
    let r = &done["search_result"];
    assert_eq!(
        r["data_uri"],
        format!("/api/v1/conjunctions/requests/{id}/data")
    );
    assert_eq!(r["error_condition"], false);
    assert!(r["result_file_deleted_timestamp"].is_null());
    assert!(r["query_duration"].as_i64().unwrap() >= 1000);
    let last = done["logs"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["level"], "info");
    assert!(last["summary"]
        .as_str()
        .unwrap()
        .starts_with("Finished search in "));
    assert!(last["summary"]
        .as_str()
        .unwrap()
        .ends_with(" seconds and found 3 records."));
    assert_eq!(done["search_request"]["request_type"], "conjunction");
    assert_eq!(done["search_request"]["request_id"], id);

    let resp = c.get(format!("{loc}/data")).send().unwrap();
    assert_content_type_json(&resp);
    let len: u64 = resp.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let text = resp.text().unwrap();
    assert_eq!(text.len() as u64, len);
    assert_eq!(r["file_size"].as_u64().unwrap(), len);
    let body: Value = serde_json::from_str(&text).unwrap();
    let recs = body["result"].as_array().unwrap();
    assert_eq!(recs.len() as u64, r["result_count"].as_u64().unwrap());
    assert_eq!(recs.len(), 3, "one per day touched");
    for rec in recs {
        assert_eq!(
            keys(rec),
            sorted(&[
                "conjunction_type",
                "start",
                "end",
                "data_sources",
                "min_distance",
                "max_distance",
                "events",
                "closest_epoch",
                "farthest_epoch"
            ])
        );
        for t in ["start", "end", "closest_epoch", "farthest_epoch"] {
            assert!(is_record_time(&rec[t]), "{t}: {}", rec[t]);
        }
        assert_eq!(
            rec["data_sources"].as_array().unwrap().len(),
            2,
            "one source per block"
        );
        for ds in rec["data_sources"].as_array().unwrap() {
            assert_eq!(keys(ds), sorted(&BASIC_INFO));
        }
        let events = rec["events"].as_array().unwrap();
        assert!(events.len() > 5);
        for e in events {
            assert_eq!(
                keys(e),
                sorted(&[
                    "conjunction_type",
                    "e1_source",
                    "e2_source",
                    "start",
                    "end",
                    "min_distance",
                    "max_distance"
                ])
            );
            assert!(e["max_distance"].as_f64().unwrap() <= 500.0);
            assert!(is_record_time(&e["start"]));
        }
        assert!(rec["min_distance"].as_f64().unwrap() <= rec["max_distance"].as_f64().unwrap());
    }
    let avg = len as f64 / recs.len() as f64;
    assert!(
        (6500.0..9000.0).contains(&avg),
        "realistic record size, got {avg}"
    );
}

#[test]
fn ephemeris_and_data_product_records_have_exactly_the_real_keys() {
    let s = server(0.0);
    let c = client();
    let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    wait_done(&c, &loc);
    let body = get_json(&c, &format!("{loc}/data"));
    let recs = body["result"].as_array().unwrap();
    assert_eq!(recs.len(), 144, "one per 10 minutes of a day, one source");
    for r in recs {
        assert_eq!(
            keys(r),
            sorted(&[
                "data_source",
                "epoch",
                "location_geo",
                "location_gsm",
                "nbtrace",
                "sbtrace",
                "metadata"
            ])
        );
        assert_eq!(keys(&r["data_source"]), sorted(&BASIC_INFO));
        assert_eq!(keys(&r["location_geo"]), sorted(&["lat", "lon"]));
        assert!(is_record_time(&r["epoch"]));
    }
    assert_eq!(recs[0]["data_source"]["display_name"], "Swarm A");

    let loc = submit(&c, s.base_url(), "data_products", &data_products_query());
    let st = wait_done(&c, &loc);
    assert_eq!(st["search_request"]["request_type"], "data_product");
    let body = get_json(&c, &format!("{loc}/data"));
    let recs = body["result"].as_array().unwrap();
    assert_eq!(recs.len(), 10, "5 days x 2 known trex platforms x 1 type");
    for r in recs {
        assert_eq!(
            keys(r),
            sorted(&[
                "data_source",
                "data_product_type",
                "start",
                "end",
                "url",
                "metadata"
            ])
        );
        assert_eq!(r["data_product_type"], "keogram");
        assert!(is_record_time(&r["start"]) && is_record_time(&r["end"]));
    }
}

#[test]
fn logs_grow_while_the_search_runs() {
    let s = server(2.0);
    let c = client();
    // The log counts read while the search runs must grow, and the finished search has
    // more. A machine too busy to look twice during the 2 s run tries a new search (an
    // order of events, not a speed).
    for _ in 0..10 {
        let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
        let mut running = Vec::new();
        let deadline = Instant::now() + UNTIL_IT_HAPPENS;
        let done = loop {
            let st = get_json(&c, &loc);
            let count = st["logs"].as_array().unwrap().len();
            if !st["search_result"]["completed_timestamp"].is_null() {
                break count;
            }
            assert!(Instant::now() < deadline, "the search never finished");
            running.push(count);
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(running.windows(2).all(|w| w[0] <= w[1]), "{running:?}");
        if let (Some(first), Some(last)) = (running.first(), running.last()) {
            if first < last {
                assert!(last < &done, "{running:?} then {done}");
                return;
            }
        }
    }
    panic!("never saw the logs of a running search grow in 10 searches");
}

#[test]
fn cancelling_a_running_search_reports_it_cancelled() {
    let s = server(10.0);
    let c = client();
    let loc = submit(&c, s.base_url(), "conjunctions", &conjunction_query());
    let r = c.delete(&loc).send().unwrap();
    assert_eq!(r.status(), 200);
    assert_content_type_json(&r);
    let v: Value = r.json().unwrap();
    for st in [v, get_json(&c, &loc)] {
        let res = &st["search_result"];
        assert_eq!(res["error_condition"], true);
        assert!(res["data_uri"].is_null());
        assert!(!res["completed_timestamp"].is_null());
        let last = st["logs"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["level"], "error");
        assert!(last["summary"].as_str().unwrap().contains("cancelled"));
    }
    assert_eq!(c.get(format!("{loc}/data")).send().unwrap().status(), 404);
}

#[test]
fn deleting_a_finished_search_deletes_its_result() {
    let s = server(0.0);
    let c = client();
    let loc = submit(&c, s.base_url(), "data_products", &data_products_query());
    wait_done(&c, &loc);
    assert_eq!(c.get(format!("{loc}/data")).send().unwrap().status(), 200);
    let r = c.delete(&loc).send().unwrap();
    assert_eq!(r.status(), 204);
    assert!(r.bytes().unwrap().is_empty());
    for _ in 0..2 {
        let r = c.get(format!("{loc}/data")).send().unwrap();
        assert_eq!(r.status(), 404);
        assert_content_type_json(&r);
    }
    assert_eq!(
        c.post(format!("{loc}/data"))
            .json(&json!({"url": true}))
            .send()
            .unwrap()
            .status(),
        404
    );
    assert!(!get_json(&c, &loc)["search_result"]["result_file_deleted_timestamp"].is_null());
    assert_eq!(c.delete(&loc).send().unwrap().status(), 204);
}

#[test]
fn describe_returns_one_sentence_as_a_json_string() {
    let s = server(0.0);
    let c = client();
    let q = json!({"start": "2018-01-01T00:00:00", "end": "2018-01-01T23:59:59", "ground": [{"programs": ["themis-asi"]}],
        "space": [{"programs": ["themis"]}], "events": [], "adhoc": [], "conjunction_types": [], "max_distances": {"ground1-space1": 400}, "epoch_search_precision": 60});
    let v = get_describe(&c, s.base_url(), "conjunction", &q);
    assert_eq!(v, "Find conjunctions of type () with epoch precision of 60 seconds between data sources of ground1=(program in (themis-asi)) AND space1=(program in (themis)) WHERE epochs are between 2018-01-01T00:00:00 AND 2018-01-01T23:59:59 UTC HAVING max distances between location points of ground1-space1=400 km.");
    assert!(
        get_describe(&c, s.base_url(), "ephemeris", &ephemeris_query())
            .starts_with("Find ephemeris for (program in (swarm)")
    );
    assert!(
        get_describe(&c, s.base_url(), "data_products", &data_products_query())
            .contains("data_product_type in (keogram)")
    );
    let r = c
        .post(format!(
            "{}/api/v1/utils/describe/query/ephemeris",
            s.base_url()
        ))
        .json(&json!({"start": "2019-01-01T00:00:00"}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
}

fn get_describe(c: &reqwest::blocking::Client, base: &str, kind: &str, q: &Value) -> String {
    let r = c
        .post(format!("{base}/api/v1/utils/describe/query/{kind}"))
        .json(q)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_content_type_json(&r);
    r.json::<Value>().unwrap().as_str().unwrap().to_string()
}

#[test]
fn response_format_trims_records_including_nested_arrays() {
    let s = server(0.0);
    let c = client();
    let loc = submit(&c, s.base_url(), "conjunctions", &conjunction_query());
    wait_done(&c, &loc);
    // the format of aurorax-api.md F9
    let fmt = json!({"start": true, "end": true, "farthest_epoch": true, "closest_epoch": true, "conjunction_type": true,
        "events": {"start": true, "end": true, "max_distance": true, "min_distance": true, "conjunction_type": true,
            "e1_source": {"display_name": true, "identifier": true}, "e2_source": {"display_name": true, "identifier": true}},
        "data_sources": {"display_name": true, "identifier": true}});
    let r = c
        .post(format!("{loc}/data"))
        .header("content-type", "application/json")
        .json(&fmt)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_content_type_json(&r);
    let v: Value = r.json().unwrap();
    let recs = v["result"].as_array().unwrap();
    assert_eq!(recs.len(), 3);
    for rec in recs {
        assert_eq!(
            keys(rec),
            sorted(&[
                "start",
                "end",
                "farthest_epoch",
                "closest_epoch",
                "conjunction_type",
                "events",
                "data_sources"
            ])
        );
        assert_eq!(
            keys(&rec["data_sources"][0]),
            sorted(&["display_name", "identifier"])
        );
        let e = &rec["events"][0];
        assert_eq!(
            keys(e),
            sorted(&[
                "start",
                "end",
                "max_distance",
                "min_distance",
                "conjunction_type",
                "e1_source",
                "e2_source"
            ])
        );
        assert_eq!(
            keys(&e["e1_source"]),
            sorted(&["display_name", "identifier"])
        );
    }
    let full: Value = get_json(&c, &format!("{loc}/data"));
    assert_eq!(recs[0]["start"], full["result"][0]["start"]);
    let st = get_json(&c, &loc);
    assert!(
        st["search_result"]["file_size"].as_u64().unwrap() > 10_000,
        "file_size is the full file's"
    );

    let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    wait_done(&c, &loc);
    let fmt =
        json!({"epoch": true, "location_geo": {"lat": true}, "data_source": {"identifier": true}});
    let v: Value = c
        .post(format!("{loc}/data"))
        .json(&fmt)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        v["result"][0],
        json!({"epoch": "2019-01-01T00:00:00", "location_geo": {"lat": v["result"][0]["location_geo"]["lat"]}, "data_source": {"identifier": 3}})
    );
    assert_eq!(
        c.post(format!("{loc}/data"))
            .body("[1]")
            .send()
            .unwrap()
            .status(),
        400
    );
}

#[test]
fn same_query_gives_the_same_bytes_and_expected_result_json_matches() {
    let c = client();
    for (kind, q) in [
        ("conjunctions", conjunction_query()),
        ("ephemeris", ephemeris_query()),
        ("data_products", data_products_query()),
    ] {
        let mut bodies = Vec::new();
        for _ in 0..2 {
            let s = server(0.0);
            let loc = submit(&c, s.base_url(), kind, &q);
            wait_done(&c, &loc);
            bodies.push(c.get(format!("{loc}/data")).send().unwrap().text().unwrap());
        }
        assert_eq!(bodies[0], bodies[1], "{kind}");
        assert_eq!(
            bodies[0],
            format!("{{\"result\":{}}}", expected_result_json(kind, &q)),
            "{kind}"
        );
    }
    let mut other = conjunction_query();
    other["end"] = json!("2020-01-02T06:59:59");
    assert_ne!(
        expected_result_json("conjunctions", &other),
        expected_result_json("conjunctions", &conjunction_query())
    );
}

#[test]
fn query_echo_is_normalised_like_the_real_server() {
    let s = server(0.0);
    let c = client();
    let q = json!({"start": "2019-01-01T00:00:00.000Z", "end": "2019-01-02T00:00:00Z",
        "ground": [{"programs": ["themis-asi"], "ephemeris_metadata_filters": [{"key": "calgary_cloud_ml_v1", "operator": "=", "values": ["classified as not cloudy"]}]}],
        "space": [{"programs": ["swarm"], "ephemeris_metadata_filters": {}}],
        "max_distances": {"ground1-space1": 300}});
    let loc = submit(&c, s.base_url(), "conjunctions", &q);
    let echo = get_json(&c, &loc)["search_request"]["query"].clone();
    assert_eq!(echo["start"], "2019-01-01T00:00:00");
    assert_eq!(echo["end"], "2019-01-02T00:00:00");
    assert_eq!(echo["adhoc"], json!([]));
    assert_eq!(echo["events"], json!([]));
    assert_eq!(echo["epoch_search_precision"], 60);
    assert!(
        echo.get("subminute_precision").is_none(),
        "not sent, not echoed"
    );
    assert!(echo["request_id"].is_null());
    assert_eq!(echo["ground"][0]["platforms"], json!([]));
    assert_eq!(echo["space"][0]["hemisphere"], json!([]));
    assert_eq!(
        echo["ground"][0]["ephemeris_metadata_filters"]["logical_operator"], "AND",
        "legacy list becomes the object form"
    );
    assert_eq!(
        echo["space"][0]["ephemeris_metadata_filters"],
        json!({"logical_operator": "AND", "expressions": []})
    );

    let mut e = data_products_query();
    e["data_sources"]["data_product_metadata_filters"]["logical_operator"] = json!("or");
    let loc = submit(&c, s.base_url(), "data_products", &e);
    let echo = get_json(&c, &loc)["search_request"]["query"].clone();
    assert_eq!(
        echo["data_sources"]["data_product_metadata_filters"]["logical_operator"],
        "OR"
    );
}
