//! Network conditions: latency per kind of request, a bandwidth for results, byte ranges
//! for resuming a download, and outages that refuse, reset or blackhole connections.

mod common;
use common::*;
use serde_json::json;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn port_of(base: &str) -> u16 {
    base.rsplit(':').next().unwrap().parse().unwrap()
}

#[test]
fn latency_is_added_to_the_kind_of_request_it_names() {
    let s = server(0.0);
    s.configure(json!({"latency": {"status": 0.3}}));
    let c = client();
    let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    let t = Instant::now();
    get_json(&c, &loc);
    // a lower bound, which a busy machine cannot break
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "{:?}",
        t.elapsed()
    );
    s.configure(json!({"latency": null}));
    assert!(s.stats()["by_route"]["status"] == 1);
}

#[test]
fn bad_conditions_are_refused() {
    let s = server(0.0);
    for bad in [
        json!({"latency": {"nope": 1}}),
        json!({"latency": {"status": -1}}),
        json!({"bandwidth_bytes_per_second": 0}),
        json!({"outage": {"mode": "sideways", "seconds": 1}}),
        json!({"outage": {"mode": "refuse"}}),
    ] {
        let r = client()
            .post(format!("{}/_testserver/config", s.base_url()))
            .json(&bad)
            .send()
            .unwrap();
        assert_eq!(r.status(), 400, "{bad}");
    }
}

#[test]
fn bandwidth_paces_results() {
    let s = server(0.0);
    let c = client();
    let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    wait_done(&c, &loc);
    let whole = c
        .get(format!("{loc}/data"))
        .send()
        .unwrap()
        .bytes()
        .unwrap();
    let pace = (whole.len() as u64 / 2).max(1);
    s.configure(json!({"bandwidth_bytes_per_second": pace}));
    let t = Instant::now();
    let paced = c
        .get(format!("{loc}/data"))
        .send()
        .unwrap()
        .bytes()
        .unwrap();
    assert_eq!(paced, whole);
    assert!(
        t.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        t.elapsed()
    );
}

#[test]
fn a_range_resumes_the_result_where_it_stopped() {
    let s = server(0.0);
    let c = client();
    let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    wait_done(&c, &loc);
    let whole = c.get(format!("{loc}/data")).send().unwrap();
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    let whole = whole.bytes().unwrap();
    let from = whole.len() / 3;
    let part = c
        .get(format!("{loc}/data"))
        .header("range", format!("bytes={from}-"))
        .send()
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.headers()["content-range"].to_str().unwrap(),
        format!("bytes {from}-{}/{}", whole.len() - 1, whole.len())
    );
    assert_eq!(part.bytes().unwrap(), whole.slice(from..));
    // A resumed body starts rendering at the record holding its first byte: every kind of
    // place (the prefix, each side of a comma between records, the suffix) gives the rest.
    let commas: Vec<usize> = whole
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b',')
        .map(|(i, _)| i)
        .take(40)
        .collect();
    let mut offsets: Vec<usize> = (0..14).collect();
    offsets.extend(commas.iter().flat_map(|p| [p - 1, *p, p + 1]));
    offsets.extend(whole.len() - 4..whole.len());
    for from in offsets {
        let part = c
            .get(format!("{loc}/data"))
            .header("range", format!("bytes={from}-"))
            .send()
            .unwrap();
        assert_eq!(part.status(), 206, "from {from}");
        assert_eq!(part.bytes().unwrap(), whole.slice(from..), "from {from}");
    }
    // past the end, or another form: the whole body
    let past = c
        .get(format!("{loc}/data"))
        .header("range", format!("bytes={}-", whole.len()))
        .send()
        .unwrap();
    assert_eq!(past.status(), 200);
}

