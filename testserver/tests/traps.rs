//! The traps of aurorax-api.md §9.2 that break real clients.

mod common;
use common::*;
use serde_json::{json, Value};

#[test]
fn location_url_and_base_url_both_reach_the_request() {
    let s = server(0.0);
    let c = client();
    let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    let id = loc.rsplit('/').next().unwrap();
    let built = format!("{}/api/v1/ephemeris/requests/{id}", s.base_url());
    assert_eq!(get_json(&c, &loc)["search_request"]["request_id"], id);
    assert_eq!(get_json(&c, &built)["search_request"]["request_id"], id);
    // a client that says localhost is sent back to localhost
    let port = s.base_url().rsplit(':').next().unwrap();
    let r = c
        .post(format!("http://localhost:{port}/api/v1/ephemeris/search"))
        .json(&ephemeris_query())
        .send()
        .unwrap();
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with(&format!(
            "http://localhost:{port}/api/v1/ephemeris/requests/"
        )));
}

#[test]
fn get_and_delete_with_json_content_type_and_empty_object_body_are_accepted() {
    let s = server(0.0);
    let c = client();
    let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    wait_done(&c, &loc);
    for url in [loc.clone(), format!("{loc}/data")] {
        let r = c
            .get(&url)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .unwrap();
        assert_eq!(r.status(), 200, "{url}");
    }
    let r = c
        .delete(&loc)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .unwrap();
    assert_eq!(r.status(), 204);
}

#[test]
fn every_json_response_has_exactly_application_json() {
    let s = server(5.0);
    let c = client();
    let base = s.base_url();
    let loc = submit(&c, base, "conjunctions", &conjunction_query());
    let checks: Vec<(reqwest::blocking::RequestBuilder, u16)> = vec![
        (c.get(&loc), 200),
        (c.get(format!("{loc}/data")), 404),
        (
            c.get(format!(
                "{base}/api/v1/conjunctions/requests/00000000-0000-4000-8000-000000000000"
            )),
            404,
        ),
        (
            c.post(format!("{base}/api/v1/conjunctions/search"))
                .body("{not json"),
            400,
        ),
        (
            c.post(format!("{base}/api/v1/ephemeris/search"))
                .json(&json!({"start": "x"})),
            400,
        ),
        (
            c.post(format!("{base}/api/v1/utils/describe/query/conjunction"))
                .json(&conjunction_query()),
            200,
        ),
        (c.get(format!("{base}/api/v1/nothing/here")), 404),
        (c.put(format!("{base}/api/v1/ephemeris/search")), 405),
        (c.get(format!("{base}/_testserver/stats")), 200),
    ];
    for (req, code) in checks {
        let r = req.send().unwrap();
        assert_eq!(r.status().as_u16(), code, "{}", r.url());
        assert_content_type_json(&r);
        let _: Value = r.json().unwrap();
    }
    s.inject_fault(json!({"route": "status", "fault": "http503"}));
    let r = c.get(&loc).send().unwrap();
    assert_eq!(r.status(), 503);
    assert_content_type_json(&r);
    let _ = c.delete(&loc).send().unwrap();
}

#[test]
fn unknown_id_and_wrong_kind_give_the_real_404_body() {
    let s = server(0.0);
    let c = client();
    let r = c
        .get(format!(
            "{}/api/v1/ephemeris/requests/8e2e2a42-9a6b-4a35-9d2e-2f6c1a7f1f1f",
            s.base_url()
        ))
        .send()
        .unwrap();
    assert_eq!(r.status(), 404);
    let v: Value = r.json().unwrap();
    assert_eq!(
        v,
        json!({"error_code": "NotFound", "error_message": "No request with given request id"})
    );
    let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    let wrong = loc.replace("/ephemeris/", "/data_products/");
    assert_eq!(c.get(&wrong).send().unwrap().status(), 404);
    assert_eq!(c.get(format!("{wrong}/data")).send().unwrap().status(), 404);
    assert_eq!(c.delete(&wrong).send().unwrap().status(), 404);
}

#[test]
fn data_before_completion_is_a_json_404() {
    let s = server(10.0);
    let c = client();
    let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    let r = c.get(format!("{loc}/data")).send().unwrap();
    assert_eq!(r.status(), 404);
    assert_content_type_json(&r);
    let v: Value = r.json().unwrap();
    assert_eq!(v["error_code"], "NotFound");
}
