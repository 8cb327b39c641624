//! Endpoint URLs. Status, data and cancel URLs are built from the configured base URL and
//! the request id, never taken from `Location` as given: a relative or `http://` Location
//! (seen in 2021) must not misroute the API key.

use crate::config::ApiUrl;
use crate::error::{server_text, Error, Result};
use crate::query::Kind;

#[derive(Clone, Debug)]
pub struct Endpoints {
    base: ApiUrl,
    kind: Kind,
}

impl Endpoints {
    pub fn new(base: &ApiUrl, kind: Kind) -> Endpoints {
        Endpoints {
            base: base.clone(),
            kind,
        }
    }

    pub fn submit(&self) -> String {
        self.base
            .join(&format!("/api/v1/{}/search", self.kind.path_segment()))
    }

    pub fn request(&self, request_id: &str) -> String {
        self.base.join(&format!(
            "/api/v1/{}/requests/{request_id}",
            self.kind.path_segment()
        ))
    }

    pub fn data(&self, request_id: &str) -> String {
        format!("{}/data", self.request(request_id))
    }
}

/// The request id is the last path segment of the 202's `Location`.
pub fn request_id_from_location(location: &str) -> Result<String> {
    let path = location.split(['?', '#']).next().unwrap_or("");
    let path = path.trim_end_matches('/');
    let id = path.rsplit('/').next().unwrap_or("");
    let plausible = !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !plausible || !path.ends_with(&format!("/requests/{id}")) {
        return Err(Error::protocol(format!(
            "the API accepted the search but its Location header '{}' holds no request id",
            server_text(location, 200)
        )));
    }
    Ok(id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_built_from_the_base_and_the_id() {
        let e = Endpoints::new(
            &ApiUrl::parse("http://127.0.0.1:8080/").unwrap(),
            Kind::DataProducts,
        );
        assert_eq!(
            e.submit(),
            "http://127.0.0.1:8080/api/v1/data_products/search"
        );
        assert_eq!(
            e.data("abc"),
            "http://127.0.0.1:8080/api/v1/data_products/requests/abc/data"
        );
    }

    #[test]
    fn request_id_comes_from_any_location_form() {
        for loc in [
            "https://api.aurorax.space/api/v1/conjunctions/requests/0848d9bb-5308-41a5-93ba-4453bad7ec38",
            "http://api.aurorax.space/api/v1/conjunctions/requests/0848d9bb-5308-41a5-93ba-4453bad7ec38/",
            "/api/v1/conjunctions/requests/0848d9bb-5308-41a5-93ba-4453bad7ec38",
        ] {
            assert_eq!(request_id_from_location(loc).unwrap(), "0848d9bb-5308-41a5-93ba-4453bad7ec38");
        }
        for bad in [
            "",
            "https://api.aurorax.space/",
            "/api/v1/conjunctions/requests/a b",
            "https://x/requests/../etc",
        ] {
            assert!(request_id_from_location(bad).is_err(), "{bad}");
        }
    }
}
