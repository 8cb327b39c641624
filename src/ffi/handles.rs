//! Search handles as C sees them. A handle is a key into a registry, never a pointer the
//! library dereferences: a freed, forged or stale handle is found missing and reported as
//! `AURORAX_ERR_INVALID_ARGUMENT`, never undefined behaviour. Keys are never reused.

use super::last_error::to_cstring;
use crate::error::{Error, Result};
use crate::search::Search;
use once_cell::sync::Lazy;
use std::collections::HashMap;
use std::ffi::{c_char, CString};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

/// An asynchronous AuroraX search. Opaque: create it with one of the
/// `aurorax_*_search_async` functions, release it with `aurorax_free`.
#[allow(non_camel_case_types)]
pub struct aurorax_search_t {
    _opaque: [u8; 0],
}

/// The search plus the C strings handed out for it, which live as long as the handle.
pub struct Handle {
    pub search: Arc<Search>,
    request_id: OnceLock<CString>,
    request_url: OnceLock<CString>,
    error: OnceLock<CString>,
    status: Mutex<Option<CString>>,
    logs: Mutex<Option<CString>>,
}

// Spaced and offset so small integers and typical pointers are never valid handles.
const FIRST_KEY: usize = 0x4155_0000;
const KEY_STRIDE: usize = 16;
static NEXT_KEY: AtomicUsize = AtomicUsize::new(FIRST_KEY);
static REGISTRY: Lazy<RwLock<HashMap<usize, Arc<Handle>>>> = Lazy::new(|| RwLock::new(HashMap::new()));

pub fn register(search: Arc<Search>) -> *mut aurorax_search_t {
    let key = NEXT_KEY.fetch_add(KEY_STRIDE, Ordering::Relaxed);
    let handle = Handle {
        search,
        request_id: OnceLock::new(),
        request_url: OnceLock::new(),
        error: OnceLock::new(),
        status: Mutex::new(None),
        logs: Mutex::new(None),
    };
    REGISTRY.write().unwrap_or_else(|e| e.into_inner()).insert(key, Arc::new(handle));
    key as *mut aurorax_search_t
}

pub fn lookup(s: *mut aurorax_search_t) -> Result<Arc<Handle>> {
    if s.is_null() {
        return Err(Error::invalid("s", "is NULL"));
    }
    REGISTRY
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(&(s as usize))
        .cloned()
        .ok_or_else(|| Error::invalid("s", "is not a live search handle (already freed, or never created by libaurorax)"))
}

pub fn remove(s: *mut aurorax_search_t) -> Option<Arc<Handle>> {
    REGISTRY.write().unwrap_or_else(|e| e.into_inner()).remove(&(s as usize))
}

impl Handle {
    pub fn request_id(&self) -> *const c_char {
        once_text(&self.request_id, || self.search.request_id())
    }

    pub fn request_url(&self) -> *const c_char {
        once_text(&self.request_url, || self.search.request_url())
    }

    pub fn error(&self) -> *const c_char {
        once_text(&self.error, || self.search.error().map(|e| e.to_string()))
    }

    /// Valid until the next call for the same text on this handle; an unchanged text keeps
    /// its pointer, so a reader on another thread is not pulled from under.
    pub fn status(&self) -> Option<*const c_char> {
        latest_text(&self.status, self.search.status_json()?)
    }

    pub fn logs(&self) -> *const c_char {
        latest_text(&self.logs, self.search.logs_json()).unwrap_or(std::ptr::null())
    }
}

/// Texts that never change once known: cached on first sight, NULL before.
fn once_text(cell: &OnceLock<CString>, source: impl FnOnce() -> Option<String>) -> *const c_char {
    if let Some(c) = cell.get() {
        return c.as_ptr();
    }
    match source() {
        Some(text) => cell.get_or_init(|| to_cstring(&text)).as_ptr(),
        None => std::ptr::null(),
    }
}

fn latest_text(slot: &Mutex<Option<CString>>, text: String) -> Option<*const c_char> {
    let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
    if slot.as_ref().map(|c| c.as_bytes()) != Some(text.as_bytes()) {
        *slot = Some(to_cstring(&text));
    }
    slot.as_ref().map(|c| c.as_ptr())
}