#[test]
fn an_outage_refuses_then_the_port_comes_back() {
    let s = server(0.0);
    let port = port_of(s.base_url());
    // The port must be seen refusing inside a 2 s outage; a busy machine may not let the
    // test look before it ends, so a missed window starts another outage (up to 20).
    let mut seen = false;
    for _ in 0..20 {
        let ends = Instant::now() + Duration::from_secs(2);
        s.configure(json!({"outage": {"mode": "refuse", "seconds": 2.0}}));
        // the accept loop closes the port on its next turn
        while !seen && Instant::now() < ends {
            seen = matches!(TcpStream::connect(("127.0.0.1", port)),
                Err(e) if e.kind() == ErrorKind::ConnectionRefused);
            std::thread::sleep(Duration::from_millis(10));
        }
        if seen {
            break;
        }
    }
    assert!(seen, "the port stayed open through 20 outages");
    // it comes back by itself when the outage's time is up
    let deadline = Instant::now() + UNTIL_IT_HAPPENS;
    loop {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        assert!(Instant::now() < deadline, "the port never came back");
        std::thread::sleep(Duration::from_millis(50));
    }
    get_json(&client(), &format!("{}/api/v1/data_sources", s.base_url()));
}

/// Nobody else can be given the port while it refuses: on a busy machine the kernel hands a
/// free port to the next server bound to port 0, and the client would reach a stranger.
#[test]
fn a_refusing_port_stays_the_servers_own() {
    let s = server(0.0);
    let port = port_of(s.base_url());
    let c = client();
    // connections the server accepted, left behind as the outage starts
    for _ in 0..3 {
        get_json(&c, &format!("{}/api/v1/data_sources", s.base_url()));
    }
    s.configure(json!({"outage": {"mode": "refuse", "seconds": 600}}));
    let deadline = Instant::now() + UNTIL_IT_HAPPENS;
    while TcpStream::connect(("127.0.0.1", port)).is_ok() {
        assert!(Instant::now() < deadline, "the port stayed open");
        std::thread::sleep(Duration::from_millis(10));
    }
    let taken = std::net::TcpListener::bind(("127.0.0.1", port));
    assert_eq!(
        taken.as_ref().map_err(|e| e.kind()).err(),
        Some(ErrorKind::AddrInUse),
        "another socket could take the port during the outage: {taken:?}"
    );
    s.configure(json!({"outage": null}));
    let deadline = Instant::now() + UNTIL_IT_HAPPENS;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the port never came back");
        std::thread::sleep(Duration::from_millis(50));
    }
    get_json(&client(), &format!("{}/api/v1/data_sources", s.base_url()));
}

#[test]
fn an_outage_resets_or_holds_new_connections() {
    for (mode, event) in [
        ("reset", "outage_reset"),
        ("blackhole", "outage_blackholed"),
    ] {
        let s = server(0.0);
        // A connection the server accepts after a 1 s outage has ended (a busy machine can
        // be that slow to connect) is answered normally; then another outage is tried.
        let mut read = Ok(1);
        for _ in 0..20 {
            s.configure(json!({"outage": {"mode": mode, "seconds": 1.0}}));
            let mut conn = TcpStream::connect(("127.0.0.1", port_of(s.base_url()))).unwrap();
            conn.set_read_timeout(Some(Duration::from_secs(30)))
                .unwrap();
            let _ = conn.write_all(b"GET /api/v1/data_sources HTTP/1.1\r\nHost: x\r\n\r\n");
            read = conn.read(&mut [0u8; 16]);
            if !read.as_ref().is_ok_and(|n| *n > 0) {
                break;
            }
        }
        assert!(
            matches!(read, Err(ref e) if e.kind() == ErrorKind::ConnectionReset)
                || read.as_ref().is_ok_and(|n| *n == 0),
            "{mode}: {read:?}"
        );
        assert_eq!(s.stats()["transport"][event], 1, "{mode}");
    }
}

#[test]
fn an_outage_drops_connections_already_open() {
    let s = server(0.0);
    let c = client();
    get_json(&c, &format!("{}/api/v1/data_sources", s.base_url()));
    // longer than any test: the test ends it, after the request it must fail
    s.configure(json!({"outage": {"mode": "reset", "seconds": 3600}}));
    let r = c
        .get(format!("{}/api/v1/data_sources", s.base_url()))
        .send();
    assert!(r.is_err(), "answered during an outage: {r:?}");
    s.configure(json!({"outage": null}));
    get_json(&c, &format!("{}/api/v1/data_sources", s.base_url()));
}
