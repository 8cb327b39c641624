//! Search handles as C sees them. A handle is a key into a registry, never a pointer the
//! library dereferences: a freed, forged or stale handle is found missing and reported as
//! `AURORAX_ERR_INVALID_ARGUMENT`, never undefined behaviour. Keys are never reused.
//!
//! The registry is read without a lock (an atomically swapped map), so `check_for_data`
//! and the progress getters stay a few atomic reads however many threads ask at once.

use super::last_error::to_cstring;
use crate::client::{Error, Result, Search};
use arc_swap::ArcSwap;
use once_cell::sync::Lazy;
use std::collections::HashMap;
use std::ffi::{c_char, CString};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// An asynchronous AuroraX search. Opaque: create it with one of the
/// `aurorax_*_search_async` functions, release it with `aurorax_free`.
#[allow(non_camel_case_types)]
pub struct aurorax_search_t {
    _opaque: [u8; 0],
}

/// The search plus the C strings handed out for it, which live as long as the handle.
pub struct Handle {
    pub search: Search,
    request_id: OnceLock<CString>,
    request_url: OnceLock<CString>,
    error: OnceLock<CString>,
    pub describe: OnceLock<CString>,
    /// Every status and log text handed out, newest last: a pointer given to one thread
    /// stays valid while another asks again (superseded texts are small and die with
    /// the handle).
    status: Mutex<Vec<CString>>,
    logs: Mutex<Vec<CString>>,
}

// Spaced and offset so small integers and typical pointers are never valid handles.
const FIRST_KEY: usize = 0x4155_0000;
const KEY_STRIDE: usize = 16;
static NEXT_KEY: AtomicUsize = AtomicUsize::new(FIRST_KEY);
type Registry = HashMap<usize, Arc<Handle>>;
static REGISTRY: Lazy<ArcSwap<Registry>> = Lazy::new(|| ArcSwap::from_pointee(HashMap::new()));
/// Writers take turns (readers never wait): each change copies the map.
static WRITERS: Mutex<()> = Mutex::new(());

fn change(edit: impl FnOnce(&mut Registry)) {
    let _turn = WRITERS.lock().unwrap_or_else(|e| e.into_inner());
    let mut map = HashMap::clone(&REGISTRY.load());
    edit(&mut map);
    REGISTRY.store(Arc::new(map));
}

pub fn register(search: Search) -> *mut aurorax_search_t {
    let key = NEXT_KEY.fetch_add(KEY_STRIDE, Ordering::Relaxed);
    let handle = Handle {
        search,
        request_id: OnceLock::new(),
        request_url: OnceLock::new(),
        error: OnceLock::new(),
        describe: OnceLock::new(),
        status: Mutex::new(Vec::new()),
        logs: Mutex::new(Vec::new()),
    };
    change(|map| {
        map.insert(key, Arc::new(handle));
    });
    key as *mut aurorax_search_t
}

fn missing(s: *mut aurorax_search_t) -> Error {
    if s.is_null() {
        Error::invalid("s", "is NULL")
    } else {
        Error::invalid(
            "s",
            "is not a live search handle (already freed, or never created by libaurorax)",
        )
    }
}

fn find<T>(s: *mut aurorax_search_t, read: impl FnOnce(&Arc<Handle>) -> Result<T>) -> Result<T> {
    match REGISTRY.load().get(&(s as usize)) {
        Some(h) if !s.is_null() => read(h),
        _ => Err(missing(s)),
    }
}

/// Runs `read` on the handle without taking a lock or a reference count.
pub fn with_handle<T>(
    s: *mut aurorax_search_t,
    read: impl FnOnce(&Handle) -> Result<T>,
) -> Result<T> {
    find(s, |h| read(h))
}

/// The handle, kept alive for a call that may block (a concurrent free then only
/// unregisters it).
pub fn lookup(s: *mut aurorax_search_t) -> Result<Arc<Handle>> {
    find(s, |h| Ok(Arc::clone(h)))
}

pub fn remove(s: *mut aurorax_search_t) -> Option<Arc<Handle>> {
    let mut removed = None;
    if REGISTRY.load().contains_key(&(s as usize)) {
        change(|map| removed = map.remove(&(s as usize)));
    }
    removed
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

    pub fn status(&self) -> Option<*const c_char> {
        Some(latest_text(&self.status, self.search.status_json()?))
    }

    pub fn logs(&self) -> *const c_char {
        latest_text(&self.logs, self.search.logs_json())
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

/// The newest text, kept beside every earlier one handed out.
fn latest_text(history: &Mutex<Vec<CString>>, text: String) -> *const c_char {
    let mut history = history.lock().unwrap_or_else(|e| e.into_inner());
    if history.last().map(|c| c.as_bytes()) != Some(text.as_bytes()) {
        history.push(to_cstring(&text));
    }
    history.last().map_or(std::ptr::null(), |c| c.as_ptr())
}
