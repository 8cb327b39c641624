# Tests of the AuroraX package against the bundled local AuroraX server.
#   AURORAX_LIB=/path/to/libaurorax.so AURORAX_TESTSERVER=/path/to/aurorax-testserver \
#       julia --threads=2 --project=bindings/julia/AuroraX -e 'using Pkg; Pkg.test(julia_args=`--threads=2`)'
# Two threads at least: "blocking calls let other threads collect garbage" needs a second
# thread, and fails (it does not skip) with one.
# NOT RUN YET: Julia cannot be installed on the project's machines. bindings/julia/
# check_ccalls.py checks these files parse and that every export is used here.
using AuroraX
using Test

# Seconds: the bound of a wait whose end comes from the search itself; it only stops a
# wait that would otherwise hang, so a busy machine cannot break it.
const UNTIL_IT_ENDS = 300.0

const SERVER = get(ENV, "AURORAX_TESTSERVER", "")
isempty(SERVER) && error("set AURORAX_TESTSERVER to the aurorax-testserver binary")
isempty(get(ENV, "AURORAX_LIB", "")) && error("set AURORAX_LIB to libaurorax's path")

const PROCESS = open(`$SERVER --listen 127.0.0.1:0 --search-seconds 0.5`, "r")
const URL = readline(PROCESS)
atexit(() -> kill(PROCESS))
startswith(URL, "http://127.0.0.1:") || error("the server printed $URL")

# the server's admin API (testserver/README.md), with curl as the other test suites use it
admin(path, body) = run(pipeline(`curl -sSf --max-time 10 -X POST $URL$path -d $body`, devnull))
# How many requests of a route the local server has answered (its stats, by_route).
function route_count(route)
    stats = read(`curl -sSf --max-time 10 $URL/_testserver/stats`, String)
    m = match(Regex("\"by_route\":\\s*\\{[^}]*\"$route\":\\s*(\\d+)"), stats)
    m === nothing && error("no count for $route in the server's stats: $stats")
    parse(Int, m.captures[1])
end

const GROUND = """[{"programs": ["themis-asi"], "ephemeris_metadata_filters": [{"key": "ml_cloud_v1", "operator": "=", "values": ["not classified as cloud"]}]}]"""
const SPACE = """[{"programs": ["swarm"], "ephemeris_metadata_filters": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}]"""

month(m) = conjunctions_search("2019-$(lpad(m, 2, '0'))-01T00:00:00", "2019-$(lpad(m, 2, '0'))-28T23:59:59",
                               """[{"programs": ["themis-asi"]}]""", """[{"programs": ["swarm"]}]""", 500.0)

function submitted(s)
    deadline = time() + UNTIL_IT_ENDS
    while time() < deadline
        request_id(s) === nothing || return s
        sleep(0.05)
    end
    error("no request id before the hang bound")
end

# the AuroraXError f throws (nothing if it throws none)
function failure(f)
    try
        f()
    catch e
        e isa AuroraXError && return e
        rethrow()
    end
    return nothing
end

function failure_name(f)
    e = failure(f)
    return e === nothing ? "no error" : e.name
end

