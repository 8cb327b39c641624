//! The command tree, as pyaurorax 1.27's `aurorax-cli` names it, so habits carry over.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

macro_rules! exit_statuses {
    () => {
        "\
Exit status: 0 success; 2 usage error; 10 + |status| for a library failure:
  11 invalid argument (bad file, JSON or request id; nothing sent), 12 network,
  13 API (e.g. unknown request id), 14 unauthorized, 15 maintenance, 16 search failed,
  17 cancelled (Ctrl-C), 18 timeout (--timeout passed; the search goes on), 19 not ready,
  20 protocol, 21 internal, 22 TLS (untrusted certificate).
Environment: AURORAX_API_URL, AURORAX_API_KEY, AURORAX_CA_BUNDLE, AURORAX_OUTAGE_TOLERANCE."
    };
}

/// AuroraX searches from the command line.
#[derive(Parser, Debug)]
#[command(
    name = "aurorax",
    version,
    about = "AuroraX searches from the command line: run query files, follow requests, fetch data",
    after_help = concat!(
        "Examples:\n",
        "  aurorax search conjunctions search_template --outfile query.json\n",
        "  aurorax search conjunctions search query.json --outfile result.json\n",
        "  aurorax --api-url http://127.0.0.1:8080 --test-connectivity\n\n",
        exit_statuses!(),
    ),
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Top>,
}

#[derive(Args, Debug)]
pub struct Global {
    /// API key (default: AURORAX_API_KEY); never printed
    #[arg(long, global = true, value_name = "KEY")]
    pub api_key: Option<String>,
    /// API base URL (default: AURORAX_API_URL, else https://api.aurorax.space)
    #[arg(long, visible_alias = "api-url", global = true, value_name = "URL")]
    pub api_base_url: Option<String>,
    /// Timeout of one HTTP request, in seconds (default 30)
    #[arg(long, global = true, value_name = "SECONDS")]
    pub api_timeout: Option<f64>,
    /// A PEM bundle of CA certificates trusted on top of the system's (default: AURORAX_CA_BUNDLE)
    #[arg(long, global = true, value_name = "PEM")]
    pub ca_bundle: Option<PathBuf>,
    /// Show the request's log lines as they arrive (on stderr)
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Check that the API answers, then exit
    #[arg(long)]
    pub test_connectivity: bool,
}

#[derive(Subcommand, Debug)]
pub enum Top {
    /// Search engine commands
    #[command(
        subcommand,
        after_help = "Example:\n  aurorax search ephemeris search query.json"
    )]
    Search(SearchGroup),
}

#[derive(Subcommand, Debug)]
pub enum SearchGroup {
    /// Interact with conjunction searches
    #[command(
        subcommand,
        after_help = "Example:\n  aurorax search conjunctions search query.json --outfile result.json"
    )]
    Conjunctions(KindCommand),
    /// Interact with ephemeris searches
    #[command(
        subcommand,
        after_help = "Example:\n  aurorax search ephemeris search query.json --outfile result.json"
    )]
    Ephemeris(KindCommand),
    /// Interact with data product searches
    #[command(
        name = "data_products",
        subcommand,
        after_help = "Example:\n  aurorax search data_products search query.json --outfile result.json"
    )]
    DataProducts(KindCommand),
    /// Interact with data sources
    #[command(
        subcommand,
        after_help = "Example:\n  aurorax search sources list --program swarm"
    )]
    Sources(SourcesCommand),
    /// Retrieve data availability
    #[command(
        subcommand,
        after_help = "Example:\n  aurorax search availability ephemeris 2019-01-01 2019-01-31 --program swarm"
    )]
    Availability(AvailabilityCommand),
}

