//! Programmable faults: a queue of (route, fault, count); each matching /api/
//! request consumes one.

use crate::route::Route;
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FaultKind {
    Http500,
    Http502,
    Http503,
    Http429,
    Reset,
    Delay,
    Truncate,
    Malformed,
    WrongTypes,
}

#[derive(Clone, Debug)]
pub struct Fault {
    /// None matches any route.
    pub route: Option<Route>,
    pub kind: FaultKind,
    pub retry_after_seconds: u64,
    pub delay_ms: u64,
    remaining: u64,
}

impl Fault {
    /// Parses the JSON of `POST /_testserver/faults`.
    pub fn parse(v: &Value) -> Result<Fault, String> {
        let route = match v.get("route").and_then(Value::as_str).unwrap_or("any") {
            "any" => None,
            r => Some(Route::from_name(r).ok_or_else(|| format!("route: unknown route '{r}'"))?),
        };
        let kind = match v
            .get("fault")
            .and_then(Value::as_str)
            .ok_or("fault: field required")?
        {
            "http500" => FaultKind::Http500,
            "http502" => FaultKind::Http502,
            "http503" => FaultKind::Http503,
            "http429" => FaultKind::Http429,
            "reset" => FaultKind::Reset,
            "delay" => FaultKind::Delay,
            "truncate" => FaultKind::Truncate,
            "malformed" => FaultKind::Malformed,
            "wrong_types" => FaultKind::WrongTypes,
            f => return Err(format!("fault: unknown fault '{f}'")),
        };
        let num = |k: &str, d: u64| -> Result<u64, String> {
            match v.get(k) {
                None | Some(Value::Null) => Ok(d),
                Some(x) => x
                    .as_u64()
                    .ok_or_else(|| format!("{k}: must be a non-negative integer")),
            }
        };
        Ok(Fault {
            route,
            kind,
            retry_after_seconds: num("retry_after_seconds", 1)?,
            delay_ms: num("delay_ms", 2000)?,
            remaining: num("count", 1)?,
        })
    }
}

#[derive(Default)]
pub struct Faults {
    queue: Vec<Fault>,
}

impl Faults {
    pub fn push(&mut self, f: Fault) {
        if f.remaining > 0 {
            self.queue.push(f);
        }
    }

    pub fn clear(&mut self) {
        self.queue.clear();
    }

    /// The first queued fault for this route, in the order they were programmed.
    pub fn take(&mut self, route: Route) -> Option<Fault> {
        if route == Route::Other {
            return None;
        }
        let i = self
            .queue
            .iter()
            .position(|f| f.route.is_none() || f.route == Some(route))?;
        let f = self.queue[i].clone();
        self.queue[i].remaining -= 1;
        if self.queue[i].remaining == 0 {
            self.queue.remove(i);
        }
        Some(f)
    }
}
