//! aurorax_save_data: the JSON array byte for byte, NDJSON one record per line; a full disk
//! or a path that cannot be written gives a clear status and leaves nothing behind.

mod common;
use common::*;
use std::process::Command;

fn scratch(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("aurorax-save-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn json_is_get_data_byte_for_byte_and_ndjson_is_one_record_per_line() {
    let server = server(0.1);
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    let dir = scratch("ok");
    let (json, ndjson) = (dir.join("r.json"), dir.join("r.ndjson"));
    assert_eq!(
        unsafe { aurorax_save_data(s, c(json.to_str().unwrap()).as_ptr(), 0) },
        OK
    );
    assert_eq!(
        unsafe { aurorax_save_data(s, c(ndjson.to_str().unwrap()).as_ptr(), 1) },
        OK
    );
    assert_eq!(std::fs::read_to_string(&json).unwrap(), data(s).unwrap());
    let lines: Vec<String> = std::fs::read_to_string(&ndjson)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(lines.len() as i64, aurorax_get_record_count(s));
    for (i, line) in lines.iter().enumerate() {
        let mut n = 0i64;
        let r = unsafe { aurorax_get_record(s, i as i64, &mut n) };
        let record = unsafe { std::slice::from_raw_parts(r.cast::<u8>(), n as usize) };
        assert_eq!(line.as_bytes(), record, "record {i}");
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        2,
        "no temporary file left"
    );
    for bad in [2, -1] {
        assert_eq!(
            unsafe { aurorax_save_data(s, c(json.to_str().unwrap()).as_ptr(), bad) },
            INVALID_ARGUMENT
        );
    }
    assert_eq!(
        unsafe { aurorax_save_data(s, std::ptr::null(), 0) },
        INVALID_ARGUMENT
    );
    assert_eq!(
        unsafe { aurorax_save_data(s, c("").as_ptr(), 0) },
        INVALID_ARGUMENT
    );
    aurorax_free(s);
    assert_eq!(
        unsafe { aurorax_save_data(s, c(json.to_str().unwrap()).as_ptr(), 0) },
        INVALID_ARGUMENT,
        "a freed handle"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_full_disk_or_an_unwritable_path_leaves_nothing_behind() {
    let server = server(0.1);
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    assert!(
        aurorax_get_data_length(s) > 1 << 20,
        "larger than the small disk"
    );

    // a 1 MiB tmpfs (the test runs as root, as CI does)
    let disk = scratch("full");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&disk)
        .status()
        .expect("mount runs");
    assert!(
        mounted.success(),
        "this test mounts a small tmpfs and needs root"
    );
    let target = disk.join("r.json");
    let rc = unsafe { aurorax_save_data(s, c(target.to_str().unwrap()).as_ptr(), 0) };
    let message = last_error();
    let left = std::fs::read_dir(&disk).unwrap().count();
    let _ = Command::new("umount").arg(&disk).status();
    assert_eq!(rc, INVALID_ARGUMENT, "{message}");
    assert!(message.contains("No space left"), "{message}");
    assert_eq!(left, 0, "nothing left on the full disk");

    // a directory that is a file
    let file = scratch("notadir").join("plain");
    std::fs::write(&file, b"x").unwrap();
    let rc = unsafe { aurorax_save_data(s, c(file.join("r.json").to_str().unwrap()).as_ptr(), 1) };
    assert_eq!(rc, INVALID_ARGUMENT);
    assert!(last_error().contains("plain"), "{}", last_error());
    aurorax_free(s);
    let _ = std::fs::remove_dir_all(&disk);
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
}

#[test]
fn save_before_completion_is_not_ready_and_a_failed_search_gives_its_status() {
    let server = server(0.5);
    server.set_search_outcome(serde_json::json!({"outcome": "fail"}));
    let s = seed_search(&server);
    let dir = scratch("failed");
    let target = dir.join("r.json");
    assert_eq!(
        unsafe { aurorax_save_data(s, c(target.to_str().unwrap()).as_ptr(), 0) },
        NOT_READY
    );
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), SEARCH_FAILED);
    assert_eq!(
        unsafe { aurorax_save_data(s, c(target.to_str().unwrap()).as_ptr(), 0) },
        SEARCH_FAILED
    );
    assert!(!target.exists());
    aurorax_free(s);
    let _ = std::fs::remove_dir_all(&dir);
}
