//! Process-wide settings, captured by each search when it is created (like the seed's
//! module-level settings): changing them later affects only searches created afterwards.

use crate::error::{Error, Result};
use crate::trust::CaBundle;
use once_cell::sync::Lazy;
use std::fmt;
use std::sync::RwLock;
use std::time::Duration;

pub const DEFAULT_API_URL: &str = "https://api.aurorax.space";
pub const DEFAULT_MAX_POLL_INTERVAL: Duration = Duration::from_secs(5);
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
pub(crate) const DEFAULT_MAX_RETRIES: u32 = 6;
pub const DEFAULT_OUTAGE_TOLERANCE: Duration = Duration::from_secs(600);
pub(crate) const DEFAULT_SPOOL_THRESHOLD: u64 = 256 << 20;
/// A week: no search runs longer, and a bound keeps every wait finite.
const MAX_OUTAGE_TOLERANCE_SECONDS: f64 = 7.0 * 86_400.0;

/// Where and how searches talk to the API. `Debug` never shows the key.
#[derive(Clone, PartialEq)]
pub struct Settings {
    /// Where the API is, e.g. `https://api.aurorax.space`.
    pub api_url: ApiUrl,
    pub api_key: Option<String>,
    /// Upper bound of the adaptive status-poll interval.
    pub max_poll_interval: Duration,
    /// Limit for one HTTP exchange; for downloads, for each wait on the next chunk.
    pub request_timeout: Duration,
    /// Retries of one request on transient faults before the search fails.
    pub max_retries: u32,
    /// A result larger than this fails with `AURORAX_ERR_PROTOCOL`; `None`: no cap beyond
    /// what memory allows.
    pub max_result_bytes: Option<u64>,
    /// Certificates trusted on top of the system's store.
    pub ca_bundle: Option<std::sync::Arc<CaBundle>>,
    /// While the server holds a search, its failed requests are retried until none has
    /// succeeded for this long; zero keeps the v2 rule (`max_retries` per request).
    pub outage_tolerance: Duration,
    /// Results larger than this many bytes are spooled to an unlinked file and mapped;
    /// `None`: always in memory.
    pub spool_threshold: Option<u64>,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("api_url", &self.api_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("max_poll_interval", &self.max_poll_interval)
            .field("request_timeout", &self.request_timeout)
            .field("max_retries", &self.max_retries)
            .field("max_result_bytes", &self.max_result_bytes)
            .field("ca_bundle", &self.ca_bundle.as_ref().map(|b| b.path()))
            .field("outage_tolerance", &self.outage_tolerance)
            .field("spool_threshold", &self.spool_threshold)
            .finish()
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            api_url: ApiUrl::parse(DEFAULT_API_URL).expect("the default API URL is valid"),
            api_key: None,
            max_poll_interval: DEFAULT_MAX_POLL_INTERVAL,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            max_result_bytes: None,
            ca_bundle: None,
            outage_tolerance: DEFAULT_OUTAGE_TOLERANCE,
            spool_threshold: Some(DEFAULT_SPOOL_THRESHOLD),
        }
    }
}

impl Settings {
    /// Defaults, overridden by `AURORAX_API_URL` and `AURORAX_API_KEY`. A malformed
    /// `AURORAX_API_URL` is an error naming it, so searches refuse to start rather than
    /// silently search the production API instead.
    pub fn from_env() -> Result<Settings> {
        let mut settings = Settings {
            api_key: key_from_env(),
            ..Settings::default()
        };
        if let Ok(raw) = std::env::var("AURORAX_API_URL") {
            settings.api_url = ApiUrl::parse(&raw)
                .map_err(|e| Error::invalid("the API URL (AURORAX_API_URL)", e.message))?;
        }
        Ok(settings)
    }

    /// The key may travel only where nobody between us and the server can read it.
    pub fn key_may_be_sent(&self) -> bool {
        self.api_url.is_secure_or_loopback()
    }

