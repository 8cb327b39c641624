//! Every C entry point passes the panic boundary: its body calls `boundary`,
//! `status_boundary` or `infallible_boundary`, or one of the ffi's own helpers that does.
//! Read from the source, so a new entry point that skips it fails here.

use std::collections::HashMap;

/// Function name -> body text, for every `fn` in the ffi's files (brace-matched).
fn functions(source: &str) -> Vec<(String, bool, String)> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("fn ") {
        let before = &rest[..at];
        let exported = before
            .rsplit_once('\n')
            .map_or(before, |(_, line)| line)
            .contains("extern \"C\"");
        let after = &rest[at + 3..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let Some(open) = after.find('{') else { break };
        let (mut depth, mut end) = (0usize, open);
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        // a declaration without a body (in a trait) has a ';' before its '{'
        if !name.is_empty() && !after[..open].contains(';') {
            found.push((name, exported, after[open..=end].to_string()));
        }
        rest = &after[open..];
    }
    found
}

/// Whether `body` calls the function `name` (not merely a longer name ending in it).
fn calls(body: &str, name: &str) -> bool {
    body.match_indices(&format!("{name}(")).any(|(at, _)| {
        !body[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[test]
fn every_entry_point_passes_the_boundary() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/ffi");
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let source = std::fs::read_to_string(&path).unwrap();
        all.extend(functions(&source));
    }
    let guards = ["boundary(", "status_boundary(", "infallible_boundary("];
    let guarded = |body: &str| guards.iter().any(|g| body.contains(g));
    // helpers that pass the boundary themselves, or through another such helper
    let bodies: HashMap<&str, &str> = all
        .iter()
        .filter(|(_, exported, _)| !exported)
        .map(|(name, _, body)| (name.as_str(), body.as_str()))
        .collect();
    let mut guarding: Vec<&str> = bodies
        .iter()
        .filter(|(_, body)| guarded(body))
        .map(|(name, _)| *name)
        .collect();
    loop {
        let more: Vec<&str> = bodies
            .iter()
            .filter(|(name, body)| {
                !guarding.contains(name) && guarding.iter().any(|g| calls(body, g))
            })
            .map(|(name, _)| *name)
            .collect();
        if more.is_empty() {
            break;
        }
        guarding.extend(more);
    }
    let exported: Vec<_> = all.iter().filter(|(_, e, _)| *e).collect();
    assert!(
        exported.len() >= 40,
        "found only {} entry points: the scan is broken",
        exported.len()
    );
    let mut unguarded = Vec::new();
    for (name, _, body) in exported {
        let through_helper = guarding.iter().any(|g| calls(body, g));
        if !guarded(body) && !through_helper {
            unguarded.push(name.clone());
        }
    }
    assert!(
        unguarded.is_empty(),
        "entry points that skip the boundary: {unguarded:?}"
    );
}
