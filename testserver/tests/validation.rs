//! 400s that name the field, and the API key (401).

mod common;
use aurorax_testserver::{start, Config};
use common::*;
use serde_json::{json, Value};

/// Submits and expects a 400 whose error_message mentions `field`.
fn rejected(base: &str, kind: &str, q: &Value, field: &str) {
    let r = client()
        .post(format!("{base}/api/v1/{kind}/search"))
        .json(q)
        .send()
        .unwrap();
    assert_eq!(r.status(), 400, "{kind} {q}");
    assert_content_type_json(&r);
    let v: Value = r.json().unwrap();
    assert!(v["error_code"].is_string());
    let msg = v["error_message"].as_str().unwrap();
    assert!(msg.contains(field), "message {msg:?} should name {field:?}");
}

fn with(mut q: Value, path: &[&str], v: Value) -> Value {
    let mut cur = &mut q;
    for p in &path[..path.len() - 1] {
        cur = if let Ok(i) = p.parse::<usize>() {
            &mut cur[i]
        } else {
            &mut cur[*p]
        };
    }
    cur[*path.last().unwrap()] = v;
    q
}

fn without(mut q: Value, key: &str) -> Value {
    q.as_object_mut().unwrap().remove(key);
    q
}

#[test]
fn common_fields_are_required_and_checked() {
    let s = server(0.0);
    let b = s.base_url();
    for kind in ["conjunctions", "ephemeris", "data_products"] {
        let q = match kind {
            "conjunctions" => conjunction_query(),
            "ephemeris" => ephemeris_query(),
            _ => data_products_query(),
        };
        rejected(b, kind, &without(q.clone(), "start"), "start");
        rejected(b, kind, &without(q.clone(), "end"), "end");
        rejected(
            b,
            kind,
            &with(q.clone(), &["start"], json!("2019-01-01")),
            "start",
        );
        rejected(
            b,
            kind,
            &with(q.clone(), &["end"], json!("2019-01-01 00:00:00")),
            "end",
        );
        rejected(
            b,
            kind,
            &with(q.clone(), &["start"], json!(20190101)),
            "start",
        );
        rejected(
            b,
            kind,
            &with(q.clone(), &["start"], json!("2030-01-01T00:00:00")),
            "start",
        );
        rejected(b, kind, &json!([1, 2]), "object");
    }
    let r = client()
        .post(format!("{b}/api/v1/ephemeris/search"))
        .body("{oops")
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[test]
fn conjunction_rules() {
    let s = server(0.0);
    let b = s.base_url();
    let q = conjunction_query();
    rejected(
        b,
        "conjunctions",
        &with(q.clone(), &["space"], json!([])),
        "criteria blocks",
    );
    let eleven: Vec<Value> = (0..10).map(|_| json!({"programs": ["swarm"]})).collect();
    rejected(
        b,
        "conjunctions",
        &with(q.clone(), &["space"], json!(eleven)),
        "criteria blocks",
    );
    rejected(
        b,
        "conjunctions",
        &with(
            q.clone(),
            &[
                "ground",
                "0",
                "ephemeris_metadata_filters",
                "expressions",
                "0",
                "operator",
            ],
            json!("~="),
        ),
        "ground[0].ephemeris_metadata_filters.expressions[0].operator",
    );
    rejected(
        b,
        "conjunctions",
        &with(
            q.clone(),
            &[
                "ground",
                "0",
                "ephemeris_metadata_filters",
                "logical_operator",
            ],
            json!("XOR"),
        ),
        "logical_operator",
    );
    rejected(
        b,
        "conjunctions",
        &with(
            q.clone(),
            &[
                "ground",
                "0",
                "ephemeris_metadata_filters",
                "expressions",
                "0",
                "values",
            ],
            json!("x"),
        ),
        "values",
    );
    rejected(
        b,
        "conjunctions",
        &with(
            q.clone(),
            &["max_distances"],
            json!({"ground1-space2": 300}),
        ),
        "ground1-space2",
    );
    rejected(
        b,
        "conjunctions",
        &with(
            q.clone(),
            &["max_distances"],
            json!({"ground1_space1": 300}),
        ),
        "ground1_space1",
    );
    rejected(
        b,
        "conjunctions",
        &with(q.clone(), &["max_distances"], json!({"ground1-space1": -5})),
        "max_distances.ground1-space1",
    );
    rejected(
        b,
        "conjunctions",
        &with(q.clone(), &["conjunction_types"], json!(["north"])),
        "conjunction_types",
    );
    rejected(
        b,
        "conjunctions",
        &with(q.clone(), &["epoch_search_precision"], json!(45)),
        "epoch_search_precision",
    );
    rejected(
        b,
        "conjunctions",
        &with(q.clone(), &["subminute_precision"], json!("yes")),
        "subminute_precision",
    );
    rejected(
        b,
        "conjunctions",
        &with(q.clone(), &["space", "0", "hemisphere"], json!(["eastern"])),
        "space[0].hemisphere",
    );
    rejected(
        b,
        "conjunctions",
        &with(q.clone(), &["ground", "0", "programs"], json!("themis-asi")),
        "ground[0].programs",
    );
    rejected(
        b,
        "conjunctions",
        &with(
            q.clone(),
            &["adhoc"],
            json!([{"locations": [{"lat": 95.0, "lon": 0.0}]}]),
        ),
        "adhoc[0].locations[0]",
    );
    // ten blocks, lower-case operators, null distances and all four block kinds are fine
    let ten: Vec<Value> = (0..7).map(|_| json!({"programs": ["swarm"]})).collect();
    let ok = with(
        with(q.clone(), &["space"], json!(ten)),
        &["events"],
        json!([{"programs": ["events"]}]),
    );
    let ok = with(
        ok,
        &["adhoc"],
        json!([{"locations": [{"lat": 51.05, "lon": -114.07}]}]),
    );
    let ok = with(
        ok,
        &["max_distances"],
        json!({"ground1-space1": null, "space7-adhoc1": 500, "events1-ground1": 100}),
    );
    let ok = with(
        ok,
        &[
            "ground",
            "0",
            "ephemeris_metadata_filters",
            "logical_operator",
        ],
        json!("or"),
    );
    submit(&client(), b, "conjunctions", &ok);
}

#[test]
fn ephemeris_rules() {
    let s = server(0.0);
    let b = s.base_url();
    let q = ephemeris_query();
    rejected(
        b,
        "ephemeris",
        &without(q.clone(), "data_sources"),
        "data_sources",
    );
    rejected(
        b,
        "ephemeris",
        &with(
            q.clone(),
            &["data_sources"],
            json!({"programs": [], "ephemeris_metadata_filters": {}}),
        ),
        "at least one filter",
    );
    rejected(
        b,
        "ephemeris",
        &with(q.clone(), &["end"], json!("2019-02-02T00:00:00")),
        "1 month",
    );
    rejected(
        b,
        "ephemeris",
        &with(
            q.clone(),
            &["data_sources", "ephemeris_metadata_filters"],
            json!({"expressions": [{"key": "k", "operator": "like", "values": ["x"]}]}),
        ),
        "operator",
    );
    // exactly 31 days and a metadata-only filter are accepted
    submit(
        &client(),
        b,
        "ephemeris",
        &with(q.clone(), &["end"], json!("2019-02-01T00:00:00")),
    );
    let only_md = json!({"data_sources": {"ephemeris_metadata_filters": {"logical_operator": "AND", "expressions": [{"key": "nbtrace_region", "operator": "in", "values": ["north polar cap"]}]}},
        "start": "2019-01-01T00:00:00", "end": "2019-01-01T01:00:00"});
    submit(&client(), b, "ephemeris", &only_md);
}

#[test]
fn data_product_rules() {
    let s = server(0.0);
    let b = s.base_url();
    let q = data_products_query();
    rejected(
        b,
        "data_products",
        &with(q.clone(), &["data_product_type_filters"], json!(["photo"])),
        "data_product_type_filters",
    );
    rejected(
        b,
        "data_products",
        &with(
            q.clone(),
            &["data_sources", "data_product_metadata_filters"],
            json!("daily"),
        ),
        "data_product_metadata_filters",
    );
    submit(
        &client(),
        b,
        "data_products",
        &with(
            q,
            &["data_product_type_filters"],
            json!([
                "keogram",
                "movie",
                "summary_plot",
                "montage",
                "data_availability"
            ]),
        ),
    );
}

#[test]
fn with_an_api_key_anonymous_requests_pass_and_a_wrong_key_is_refused() {
    let s = start(Config {
        api_key: Some("k3y".into()),
        search_seconds: 0.0,
        ..Config::default()
    })
    .unwrap();
    let b = s.base_url();
    let c = client();
    let r = c
        .post(format!("{b}/api/v1/ephemeris/search"))
        .header("x-aurorax-api-key", "wrong")
        .json(&ephemeris_query())
        .send()
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_content_type_json(&r);
    let v: Value = r.json().unwrap();
    assert_eq!(v["error_code"], "NotAuthenticated");
    assert!(v["error_message"].is_string());
    // the real API's searches are anonymous (aurorax-api.md §0)
    let anonymous = submit(&c, b, "ephemeris", &ephemeris_query());
    let r = c
        .post(format!("{b}/api/v1/ephemeris/search"))
        .header("x-aurorax-api-key", "k3y")
        .json(&ephemeris_query())
        .send()
        .unwrap();
    assert_eq!(r.status(), 202);
    let keyed = r.headers()["location"].to_str().unwrap().to_string();
    for loc in [&anonymous, &keyed] {
        wait_done(&c, loc);
        assert_eq!(
            c.get(loc).send().unwrap().status(),
            200,
            "status by id, no key"
        );
        assert_eq!(
            c.get(format!("{loc}/data")).send().unwrap().status(),
            200,
            "data by id, no key"
        );
        assert_eq!(
            c.get(loc)
                .header("x-aurorax-api-key", "nope")
                .send()
                .unwrap()
                .status(),
            401
        );
    }
    assert_eq!(
        c.post(format!("{b}/api/v1/utils/describe/query/ephemeris"))
            .header("x-aurorax-api-key", "wrong")
            .json(&ephemeris_query())
            .send()
            .unwrap()
            .status(),
        401
    );
    // the controls are not behind the key, and rejected requests are counted
    assert_eq!(
        c.get(format!("{b}/_testserver/stats"))
            .header("x-aurorax-api-key", "wrong")
            .send()
            .unwrap()
            .status(),
        200
    );
    assert_eq!(s.stats()["by_route"]["submit"], 3);
}
