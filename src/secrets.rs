//! The API keys this process was given, so that no text the library hands out (an error
//! message, a log line) repeats one, even when a server echoes a key back in its answer.

use std::borrow::Cow;
use std::sync::RwLock;

static KEYS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Keys shorter than this are not looked for: replacing every "abc" in every message would
/// make messages unreadable, and no real key is that short.
const SHORTEST_REDACTED_KEY: usize = 4;
/// A process sets a handful of keys at most; the bound keeps a loop of setters harmless.
const KEYS_REMEMBERED: usize = 16;

const REDACTED: &str = "<api key>";

/// Called wherever a key enters the process (setter, environment).
pub fn remember(key: &str) {
    if key.len() < SHORTEST_REDACTED_KEY {
        return;
    }
    let mut keys = KEYS.write().unwrap_or_else(|e| e.into_inner());
    if keys.iter().any(|k| k == key) {
        return;
    }
    if keys.len() == KEYS_REMEMBERED {
        keys.remove(0);
    }
    keys.push(key.to_string());
}

/// `text` with every key this process knows replaced.
pub fn redact(text: &str) -> Cow<'_, str> {
    let keys = KEYS.read().unwrap_or_else(|e| e.into_inner());
    let mut text = Cow::Borrowed(text);
    for key in keys.iter() {
        if text.contains(key.as_str()) {
            text = Cow::Owned(text.replace(key.as_str(), REDACTED));
        }
    }
    text
}

/// The same for an owned text, which is returned as it is when it holds no key.
pub fn redacted(text: String) -> String {
    match redact(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(without_keys) => without_keys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_key_is_replaced_wherever_it_appears() {
        remember("SECRETKEY-9f2c1e7b");
        let echoed = "NotAuthorized: api key 'SECRETKEY-9f2c1e7b' is not valid";
        let text = redact(echoed);
        assert!(!text.contains("SECRETKEY-9f2c1e7b"), "{text}");
        assert!(text.contains("api key '<api key>' is not valid"), "{text}");
        assert_eq!(redact("nothing secret here"), "nothing secret here");
    }
}
