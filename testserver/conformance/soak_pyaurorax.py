"""Soak: ROUNDS rounds of pyaurorax's own search -> wait -> get_data against
aurorax-testserver, cycling through the three kinds, THREADS at a time.

pyaurorax's wait() polls once a second, so rounds run concurrently to keep the wall
time short. pyaurorax opens a connection per call and sends a JSON body with every
GET, so each round is 4+ connections and bodies the server must read in full; a
reset, a wrong answer or a stuck round is a failure. Each round checks the records
pyaurorax parsed. The server
URL comes from AURORAX_TESTSERVER_URL. Prints a closing line
"soak: N rounds, N failures, X s" and exits non-zero on any failure.
"""

import datetime
import os
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

import pyaurorax
import requests
from pyaurorax.search import Conjunction, DataProductData, EphemerisData, GroundCriteriaBlock, SpaceCriteriaBlock

BASE = os.environ["AURORAX_TESTSERVER_URL"]
ROUNDS = int(os.environ.get("AURORAX_SOAK_ROUNDS", "100"))
THREADS = int(os.environ.get("AURORAX_SOAK_THREADS", "10"))
# a round that takes longer than this is a failure, not a hang: wait() has no timeout
# (a bound only on a hang, long enough for any machine however busy)
ROUND_LIMIT = 300.0


def conjunctions(ax):
    s = ax.search.conjunctions.search(start=datetime.datetime(2020, 1, 1), end=datetime.datetime(2020, 1, 3, 6, 59, 59), distance=500,
                                      ground=[GroundCriteriaBlock(programs=["themis-asi"])],
                                      space=[SpaceCriteriaBlock(programs=["swarm"])], conjunction_types=["nbtrace"],
                                      return_immediately=True)
    return s, 3, Conjunction


def ephemeris(ax):
    s = ax.search.ephemeris.search(start=datetime.datetime(2019, 1, 1), end=datetime.datetime(2019, 1, 1, 23, 59, 59),
                                   programs=["swarm"], platforms=["swarma"], instrument_types=["footprint"],
                                   return_immediately=True)
    return s, 144, EphemerisData


def data_products(ax):
    s = ax.search.data_products.search(start=datetime.datetime(2020, 2, 1), end=datetime.datetime(2020, 2, 5, 23, 59, 59),
                                       programs=["trex"], instrument_types=["RGB ASI"], data_product_types=["keogram"],
                                       return_immediately=True)
    return s, 10, DataProductData


KINDS = [conjunctions, ephemeris, data_products]
local = threading.local()


def one_round(i):
    # one client object per thread, as a threaded user program would hold one
    if not hasattr(local, "ax"):
        local.ax = pyaurorax.PyAuroraX(api_base_url=BASE)
    t0 = time.time()
    s, n, cls = KINDS[i % 3](local.ax)
    assert s.request_id, "no request id: the submit failed silently"
    s.wait()
    s.get_data()
    assert len(s.data) == n, (KINDS[i % 3].__name__, len(s.data))
    assert all(isinstance(r, cls) for r in s.data), type(s.data[0])
    took = time.time() - t0
    assert took < ROUND_LIMIT, "round took %.1f s" % took
    return took


def main():
    r = requests.post(BASE + "/_testserver/config", json={"search_seconds": 0.3}, timeout=ROUND_LIMIT)
    assert r.status_code == 200, r.text
    t0 = time.time()
    failures = 0
    times = []
    with ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(one_round, i) for i in range(ROUNDS)]
        for i, f in enumerate(futures):
            try:
                times.append(f.result(timeout=ROUND_LIMIT * ROUNDS))
            except Exception:
                failures += 1
                print("FAIL round %d (%s)" % (i, KINDS[i % 3].__name__), flush=True)
                traceback.print_exc()
    requests.post(BASE + "/_testserver/config", json={"search_seconds": None}, timeout=ROUND_LIMIT)
    wall = time.time() - t0
    if times:
        times.sort()
        print("soak: round time median %.2f s, max %.2f s" % (times[len(times) // 2], times[-1]), flush=True)
    print("soak: %d rounds, %d failures, %.1f s" % (ROUNDS, failures, wall), flush=True)
    return 1 if failures or len(times) != ROUNDS else 0


if __name__ == "__main__":
    sys.exit(main())
