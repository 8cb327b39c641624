//! `search sources ...` and `search availability ...`: one look-up each, records ordered as
//! asked, printed as JSON or NDJSON.

use crate::args::{
    AvailabilityArgs, AvailabilityCommand, Detail, Format, Listing, SourceFilter, SourceFormat,
    SourcesCommand,
};
use crate::failure::Failure;
use crate::output::{deliver, relayout};
use crate::{lookup_limit, Context};
use aurorax::client::{data_source, search_data_sources, Error, Search, Status};
use serde_json::{json, value::RawValue, Value};
use std::cmp::Ordering;

pub fn sources(ctx: &Context, command: SourcesCommand) -> Result<(), Failure> {
    let st = &ctx.settings;
    match command {
        SourcesCommand::List {
            filter,
            owner,
            detail,
            listing,
        } => {
            let mut fields = filter_fields(&filter);
            fields.insert("owner".into(), json!(owner));
            let filter = with_detail(fields, &detail);
            let found = lookup(Search::data_sources(st, Some(&filter.to_string())), ctx)?;
            print_listing(found.records()?, &listing)
        }
        SourcesCommand::Get {
            program,
            platform,
            instrument_type,
            detail,
        } => {
            let fields = json!({
                "program": program, "platform": platform, "instrument_type": instrument_type,
            });
            let filter = with_detail(fields.as_object().unwrap().clone(), &detail);
            let found = lookup(Search::data_sources(st, Some(&filter.to_string())), ctx)?;
            let records = found.records()?;
            let Some(first) = records.first() else {
                return Err(Failure::Library(Error::new(
                    Status::AURORAX_ERR_API,
                    format!("no data source with program '{program}', platform '{platform}' and instrument type '{instrument_type}'"),
                )));
            };
            deliver(None, relayout(first, Some(2)).as_bytes())
        }
        SourcesCommand::GetUsingIdentifier { identifier, detail } => {
            let text = data_source(
                st,
                identifier,
                detail.format.map(SourceFormat::name),
                detail.include_stats,
            )
            .map_err(|e| Failure::about(&format!("data source {identifier}"), e))?;
            deliver(None, relayout(&text, Some(2)).as_bytes())
        }
        SourcesCommand::Search {
            programs,
            platforms,
            instrument_types,
            detail,
            listing,
        } => {
            let text = search_data_sources(
                st,
                programs.as_deref(),
                platforms.as_deref(),
                instrument_types.as_deref(),
                detail.format.map(SourceFormat::name),
                detail.include_stats,
            )?;
            let records: Vec<&RawValue> = serde_json::from_str(&text).map_err(|e| {
                Error::new(
                    Status::AURORAX_ERR_PROTOCOL,
                    format!("the data-source search answer is not a JSON array ({e})"),
                )
            })?;
            print_listing(records.iter().map(|r| r.get()).collect(), &listing)
        }
    }
}

pub fn availability(ctx: &Context, command: AvailabilityCommand) -> Result<(), Failure> {
    let (args, start): (AvailabilityArgs, fn(_, _, _, _) -> _) = match command {
        AvailabilityCommand::Ephemeris(a) => (a, Search::ephemeris_availability),
        AvailabilityCommand::DataProducts(a) => (a, Search::data_products_availability),
    };
    let filter = Value::Object(filter_fields(&args.filter));
    let start_date = date("START_DATE", &args.start_date)?;
    let end_date = date("END_DATE", &args.end_date)?;
    let found = lookup(
        start(
            &ctx.settings,
            &start_date,
            &end_date,
            Some(&filter.to_string()),
        ),
        ctx,
    )?;
    print_listing(found.records()?, &args.listing)
}

/// The filter's fields as the API names them (null where not given).
fn filter_fields(filter: &SourceFilter) -> serde_json::Map<String, Value> {
    let fields = json!({
        "program": filter.program, "platform": filter.platform,
        "instrument_type": filter.instrument_type, "source_type": filter.source_type,
    });
    fields.as_object().unwrap().clone()
}

/// A data-source filter with the detail asked for (`format`, `include_stats`).
fn with_detail(mut fields: serde_json::Map<String, Value>, detail: &Detail) -> Value {
    fields.insert(
        "format".into(),
        json!(detail.format.map(SourceFormat::name)),
    );
    fields.insert("include_stats".into(), json!(detail.include_stats));
    Value::Object(fields)
}

/// pyaurorax's date forms: YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD; the library checks the rest.
fn date(argument: &str, raw: &str) -> Result<String, Failure> {
    let t = raw.trim();
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..]));
    }
    if t.len() == 10 && t.as_bytes()[4] == b'/' && t.as_bytes()[7] == b'/' {
        return Ok(t.replace('/', "-"));
    }
    if t.is_empty() {
        return Err(Failure::Usage(format!("{argument}: is empty")));
    }
    Ok(t.to_string())
}

fn lookup(started: aurorax::client::Result<Search>, ctx: &Context) -> Result<Search, Failure> {
    let search = started?;
    search.wait(lookup_limit(&ctx.settings))?;
    Ok(search)
}

/// Where a listing's sort key lives: in the record (a data source) or its `data_source`
/// (an availability record).
fn sort_key<'a>(record: &'a Value, key: &str) -> &'a Value {
    match record.get(key) {
        Some(v) => v,
        None => &record["data_source"][key],
    }
}

fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .unwrap_or(0.0)
            .total_cmp(&y.as_f64().unwrap_or(0.0)),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        _ => a.to_string().cmp(&b.to_string()),
    }
}

/// Orders records by a field without changing their text.
fn print_listing(records: Vec<&str>, listing: &Listing) -> Result<(), Failure> {
    let key = listing.order.key();
    let mut keyed: Vec<(Value, &str)> = records
        .into_iter()
        .map(|r| {
            let v: Value = serde_json::from_str(r).unwrap_or(Value::Null);
            (sort_key(&v, key).clone(), r)
        })
        .collect();
    keyed.sort_by(|a, b| compare(&a.0, &b.0));
    if listing.reversed {
        keyed.reverse();
    }
    let texts: Vec<&str> = keyed.into_iter().map(|(_, r)| r).collect();
    let bytes = match listing.output_format {
        Format::Ndjson => texts
            .iter()
            .map(|r| relayout(r, None))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Json => relayout(&format!("[{}]", texts.join(",")), Some(2)),
    };
    deliver(None, bytes.as_bytes())
}
