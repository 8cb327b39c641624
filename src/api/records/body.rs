//! The body of a result as it arrives: in memory, or — past the spool threshold — in an
//! unlinked temporary file, keeping in memory only the bytes the splitter may still read
//! again (the value it is in the middle of). Offsets are always counted from the body's
//! first byte, wherever the bytes are.

use crate::error::{Error, Result};
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;

/// Where a result larger than memory should go.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SpoolPolicy {
    /// Results larger than this many bytes are spooled; `None`: always in memory.
    pub threshold: Option<u64>,
    /// The spool file's directory (`AURORAX_SPOOL_DIR`); `None`: the system's temporary one.
    pub dir: Option<PathBuf>,
}

/// Bytes leave memory for the file in steps at least this large.
const SPOOL_STEP: usize = 1 << 20;

pub struct Body {
    /// Bytes `base..base + window.len()` of the body.
    window: Vec<u8>,
    base: usize,
    spool: Option<std::fs::File>,
    policy: SpoolPolicy,
}

/// A finished body: in memory, or a spool file (the caller maps it).
pub enum Stored {
    Memory(Vec<u8>),
    Spooled(std::fs::File),
}

fn disk_error(e: &std::io::Error) -> Error {
    Error::protocol(format!(
        "the result does not fit in its spool file ({e}); set AURORAX_SPOOL_DIR to a \
         directory with room, or a larger spool threshold"
    ))
}

impl Body {
    pub fn new(capacity: usize, policy: SpoolPolicy) -> Body {
        let mut window = Vec::new();
        // Fallible: a reservation the machine refuses just means growing as bytes arrive.
        let _ = window.try_reserve_exact(capacity);
        Body {
            window,
            base: 0,
            spool: None,
            policy,
        }
    }

    /// Bytes received so far.
    pub fn len(&self) -> usize {
        self.base + self.window.len()
    }

    /// The byte at `at`, if it has arrived (and is still in memory).
    pub fn get(&self, at: usize) -> Option<u8> {
        at.checked_sub(self.base)
            .and_then(|i| self.window.get(i))
            .copied()
    }

    /// Bytes `from..to`; both still in memory (the splitter keeps what it reads again).
    pub fn slice(&self, from: usize, to: usize) -> &[u8] {
        &self.window[from - self.base..to - self.base]
    }

    /// Bytes from `from` to the end.
    pub fn tail(&self, from: usize) -> &[u8] {
        &self.window[from - self.base..]
    }

    /// Whether bytes `from..` are still in memory.
    pub fn holds(&self, from: usize) -> bool {
        from >= self.base
    }

    pub fn reserve(&mut self, more: usize) -> Result<()> {
        self.window.try_reserve(more).map_err(|_| {
            Error::protocol(format!(
                "the result does not fit in memory ({} bytes received so far)",
                self.len()
            ))
        })
    }

    pub fn extend(&mut self, chunk: &[u8]) {
        self.window.extend_from_slice(chunk);
    }

    /// The bytes before `keep_from` will not be read again: past the threshold, they go
    /// to the spool file.
    pub fn release_before(&mut self, keep_from: usize) -> Result<()> {
        let over = self.policy.threshold.is_some_and(|t| self.len() as u64 > t);
        if self.spool.is_none() && !over {
            return Ok(());
        }
        let releasable = keep_from.saturating_sub(self.base).min(self.window.len());
        if releasable < SPOOL_STEP {
            return Ok(());
        }
        if self.spool.is_none() {
            let dir = self.policy.dir.clone().unwrap_or_else(std::env::temp_dir);
            // unlinked at once: nothing is left behind if the process dies
            let file = tempfile::tempfile_in(&dir).map_err(|e| {
                Error::protocol(format!(
                    "cannot create a spool file in '{}' for a result past the spool threshold: {e}",
                    dir.display()
                ))
            })?;
            self.spool = Some(file);
        }
        let file = self.spool.as_mut().expect("created above");
        file.write_all(&self.window[..releasable])
            .map_err(|e| disk_error(&e))?;
        self.window.drain(..releasable);
        self.window.shrink_to(releasable.max(SPOOL_STEP) * 2);
        self.base += releasable;
        Ok(())
    }

    /// The whole body with a NUL at `nul_at` (replacing the byte there, or appended).
    pub fn finish(mut self, nul_at: usize) -> Result<Stored> {
        let Some(mut file) = self.spool.take() else {
            if nul_at < self.window.len() {
                self.window[nul_at] = 0;
            } else {
                self.window
                    .try_reserve(1)
                    .map_err(|_| Error::protocol("the result does not fit in memory"))?;
                self.window.push(0);
            }
            return Ok(Stored::Memory(self.window));
        };
        file.write_all(&self.window).map_err(|e| disk_error(&e))?;
        let len = self.len();
        if nul_at < len {
            file.write_all_at(&[0], nul_at as u64)
        } else {
            file.write_all(&[0])
        }
        .map_err(|e| disk_error(&e))?;
        file.flush().map_err(|e| disk_error(&e))?;
        Ok(Stored::Spooled(file))
    }
}
