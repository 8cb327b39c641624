//! `aurorax`: AuroraX searches from the command line, on libaurorax's safe Rust API
//! (`aurorax::client`). The command tree follows pyaurorax 1.27's `aurorax-cli`.

mod args;
mod failure;
mod follow;
mod interrupt;
mod lookups;
mod output;
mod requests;
mod searching;

use args::{Cli, Global, KindCommand, SearchGroup, Top};
use aurorax::client::{Kind, Search, Settings};
use clap::Parser;
use failure::Failure;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

fn main() {
    // clap prints usage errors and exits 2; --help and --version exit 0
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(()) => 0,
        Err(f) => {
            eprintln!("{}", f.report());
            f.exit_code()
        }
    };
    std::process::exit(code);
}

fn run(cli: Cli) -> Result<(), Failure> {
    let settings = settings(&cli.global)?;
    if cli.global.test_connectivity {
        return test_connectivity(&settings);
    }
    let Some(Top::Search(group)) = cli.command else {
        return Err(Failure::Usage(
            "a command is needed; see aurorax --help".into(),
        ));
    };
    let ctx = Context {
        settings,
        verbose: cli.global.verbose,
        terminal: std::io::stderr().is_terminal(),
    };
    match group {
        SearchGroup::Conjunctions(c) => kind_command(&ctx, Kind::Conjunctions, c),
        SearchGroup::Ephemeris(c) => kind_command(&ctx, Kind::Ephemeris, c),
        SearchGroup::DataProducts(c) => kind_command(&ctx, Kind::DataProducts, c),
        SearchGroup::Sources(c) => lookups::sources(&ctx, c),
        SearchGroup::Availability(c) => lookups::availability(&ctx, c),
    }
}

/// What every command needs.
pub struct Context {
    pub settings: Settings,
    pub verbose: bool,
    /// stderr is a terminal: progress may be drawn there.
    pub terminal: bool,
}

fn kind_command(ctx: &Context, kind: Kind, command: KindCommand) -> Result<(), Failure> {
    match command {
        KindCommand::Search(a) => searching::search(ctx, kind, a),
        KindCommand::SearchTemplate { outfile, indent } => {
            requests::template(kind, outfile.as_deref(), indent)
        }
        KindCommand::SearchResubmit { request_id } => requests::resubmit(ctx, kind, &request_id),
        KindCommand::Describe { infile } => requests::describe(ctx, kind, &infile),
        KindCommand::GetStatus {
            request_id,
            show_logs,
            show_query,
            filter_logs,
        } => requests::status(ctx, kind, &request_id, show_logs, show_query, filter_logs),
        KindCommand::GetLogs { request_id, filter } => {
            requests::logs(ctx, kind, &request_id, filter)
        }
        KindCommand::GetQuery { request_id } => requests::query(ctx, kind, &request_id),
        KindCommand::GetData {
            request_id,
            output,
            outfile,
        } => searching::get_data(ctx, kind, &request_id, &output, outfile.as_deref()),
    }
}

/// The environment's settings, then the global options over them.
fn settings(global: &Global) -> Result<Settings, Failure> {
    let mut s = Settings::from_env()?;
    if let Some(url) = &global.api_base_url {
        s = s
            .with_api_url(url)
            .map_err(|e| Failure::about("--api-base-url", e))?;
    }
    if let Some(key) = &global.api_key {
        s = s
            .with_api_key(Some(key))
            .map_err(|e| Failure::about("--api-key", e))?;
    }
    if let Some(t) = global.api_timeout {
        s = s
            .with_request_timeout(seconds("--api-timeout", t)?)
            .map_err(|e| Failure::about("--api-timeout", e))?;
    }
    if let Some(pem) = &global.ca_bundle {
        s = s
            .with_ca_bundle(Some(pem))
            .map_err(|e| Failure::about("--ca-bundle", e))?;
    }
    Ok(s)
}

/// A number of seconds from the command line: finite and > 0.
pub fn seconds(option: &str, value: f64) -> Result<Duration, Failure> {
    if !value.is_finite() || value <= 0.0 || value > 7.0 * 86_400.0 {
        return Err(Failure::Usage(format!(
            "{option}: must be a number of seconds in (0, 604800], got {value}"
        )));
    }
    Ok(Duration::from_secs_f64(value))
}

/// How long a one-off look-up may take in all: its request timeout, retries' pauses aside.
pub fn lookup_limit(settings: &Settings) -> Option<Duration> {
    Some(settings.request_timeout() * 3 + Duration::from_secs(5))
}

fn test_connectivity(settings: &Settings) -> Result<(), Failure> {
    let started = Instant::now();
    let probe = Search::data_sources(settings, Some(r#"{"format": "identifier_only"}"#))?;
    probe.wait(lookup_limit(settings))?;
    let sources = probe.records()?.len();
    output::print(
        format!(
            "{} answered in {:.0} ms ({sources} data sources)",
            settings.api_url(),
            started.elapsed().as_secs_f64() * 1000.0
        )
        .as_bytes(),
    )
}
