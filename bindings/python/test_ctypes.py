"""Drives libaurorax through ctypes, a second FFI, exactly as Julia's ccall would: the seed
workflow, parallel searches, and hostile input. Needs AURORAX_LIB and AURORAX_TESTSERVER.
Run: python3 -m unittest -v bindings/python/test_ctypes.py"""
import ctypes
import json
import math
import os
import subprocess
import sys
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import aurorax_ctypes as ax  # noqa: E402

GROUND = b'[{"programs": ["themis-asi"], "ephemeris_metadata_filters": [{"key": "ml_cloud_v1", "operator": "=", "values": ["not classified as cloud"]}]}]'
SPACE = b'[{"programs": ["swarm"], "ephemeris_metadata_filters": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}]'
INVALID, SEARCH_FAILED, TIMEOUT = -1, -6, -8


class CtypesAbi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lib = ax.load()
        cls.server = subprocess.Popen([os.environ["AURORAX_TESTSERVER"], "--listen", "127.0.0.1:0", "--search-seconds", "0.3"],
                                      stdout=subprocess.PIPE, text=True)
        cls.url = cls.server.stdout.readline().strip()
        assert cls.url.startswith("http://127.0.0.1:"), cls.url
        assert cls.lib.aurorax_set_api_url(cls.url.encode()) == ax.OK

    @classmethod
    def tearDownClass(cls):
        cls.lib.aurorax_shutdown()
        cls.server.terminate()
        cls.server.wait(10)

    def admin(self, path, body):
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=10).read()

    def served_records(self, kind, request_id):
        with urllib.request.urlopen(f"{self.url}/api/v1/{kind}/requests/{request_id}/data", timeout=30) as r:
            return json.loads(r.read())["result"]

    def seed(self, start=b"2019-01-01T00:00:00", end=b"2019-12-31T23:59:59"):
        s = self.lib.aurorax_conjunctions_search_async(start, end, GROUND, SPACE, 300.0)
        self.assertIsNotNone(s, ax.text(self.lib.aurorax_last_error()))
        return s

    def test_seed_workflow_end_to_end(self):
        s = self.seed()
        deadline = time.monotonic() + 30
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
            self.assertEqual(self.lib.aurorax_wait(s, 60.0), ax.OK, ax.text(self.lib.aurorax_search_error(s)))
            records = json.loads(ax.text(self.lib.aurorax_get_data(s)))
            self.assertEqual(records, self.served_records("conjunctions", ax.text(self.lib.aurorax_request_id(s))))
            self.assertEqual(records[0]["start"][:10], f"2019-02-{d:02d}")
            self.lib.aurorax_free(s)

    def test_null_for_every_pointer_argument_of_every_function_is_an_error(self):
        live = self.seed()
        for name, (restype, argtypes) in ax.SIGNATURES.items():
            if name in ("aurorax_shutdown",):
                continue
            for i, t in enumerate(argtypes):
                if t not in (ctypes.c_char_p, ctypes.c_void_p):
                    continue
                args = []
                for j, a in enumerate(argtypes):
                    if j == i:
                        args.append(None)
                    elif a is ctypes.c_char_p:
                        args.append(b"2019-01-01T00:00:00" if "search_async" in name and j < 2 else b"[]")
                    elif a is ctypes.c_void_p:
                        args.append(live)
                    elif a is ctypes.c_double:
                        args.append(1.0)
                    else:
                        args.append(1)
                result = getattr(self.lib, name)(*args)
                if name == "aurorax_set_api_key":
                    self.assertEqual(result, ax.OK)  # NULL clears the key
                elif restype is ctypes.c_int or restype is ctypes.c_int64:
                    self.assertEqual(result, INVALID, name)
                elif restype is not None:
                    self.assertIsNone(result, name)
        self.assertEqual(self.lib.aurorax_wait(live, 30.0), ax.OK)
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
        self.assertEqual(self.lib.aurorax_wait(s, 30.0), SEARCH_FAILED)
        for _ in range(3):
            self.assertEqual(self.lib.aurorax_check_for_data(s), SEARCH_FAILED)
            self.assertIsNone(self.lib.aurorax_get_data(s))
            self.assertIn("arranged by ctypes", ax.text(self.lib.aurorax_search_error(s)))
            self.assertIsNotNone(self.lib.aurorax_request_id(s))
            json.loads(ax.text(self.lib.aurorax_get_logs(s)))
        self.assertEqual(self.lib.aurorax_cancel(s), ax.OK)
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
        self.assertEqual(self.lib.aurorax_wait(s, 30.0), ax.OK)
        self.lib.aurorax_free(s)


if __name__ == "__main__":
    unittest.main()
