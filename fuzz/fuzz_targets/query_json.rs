//! The `_json` search forms: any text is refused with a message naming the argument, or
//! becomes a body that is a JSON object with wire-format timestamps.
#![no_main]
use aurorax::internals::{conjunctions, data_products, ephemeris, SearchRequest};
use libfuzzer_sys::fuzz_target;

fn check(result: aurorax::internals::Result<SearchRequest>) {
    match result {
        Ok(request) => {
            let body: serde_json::Value = serde_json::from_str(&request.body).expect("body is JSON");
            assert!(body.is_object());
            for end in ["start", "end"] {
                let t = body[end].as_str().expect("timestamps are strings");
                assert_eq!(t.len(), 19, "{t}");
            }
            if let Some(format) = request.response_format {
                assert!(serde_json::from_str::<serde_json::Value>(&format).unwrap().is_object());
            }
        }
        Err(e) => {
            assert_eq!(e.status, aurorax::Status::AURORAX_ERR_INVALID_ARGUMENT);
            assert!(e.message.starts_with("query_json") || e.message.starts_with("start") || e.message.starts_with("end"), "{}", e.message);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check(conjunctions::from_json(text));
        check(ephemeris::from_json(text));
        check(data_products::from_json(text));
    }
});
