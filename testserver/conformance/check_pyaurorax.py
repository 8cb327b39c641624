"""Runs the released pyaurorax client against aurorax-testserver.

The server URL comes from AURORAX_TESTSERVER_URL. Each check drives pyaurorax's
own search / check_for_data / get_data / wait / cancel and asserts on the objects
pyaurorax parsed, so a pass means the server speaks the protocol pyaurorax expects.
Over HTTPS (an https:// URL, the server's CA in REQUESTS_CA_BUNDLE, as a user behind an
institution's CA would set it) the same checks run, plus one that the certificate is really
checked and that pyaurorax's traffic came over TLS.
Prints one "N passed, N failed" closing line; exits non-zero on any failure.
"""

import datetime
import os
import sys
import time
import traceback

import pyaurorax
import requests
from pyaurorax.search import (Conjunction, DataProductData, DataSource, EphemerisData, GroundCriteriaBlock,
                              MetadataFilter, MetadataFilterExpression, SpaceCriteriaBlock)

BASE = os.environ["AURORAX_TESTSERVER_URL"]
POLL = 0.05
# ends only a hang (a local request, a loop waiting on the server): long enough for any
# machine, however busy, so no check depends on its speed
UNTIL_IT_ENDS = 300
ax = pyaurorax.PyAuroraX(api_base_url=BASE)
CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


def admin(path, body):
    r = requests.post(BASE + "/_testserver/" + path, json=body, timeout=UNTIL_IT_ENDS)
    assert r.status_code == 200, r.text


def server_stats():
    """The server's own counts of what it received."""
    return requests.get(BASE + "/_testserver/stats", timeout=UNTIL_IT_ENDS).json()


def conj_args():
    # 3 days touched -> 3 conjunctions (the server's count rule)
    return dict(start=datetime.datetime(2020, 1, 1, 0, 0, 0), end=datetime.datetime(2020, 1, 3, 6, 59, 59), distance=500,
                ground=[GroundCriteriaBlock(programs=["themis-asi"],
                                            metadata_filters=MetadataFilter([MetadataFilterExpression("calgary_cloud_ml_v1", "classified as not cloudy", "=")]))],
                space=[SpaceCriteriaBlock(programs=["swarm"], hemisphere=["northern"])], conjunction_types=["nbtrace"])


def eph_args():
    # one day of one source -> 144 records (one per 10 minutes)
    return dict(start=datetime.datetime(2019, 1, 1, 0, 0, 0), end=datetime.datetime(2019, 1, 1, 23, 59, 59),
                programs=["swarm"], platforms=["swarma"], instrument_types=["footprint"])


def dp_args():
    # 5 days x 2 known trex platforms x 1 type -> 10 records
    return dict(start=datetime.datetime(2020, 2, 1, 0, 0, 0), end=datetime.datetime(2020, 2, 5, 23, 59, 59),
                programs=["trex"], instrument_types=["RGB ASI"], data_product_types=["keogram"])


def assert_conjunctions(data, n):
    assert len(data) == n, len(data)
    for c in data:
        assert isinstance(c, Conjunction), type(c)
        assert isinstance(c.start, datetime.datetime) and isinstance(c.closest_epoch, datetime.datetime)
        assert c.conjunction_type == "nbtrace"
        assert len(c.data_sources) == 2 and all(isinstance(ds, DataSource) for ds in c.data_sources)
        assert c.data_sources[0].program == "themis-asi" and c.data_sources[1].program == "swarm"
        assert isinstance(c.data_sources[0].identifier, int)
        assert len(c.events) > 0 and isinstance(c.events[0]["start"], datetime.datetime)
        assert 0 <= c.min_distance <= c.max_distance <= 500


def assert_ephemeris(data, n):
    assert len(data) == n, len(data)
    for e in data:
        assert isinstance(e, EphemerisData), type(e)
        assert isinstance(e.epoch, datetime.datetime)
        assert e.data_source.display_name == "Swarm A" and e.data_source.identifier == 3
        assert isinstance(e.location_geo.lat, float) and isinstance(e.nbtrace.lon, float)
        assert "nbtrace_region" in e.metadata


def assert_data_products(data, n):
    assert len(data) == n, len(data)
    for d in data:
        assert isinstance(d, DataProductData), type(d)
        assert isinstance(d.start, datetime.datetime) and isinstance(d.end, datetime.datetime)
        assert d.start <= d.end and d.data_product_type == "keogram"
        assert d.url.startswith("https://") and d.data_source.program == "trex"


@check
def conjunctions_blocking():
    s = ax.search.conjunctions.search(**conj_args(), poll_interval=POLL)
    assert s.completed and s.status["search_result"]["result_count"] == 3
    assert_conjunctions(s.data, 3)


