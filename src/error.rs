//! Errors shared by every layer: a status (never `AURORAX_OK`) and a message.

pub use crate::status::Status;
use std::fmt;

/// A failure with the status a caller branches on and a message a person reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub status: Status,
    pub message: String,
    /// The HTTP status of the answer that caused it, if one did.
    pub http_status: Option<u16>,
}

impl Error {
    /// An error is never `AURORAX_OK`: that would read as success at the C boundary.
    /// Its message never holds an API key, even one a server echoed back.
    pub fn new(status: Status, message: impl Into<String>) -> Error {
        let message = crate::secrets::redacted(at_most(message.into(), MAX_MESSAGE_BYTES));
        let status = if status == Status::AURORAX_OK {
            Status::AURORAX_ERR_INTERNAL
        } else {
            status
        };
        Error {
            status,
            message,
            http_status: None,
        }
    }

    pub fn with_http_status(mut self, code: u16) -> Error {
        self.http_status = Some(code);
        self
    }

    /// Bad input: the message names the argument so the caller knows what to fix.
    pub fn invalid(argument: &str, problem: impl fmt::Display) -> Error {
        Error::new(
            Status::AURORAX_ERR_INVALID_ARGUMENT,
            format!("{argument}: {problem}"),
        )
    }

    pub fn protocol(message: impl Into<String>) -> Error {
        Error::new(Status::AURORAX_ERR_PROTOCOL, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status.name(), self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Every message stays small, whatever input it quotes (a 10 MB bad argument, say): it is
/// copied per thread and per handle.
const MAX_MESSAGE_BYTES: usize = 4096;

fn at_most(mut text: String, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text;
    }
    let mut cut = max_bytes;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let rest = text.len() - cut;
    text.truncate(cut);
    push_cut_note(&mut text, rest);
    text
}

/// How a shortened text says it was shortened.
fn push_cut_note(text: &mut String, bytes_left_out: usize) {
    text.push_str(&format!("… ({bytes_left_out} more bytes)"));
}

/// How much of one piece of a server's text (a log summary, an error document) a message
/// quotes: enough for any real reason, and every copy of a message stays small.
pub(crate) const SERVER_TEXT_CHARS: usize = 1000;

/// A server's text as a message may quote it: at most `max_chars` characters, and control
/// or direction-changing characters shown as `?`, so that a hostile answer can neither
/// flood memory through the copies of a message nor rewrite the user's terminal.
pub fn server_text(text: &str, max_chars: usize) -> String {
    let mut quoted = String::with_capacity(text.len().min(max_chars * 4));
    let mut chars = text.chars();
    for c in chars.by_ref().take(max_chars) {
        quoted.push(match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '?',
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '?',
            c => c,
        });
    }
    let rest = chars.as_str().len();
    if rest > 0 {
        push_cut_note(&mut quoted, rest);
    }
    quoted
}

/// The message of a caught panic, for the error that replaces it.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_is_capped_and_cannot_steer_a_terminal() {
        let flood = "E".repeat(10 << 20);
        let quoted = server_text(&flood, SERVER_TEXT_CHARS);
        assert!(quoted.len() < 1100, "{}", quoted.len());
        assert!(quoted.ends_with(&format!("… ({} more bytes)", (10 << 20) - 1000)));
        assert_eq!(
            server_text("red \u{1b}[31m\u{202e}txt\0 line\nnext", 100),
            "red ?[31m?txt? line next"
        );
        assert_eq!(server_text("database timeout", 100), "database timeout");
    }

    #[test]
    fn a_message_quoting_a_huge_input_is_cut_on_a_character_boundary() {
        let e = Error::invalid(
            "start",
            format!("'{}' is not a timestamp", "é".repeat(5 << 20)),
        );
        assert!(
            e.message.len() < MAX_MESSAGE_BYTES + 40,
            "{}",
            e.message.len()
        );
        assert!(e.message.starts_with("start: 'éé"));
        assert!(e.message.ends_with("more bytes)"));
    }
}
