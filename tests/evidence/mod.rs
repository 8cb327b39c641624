//! Evidence that a fault fired, from the local server itself, for tests whose pass would
//! otherwise prove nothing (a "survived" fault that never hit a request).
//!
//! The server takes queued faults oldest first, one per matching `/api/` request. So after a
//! run, queue a marker (a `headers` fault adding `X-Aurorax-Marker`) on the same route and
//! send one request there: the answer carries the marker only if no older fault was still
//! waiting in the queue, that is, if every fault queued before it was taken by a request.
//! Whatever the probe finds, the queue is emptied afterwards. The marker is queued many
//! times over, so a late request of the run (a retry still in flight) cannot take the
//! probe's.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// One raw HTTP/1.1 request (`Connection: close`) to `base_url` ("http://127.0.0.1:PORT"):
/// the status code, the head (lower-cased) and the body; `None` if the connection broke or
/// timed out (30 s) before a whole answer came.
pub fn raw_request(
    base_url: &str,
    method: &str,
    path: &str,
    body: &str,
) -> Option<(u16, String, String)> {
    let mut stream = TcpStream::connect(base_url.trim_start_matches("http://")).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    write!(stream, "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).ok()?;
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).ok()?;
    let reply = String::from_utf8_lossy(&reply).into_owned();
    let (head, body) = reply.split_once("\r\n\r\n")?;
    let code = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((code, head.to_ascii_lowercase(), body.to_string()))
}

/// An admin request that must succeed: asserts the server's `200 {"ok":true}`.
pub fn admin_ok(base_url: &str, method: &str, path: &str, body: &str) {
    let answer = raw_request(base_url, method, path, body);
    let ok = matches!(&answer, Some((200, _, b)) if serde_json::from_str::<serde_json::Value>(b).ok() == Some(serde_json::json!({"ok": true})));
    assert!(ok, "{method} {path} {body}: {answer:?}");
}

/// The request the probe sends on each route: it needs no search (an unknown id or an
/// invalid body answers 404/400, with the marker header all the same).
fn probe_request(route: &str) -> (&'static str, String, &'static str) {
    let status = "/api/v1/conjunctions/requests/00000000-0000-4000-8000-00000000beef";
    match route {
        "submit" => ("POST", "/api/v1/conjunctions/search".into(), "{}"),
        "status" => ("GET", status.into(), ""),
        "data" => ("GET", format!("{status}/data"), ""),
        "cancel" => ("DELETE", status.into(), ""),
        other => panic!("no probe for route {other}"),
    }
}

/// Whether every fault queued on `route` before this call was taken by a request (see the
/// module's note). Empties the fault queue.
pub fn faults_all_fired(base_url: &str, route: &str) -> bool {
    admin_ok(
        base_url,
        "POST",
        "/_testserver/faults",
        &serde_json::json!({"route": route, "fault": "headers", "count": 1000, "headers": {"X-Aurorax-Marker": "probe"}})
            .to_string(),
    );
    let (method, path, body) = probe_request(route);
    let answer = raw_request(base_url, method, &path, body);
    admin_ok(base_url, "DELETE", "/_testserver/faults", "");
    matches!(answer, Some((_, head, _)) if head.contains("x-aurorax-marker: probe"))
}