@check
def conjunctions_return_immediately_check_for_data_get_data():
    s = ax.search.conjunctions.search(**conj_args(), return_immediately=True)
    assert s.request_id and s.request_url.endswith(s.request_id)
    # returned at once: pyaurorax had not asked for the status yet (an order, however
    # long the machine took)
    stats = server_stats()
    asked = stats["by_request"].get(s.request_id, {})
    assert asked.get("status", 0) == 0, asked
    while not s.check_for_data():
        time.sleep(POLL)
    # the count read above is the one check_for_data moves
    stats = server_stats()
    assert stats["by_request"][s.request_id]["status"] >= 1, stats["by_request"][s.request_id]
    s.get_data()
    assert_conjunctions(s.data, 3)


@check
def conjunctions_return_immediately_wait():
    s = ax.search.conjunctions.search(**conj_args(), return_immediately=True)
    s.wait(poll_interval=POLL)
    s.get_data()
    assert_conjunctions(s.data, 3)
    assert s.logs[-1]["summary"].startswith("Finished search in ")


@check
def conjunctions_response_format():
    fmt = {"start": True, "end": True, "conjunction_type": True, "data_sources": {"identifier": True, "display_name": True},
           "events": {"e1_source": {"identifier": True}, "min_distance": True}}
    s = ax.search.conjunctions.search(**conj_args(), response_format=fmt, poll_interval=POLL)
    assert len(s.data) == 3
    for c in s.data:
        assert set(c.keys()) == {"start", "end", "conjunction_type", "data_sources", "events"}, c.keys()
        assert set(c["data_sources"][0].keys()) == {"identifier", "display_name"}
        assert set(c["events"][0].keys()) == {"e1_source", "min_distance"}


@check
def conjunctions_describe():
    text = ax.search.conjunctions.describe(query_dict=ax.search.conjunctions.search(**conj_args(), return_immediately=True).query)
    assert text.startswith("Find conjunctions of type (nbtrace)"), text


@check
def ephemeris_blocking():
    s = ax.search.ephemeris.search(**eph_args(), poll_interval=POLL)
    assert_ephemeris(s.data, 144)


@check
def ephemeris_return_immediately_with_metadata_filter():
    mf = MetadataFilter([MetadataFilterExpression("nbtrace_region", ["north polar cap", "north auroral oval"], "in")], operator="or")
    s = ax.search.ephemeris.search(**eph_args(), metadata_filters=mf, return_immediately=True)
    while not s.check_for_data():
        time.sleep(POLL)
    s.get_data()
    assert_ephemeris(s.data, 144)
    echo = s.status["search_request"]["query"]["data_sources"]["ephemeris_metadata_filters"]
    assert echo["logical_operator"] == "OR", echo


@check
def ephemeris_wait_and_response_format():
    fmt = {"epoch": True, "location_geo": {"lat": True, "lon": True}, "data_source": {"identifier": True}}
    s = ax.search.ephemeris.search(**eph_args(), response_format=fmt, return_immediately=True)
    s.wait(poll_interval=POLL)
    s.get_data()
    assert len(s.data) == 144
    assert set(s.data[0].keys()) == {"epoch", "location_geo", "data_source"}, s.data[0].keys()


@check
def data_products_blocking():
    s = ax.search.data_products.search(**dp_args(), poll_interval=POLL)
    assert_data_products(s.data, 10)


@check
def data_products_return_immediately_check_for_data_get_data():
    s = ax.search.data_products.search(**dp_args(), metadata_filters=[{"key": "keogram_type", "operator": "=", "values": ["daily"]}],
                                       metadata_filters_logical_operator="and", return_immediately=True)
    while not s.check_for_data():
        time.sleep(POLL)
    s.get_data()
    assert_data_products(s.data, 10)


@check
def data_products_wait_and_response_format():
    s = ax.search.data_products.search(**dp_args(), response_format={"url": True, "start": True}, return_immediately=True)
    s.wait(poll_interval=POLL)
    s.get_data()
    assert len(s.data) == 10 and set(s.data[0].keys()) == {"url", "start"}


@check
def cancel_a_running_search():
    admin("config", {"search_seconds": 30})
    try:
        s = ax.search.ephemeris.search(**eph_args(), return_immediately=True)
    finally:
        admin("config", {"search_seconds": None})
    assert s.cancel(wait=True, poll_interval=POLL) == 0
    s.update_status()
    r = s.status["search_result"]
    assert r["error_condition"] is True and r["data_uri"] is None and r["completed_timestamp"] is not None
    assert s.logs[-1]["level"] == "error" and "cancel" in s.logs[-1]["summary"]
    assert not s.check_for_data()


