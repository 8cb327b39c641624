"""Drives libaurorax through ctypes, a second FFI, exactly as Julia's ccall would: the seed
workflow, parallel searches, and hostile input. Needs AURORAX_LIB and AURORAX_TESTSERVER.
Run: python3 -m unittest -v bindings/python/test_ctypes.py"""
import ctypes
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import aurorax_ctypes as ax  # noqa: E402

GROUND = b'[{"programs": ["themis-asi"], "ephemeris_metadata_filters": [{"key": "ml_cloud_v1", "operator": "=", "values": ["not classified as cloud"]}]}]'
SPACE = b'[{"programs": ["swarm"], "ephemeris_metadata_filters": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}]'
LIB = ax.load()
S = LIB.statuses  # the library's numbers, read from aurorax_status_name (never copied here)
INVALID, API, SEARCH_FAILED, TIMEOUT, NOT_READY, PROTOCOL = (
    S.INVALID_ARGUMENT, S.API, S.SEARCH_FAILED, S.TIMEOUT, S.NOT_READY, S.PROTOCOL)
# Seconds: the bound of a wait whose end comes from the search itself; it only stops a
# wait that would otherwise hang, so a busy machine cannot break it.
UNTIL_IT_ENDS = 300.0


class CtypesAbi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lib = LIB
        cls.server = subprocess.Popen([os.environ["AURORAX_TESTSERVER"], "--listen", "127.0.0.1:0", "--search-seconds", "0.3"],
                                      stdout=subprocess.PIPE, text=True)
        cls.url = cls.server.stdout.readline().strip()
        assert cls.url.startswith("http://127.0.0.1:"), cls.url
        assert cls.lib.aurorax_set_api_url(cls.url.encode()) == S.OK

    @classmethod
    def tearDownClass(cls):
        cls.lib.aurorax_shutdown()
        cls.server.terminate()
        cls.server.wait(10)

    def admin(self, path, body):
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=UNTIL_IT_ENDS).read()

    def served_records(self, kind, request_id):
        with urllib.request.urlopen(f"{self.url}/api/v1/{kind}/requests/{request_id}/data", timeout=UNTIL_IT_ENDS) as r:
            return json.loads(r.read())["result"]

    def seed(self, start=b"2019-01-01T00:00:00", end=b"2019-12-31T23:59:59"):
        s = self.lib.aurorax_conjunctions_search_async(start, end, GROUND, SPACE, 300.0)
        self.assertIsNotNone(s, ax.text(self.lib.aurorax_last_error()))
        return s

    def test_seed_workflow_end_to_end(self):
        s = self.seed()
        deadline = time.monotonic() + UNTIL_IT_ENDS
        while self.lib.aurorax_check_for_data(s) == 0:
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        self.assertEqual(self.lib.aurorax_check_for_data(s), 1)
        records = json.loads(ax.text(self.lib.aurorax_get_data(s)))
        request_id = ax.text(self.lib.aurorax_request_id(s))
        self.assertEqual(records, self.served_records("conjunctions", request_id))
        self.assertEqual(len(records), 365)
        self.assertEqual(self.lib.aurorax_get_data_length(s), len(self.lib.aurorax_get_data(s)))
        self.lib.aurorax_free(s)

    def test_twenty_parallel_searches_each_get_their_own_records(self):
        searches = [self.seed(f"2019-02-{d:02d}T00:00:00".encode(), f"2019-03-{d:02d}T23:59:59".encode()) for d in range(1, 21)]
        for d, s in enumerate(searches, start=1):
            self.assertEqual(self.lib.aurorax_wait(s, UNTIL_IT_ENDS), S.OK, ax.text(self.lib.aurorax_search_error(s)))
            records = json.loads(ax.text(self.lib.aurorax_get_data(s)))
            self.assertEqual(records, self.served_records("conjunctions", ax.text(self.lib.aurorax_request_id(s))))
            self.assertEqual(records[0]["start"][:10], f"2019-02-{d:02d}")
            self.lib.aurorax_free(s)

    def test_null_for_every_pointer_argument_of_every_function_is_an_error(self):
        live = self.seed()
        self.assertEqual(self.lib.aurorax_wait(live, UNTIL_IT_ENDS), S.OK)
        # NULL is documented as meaning something for these (function, argument index):
        allowed = {("aurorax_set_api_key", 0): "clears the key",
                   ("aurorax_set_ca_bundle", 0): "removes the bundle",
                   ("aurorax_set_log_callback", 0): "restores stderr",
                   ("aurorax_set_log_callback", 1): "user data is passed through",
                   ("aurorax_data_sources_async", 0): "all sources",
                   ("aurorax_ephemeris_availability_async", 2): "no filter",
                   ("aurorax_data_products_availability_async", 2): "no filter"}
        checked = 0
        for name, (restype, argtypes) in ax.SIGNATURES.items():
            if name in ("aurorax_shutdown",):
                continue
            for i, t in enumerate(argtypes):
                if t not in (ctypes.c_char_p, ctypes.c_void_p) and not hasattr(t, "_type_") and t is not ax.LOG_FN:
                    continue
                if t in (ctypes.c_int, ctypes.c_double, ctypes.c_int64):
                    continue
                args = []
                length = ctypes.c_int64(0)
                for j, a in enumerate(argtypes):
                    if j == i:
                        args.append(ax.LOG_FN() if a is ax.LOG_FN else None)  # a NULL function pointer
                    elif a is ctypes.c_char_p:
                        if "column" in name:
                            args.append(b"/start")  # a good path: only the NULL is wrong
                        elif "availability" in name and j < 2:
                            args.append(b"2020-01-01" if j == 0 else b"2020-01-02")
                        elif "attach" in name:
                            args.append(b"0b6a8a0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b")
                        else:
                            args.append(b"2019-01-01T00:00:00" if "search_async" in name and j < 2 else b"[]")
                    elif a is ctypes.c_void_p:
                        args.append(live)
                    elif a is ax.LOG_FN:
                        args.append(ax.LOG_FN())
                    elif a is ctypes.POINTER(ctypes.c_int64):
                        args.append(ctypes.byref(length))
                    elif a is ctypes.POINTER(ctypes.c_void_p):
                        args.append((ctypes.c_void_p * 1)(live))
                    elif a is ctypes.POINTER(ctypes.c_double):
                        args.append((ctypes.c_double * 1)())
                    elif a is ctypes.c_double:
                        args.append(1.0)
                    else:
                        args.append(0 if name == "aurorax_get_record" else 1)
                result = getattr(self.lib, name)(*args)
                checked += 1
                if (name, i) in allowed:
                    if restype is ctypes.c_int:
                        self.assertEqual(result, S.OK, f"{name}: {allowed[(name, i)]}")
                    else:
                        self.assertIsNotNone(result, f"{name}: {allowed[(name, i)]}")
                        self.lib.aurorax_free(result)
                elif restype is ctypes.c_int or restype is ctypes.c_int64:
                    self.assertEqual(result, INVALID, f"{name} with NULL argument {i + 1}")
                elif restype is not None:
                    self.assertIsNone(result, f"{name} with NULL argument {i + 1}")
        self.assertGreater(checked, 40)
        self.assertEqual(self.lib.aurorax_check_for_data(live), 1, "the live handle survived all that")
        self.lib.aurorax_free(live)

    def test_invalid_utf8_huge_strings_and_bad_numbers_are_refused(self):
        lib = self.lib
        self.assertIsNone(lib.aurorax_conjunctions_search_async(b"2019-01-01T00:00:00\xff", b"2019-01-02T00:00:00", GROUND, SPACE, 1.0))
        self.assertIn("UTF-8", ax.text(lib.aurorax_last_error()))
        huge = b"[" + b",".join([b'{"programs": ["swarm"]}'] * 450_000) + b"]"
        self.assertGreater(len(huge), 10_000_000)
        self.assertIsNone(lib.aurorax_conjunctions_search_async(b"2019-01-01T00:00:00", b"2019-01-02T00:00:00", GROUND, huge, 1.0))
        self.assertIn("at most 10", ax.text(lib.aurorax_last_error()))
        self.assertIsNone(lib.aurorax_ephemeris_search_async_json(b"{" * 5_000_000))
        for bad in (math.nan, math.inf, -1.0, 0.0):
            self.assertIsNone(lib.aurorax_conjunctions_search_async(b"2019-01-01T00:00:00", b"2019-01-02T00:00:00", GROUND, SPACE, bad))
        self.assertEqual(lib.aurorax_set_poll_interval(math.nan), INVALID)
        self.assertEqual(lib.aurorax_set_request_timeout(-3.0), INVALID)
        self.assertEqual(lib.aurorax_status_name(12345), b"AURORAX_UNKNOWN_STATUS")

    def test_a_handle_stays_usable_after_an_error(self):
        self.admin("/_testserver/searches", {"outcome": "fail", "count": 1, "message": "Search failed: arranged by ctypes"})
        s = self.seed()
        self.assertEqual(self.lib.aurorax_wait(s, UNTIL_IT_ENDS), SEARCH_FAILED)
        for _ in range(3):
            self.assertEqual(self.lib.aurorax_check_for_data(s), SEARCH_FAILED)
            self.assertIsNone(self.lib.aurorax_get_data(s))
            self.assertIn("arranged by ctypes", ax.text(self.lib.aurorax_search_error(s)))
            self.assertIsNotNone(self.lib.aurorax_request_id(s))
            json.loads(ax.text(self.lib.aurorax_get_logs(s)))
        self.assertEqual(self.lib.aurorax_cancel(s), S.OK)
        self.assertEqual(self.lib.aurorax_wait(s, -1.0), SEARCH_FAILED)
        self.assertEqual(self.lib.aurorax_wait(s, math.nan), INVALID)
        self.lib.aurorax_free(s)

    def test_freed_and_forged_handles_are_errors_not_crashes(self):
        s = self.seed()
        self.lib.aurorax_free(s)
        for h in (s, 0xDEADBEEF, 1, 2**63 - 1):
            self.assertEqual(self.lib.aurorax_check_for_data(h), INVALID)
            self.assertEqual(self.lib.aurorax_wait(h, 0.01), INVALID)
            self.assertIsNone(self.lib.aurorax_get_data(h))
            self.assertIsNone(self.lib.aurorax_get_status(h))
            self.assertEqual(self.lib.aurorax_cancel(h), INVALID)
            self.lib.aurorax_free(h)
        self.assertIn("not a live search handle", ax.text(self.lib.aurorax_last_error()))

    def test_wait_timeout_leaves_the_search_running(self):
        s = self.lib.aurorax_ephemeris_search_async(b"2019-01-01T00:00:00", b"2019-01-10T00:00:00", b'{"programs": ["swarm"]}')
        self.assertEqual(self.lib.aurorax_wait(s, 0.01), TIMEOUT)
        self.assertEqual(self.lib.aurorax_wait(s, UNTIL_IT_ENDS), S.OK)
        self.lib.aurorax_free(s)

    # ---- v2 (design.md 2.1) ------------------------------------------------------------

    def submitted(self, s):
        deadline = time.monotonic() + UNTIL_IT_ENDS  # ends a loop that would otherwise never end
        while self.lib.aurorax_request_id(s) is None:
            self.assertLess(time.monotonic(), deadline, "no request id before the hang bound")
            time.sleep(0.02)
        return ax.text(self.lib.aurorax_request_id(s))

    def test_status_names_come_from_the_library(self):
        table = ax.statuses(self.lib)
        self.assertEqual(table["AURORAX_OK"], 0)
        codes = sorted(table.values(), reverse=True)
        self.assertEqual(codes, list(range(0, codes[-1] - 1, -1)), "one name per status, none skipped")
        self.assertTrue(all(n.startswith("AURORAX_ERR_") for n in table if n != "AURORAX_OK"), table)
        self.assertIn("AURORAX_ERR_TLS", table)
        self.assertEqual(ax.status_name(self.lib, TIMEOUT), "AURORAX_ERR_TIMEOUT")
        self.assertEqual(S.TLS, table["AURORAX_ERR_TLS"])

    def test_message_wording_does_not_change_the_status(self):
        """The status is the library's number (returned, or aurorax_last_status after a NULL),
        never read from a message: a server's failure message that mimics another status's
        prefix still gives SEARCH_FAILED from every path."""
        words = "AURORAX_ERR_NETWORK: connection reset (words of the ctypes tests)"
        self.admin("/_testserver/searches", {"outcome": "fail", "count": 1, "message": words})
        s = self.seed()
        with self.assertRaises(ax.AuroraXError) as caught:
            ax.wait(self.lib, s, UNTIL_IT_ENDS)
        self.assertEqual((caught.exception.status, caught.exception.name), (SEARCH_FAILED, "AURORAX_ERR_SEARCH_FAILED"))
        self.assertIn(words, str(caught.exception))
        with self.assertRaises(ax.AuroraXError) as caught:
            ax.get_data(self.lib, s)  # NULL: the status is aurorax_last_status()
        self.assertEqual(caught.exception.status, SEARCH_FAILED)
        self.assertIn(words, str(caught.exception))
        self.assertIsNone(ax.record(self.lib, s, 0))
        self.assertEqual(self.lib.aurorax_last_status(), SEARCH_FAILED)
        with self.assertRaises(ax.AuroraXError) as caught:
            ax.check(self.lib, self.lib.aurorax_check_for_data(s), s)
        self.assertEqual(caught.exception.status, SEARCH_FAILED)
        self.lib.aurorax_free(s)
        # an argument that looks like a status name: the status the library returned
        with self.assertRaises(ax.AuroraXError) as caught:
            ax.started(self.lib, self.lib.aurorax_conjunctions_search_attach(b"AURORAX_ERR_TIMEOUT: not a request id"))
        self.assertEqual(caught.exception.status, INVALID)
        self.assertEqual(self.lib.aurorax_last_status(), INVALID)

    def test_ca_bundle_is_read_at_the_call(self):
        missing = os.path.join(os.path.dirname(__file__), "no-such-ca.pem")
        with self.assertRaises(ax.AuroraXError) as caught:
            ax.set_ca_bundle(self.lib, missing)
        self.assertEqual(caught.exception.status, INVALID)
        self.assertEqual(caught.exception.name, "AURORAX_ERR_INVALID_ARGUMENT")
        self.assertIn("no-such-ca.pem", str(caught.exception))
        self.assertEqual(self.lib.aurorax_last_status(), INVALID)
        with tempfile.NamedTemporaryFile("w", suffix=".pem") as not_pem:
            not_pem.write("not a certificate\n")
            not_pem.flush()
            with self.assertRaises(ax.AuroraXError) as caught:
                ax.set_ca_bundle(self.lib, not_pem.name)
            self.assertEqual(caught.exception.status, INVALID)
        self.assertEqual(self.lib.aurorax_set_ca_bundle(b""), INVALID)
        ax.set_ca_bundle(self.lib, None)  # removes it: no error
        s = self.seed(b"2019-03-01T00:00:00", b"2019-03-02T00:00:00")
        self.assertTrue(ax.wait(self.lib, s, UNTIL_IT_ENDS))
        self.lib.aurorax_free(s)

    def test_save_data_writes_the_records_and_refuses_a_bad_format(self):
        s = self.seed(b"2019-03-01T00:00:00", b"2019-03-02T00:00:00")
        self.assertTrue(ax.wait(self.lib, s, UNTIL_IT_ENDS))
        with tempfile.TemporaryDirectory() as d:
            whole, lines = os.path.join(d, "r.json"), os.path.join(d, "r.ndjson")
            ax.save_data(self.lib, s, whole)
            ax.save_data(self.lib, s, lines, ndjson=True)
            with open(whole, "rb") as f:
                self.assertEqual(f.read(), self.lib.aurorax_get_data(s))
            with open(lines, "rb") as f:
                saved = f.read().splitlines()
            self.assertEqual(len(saved), self.lib.aurorax_get_record_count(s))
            self.assertEqual(saved[0].decode(), ax.record(self.lib, s, 0))
            self.assertEqual(self.lib.aurorax_save_data(s, whole.encode(), 7), INVALID)
            with self.assertRaises(ax.AuroraXError) as caught:
                ax.save_data(self.lib, s, os.path.join(d, "missing", "r.json"))
            self.assertEqual(caught.exception.status, INVALID)
        ax.set_spool_threshold(self.lib, 0)
        ax.set_spool_threshold(self.lib, 256 << 20)
        self.lib.aurorax_free(s)

    def test_every_function_of_the_header_is_typed(self):
        """SIGNATURES names exactly the functions include/aurorax.h declares, v3 included
        (aurorax_last_status, aurorax_set_ca_bundle, aurorax_set_outage_tolerance), each with
        the header's argument count."""
        header_path = os.path.join(os.path.dirname(__file__), "..", "..", "include", "aurorax.h")
        with open(header_path) as f:
            header = f.read()
        declared = {}
        for m in re.finditer(r"^[A-Za-z][\w \*]*?\b(aurorax_\w+)\(([^)]*)\);", header, re.M):
            params = m.group(2).strip()
            declared[m.group(1)] = 0 if params in ("", "void") else params.count(",") + 1
        for v3 in ("aurorax_last_status", "aurorax_set_ca_bundle", "aurorax_set_outage_tolerance"):
            self.assertIn(v3, declared)
        self.assertEqual(set(ax.SIGNATURES), set(declared))
        for name, (_, argtypes) in ax.SIGNATURES.items():
            self.assertEqual(len(argtypes), declared[name], name)

    def test_outage_tolerance_is_checked_and_reaches_the_library(self):
        """Negative, NaN, infinite or over a week: INVALID_ARGUMENT (the status from
        aurorax_last_status too); 0 and a week are taken. With no per-request retries, two
        502s on the status polls fail a search under tolerance 0 and are outlasted under 30."""
        lib = self.lib
        for bad in (-1.0, math.nan, math.inf, -math.inf, 604800.5):
            with self.assertRaises(ax.AuroraXError) as caught:
                ax.set_outage_tolerance(lib, bad)
            self.assertEqual((caught.exception.status, caught.exception.name), (INVALID, "AURORAX_ERR_INVALID_ARGUMENT"), bad)
            self.assertEqual(lib.aurorax_last_status(), INVALID)
        ax.set_outage_tolerance(lib, 604800)
        ax.set_outage_tolerance(lib, 0)
        self.assertEqual(lib.aurorax_set_max_retries(0), S.OK)
        try:
            faults = {"route": "status", "fault": "http502", "count": 2}
            self.admin("/_testserver/reset", {})
            self.admin("/_testserver/faults", faults)
            s = self.seed(b"2019-04-01T00:00:00", b"2019-04-02T00:00:00")
            rc = lib.aurorax_wait(s, UNTIL_IT_ENDS)
            self.assertLess(rc, 0, "tolerance 0 and no retries: the first 502 ends the search")
            self.assertNotEqual(rc, TIMEOUT)
            lib.aurorax_free(s)
            self.admin("/_testserver/reset", {})  # the fault the failed search left
            ax.set_outage_tolerance(lib, 30)
            self.admin("/_testserver/faults", faults)
            s = self.seed(b"2019-04-01T00:00:00", b"2019-04-02T00:00:00")
            self.assertTrue(ax.wait(lib, s, UNTIL_IT_ENDS))
            lib.aurorax_free(s)
        finally:
            self.admin("/_testserver/reset", {})
            lib.aurorax_set_max_retries(6)
            ax.set_outage_tolerance(lib, 600)

    # ---- v3 (design.md 2.3): HTTPS -------------------------------------------------------

    def test_https_search_over_http2_and_a_tls_error_without_the_ca(self):
        """Against the HTTPS server run-tests.sh started (start.sh --tls, $AURORAX_TLS_STATE):
        without its CA the search fails with the TLS status; with it (set_ca_bundle) the
        seed search succeeds, and the server saw HTTP/2 requests and no HTTP/1.1 one."""
        state = os.environ.get("AURORAX_TLS_STATE")
        self.assertTrue(state, "AURORAX_TLS_STATE is not set (bindings/run-tests.sh sets it)")
        with open(os.path.join(state, "url")) as f:
            url = f.read().strip()
        ca = os.path.join(state, "ca.pem")
        self.assertTrue(url.startswith("https://localhost:"), url)
        try:
            ax.set_ca_bundle(self.lib, None)
            self.assertEqual(self.lib.aurorax_set_api_url(url.encode()), S.OK)
            untrusted = self.seed()
            # (that it is never retried, one handshake, is counted by tests/https.rs)
            with self.assertRaises(ax.AuroraXError) as caught:
                ax.wait(self.lib, untrusted, UNTIL_IT_ENDS)
            self.assertEqual(caught.exception.status, S.TLS)
            self.assertEqual(caught.exception.name, "AURORAX_ERR_TLS")
            self.assertIn("localhost", str(caught.exception))
            self.assertEqual(self.lib.aurorax_check_for_data(untrusted), S.TLS)
            self.lib.aurorax_free(untrusted)

            ax.set_ca_bundle(self.lib, ca)
            s = self.seed()
            self.assertTrue(ax.wait(self.lib, s, UNTIL_IT_ENDS))
            self.assertEqual(len(json.loads(ax.get_data(self.lib, s))), 365)
            self.assertTrue(ax.text(self.lib.aurorax_request_url(s)).startswith("https://localhost:"))
            self.lib.aurorax_free(s)
        finally:
            ax.set_ca_bundle(self.lib, None)
            self.assertEqual(self.lib.aurorax_set_api_url(self.url.encode()), S.OK)
        stats_sh = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "local-server", "stats.sh")
        stats = json.loads(subprocess.run([stats_sh, state], check=True, capture_output=True, text=True, timeout=UNTIL_IT_ENDS).stdout)
        self.assertGreater(stats["http_versions"]["HTTP/2.0"], 0, stats["http_versions"])
        self.assertEqual(stats["http_versions"]["HTTP/1.1"], 0, stats["http_versions"])

    def test_attach_follows_a_search_by_request_id(self):
        s = self.seed(b"2019-04-01T00:00:00", b"2019-04-30T23:59:59")
        request_id = self.submitted(s)
        a = self.lib.aurorax_conjunctions_search_attach(request_id.encode())
        self.assertIsNotNone(a, ax.text(self.lib.aurorax_last_error()))
        self.assertEqual(ax.text(self.lib.aurorax_request_id(a)), request_id)
        self.assertEqual(self.lib.aurorax_wait(a, UNTIL_IT_ENDS), S.OK, ax.text(self.lib.aurorax_search_error(a)))
        self.assertEqual(self.lib.aurorax_wait(s, UNTIL_IT_ENDS), S.OK)
        self.assertEqual(self.lib.aurorax_get_data(a), self.lib.aurorax_get_data(s))
        self.assertIsNone(self.lib.aurorax_ephemeris_search_attach(b"not-a-uuid"))
        self.assertIn("INVALID_ARGUMENT", ax.text(self.lib.aurorax_last_error()))
        unknown = self.lib.aurorax_data_products_search_attach(b"0b6a8a0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b")
        self.assertEqual(self.lib.aurorax_wait(unknown, UNTIL_IT_ENDS), API)
        for h in (a, s, unknown):
            self.lib.aurorax_free(h)

    def test_wait_any_returns_the_lowest_ended_index(self):
        self.admin("/_testserver/searches", {"outcome": "never_finish", "count": 1})
        slow = self.seed(b"2019-05-01T00:00:00", b"2019-05-31T23:59:59")
        self.submitted(slow)  # so that it is the search that never finishes
        fast = self.seed(b"2019-06-01T00:00:00", b"2019-06-30T23:59:59")
        self.assertEqual(ax.wait_any(self.lib, [slow, fast], UNTIL_IT_ENDS), 1)
        self.assertEqual(self.lib.aurorax_check_for_data(fast), 1)
        self.assertEqual(ax.wait_any(self.lib, [fast, slow], UNTIL_IT_ENDS), 0)
        started = time.monotonic()
        self.assertEqual(ax.wait_any(self.lib, [slow], 0.3), TIMEOUT)
        self.assertGreaterEqual(time.monotonic() - started, 0.25)
        self.assertEqual(self.lib.aurorax_wait_any(None, 1, 1.0), INVALID)
        self.assertEqual(ax.wait_any(self.lib, [slow, None], 1.0), INVALID)
        self.assertEqual(self.lib.aurorax_wait_any((ctypes.c_void_p * 1)(slow), 0, 1.0), INVALID)
        self.assertEqual(ax.wait_any(self.lib, [slow], math.nan), INVALID)
        self.assertEqual(self.lib.aurorax_cancel(slow), S.OK)
        self.assertEqual(ax.wait_any(self.lib, [slow], UNTIL_IT_ENDS), 0, "a cancelled search has ended")
        self.lib.aurorax_free(fast)
        self.assertEqual(ax.wait_any(self.lib, [slow, fast], 1.0), INVALID, "a freed entry")
        self.lib.aurorax_free(slow)

    def test_records_are_the_slices_of_the_data(self):
        self.admin("/_testserver/searches", {"outcome": "never_finish", "count": 1})
        pending = self.seed(b"2019-07-01T00:00:00", b"2019-07-31T23:59:59")
        self.submitted(pending)
        self.assertEqual(self.lib.aurorax_get_record_count(pending), NOT_READY)
        self.assertIsNone(ax.record(self.lib, pending, 0))
        self.lib.aurorax_cancel(pending)
        self.lib.aurorax_free(pending)
        s = self.seed(b"2019-08-01T00:00:00", b"2019-08-31T23:59:59")
        self.assertEqual(self.lib.aurorax_wait(s, UNTIL_IT_ENDS), S.OK)
        n = self.lib.aurorax_get_record_count(s)
        records = [ax.record(self.lib, s, i) for i in range(n)]
        self.assertEqual(n, 31)
        self.assertEqual([json.loads(r) for r in records], json.loads(ax.text(self.lib.aurorax_get_data(s))))
        self.assertEqual("[" + ",".join(records) + "]", ax.text(self.lib.aurorax_get_data(s)))
        for bad in (-1, n, 2**62):
            self.assertIsNone(ax.record(self.lib, s, bad))
        self.assertIsNone(self.lib.aurorax_get_record(s, 0, None))
        self.lib.aurorax_free(s)

    def test_columns_are_the_records_values_at_a_pointer(self):
        lib = self.lib
        s = self.seed(b"2019-09-01T00:00:00", b"2019-09-30T23:59:59")
        self.assertEqual(lib.aurorax_wait(s, UNTIL_IT_ENDS), S.OK)
        records = self.served_records("conjunctions", ax.text(lib.aurorax_request_id(s)))
        self.assertEqual(len(records), 30)

        def at(record, path):  # RFC 6901 over the decoded record; KeyError when missing
            v = record
            for key in path.split("/")[1:]:
                key = key.replace("~1", "/").replace("~0", "~")
                v = v[int(key)] if isinstance(v, list) else v[key]
            return v

        def present(record, path):
            try:
                at(record, path)
                return True
            except (KeyError, IndexError, ValueError, TypeError):
                return False

        paths = ["/conjunction_type", "/start", "/end", "/min_distance", "/max_distance", "/closest_epoch",
                 "/farthest_epoch", "/data_sources", "/data_sources/0/identifier", "/data_sources/1/program",
                 "/events", "/events/0", "/events/15/min_distance", "/events/3/e1_source/display_name",
                 "/events/99", "/nope", "/start/0", "/min_distance/x"]
        for path in paths:
            numbers = ax.column_f64(lib, s, path)
            texts = ax.column_text(lib, s, path)
            jsons = ax.column_json(lib, s, path)
            self.assertEqual(len(numbers), len(records), path)
            for i, r in enumerate(records):
                if not present(r, path):
                    self.assertTrue(math.isnan(numbers[i]) and texts[i] is None and jsons[i] is None, (path, i))
                    continue
                v = at(r, path)
                self.assertEqual(json.loads(jsons[i]), v, (path, i))
                self.assertIn(jsons[i], ax.record(lib, s, i), "a slice of the record")
                self.assertEqual(texts[i], v if isinstance(v, str) else None, (path, i))
                if isinstance(v, (int, float)):
                    self.assertEqual(numbers[i], float(v), (path, i))
                else:
                    self.assertTrue(math.isnan(numbers[i]), (path, i))
        self.assertEqual(ax.column_json(lib, s, ""), [ax.record(lib, s, i) for i in range(len(records))])
        # a capacity below the count fills that many and returns the count
        out = (ctypes.c_double * 4)(*[-7.0] * 4)
        self.assertEqual(lib.aurorax_get_column_f64(s, b"/min_distance", out, 3), 30)
        self.assertEqual(list(out), [records[0]["min_distance"], records[1]["min_distance"], records[2]["min_distance"], -7.0])
        self.assertEqual(lib.aurorax_get_column_f64(s, b"/min_distance", None, 0), 30)
        # bad input: the library's INVALID_ARGUMENT, also through the helpers
        for bad in (b"min_distance", b"/\xff", None):
            self.assertEqual(lib.aurorax_get_column_f64(s, bad, out, 4), INVALID, bad)
            self.assertEqual(lib.aurorax_get_column_text(s, bad, None, None, 0), INVALID, bad)
        self.assertEqual(lib.aurorax_get_column_f64(s, b"/start", None, 4), INVALID)
        self.assertEqual(lib.aurorax_get_column_f64(s, b"/start", out, -1), INVALID)
        values, lengths = (ctypes.c_void_p * 2)(), (ctypes.c_int64 * 2)()
        self.assertEqual(lib.aurorax_get_column_json(s, b"/start", values, None, 2), INVALID)
        self.assertEqual(lib.aurorax_get_column_json(s, b"/start", None, lengths, 2), INVALID)
        with self.assertRaises(ax.AuroraXError) as caught:
            ax.column_text(lib, s, "start")
        self.assertEqual(caught.exception.status, INVALID)
        # before the data is in: NOT_READY; after free: a forged handle is refused
        self.admin("/_testserver/searches", {"outcome": "never_finish", "count": 1})
        pending = self.seed(b"2019-10-01T00:00:00", b"2019-10-31T23:59:59")
        self.submitted(pending)
        with self.assertRaises(ax.AuroraXError) as caught:
            ax.column_f64(lib, pending, "/min_distance")
        self.assertEqual(caught.exception.status, NOT_READY)
        lib.aurorax_cancel(pending)
        lib.aurorax_free(pending)
        lib.aurorax_free(s)
        self.assertEqual(lib.aurorax_get_column_f64(s, b"/min_distance", None, 0), INVALID)

    def test_columns_give_nan_and_none_for_null(self):
        lib = self.lib
        e = lib.aurorax_ephemeris_search_async(b"2019-01-01T00:00:00", b"2019-01-01T02:59:59",
                                               b'{"programs": ["themis-asi", "swarm"], "platforms": ["gillam", "swarma"]}')
        self.assertEqual(lib.aurorax_wait(e, UNTIL_IT_ENDS), S.OK)
        records = json.loads(ax.get_data(lib, e))
        lat = ax.column_f64(lib, e, "/location_gsm/lat")
        as_json = ax.column_json(lib, e, "/location_gsm/lat")
        as_text = ax.column_text(lib, e, "/location_gsm/lat")
        nulls = [r["location_gsm"]["lat"] is None for r in records]
        self.assertTrue(any(nulls) and not all(nulls))
        for i, null in enumerate(nulls):
            self.assertEqual(math.isnan(lat[i]), null)
            self.assertEqual(json.loads(as_json[i]), records[i]["location_gsm"]["lat"])
            self.assertEqual(as_json[i] == "null", null)
            self.assertIsNone(as_text[i])
        self.assertEqual(ax.column_text(lib, e, "/data_source/program"), [r["data_source"]["program"] for r in records])
        lib.aurorax_free(e)

    def test_describe_is_the_server_text(self):
        s = self.seed(b"2019-09-01T00:00:00", b"2019-09-30T23:59:59")
        text = ax.text(self.lib.aurorax_describe(s))
        self.assertIn("conjunction", text.lower())
        self.assertEqual(ax.text(self.lib.aurorax_describe(s)), text)
        self.lib.aurorax_free(s)
        sources = self.lib.aurorax_data_sources_async(None)
        self.assertIsNone(self.lib.aurorax_describe(sources))
        self.assertIn("INVALID_ARGUMENT", ax.text(self.lib.aurorax_last_error()))
        self.lib.aurorax_free(sources)

    def test_data_sources_and_availability(self):
        s = self.lib.aurorax_data_sources_async(b'{"program": "swarm"}')
        self.assertEqual(self.lib.aurorax_wait(s, UNTIL_IT_ENDS), S.OK, ax.text(self.lib.aurorax_search_error(s)))
        sources = json.loads(ax.text(self.lib.aurorax_get_data(s)))
        self.assertEqual(sorted(x["identifier"] for x in sources), [3, 29, 30])
        self.assertEqual(self.lib.aurorax_get_record_count(s), 3)
        self.lib.aurorax_free(s)
        self.assertIsNone(self.lib.aurorax_data_sources_async(b'{"program": '))
        e = self.lib.aurorax_ephemeris_availability_async(b"2020-01-01", b"2020-01-03", b'{"program": "swarm", "platform": "swarma"}')
        self.assertEqual(self.lib.aurorax_wait(e, UNTIL_IT_ENDS), S.OK, ax.text(self.lib.aurorax_search_error(e)))
        [row] = json.loads(ax.text(self.lib.aurorax_get_data(e)))
        self.assertEqual(row["data_source"]["identifier"], 3)
        self.assertTrue(set(row["available_ephemeris"]) <= {"2020-01-01", "2020-01-02", "2020-01-03"})
        self.lib.aurorax_free(e)
        d = self.lib.aurorax_data_products_availability_async(b"2020-01-01", b"2020-01-31", None)
        self.assertEqual(self.lib.aurorax_wait(d, UNTIL_IT_ENDS), S.OK, ax.text(self.lib.aurorax_search_error(d)))
        self.assertTrue(all("available_data_products" in r for r in json.loads(ax.text(self.lib.aurorax_get_data(d)))))
        self.lib.aurorax_free(d)
        self.assertIsNone(self.lib.aurorax_ephemeris_availability_async(b"2020-03-01", b"2020-02-01", None))

    def test_phase_and_bytes_follow_the_download(self):
        self.admin("/_testserver/config", {"search_seconds": 0.5, "result_count": 1000})
        self.admin("/_testserver/faults", {"route": "data", "fault": "delay", "delay_ms": 1000})
        try:
            s = self.seed(b"2019-10-01T00:00:00", b"2019-10-31T23:59:59")
            seen = []
            deadline = time.monotonic() + UNTIL_IT_ENDS
            while self.lib.aurorax_check_for_data(s) == 0:
                self.assertLess(time.monotonic(), deadline)
                phase = self.lib.aurorax_get_phase(s)
                if not seen or seen[-1] != phase:
                    seen.append(phase)
                time.sleep(0.01)
            final = self.lib.aurorax_get_phase(s)
            if seen[-1] != final:  # READY may already have been seen inside the loop
                seen.append(final)
            self.assertEqual([p for p in seen if p in (1, 2, 3)], sorted(set(p for p in seen if p in (1, 2, 3))), seen)
            self.assertIn(2, seen, "DOWNLOADING seen during the held data request")
            self.assertEqual(seen[-1], 3)
            received, expected = self.lib.aurorax_get_bytes_received(s), self.lib.aurorax_get_bytes_expected(s)
            self.assertEqual(received, expected)
            self.assertGreater(expected, self.lib.aurorax_get_data_length(s))
        finally:
            self.admin("/_testserver/reset", {})
        self.lib.aurorax_free(s)
        for fn in ("aurorax_get_phase", "aurorax_get_bytes_received", "aurorax_get_bytes_expected"):
            self.assertEqual(getattr(self.lib, fn)(0xDEADBEEF), INVALID)

    def test_max_result_bytes_and_log_level(self):
        try:
            self.assertEqual(self.lib.aurorax_set_max_result_bytes(10_000), S.OK)
            s = self.seed(b"2019-11-01T00:00:00", b"2019-11-30T23:59:59")
            self.assertEqual(self.lib.aurorax_wait(s, UNTIL_IT_ENDS), PROTOCOL)
            self.lib.aurorax_free(s)
        finally:
            self.assertEqual(self.lib.aurorax_set_max_result_bytes(0), S.OK)
        s = self.seed(b"2019-11-01T00:00:00", b"2019-11-30T23:59:59")
        self.assertEqual(self.lib.aurorax_wait(s, UNTIL_IT_ENDS), S.OK)
        self.lib.aurorax_free(s)
        for level in (0, 1, 2, 3, -1):  # ends off, as the other tests expect
            self.assertEqual(self.lib.aurorax_set_log_level(level), S.OK)
        for level in (-2, 4, 2**31 - 1):
            self.assertEqual(self.lib.aurorax_set_log_level(level), INVALID)

    def test_log_callback_gets_lines_without_the_key(self):
        lines = []
        callback = ax.LOG_FN(lambda level, line, user: lines.append((level, line.decode())))
        self.assertEqual(self.lib.aurorax_set_log_callback(callback, None), S.OK)
        try:
            self.assertEqual(self.lib.aurorax_set_log_level(2), S.OK)
            self.assertEqual(self.lib.aurorax_set_api_key(b"secret-key-for-the-ctypes-test"), S.OK)
            s = self.seed(b"2019-12-01T00:00:00", b"2019-12-31T23:59:59")
            self.assertEqual(self.lib.aurorax_wait(s, UNTIL_IT_ENDS), S.OK)
            request_id = ax.text(self.lib.aurorax_request_id(s))
            self.lib.aurorax_free(s)
        finally:
            self.lib.aurorax_set_log_level(-1)
            self.lib.aurorax_set_api_key(None)
            self.lib.aurorax_set_log_callback(ax.LOG_FN(), None)
        self.assertTrue(any(request_id in line for _, line in lines), lines)
        self.assertTrue(all(0 <= level <= 2 for level, _ in lines), lines)
        self.assertFalse(any("secret-key" in line for _, line in lines))


if __name__ == "__main__":
    unittest.main()
