//! Where and how a search talks to the API, as a value: each search takes the settings it is
//! started with, so two searches in one program may use two servers or two keys.

use crate::config;
use crate::error::{Error, Result};
use crate::trust::CaBundle;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// A week: the longest outage tolerance accepted, as for `aurorax_set_outage_tolerance`.
const MAX_OUTAGE_TOLERANCE: Duration = Duration::from_secs(7 * 86_400);
/// A day: the longest poll interval or request timeout accepted.
const MAX_INTERVAL: Duration = Duration::from_secs(86_400);

/// Settings for the searches started with them: API URL and key, poll interval, request
/// timeout, retries, result cap, CA bundle and outage tolerance.
///
/// Built from the defaults ([`Settings::default`]) or the environment
/// ([`Settings::from_env`]), then changed with the `with_*` methods, each of which checks
/// its value. `Debug` never shows the API key.
///
/// ```
/// use aurorax::client::Settings;
/// use std::time::Duration;
///
/// let settings = Settings::default()
///     .with_api_url("http://127.0.0.1:8080")?
///     .with_poll_interval(Duration::from_secs(2))?;
/// assert_eq!(settings.api_url(), "http://127.0.0.1:8080");
/// # Ok::<(), aurorax::client::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Settings {
    pub(crate) inner: config::Settings,
}

impl Settings {
    /// The defaults, then the environment as the C library reads it: `AURORAX_API_URL`,
    /// `AURORAX_API_KEY`, `AURORAX_CA_BUNDLE` and `AURORAX_OUTAGE_TOLERANCE`.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT`, naming the variable, for a malformed URL or tolerance
    /// or an unusable CA bundle.
    pub fn from_env() -> Result<Settings> {
        let mut settings = Settings {
            inner: config::Settings::from_env()?,
        };
        if let Some(path) = std::env::var_os("AURORAX_CA_BUNDLE").filter(|p| !p.is_empty()) {
            settings.inner.ca_bundle = Some(Arc::new(CaBundle::load(
                "the CA bundle (AURORAX_CA_BUNDLE)",
                Path::new(&path),
            )?));
        }
        if let Ok(raw) = std::env::var("AURORAX_OUTAGE_TOLERANCE") {
            let seconds = raw.trim().parse::<f64>().unwrap_or(f64::NAN);
            settings.inner.outage_tolerance =
                outage_tolerance("the outage tolerance (AURORAX_OUTAGE_TOLERANCE)", seconds)?;
        }
        Ok(settings)
    }

    /// The process-wide settings the C ABI's `aurorax_set_*` functions change, as they
    /// stand now (their defaults come from the environment).
    pub(crate) fn process_wide() -> Result<Settings> {
        Ok(Settings {
            inner: config::current()?,
        })
    }

    /// The API's base URL, e.g. `https://api.aurorax.space` (the default) or
    /// `http://127.0.0.1:8080` for a local server.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for anything but an http(s) URL with a host and no
    /// query, fragment or user name.
    pub fn with_api_url(mut self, url: &str) -> Result<Settings> {
        self.inner.api_url = config::ApiUrl::parse(url)?;
        Ok(self)
    }

    /// The API key sent in `x-aurorax-api-key`; `None` or `""` for none. It is only ever
    /// sent over HTTPS or to a loopback host, and never appears in a message or log line.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for a key with control characters.
    pub fn with_api_key(mut self, key: Option<&str>) -> Result<Settings> {
        if key.is_some_and(|k| k.chars().any(char::is_control)) {
            return Err(Error::invalid("api_key", "contains control characters"));
        }
        let key = key.filter(|k| !k.is_empty()).map(str::to_string);
        if let Some(k) = &key {
            crate::secrets::remember(k);
        }
        self.inner.api_key = key;
        Ok(self)
    }

    /// The upper bound of the adaptive status-poll interval (default 5 s).
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` unless 0 < `interval` <= one day.
    pub fn with_poll_interval(mut self, interval: Duration) -> Result<Settings> {
        self.inner.max_poll_interval = within_a_day("poll_interval", interval)?;
        Ok(self)
    }

    /// The limit of one HTTP exchange (default 30 s); for downloads, of each wait for
    /// more data.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` unless 0 < `timeout` <= one day.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Result<Settings> {
        self.inner.request_timeout = within_a_day("request_timeout", timeout)?;
        Ok(self)
    }

