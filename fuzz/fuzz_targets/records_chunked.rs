//! The streaming record splitter fed in chunks cut where the fuzzer chooses: whatever the
//! cuts, it must come to exactly what it comes to on the whole body at once (the same
//! records, or a refusal with the same status), and what it accepts must be the array's
//! elements as serde_json reads them.
//!
//! Input: one byte N (cuts, at most 32), then N little-endian u16 cut positions (taken
//! modulo the body's length + 1, in any order, repeats giving empty chunks), then the body.
#![no_main]
use aurorax::internals::records::{split_all, RecordSplitter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&n, rest)) = input.split_first() else { return };
    let n = (n as usize) % 33;
    if rest.len() < 2 * n {
        return;
    }
    let (cut_bytes, body) = rest.split_at(2 * n);
    let mut cuts: Vec<usize> = cut_bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]) as usize % (body.len() + 1))
        .collect();
    cuts.sort_unstable();
    cuts.push(body.len());

    let mut splitter = RecordSplitter::new(0);
    let mut at = 0;
    let mut pushed = Ok(());
    for cut in cuts {
        pushed = splitter.push(&body[at..cut]);
        at = cut;
        if pushed.is_err() {
            break;
        }
    }
    assert!(splitter.received() >= at);
    let chunked = pushed.and_then(|()| splitter.finish());
    let whole = split_all(body);
    match (&chunked, &whole) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.as_str(), b.as_str());
            assert_eq!(a.record_count(), b.record_count());
            for i in 0..a.record_count() {
                assert_eq!(a.record(i), b.record(i), "record {i}");
            }
            let values = serde_json::from_str::<Vec<&serde_json::value::RawValue>>(a.as_str())
                .expect("an array of JSON values");
            assert_eq!(values.len(), a.record_count());
            for (i, value) in values.iter().enumerate() {
                assert_eq!(Some(value.get()), a.record(i), "record {i} is the array's element");
            }
        }
        (Err(a), Err(b)) => assert_eq!(a.status, b.status, "{} / {}", a.message, b.message),
        _ => panic!(
            "chunked and whole disagree: {:?} / {:?}",
            chunked.as_ref().map(|r| r.as_str()).map_err(|e| &e.message),
            whole.as_ref().map(|r| r.as_str()).map_err(|e| &e.message)
        ),
    }
});