    /// Refuses settings no search may start with: an API key bound for a plain-HTTP,
    /// non-loopback URL.
    pub fn check(&self) -> Result<()> {
        if self.api_key.is_some() && !self.key_may_be_sent() {
            return Err(Error::invalid(
                "api_key",
                format!(
                    "refusing to send the API key over plain HTTP to {}; use https or a loopback host",
                    self.api_url
                ),
            ));
        }
        Ok(())
    }
}

/// `AURORAX_CA_BUNDLE`, read and checked; an unusable one is an error naming it, so searches
/// refuse to start rather than fail later at a handshake.
fn ca_bundle_from_env() -> Result<Option<std::sync::Arc<CaBundle>>> {
    match std::env::var_os("AURORAX_CA_BUNDLE") {
        Some(path) if !path.is_empty() => Ok(Some(std::sync::Arc::new(CaBundle::load(
            "the CA bundle (AURORAX_CA_BUNDLE)",
            std::path::Path::new(&path),
        )?))),
        _ => Ok(None),
    }
}

fn key_from_env() -> Option<String> {
    let key = std::env::var("AURORAX_API_KEY")
        .ok()
        .filter(|k| !k.is_empty())?;
    crate::secrets::remember(&key);
    Some(key)
}

/// The API's base URL, checked once: http or https, a host, no query, fragment or user
/// name, no trailing slash (so paths can be appended).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiUrl(String);

