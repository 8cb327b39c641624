//! A server that sends a result one byte at a time, each byte well within the request
//! timeout, cannot hold a download — and a caller blocked in aurorax_get_data — for ever:
//! every timeout window must bring a minimum of bytes. (A hand-written server on loopback:
//! the local AuroraX server has no trickle fault.)

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

const ID: &str = "0848d9bb-5308-41a5-93ba-4453bad7ec38";

fn serve(mut stream: TcpStream, port: u16) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header == "\r\n" || header.is_empty() {
            break;
        }
        if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let reply = |stream: &mut TcpStream, head: &str, body: &str| {
        let _ = write!(stream, "{head}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
    };
    if request_line.starts_with("POST /api/v1/conjunctions/search") {
        let head = format!("HTTP/1.1 202 Accepted\r\nlocation: http://127.0.0.1:{port}/api/v1/conjunctions/requests/{ID}");
        reply(&mut stream, &head, "");
    } else if request_line.contains("/data") {
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000000\r\n\r\n"
        );
        for _ in 0..10_000 {
            if stream.write_all(b" ").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    } else {
        let status = r#"{"logs": [], "search_request": {}, "search_result": {"data_uri": "/x", "error_condition": false, "completed_timestamp": "2026-01-01T00:00:00"}}"#;
        reply(&mut stream, "HTTP/1.1 200 OK", status);
    }
}

#[test]
fn a_trickling_download_fails_instead_of_blocking_get_data_for_ever() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream, port));
        }
    });
    let holder = server(0.1); // for with_server's settings turn only
    let s = with_server(
        &holder,
        || unsafe {
            assert_eq!(
                aurorax_set_api_url(c(&format!("http://127.0.0.1:{port}")).as_ptr()),
                OK
            );
            assert_eq!(aurorax_set_request_timeout(1.0), OK);
            assert_eq!(aurorax_set_max_retries(1), OK);
        },
        start_seed,
    );
    eventually(Duration::from_secs(10), "the download starts", || {
        aurorax_get_phase(s) == 2
    });
    let started = Instant::now();
    assert!(
        aurorax_get_data(s).is_null(),
        "blocks while downloading, then fails"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(aurorax_check_for_data(s), NETWORK);
    assert!(
        search_error(s).unwrap().contains("trickles"),
        "{:?}",
        search_error(s)
    );
    aurorax_free(s);
}
