//! The plain search forms from arbitrary strings and distances: never a panic; a body is
//! always valid JSON; a refusal always names an argument.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let distance = f64::from_le_bytes(data[..8].try_into().unwrap());
    let text = String::from_utf8_lossy(&data[8..]);
    let mut parts = text.split('\u{1}');
    let mut next = || parts.next().unwrap_or("");
    let (start, end, a, b) = (next(), next(), next(), next());
    let results = [
        aurorax::internals::conjunctions::from_parts(start, end, Some(a), Some(b), distance),
        aurorax::internals::ephemeris::from_parts(start, end, Some(a)),
        aurorax::internals::data_products::from_parts(start, end, Some(a), Some(b)),
    ];
    for result in results {
        match result {
            Ok(request) => {
                serde_json::from_str::<serde_json::Value>(&request.body).expect("body is JSON");
            }
            Err(e) => assert!(e.message.contains(':'), "{}", e.message),
        }
    }
});
