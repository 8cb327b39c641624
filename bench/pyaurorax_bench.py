"""The pyaurorax 1.27.0 side of the benchmarks, run by aurorax-bench in the pyaurorax venv.
Each subcommand prints one JSON object on stdout.

  check URL N                 median cost of s.check_for_data() on a finished search
  lag URL SECONDS REPS        wait() lag after server-side completion; status requests
  getdata URL                 get_data() wall time and this process's peak RSS
  curl DATA_URL               curl -o /dev/null on the same data: wall time and curl's peak RSS
"""
import datetime
import json
import resource
import statistics
import subprocess
import sys
import time

import requests


def search(ax, start_day=1):
    import pyaurorax  # noqa: F401  (imported late: curl needs no pyaurorax)
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


def lag(url, seconds, reps):
    ax = client(url)
    lags, polls = [], []
    for i in range(reps):
        s = search(ax, start_day=1 + i)
        s.wait()  # pyaurorax's default: poll every 1 s
        returned = datetime.datetime.utcnow()
        s.update_status()
        lags.append((returned - completed_at(s.status)).total_seconds())
        request_id = s.request_id
        polls.append(stats(url)["by_request"][request_id]["status"])
    return {"lags": lags, "status_requests": polls}


def getdata(url):
    s = search(client(url))
    s.wait(poll_interval=0.05)
    t = time.perf_counter()
    s.get_data()  # fills s.data with pyaurorax's parsed objects
    wall = time.perf_counter() - t
    return {"seconds": wall, "records": len(s.data), "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "data_url": s.request_url + "/data"}


def curl(data_url):
    t = time.perf_counter()
    subprocess.run(["curl", "-s", "-f", "-o", "/dev/null", data_url], check=True)
    wall = time.perf_counter() - t
    return {"seconds": wall, "peak_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "check":
        result = check(args[0], int(args[1]))
    elif command == "lag":
        result = lag(args[0], float(args[1]), int(args[2]))
    elif command == "getdata":
        result = getdata(args[0])
    elif command == "curl":
        result = curl(args[0])
    else:
        sys.exit(f"unknown command {command}")
    print(json.dumps(result))