    /// How many times one request is retried on a transient fault (default 6).
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` above 100.
    pub fn with_max_retries(mut self, retries: u32) -> Result<Settings> {
        if retries > 100 {
            return Err(Error::invalid(
                "max_retries",
                format!("must be in 0..=100, got {retries}"),
            ));
        }
        self.inner.max_retries = retries;
        Ok(self)
    }

    /// A result larger than this many bytes fails with `AURORAX_ERR_PROTOCOL`; `None` or
    /// `Some(0)`: no cap (the default).
    pub fn with_max_result_bytes(mut self, bytes: Option<u64>) -> Settings {
        self.inner.max_result_bytes = bytes.filter(|b| *b > 0);
        self
    }

    /// A PEM bundle of CA certificates trusted on top of the system's store; `None`
    /// removes it. The file is read and checked now.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for a missing or unreadable file, or one holding no
    /// PEM certificate.
    pub fn with_ca_bundle(mut self, pem_path: Option<&Path>) -> Result<Settings> {
        self.inner.ca_bundle = match pem_path {
            None => None,
            Some(p) => Some(Arc::new(CaBundle::load("ca_bundle", p)?)),
        };
        Ok(self)
    }

    /// How long a search the server holds survives an outage (default 600 s; zero: each
    /// request is retried `max_retries` times instead).
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` above a week.
    pub fn with_outage_tolerance(mut self, tolerance: Duration) -> Result<Settings> {
        self.inner.outage_tolerance =
            outage_tolerance("outage_tolerance", tolerance.as_secs_f64())?;
        Ok(self)
    }

    /// The API's base URL, without a trailing slash.
    pub fn api_url(&self) -> &str {
        self.inner.api_url.as_str()
    }

    /// Whether an API key is set (the key itself is never handed back).
    pub fn has_api_key(&self) -> bool {
        self.inner.api_key.is_some()
    }

    /// The upper bound of the status-poll interval.
    pub fn poll_interval(&self) -> Duration {
        self.inner.max_poll_interval
    }

    /// The limit of one HTTP exchange.
    pub fn request_timeout(&self) -> Duration {
        self.inner.request_timeout
    }

    /// Retries of one request on a transient fault.
    pub fn max_retries(&self) -> u32 {
        self.inner.max_retries
    }

    /// The result size cap, if any.
    pub fn max_result_bytes(&self) -> Option<u64> {
        self.inner.max_result_bytes
    }

    /// The added CA bundle's path, if any.
    pub fn ca_bundle(&self) -> Option<&Path> {
        self.inner.ca_bundle.as_deref().map(CaBundle::path)
    }

    /// The outage tolerance.
    pub fn outage_tolerance(&self) -> Duration {
        self.inner.outage_tolerance
    }
}

fn within_a_day(argument: &str, d: Duration) -> Result<Duration> {
    if d.is_zero() || d > MAX_INTERVAL {
        return Err(Error::invalid(
            argument,
            format!(
                "must be a number of seconds in (0, 86400], got {}",
                d.as_secs_f64()
            ),
        ));
    }
    Ok(d)
}

fn outage_tolerance(argument: &str, seconds: f64) -> Result<Duration> {
    if !seconds.is_finite() || !(0.0..=MAX_OUTAGE_TOLERANCE.as_secs_f64()).contains(&seconds) {
        return Err(Error::invalid(
            argument,
            format!("must be a number of seconds in [0, 604800] (0: count retries instead), got {seconds}"),
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Status;

    #[test]
    fn each_setting_is_checked_when_it_is_set() {
        let s = Settings::default();
        let bad = [
            s.clone().with_api_url("ftp://x").unwrap_err(),
            s.clone().with_api_key(Some("a\nb")).unwrap_err(),
            s.clone().with_poll_interval(Duration::ZERO).unwrap_err(),
            s.clone()
                .with_request_timeout(Duration::from_secs(86_401))
                .unwrap_err(),
            s.clone().with_max_retries(101).unwrap_err(),
            s.clone()
                .with_ca_bundle(Some(Path::new("/no/such/bundle.pem")))
                .unwrap_err(),
            s.clone()
                .with_outage_tolerance(Duration::from_secs(8 * 86_400))
                .unwrap_err(),
        ];
        for e in bad {
            assert_eq!(e.status, Status::AURORAX_ERR_INVALID_ARGUMENT, "{e}");
        }
        let s = s
            .with_api_key(Some("sekrit-key"))
            .unwrap()
            .with_max_result_bytes(Some(0));
        assert!(s.has_api_key());
        assert_eq!(s.max_result_bytes(), None);
        assert!(!format!("{s:?}").contains("sekrit"));
    }
}
