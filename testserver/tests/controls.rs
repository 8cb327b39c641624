//! The `/_testserver/` controls: search outcomes, config overrides, stats.

mod common;
use common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

#[test]
fn failing_search_reports_error_condition_and_message() {
    let s = server(0.1);
    let c = client();
    s.set_search_outcome(json!({"outcome": "fail", "count": 1, "message": "Search failed: boom"}));
    s.set_search_outcome(json!({"outcome": "fail"}));
    for msg in ["Search failed: boom", "Search failed: database timeout"] {
        let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
        let st = wait_done(&c, &loc);
        let r = &st["search_result"];
        assert_eq!(r["error_condition"], true);
        assert!(r["data_uri"].is_null());
        let last = st["logs"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["level"], "error");
        assert_eq!(last["summary"], msg);
        assert_eq!(c.get(format!("{loc}/data")).send().unwrap().status(), 404);
    }
    let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    assert_eq!(
        wait_done(&c, &loc)["search_result"]["error_condition"],
        false,
        "only the next N fail"
    );
}

#[test]
fn never_finishing_search_stays_running() {
    let s = server(0.05);
    let c = client();
    let r = c
        .post(format!("{}/_testserver/searches", s.base_url()))
        .json(&json!({"outcome": "never_finish", "count": 1}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let loc = submit(&c, s.base_url(), "conjunctions", &conjunction_query());
    std::thread::sleep(Duration::from_millis(300));
    let st = get_json(&c, &loc);
    assert!(st["search_result"]["data_uri"].is_null());
    assert!(st["search_result"]["completed_timestamp"].is_null());
    assert_eq!(
        c.delete(&loc).send().unwrap().status(),
        200,
        "still cancellable"
    );
}

#[test]
fn config_overrides_apply_to_later_searches_and_reset_clears_them() {
    let s = server(0.0);
    let c = client();
    let base = s.base_url();
    let r = c
        .post(format!("{base}/_testserver/config"))
        .json(&json!({"result_count": 7, "search_seconds": 1.0}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let t = Instant::now();
    let loc = submit(&c, base, "conjunctions", &conjunction_query());
    let st = wait_done(&c, &loc);
    assert!(t.elapsed() >= Duration::from_millis(1000));
    assert_eq!(st["search_result"]["result_count"], 7);
    assert_eq!(
        get_json(&c, &format!("{loc}/data"))["result"]
            .as_array()
            .unwrap()
            .len(),
        7
    );
    s.configure(json!({"result_count": null}));
    let loc = submit(&c, base, "conjunctions", &conjunction_query());
    assert_eq!(wait_done(&c, &loc)["search_result"]["result_count"], 3);
    // an hour-long search: one that finishes after the reset proves the override gone,
    // however slow the machine
    s.configure(json!({"result_count": 2, "search_seconds": 3600.0}));
    assert_eq!(
        c.post(format!("{base}/_testserver/reset"))
            .send()
            .unwrap()
            .status(),
        200
    );
    let loc = submit(&c, base, "conjunctions", &conjunction_query());
    assert_eq!(wait_done(&c, &loc)["search_result"]["result_count"], 3);
    assert_eq!(
        s.stats()["by_route"]["submit"],
        1,
        "reset cleared the stats"
    );
    assert_eq!(
        c.post(format!("{base}/_testserver/config"))
            .json(&json!({"result_count": "many"}))
            .send()
            .unwrap()
            .status(),
        400
    );
}

#[test]
fn stats_count_every_api_request_by_route_and_by_request() {
    let s = server(0.0);
    let c = client();
    let base = s.base_url();
    let loc = submit(&c, base, "ephemeris", &ephemeris_query());
    let id = loc.rsplit('/').next().unwrap().to_string();
    wait_done(&c, &loc);
    c.get(format!("{loc}/data")).send().unwrap();
    c.post(format!("{loc}/data"))
        .json(&json!({"epoch": true}))
        .send()
        .unwrap();
    c.post(format!("{base}/api/v1/utils/describe/query/ephemeris"))
        .json(&ephemeris_query())
        .send()
        .unwrap();
    c.post(format!("{base}/api/v1/ephemeris/search"))
        .json(&json!({}))
        .send()
        .unwrap(); // rejected: 400
    s.inject_fault(json!({"route": "status", "fault": "http500"}));
    assert_eq!(c.get(&loc).send().unwrap().status(), 500); // faulted
    c.delete(&loc).send().unwrap();
    c.get(format!("{base}/_testserver/stats")).send().unwrap(); // admin: not counted
    let st = s.stats();
    let statuses = st["by_request"][&id]["status"].as_u64().unwrap();
    assert!(statuses >= 2);
    assert_eq!(st["by_route"]["submit"], 2);
    assert_eq!(st["by_route"]["data"], 2);
    assert_eq!(st["by_route"]["describe"], 1);
    assert_eq!(st["by_route"]["cancel"], 1);
    assert_eq!(st["by_route"]["status"].as_u64().unwrap(), statuses);
    assert_eq!(
        st["by_request"][&id],
        json!({"status": statuses, "data": 2, "cancel": 1})
    );
    assert_eq!(st["total"].as_u64().unwrap(), 2 + 2 + 1 + 1 + statuses);
    let over_http: Value = c
        .get(format!("{base}/_testserver/stats"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(over_http, st);
}
