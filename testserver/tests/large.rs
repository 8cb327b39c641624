//! A benchmark-sized result is streamed with a true Content-Length.

mod common;
use common::*;
use serde_json::json;
use std::io::Read;

#[test]
fn twenty_thousand_conjunctions_stream_with_exact_length() {
    let s = server(0.0);
    let c = client();
    // the benchmark size: ~150 MB, rendered twice (size, then body)
    let n: u64 = 20_000;
    s.configure(json!({"result_count": n}));
    let loc = submit(&c, s.base_url(), "conjunctions", &conjunction_query());
    let st = wait_done(&c, &loc);
    assert_eq!(st["search_result"]["result_count"], n);
    let size = st["search_result"]["file_size"].as_u64().unwrap();
    assert!(size as f64 / n as f64 > 6500.0, "realistic record size");
    let mut r = c.get(format!("{loc}/data")).send().unwrap();
    assert_eq!(
        r.headers()["content-length"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap(),
        size
    );
    let mut buf = vec![0u8; 1 << 20];
    let (mut total, mut records, mut tail) = (0u64, 0u64, Vec::new());
    let needle = b"\"closest_epoch\"";
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let k = r.read(&mut buf).unwrap();
        if k == 0 {
            break;
        }
        total += k as u64;
        carry.extend_from_slice(&buf[..k]);
        records += carry.windows(needle.len()).filter(|w| w == needle).count() as u64;
        let keep = carry.len().saturating_sub(needle.len() - 1);
        tail = carry[carry.len().saturating_sub(2)..].to_vec();
        carry.drain(..keep);
    }
    assert_eq!(total, size);
    assert_eq!(records, n);
    assert_eq!(tail, b"]}");
}
