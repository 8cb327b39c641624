//! Writing results: unchanged (the library's bytes), re-indented, minified or as NDJSON; to
//! stdout or to a file that never holds a partial result.

use crate::args::{Format, Output};
use crate::failure::Failure;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Re-lays out JSON text without parsing it into a map, so keys keep their order and numbers
/// their digits: whitespace outside strings is dropped, and with `indent` put back as a
/// pretty printer would.
pub fn relayout(json: &str, indent: Option<usize>) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 4);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = json.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        if let Some(n) = indent {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', n * depth));
        }
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            ' ' | '\n' | '\r' | '\t' => {}
            '"' => {
                in_string = true;
                out.push(c);
            }
            '[' | '{' => {
                out.push(c);
                // an empty container stays on one line
                while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
                    chars.next();
                }
                if matches!(chars.peek(), Some(']' | '}')) {
                    out.push(chars.next().unwrap_or(']'));
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            ']' | '}' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => {
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The bytes to write for a result: `data` is the JSON array of records, `records` its
/// records' texts.
pub fn render(data: &str, records: &[&str], output: &Output) -> Vec<u8> {
    match output.format {
        Format::Ndjson => {
            let mut out = Vec::with_capacity(data.len() + records.len());
            for r in records {
                if output.indent.is_some() || output.minify || r.contains(['\n', '\r']) {
                    // one record per line: never an indented one
                    out.extend_from_slice(relayout(r, None).as_bytes());
                } else {
                    out.extend_from_slice(r.as_bytes());
                }
                out.push(b'\n');
            }
            out
        }
        Format::Json if output.minify => relayout(data, None).into_bytes(),
        Format::Json => match output.indent {
            Some(n) => relayout(data, Some(n)).into_bytes(),
            None => data.as_bytes().to_vec(),
        },
    }
}

/// Writes `bytes` to `path` through a temporary name beside it, renamed when complete.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let file_name = path.file_name().ok_or_else(|| {
        Failure::invalid(format!("--outfile {}: not a file name", path.display()))
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(format!(".part-{}", std::process::id()));
    let tmp: PathBuf = path.with_file_name(tmp_name);
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&tmp, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Failure::invalid(format!("{}: cannot write ({e})", path.display()))
    })
}

/// Writes to stdout, ending with a newline; a closed pipe (`| head`) is not an error.
pub fn print(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let mut result = out.write_all(bytes);
    if result.is_ok() && !bytes.ends_with(b"\n") {
        result = out.write_all(b"\n");
    }
    match result.and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::invalid(format!("cannot write to stdout ({e})")))
        }
        _ => Ok(()),
    }
}

/// Writes a result to `path`, or stdout when there is none.
pub fn deliver(path: Option<&Path>, bytes: &[u8]) -> Result<(), Failure> {
    match path {
        Some(p) => write_file(p, bytes),
        None => print(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relayout_keeps_order_digits_and_strings() {
        let text = r#"[{"b":1.50,"a":[ ],"s":"x , y: [\"z\"]"} , {}]"#;
        assert_eq!(
            relayout(text, None),
            r#"[{"b":1.50,"a":[],"s":"x , y: [\"z\"]"},{}]"#
        );
        assert_eq!(
            relayout(text, Some(2)),
            "[\n  {\n    \"b\": 1.50,\n    \"a\": [],\n    \"s\": \"x , y: [\\\"z\\\"]\"\n  },\n  {}\n]"
        );
    }
}