#[derive(Subcommand, Debug)]
pub enum KindCommand {
    /// Run searches from query files (JSON request objects, as the AuroraX website exports them)
    #[command(after_help = "Examples:\n  \
        aurorax search conjunctions search query.json --outfile result.json\n  \
        aurorax search conjunctions search a.json b.json --outdir results/ --format ndjson\n\n\
        One INFILE without --outfile or --outdir: the result goes to stdout. Several INFILEs run\n\
        in parallel; each result is written beside its input (NAME.result.json) or into --outdir.\n\
        The first Ctrl-C cancels the running searches on the server and exits with 17.")]
    Search(SearchArgs),
    /// Print a query file to start from (a valid request object)
    #[command(
        name = "search_template",
        after_help = "Example:\n  aurorax search conjunctions search_template --outfile query.json"
    )]
    SearchTemplate {
        /// Save the template to this file instead of printing it
        #[arg(long)]
        outfile: Option<PathBuf>,
        /// Indentation of the JSON
        #[arg(long, default_value_t = 2)]
        indent: usize,
    },
    /// Submit the query of an earlier request again; prints the new request id
    #[command(
        name = "search_resubmit",
        after_help = "Example:\n  aurorax search conjunctions search_resubmit 0848d9bb-5308-41a5-93ba-4453bad7ec38"
    )]
    SearchResubmit {
        /// The earlier request's id
        request_id: String,
    },
    /// Describe a query file in plain language (the API's describe endpoint)
    #[command(after_help = "Example:\n  aurorax search conjunctions describe query.json")]
    Describe {
        /// Query file (a JSON request object)
        infile: PathBuf,
    },
    /// Print a request's status (JSON)
    #[command(
        name = "get_status",
        after_help = "Example:\n  aurorax search conjunctions get_status 0848d9bb-5308-41a5-93ba-4453bad7ec38 --show-logs"
    )]
    GetStatus {
        /// The request's id
        request_id: String,
        /// Include the request's logs
        #[arg(long)]
        show_logs: bool,
        /// Include the request's query
        #[arg(long)]
        show_query: bool,
        /// Only logs of this level (with --show-logs)
        #[arg(long, value_enum)]
        filter_logs: Option<LogLevel>,
    },
    /// Print a request's logs, one line each: time, level, summary
    #[command(
        name = "get_logs",
        after_help = "Example:\n  aurorax search conjunctions get_logs 0848d9bb-5308-41a5-93ba-4453bad7ec38 --filter error"
    )]
    GetLogs {
        /// The request's id
        request_id: String,
        /// Only logs of this level
        #[arg(long, visible_alias = "filter-logs", value_enum)]
        filter: Option<LogLevel>,
    },
    /// Print a request's query (JSON)
    #[command(
        name = "get_query",
        after_help = "Example:\n  aurorax search conjunctions get_query 0848d9bb-5308-41a5-93ba-4453bad7ec38 > query.json"
    )]
    GetQuery {
        /// The request's id
        request_id: String,
    },
    /// Fetch a request's result (waits for it if the server is still searching)
    #[command(
        name = "get_data",
        after_help = "Example:\n  aurorax search conjunctions get_data 0848d9bb-5308-41a5-93ba-4453bad7ec38 --outfile result.json"
    )]
    GetData {
        /// The request's id
        request_id: String,
        #[command(flatten)]
        output: Output,
        /// Save the result to this file instead of printing it
        #[arg(long)]
        outfile: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Query files (JSON request objects)
    #[arg(required = true, value_name = "INFILE")]
    pub infiles: Vec<PathBuf>,
    /// Save the result to this file (one INFILE only)
    #[arg(long, conflicts_with = "outdir")]
    pub outfile: Option<PathBuf>,
    /// Write each result into this directory as NAME.result.json (or .ndjson)
    #[arg(long)]
    pub outdir: Option<PathBuf>,
    #[command(flatten)]
    pub output: Output,
    /// No progress display
    #[arg(long)]
    pub quiet: bool,
    /// Longest pause between status polls, in seconds (the schedule adapts below it)
    #[arg(long, value_name = "SECONDS")]
    pub poll_interval: Option<f64>,
}