@check
def failed_search_reports_error_condition():
    admin("searches", {"outcome": "fail", "count": 1, "message": "Search failed: database timeout"})
    s = ax.search.data_products.search(**dp_args(), return_immediately=True)
    deadline = time.time() + UNTIL_IT_ENDS
    while not s.status or s.status["search_result"]["completed_timestamp"] is None:
        assert time.time() < deadline
        s.update_status()
        time.sleep(POLL)
    assert s.status["search_result"]["error_condition"] is True
    assert s.logs[-1]["summary"] == "Search failed: database timeout"
    assert not s.completed


@check
def maintenance_mode_is_recognised():
    admin("faults", {"route": "submit", "fault": "http503"})
    try:
        ax.search.ephemeris.search(**eph_args(), return_immediately=True)
    except pyaurorax.AuroraXMaintenanceError:
        return
    raise AssertionError("expected AuroraXMaintenanceError")


# --- data sources, availability, describe, request ids ---------------------------------------------
# Each check below drives pyaurorax's own sources / availability / describe / requests functions.


@check
def sources_list_full_record_parses_into_data_sources():
    sources = ax.search.sources.list()
    assert len(sources) >= 15, len(sources)
    assert all(isinstance(s, DataSource) for s in sources)
    ids = [s.identifier for s in sources]
    assert ids == sorted(ids) and len(set(ids)) == len(ids), ids
    swarm_a = [s for s in sources if s.identifier == 3][0]
    assert (swarm_a.program, swarm_a.platform, swarm_a.display_name) == ("swarm", "swarma", "Swarm A")
    assert swarm_a.owner and swarm_a.maintainers == [] and swarm_a.metadata == {}
    fields = [f["field_name"] for f in swarm_a.ephemeris_metadata_schema]
    assert "nbtrace_region" in fields, fields
    assert swarm_a.data_product_metadata_schema == []


@check
def sources_list_filters_formats_and_order():
    trex = ax.search.sources.list(program="trex", format=pyaurorax.search.FORMAT_BASIC_INFO, order="display_name")
    assert [s.display_name for s in trex] == sorted(s.display_name for s in trex) and len(trex) == 4, trex
    assert all(s.program == "trex" and s.owner is None for s in trex)
    leo = ax.search.sources.list(source_type=pyaurorax.search.SOURCE_TYPE_LEO, format=pyaurorax.search.FORMAT_IDENTIFIER_ONLY)
    assert [s.identifier for s in leo] == [3, 29, 30] and leo[0].program is None, leo
    meta = ax.search.sources.list(platform="gillam", format=pyaurorax.search.FORMAT_BASIC_INFO_WITH_METADATA)
    assert {s.identifier for s in meta} == {46, 80, 103, 120} and all("geo_lat" in s.metadata for s in meta)
    assert ax.search.sources.list(program="nope") == []


@check
def sources_get_by_program_platform_instrument_type():
    ds = ax.search.sources.get("trex", "gillam", "NIR ASI")
    assert isinstance(ds, DataSource) and ds.identifier == 120, ds
    fields = [f["field_name"] for f in ds.data_product_metadata_schema]
    assert "keogram_type" in fields, fields
    try:
        ax.search.sources.get("trex", "gillam", "no such instrument")
    except pyaurorax.AuroraXNotFoundError:
        pass
    else:
        raise AssertionError("expected AuroraXNotFoundError")


@check
def sources_get_using_filters_and_search():
    found = ax.search.sources.get_using_filters(program="themis-asi", instrument_type="panchromatic ASI", order="platform")
    assert [s.platform for s in found] == ["athabasca", "fort_smith", "gillam", "rankin_inlet"], found
    found = ax.search.sources.search(programs=["swarm", "rego"], platforms=["swarmb", "resolute_bay"])
    assert [s.identifier for s in found] == [29, 82], found


@check
def sources_get_using_identifier_with_stats_and_404():
    ds = ax.search.sources.get_using_identifier(44, include_stats=True)
    assert ds.display_name == "THEMIS-ASI ATHA" and ds.stats is not None
    assert ds.stats.ephemeris_count > 0 and ds.stats.data_product_count > 0
    assert isinstance(ds.stats.earliest_ephemeris_loaded, datetime.datetime)
    assert ds.stats.earliest_ephemeris_loaded <= ds.stats.latest_ephemeris_loaded
    try:
        ax.search.sources.get_using_identifier(99999)
    except pyaurorax.AuroraXAPIError as e:
        assert "404" in str(e), e
    else:
        raise AssertionError("expected AuroraXAPIError for an unknown identifier")


@check
def availability_ephemeris_parses_into_results():
    res = ax.search.availability.ephemeris(datetime.date(2020, 1, 1), datetime.date(2020, 1, 5), program="swarm")
    assert [r.data_source.identifier for r in res] == [3, 29, 30], res
    for r in res:
        assert isinstance(r, pyaurorax.search.AvailabilityResult) and isinstance(r.data_source, DataSource)
        assert r.available_data_products is None and r.data_source.display_name.startswith("Swarm")
        assert set(r.available_ephemeris) <= {"2020-01-0%d" % d for d in range(1, 6)}
        assert all(n == 1440 for n in r.available_ephemeris.values()), r.available_ephemeris


