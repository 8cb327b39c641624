//! `search INFILE...` and `get_data REQUEST_ID`: start or attach, follow to the end with
//! progress, write each result as it arrives.

use crate::args::{Format, Output, SearchArgs};
use crate::failure::Failure;
use crate::follow::{follow, Display, Ended, Job};
use crate::output;
use crate::{interrupt, seconds, Context};
use aurorax::client::{check_query, shutdown, Error, Kind, SaveFormat, Search, Status};
use std::path::{Path, PathBuf};

/// A query file's text, checked as a request object of `kind` before anything is sent: the
/// message names the file (and the line for invalid JSON).
pub fn read_query(path: &Path, kind: Kind) -> Result<String, Failure> {
    let name = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::invalid(format!("{name}: cannot read the query file ({e})")))?;
    let mut text = text;
    match serde_json::from_str::<serde_json::Value>(&text) {
        Err(e) => {
            return Err(Failure::invalid(format!(
                "{name}: line {}, column {}: not valid JSON ({e})",
                e.line(),
                e.column()
            )))
        }
        Ok(v) if !v.is_object() => {
            return Err(Failure::invalid(format!(
            "{name}: holds a JSON {}, not a request object {{\"start\": ..., \"end\": ..., ...}}",
            json_type(&v)
        )))
        }
        Ok(serde_json::Value::Object(mut q))
            if kind == Kind::Conjunctions && q.contains_key("custom") =>
        {
            // pyaurorax 1.27's `aurorax-cli search` reads custom locations from "custom";
            // the API (and its describe) call them "adhoc"
            if q.contains_key("adhoc") {
                return Err(Failure::invalid(format!(
                    "{name}: holds both \"custom\" and \"adhoc\" custom locations; keep one"
                )));
            }
            let custom = q.remove("custom").unwrap_or_default();
            q.insert("adhoc".into(), custom);
            text = serde_json::Value::Object(q).to_string();
        }
        Ok(_) => {}
    }
    check_query(kind, &text).map_err(|e| Failure::about(&name.to_string(), e))?;
    Ok(text)
}

fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// Where each result goes: --outfile, --outdir/NAME.result.EXT, stdout for one INFILE, else
/// beside its input.
fn destinations(args: &SearchArgs) -> Result<Vec<Option<PathBuf>>, Failure> {
    let ext = match args.output.format {
        Format::Json => "json",
        Format::Ndjson => "ndjson",
    };
    if args.outfile.is_some() && args.infiles.len() > 1 {
        return Err(Failure::Usage(format!(
            "--outfile takes one INFILE, got {}; use --outdir or let each result go beside its input",
            args.infiles.len()
        )));
    }
    if let Some(dir) = &args.outdir {
        std::fs::create_dir_all(dir).map_err(|e| {
            Failure::invalid(format!(
                "--outdir {}: cannot create it ({e})",
                dir.display()
            ))
        })?;
    }
    Ok(args
        .infiles
        .iter()
        .map(|infile| {
            if let Some(f) = &args.outfile {
                return Some(f.clone());
            }
            let stem = infile.file_stem().unwrap_or(infile.as_os_str());
            let mut name = stem.to_os_string();
            name.push(format!(".result.{ext}"));
            match &args.outdir {
                Some(dir) => Some(dir.join(name)),
                None if args.infiles.len() == 1 => None,
                None => Some(infile.with_file_name(name)),
            }
        })
        .collect())
}

pub fn search(ctx: &Context, kind: Kind, args: SearchArgs) -> Result<(), Failure> {
    // options first (usage, exit 2), then every file (exit 11): all before the first request
    let timeout = args
        .output
        .timeout
        .map(|t| seconds("--timeout", t))
        .transpose()?;
    let mut settings = ctx.settings.clone();
    if let Some(p) = args.poll_interval {
        settings = settings
            .with_poll_interval(seconds("--poll-interval", p)?)
            .map_err(|e| Failure::about("--poll-interval", e))?;
    }
    let queries = args
        .infiles
        .iter()
        .map(|f| read_query(f, kind))
        .collect::<Result<Vec<_>, _>>()?;
    let destinations = destinations(&args)?;
    interrupt::catch();
    let mut jobs = Vec::with_capacity(queries.len());
    for (infile, query) in args.infiles.iter().zip(&queries) {
        let label = infile.display().to_string();
        let search =
            Search::from_json(&settings, kind, query).map_err(|e| Failure::about(&label, e))?;
        jobs.push(Job { label, search });
    }
    let display = Display {
        progress: ctx.terminal && !args.quiet,
        verbose: ctx.verbose,
    };
    finish(kind, &jobs, &destinations, &args.output, &display, timeout)
}

