"""ctypes bindings over libaurorax, the way Julia's ccall or MATLAB's loadlibrary see the
ABI: plain pointers, C strings, int, double, int64. Set AURORAX_LIB to the library path.

Handles are c_void_p values; strings returned by the library are borrowed (ctypes copies
them into Python bytes), so nothing here frees a string.
"""
import ctypes
import os

OK = 0
TIMEOUT = -8
PHASES = {0: "SUBMITTING", 1: "RUNNING", 2: "DOWNLOADING", 3: "READY"}

_S, _H, _I, _D, _I64 = ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_double, ctypes.c_int64
# typedef void (*aurorax_log_fn)(int level, const char *line, void *user)
LOG_FN = ctypes.CFUNCTYPE(None, _I, _S, _H)

# name: (restype, argtypes), exactly as include/aurorax.h declares them
SIGNATURES = {
    "aurorax_version": (_S, []),
    "aurorax_status_name": (_S, [_I]),
    "aurorax_last_error": (_S, []),
    "aurorax_set_api_url": (_I, [_S]),
    "aurorax_set_api_key": (_I, [_S]),
    "aurorax_set_poll_interval": (_I, [_D]),
    "aurorax_set_request_timeout": (_I, [_D]),
    "aurorax_set_max_retries": (_I, [_I]),
    "aurorax_shutdown": (None, []),
    "aurorax_conjunctions_search_async": (_H, [_S, _S, _S, _S, _D]),
    "aurorax_conjunctions_search_async_json": (_H, [_S]),
    "aurorax_ephemeris_search_async": (_H, [_S, _S, _S]),
    "aurorax_ephemeris_search_async_json": (_H, [_S]),
    "aurorax_data_products_search_async": (_H, [_S, _S, _S, _S]),
    "aurorax_data_products_search_async_json": (_H, [_S]),
    "aurorax_check_for_data": (_I, [_H]),
    "aurorax_wait": (_I, [_H, _D]),
    "aurorax_get_data": (_S, [_H]),
    "aurorax_get_data_length": (_I64, [_H]),
    "aurorax_cancel": (_I, [_H]),
    "aurorax_request_id": (_S, [_H]),
    "aurorax_request_url": (_S, [_H]),
    "aurorax_search_error": (_S, [_H]),
    "aurorax_get_status": (_S, [_H]),
    "aurorax_get_logs": (_S, [_H]),
    "aurorax_free": (None, [_H]),
    # v2 (design.md 2.1)
    "aurorax_conjunctions_search_attach": (_H, [_S]),
    "aurorax_ephemeris_search_attach": (_H, [_S]),
    "aurorax_data_products_search_attach": (_H, [_S]),
    "aurorax_data_sources_async": (_H, [_S]),
    "aurorax_ephemeris_availability_async": (_H, [_S, _S, _S]),
    "aurorax_data_products_availability_async": (_H, [_S, _S, _S]),
    "aurorax_wait_any": (_I, [ctypes.POINTER(_H), _I, _D]),
    "aurorax_get_record_count": (_I64, [_H]),
    # a slice of the data buffer, NOT NUL-terminated: a raw pointer, read with string_at
    "aurorax_get_record": (_H, [_H, _I64, ctypes.POINTER(_I64)]),
    "aurorax_describe": (_S, [_H]),
    "aurorax_get_phase": (_I, [_H]),
    "aurorax_get_bytes_received": (_I64, [_H]),
    "aurorax_get_bytes_expected": (_I64, [_H]),
    "aurorax_set_max_result_bytes": (_I, [_I64]),
    "aurorax_set_log_level": (_I, [_I]),
    "aurorax_set_log_callback": (_I, [LOG_FN, _H]),
}


def load(path=None):
    """The library with every function typed; path defaults to $AURORAX_LIB."""
    lib = ctypes.CDLL(path or os.environ["AURORAX_LIB"])
    for name, (restype, argtypes) in SIGNATURES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


class AuroraXError(Exception):
    def __init__(self, lib, status, message):
        super().__init__(f"{status_name(lib, status)}: {message}")
        self.status = status


def status_name(lib, status):
    """The library's own name for a status (no copy of the table here to drift from it)."""
    return lib.aurorax_status_name(status).decode()


def text(value):
    return None if value is None else value.decode("utf-8")


def record(lib, s, index):
    """The index-th record's JSON text, or None (bad index, no data)."""
    length = ctypes.c_int64(0)
    p = lib.aurorax_get_record(s, index, ctypes.byref(length))
    if p is None:
        assert length.value == -1, length.value
        return None
    return ctypes.string_at(p, length.value).decode("utf-8")


def wait_any(lib, searches, timeout):
    array = (ctypes.c_void_p * len(searches))(*searches)
    return lib.aurorax_wait_any(array, len(searches), timeout)
