//! A cancel that arrives after the server has finished the search but before the library
//! has heard so (its poll still on the way) keeps the result: no DELETE, which would delete
//! the result file; attaching afterwards collects the records.

mod common;
use common::*;
use serde_json::json;

use std::io::{Read, Write};

/// The server's own answer to a data request, seen by a plain HTTP client: 200 once the
/// result exists.
fn data_status_line(port: &str, id: &str) -> String {
    let mut s = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
    s.set_read_timeout(Some(UNTIL_IT_HAPPENS)).unwrap();
    write!(
        s,
        "GET /api/v1/conjunctions/requests/{id}/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut head = [0u8; 12];
    let _ = s.read_exact(&mut head);
    String::from_utf8_lossy(&head).into_owned()
}

#[test]
fn a_cancel_after_the_server_finished_keeps_the_result() {
    logs::collect_lines(2);
    let server = server(0.0);
    // each status answer takes 8 s: the library's first poll is still on the way when the
    // server has finished
    server.configure(json!({"latency": {"status": 8.0}}));
    let s = with_server(
        &server,
        || assert_eq!(aurorax_set_request_timeout(30.0), OK),
        start_seed,
    );
    let id = wait_for_request_id(s);
    let port = server.base_url().rsplit(':').next().unwrap().to_string();
    eventually(UNTIL_IT_HAPPENS, "the server finished", || {
        data_status_line(&port, &id).ends_with("200")
    });
    assert_eq!(
        aurorax_check_for_data(s),
        0,
        "the library has not heard yet"
    );
    assert_eq!(aurorax_cancel(s), OK);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), CANCELLED);
    eventually(UNTIL_IT_HAPPENS, "the engine decided", || {
        logs::lines()
            .iter()
            .any(|l| l.contains("its result is kept") || l.contains("cancelling the request"))
    });
    let lines = logs::lines();
    assert!(
        lines.iter().any(|l| l.contains("its result is kept")),
        "{lines:#?}"
    );
    assert_eq!(server.stats()["by_request"][&id]["cancel"], 0);
    aurorax_free(s);

    server.configure(json!({"latency": null}));
    attach_and_collect_the_seed(&server, &id);
    assert_eq!(aurorax_set_log_level(-1), OK);
}
