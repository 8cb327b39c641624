//! What the search kinds share: the time range, criteria blocks (data-source selections),
//! metadata filters, typed JSON readers and the envelope of a `_json` query object.
//! `conjunctions`, `ephemeris`, `data_products` and `discovery` are peers: each imports
//! from here and none from another, so a change to one kind cannot leak into the others.

pub mod blocks;
pub mod filters;
pub mod json;
mod object;
pub mod time;

pub use object::QueryObject;

/// The data-product types of the API's OpenAPI document (`data_product_type_filters` of a
/// search, `data_product_type` of the availability lookup).
pub const DATA_PRODUCT_TYPES: [&str; 5] = [
    "keogram",
    "montage",
    "movie",
    "summary_plot",
    "data_availability",
];
