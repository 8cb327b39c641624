//! Any request id the server has seen answers status (with its logs) and data;
//! an unknown well-formed id gets the real 404 ErrorDocument on every request
//! route; a client-chosen `request_id` becomes the search's id.

mod common;
use common::*;
use serde_json::{json, Value};

const NOT_FOUND: &str = "No request with given request id";

fn assert_not_found(r: reqwest::blocking::Response, what: &str) {
    assert_eq!(r.status(), 404, "{what}");
    assert_content_type_json(&r);
    let v: Value = r.json().unwrap();
    assert_eq!(
        v,
        json!({"error_code": "NotFound", "error_message": NOT_FOUND}),
        "{what}"
    );
}

#[test]
fn unknown_ids_are_404_on_every_request_route_of_every_kind() {
    let s = server(0.0);
    let c = client();
    let id = "0848d9bb-5308-41a5-93ba-4453bad7ec38";
    for kind in ["conjunctions", "ephemeris", "data_products"] {
        let url = format!("{}/api/v1/{kind}/requests/{id}", s.base_url());
        assert_not_found(c.get(&url).send().unwrap(), &format!("GET {url}"));
        assert_not_found(c.delete(&url).send().unwrap(), &format!("DELETE {url}"));
        assert_not_found(
            c.get(format!("{url}/data")).send().unwrap(),
            &format!("GET {url}/data"),
        );
        assert_not_found(
            c.post(format!("{url}/data"))
                .json(&json!({"start": true}))
                .send()
                .unwrap(),
            &format!("POST {url}/data"),
        );
    }
}

#[test]
fn a_seen_id_answers_status_logs_and_data_by_id_alone() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    for (kind, q) in [
        ("conjunctions", conjunction_query()),
        ("ephemeris", ephemeris_query()),
        ("data_products", data_products_query()),
    ] {
        let loc = submit(&c, b, kind, &q);
        let id = loc.rsplit('/').next().unwrap().to_string();
        // rebuilt from the base URL and the id, as pyaurorax's wait() and cancel() do
        let url = format!("{b}/api/v1/{kind}/requests/{id}");
        let st = wait_done(&c, &url);
        assert_eq!(st["search_request"]["request_id"], id.as_str());
        let logs = st["logs"].as_array().unwrap();
        assert!(logs.len() >= 3, "{kind}");
        for l in logs {
            assert!(
                l["level"].is_string() && l["summary"].is_string() && l["timestamp"].is_string()
            );
        }
        assert!(logs.last().unwrap()["summary"]
            .as_str()
            .unwrap()
            .starts_with("Finished search in "));
        let data = get_json(&c, &format!("{url}/data"));
        assert_eq!(
            data["result"].as_array().unwrap().len() as u64,
            st["search_result"]["result_count"].as_u64().unwrap()
        );
        // the id is case-insensitive, as a UUID is
        let upper = format!("{b}/api/v1/{kind}/requests/{}", id.to_uppercase());
        assert_eq!(
            get_json(&c, &upper)["search_request"]["request_id"],
            id.as_str()
        );
    }
}

#[test]
fn a_client_chosen_request_id_is_the_search_id() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    let chosen = "6F1C8A0E-3C1B-4F7E-9B8A-1D2E3F4A5B6C";
    let mut q = ephemeris_query();
    q["request_id"] = json!(chosen);
    let loc = submit(&c, b, "ephemeris", &q);
    let lower = chosen.to_lowercase();
    assert_eq!(loc, format!("{b}/api/v1/ephemeris/requests/{lower}"));
    let st = wait_done(&c, &loc);
    assert_eq!(st["search_request"]["request_id"], lower.as_str());
    assert_eq!(st["search_request"]["query"]["request_id"], chosen);
    assert!(get_json(&c, &format!("{loc}/data"))["result"].is_array());

    // an id in use is refused, and the refusal does not disturb the first search
    let r = c
        .post(format!("{b}/api/v1/data_products/search"))
        .json(
            &json!({"request_id": lower, "data_sources": {"programs": ["trex"]},
            "start": "2020-01-01T00:00:00", "end": "2020-01-01T23:59:59"}),
        )
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().unwrap();
    assert_eq!(v["error_code"], "AssertionError");
    assert!(v["error_message"]
        .as_str()
        .unwrap()
        .starts_with("request_id:"));
    assert_eq!(
        get_json(&c, &loc)["search_request"]["request_type"],
        "ephemeris"
    );

    for bad in [json!("not-a-uuid"), json!(42)] {
        let mut q = ephemeris_query();
        q["request_id"] = bad.clone();
        let r = c
            .post(format!("{b}/api/v1/ephemeris/search"))
            .json(&q)
            .send()
            .unwrap();
        assert_eq!(r.status(), 400, "{bad}");
    }
    // null means "generate one", as when the field is absent
    let mut q = ephemeris_query();
    q["request_id"] = Value::Null;
    let loc = submit(&c, b, "ephemeris", &q);
    let id = loc.rsplit('/').next().unwrap();
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 4);
}

#[test]
fn a_refused_request_id_leaves_the_programmed_outcome_for_the_next_search() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    let mut q = ephemeris_query();
    q["request_id"] = json!("6f1c8a0e-3c1b-4f7e-9b8a-1d2e3f4a5b6c");
    submit(&c, b, "ephemeris", &q);
    s.set_search_outcome(json!({"outcome": "fail", "message": "programmed failure"}));
    let r = c
        .post(format!("{b}/api/v1/ephemeris/search"))
        .json(&q)
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    let loc = submit(&c, b, "ephemeris", &ephemeris_query());
    let st = wait_done(&c, &loc);
    assert_eq!(st["search_result"]["error_condition"], true);
    assert_eq!(
        st["logs"].as_array().unwrap().last().unwrap()["summary"],
        "programmed failure"
    );
}

#[test]
fn beyond_max_searches_the_oldest_are_forgotten_and_answer_404() {
    let s = aurorax_testserver::start(aurorax_testserver::Config {
        search_seconds: 0.0,
        max_searches: 3,
        ..Default::default()
    })
    .expect("server starts");
    let c = client();
    let b = s.base_url();
    let urls: Vec<String> = (0..5)
        .map(|_| {
            let loc = submit(&c, b, "ephemeris", &ephemeris_query());
            let id = loc.rsplit('/').next().unwrap().to_string();
            format!("{b}/api/v1/ephemeris/requests/{id}")
        })
        .collect();
    for url in &urls[..2] {
        assert_not_found(c.get(url).send().unwrap(), url);
    }
    for url in &urls[2..] {
        assert_eq!(c.get(url).send().unwrap().status(), 200, "{url}");
    }
    let remembered = s.stats()["by_request"].as_object().unwrap().len();
    assert_eq!(
        remembered, 3,
        "per-request counts of forgotten searches are dropped"
    );
}
