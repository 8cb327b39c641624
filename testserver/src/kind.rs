//! The three search kinds and their names in paths and payloads.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Conjunctions,
    Ephemeris,
    DataProducts,
}

impl Kind {
    /// The segment in `/api/v1/{kind}/...`.
    pub fn from_path(s: &str) -> Option<Kind> {
        match s {
            "conjunctions" => Some(Kind::Conjunctions),
            "ephemeris" => Some(Kind::Ephemeris),
            "data_products" => Some(Kind::DataProducts),
            _ => None,
        }
    }

    /// The describe endpoint spells conjunctions in the singular (aurorax-api.md §1.2).
    pub fn from_describe_path(s: &str) -> Option<Kind> {
        match s {
            "conjunction" => Some(Kind::Conjunctions),
            "ephemeris" => Some(Kind::Ephemeris),
            "data_products" => Some(Kind::DataProducts),
            _ => None,
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Kind::Conjunctions => "conjunctions",
            Kind::Ephemeris => "ephemeris",
            Kind::DataProducts => "data_products",
        }
    }

    /// `search_request.request_type` as the 2024 server reports it.
    pub fn request_type(self) -> &'static str {
        match self {
            Kind::Conjunctions => "conjunction",
            Kind::Ephemeris => "ephemeris",
            Kind::DataProducts => "data_product",
        }
    }
}