pub fn get_data(
    ctx: &Context,
    kind: Kind,
    request_id: &str,
    output: &Output,
    outfile: Option<&Path>,
) -> Result<(), Failure> {
    let timeout = output
        .timeout
        .map(|t| seconds("--timeout", t))
        .transpose()?;
    let search = Search::attach(&ctx.settings, kind, request_id)
        .map_err(|e| Failure::about("REQUEST_ID", e))?;
    interrupt::catch();
    let jobs = [Job {
        label: request_id.trim().to_string(),
        search,
    }];
    let display = Display {
        progress: ctx.terminal,
        verbose: ctx.verbose,
    };
    finish(
        kind,
        &jobs,
        &[outfile.map(Path::to_path_buf)],
        output,
        &display,
        timeout,
    )
}

/// Follows the jobs, writes each result as it arrives, and turns the outcome into the exit
/// status: the first failure in input order, else cancelled (Ctrl-C) or timeout.
fn finish(
    kind: Kind,
    jobs: &[Job],
    destinations: &[Option<PathBuf>],
    output: &Output,
    display: &Display,
    timeout: Option<std::time::Duration>,
) -> Result<(), Failure> {
    let mut failures: Vec<Option<Failure>> = jobs.iter().map(|_| None).collect();
    let ended = follow(jobs, display, timeout, |i| {
        let job = &jobs[i];
        let written = job
            .search
            .data()
            .map_err(|e| Failure::about(&job.label, e))
            .and_then(|data| {
                let records = job.search.records()?;
                // to a file as received: aurorax_save_data's writer (streamed, renamed
                // when complete); reshaped output or stdout goes through render
                let plain = output.indent.is_none() && !output.minify;
                let one_line_each = !records.iter().any(|r| r.contains(['\n', '\r']));
                let saved_as = match (destinations[i].as_deref(), output.format) {
                    (Some(path), Format::Json) if plain => Some((path, SaveFormat::JsonArray)),
                    (Some(path), Format::Ndjson) if plain && one_line_each => {
                        Some((path, SaveFormat::Ndjson))
                    }
                    _ => None,
                };
                let written_bytes = match saved_as {
                    Some((path, format)) => {
                        job.search
                            .save(path, format)
                            .map_err(|e| Failure::about(&job.label, e))?;
                        std::fs::metadata(path).map_or(0, |m| m.len() as usize)
                    }
                    None => {
                        let bytes = output::render(data, &records, output);
                        output::deliver(destinations[i].as_deref(), &bytes)?;
                        bytes.len()
                    }
                };
                if display.progress {
                    let to = destinations[i]
                        .as_ref()
                        .map_or("stdout".to_string(), |p| p.display().to_string());
                    eprintln!(
                        "{}: {} records, {} bytes written to {to}",
                        job.label,
                        records.len(),
                        written_bytes
                    );
                }
                Ok(())
            });
        if let Err(f) = written {
            if jobs.len() > 1 {
                // the others go on: say now which one failed
                eprintln!("{}", f.report());
            }
            failures[i] = Some(f);
        }
    });
    match ended {
        Ended::All => match failures.into_iter().flatten().next() {
            Some(f) if jobs.len() > 1 => Err(Failure::Library(Error::new(
                status_of(&f),
                "at least one search failed (each one's reason is above)",
            ))),
            Some(f) => Err(f),
            None => Ok(()),
        },
        Ended::Interrupted(cancelled) => {
            for &i in &cancelled {
                let id = jobs[i].search.request_id();
                eprintln!(
                    "{}: cancelled{}",
                    jobs[i].label,
                    id.map_or(String::new(), |id| format!(
                        " (request {id} deleted on the server)"
                    ))
                );
            }
            // the DELETEs leave before the process does
            shutdown();
            Err(Failure::Library(Error::new(
                Status::AURORAX_ERR_CANCELLED,
                "interrupted (Ctrl-C)",
            )))
        }
        Ended::TimedOut(running) => {
            let which: Vec<String> = running
                .iter()
                .map(|&i| match jobs[i].search.request_id() {
                    Some(id) => format!(
                        "{} (request {id}: aurorax search {} get_data {id})",
                        jobs[i].label,
                        kind.path_segment()
                    ),
                    None => format!("{} (not yet accepted by the server)", jobs[i].label),
                })
                .collect();
            Err(Failure::Library(Error::new(
                Status::AURORAX_ERR_TIMEOUT,
                format!(
                    "--timeout passed; still running on the server: {}",
                    which.join(", ")
                ),
            )))
        }
    }
}

fn status_of(f: &Failure) -> Status {
    match f {
        Failure::Library(e) => e.status,
        Failure::Usage(_) => Status::AURORAX_ERR_INVALID_ARGUMENT,
    }
}
