"""ctypes bindings over libaurorax, the way Julia's ccall or MATLAB's loadlibrary see the
ABI: plain pointers, C strings, int, double, int64. Set AURORAX_LIB to the library path.

Handles are c_void_p values; strings returned by the library are borrowed (ctypes copies
them into Python bytes), so nothing here frees a string.
"""
import ctypes
import os

OK = 0
STATUS = {
    0: "AURORAX_OK", -1: "AURORAX_ERR_INVALID_ARGUMENT", -2: "AURORAX_ERR_NETWORK",
    -3: "AURORAX_ERR_API", -4: "AURORAX_ERR_UNAUTHORIZED", -5: "AURORAX_ERR_MAINTENANCE",
    -6: "AURORAX_ERR_SEARCH_FAILED", -7: "AURORAX_ERR_CANCELLED", -8: "AURORAX_ERR_TIMEOUT",
    -9: "AURORAX_ERR_NOT_READY", -10: "AURORAX_ERR_PROTOCOL", -11: "AURORAX_ERR_INTERNAL",
}

_S, _H, _I, _D, _I64 = ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_double, ctypes.c_int64

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
    def __init__(self, status, message):
        super().__init__(f"{STATUS.get(status, status)}: {message}")
        self.status = status


def text(value):
    return None if value is None else value.decode("utf-8")
