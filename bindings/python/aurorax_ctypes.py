"""ctypes bindings over libaurorax, the way Julia's ccall or MATLAB's loadlibrary see the
ABI: plain pointers, C strings, int, double, int64. Set AURORAX_LIB to the library path.

Handles are c_void_p values; strings returned by the library are borrowed (ctypes copies
them into Python bytes), so nothing here frees a string.

Status numbers are never copied here: load() sets lib.statuses (status_namespace) from them from the library
(aurorax_status_name over a range), and AuroraXError carries the library's number in
.status, taken from the return value or aurorax_last_status(), never from message text.
"""
import ctypes
import os
import types

PHASES = {0: "SUBMITTING", 1: "RUNNING", 2: "DOWNLOADING", 3: "READY"}

_S, _H, _I, _D, _I64 = ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_double, ctypes.c_int64
# typedef void (*aurorax_log_fn)(int level, const char *line, void *user)
LOG_FN = ctypes.CFUNCTYPE(None, _I, _S, _H)

# name: (restype, argtypes), exactly as include/aurorax.h declares them
SIGNATURES = {
    "aurorax_version": (_S, []),
    "aurorax_status_name": (_S, [_I]),
    "aurorax_last_error": (_S, []),
    "aurorax_last_status": (_I, []),
    "aurorax_set_api_url": (_I, [_S]),
    "aurorax_set_api_key": (_I, [_S]),
    "aurorax_set_ca_bundle": (_I, [_S]),
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
    # v3 (design.md 2.3); aurorax_last_status and aurorax_set_ca_bundle are above
    "aurorax_set_outage_tolerance": (_I, [_D]),
    # columns: text and JSON are slices (NOT NUL-terminated), read by length with string_at
    "aurorax_get_column_f64": (_I64, [_H, _S, ctypes.POINTER(_D), _I64]),
    "aurorax_get_column_text": (_I64, [_H, _S, ctypes.POINTER(_H), ctypes.POINTER(_I64), _I64]),
    "aurorax_get_column_json": (_I64, [_H, _S, ctypes.POINTER(_H), ctypes.POINTER(_I64), _I64]),
    "aurorax_save_data": (_I, [_H, _S, _I]),
    "aurorax_set_spool_threshold": (_I, [_I64]),
}


def load(path=None):
    """The library with every function typed; path defaults to $AURORAX_LIB."""
    lib = ctypes.CDLL(path or os.environ["AURORAX_LIB"])
    for name, (restype, argtypes) in SIGNATURES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    lib.statuses = status_namespace(lib)  # lib.statuses.TIMEOUT, ... as the library numbers them
    return lib


def status_name(lib, status):
    """The library's own name for a status (no copy of the table here to drift from it)."""
    return lib.aurorax_status_name(status).decode()


def statuses(lib):
    """{name: number} of every status the library names, read from aurorax_status_name over
    a range (0 down to -255): the library is the only table of them."""
    table = {}
    for code in range(0, -256, -1):
        name = status_name(lib, code)
        if name != "AURORAX_UNKNOWN_STATUS":
            table[name] = code
    return table


def status_namespace(lib):
    """The statuses as attributes without their prefix: status_namespace(lib).SEARCH_FAILED is the
    library's number for AURORAX_ERR_SEARCH_FAILED, status_namespace(lib).OK for AURORAX_OK."""
    names = {}
    for name, code in statuses(lib).items():
        short = name[len("AURORAX_ERR_"):] if name.startswith("AURORAX_ERR_") else name[len("AURORAX_"):]
        names[short] = code
    return types.SimpleNamespace(**names)


class AuroraXError(Exception):
    """A libaurorax failure. .status is the library's number (negative) and .name its name
    as the library gives it; both come from a return value or aurorax_last_status(), never
    from the message, whose wording (a server's words included) decides nothing."""

    def __init__(self, lib, status, message):
        self.status = status
        self.name = status_name(lib, status)
        self.message = message or self.name
        super().__init__(self.message)


def last_failure(lib):
    """The error of this thread's most recent failing call (one that returned NULL or a
    status): aurorax_last_status() with aurorax_last_error(). Call it right after the call."""
    return AuroraXError(lib, lib.aurorax_last_status(), text(lib.aurorax_last_error()))


def check(lib, status, search=None):
    """status if it is not a failure (>= 0), else raises AuroraXError with that status. The
    message is the search's reason when `search` failed with this status, else this
    thread's last error when that is this status's, else the status name alone."""
    if status >= 0:
        return status
    message = None
    if search is not None and lib.aurorax_check_for_data(search) == status:
        message = text(lib.aurorax_search_error(search))
    if message is None and lib.aurorax_last_status() == status:
        message = text(lib.aurorax_last_error())
    raise AuroraXError(lib, status, message)


