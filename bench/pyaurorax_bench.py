"""The pyaurorax 1.27.0 side of the benchmarks, run by aurorax-bench in the pyaurorax venv.
Each subcommand prints one JSON object on stdout.

  check URL N       median cost of s.check_for_data() on a finished search
  lagserve URL      for each line "submit" on stdin: submit a search, start a thread that
                    calls its default wait() (1 s poll) at once, print the request id; on
                    "done": join them and print each search's lag (completion -> wait
                    returned). Status requests are counted by the harness from the server's
                    per-request stats, so nothing here adds a request of its own.
  getdata URL       get_data() wall time and this process's peak RSS
  day URL N GAP     a day of N searches started GAP s apart, each in its own thread as a
                    scientist runs one: search (submit), wait() (its default 1 s poll),
                    get_data(). Prints "ready" once imported and starts on "go" from stdin;
                    then per search: ok, seconds from the submit to records in hand, the
                    request id (if the submit succeeded) and, for a failure, its reason.

Over HTTPS the harness sets REQUESTS_CA_BUNDLE to the local server's throwaway CA, as a user
behind a TLS-inspecting proxy would; pyaurorax itself is unchanged (its default 10 s
api_timeout included).
"""
import datetime
import json
import resource
import statistics
import sys
import threading
import time

import requests


def search(ax, start_day=1):
    import pyaurorax  # noqa: F401
    from pyaurorax.search import GroundCriteriaBlock, SpaceCriteriaBlock
    return ax.search.conjunctions.search(
        start=datetime.datetime(2019, 1, start_day), end=datetime.datetime(2019, 12, 31, 23, 59, 59), distance=300,
        ground=[GroundCriteriaBlock(programs=["themis-asi"])], space=[SpaceCriteriaBlock(programs=["swarm"])],
        return_immediately=True)


def client(url):
    import pyaurorax
    return pyaurorax.PyAuroraX(api_base_url=url)


def stats(url):
    return requests.get(url + "/_testserver/stats", timeout=10).json()


def completed_at(status):
    return datetime.datetime.fromisoformat(status["search_result"]["completed_timestamp"].rstrip("Z"))


def check(url, n):
    s = search(client(url))
    s.wait(poll_interval=0.05)
    before = stats(url)["total"]
    costs = []
    for _ in range(n):
        t = time.perf_counter()
        s.check_for_data()
        costs.append(time.perf_counter() - t)
    return {"median_ns": statistics.median(costs) * 1e9, "requests": stats(url)["total"] - before, "calls": n}


def completed_unix(status):
    return completed_at(status).replace(tzinfo=datetime.timezone.utc).timestamp()


def lagserve(url):
    ax = client(url)
    lags, threads, lock = {}, [], threading.Lock()

    def follow(s):
        s.wait()  # pyaurorax's default: a status request at once, then one per second
        returned = time.time()
        with lock:
            lags[s.request_id] = returned - completed_unix(s.status)  # s.status is wait()'s last status

    while True:
        line = sys.stdin.readline()
        if line.strip() in ("done", ""):
            break
        s = search(ax)
        t = threading.Thread(target=follow, args=(s,), daemon=True)
        t.start()
        threads.append(t)
        print(s.request_id, flush=True)
    for t in threads:
        t.join()
    return {"lags": lags}


def getdata(url):
    s = search(client(url))
    s.wait(poll_interval=0.05)
    # The local server sometimes resets the connection mid-body under load (pyaurorax sends
    # its GET with a body, "{}", that the server does not read); a failed attempt is retried
    # and counted, and only the successful one is timed.
    failed = 0
    while True:
        t = time.perf_counter()
        try:
            s.get_data()  # fills s.data with pyaurorax's parsed objects
            break
        except Exception as e:  # noqa: BLE001
            failed += 1
            print(f"pyaurorax get_data failed ({e!r}); retrying", file=sys.stderr)
            if failed >= 3:
                raise
    wall = time.perf_counter() - t
    return {"seconds": wall, "records": len(s.data), "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "data_url": s.request_url + "/data", "failed_attempts": failed}


def day(url, n, gap):
    ax = client(url)
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        sys.exit("day: no go")
    results, lock = [], threading.Lock()

    def one(i):
        t0 = time.time()
        s, entry = None, {"ok": False, "request_id": None}
        try:
            s = search(ax, 1 + i % 28)
            entry["request_id"] = s.request_id
            s.wait()
            s.get_data()
            entry["ok"] = s.data is not None
            if not entry["ok"]:
                entry["reason"] = "get_data left no data"
        except Exception as e:  # noqa: BLE001 - every failure is a figure, by reason
            if s is not None and entry["request_id"] is None:
                entry["request_id"] = getattr(s, "request_id", None)
            entry["reason"] = f"{type(e).__name__}: {e}"[:120]
        entry["seconds"] = time.time() - t0
        with lock:
            results.append(entry)

    threads = []
    for i in range(n):
        t = threading.Thread(target=one, args=(i,), daemon=True)
        t.start()
        threads.append(t)
        time.sleep(gap)
    for t in threads:
        t.join()
    return {"searches": results}


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "check":
        result = check(args[0], int(args[1]))
    elif command == "lagserve":
        result = lagserve(args[0])
    elif command == "getdata":
        result = getdata(args[0])
    elif command == "day":
        result = day(args[0], int(args[1]), float(args[2]))
    else:
        sys.exit(f"unknown command {command}")
    print(json.dumps(result))
