use super::*;

fn trim_end(text: &[u8]) -> &[u8] {
    let keep = text
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .map_or(0, |i| i + 1);
    &text[..keep]
}

fn in_chunks(body: &[u8], size: usize) -> Result<ResultText> {
    let mut s = RecordSplitter::new(0);
    for chunk in body.chunks(size) {
        s.push(chunk)?;
    }
    s.finish()
}

#[test]
fn records_are_split_verbatim_whatever_the_chunking() {
    let body = br#"{"result": [{"a": [1, {"b": "x]}\"y"}]}, 2 , "s,t", null,[3]] , "n": 1}"#;
    for size in [1, 2, 3, 7, body.len()] {
        let r = in_chunks(body, size).unwrap();
        assert_eq!(
            r.as_str(),
            r#"[{"a": [1, {"b": "x]}\"y"}]}, 2 , "s,t", null,[3]]"#
        );
        let records: Vec<_> = (0..r.record_count())
            .map(|i| r.record(i).unwrap())
            .collect();
        assert_eq!(
            records,
            [
                r#"{"a": [1, {"b": "x]}\"y"}]}"#,
                "2",
                r#""s,t""#,
                "null",
                "[3]"
            ],
            "chunk size {size}"
        );
        assert!(r.as_bytes_with_nul().ends_with(&[0]));
    }
}

