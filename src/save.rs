//! A result written to a file: the JSON array as received, or NDJSON (one record per line,
//! each record's text unchanged). Written under a temporary name beside the target and
//! renamed once complete, so the target never holds a partial result.

use crate::api::records::ResultText;
use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The bytes `aurorax_get_data` returns.
    JsonArray,
    /// One record per line.
    Ndjson,
}

impl Format {
    /// The C ABI's number for a format: 0 the JSON array, 1 NDJSON.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for any other number.
    pub fn from_code(code: i32) -> Result<Format> {
        match code {
            0 => Ok(Format::JsonArray),
            1 => Ok(Format::Ndjson),
            other => Err(Error::invalid(
                "format",
                format!("must be 0 (JSON array) or 1 (NDJSON), got {other}"),
            )),
        }
    }
}

pub fn save(result: &ResultText, path: &Path, format: Format) -> Result<()> {
    if path.as_os_str().is_empty() {
        return Err(Error::invalid("path", "is empty"));
    }
    let temporary = temporary_beside(path);
    let written = write_all(result, &temporary, format).and_then(|()| {
        std::fs::rename(&temporary, path)
            .map_err(|e| io_error(path, "cannot move the finished file into place", &e))
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

fn write_all(result: &ResultText, temporary: &Path, format: Format) -> Result<()> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temporary)
        .map_err(|e| io_error(temporary, "cannot create", &e))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let fail = |e: std::io::Error| io_error(temporary, "cannot write", &e);
    if let Some(spool) = result.spool_file() {
        // read through the file, so a result larger than memory is not mapped in whole
        copy_from_spool(result, spool, format, &mut out).map_err(fail)?;
        let file = out.into_inner().map_err(|e| fail(e.into_error()))?;
        return file.sync_all().map_err(fail);
    }
    match format {
        Format::JsonArray => out.write_all(result.as_bytes()).map_err(fail)?,
        Format::Ndjson => {
            for i in 0..result.record_count() {
                let record = result.record(i).unwrap_or("null");
                out.write_all(record.as_bytes()).map_err(fail)?;
                out.write_all(b"\n").map_err(fail)?;
            }
        }
    }
    let file = out.into_inner().map_err(|e| fail(e.into_error()))?;
    // the bytes are on the disk before the name says the file is complete
    file.sync_all().map_err(fail)
}

fn copy_from_spool(
    result: &ResultText,
    spool: &std::fs::File,
    format: Format,
    out: &mut impl Write,
) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    let (start, records) = result.record_places();
    let mut buffer = Vec::new();
    let mut copy = |at: usize, len: usize, out: &mut dyn Write| -> std::io::Result<()> {
        let mut done = 0;
        while done < len {
            let step = (len - done).min(1 << 20);
            buffer.resize(step, 0);
            spool.read_exact_at(&mut buffer, (at + done) as u64)?;
            out.write_all(&buffer)?;
            done += step;
        }
        Ok(())
    };
    match format {
        Format::JsonArray => copy(start, result.len(), out),
        Format::Ndjson => {
            for &(at, len) in records {
                copy(at, len, out)?;
                out.write_all(b"\n")?;
            }
            Ok(())
        }
    }
}

/// `.NAME.PID-N.partial` in the target's directory: the same file system, so the rename
/// is atomic.
fn temporary_beside(path: &Path) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = path
        .file_name()
        .map_or_else(|| "result".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}-{n}.partial", std::process::id()))
}

fn io_error(path: &Path, what: &str, e: &std::io::Error) -> Error {
    Error::invalid("path", format!("{what} '{}': {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::records::RecordSplitter;

    fn result(text: &str) -> ResultText {
        let mut s = RecordSplitter::new(0);
        s.push(text.as_bytes()).unwrap();
        s.finish().unwrap()
    }

    #[test]
    fn json_and_ndjson_hold_the_records_unchanged_and_nothing_partial_stays() {
        let dir = std::env::temp_dir().join(format!("aurorax-save-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let r = result(r#"[{"a": 1,  "b": "x\ny"}, [2], null]"#);
        save(&r, &dir.join("r.json"), Format::JsonArray).unwrap();
        assert_eq!(std::fs::read(dir.join("r.json")).unwrap(), r.as_bytes());
        save(&r, &dir.join("r.ndjson"), Format::Ndjson).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("r.ndjson")).unwrap(),
            "{\"a\": 1,  \"b\": \"x\\ny\"}\n[2]\nnull\n"
        );
        let e = save(&r, &dir.join("missing/r.json"), Format::Ndjson).unwrap_err();
        assert!(e.message.contains("missing"), "{}", e.message);
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