@testset "AuroraX" begin
    set_api_url(URL)
    set_api_key(nothing)
    set_poll_interval(0.5)
    set_request_timeout(30.0)
    set_max_retries(3)
    @test library_path() == ENV["AURORAX_LIB"]
    @test occursin(r"^\d+\.\d+\.\d+", version())
    @test status_name(-8) == "AURORAX_ERR_TIMEOUT"

    @testset "seed workflow" begin
        s = conjunctions_search("2019-01-01T00:00:00", "2019-12-31T23:59:59", GROUND, SPACE, 300.0)
        deadline = time() + UNTIL_IT_ENDS
        while !check_for_data(s)
            @test time() < deadline
            sleep(0.05)
        end
        json = get_data(s)
        @test startswith(json, "[") && count("\"conjunction_type\"", json) == 365
        @test length(request_id(s)) == 36 && occursin(request_id(s), request_url(s))
        @test occursin("Finished search", logs(s)) && occursin("search_result", status(s))
        @test search_error(s) === nothing
        close(s)
        @test failure_name(() -> check_for_data(s)) == "AURORAX_ERR_INVALID_ARGUMENT"
    end

    @testset "the other kinds" begin
        e = ephemeris_search("2019-01-01T00:00:00", "2019-01-01T23:59:59", """{"programs": ["swarm"], "platforms": ["swarma"]}""")
        d = data_products_search("2020-02-01T00:00:00", "2020-02-05T23:59:59", """{"programs": ["trex"]}""", """["keogram"]""")
        j = ephemeris_search_json("""{"data_sources": {"programs": ["swarm"]}, "start": "2019-01-01T00:00:00", "end": "2019-01-01T01:00:00"}""")
        p = data_products_search_json("""{"data_sources": {"programs": ["trex"]}, "start": "2020-02-01T00:00:00", "end": "2020-02-01T23:59:59"}""")
        c = conjunctions_search_json("""{"start": "2019-01-01T00:00:00", "end": "2019-01-02T00:00:00", "ground": [{"programs": ["themis-asi"]}], "space": [{"programs": ["swarm"]}]}""")
        @test all(s -> wait_for(s, UNTIL_IT_ENDS), (e, d, j, p, c))
        @test occursin("location_geo", get_data(e)) && occursin("keogram", get_data(d))
    end

    @testset "the wait yields to other tasks" begin
        admin("/_testserver/config", """{"search_seconds": 2}""")
        s = month(2)
        ticks = Ref(0)
        waiting = Ref(true)
        ticker = @async while waiting[]
            ticks[] += 1
            sleep(0.01)
        end
        started = time()
        @test wait_for(s, UNTIL_IT_ENDS)
        waiting[] = false
        wait(ticker)
        @test time() - started >= 1.5
        @test ticks[] >= 20   # a blocking foreign call would have let it run at most once
        admin("/_testserver/reset", "{}")
    end

    @testset "progress lines" begin
        admin("/_testserver/config", """{"search_seconds": 1.5, "result_count": 2000}""")
        admin("/_testserver/faults", """{"route": "data", "fault": "delay", "delay_ms": 1500}""")
        s = month(1)
        io = IOBuffer()
        @test wait_for(s, UNTIL_IT_ENDS; progress = true, io = io, every = 0.3)
        out = String(take!(io))
        @test occursin(r"aurorax conjunctions \w+: running, \d+\.\d s", out)
        @test occursin(r"downloading, \d+\.\d s, \d+\.\d of \d+\.\d MB", out)
        @test occursin(r"ready, \d+\.\d s, (\d+\.\d) of \1 MB\n$", out)
        p = progress(s)
        @test p.phase === :ready && p.bytes_received == p.bytes_expected > 15_000_000
        admin("/_testserver/reset", "{}")
    end

    @testset "failures" begin
        admin("/_testserver/searches", """{"outcome": "fail", "count": 1, "message": "Search failed: arranged by the Julia tests"}""")
        s = month(3)
        err = try
            wait_for(s, UNTIL_IT_ENDS)
            nothing
        catch e
            e
        end
        @test err isa AuroraXError && err.name == "AURORAX_ERR_SEARCH_FAILED" && occursin("arranged by the Julia tests", err.message)
        @test progress(s).phase === :AURORAX_ERR_SEARCH_FAILED
        @test failure_name(() -> get_data(s)) == "AURORAX_ERR_SEARCH_FAILED"
        @test failure_name(() -> conjunctions_search("2019-02-30T00:00:00", "2019-03-01T00:00:00", "[]", "[]", 1.0)) == "AURORAX_ERR_INVALID_ARGUMENT"
        @test failure_name(() -> set_poll_interval(NaN)) == "AURORAX_ERR_INVALID_ARGUMENT"
        @test failure_name(() -> set_api_url("ftp://example.org")) == "AURORAX_ERR_INVALID_ARGUMENT"
        @test_throws ArgumentError wait_for(month(4), NaN)
    end

    @testset "errors carry the library's status, whatever the message says" begin
        codes = statuses()
        @test codes["AURORAX_OK"] == 0 && haskey(codes, "AURORAX_ERR_TLS")
        @test all(status_name(code) == name for (name, code) in codes)
        @test status_code(:AURORAX_ERR_SEARCH_FAILED) == codes["AURORAX_ERR_SEARCH_FAILED"]
        @test_throws ArgumentError status_code(:AURORAX_ERR_NO_SUCH_THING)
        # set_ca_bundle reads the file at the call
        err = failure(() -> set_ca_bundle(joinpath(mktempdir(), "no-such-ca.pem")))
        @test err isa AuroraXError && err.status == status_code(:AURORAX_ERR_INVALID_ARGUMENT)
        @test err.name == "AURORAX_ERR_INVALID_ARGUMENT" && occursin("no-such-ca.pem", err.message)
        @test set_ca_bundle(nothing) === nothing
        # a server's failure message that mimics another status's prefix changes nothing
        admin("/_testserver/searches", """{"outcome": "fail", "count": 1, "message": "AURORAX_ERR_NETWORK: connection reset (words of the Julia tests)"}""")
        s = submitted(month(4))
        err = failure(() -> wait_for(s, UNTIL_IT_ENDS))
        @test err isa AuroraXError && err.status == status_code(:AURORAX_ERR_SEARCH_FAILED)
        @test err.name == "AURORAX_ERR_SEARCH_FAILED" && occursin("AURORAX_ERR_NETWORK: connection reset", err.message)
        @test failure(() -> get_data(s)).status == status_code(:AURORAX_ERR_SEARCH_FAILED)
        @test failure(() -> get_record(s, 1)).status == status_code(:AURORAX_ERR_SEARCH_FAILED)
    end

    @testset "outage tolerance" begin
        # negative, NaN, infinite or over a week: the library's INVALID_ARGUMENT status
        for bad in (-1.0, NaN, Inf, -Inf, 604800.5)
            err = failure(() -> set_outage_tolerance(bad))
            @test err isa AuroraXError && err.status == status_code(:AURORAX_ERR_INVALID_ARGUMENT)
        end
        @test set_outage_tolerance(604800) === nothing
        @test set_outage_tolerance(0) === nothing
        # with no per-request retries, two 502s on the status polls fail a search under
        # tolerance 0 (the v2 rule) and are outlasted under tolerance 30
        set_max_retries(0)
        faults = """{"route": "status", "fault": "http502", "count": 2}"""
        admin("/_testserver/faults", faults)
        err = failure(() -> wait_for(month(6), UNTIL_IT_ENDS))
        @test err isa AuroraXError && err.status != status_code(:AURORAX_ERR_TIMEOUT)
        admin("/_testserver/reset", "{}")   # the fault the failed search left
        set_outage_tolerance(30.0)
        admin("/_testserver/faults", faults)
        @test wait_for(month(6), UNTIL_IT_ENDS)
        admin("/_testserver/reset", "{}")
        set_max_retries(3)
        set_outage_tolerance(600.0)
    end

    @testset "save and spool" begin
        s = month(7)
        @test wait_for(s, UNTIL_IT_ENDS)
        dir = mktempdir()
        save_data(s, joinpath(dir, "r.json"))
        @test read(joinpath(dir, "r.json"), String) == get_data(s)
        save_data(s, joinpath(dir, "r.ndjson"); ndjson = true)
        @test readlines(joinpath(dir, "r.ndjson")) == records(s)
        err = failure(() -> save_data(s, joinpath(dir, "missing", "r.json")))
        @test err isa AuroraXError && err.status == status_code(:AURORAX_ERR_INVALID_ARGUMENT)
        @test set_spool_threshold(0) === nothing
        @test set_spool_threshold(256 << 20) === nothing
    end

    @testset "timeout and cancel" begin
        # the server takes 5 s: a wait that blocked until the end would return true
        admin("/_testserver/config", """{"search_seconds": 5}""")
        s = month(5)
        @test wait_for(s, 0.05) == false
        @test wait_for(s, UNTIL_IT_ENDS)
        c = submitted(month(6))
        # cancel returns at once; the engine sends the DELETE, here held 3 s by the server
        admin("/_testserver/config", """{"latency": {"cancel": 3}}""")
        cancel(c)
        # back before the server answered the DELETE: the server's stats count it only
        # once its 3 s pause is over
        @test route_count("cancel") == 0
        admin("/_testserver/reset", "{}")
        @test failure_name(() -> wait_for(c, UNTIL_IT_ENDS)) == "AURORAX_ERR_CANCELLED"
        @test search_error(c) !== nothing
    end

    @testset "attach" begin
        s = submitted(month(7))
        a = attach(:conjunctions, request_id(s))
        @test wait_for(a, UNTIL_IT_ENDS) && wait_for(s, UNTIL_IT_ENDS)
        @test get_data(a) == get_data(s)
        @test failure_name(() -> attach(:ephemeris, "not-a-request-id")) == "AURORAX_ERR_INVALID_ARGUMENT"
        @test_throws ArgumentError attach(:spaceships, request_id(s))
        u = attach(:data_products, "0b6a8a0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b")
        @test failure_name(() -> wait_for(u, UNTIL_IT_ENDS)) == "AURORAX_ERR_API"
    end

    @testset "wait_any" begin
        admin("/_testserver/searches", """{"outcome": "never_finish", "count": 1}""")
        slow = submitted(month(8))
        fast = month(9)
        @test wait_any([slow, fast], UNTIL_IT_ENDS) == 2
        @test wait_any([fast, slow], UNTIL_IT_ENDS) == 1
        started = time()
        @test wait_any([slow], 0.5) == 0
        @test time() - started >= 0.4
        cancel(slow)
        @test wait_any([slow], UNTIL_IT_ENDS) == 1
        close(fast)
        @test_throws ArgumentError wait_any([slow, fast], 1.0)
        @test_throws ArgumentError wait_any(Search[], 1.0)
    end

    @testset "records and describe" begin
        s = month(10)
        @test wait_for(s, UNTIL_IT_ENDS)
        n = record_count(s)
        rs = records(s)
        @test n == 28 && length(rs) == n
        @test get_record(s, 1) == rs[1] && get_record(s, n) == rs[n]
        @test "[" * join(rs, ",") * "]" == get_data(s)
        @test failure_name(() -> get_record(s, n + 1)) == "AURORAX_ERR_INVALID_ARGUMENT"
        @test failure_name(() -> get_record(s, 0)) == "AURORAX_ERR_INVALID_ARGUMENT"
        @test occursin("conjunction", lowercase(query_description(s)))
        admin("/_testserver/searches", """{"outcome": "never_finish", "count": 1}""")
        pending = submitted(month(11))
        @test failure_name(() -> record_count(pending)) == "AURORAX_ERR_NOT_READY"
        cancel(pending)
    end

    @testset "columns" begin
        s = month(3)
        @test wait_for(s, UNTIL_IT_ENDS)
        n = record_count(s)
        c = columns(s)
        @test c isa NamedTuple && keys(c)[1:3] == (:conjunction_type, :start, :end_time)
        @test all(v -> length(v) == n, values(c))        # a Tables.jl column table
        @test c.min_distance isa Vector{Float64} && all(!isnan, c.min_distance)
        @test c.min_distance == column_f64(s, "/min_distance")
        @test all(t -> t isa String && length(t) == 19, c.end_time)   # the record key "end"
        @test c.events == column_json(s, "/events") && all(t -> startswith(t, "["), c.events)
        @test column_text(s, "/data_sources/1/program") == fill("swarm", n)
        @test column_json(s, "") == records(s)
        @test all(ismissing, column_text(s, "/no_such_field")) && all(isnan, column_f64(s, "/start"))
        @test all(ismissing, column_text(s, "/min_distance"))
        for i in (1, n)
            r = get_record(s, i)
            @test occursin("\"start\":\"$(c.start[i])\"", replace(r, " " => ""))
        end
        @test failure_name(() -> column_f64(s, "min_distance")) == "AURORAX_ERR_INVALID_ARGUMENT"
        @test failure_name(() -> column_text(s, "/\xff")) == "AURORAX_ERR_INVALID_ARGUMENT"
        e = ephemeris_search("2019-01-01T00:00:00", "2019-01-01T02:59:59",
                             """{"programs": ["themis-asi", "swarm"], "platforms": ["gillam", "swarma"]}""")
        ce = columns(e)
        @test any(isnan, ce.location_gsm_lat) && !all(isnan, ce.location_gsm_lat)   # null for ground sources
        @test all(ismissing, column_text(e, "/location_gsm/lat"))
        @test keys(columns(data_sources())) == (:identifier, :program, :platform, :instrument_type, :source_type, :display_name)
    end

    @testset "discovery" begin
        s = data_sources("""{"program": "swarm"}""")
        @test wait_for(s, UNTIL_IT_ENDS) && record_count(s) == 3
        @test all(r -> occursin("\"program\":\"swarm\"", replace(r, " " => "")), records(s))
        @test failure_name(() -> query_description(s)) == "AURORAX_ERR_INVALID_ARGUMENT"
        @test wait_for(data_sources(), UNTIL_IT_ENDS)
        @test failure_name(() -> data_sources("""{"program": """)) == "AURORAX_ERR_INVALID_ARGUMENT"
        e = ephemeris_availability("2020-01-01", "2020-01-03", """{"program": "swarm", "platform": "swarma"}""")
        @test wait_for(e, UNTIL_IT_ENDS) && record_count(e) == 1 && occursin("available_ephemeris", get_data(e))
        d = data_products_availability("2020-01-01", "2020-01-31")
        @test wait_for(d, UNTIL_IT_ENDS) && occursin("available_data_products", get_data(d))
        @test failure_name(() -> ephemeris_availability("2020-03-01", "2020-02-01")) == "AURORAX_ERR_INVALID_ARGUMENT"
    end

    @testset "result cap and log level" begin
        set_max_result_bytes(10_000)
        @test failure_name(() -> wait_for(month(12), UNTIL_IT_ENDS)) == "AURORAX_ERR_PROTOCOL"
        set_max_result_bytes(0)
        @test wait_for(month(12), UNTIL_IT_ENDS)
        for level in (:error, :warn, :info, :debug, :off)
            @test set_log_level(level) === nothing
        end
        @test failure_name(() -> set_log_level(4)) == "AURORAX_ERR_INVALID_ARGUMENT"
        @test_throws ArgumentError set_log_level(:verbose)
    end

    @testset "library location" begin
        # set_library! writes the preference for later sessions; AURORAX_LIB still wins
        set_library!(ENV["AURORAX_LIB"])
        @test library_path() == ENV["AURORAX_LIB"]
    end

    @testset "errors print the status name once" begin
        err = failure(() -> attach(:ephemeris, "not-a-request-id"))
        text = sprint(showerror, err)
        @test count("AURORAX_ERR_INVALID_ARGUMENT", text) == 1
        @test startswith(text, "AURORAX_ERR_INVALID_ARGUMENT: ")
        # a message without the name (one made by hand) still gets it, once
        @test sprint(showerror, AuroraXError(-8, "AURORAX_ERR_TIMEOUT", "no answer")) == "AURORAX_ERR_TIMEOUT: no answer"
    end

    @testset "describe is not exported" begin
        # DataFrames and StatsBase export describe: `using AuroraX, DataFrames` must leave it theirs
        @test !(:describe in names(AuroraX))
        @test !isdefined(Main, :describe) || parentmodule(getfield(Main, :describe)) !== AuroraX
        @test :query_description in names(AuroraX)
    end

    @testset "blocking calls let other threads collect garbage" begin
        # query_description blocks its thread for the server's 3 s. A garbage collection
        # started on another thread meanwhile must not wait for it: the call runs in a
        # GC-safe region. (With a plain ccall, GC.gc() below takes the full 3 s.)
        @test Threads.nthreads() >= 2   # run with --threads=2 (see the top of this file)
        admin("/_testserver/config", """{"latency": {"describe": 3}}""")
        s = month(4)
        # The collector is spawned first and sleeps; the main task (sticky to its thread)
        # then blocks that thread in the call, so the collector wakes on the other thread.
        collector = Threads.@spawn (sleep(0.5); t = time(); GC.gc(); time() - t)
        t = time()
        text = query_description(s)
        described_in = time() - t
        collected_in = fetch(collector)
        @test occursin("conjunction", lowercase(text))
        @test described_in >= 2.5      # it really blocked for the server's 3 s
        @test collected_in < 1.5        # and the collection did not wait for it
        # shutdown blocks up to a few seconds (a submit held by the server): the same
        admin("/_testserver/config", """{"latency": {"submit": 2}}""")
        month(5)
        collector = Threads.@spawn (sleep(0.3); t = time(); GC.gc(); time() - t)
        t = time()
        shutdown()
        @test time() - t >= 0.5
        @test fetch(collector) < 1.5
        admin("/_testserver/reset", "{}")
    end

    shutdown()
end
