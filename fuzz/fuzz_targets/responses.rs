//! What the server sends back: status documents, data envelopes, error bodies and
//! Location headers. Never a panic; what is accepted has the promised shape.
#![no_main]
use aurorax::internals::{errors, records, status, urls};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    if let Ok(report) = status::parse_status(input) {
        assert!(serde_json::from_str::<serde_json::Value>(&report.logs_json).unwrap().is_array());
    }
    if let Ok(result) = records::split_all(input) {
        let text = result.as_str();
        // Valid JSON whose numbers may exceed f64 (the grammar allows it): check the shape
        // without evaluating them.
        let values = serde_json::from_str::<Vec<&serde_json::value::RawValue>>(text).expect("an array of JSON values");
        assert_eq!(values.len(), result.record_count());
        for (i, value) in values.iter().enumerate() {
            assert_eq!(Some(value.get()), result.record(i), "record {i} is the array's element");
        }
        assert!(result.as_bytes_with_nul().ends_with(&[0]));
        let haystack = String::from_utf8_lossy(input);
        assert!(haystack.contains(text));
    }
    let _ = errors::error_detail(input);
    let _ = errors::error_for_response(503, input);
    if let Ok(location) = std::str::from_utf8(input) {
        if let Ok(id) = urls::request_id_from_location(location) {
            assert!(!id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        }
    }
});
