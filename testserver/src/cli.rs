//! Command-line parsing for the binary (no extra crate for a handful of flags).

use crate::{Alpn, Config, TlsFiles};
use std::path::PathBuf;

pub const USAGE: &str =
    "usage: aurorax-testserver [--listen ADDR:PORT] [--api-key KEY] [--search-seconds S]\n\
  --listen          address to listen on (default 127.0.0.1:0; the chosen URL is printed first)\n\
  --api-key         the valid x-aurorax-api-key; no key is anonymous, another key gets 401\n\
  --search-seconds  how long each search runs (default 0.5)\n\
  --max-searches    how many searches to remember; older ones are forgotten (default 10000)\n\
  --tls-cert PEM    serve HTTPS with this certificate chain (with --tls-key); HTTP/2 and\n\
                    HTTP/1.1 by ALPN on the one port; the printed URL starts with https://\n\
  --tls-key PEM     the certificate's private key\n\
  --http1-only      offer only HTTP/1.1\n\
  --config JSON     apply this config object at start, as POST /_testserver/config does\n\
                    (e.g. '{\"latency\": {\"status\": 0.42}, \"bandwidth_bytes_per_second\": 400000}')\n\
  --write-test-certs DIR\n\
                    write a throwaway CA (ca.pem) and certificates signed by it for\n\
                    localhost, 127.0.0.1 and ::1 (server.pem, server.key; also expired.*,\n\
                    other-name.*, unknown-ca.*) into DIR, print DIR/ca.pem and exit\n";

pub enum Parsed {
    Run(Config),
    Help,
    WriteTestCerts(PathBuf),
}

pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Parsed, String> {
    let mut config = Config::default();
    let (mut cert, mut key) = (None, None);
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if flag == "--help" || flag == "-h" {
            return Ok(Parsed::Help);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or(format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--listen" => {
                let v = value()?;
                config.listen = v
                    .parse()
                    .map_err(|_| format!("--listen: '{v}' is not an ADDR:PORT"))?;
            }
            "--api-key" => config.api_key = Some(value()?),
            "--search-seconds" => {
                let v = value()?;
                config.search_seconds = v
                    .parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .ok_or(format!(
                        "--search-seconds: '{v}' is not a non-negative number"
                    ))?;
            }
            "--max-searches" => {
                let v = value()?;
                config.max_searches = v.parse::<usize>().ok().filter(|n| *n > 0).ok_or(format!(
                    "--max-searches: '{v}' is not a positive whole number"
                ))?;
            }
            "--tls-cert" => cert = Some(PathBuf::from(value()?)),
            "--tls-key" => key = Some(PathBuf::from(value()?)),
            "--http1-only" => config.alpn = Alpn::Http1Only,
            "--config" => {
                let v = value()?;
                let parsed: serde_json::Value =
                    serde_json::from_str(&v).map_err(|e| format!("--config: not JSON ({e})"))?;
                config.initial_config = Some(parsed);
            }
            "--write-test-certs" => return Ok(Parsed::WriteTestCerts(PathBuf::from(value()?))),
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    config.tls = match (cert, key) {
        (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
        (None, None) => None,
        _ => return Err("--tls-cert and --tls-key go together".into()),
    };
    Ok(Parsed::Run(config))
}
