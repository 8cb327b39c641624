//! One submitted search. Its status is a pure function of the clock: logs appear
//! as their moments pass, so no task has to drive a search forward.

use crate::kind::Kind;
use crate::records::Plan;
use crate::time::status_time;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex, OnceLock};

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Normal,
    Fail(String),
    NeverFinish,
}

pub struct Search {
    pub id: String,
    pub kind: Kind,
    pub query: Value,
    pub plan: Arc<Plan>,
    pub requested: DateTime<Utc>,
    pub duration: Duration,
    pub outcome: Outcome,
    pub describe: String,
    /// The true body size, computed off the request path; a search is not finished before it is known.
    pub size: Arc<OnceLock<(u64, DateTime<Utc>)>>,
    pub cancelled: Mutex<Option<DateTime<Utc>>>,
    pub deleted: Mutex<Option<DateTime<Utc>>>,
    /// Set by `POST /_testserver/expire`: the result file was purged.
    pub expired: Mutex<Option<DateTime<Utc>>>,
    /// How long a finished result stays downloadable (`result_lifetime_seconds`).
    pub lifetime: Option<Duration>,
}

#[derive(Debug, PartialEq)]
pub enum Phase {
    Running,
    Finished { at: DateTime<Utc>, size: u64 },
    Failed { at: DateTime<Utc> },
    Cancelled { at: DateTime<Utc> },
}

struct Log {
    at: DateTime<Utc>,
    level: &'static str,
    summary: String,
}

impl Search {
    fn at(&self, fraction: f64) -> DateTime<Utc> {
        let us = (self.duration.num_microseconds().unwrap_or(0) as f64 * fraction) as i64;
        self.requested + Duration::microseconds(us)
    }

    pub fn phase(&self, now: DateTime<Utc>) -> Phase {
        if let Some(at) = *self.cancelled.lock().unwrap() {
            return Phase::Cancelled { at };
        }
        let due = self.at(1.0);
        match &self.outcome {
            Outcome::NeverFinish => Phase::Running,
            Outcome::Fail(_) if now >= due => Phase::Failed { at: due },
            Outcome::Fail(_) => Phase::Running,
            Outcome::Normal => match self.size.get() {
                Some((size, known)) if now >= due => Phase::Finished {
                    at: due.max(*known),
                    size: *size,
                },
                _ => Phase::Running,
            },
        }
    }