@check
def availability_data_products_parses_into_results():
    res = ax.search.availability.data_products(datetime.date(2020, 1, 1), datetime.date(2020, 1, 10), program="trex",
                                               instrument_type="RGB ASI", format=pyaurorax.search.FORMAT_IDENTIFIER_ONLY)
    assert [r.data_source.identifier for r in res] == [103, 104, 105], res
    for r in res:
        assert r.available_ephemeris is None and r.data_source.program is None
        assert r.available_data_products and all(isinstance(n, int) and n > 0 for n in r.available_data_products.values())
    assert ax.search.availability.data_products(datetime.date(2020, 1, 1), datetime.date(2020, 1, 10), source_type="leo") == []


@check
def describe_all_three_kinds_from_search_objects():
    conj = ax.search.conjunctions.search(**conj_args(), return_immediately=True)
    text = ax.search.conjunctions.describe(search_obj=conj)
    assert text.startswith("Find conjunctions of type (nbtrace)") and "ground1-space1=500 km" in text, text
    eph = ax.search.ephemeris.search(**eph_args(), return_immediately=True)
    text = ax.search.ephemeris.describe(search_obj=eph)
    assert text.startswith("Find ephemeris for (program in (swarm) AND platform in (swarma)"), text
    dp = ax.search.data_products.search(**dp_args(), return_immediately=True)
    text = ax.search.data_products.describe(query_dict=dp.query)
    assert text.startswith("Find data products for (program in (trex)") and "data_product_type in (keogram)" in text, text


@check
def describe_rejects_a_bad_query():
    try:
        ax.search.ephemeris.describe(query_dict={"start": "2019-01-01T00:00:00"})
    except pyaurorax.AuroraXAPIError as e:
        assert "400" in str(e), e
    else:
        raise AssertionError("expected AuroraXAPIError for a query without end and data_sources")


@check
def requests_status_logs_data_by_id_and_unknown_id():
    s = ax.search.ephemeris.search(**eph_args(), return_immediately=True)
    url = "%s/api/v1/ephemeris/requests/%s" % (BASE, s.request_id)
    status = ax.search.requests.wait_for_data(url, poll_interval=POLL)
    assert status["search_request"]["request_id"] == s.request_id
    logs = ax.search.requests.get_logs(url)
    assert logs[-1]["summary"].startswith("Finished search in "), logs[-1]
    data = ax.search.requests.get_data(url + "/data")
    assert len(data) == 144 and isinstance(data[0]["epoch"], datetime.datetime)
    unknown = "%s/api/v1/ephemeris/requests/0848d9bb-5308-41a5-93ba-4453bad7ec38" % BASE
    try:
        ax.search.requests.get_status(unknown)
    except pyaurorax.AuroraXAPIError as e:
        assert "No request with given request id" in str(e), e
    else:
        raise AssertionError("expected AuroraXAPIError for an unknown request id")


@check
def server_saw_the_traffic():
    stats = server_stats()
    assert stats["by_route"]["submit"] >= 13 and stats["by_route"]["cancel"] >= 1, stats["by_route"]
    assert stats["by_route"]["data"] >= 10 and stats["by_route"]["describe"] >= 1, stats["by_route"]


if BASE.startswith("https://"):
    @check
    def tls_is_checked_and_carries_the_traffic():
        import certifi
        ca = os.environ.get("REQUESTS_CA_BUNDLE", "")
        assert ca and os.path.isfile(ca), "REQUESTS_CA_BUNDLE names no file: %r" % ca
        try:  # the public store alone does not know the test CA: the certificate is checked
            requests.get(BASE + "/_testserver/stats", timeout=UNTIL_IT_ENDS, verify=certifi.where())
        except requests.exceptions.SSLError:
            pass
        else:
            raise AssertionError("the server's certificate was accepted without its CA")
        stats = server_stats()
        versions = stats["http_versions"]
        # requests speaks HTTP/1.1 (it offers no h2 by ALPN): pyaurorax's requests came over TLS as 1.1
        assert versions["HTTP/1.1"] >= 13 and versions["HTTP/2.0"] == 0, versions


def main():
    passed = failed = 0
    for fn in CHECKS:
        t0 = time.time()
        try:
            fn()
            passed += 1
            print("PASS %s (%.2f s)" % (fn.__name__, time.time() - t0), flush=True)
        except Exception:
            failed += 1
            print("FAIL %s" % fn.__name__, flush=True)
            traceback.print_exc()
    print("%d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
