//! Streaming of result bodies, generated chunk by chunk as the client reads.

use crate::records::format::trim;
use crate::records::{Plan, BODY_PREFIX, BODY_SUFFIX};
use axum::body::Body;
use bytes::Bytes;
use serde_json::Value;
use std::convert::Infallible;
use std::sync::Arc;

const CHUNK: usize = 64 * 1024;

/// `{"result":[...]}` with each record passed through `map` (identity or trimming).
pub fn stream(plan: Arc<Plan>, format: Option<Value>) -> Body {
    records_from(plan, format, 0)
}

/// The body from record `first`'s text on (from its very beginning for record 0).
fn records_from(plan: Arc<Plan>, format: Option<Value>, first: usize) -> Body {
    let s = futures_util::stream::unfold(
        (plan, format, first, false),
        move |(plan, format, i, done)| async move {
            if done {
                return None;
            }
            let mut buf = String::with_capacity(CHUNK + 16 * 1024);
            if i == 0 {
                buf.push_str(BODY_PREFIX);
            }
            let mut j = i;
            let mut rec = String::new();
            while j < plan.count() && buf.len() < CHUNK {
                if j > first {
                    buf.push(',');
                }
                match &format {
                    None => plan.write_record(j, &mut buf),
                    Some(f) => {
                        rec.clear();
                        plan.write_record(j, &mut rec);
                        let v: Value = serde_json::from_str(&rec).unwrap_or(Value::Null);
                        buf.push_str(&trim(&v, f).to_string());
                    }
                }
                j += 1;
            }
            let last = j >= plan.count();
            if last {
                buf.push_str(BODY_SUFFIX);
            }
            Some((
                Ok::<_, Infallible>(Bytes::from(buf)),
                (plan, format, j, last),
            ))
        },
    );
    Body::from_stream(s)
}

/// The same body as `stream(plan, None)` from byte `from` on.
pub fn stream_from(plan: Arc<Plan>, from: u64) -> Body {
    use futures_util::StreamExt;
    let (first, skip) = plan.resume_at(from);
    let mut skip = skip as usize;
    let s = records_from(plan, None, first)
        .into_data_stream()
        .filter_map(move |chunk| {
            let out = match chunk {
                Ok(mut c) if skip > 0 => {
                    let cut = skip.min(c.len());
                    skip -= cut;
                    let rest = c.split_off(cut);
                    (!rest.is_empty()).then_some(Ok(rest))
                }
                other => Some(other),
            };
            std::future::ready(out)
        });
    Body::from_stream(s)
}
