//! Columns through the C ABI, checked against serde_json reading the same records: every
//! field (every JSON Pointer found in the records) of a conjunction, an ephemeris, a
//! data-product, a data-source and an availability result, as numbers, texts and JSON.

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::ffi::c_char;

/// Every pointer into `v`, containers included, at most `depth` levels down.
fn pointers(v: &Value, at: String, depth: usize, out: &mut BTreeSet<String>) {
    out.insert(at.clone());
    if depth == 0 {
        return;
    }
    let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                pointers(v, format!("{at}/{}", escape(k)), depth - 1, out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate().take(3) {
                pointers(v, format!("{at}/{i}"), depth - 1, out);
            }
        }
        _ => {}
    }
}

fn slices(values: &[*const c_char], lengths: &[i64]) -> Vec<Option<String>> {
    values
        .iter()
        .zip(lengths)
        .map(|(p, n)| {
            (!p.is_null()).then(|| {
                let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), *n as usize) };
                String::from_utf8(bytes.to_vec()).unwrap()
            })
        })
        .collect()
}

/// Every column of `s` against serde_json's reading of its records.
fn check_every_column(s: *mut aurorax_search_t, what: &str) {
    assert_eq!(
        aurorax_wait(s, UNTIL_IT_ENDS),
        OK,
        "{what}: {:?}",
        search_error(s)
    );
    let records: Vec<Value> = serde_json::from_str(&data(s).unwrap()).unwrap();
    let n = records.len();
    assert!(n > 0, "{what}: no records");
    let mut paths = BTreeSet::new();
    for r in records.iter().take(5) {
        pointers(r, String::new(), 6, &mut paths);
    }
    assert!(paths.len() > 5, "{what}: {paths:?}");
    for path in &paths {
        let p = c(path);
        let mut numbers = vec![0.0f64; n];
        let count =
            unsafe { aurorax_get_column_f64(s, p.as_ptr(), numbers.as_mut_ptr(), n as i64) };
        assert_eq!(count, n as i64, "{what} {path}");
        let (mut tv, mut tl) = (vec![std::ptr::null(); n], vec![0i64; n]);
        let count = unsafe {
            aurorax_get_column_text(s, p.as_ptr(), tv.as_mut_ptr(), tl.as_mut_ptr(), n as i64)
        };
        assert_eq!(count, n as i64);
        let texts = slices(&tv, &tl);
        let (mut jv, mut jl) = (vec![std::ptr::null(); n], vec![0i64; n]);
        let count = unsafe {
            aurorax_get_column_json(s, p.as_ptr(), jv.as_mut_ptr(), jl.as_mut_ptr(), n as i64)
        };
        assert_eq!(count, n as i64);
        let jsons = slices(&jv, &jl);
        for (i, record) in records.iter().enumerate() {
            let expected = record.pointer(path);
            let number = match expected {
                Some(Value::Number(x)) => x.as_f64().unwrap(),
                Some(Value::Bool(b)) => f64::from(u8::from(*b)),
                _ => f64::NAN,
            };
            assert!(
                number == numbers[i] || (number.is_nan() && numbers[i].is_nan()),
                "{what} {path} record {i}: {number} vs {}",
                numbers[i]
            );
            assert_eq!(
                texts[i].as_deref(),
                expected.and_then(Value::as_str),
                "{what} {path} record {i}"
            );
            let parsed = jsons[i]
                .as_deref()
                .map(|t| serde_json::from_str::<Value>(t).unwrap());
            assert_eq!(parsed.as_ref(), expected, "{what} {path} record {i}");
            if tl[i] == -1 {
                assert!(tv[i].is_null());
            }
        }
    }
    // a path asked again is the same column, from the handle's cache
    let p = c(paths.iter().next_back().unwrap());
    let (mut a, mut b) = ([std::ptr::null(); 1], [0i64; 1]);
    let (mut a2, mut b2) = ([std::ptr::null(); 1], [0i64; 1]);
    unsafe {
        aurorax_get_column_json(s, p.as_ptr(), a.as_mut_ptr(), b.as_mut_ptr(), 1);
        aurorax_get_column_json(s, p.as_ptr(), a2.as_mut_ptr(), b2.as_mut_ptr(), 1);
    }
    assert_eq!((a[0], b[0]), (a2[0], b2[0]));
    aurorax_free(s);
}

