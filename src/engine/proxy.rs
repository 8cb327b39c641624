//! Proxies from the environment, read as curl reads them (`http_proxy`, `https_proxy`,
//! `all_proxy`, `no_proxy`, upper-case too, lower-case first), with two rules of ours: a
//! loopback target never goes through a proxy, and a request that carries the API key in
//! clear text (plain HTTP) never does either — it can only be bound for loopback anyway.

use crate::config::is_loopback;
use std::net::IpAddr;
use url::Url;

#[derive(Clone, Debug, Default)]
pub struct ProxyEnv {
    http: Option<Url>,
    https: Option<Url>,
    no_proxy: Vec<String>,
}

fn var(name: &str) -> Option<String> {
    [name.to_ascii_lowercase(), name.to_ascii_uppercase()]
        .iter()
        .find_map(|n| std::env::var(n).ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// curl takes `host:port` without a scheme as an HTTP proxy.
fn proxy_url(text: &str) -> Option<Url> {
    let with_scheme = if text.contains("://") {
        text.to_string()
    } else {
        format!("http://{text}")
    };
    Url::parse(&with_scheme).ok().filter(|u| u.host().is_some())
}

impl ProxyEnv {
    pub fn from_env() -> ProxyEnv {
        ProxyEnv::from_lookup(var)
    }

    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> ProxyEnv {
        let all = lookup("all_proxy").and_then(|v| proxy_url(&v));
        ProxyEnv {
            http: lookup("http_proxy")
                .and_then(|v| proxy_url(&v))
                .or_else(|| all.clone()),
            https: lookup("https_proxy").and_then(|v| proxy_url(&v)).or(all),
            no_proxy: lookup("no_proxy")
                .map(|v| {
                    v.split(',')
                        .map(|e| {
                            e.trim()
                                .trim_start_matches("*.")
                                .trim_start_matches('.')
                                .to_ascii_lowercase()
                        })
                        .filter(|e| !e.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The proxy a request to `target` goes through, or `None` for a direct connection.
    pub fn proxy_for(&self, target: &Url) -> Option<Url> {
        if is_loopback(target) || self.excluded(target) {
            return None;
        }
        match target.scheme() {
            "https" => self.https.clone(),
            "http" => self.http.clone(),
            _ => None,
        }
    }

    fn excluded(&self, target: &Url) -> bool {
        let Some(host) = target.host_str() else {
            return true;
        };
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        self.no_proxy
            .iter()
            .any(|entry| entry == "*" || matches_entry(&host, entry))
    }
}

/// A host name matches itself and its subdomains; an address matches itself or a CIDR
/// range.
fn matches_entry(host: &str, entry: &str) -> bool {
    if let Some((net, bits)) = entry.split_once('/') {
        return match (
            host.parse::<IpAddr>(),
            net.parse::<IpAddr>(),
            bits.parse::<u32>(),
        ) {
            (Ok(h), Ok(n), Ok(b)) => in_range(h, n, b),
            _ => false,
        };
    }
    let entry = entry.trim_start_matches('[').trim_end_matches(']');
    host == entry || host.ends_with(&format!(".{entry}"))
}

fn in_range(host: IpAddr, net: IpAddr, bits: u32) -> bool {
    match (host, net) {
        (IpAddr::V4(h), IpAddr::V4(n)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(h) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(h), IpAddr::V6(n)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(h) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> ProxyEnv {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ProxyEnv::from_lookup(move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    fn url(u: &str) -> Url {
        Url::parse(u).unwrap()
    }

    #[test]
    fn loopback_is_never_proxied() {
        let e = env(&[
            ("http_proxy", "http://proxy.example:3128"),
            ("https_proxy", "proxy.example:3128"),
        ]);
        for target in [
            "http://localhost:8080/x",
            "http://127.0.0.1:9/",
            "http://127.1.2.3/",
            "http://[::1]:9/",
            "https://localhost/",
        ] {
            assert_eq!(e.proxy_for(&url(target)), None, "{target}");
        }
        assert_eq!(
            e.proxy_for(&url("http://api.example/")).unwrap().as_str(),
            "http://proxy.example:3128/"
        );
        assert_eq!(
            e.proxy_for(&url("https://api.aurorax.space/"))
                .unwrap()
                .as_str(),
            "http://proxy.example:3128/"
        );
    }

    #[test]
    fn no_proxy_takes_names_suffixes_addresses_ranges_and_star() {
        let e = env(&[
            ("https_proxy", "http://p:1"),
            (
                "no_proxy",
                "aurorax.space, .example.org,10.0.0.0/8,192.168.1.5",
            ),
        ]);
        assert_eq!(e.proxy_for(&url("https://api.aurorax.space/")), None);
        assert_eq!(e.proxy_for(&url("https://aurorax.space/")), None);
        assert_eq!(e.proxy_for(&url("https://x.example.org/")), None);
        assert_eq!(e.proxy_for(&url("https://10.2.3.4/")), None);
        assert_eq!(e.proxy_for(&url("https://192.168.1.5/")), None);
        assert!(e.proxy_for(&url("https://notaurorax.space/")).is_some());
        assert!(e.proxy_for(&url("https://11.0.0.1/")).is_some());
        let star = env(&[("https_proxy", "http://p:1"), ("no_proxy", "*")]);
        assert_eq!(star.proxy_for(&url("https://api.aurorax.space/")), None);
    }

    #[test]
    fn all_proxy_is_the_fallback_and_garbage_is_ignored() {
        let e = env(&[
            ("all_proxy", "socks5://s:1080"),
            ("http_proxy", "::not a url::"),
        ]);
        assert_eq!(
            e.proxy_for(&url("http://a.example/")).unwrap().scheme(),
            "socks5"
        );
        assert_eq!(env(&[]).proxy_for(&url("https://api.aurorax.space/")), None);
    }
}
