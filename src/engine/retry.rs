//! Retrying transient faults with exponential backoff and jitter, within a budget: a
//! number of retries (the v2 rule, and always for the submit), or an outage tolerance —
//! while the server holds a search, its requests are retried until none of them has
//! succeeded for that long.

use super::http::Failure;
use super::retry_after::MAX_RETRY_AFTER;
use crate::error::Error;
use crate::log::{log_at, Level};
use rand::Rng;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const FIRST_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// Which failures a request may retry: GETs retry every transient fault; a POST only those
/// that prove the server did not act on it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Idempotence {
    Idempotent,
    CreatesSomething,
}

/// When one search's requests last succeeded, on the monotonic clock (a laptop's sleep or
/// a changed wall clock cannot move it).
pub struct Liveness {
    last_success: Mutex<Instant>,
}

impl Liveness {
    pub fn new() -> Liveness {
        Liveness {
            last_success: Mutex::new(Instant::now()),
        }
    }

    pub fn succeeded(&self) {
        *self.last_success.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
    }

    fn silent_for(&self) -> Duration {
        self.last_success
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .elapsed()
    }
}

/// How long a request may keep failing.
#[derive(Clone, Copy)]
pub enum Budget<'a> {
    /// At most this many retries, backing off up to 8 s (or as `Retry-After` asks).
    Retries(u32),
    /// Until no request of the search has succeeded for `tolerance`; retries at most
    /// `max_pause` apart. `request_id` goes into the final message (attach resumes it).
    Outage {
        tolerance: Duration,
        max_pause: Duration,
        liveness: &'a Liveness,
        request_id: Option<&'a str>,
    },
}

pub fn backoff(retry: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(asked) = retry_after {
        return asked.min(MAX_RETRY_AFTER);
    }
    let ceiling = FIRST_BACKOFF
        .saturating_mul(1u32 << retry.min(16))
        .min(MAX_BACKOFF);
    // Full jitter over the upper half keeps many clients from retrying in lock-step.
    let millis = ceiling.as_millis() as u64;
    Duration::from_millis(rand::thread_rng().gen_range(millis / 2..=millis.max(1)))
}

/// One request's retries: after each failure, `next` either pauses (and the caller tries
/// again) or gives up with the error to report.
pub struct Retrier<'a> {
    label: &'a str,
    what: &'a str,
    budget: Budget<'a>,
    idempotence: Idempotence,
    retry: u32,
}

impl<'a> Retrier<'a> {
    pub fn new(
        label: &'a str,
        what: &'a str,
        budget: Budget<'a>,
        idempotence: Idempotence,
    ) -> Retrier<'a> {
        Retrier {
            label,
            what,
            budget,
            idempotence,
            retry: 0,
        }
    }

    /// The search's name in log lines.
    pub fn label(&self) -> &str {
        self.label
    }

    /// A success: the search is alive.
    pub fn succeeded(&self) {
        if let Budget::Outage { liveness, .. } = self.budget {
            liveness.succeeded();
        }
    }

    /// After `failure`: pauses and returns `Ok` to try again, or the final error.
    pub async fn next(&mut self, failure: Failure) -> Result<(), Error> {
        let may_retry = failure.transient
            && match self.idempotence {
                Idempotence::Idempotent => true,
                Idempotence::CreatesSomething => failure.unsent || failure.refused_before_acting,
            };
        if !may_retry {
            return Err(exhausted(self.what, self.retry, failure.error));
        }
        let (pause, of) = match self.budget {
            Budget::Retries(max) => {
                if self.retry >= max {
                    return Err(exhausted(self.what, self.retry, failure.error));
                }
                (
                    backoff(self.retry, failure.retry_after),
                    format!("of {max}"),
                )
            }
            Budget::Outage {
                tolerance,
                max_pause,
                liveness,
                request_id,
            } => {
                let silent = liveness.silent_for();
                if silent >= tolerance {
                    return Err(outlasted(
                        self.what,
                        silent,
                        tolerance,
                        request_id,
                        failure.error,
                    ));
                }
                // the last try comes when the tolerance runs out, not after it
                let pause = backoff(self.retry, failure.retry_after)
                    .min(max_pause)
                    .min(tolerance - silent);
                (
                    pause,
                    format!(
                        "within an outage tolerance of {:.0} s",
                        tolerance.as_secs_f64()
                    ),
                )
            }
        };
        log_at!(
            Level::Warn,
            "{}: {}: {}; retry {} {of} in {:.2} s",
            self.label,
            self.what,
            failure.error.message,
            self.retry + 1,
            pause.as_secs_f64()
        );
        tokio::time::sleep(pause).await;
        self.retry += 1;
        Ok(())
    }
}

