//! The `aurorax` binary against the local server: every command, every exit status the
//! server can produce, progress on a pseudo-terminal and none through a pipe, Ctrl-C.

use aurorax::client::{Kind, Search, Settings};
use aurorax_testserver::{start, Config, ServerGuard};
use serde_json::{json, Value};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_aurorax");
const KINDS: [(&str, Kind); 3] = [
    ("conjunctions", Kind::Conjunctions),
    ("ephemeris", Kind::Ephemeris),
    ("data_products", Kind::DataProducts),
];
/// Every wait in these tests is bounded, only to end a hang: 300 s, as in the library's tests.
const LIMIT: Duration = Duration::from_secs(300);

/// One test's set-up: a local server, a scratch directory, and `aurorax` pointed at the server.
struct Local {
    server: ServerGuard,
    dir: Scratch,
}

impl Local {
    fn new(name: &str, search_seconds: f64) -> Local {
        Local::with(
            name,
            Config {
                search_seconds,
                ..Config::default()
            },
        )
    }

    fn with(name: &str, config: Config) -> Local {
        Local {
            server: start(config).unwrap(),
            dir: scratch(name),
        }
    }

    fn url(&self) -> &str {
        self.server.base_url()
    }

    /// `aurorax --api-url URL args...`, through pipes.
    fn run(&self, args: &[&str]) -> Ran {
        aurorax(self.url(), args)
    }

