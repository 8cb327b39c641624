//! Expired results: the real API answers a purged result file with HTTP 200 and the
//! error envelope (aurorax-api.md §4.1).

mod common;
use common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn assert_envelope(r: reqwest::blocking::Response) {
    assert_eq!(r.status(), 200);
    assert_content_type_json(&r);
    let v: Value = r.json().unwrap();
    assert_eq!(v["error"]["error_code"], "NotFound");
    assert!(v["error"]["error_message"]
        .as_str()
        .unwrap()
        .contains("expired"));
    assert_eq!(
        v.as_object().unwrap().len(),
        1,
        "no result beside the error: {v}"
    );
}

#[test]
fn an_expired_result_is_the_error_envelope_with_200() {
    let s = server(0.0);
    let c = client();
    let loc = submit(&c, s.base_url(), "conjunctions", &conjunction_query());
    wait_done(&c, &loc);
    assert!(get_json(&c, &format!("{loc}/data"))["result"].is_array());
    assert!(get_json(&c, &loc)["search_result"]["result_file_deleted_timestamp"].is_null());
    let id = loc.rsplit('/').next().unwrap();
    let r = c
        .post(format!("{}/_testserver/expire", s.base_url()))
        .json(&json!({"request_id": id}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_envelope(c.get(format!("{loc}/data")).send().unwrap());
    assert_envelope(
        c.post(format!("{loc}/data"))
            .body("{\"start\": true}")
            .send()
            .unwrap(),
    );
    let status = get_json(&c, &loc);
    assert!(status["search_result"]["result_file_deleted_timestamp"].is_string());
    assert!(
        status["search_result"]["data_uri"].is_string(),
        "the search still finished"
    );
}

#[test]
fn expire_refuses_an_unknown_or_missing_id() {
    let s = server(0.0);
    let c = client();
    for body in [
        json!({"request_id": "no-such-id"}),
        json!({}),
        json!({"request_id": 5}),
    ] {
        let r = c
            .post(format!("{}/_testserver/expire", s.base_url()))
            .json(&body)
            .send()
            .unwrap();
        assert_eq!(r.status(), 400, "{body}");
    }
}

#[test]
fn results_expire_after_the_configured_lifetime() {
    let s = server(0.0);
    s.configure(json!({"result_lifetime_seconds": 2.0}));
    let c = client();
    // The result must be read before its 2 s are up: a machine too busy for that tries
    // again with a new search (an order of events, not a speed).
    let mut tries = 0;
    let (loc, before_submit, r) = loop {
        tries += 1;
        assert!(tries <= 10, "never read a result within its lifetime");
        // taken before the submit, so before the server's own start and end of the search
        let before_submit = Instant::now();
        let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
        wait_done(&c, &loc);
        let r = c.get(format!("{loc}/data")).send().unwrap();
        if before_submit.elapsed() < Duration::from_secs(2) {
            break (loc, before_submit, r);
        }
    };
    assert!(
        r.json::<Value>().unwrap()["result"].is_array(),
        "alive at first"
    );
    let deadline = Instant::now() + UNTIL_IT_HAPPENS;
    while get_json(&c, &loc)["search_result"]["result_file_deleted_timestamp"].is_null() {
        assert!(Instant::now() < deadline, "never expired");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(before_submit.elapsed() >= Duration::from_secs(2));
    assert_envelope(c.get(format!("{loc}/data")).send().unwrap());
    // null restores "never"
    s.configure(json!({"result_lifetime_seconds": null}));
    let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    wait_done(&c, &loc);
    std::thread::sleep(Duration::from_millis(2100));
    assert!(get_json(&c, &format!("{loc}/data"))["result"].is_array());
}
