//! Retrying transient faults with exponential backoff and jitter, within a bounded budget.

use super::http::Failure;
use super::retry_after::MAX_RETRY_AFTER;
use crate::error::Error;
use crate::log::Level;
use crate::log_at;
use rand::Rng;
use std::future::Future;
use std::time::Duration;

const FIRST_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// Which failures a request may retry: GETs retry every transient fault; a POST only those
/// that prove the server did not act on it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Idempotence {
    Idempotent,
    CreatesSomething,
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

/// Runs `attempt` until it succeeds, fails for good, or `max_retries` retries are spent.
/// `label` names the search in log lines.
pub async fn with_retries<T, F, Fut>(
    label: &str,
    what: &str,
    max_retries: u32,
    idempotence: Idempotence,
    mut attempt: F,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let mut retry = 0;
    loop {
        let failure = match attempt().await {
            Ok(v) => return Ok(v),
            Err(f) => f,
        };
        let may_retry = failure.transient
            && match idempotence {
                Idempotence::Idempotent => true,
                Idempotence::CreatesSomething => failure.unsent || failure.refused_before_acting,
            };
        if !may_retry || retry >= max_retries {
            return Err(exhausted(what, retry, failure.error));
        }
        let pause = backoff(retry, failure.retry_after);
        log_at!(
            Level::Warn,
            "{label}: {what}: {}; retry {} of {max_retries} in {:.2} s",
            failure.error.message,
            retry + 1,
            pause.as_secs_f64()
        );
        tokio::time::sleep(pause).await;
        retry += 1;
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
}
