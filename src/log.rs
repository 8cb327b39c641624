//! Diagnostics: one line per step of a search (submitted, polled, retried, downloaded,
//! failed), off unless asked for. `AURORAX_LOG=error|warn|info|debug` sets the level at
//! first use; `aurorax_set_log_level` changes it; lines go to stderr unless a sink (the C
//! callback) takes them. No line ever holds the API key: nothing that is logged is built
//! from it.

use once_cell::sync::Lazy;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, RwLock};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error = 0,
    Warn = 1,
    Info = 2,
    Debug = 3,
}

pub(crate) const OFF: i32 = -1;

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Info => "info",
            Level::Debug => "debug",
        }
    }

    fn from_env_text(text: &str) -> Option<i32> {
        match text.trim().to_ascii_lowercase().as_str() {
            "error" | "0" => Some(Level::Error as i32),
            "warn" | "warning" | "1" => Some(Level::Warn as i32),
            "info" | "2" => Some(Level::Info as i32),
            "debug" | "3" | "trace" => Some(Level::Debug as i32),
            "off" | "none" | "-1" | "" => Some(OFF),
            _ => None,
        }
    }
}

pub type Sink = Arc<dyn Fn(Level, &str) + Send + Sync>;

static LEVEL: Lazy<AtomicI32> = Lazy::new(|| {
    let level = std::env::var("AURORAX_LOG")
        .ok()
        .and_then(|v| Level::from_env_text(&v))
        .unwrap_or(OFF);
    AtomicI32::new(level)
});
static SINK: RwLock<Option<Sink>> = RwLock::new(None);

/// -1 (off) to 3 (debug); anything else is refused.
pub fn set_level(level: i32) -> Result<(), crate::error::Error> {
    if !(OFF..=Level::Debug as i32).contains(&level) {
        return Err(crate::error::Error::invalid(
            "level",
            format!("must be -1 (off), 0 (error), 1 (warn), 2 (info) or 3 (debug), got {level}"),
        ));
    }
    LEVEL.store(level, Ordering::Relaxed);
    Ok(())
}

/// `None` restores stderr.
pub fn set_sink(sink: Option<Sink>) {
    *SINK.write().unwrap_or_else(|e| e.into_inner()) = sink;
}

pub fn enabled(level: Level) -> bool {
    level as i32 <= LEVEL.load(Ordering::Relaxed)
}

pub fn emit(level: Level, line: &str) {
    let line = &*crate::secrets::redact(line);
    let sink = SINK.read().unwrap_or_else(|e| e.into_inner()).clone();
    match sink {
        Some(sink) => sink(level, line),
        None => eprintln!("aurorax {}: {line}", level.name()),
    }
}

/// Formats only when the level is on.
macro_rules! log_at {
    ($level:expr, $($arg:tt)*) => {
        if $crate::log::enabled($level) {
            $crate::log::emit($level, &format!($($arg)*));
        }
    };
}
pub(crate) use log_at;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_spellings_map_to_levels() {
        assert_eq!(Level::from_env_text("INFO"), Some(2));
        assert_eq!(Level::from_env_text(" debug "), Some(3));
        assert_eq!(Level::from_env_text("off"), Some(OFF));
        assert_eq!(Level::from_env_text("loud"), None);
    }

    #[test]
    fn out_of_range_levels_are_refused() {
        assert!(set_level(4).is_err());
        assert!(set_level(-2).is_err());
    }
}
