//! A byte-for-byte TCP relay in front of the local server that notes when each status
//! request (`GET /api/v1/conjunctions/requests/<id> `) passes through it, for the
//! requests-per-second figure. Both clients go through it in the lag benchmark, so it adds
//! the same (sub-millisecond) hop to each; the server still does the counting.

use super::measure::now_utc_seconds;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

const STATUS_PREFIX: &[u8] = b"GET /api/v1/conjunctions/requests/";

pub type Times = Arc<Mutex<HashMap<String, Vec<f64>>>>;

pub struct Relay {
    pub url: String,
    pub times: Times,
}

/// Starts the relay for `upstream_url` ("http://127.0.0.1:PORT"); it lives as long as the
/// process.
pub fn start(upstream_url: &str) -> Relay {
    let upstream: SocketAddr = upstream_url
        .trim_start_matches("http://")
        .parse()
        .expect("upstream address");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let times: Times = Arc::default();
    let shared = times.clone();
    std::thread::Builder::new()
        .name("bench-relay".into())
        .spawn(move || {
            for client in listener.incoming().flatten() {
                let times = shared.clone();
                std::thread::spawn(move || relay(client, upstream, times));
            }
        })
        .unwrap();
    Relay { url, times }
}

fn relay(mut client: TcpStream, upstream: SocketAddr, times: Times) {
    let Ok(mut server) = TcpStream::connect(upstream) else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (Ok(mut client_back), Ok(mut server_back)) = (client.try_clone(), server.try_clone())
    else {
        return;
    };
    let back = std::thread::spawn(move || {
        let _ = std::io::copy(&mut server_back, &mut client_back);
        let _ = client_back.shutdown(Shutdown::Write);
    });
    let mut buf = vec![0u8; 64 * 1024];
    let mut window: Vec<u8> = Vec::new();
    loop {
        let n = match client.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let now = now_utc_seconds();
        // Look for request lines in what arrived, with the tail of the previous read in
        // front so a line split across reads is still seen (and counted only once: when
        // its end is in the new bytes).
        let carried = window.len();
        window.extend_from_slice(&buf[..n]);
        let mut from = 0;
        while let Some(at) = find(&window[from..], STATUS_PREFIX) {
            let start = from + at + STATUS_PREFIX.len();
            let Some(len) = window[start..]
                .iter()
                .position(|&b| b == b' ' || b == b'/' || b == b'?' || b == b'\r')
            else {
                break;
            };
            let end = start + len;
            if end >= carried && window[end] == b' ' {
                let id = String::from_utf8_lossy(&window[start..end]).into_owned();
                times.lock().unwrap().entry(id).or_default().push(now);
            }
            from = end;
        }
        let keep = window.len().min(200);
        window.drain(..window.len() - keep);
        if server.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = server.shutdown(Shutdown::Write);
    let _ = back.join();
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