/// Runs `attempt` until it succeeds, fails for good, or the budget is spent. `label` names
/// the search in log lines.
pub async fn with_retries<T, F, Fut>(
    label: &str,
    what: &str,
    budget: Budget<'_>,
    idempotence: Idempotence,
    mut attempt: F,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let mut retrier = Retrier::new(label, what, budget, idempotence);
    loop {
        match attempt().await {
            Ok(v) => {
                retrier.succeeded();
                return Ok(v);
            }
            Err(f) => retrier.next(f).await?,
        }
    }
}

fn exhausted(what: &str, retries: u32, error: Error) -> Error {
    let tries = if retries == 0 {
        String::new()
    } else {
        format!(" (after {retries} retries)")
    };
    Error {
        message: format!("{what} failed{tries}: {}", error.message),
        ..error
    }
}

fn outlasted(
    what: &str,
    silent: Duration,
    tolerance: Duration,
    request_id: Option<&str>,
    error: Error,
) -> Error {
    let resume = request_id.map_or_else(String::new, |id| {
        format!(
            " The server may still finish request {id}: attach to it by that id \
             (aurorax_*_search_attach) to collect the result."
        )
    });
    Error {
        message: format!(
            "{what} failed: no request of this search has succeeded for {:.0} s (the outage \
             tolerance is {:.0} s); the last failure: {}.{resume}",
            silent.as_secs_f64(),
            tolerance.as_secs_f64(),
            error.message
        ),
        ..error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_honours_retry_after() {
        for retry in 0..20 {
            let d = backoff(retry, None);
            assert!(d <= MAX_BACKOFF && d >= FIRST_BACKOFF / 2, "{retry}: {d:?}");
        }
        assert!(backoff(3, None) >= Duration::from_millis(800));
        assert_eq!(
            backoff(0, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(backoff(0, Some(Duration::from_secs(3600))), MAX_RETRY_AFTER);
    }

    #[test]
    fn an_outage_budget_gives_up_only_after_the_tolerance_naming_the_request() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            let liveness = Liveness::new();
            let budget = Budget::Outage {
                tolerance: Duration::from_secs(30),
                max_pause: Duration::from_millis(1),
                liveness: &liveness,
                request_id: Some("9d4b"),
            };
            let mut r = Retrier::new("t", "checking", budget, Idempotence::Idempotent);
            let fail = || {
                Failure::transient(Error::new(
                    crate::error::Status::AURORAX_ERR_NETWORK,
                    "refused",
                ))
            };
            // far more retries than the v2 rule's 6, while the search was alive lately
            for _ in 0..20 {
                r.next(fail()).await.unwrap();
            }
            *liveness.last_success.lock().unwrap() = Instant::now() - Duration::from_secs(31);
            let e = r.next(fail()).await.unwrap_err();
            assert_eq!(e.status, crate::error::Status::AURORAX_ERR_NETWORK);
            assert!(
                e.message.contains("9d4b") && e.message.contains("refused"),
                "{}",
                e.message
            );
            let final_ = Failure::final_(Error::new(crate::error::Status::AURORAX_ERR_API, "404"));
            assert!(r.next(final_).await.is_err());
        });
    }
}
