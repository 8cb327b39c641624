//! Following a request the program did not submit itself (another program, a MATLAB
//! session, the AuroraX website) by its request id: the handle then behaves as a search's.

use super::handles::aurorax_search_t;
use super::start::start;
use super::strings::required_str;
use crate::client::{Kind, Search};
use std::ffi::c_char;

fn attach(kind: Kind, request_id: *const c_char) -> *mut aurorax_search_t {
    start(|settings| {
        // SAFETY: a valid C string or NULL per the calling function's contract.
        Search::attach(settings, kind, unsafe {
            required_str("request_id", request_id)
        }?)
    })
}

/// Follows a conjunction search submitted earlier — by this program, another one, or the
/// AuroraX website — by its request id (a UUID). The id is checked locally (NULL and the
/// reason in aurorax_last_error() if malformed; nothing sent); then the handle behaves as
/// a search's: its status is fetched at once, then polled; a request the server does not
/// know ends with AURORAX_ERR_API ("not found"). aurorax_request_id is available at once.
/// Release it with aurorax_free. Thread-safe.
///
/// `request_id` is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_conjunctions_search_attach(
    request_id: *const c_char,
) -> *mut aurorax_search_t {
    attach(Kind::Conjunctions, request_id)
}

/// As aurorax_conjunctions_search_attach, for an ephemeris search.
///
/// `request_id` is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_ephemeris_search_attach(
    request_id: *const c_char,
) -> *mut aurorax_search_t {
    attach(Kind::Ephemeris, request_id)
}

/// As aurorax_conjunctions_search_attach, for a data-product search.
///
/// `request_id` is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_data_products_search_attach(
    request_id: *const c_char,
) -> *mut aurorax_search_t {
    attach(Kind::DataProducts, request_id)
}
