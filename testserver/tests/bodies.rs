//! Every route reads the request body, whatever the method. pyaurorax sends
//! `Content-Type: application/json` and a JSON body (`null` in 1.27) on GET and
//! DELETE too; a server that answers without reading it closes a keep-alive
//! connection with unread bytes, which the client sees as a reset.

mod common;
use common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Sends `request` on `conn` and reads exactly one response; returns its status and body.
fn exchange(conn: &mut BufReader<TcpStream>, request: &str) -> std::io::Result<(u16, Vec<u8>)> {
    conn.get_mut().write_all(request.as_bytes())?;
    let mut line = String::new();
    conn.read_line(&mut line)?;
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("status line {line:?}")))?;
    let mut length = None;
    let mut chunked = false;
    loop {
        line.clear();
        conn.read_line(&mut line)?;
        let l = line.trim_end().to_ascii_lowercase();
        if l.is_empty() {
            break;
        }
        if let Some(v) = l.strip_prefix("content-length: ") {
            length = v.parse().ok();
        }
        chunked |= l == "transfer-encoding: chunked";
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            conn.read_line(&mut line)?;
            let n = usize::from_str_radix(line.trim(), 16).map_err(std::io::Error::other)?;
            let mut chunk = vec![0; n + 2];
            conn.read_exact(&mut chunk)?;
            body.extend_from_slice(&chunk[..n]);
            if n == 0 {
                return Ok((status, body));
            }
        }
    }
    body.resize(length.unwrap_or(0), 0);
    conn.read_exact(&mut body)?;
    Ok((status, body))
}

fn request(method: &str, path: &str, host: &str, body: &str) -> String {
    format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nuser-agent: python-pyaurorax/1.27.0\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn get_with_a_null_body_in_a_loop_on_one_connection_never_fails() {
    let s = server(0.0);
    let c = client();
    let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    wait_done(&c, &loc);
    let path = loc.trim_start_matches(s.base_url()).to_string();
    let h = host(s.base_url());
    let stream = TcpStream::connect(h).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut conn = BufReader::new(stream);
    let before = s.stats()["total"].as_u64().unwrap();
    let mut failures = Vec::new();
    for i in 0..300 {
        let (method, p) = match i % 3 {
            0 => ("GET", path.clone()),
            1 => ("GET", format!("{path}/data")),
            _ => ("GET", "/api/v1/nowhere".to_string()),
        };
        match exchange(&mut conn, &request(method, &p, h, "null")) {
            Ok((status, body)) => {
                let want = if i % 3 == 2 { 404 } else { 200 };
                if status != want || serde_json::from_slice::<Value>(&body).is_err() {
                    failures.push(format!("{i}: {status}"));
                }
            }
            Err(e) => {
                failures.push(format!("{i}: {e}"));
                break;
            }
        }
    }
    assert_eq!(
        failures,
        Vec::<String>::new(),
        "0 failures on one keep-alive connection"
    );
    assert_eq!(
        s.stats()["total"].as_u64().unwrap() - before,
        300,
        "every request reached the server"
    );
}

#[test]
fn every_route_and_method_reads_its_body_before_the_connection_is_reused() {
    let s = server(0.0);
    let c = client();
    let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    wait_done(&c, &loc);
    let path = loc.trim_start_matches(s.base_url()).to_string();
    let h = host(s.base_url());
    let q = ephemeris_query().to_string();
    // a body larger than one read, so that an unread body cannot hide in a buffer
    let big = format!("[{}]", vec!["null"; 40_000].join(","));
    let cases: Vec<(&str, String, &str)> = vec![
        ("GET", path.clone(), "null"),
        ("GET", path.clone(), &big),
        ("GET", format!("{path}/data"), &big),
        ("POST", format!("{path}/data"), "{}"),
        ("POST", "/api/v1/ephemeris/search".into(), &q),
        ("POST", "/api/v1/utils/describe/query/ephemeris".into(), &q),
        ("PUT", path.clone(), &big),
        ("PATCH", "/api/v1/ephemeris/search".into(), &big),
        ("GET", "/api/v1/nowhere".into(), &big),
        ("GET", "/_testserver/stats".into(), &big),
        ("GET", "/elsewhere".into(), &big),
        ("DELETE", path.clone(), "null"),
    ];
    let stream = TcpStream::connect(h).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut conn = BufReader::new(stream);
    for (method, p, body) in &cases {
        for round in 0..3 {
            let got = exchange(&mut conn, &request(method, p, h, body));
            assert!(got.is_ok(), "{method} {p} round {round}: {got:?}");
        }
    }
}
