//! The AuroraX protocol: endpoint URLs, and parsing of status, data and error responses.
//! Pure functions over bytes; the engine does the I/O.

pub mod describe;
pub mod errors;
pub mod records;
pub mod status;
pub mod urls;