#[test]
fn every_field_of_every_kind_matches_serde_json() {
    let server = server(0.1);
    let start = |create: &dyn Fn() -> *mut aurorax_search_t| with_server(&server, || {}, create);
    check_every_column(start(&|| start_seed()), "conjunctions");
    check_every_column(
        start(&|| unsafe {
            aurorax_ephemeris_search_async(
                c("2019-01-01T00:00:00").as_ptr(),
                c("2019-01-01T00:59:59").as_ptr(),
                c(r#"{"programs": ["swarm"]}"#).as_ptr(),
            )
        }),
        "ephemeris",
    );
    check_every_column(
        start(&|| unsafe {
            aurorax_data_products_search_async(
                c("2020-01-01T00:00:00").as_ptr(),
                c("2020-01-02T23:59:59").as_ptr(),
                c(r#"{"programs": ["trex"]}"#).as_ptr(),
                std::ptr::null(),
            )
        }),
        "data products",
    );
    check_every_column(
        start(&|| unsafe {
            aurorax_data_sources_async(c(r#"{"format": "full_record"}"#).as_ptr())
        }),
        "data sources",
    );
    check_every_column(
        start(&|| unsafe {
            aurorax_ephemeris_availability_async(
                c("2020-01-01").as_ptr(),
                c("2020-01-05").as_ptr(),
                std::ptr::null(),
            )
        }),
        "availability",
    );
}

#[test]
fn bad_calls_get_clear_statuses() {
    let server = server(30.0);
    let s = seed_search(&server);
    let path = c("/min_distance");
    let mut out = [0.0f64; 4];
    // before the data is in
    assert_eq!(
        unsafe { aurorax_get_column_f64(s, path.as_ptr(), out.as_mut_ptr(), 4) },
        NOT_READY as i64
    );
    assert_eq!(aurorax_last_status(), NOT_READY);
    for (p, cap, ptr_null) in [
        (c("min_distance"), 4, false),
        (c("/a~2"), 4, false),
        (c("/min_distance"), -1, false),
        (c("/min_distance"), 4, true),
    ] {
        let out_ptr = if ptr_null {
            std::ptr::null_mut()
        } else {
            out.as_mut_ptr()
        };
        assert_eq!(
            unsafe { aurorax_get_column_f64(s, p.as_ptr(), out_ptr, cap) },
            INVALID_ARGUMENT as i64
        );
    }
    let bad_utf8 = [b'/', 0xff, 0];
    assert_eq!(
        unsafe {
            aurorax_get_column_json(
                s,
                bad_utf8.as_ptr().cast(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                0,
            )
        },
        INVALID_ARGUMENT as i64
    );
    assert_eq!(
        unsafe {
            aurorax_get_column_text(
                s,
                path.as_ptr(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                3,
            )
        },
        INVALID_ARGUMENT as i64
    );
    assert_eq!(
        unsafe {
            aurorax_get_column_f64(std::ptr::null_mut(), path.as_ptr(), std::ptr::null_mut(), 0)
        },
        INVALID_ARGUMENT as i64
    );
    assert_eq!(
        unsafe { aurorax_get_column_f64(s, std::ptr::null(), std::ptr::null_mut(), 0) },
        INVALID_ARGUMENT as i64
    );
    aurorax_cancel(s);
    assert_eq!(
        unsafe { aurorax_get_column_f64(s, path.as_ptr(), std::ptr::null_mut(), 0) },
        CANCELLED as i64
    );
    aurorax_free(s);
    assert_eq!(
        unsafe { aurorax_get_column_f64(s, path.as_ptr(), std::ptr::null_mut(), 0) },
        INVALID_ARGUMENT as i64,
        "a freed handle"
    );
}

#[test]
fn a_capacity_below_the_count_fills_what_fits_and_says_the_count() {
    let server = server(0.1);
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK);
    let n = aurorax_get_record_count(s);
    let path = c("/min_distance");
    assert_eq!(
        unsafe { aurorax_get_column_f64(s, path.as_ptr(), std::ptr::null_mut(), 0) },
        n
    );
    let mut two = [f64::INFINITY; 3];
    assert_eq!(
        unsafe { aurorax_get_column_f64(s, path.as_ptr(), two.as_mut_ptr(), 2) },
        n
    );
    assert!(two[0].is_finite() && two[1].is_finite());
    assert_eq!(two[2], f64::INFINITY, "nothing written past the capacity");
    aurorax_free(s);
}
