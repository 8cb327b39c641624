//! HTTPS through an HTTP proxy, as on a campus network: the library asks the proxy for a
//! tunnel (`CONNECT host:port`) and speaks TLS to the API inside it, so the proxy sees the
//! host and port and nothing else: never the key, never a path. The API is reached by a DNS
//! name (`aurorax.test`, reserved for testing), since loopback never goes through a proxy;
//! the test's proxy maps that name to the local server. Its own binary: the engine reads
//! the proxy variables when it starts.

mod common;
use common::tls::*;
use common::*;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

const KEY: &str = "https-proxy-key-91c3";

/// A tunnelling proxy on loopback: records each request head it receives, answers a
/// CONNECT by connecting to `upstream` (whatever host was asked for) and relays bytes both
/// ways without reading them.
fn tunnelling_proxy(upstream: u16) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let seen = seen.clone();
            std::thread::spawn(move || tunnel(client, upstream, &seen));
        }
    });
    (address, heads)
}

fn tunnel(mut client: TcpStream, upstream: u16, seen: &Mutex<Vec<String>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 << 10 {
        match client.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    seen.lock().unwrap().push(head.clone());
    if !head.starts_with("CONNECT ") {
        let _ = client.write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n");
        return;
    }
    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
        return;
    };
    let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
    let (mut c2, mut s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    let (mut client, mut server) = (client, server);
    let up = std::thread::spawn(move || {
        let _ = std::io::copy(&mut c2, &mut s2);
        let _ = s2.shutdown(std::net::Shutdown::Write);
    });
    let _ = std::io::copy(&mut server, &mut client);
    let _ = client.shutdown(std::net::Shutdown::Write);
    let _ = up.join();
}

#[test]
fn https_through_a_proxy_is_a_tunnel_the_proxy_cannot_read() {
    let tls = tls_server(0.3);
    let (proxy, heads) = tunnelling_proxy(tls.server.port());
    for v in [
        "NO_PROXY",
        "no_proxy",
        "ALL_PROXY",
        "all_proxy",
        "http_proxy",
        "HTTP_PROXY",
    ] {
        std::env::remove_var(v);
    }
    std::env::set_var("HTTPS_PROXY", &proxy);
    std::env::set_var("https_proxy", &proxy);
    let configure = || unsafe {
        assert_eq!(aurorax_set_ca_bundle(c(&tls.ca()).as_ptr()), OK);
        assert_eq!(aurorax_set_api_key(c(KEY).as_ptr()), OK);
    };
    let s = with_api_url("https://aurorax.test", configure, start_seed);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    assert_eq!(
        data(s).unwrap(),
        expected_records("conjunctions", &seed_body())
    );
    aurorax_free(s);

    let heads = heads.lock().unwrap().clone();
    assert!(!heads.is_empty(), "the proxy was used");
    for head in &heads {
        assert!(
            head.starts_with("CONNECT aurorax.test:443 HTTP/1.1\r\n"),
            "{head}"
        );
        assert!(!head.contains(KEY), "the key reached the proxy: {head}");
        assert!(!head.contains("/api/"), "a path reached the proxy: {head}");
    }
    let (h2, h1) = tls.http_versions();
    assert!(
        h2 >= 3 && h1 == 0,
        "HTTP/2 inside the tunnel: {h2}, HTTP/1.1: {h1}"
    );
    assert!(total_requests(&tls.server) >= 3);
}
