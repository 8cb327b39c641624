//! The request status reader (`api::status::parse_status`) on any bytes, against an oracle
//! written from the same rules with serde_json: it accepts exactly the documents the rules
//! accept, and what it reads is what the document says.
#![no_main]
use aurorax::internals::status::{parse_status, Progress};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|input: &[u8]| {
    let parsed = parse_status(input);
    let doc: Option<Value> = serde_json::from_slice(input).ok();
    let result = doc.as_ref().and_then(|d| d.get("search_result")).filter(|r| r.is_object());
    let logs_ok = matches!(
        doc.as_ref().and_then(|d| d.get("logs")),
        None | Some(Value::Null) | Some(Value::Array(_))
    );
    let condition = result.map(|r| r.get("error_condition"));
    let condition_ok = matches!(condition, Some(None | Some(Value::Null) | Some(Value::Bool(_))));
    let acceptable = result.is_some() && logs_ok && condition_ok;
    match parsed {
        Err(e) => {
            assert!(!acceptable, "refused an acceptable status: {}", e.message);
            assert_eq!(e.status, aurorax::Status::AURORAX_ERR_PROTOCOL);
        }
        Ok(report) => {
            assert!(acceptable, "accepted a status the rules refuse");
            let (doc, result) = (doc.as_ref().unwrap(), result.unwrap());
            let logs: Value = serde_json::from_str(&report.logs_json).unwrap();
            let expected_logs = match doc.get("logs") {
                Some(Value::Array(a)) => Value::Array(a.clone()),
                _ => Value::Array(vec![]),
            };
            assert_eq!(logs, expected_logs);
            let count = |f: &str| result.get(f).and_then(Value::as_i64).filter(|n| *n >= 0);
            assert_eq!(report.result_count, count("result_count"));
            assert_eq!(report.file_size, count("file_size"));
            let failed = result.get("error_condition") == Some(&Value::Bool(true));
            let set = |f: &str| result.get(f).is_some_and(|v| !v.is_null());
            match report.progress {
                Progress::Failed(message) => {
                    assert!(failed);
                    assert!(!message.is_empty() && message.len() < 4_100, "{}", message.len());
                }
                Progress::Done => assert!(!failed && (set("data_uri") || set("completed_timestamp"))),
                Progress::Running => assert!(!failed && !set("data_uri") && !set("completed_timestamp")),
            }
        }
    }
});
