//! The request status document (`GET /api/v1/{kind}/requests/{id}`).

use crate::error::{server_text, Error, Result, SERVER_TEXT_CHARS};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub enum Progress {
    Running,
    /// The server has the result (`data_uri` or `completed_timestamp` set).
    Done,
    /// `error_condition: true`, with the server's own words.
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct StatusReport {
    pub progress: Progress,
    /// The `logs` array as JSON text.
    pub logs_json: String,
    /// `search_result.result_count` and `file_size` (bytes of the result), when numbers.
    pub result_count: Option<i64>,
    pub file_size: Option<i64>,
    /// `search_request.request_id`: whose status this is, when the server says.
    pub request_id: Option<String>,
}

/// Reads what the clients rely on. `error_condition` wins over everything: the reference
/// clients poll forever on a failed search because they only look at `data_uri`.
pub fn parse_status(body: &[u8]) -> Result<StatusReport> {
    let doc: Value = serde_json::from_slice(body)
        .map_err(|e| Error::protocol(format!("the request status is not valid JSON ({e})")))?;
    let result = doc
        .get("search_result")
        .filter(|r| r.is_object())
        .ok_or_else(|| Error::protocol("the request status has no 'search_result' object"))?;
    let logs = match doc.get("logs") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(logs)) => logs.clone(),
        Some(_) => {
            return Err(Error::protocol(
                "the request status's 'logs' is not an array",
            ))
        }
    };
    let failed = match result.get("error_condition") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(Error::protocol(
                "the request status's 'error_condition' is not a boolean",
            ))
        }
    };
    let is_set = |field: &str| result.get(field).is_some_and(|v| !v.is_null());
    let progress = if failed {
        Progress::Failed(failure_message(&logs))
    } else if is_set("data_uri") || is_set("completed_timestamp") {
        Progress::Done
    } else {
        Progress::Running
    };
    let count = |field: &str| {
        result
            .get(field)
            .and_then(Value::as_i64)
            .filter(|n| *n >= 0)
    };
    let request_id = match doc.get("search_request").and_then(|r| r.get("request_id")) {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) => Some(id.clone()),
        Some(_) => {
            return Err(Error::protocol(
                "the request status's 'search_request.request_id' is not a string",
            ))
        }
    };
    Ok(StatusReport {
        progress,
        request_id,
        logs_json: Value::Array(logs).to_string(),
        result_count: count("result_count"),
        file_size: count("file_size"),
    })
}

/// The last error-level log entry's summary, else the last entry's (pyaurorax's choice);
/// blank summaries say nothing, so they are passed over (a message is never empty).
fn failure_message(logs: &[Value]) -> String {
    let summary = |entry: &Value| {
        entry
            .get("summary")
            .and_then(Value::as_str)
            .filter(|words| !words.trim().is_empty())
            .map(str::to_string)
    };
    logs.iter()
        .rev()
        .filter(|e| e.get("level").and_then(Value::as_str) == Some("error"))
        .find_map(summary)
        .or_else(|| logs.last().and_then(summary))
        .map(|words| server_text(&words, SERVER_TEXT_CHARS))
        .unwrap_or_else(|| {
            "the server reported an error condition but logged no reason".to_string()
        })
}

/// A status about another request than the one asked for is not this search's: a proxy's
/// cache, a server bug. Acting on it (its data, its failure) would be acting on a stranger.
pub fn check_request_id(report: &StatusReport, polled: &str) -> Result<()> {
    match &report.request_id {
        Some(id) if !id.eq_ignore_ascii_case(polled) => Err(Error::protocol(format!(
            "the status asked for request {polled} is request {}'s",
            server_text(id, 100)
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_for_another_request_is_refused() {
        let body =
            br#"{"logs": [], "search_request": {"request_id": "AAA-1"}, "search_result": {}}"#;
        let report = parse_status(body).unwrap();
        assert!(check_request_id(&report, "aaa-1").is_ok());
        let e = check_request_id(&report, "bbb-2").unwrap_err();
        assert_eq!(e.status, crate::error::Status::AURORAX_ERR_PROTOCOL);
        assert!(
            e.message.contains("bbb-2") && e.message.contains("AAA-1"),
            "{}",
            e.message
        );
        let odd = br#"{"logs": [], "search_request": {"request_id": 7}, "search_result": {}}"#;
        assert!(parse_status(odd).is_err());
    }

    fn status(search_result: &str, logs: &str) -> Vec<u8> {
        format!(r#"{{"logs": {logs}, "search_request": {{}}, "search_result": {search_result}}}"#)
            .into_bytes()
    }

    #[test]
    fn running_done_and_failed_are_told_apart() {
        let running = parse_status(&status(
            r#"{"data_uri": null, "error_condition": false, "completed_timestamp": null}"#,
            "[]",
        ))
        .unwrap();
        assert_eq!(running.progress, Progress::Running);
        let done = parse_status(&status(
            r#"{"data_uri": "/api/v1/x/requests/1/data", "error_condition": false}"#,
            "[]",
        ))
        .unwrap();
        assert_eq!(done.progress, Progress::Done);
        let logs = r#"[{"level": "error", "summary": "database timeout", "timestamp": "t"}, {"level": "info", "summary": "bye", "timestamp": "t"}]"#;
        let failed = parse_status(&status(
            r#"{"data_uri": null, "error_condition": true, "completed_timestamp": "t"}"#,
            logs,
        ))
        .unwrap();
        assert_eq!(failed.progress, Progress::Failed("database timeout".into()));
        // a blank summary says nothing: the earlier error's words, else the generic message
        let blank = |logs: &str| {
            let doc =
                format!(r#"{{"logs": {logs}, "search_result": {{"error_condition": true}}}}"#);
            parse_status(doc.as_bytes()).unwrap().progress
        };
        assert_eq!(
            blank(
                r#"[{"level": "error", "summary": "disk full"}, {"level": "error", "summary": " "}]"#
            ),
            Progress::Failed("disk full".into())
        );
        assert_eq!(
            blank(r#"[{"level": "error", "summary": ""}]"#),
            Progress::Failed("the server reported an error condition but logged no reason".into())
        );
    }

    #[test]
    fn wrong_shapes_are_protocol_errors() {
        for bad in [
            &b"not json"[..],
            br#"{"search_result": "x"}"#,
            br#"{"search_result": {"error_condition": "yes"}}"#,
        ] {
            assert_eq!(
                parse_status(bad).unwrap_err().status,
                crate::error::Status::AURORAX_ERR_PROTOCOL
            );
        }
    }
}