def started(lib, handle):
    """A new search's handle, or the failure of the call that returned NULL."""
    if handle is None:
        raise last_failure(lib)
    return handle


def wait(lib, s, timeout):
    """True when the data is in memory, False when `timeout` passed (the search goes on);
    raises AuroraXError with the search's status when it failed or was cancelled."""
    rc = lib.aurorax_wait(s, timeout)
    if rc == lib.statuses.TIMEOUT:
        return False
    check(lib, rc, s)
    return True


def get_data(lib, s):
    """The result's JSON text; raises AuroraXError (status from aurorax_last_status) when
    there is none: not ready, failed, cancelled."""
    data = lib.aurorax_get_data(s)
    if data is None:
        raise last_failure(lib)
    return text(data)


def set_ca_bundle(lib, path):
    """Trusts the CA certificates of a PEM file on top of the system's store for searches
    created from now on; None removes it. The file is read now: a missing or unreadable
    file, or one holding no PEM certificate, raises AuroraXError (AURORAX_ERR_INVALID_ARGUMENT)."""
    check(lib, lib.aurorax_set_ca_bundle(None if path is None else os.fsencode(path)))


def set_outage_tolerance(lib, seconds):
    """How long a search the server holds survives an outage, in seconds, for searches
    created from now on (default 600, or AURORAX_OUTAGE_TOLERANCE); 0 keeps the per-request
    retry count (aurorax_set_max_retries). A negative, NaN or infinite value, or one over a
    week (604800), raises AuroraXError (AURORAX_ERR_INVALID_ARGUMENT)."""
    check(lib, lib.aurorax_set_outage_tolerance(float(seconds)))


def save_data(lib, s, path, ndjson=False):
    """Writes the search's result to path: the JSON array of records, or NDJSON (one record
    per line); never a partial file. Raises AuroraXError with the status on failure."""
    check(lib, lib.aurorax_save_data(s, os.fsencode(path), 1 if ndjson else 0), s)


def set_spool_threshold(lib, nbytes):
    """Results larger than nbytes go to an unlinked, mapped temporary file (in
    AURORAX_SPOOL_DIR, else the system's), for searches created from now on; <= 0: always
    in memory. The default is 256 MiB."""
    check(lib, lib.aurorax_set_spool_threshold(int(nbytes)))


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


def _path(path):
    return path.encode("utf-8") if isinstance(path, str) else path


def column_f64(lib, s, path):
    """The records' numbers at the JSON Pointer `path` (e.g. "/min_distance") as a list of
    floats: NaN where null, missing or not a number, true/false as 1.0/0.0. Raises
    AuroraXError with the library's status (INVALID_ARGUMENT for a bad path, NOT_READY
    before the data is in, the search's own failure)."""
    p = _path(path)
    count = check(lib, lib.aurorax_get_column_f64(s, p, None, 0), s)
    out = (ctypes.c_double * max(count, 1))()
    if count:
        check(lib, lib.aurorax_get_column_f64(s, p, out, count), s)
    return list(out[:count])


def _column_slices(lib, fn, s, path, decode):
    p = _path(path)
    count = check(lib, fn(s, p, None, None, 0), s)
    values = (ctypes.c_void_p * max(count, 1))()
    lengths = (ctypes.c_int64 * max(count, 1))()
    if count:
        check(lib, fn(s, p, values, lengths, count), s)
    out = []
    for i in range(count):
        if values[i] is None:
            assert lengths[i] == -1, lengths[i]
            out.append(None)
        else:
            raw = ctypes.string_at(values[i], lengths[i])
            out.append(raw.decode("utf-8") if decode else raw)
    return out


def column_text(lib, s, path, decode=True):
    """The records' strings at `path`, unescaped (str, or bytes with decode=False); None
    where null, missing or not a string. Raises as column_f64."""
    return _column_slices(lib, lib.aurorax_get_column_text, s, path, decode)


def column_json(lib, s, path, decode=True):
    """The records' values at `path` as JSON text, each a slice of its record; None where
    missing ("" is the whole record). Raises as column_f64."""
    return _column_slices(lib, lib.aurorax_get_column_json, s, path, decode)


def wait_any(lib, searches, timeout):
    array = (ctypes.c_void_p * len(searches))(*searches)
    return lib.aurorax_wait_any(array, len(searches), timeout)
