//! Turning an unsuccessful HTTP answer into an error a scientist can act on.

use crate::error::{server_text, Error, Status, SERVER_TEXT_CHARS};
use serde_json::Value;

/// How much of an unparseable error body goes into a message.
const RAW_BODY_EXCERPT: usize = 300;

/// Worth retrying: the server (or a proxy) was briefly unable, not unwilling.
pub fn is_transient_http(code: u16) -> bool {
    code == 429 || (500..=599).contains(&code)
}

/// The status a final (non-retried or retries exhausted) HTTP failure maps to.
pub fn error_for_response(code: u16, body: &[u8]) -> Error {
    let detail = error_detail(body);
    let maintenance = code == 503 && detail.to_ascii_lowercase().contains("maintenance mode");
    let status = match code {
        401 | 403 => Status::AURORAX_ERR_UNAUTHORIZED,
        503 if maintenance => Status::AURORAX_ERR_MAINTENANCE,
        _ => Status::AURORAX_ERR_API,
    };
    let reason = match code {
        401 => "not authorized (check the API key)",
        403 => "forbidden",
        404 => "not found (unknown request id, or the result has expired)",
        429 => "too many requests",
        502 => "bad gateway",
        503 if maintenance => "the API is in maintenance mode",
        503 => "service unavailable",
        _ => "request refused",
    };
    let message = if detail.is_empty() {
        format!("HTTP {code}: {reason}")
    } else {
        format!("HTTP {code}: {reason}: {detail}")
    };
    Error::new(status, message).with_http_status(code)
}

/// The API's own words: `error_message` (its ErrorDocument), `detail` (FastAPI style), the
/// data envelope's `error`, or an excerpt of the raw text; quoted with `server_text`.
pub fn error_detail(body: &[u8]) -> String {
    let words = api_words(body);
    let limit = if words.from_document {
        SERVER_TEXT_CHARS
    } else {
        RAW_BODY_EXCERPT
    };
    server_text(&words.text, limit)
}

struct Words {
    text: String,
    /// From a JSON error document rather than raw text (which gets a shorter excerpt).
    from_document: bool,
}

fn api_words(body: &[u8]) -> Words {
    let document = |text: String| Words {
        text,
        from_document: true,
    };
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        let from_document = |doc: &Value| -> Option<String> {
            let message = doc.get("error_message").and_then(Value::as_str)?;
            Some(match doc.get("error_code").and_then(Value::as_str) {
                Some(code) => format!("{code}: {message}"),
                None => message.to_string(),
            })
        };
        if let Some(m) = from_document(&v).or_else(|| v.get("error").and_then(from_document)) {
            return document(m);
        }
        if let Some(d) = v.get("detail") {
            return document(
                d.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| d.to_string()),
            );
        }
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    Words {
        // an HTML error page says nothing the status code does not
        text: if text.starts_with('<') {
            String::new()
        } else {
            text.to_string()
        },
        from_document: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maintenance_503_is_its_own_status_with_the_servers_words() {
        let e = error_for_response(
            503,
            br#"{"error_code":"Unavailable","error_message":"The API is in maintenance mode"}"#,
        );
        assert_eq!(e.status, Status::AURORAX_ERR_MAINTENANCE);
        assert!(
            e.message
                .contains("Unavailable: The API is in maintenance mode"),
            "{}",
            e.message
        );
        assert_eq!(
            error_for_response(503, b"busy").status,
            Status::AURORAX_ERR_API
        );
    }

    #[test]
    fn auth_failures_and_html_pages_are_mapped() {
        assert_eq!(
            error_for_response(401, b"{}").status,
            Status::AURORAX_ERR_UNAUTHORIZED
        );
        assert_eq!(
            error_for_response(502, b"<html><body>Bad Gateway</body></html>").message,
            "HTTP 502: bad gateway"
        );
        let e = error_for_response(
            400,
            br#"{"error_code":"ApplicationError","error_message":"start: bad timestamp"}"#,
        );
        assert_eq!(
            e.message,
            "HTTP 400: request refused: ApplicationError: start: bad timestamp"
        );
    }
}