    /// When the result file expired, if it has: purged on request, or past its lifetime.
    pub fn expired_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if let Some(at) = *self.expired.lock().unwrap() {
            return Some(at);
        }
        let Phase::Finished { at, .. } = self.phase(now) else {
            return None;
        };
        let end = at + self.lifetime?;
        (now >= end).then_some(end)
    }

    /// The log script, in the real server's wording (aurorax-api.md §6 F1–F6).
    fn script(&self) -> Vec<(f64, &'static str, String)> {
        let id = &self.id;
        match self.kind {
            Kind::Conjunctions => vec![
                (0.0, "debug", "Search request arrived and saved".into()),
                (0.01, "info", format!("Starting conjunction search for query {id}")),
                (0.02, "debug", format!("Start search for {} conjunctions using query: {}", self.types(), self.describe)),
                (0.05, "debug", "Querying the database 1 times for this overall combination of criteria blocks and conjunction types. This log message will repeat 1 times during this search.".into()),
                (0.06, "debug", format!("Querying database for criteria combination {}", crate::describe::criteria_combination(&self.query))),
                (0.3, "debug", format!("Found {} single epoch events", self.plan.count() * 2)),
                (0.5, "debug", format!("Reduced single events into {} continuous intervals", self.plan.count())),
                (0.55, "debug", format!("Searching for super events across all data source combinations: {}", self.combinations())),
                (0.7, "debug", format!("Found {} super events", self.plan.count())),
                (0.9, "debug", "Saving results".into()),
            ],
            Kind::Ephemeris => vec![
                (0.0, "debug", "Search request arrived and saved".into()),
                (0.01, "debug", format!("Starting {id} for query {}", crate::describe::ephemeris_log_query(&self.query))),
                (0.6, "info", format!("Finished query in {:.2} seconds.", self.seconds() * 0.6)),
                (0.61, "debug", "Starting to write data to file".into()),
            ],
            Kind::DataProducts => vec![
                (0.0, "debug", "Search request arrived and saved".into()),
                (0.01, "info", format!("Starting query for {id}")),
                (0.6, "info", format!("Finished query in {:.2} seconds.", self.seconds() * 0.6)),
                (0.61, "debug", "Starting to write data to file".into()),
            ],
        }
    }

    /// `[[64, 3], [64, 29], ...]` as in aurorax-api.md F3/F4.
    fn combinations(&self) -> String {
        let c: Vec<String> = self
            .plan
            .source_combinations(10_000)
            .iter()
            .map(|ids| {
                let ids: Vec<String> = ids.iter().map(u64::to_string).collect();
                format!("[{}]", ids.join(", "))
            })
            .collect();
        format!("[{}]", c.join(", "))
    }

    fn types(&self) -> String {
        let t: Vec<&str> = self.query["conjunction_types"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if t.is_empty() {
            "nbtrace".into()
        } else {
            t.join(", ")
        }
    }

    fn seconds(&self) -> f64 {
        self.duration.num_milliseconds() as f64 / 1000.0
    }

    fn logs(&self, now: DateTime<Utc>, phase: &Phase) -> Vec<Log> {
        let cutoff = match phase {
            Phase::Cancelled { at } => *at,
            _ => now,
        };
        let mut logs: Vec<Log> = self
            .script()
            .into_iter()
            .map(|(f, level, summary)| Log {
                at: self.at(f),
                level,
                summary,
            })
            .filter(|l| l.at <= cutoff)
            .collect();
        if self.outcome == Outcome::NeverFinish {
            logs.truncate(2);
        }
        let n = self.plan.count();
        match phase {
            Phase::Running => {}
            Phase::Cancelled { at } => logs.push(Log {
                at: *at,
                level: "error",
                summary: "Search request was cancelled by the user.".into(),
            }),
            Phase::Failed { at } => {
                let msg = match &self.outcome {
                    Outcome::Fail(m) => m.clone(),
                    _ => String::new(),
                };
                logs.push(Log {
                    at: *at,
                    level: "error",
                    summary: msg,
                });
            }
            Phase::Finished { at, size } => {
                let secs = (*at - self.requested).num_milliseconds() as f64 / 1000.0;
                if self.kind == Kind::Conjunctions {
                    logs.push(Log {
                        at: *at,
                        level: "info",
                        summary: "Search completed".into(),
                    });
                } else {
                    logs.push(Log {
                        at: *at,
                        level: "info",
                        summary: format!(
                            "Finished writing data, found {n} records in {:.2} seconds.",
                            secs * 0.4
                        ),
                    });
                }
                logs.push(Log {
                    at: *at,
                    level: "debug",
                    summary: format!("File size is {size} bytes."),
                });
                logs.push(Log {
                    at: *at,
                    level: "info",
                    summary: format!("Finished search in {secs:.2} seconds and found {n} records."),
                });
            }
        }
        logs
    }

    /// The status document of `GET /api/v1/{kind}/requests/{id}` (oas SearchQueryResponse).
    pub fn status(&self, now: DateTime<Utc>) -> Value {
        let phase = self.phase(now);
        let logs: Vec<Value> = self
            .logs(now, &phase)
            .into_iter()
            .map(|l| json!({"level": l.level, "summary": l.summary, "timestamp": status_time(&l.at)}))
            .collect();
        let ms = |at: &DateTime<Utc>| (*at - self.requested).num_milliseconds();
        let deleted = self
            .deleted
            .lock()
            .unwrap()
            .or_else(|| self.expired_at(now))
            .as_ref()
            .map(status_time);
        let data_uri = format!("/api/v1/{}/requests/{}/data", self.kind.path(), self.id);
        let result = match &phase {
            Phase::Running => {
                json!({"data_uri": null, "error_condition": false, "result_count": null,
                "file_size": null, "query_duration": null, "completed_timestamp": null, "result_file_deleted_timestamp": null})
            }
            Phase::Finished { at, size } => json!({"data_uri": data_uri, "error_condition": false,
                "result_count": self.plan.count(), "file_size": size, "query_duration": ms(at),
                "completed_timestamp": status_time(at), "result_file_deleted_timestamp": deleted}),
            // data_uri stays null on failure, as the real server leaves it (aurorax-api.md §3.2).
            // No failed or cancelled payload was ever recorded; the counts stay null as while
            // running (oas: int or null), since no result file was written.
            Phase::Failed { at } | Phase::Cancelled { at } => {
                json!({"data_uri": null, "error_condition": true,
                "result_count": null, "file_size": null, "query_duration": ms(at),
                "completed_timestamp": status_time(at), "result_file_deleted_timestamp": null})
            }
        };
        json!({
            "logs": logs,
            "search_request": {"request_id": self.id, "query": self.query, "request_type": self.kind.request_type(),
                "requested": status_time(&self.requested)},
            "search_result": result,
        })
    }
}