    /// `aurorax search KIND search QUERY extra...`, through pipes.
    fn search(&self, kind: &str, query: &Path, extra: &[&str]) -> Ran {
        let mut args = vec!["search", kind, "search", s(query)];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// The template of `kind`, written by `search_template --outfile` into the scratch directory.
    fn template(&self, kind: &str) -> PathBuf {
        let path = self.dir.join(format!("{kind}.json"));
        let r = self.run(&["search", kind, "search_template", "--outfile", s(&path)]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        path
    }

    /// A finished request of `kind` for the query in `query_path`, run through the library:
    /// its id and its data.
    fn finished_request(&self, kind: Kind, query_path: &Path) -> (String, String) {
        let query = std::fs::read_to_string(query_path).unwrap();
        let search = Search::from_json(&settings(&self.server), kind, &query).unwrap();
        search.wait(Some(LIMIT)).unwrap();
        (
            search.request_id().unwrap(),
            search.data().unwrap().to_string(),
        )
    }

    fn total(&self) -> u64 {
        self.server.stats()["total"].as_u64().unwrap()
    }

    /// Request ids the server has seen, from its stats.
    fn request_ids(&self) -> Vec<String> {
        self.server.stats()["by_request"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

fn wait_bounded(mut child: Child) -> Ran {
    // read while it runs: a result larger than a pipe's buffer would block it otherwise
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut text = String::new();
        out_pipe.read_to_string(&mut text).unwrap();
        text
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        err_pipe.read_to_string(&mut text).unwrap();
        text
    });
    let deadline = Instant::now() + LIMIT;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("aurorax did not end within {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ran {
        code: status.code().unwrap_or(-1),
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

fn spawn(args: &[&str]) -> Child {
    Command::new(BIN)
        .args(args)
        .env_remove("AURORAX_API_URL")
        .env_remove("AURORAX_API_KEY")
        .env_remove("AURORAX_CA_BUNDLE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs `aurorax --api-url URL args...` with output through pipes (not a terminal).
fn aurorax(url: &str, args: &[&str]) -> Ran {
    let mut all = vec!["--api-url", url];
    all.extend_from_slice(args);
    wait_bounded(spawn(&all))
}

/// A directory of one test's own, removed when the test ends, passed or failed.
struct Scratch(tempfile::TempDir);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.0.path()
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = tempfile::Builder::new()
        .prefix(&format!("aurorax-cli-{name}-"))
        .tempdir()
        .unwrap();
    Scratch(dir)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn settings(server: &ServerGuard) -> Settings {
    Settings::default()
        .with_api_url(server.base_url())
        .unwrap()
        .with_poll_interval(Duration::from_millis(250))
        .unwrap()
}

#[test]
fn search_outfile_is_byte_for_byte_the_librarys_data_for_every_kind() {
    let local = Local::new("outfile", 0.2);
    for (kind, k) in KINDS {
        let query = local.template(kind);
        outfile_is_the_librarys_data(&local, kind, k, &query);
    }
}

/// `search QUERY --outfile OUT` exits 0, prints nothing through pipes, and OUT holds exactly
/// what the library returns for the same query.
fn outfile_is_the_librarys_data(local: &Local, kind: &str, k: Kind, query: &Path) {
    let name = query.file_stem().unwrap().to_str().unwrap();
    let out = local.dir.join(format!("{name}.result.json"));
    let r = local.search(
        kind,
        query,
        &["--outfile", s(&out), "--poll-interval", "0.5"],
    );
    assert_eq!(r.code, 0, "{name}: {}", r.stderr);
    // not a terminal: nothing but the result (here in a file)
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("", ""), "{name}");
    let (_, expected) = local.finished_request(k, query);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected, "{name}");
    assert!(expected.len() > 2, "{name}: an empty result proves little");
}

/// A committed query file (cli/tests/queries, described in its README.md).
fn query_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/queries")
        .join(name)
}

#[test]
fn query_files_in_the_websites_export_shape_are_searched_and_described() {
    let local = Local::new("website", 0.1);
    for (file, kind, k) in [
        // the conjunction page's export: `.000Z` times, `{}` filters, `events: []`
        (
            "website_conjunctions.json",
            "conjunctions",
            Kind::Conjunctions,
        ),
        // an older export: metadata filters, explicit ground1-ground2 0 and space1-space2
        // null, the deprecated epoch_search_precision
        (
            "website_conjunctions_epoch_precision.json",
            "conjunctions",
            Kind::Conjunctions,
        ),
        // pyaurorax's example-file shape (the website's own export not established)
        ("ephemeris.json", "ephemeris", Kind::Ephemeris),
        ("data_products.json", "data_products", Kind::DataProducts),
    ] {
        let query = query_file(file);
        let text = std::fs::read_to_string(&query).unwrap();
        assert!(
            text.contains("\"start\""),
            "{file}: not a query file: {text}"
        );
        outfile_is_the_librarys_data(&local, kind, k, &query);
        describe_answers(&local, kind, &query);
    }
}

#[test]
fn stdout_takes_json_ndjson_indent_and_minify() {
    let local = Local::new("formats", 0.1);
    let query = local.template("ephemeris");
    let (_, expected) = local.finished_request(Kind::Ephemeris, &query);
    let plain = local.search("ephemeris", &query, &[]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert_eq!(plain.stdout, format!("{expected}\n"));
    assert_eq!(plain.stderr, "");

    let ndjson = local.search("ephemeris", &query, &["--format", "ndjson"]);
    let records: Vec<Value> = serde_json::from_str(&expected).unwrap();
    let lines: Vec<&str> = ndjson.stdout.lines().collect();
    assert_eq!(lines.len(), records.len());
    for (line, record) in lines.iter().zip(&records) {
        assert_eq!(&serde_json::from_str::<Value>(line).unwrap(), record);
    }

    let indented = local.search("ephemeris", &query, &["--indent", "4"]);
    assert!(
        indented.stdout.starts_with("[\n    {\n        \""),
        "{}",
        &indented.stdout[..40]
    );
    assert_eq!(
        serde_json::from_str::<Value>(&indented.stdout).unwrap(),
        Value::Array(records.clone())
    );
    let minified = local.search("ephemeris", &query, &["--minify"]);
    assert!(!minified.stdout.trim_end().contains(['\n', ' ']) || expected.contains(' '));
    assert_eq!(
        serde_json::from_str::<Value>(&minified.stdout).unwrap(),
        Value::Array(records)
    );
}

#[test]
fn several_infiles_run_in_parallel_beside_their_inputs_or_in_outdir() {
    let local = Local::new("parallel", 0.5);
    let a = local.template("conjunctions");
    let b = local.dir.join("second.json");
    std::fs::copy(&a, &b).unwrap();
    let r = local.search("conjunctions", &a, &[s(&b)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, expected) = local.finished_request(Kind::Conjunctions, &a);
    for out in ["conjunctions.result.json", "second.result.json"] {
        assert_eq!(
            std::fs::read_to_string(local.dir.join(out)).unwrap(),
            expected,
            "{out}"
        );
    }
    let outdir = local.dir.join("out");
    let r = local.search(
        "conjunctions",
        &a,
        &[s(&b), "--outdir", s(&outdir), "--format", "ndjson"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(outdir.join("second.result.ndjson").exists());
    // four searches in all, plus the one made here to compare against
    let ids = local.request_ids();
    assert!(ids.len() >= 5, "{ids:?}");
    let r = local.search("conjunctions", &a, &[s(&b), "--outfile", "x.json"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn request_commands_read_status_logs_query_and_data_by_id() {
    let local = Local::new("requests", 0.1);
    for (kind, k) in KINDS {
        let query = local.template(kind);
        let (id, data) = local.finished_request(k, &query);

        let status = local.run(&["search", kind, "get_status", &id]);
        assert_eq!(status.code, 0, "{}", status.stderr);
        let doc: Value = serde_json::from_str(&status.stdout).unwrap();
        assert_eq!(doc["search_request"]["request_id"], json!(id));
        assert!(doc.get("logs").is_none() && doc["search_request"].get("query").is_none());
        let full = local.run(&[
            "search",
            kind,
            "get_status",
            &id,
            "--show-logs",
            "--show-query",
            "--filter-logs",
            "info",
        ]);
        let doc: Value = serde_json::from_str(&full.stdout).unwrap();
        assert!(doc["search_request"]["query"].is_object());
        assert!(doc["logs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["level"] == "info"));

        let logs = local.run(&["search", kind, "get_logs", &id]);
        assert_eq!(logs.code, 0, "{}", logs.stderr);
        assert!(
            logs.stdout.contains("info") && logs.stdout.lines().count() >= 2,
            "{}",
            logs.stdout
        );
        let errors = local.run(&["search", kind, "get_logs", &id, "--filter", "error"]);
        assert_eq!((errors.code, errors.stdout.as_str()), (0, ""));

        let got = local.run(&["search", kind, "get_query", &id]);
        assert_eq!(got.code, 0, "{}", got.stderr);
        let q: Value = serde_json::from_str(&got.stdout).unwrap();
        let asked: Value = serde_json::from_str(&std::fs::read_to_string(&query).unwrap()).unwrap();
        assert_eq!(q["start"], asked["start"]);
        assert!(q.get("request_id").is_none());

        let out = local.dir.join(format!("{kind}.data.json"));
        let r = local.run(&["search", kind, "get_data", &id, "--outfile", s(&out)]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), data);

        let before = local.request_ids();
        let r = local.run(&["search", kind, "search_resubmit", &id]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let new_id = r.stdout.trim();
        assert_ne!(new_id, id);
        assert!(!before.contains(&new_id.to_string()));
        let resubmitted = local.run(&["search", kind, "get_query", new_id]);
        assert_eq!(resubmitted.code, 0, "{}", resubmitted.stderr);
        assert_eq!(resubmitted.stdout, got.stdout, "the same query, sent again");

        describe_answers(&local, kind, &query);
    }
}

/// `describe QUERY` exits 0 with the server's plain-language description.
fn describe_answers(local: &Local, kind: &str, query: &Path) {
    let r = local.run(&["search", kind, "describe", s(query)]);
    assert_eq!(r.code, 0, "{}: {}", s(query), r.stderr);
    assert!(r.stdout.starts_with("Find "), "{}", r.stdout);
}

#[test]
fn sources_and_availability_commands() {
    let local = Local::new("sources", 0.1);
    let r = local.run(&[
        "search",
        "sources",
        "list",
        "--program",
        "swarm",
        "--order",
        "platform",
        "--reversed",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    let platforms: Vec<&str> = list
        .iter()
        .map(|s| s["platform"].as_str().unwrap())
        .collect();
    assert_eq!(platforms, ["swarmc", "swarmb", "swarma"]);

    let r = local.run(&[
        "search",
        "sources",
        "get",
        "swarm",
        "swarma",
        "footprint",
        "--format",
        "full_record",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let one: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(one["platform"], "swarma");
    let id = one["identifier"].as_i64().unwrap().to_string();
    let r = local.run(&["search", "sources", "get", "swarm", "nowhere", "footprint"]);
    assert_eq!(r.code, 13, "{}", r.stderr);

    let r = local.run(&["search", "sources", "get_using_identifier", &id]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        serde_json::from_str::<Value>(&r.stdout).unwrap()["platform"],
        "swarma"
    );

    let r = local.run(&[
        "search",
        "sources",
        "search",
        "--programs",
        "swarm,themis-asi",
        "--output-format",
        "ndjson",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let programs: Vec<String> = r
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["program"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(
        programs.contains(&"swarm".to_string()) && programs.contains(&"themis-asi".to_string())
    );
    assert!(programs.iter().all(|p| p == "swarm" || p == "themis-asi"));

    for (kind, field, program) in [
        ("ephemeris", "available_ephemeris", "swarm"),
        ("data_products", "available_data_products", "themis-asi"),
    ] {
        let r = local.run(&[
            "search",
            "availability",
            kind,
            "2019/01/01",
            "20190103",
            "--program",
            program,
        ]);
        assert_eq!(r.code, 0, "{kind}: {}", r.stderr);
        let records: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
        assert!(!records.is_empty());
        assert!(
            records
                .iter()
                .all(|a| a[field].is_object() && a["data_source"]["program"] == program),
            "{kind}"
        );
    }
    let r = local.run(&[
        "search",
        "availability",
        "ephemeris",
        "2019-01-03",
        "2019-01-01",
    ]);
    assert_eq!(r.code, 11, "{}", r.stderr);
    assert!(r.stderr.contains("end_date"), "{}", r.stderr);
}

#[test]
fn version_connectivity_and_help_with_an_example_on_every_command() {
    let local = Local::new("help", 0.1);
    let r = local.run(&["--version"]);
    assert_eq!((r.code, r.stdout.trim()), (0, "aurorax 0.2.0"));
    let r = local.run(&["--test-connectivity"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("answered"), "{}", r.stdout);

    let mut commands: Vec<Vec<&str>> = vec![
        vec![],
        vec!["search"],
        vec!["search", "sources"],
        vec!["search", "availability"],
    ];
    for (kind, _) in KINDS {
        commands.push(vec!["search", kind]);
        for c in [
            "search",
            "search_template",
            "search_resubmit",
            "describe",
            "get_status",
            "get_logs",
            "get_query",
            "get_data",
        ] {
            commands.push(vec!["search", kind, c]);
        }
    }
    for c in ["list", "get", "get_using_identifier", "search"] {
        commands.push(vec!["search", "sources", c]);
    }
    for c in ["ephemeris", "data_products"] {
        commands.push(vec!["search", "availability", c]);
    }
    for mut c in commands {
        c.push("--help");
        let r = local.run(&c);
        assert_eq!(r.code, 0, "{c:?}: {}", r.stderr);
        assert!(
            r.stdout.contains("Example"),
            "{c:?} has no example:\n{}",
            r.stdout
        );
        assert!(r.stdout.contains("aurorax "), "{c:?}");
    }
    assert_eq!(local.total(), 1, "only --test-connectivity sent a request");
}

#[test]
fn bad_input_is_refused_with_a_message_naming_it_before_any_request() {
    let local = Local::new("bad", 0.1);
    let dir = &local.dir;
    let invalid = dir.join("invalid.json");
    std::fs::write(
        &invalid,
        "{\n  \"start\": \"2019-01-01T00:00:00\",\n  oops\n}\n",
    )
    .unwrap();
    let array = dir.join("array.json");
    std::fs::write(&array, "[]").unwrap();
    let wrong_kind = local.template("ephemeris");
    let missing = dir.join("missing.json");
    let cases: Vec<(Vec<&str>, i32, String)> = vec![
        (
            vec!["search", "conjunctions", "search", s(&missing)],
            11,
            s(&missing).to_string(),
        ),
        (
            vec!["search", "conjunctions", "search", s(&invalid)],
            11,
            format!("{}: line 3", s(&invalid)),
        ),
        (
            vec!["search", "conjunctions", "search", s(&array)],
            11,
            "JSON array".into(),
        ),
        (
            vec!["search", "conjunctions", "search", s(&wrong_kind)],
            11,
            "data_sources".into(),
        ),
        (
            vec!["search", "conjunctions", "describe", s(&missing)],
            11,
            s(&missing).to_string(),
        ),
        (
            vec!["search", "conjunctions", "get_status", "not-an-id"],
            11,
            "'not-an-id' is not a request id".into(),
        ),
        (
            vec!["search", "ephemeris", "get_data", "1234"],
            11,
            "'1234' is not a request id".into(),
        ),
        (
            vec!["search", "data_products", "search_resubmit", "x"],
            11,
            "request id".into(),
        ),
        (
            vec!["search", "conjunctions", "frobnicate"],
            2,
            "frobnicate".into(),
        ),
        (
            vec!["search", "conjunctions", "search", "--bogus", s(&missing)],
            2,
            "--bogus".into(),
        ),
        (vec!["search", "conjunctions", "search"], 2, "INFILE".into()),
        (
            vec![
                "search",
                "conjunctions",
                "search",
                s(&wrong_kind),
                "--timeout=-1",
            ],
            2,
            "--timeout".into(),
        ),
    ];
    for (args, code, named) in cases {
        let r = local.run(&args);
        assert_eq!(r.code, code, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(&named),
            "{args:?} does not name {named}: {}",
            r.stderr
        );
        assert_eq!(r.stdout, "", "{args:?}");
    }
    let r = wait_bounded(spawn(&[
        "--api-url",
        "ftp://nowhere",
        "search",
        "conjunctions",
        "get_logs",
        "0848d9bb-5308-41a5-93ba-4453bad7ec38",
    ]));
    assert_eq!(r.code, 11, "{}", r.stderr);
    assert!(r.stderr.contains("--api-base-url"), "{}", r.stderr);
    // several files: the bad one is found before the good one is sent
    let good = local.template("conjunctions");
    let r = local.search("conjunctions", &good, &[s(&invalid)]);
    assert_eq!(r.code, 11, "{}", r.stderr);
    assert_eq!(local.total(), 0, "a request was sent");
}

#[test]
fn failures_exit_with_ten_plus_their_status() {
    let local = Local::new("failures", 0.2);
    let server = &local.server;
    let query = local.template("conjunctions");
    // 16: the server ran the search and reported an error
    server.set_search_outcome(json!({"outcome": "fail", "message": "database on fire"}));
    let r = local.search("conjunctions", &query, &[]);
    assert_eq!(r.code, 16, "{}", r.stderr);
    assert!(
        r.stderr.contains("AURORAX_ERR_SEARCH_FAILED") && r.stderr.contains("database on fire"),
        "{}",
        r.stderr
    );
    // 18: --timeout passed; the message says how to pick the search up again
    server.set_search_outcome(json!({"outcome": "never_finish"}));
    let r = local.search("conjunctions", &query, &["--timeout", "1"]);
    assert_eq!(r.code, 18, "{}", r.stderr);
    assert!(r.stderr.contains("get_data"), "{}", r.stderr);
    // 13: an id the server does not know
    let r = local.run(&[
        "search",
        "conjunctions",
        "get_data",
        "0848d9bb-5308-41a5-93ba-4453bad7ec38",
    ]);
    assert_eq!(r.code, 13, "{}", r.stderr);
    // 15 and 20: maintenance mode and an answer that is not JSON (describe is one exchange)
    for (fault, code) in [("http503", 15), ("malformed", 20)] {
        server.inject_fault(json!({"route": "describe", "fault": fault, "retry_after_seconds": 0}));
        let r = local.run(&["search", "conjunctions", "describe", s(&query)]);
        assert_eq!(r.code, code, "{fault}: {}", r.stderr);
    }
    // 12: nobody listens (describe is one exchange, not retried)
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let r = aurorax(&closed, &["search", "conjunctions", "describe", s(&query)]);
    assert_eq!(r.code, 12, "{}", r.stderr);
}

#[test]
fn a_wrong_key_is_unauthorized_and_no_key_is_ever_printed() {
    let key = "right-key-5f1c9e";
    let wrong = "wrong-key-77d0aa";
    let local = Local::with(
        "keys",
        Config {
            api_key: Some(key.into()),
            search_seconds: 0.2,
            ..Config::default()
        },
    );
    let query = local.template("conjunctions");
    let search_with = |k: &str| {
        local.run(&[
            "--api-key",
            k,
            "--verbose",
            "search",
            "conjunctions",
            "search",
            s(&query),
        ])
    };
    let r = search_with(wrong);
    assert_eq!(r.code, 14, "{}", r.stderr);
    let r2 = search_with(key);
    assert_eq!(r2.code, 0, "{}", r2.stderr);
    assert!(
        r2.stderr.contains("info"),
        "--verbose shows log lines: {}",
        r2.stderr
    );
    let r3 = local.run(&[
        "--api-key",
        key,
        "--verbose",
        "search",
        "conjunctions",
        "get_status",
        "not-an-id",
    ]);
    for out in [
        &r.stdout, &r.stderr, &r2.stdout, &r2.stderr, &r3.stdout, &r3.stderr,
    ] {
        assert!(
            !out.contains(key) && !out.contains(wrong),
            "a key was printed: {out}"
        );
    }
}

#[test]
fn an_untrusted_certificate_exits_22_and_the_ca_bundle_fixes_it() {
    let dir = scratch("tls");
    let certs = aurorax_testserver::write_test_certificates(&dir.join("certs")).unwrap();
    let server = start(Config {
        tls: Some(aurorax_testserver::TlsFiles {
            cert: certs.cert.clone(),
            key: certs.key.clone(),
        }),
        ..Config::default()
    })
    .unwrap();
    let url = format!("https://localhost:{}", server.port());
    let r = aurorax(&url, &["--test-connectivity"]);
    assert_eq!(r.code, 22, "{}", r.stderr);
    let r = aurorax(&url, &["--ca-bundle", s(&certs.ca), "--test-connectivity"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// Runs a command under a pseudo-terminal (`script`), returning what it drew.
fn under_pty(args: &[&str]) -> Ran {
    let command = std::iter::once(BIN)
        .chain(args.iter().copied())
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let child = Command::new("script")
        .args(["-qefc", &command, "/dev/null"])
        .env("COLUMNS", "200")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the script command (util-linux) runs");
    wait_bounded(child)
}

#[test]
fn progress_is_drawn_on_a_terminal_and_never_through_a_pipe() {
    let local = Local::new("progress", 1.5);
    let url = local.url();
    let query = local.template("conjunctions");
    let out = local.dir.join("r.json");
    let drawn = under_pty(&[
        "--api-url",
        url,
        "--verbose",
        "search",
        "conjunctions",
        "search",
        s(&query),
        "--outfile",
        s(&out),
    ]);
    assert_eq!(drawn.code, 0, "{}{}", drawn.stdout, drawn.stderr);
    let screen = &drawn.stdout;
    // phases in order, redrawn in place, then the summary; log lines under --verbose
    let running = screen.find("running").expect(screen);
    let written = screen.find("records,").expect(screen);
    assert!(running < written, "{screen}");
    assert!(screen.contains("\r\u{1b}[2K"), "{screen}");
    assert!(screen.contains(" s (request "), "{screen}");
    assert!(
        screen.contains("Search completed") || screen.contains("info"),
        "{screen}"
    );
    // the same through pipes: nothing on stderr, nothing on stdout but the result
    let piped = local.search("conjunctions", &query, &[]);
    assert_eq!(piped.code, 0);
    assert_eq!(piped.stderr, "");
    assert!(piped.stdout.starts_with('['));
    // --quiet draws nothing even on a terminal
    let quiet = under_pty(&[
        "--api-url",
        url,
        "search",
        "conjunctions",
        "search",
        s(&query),
        "--outfile",
        s(&out),
        "--quiet",
    ]);
    assert_eq!((quiet.code, quiet.stdout.as_str()), (0, ""));
}

#[test]
fn ctrl_c_while_searching_cancels_on_the_server_and_exits_17() {
    let local = Local::new("ctrlc", 600.0);
    let (server, url) = (&local.server, local.url());
    let query = local.template("conjunctions");
    let child = spawn(&[
        "--api-url",
        url,
        "search",
        "conjunctions",
        "search",
        s(&query),
    ]);
    let pid = child.id().to_string();
    let deadline = Instant::now() + LIMIT;
    let id = loop {
        if let Some(id) = local.request_ids().pop() {
            break id;
        }
        assert!(Instant::now() < deadline, "the search was not submitted");
        std::thread::sleep(Duration::from_millis(20));
    };
    // the first status poll shows the client knows its id
    while server.stats()["by_request"][&id]["status"]
        .as_u64()
        .unwrap_or(0)
        == 0
    {
        assert!(Instant::now() < deadline, "no status poll");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let r = wait_bounded(child);
    assert_eq!(r.code, 17, "{}", r.stderr);
    assert!(r.stderr.contains(&id), "{}", r.stderr);
    assert!(
        server.stats()["by_request"][&id]["cancel"]
            .as_u64()
            .unwrap_or(0)
            >= 1,
        "{}",
        server.stats()
    );
}

#[test]
fn custom_locations_under_pyaurorax_clis_custom_key_are_sent_as_adhoc() {
    let local = Local::new("custom", 0.1);
    let body = |key: &str| {
        format!(
            r#"{{"start": "2019-01-01T00:00:00", "end": "2019-01-01T23:59:59",
            "space": [{{"programs": ["swarm"]}}],
            "{key}": [{{"locations": [{{"lat": 51.05, "lon": -114.07}}]}}],
            "conjunction_types": ["geographic"], "max_distances": {{"space1-adhoc1": 500}}}}"#
        )
    };
    let custom = local.dir.join("custom.json");
    std::fs::write(&custom, body("custom")).unwrap();
    let adhoc = local.dir.join("adhoc.json");
    std::fs::write(&adhoc, body("adhoc")).unwrap();
    let out = local.dir.join("custom.result.json");
    let r = local.search("conjunctions", &custom, &["--outfile", s(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, expected) = local.finished_request(Kind::Conjunctions, &adhoc);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected);

    let both = local.dir.join("both.json");
    let text = body("adhoc").replacen("\"adhoc\"", "\"custom\": [], \"adhoc\"", 1);
    std::fs::write(&both, text).unwrap();
    let before = local.total();
    let r = local.search("conjunctions", &both, &[]);
    assert_eq!(r.code, 11, "{}", r.stderr);
    assert!(
        r.stderr.contains("both.json") && r.stderr.contains("\"custom\""),
        "{}",
        r.stderr
    );
    assert_eq!(local.total(), before, "nothing may be sent");
}