impl ApiUrl {
    pub fn parse(raw: &str) -> Result<ApiUrl> {
        let trimmed = raw.trim();
        let parsed = url::Url::parse(trimmed)
            .map_err(|e| Error::invalid("base_url", format!("'{trimmed}' is not a URL ({e})")))?;
        if parsed.scheme() != "http" && parsed.scheme() != "https" {
            return Err(Error::invalid(
                "base_url",
                format!("scheme must be http or https, not '{}'", parsed.scheme()),
            ));
        }
        let Some(host) = parsed.host_str() else {
            return Err(Error::invalid("base_url", "has no host"));
        };
        // DNS limits: checked here, or the URL would be refused only when a search starts
        if host.len() > 253 || host.split('.').any(|label| label.len() > 63) {
            return Err(Error::invalid(
                "base_url",
                "has a host name longer than DNS allows (253 characters, 63 per label)",
            ));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() || !parsed.username().is_empty()
        {
            return Err(Error::invalid(
                "base_url",
                "must not carry a query, fragment or user name",
            ));
        }
        Ok(ApiUrl(parsed.as_str().trim_end_matches('/').to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `base` + `path` (which starts with '/').
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    pub fn is_secure_or_loopback(&self) -> bool {
        url::Url::parse(&self.0)
            .map(|u| is_secure_or_loopback(&u))
            .unwrap_or(false)
    }
}

impl fmt::Display for ApiUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// True for `https` URLs and for any URL whose host is this machine.
pub fn is_secure_or_loopback(url: &url::Url) -> bool {
    url.scheme() == "https" || is_loopback(url)
}

/// The one test of "this machine": `localhost`, 127.0.0.0/8 and ::1. Not `*.localhost`:
/// RFC 6761 asks resolvers to send those to loopback, but glibc asks DNS, which may answer
/// anything, and the key must not follow such an answer in clear text.
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The process-wide settings, and why searches may not start yet: a malformed
/// `AURORAX_API_URL` until `aurorax_set_api_url` replaces it, an unusable
/// `AURORAX_CA_BUNDLE` until `aurorax_set_ca_bundle` does, a malformed
/// `AURORAX_OUTAGE_TOLERANCE` until `aurorax_set_outage_tolerance` does.
struct Configured {
    settings: Settings,
    refused_url: Option<Error>,
    refused_bundle: Option<Error>,
    refused_tolerance: Option<Error>,
}

fn outage_tolerance_from_env() -> Result<Duration> {
    match std::env::var("AURORAX_OUTAGE_TOLERANCE") {
        Ok(raw) => outage_tolerance(
            "the outage tolerance (AURORAX_OUTAGE_TOLERANCE)",
            raw.trim().parse::<f64>().unwrap_or(f64::NAN),
        ),
        Err(_) => Ok(DEFAULT_OUTAGE_TOLERANCE),
    }
}

static SETTINGS: Lazy<RwLock<Configured>> = Lazy::new(|| {
    let (settings, refused_url) = match Settings::from_env() {
        Ok(settings) => (settings, None),
        Err(e) => (
            Settings {
                api_key: key_from_env(),
                ..Settings::default()
            },
            Some(e),
        ),
    };
    let (ca_bundle, refused_bundle) = match ca_bundle_from_env() {
        Ok(b) => (b, None),
        Err(e) => (None, Some(e)),
    };
    let (outage_tolerance, refused_tolerance) = match outage_tolerance_from_env() {
        Ok(d) => (d, None),
        Err(e) => (DEFAULT_OUTAGE_TOLERANCE, Some(e)),
    };
    RwLock::new(Configured {
        settings: Settings {
            ca_bundle,
            outage_tolerance,
            ..settings
        },
        refused_url,
        refused_bundle,
        refused_tolerance,
    })
});

/// A copy of the current settings, as a new search captures them; an error if no search
/// may start with them.
pub fn current() -> Result<Settings> {
    let configured = SETTINGS.read().unwrap_or_else(|e| e.into_inner());
    if let Some(e) = [
        &configured.refused_url,
        &configured.refused_bundle,
        &configured.refused_tolerance,
    ]
    .into_iter()
    .find_map(Option::as_ref)
    {
        return Err(e.clone());
    }
    configured.settings.check()?;
    Ok(configured.settings.clone())
}

fn update(change: impl FnOnce(&mut Settings)) {
    change(&mut SETTINGS.write().unwrap_or_else(|e| e.into_inner()).settings);
}

pub fn set_api_url(raw: &str) -> Result<()> {
    let url = ApiUrl::parse(raw)?;
    let mut configured = SETTINGS.write().unwrap_or_else(|e| e.into_inner());
    configured.settings.api_url = url;
    configured.refused_url = None;
    Ok(())
}

/// Adds the certificates of a PEM file to the system's store for searches created from now
/// on; `None` removes it. The file is read and checked now.
pub fn set_ca_bundle(path: Option<&str>) -> Result<()> {
    let bundle = match path {
        None => None,
        Some("") => {
            return Err(Error::invalid(
                "pem_path",
                "is empty (NULL removes the bundle)",
            ))
        }
        Some(p) => Some(std::sync::Arc::new(CaBundle::load(
            "pem_path",
            std::path::Path::new(p),
        )?)),
    };
    let mut configured = SETTINGS.write().unwrap_or_else(|e| e.into_inner());
    configured.settings.ca_bundle = bundle;
    configured.refused_bundle = None;
    Ok(())
}

/// `None` or an empty key clears it: searches are then anonymous.
pub fn set_api_key(key: Option<&str>) -> Result<()> {
    if let Some(k) = key {
        if k.chars().any(|c| c.is_control()) {
            return Err(Error::invalid("api_key", "contains control characters"));
        }
    }
    let key = key.filter(|k| !k.is_empty()).map(str::to_string);
    if let Some(k) = &key {
        crate::secrets::remember(k);
    }
    update(|s| s.api_key = key);
    Ok(())
}

fn positive_seconds(argument: &str, seconds: f64) -> Result<Duration> {
    if !seconds.is_finite() || seconds <= 0.0 || seconds > 86_400.0 {
        return Err(Error::invalid(
            argument,
            format!("must be a number of seconds in (0, 86400], got {seconds}"),
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

pub fn set_max_poll_interval(seconds: f64) -> Result<()> {
    let d = positive_seconds("max_seconds", seconds)?;
    update(|s| s.max_poll_interval = d);
    Ok(())
}

pub fn set_request_timeout(seconds: f64) -> Result<()> {
    let d = positive_seconds("seconds", seconds)?;
    update(|s| s.request_timeout = d);
    Ok(())
}

pub fn set_max_retries(retries: i32) -> Result<()> {
    if !(0..=100).contains(&retries) {
        return Err(Error::invalid(
            "max_retries",
            format!("must be in 0..=100, got {retries}"),
        ));
    }
    update(|s| s.max_retries = retries as u32);
    Ok(())
}

fn outage_tolerance(argument: &str, seconds: f64) -> Result<Duration> {
    if !seconds.is_finite() || !(0.0..=MAX_OUTAGE_TOLERANCE_SECONDS).contains(&seconds) {
        return Err(Error::invalid(
            argument,
            format!("must be a number of seconds in [0, 604800] (0: count retries instead), got {seconds}"),
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

pub fn set_outage_tolerance(seconds: f64) -> Result<()> {
    let d = outage_tolerance("seconds", seconds)?;
    let mut configured = SETTINGS.write().unwrap_or_else(|e| e.into_inner());
    configured.settings.outage_tolerance = d;
    configured.refused_tolerance = None;
    Ok(())
}

/// `bytes <= 0`: always in memory.
pub fn set_spool_threshold(bytes: i64) -> Result<()> {
    let threshold = u64::try_from(bytes).ok().filter(|b| *b > 0);
    update(|s| s.spool_threshold = threshold);
    Ok(())
}

/// `bytes <= 0`: no cap.
pub fn set_max_result_bytes(bytes: i64) -> Result<()> {
    let cap = u64::try_from(bytes).ok().filter(|b| *b > 0);
    update(|s| s.max_result_bytes = cap);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_url_loses_trailing_slashes_and_rejects_other_schemes() {
        assert_eq!(
            ApiUrl::parse("http://127.0.0.1:8080/").unwrap().as_str(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            ApiUrl::parse("https://api.aurorax.space").unwrap().as_str(),
            "https://api.aurorax.space"
        );
        assert_eq!(
            ApiUrl::parse("ftp://x").unwrap_err().status,
            crate::error::Status::AURORAX_ERR_INVALID_ARGUMENT
        );
        assert!(ApiUrl::parse("not a url")
            .unwrap_err()
            .message
            .starts_with("base_url"));
        for host in ["a".repeat(64), format!("{}.org", "abc.".repeat(70))] {
            let e = ApiUrl::parse(&format!("https://{host}")).unwrap_err();
            assert!(
                e.message.contains("longer than DNS allows"),
                "{}",
                e.message
            );
        }
        assert!(ApiUrl::parse(&format!("https://{}.org", "a".repeat(63))).is_ok());
    }

    #[test]
    fn key_travels_only_over_https_or_to_loopback() {
        let mut s = Settings::default();
        assert!(s.key_may_be_sent());
        for (url, ok) in [
            ("http://127.0.0.1:9", true),
            ("http://localhost:9", true),
            ("http://[::1]:9", true),
            ("http://api.aurorax.space", false),
            ("http://10.0.0.1", false),
        ] {
            s.api_url = ApiUrl::parse(url).unwrap();
            assert_eq!(s.key_may_be_sent(), ok, "{url}");
        }
    }

    #[test]
    fn loopback_is_localhost_127_8_and_ipv6_one_only() {
        for (url, loopback) in [
            ("http://localhost:1", true),
            ("http://LOCALHOST", true),
            ("http://127.0.0.1", true),
            ("http://127.255.3.4:9", true),
            ("http://[::1]:9", true),
            ("http://api.localhost", false),
            ("http://localhost.example.org", false),
            ("http://128.0.0.1", false),
            ("http://[::2]", false),
        ] {
            assert_eq!(
                is_loopback(&url::Url::parse(url).unwrap()),
                loopback,
                "{url}"
            );
        }
    }

    #[test]
    fn debug_output_redacts_the_key() {
        let s = Settings {
            api_key: Some("sekrit-key".into()),
            ..Settings::default()
        };
        assert!(!format!("{s:?}").contains("sekrit"));
    }
}