/// How a result is written. Without --indent or --minify, a JSON result is written exactly
/// as the library returns it (aurorax_get_data's bytes).
#[derive(Args, Debug, Clone)]
pub struct Output {
    /// Result format: json (the array of records) or ndjson (one record per line)
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Re-indent the JSON result with this many spaces
    #[arg(long, conflicts_with = "minify")]
    pub indent: Option<usize>,
    /// Write the JSON result without any whitespace
    #[arg(long)]
    pub minify: bool,
    /// Give up waiting after this many seconds (exit 18; the search goes on on the server)
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Ndjson,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogLevel {
    Debug,
    Info,
    Warn,
    Error,
}

impl LogLevel {
    pub fn name(self) -> &'static str {
        match self {
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum SourceFormat {
    IdentifierOnly,
    BasicInfo,
    WithMetadata,
    FullRecord,
}

impl SourceFormat {
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::IdentifierOnly => "identifier_only",
            SourceFormat::BasicInfo => "basic_info",
            SourceFormat::WithMetadata => "with_metadata",
            SourceFormat::FullRecord => "full_record",
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum Order {
    Identifier,
    Program,
    Platform,
    InstrumentType,
    SourceType,
    DisplayName,
    Owner,
}

impl Order {
    pub fn key(self) -> &'static str {
        match self {
            Order::Identifier => "identifier",
            Order::Program => "program",
            Order::Platform => "platform",
            Order::InstrumentType => "instrument_type",
            Order::SourceType => "source_type",
            Order::DisplayName => "display_name",
            Order::Owner => "owner",
        }
    }
}

#[derive(Args, Debug)]
pub struct Listing {
    /// Order the records by this field
    #[arg(long, value_enum, default_value_t = Order::Identifier)]
    pub order: Order,
    /// Reverse the order
    #[arg(long)]
    pub reversed: bool,
    /// Output: json (an array) or ndjson (one record per line)
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub output_format: Format,
}

/// How much the answer says about each data source (every `sources` command takes these).
#[derive(Args, Debug)]
pub struct Detail {
    /// Amount of data about each data source
    #[arg(long, value_enum)]
    pub format: Option<SourceFormat>,
    /// Include statistics about each data source
    #[arg(long)]
    pub include_stats: bool,
}

/// The data-source filters `sources list` and both availabilities take.
#[derive(Args, Debug)]
pub struct SourceFilter {
    /// Only this program
    #[arg(long)]
    pub program: Option<String>,
    /// Only this platform
    #[arg(long)]
    pub platform: Option<String>,
    /// Only this instrument type
    #[arg(long)]
    pub instrument_type: Option<String>,
    /// Only this source type (ground, heo, leo, lunar, event_list, not_applicable)
    #[arg(long)]
    pub source_type: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum SourcesCommand {
    /// List data sources, filtered as asked
    #[command(
        after_help = "Example:\n  aurorax search sources list --program swarm --order platform"
    )]
    List {
        #[command(flatten)]
        filter: SourceFilter,
        /// Only data sources of this owner
        #[arg(long)]
        owner: Option<String>,
        #[command(flatten)]
        detail: Detail,
        #[command(flatten)]
        listing: Listing,
    },
    /// Get a single data source by program, platform and instrument type
    #[command(after_help = "Example:\n  aurorax search sources get swarm swarma footprint")]
    Get {
        program: String,
        platform: String,
        instrument_type: String,
        #[command(flatten)]
        detail: Detail,
    },
    /// Get a single data source by its identifier
    #[command(
        name = "get_using_identifier",
        after_help = "Example:\n  aurorax search sources get_using_identifier 3 --format full_record"
    )]
    GetUsingIdentifier {
        identifier: i64,
        #[command(flatten)]
        detail: Detail,
    },
    /// Search data sources; each option takes several values separated by commas
    #[command(
        after_help = "Example:\n  aurorax search sources search --programs swarm,themis-asi"
    )]
    Search {
        /// Programs (comma separated)
        #[arg(long, value_delimiter = ',')]
        programs: Option<Vec<String>>,
        /// Platforms (comma separated)
        #[arg(long, value_delimiter = ',')]
        platforms: Option<Vec<String>>,
        /// Instrument types (comma separated)
        #[arg(long, value_delimiter = ',')]
        instrument_types: Option<Vec<String>>,
        #[command(flatten)]
        detail: Detail,
        #[command(flatten)]
        listing: Listing,
    },
}

#[derive(Args, Debug)]
pub struct AvailabilityArgs {
    /// First day, inclusive (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD)
    pub start_date: String,
    /// Last day, inclusive (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD)
    pub end_date: String,
    #[command(flatten)]
    pub filter: SourceFilter,
    #[command(flatten)]
    pub listing: Listing,
}

#[derive(Subcommand, Debug)]
pub enum AvailabilityCommand {
    /// Ephemeris records per data source and day
    #[command(
        after_help = "Example:\n  aurorax search availability ephemeris 2019-01-01 2019-01-31 --program swarm"
    )]
    Ephemeris(AvailabilityArgs),
    /// Data products per data source and day
    #[command(
        name = "data_products",
        after_help = "Example:\n  aurorax search availability data_products 2019/01/01 2019/01/31 --program themis-asi"
    )]
    DataProducts(AvailabilityArgs),
}