#[test]
fn a_bare_array_and_empty_results_work() {
    let r = split_all(b" [ {\"x\": 1} ]\n").unwrap();
    assert_eq!((r.as_str(), r.record_count()), ("[ {\"x\": 1} ]", 1));
    let e = split_all(br#"{"result":[]}"#).unwrap();
    assert_eq!((e.as_bytes_with_nul(), e.record_count()), (&b"[]\0"[..], 0));
    assert_eq!(split_all(b"[]").unwrap().as_bytes_with_nul(), b"[]\0");
}

#[test]
fn numbers_beyond_f64_pass_through_verbatim() {
    // Found by fuzzing: valid JSON that a DOM parser refuses is passed through.
    let r = split_all(br#"{"result": [57E5555555555555555555]}"#).unwrap();
    assert_eq!(r.as_str(), "[57E5555555555555555555]");
}

#[test]
fn the_error_envelope_is_the_apis_own_words() {
    let e = split_all(
        br#"{"error": {"error_code": "NotFound", "error_message": "data file has been removed"}}"#,
    )
    .unwrap_err();
    assert_eq!(e.status, crate::error::Status::AURORAX_ERR_API);
    assert!(
        e.message.contains("NotFound: data file has been removed"),
        "{}",
        e.message
    );
}

#[test]
fn wrong_shapes_truncation_and_bad_json_fail() {
    for bad in [
        &b"{\"result\": {}}"[..],
        b"{\"other\": 1}",
        b"{\"result\": [1,",
        b"{\"result\": [1]",
        b"{\"result\": [tru]}",
        b"{\"result\": [{\"a\" 1}]}",
        b"{\"result\": [1] x}",
        b"{\"result\": [1]} {",
        b"[1 2]",
        b"\xff\xfe",
        b"",
        b"{\"result\": [\"\xff\"]}",
        b"{\"r\xffsult\": 1, \"result\": []}",
    ] {
        let e = split_all(bad).unwrap_err();
        assert_eq!(
            e.status,
            crate::error::Status::AURORAX_ERR_PROTOCOL,
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
}

/// A small deterministic generator of JSON texts with odd spacing and escapes.
struct Gen(u64);
impl Gen {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
    fn blank(&mut self) -> &'static str {
        [" ", "", "\n", "\t ", "\r\n"][self.next(5) as usize]
    }
    fn value(&mut self, depth: u32) -> String {
        let pick = if depth > 3 {
            self.next(4)
        } else {
            self.next(7)
        };
        match pick {
            0 => ["null", "true", "false", "-0.5e3", "12", "57E5555"][self.next(6) as usize]
                .to_string(),
            1 => format!(
                "{:?}",
                ["", "a,b", "x]}", "q\"uote", "back\\slash", "é ü", "[{"][self.next(7) as usize]
            ),
            2 => "\"esc\\\\\\\"aped\\u00e9\"".to_string(),
            3 => self.next(100_000).to_string(),
            4 | 5 => {
                let items: Vec<String> = (0..self.next(4))
                    .map(|_| format!("{}{}{}", self.blank(), self.value(depth + 1), self.blank()))
                    .collect();
                format!("[{}]", items.join(","))
            }
            _ => {
                let items: Vec<String> = (0..self.next(4))
                    .map(|i| {
                        format!(
                            "{}\"k{i}\"{}:{}{}",
                            self.blank(),
                            self.blank(),
                            self.value(depth + 1),
                            self.blank()
                        )
                    })
                    .collect();
                format!("{{{}}}", items.join(","))
            }
        }
    }
}

#[test]
fn generated_documents_split_exactly_as_serde_parses_them() {
    let mut g = Gen(0x5eed_1234_abcd);
    for round in 0..2000 {
        let records: Vec<String> = (0..g.next(6)).map(|_| g.value(0)).collect();
        let array = format!(
            "[{}]",
            records
                .iter()
                .map(|r| format!("{}{r}{}", g.blank(), g.blank()))
                .collect::<Vec<_>>()
                .join(",")
        );
        let body = if round % 3 == 0 {
            format!("{}{array}{}", g.blank(), g.blank())
        } else {
            format!(
                "{{\"meta\": {}, \"result\":{}{array}{}}}",
                g.value(2),
                g.blank(),
                g.blank()
            )
        };
        let chunk = 1 + g.next(body.len() as u64) as usize;
        let r = in_chunks(body.as_bytes(), chunk)
            .unwrap_or_else(|e| panic!("{body:?} (chunks of {chunk}): {e}"));
        let parsed: Vec<&serde_json::value::RawValue> = serde_json::from_str(r.as_str()).unwrap();
        assert_eq!(r.record_count(), parsed.len(), "{body}");
        for (i, p) in parsed.iter().enumerate() {
            assert_eq!(r.record(i), Some(p.get()), "{body}");
        }
        // cutting the body anywhere makes it incomplete, never a wrong success
        let cut = g.next(body.len() as u64) as usize;
        let prefix = &body.as_bytes()[..cut];
        if trim_end(prefix) != trim_end(body.as_bytes()) {
            if let Ok(partial) = split_all(prefix) {
                panic!(
                    "a truncated body was accepted: {:?} -> {}",
                    String::from_utf8_lossy(prefix),
                    partial.as_str()
                );
            }
        }
    }
}

#[test]
fn member_names_are_read_as_json_reads_them() {
    // `res\u0075lt` is `result` to every JSON reader
    for size in [1, 3, 64] {
        let r = in_chunks(br#"{"res\u0075lt": [1, 2], "n\"x": 0}"#, size).unwrap();
        assert_eq!(
            (r.as_str(), r.record_count()),
            ("[1, 2]", 2),
            "chunk size {size}"
        );
    }
    let e = in_chunks(
        br#"{"\u0065rror": {"error_code": "Gone", "error_message": "expired"}}"#,
        5,
    )
    .unwrap_err();
    assert!(e.message.contains("expired"), "{}", e.message);
}

#[test]
fn a_second_result_member_is_refused_not_guessed() {
    // first-wins here, last-wins in serde and Python: the answer is ambiguous
    for body in [
        &br#"{"result": [1], "result": [2, 3]}"#[..],
        br#"{"result": null, "result": [2, 3]}"#,
    ] {
        let e = split_all(body).unwrap_err();
        assert!(
            e.message.contains("more than one 'result'"),
            "{}",
            e.message
        );
    }
}

#[test]
fn a_body_past_the_spool_threshold_gives_the_same_result_from_its_file() {
    let mut body = String::from(r#"{"result": ["#);
    for i in 0..40_000 {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"i": {i}, "s": "some text \"quoted\" ☃", "n": [1, 2.5e3, null]}}"#
        ));
    }
    body.push_str(r#"], "n": 1}"#);
    let whole = in_chunks(body.as_bytes(), body.len()).unwrap();
    assert!(whole.spool_file().is_none());
    for size in [4096, 65_536, 1_000_003] {
        let policy = SpoolPolicy {
            threshold: Some(100),
            dir: None,
        };
        let mut s = RecordSplitter::spooling(0, policy);
        for chunk in body.as_bytes().chunks(size) {
            s.push(chunk).unwrap();
        }
        let spooled = s.finish().unwrap();
        assert!(spooled.spool_file().is_some(), "chunks of {size}");
        assert_eq!(spooled.as_bytes(), whole.as_bytes());
        assert_eq!(spooled.as_bytes_with_nul().last(), Some(&0));
        assert_eq!(spooled.record_count(), 40_000);
        for i in [0, 1, 20_000, 39_999] {
            assert_eq!(spooled.record(i), whole.record(i));
        }
    }
}

#[test]
fn a_spool_directory_that_cannot_be_used_is_a_clear_error() {
    let body = format!(r#"[{}]"#, vec![r#""x""#; 1_000_000].join(","));
    let policy = SpoolPolicy {
        threshold: Some(10),
        dir: Some("/nonexistent/spool".into()),
    };
    let mut s = RecordSplitter::spooling(0, policy);
    let e = body
        .as_bytes()
        .chunks(1 << 16)
        .try_for_each(|c| s.push(c))
        .unwrap_err();
    assert!(e.message.contains("/nonexistent/spool"), "{}", e.message);
}
