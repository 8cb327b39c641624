//! A C program compiled against include/aurorax.h and the cdylib runs the seed workflow
//! under valgrind: no memory error and no leak may be reported.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn target_dir() -> PathBuf {
    // tests run from target/<profile>/deps/; the cdylib sits in target/<profile>/.
    std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().to_path_buf()
}

fn compile(source: &str, out: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib_dir = target_dir();
    assert!(lib_dir.join("libaurorax.so").exists(), "no cdylib in {lib_dir:?}");
    let status = Command::new("cc")
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-g", "-D_POSIX_C_SOURCE=200809L"])
        .arg(format!("-I{}", root.join("include").display()))
        .arg(root.join(source))
        .arg("-o")
        .arg(out)
        .arg(format!("-L{}", lib_dir.display()))
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .arg("-laurorax")
        .status()
        .expect("cc runs");
    assert!(status.success(), "compiling {source} failed");
}

#[test]
fn seed_workflow_in_c_runs_clean_under_valgrind() {
    let valgrind_present = Command::new("valgrind").arg("--version").output().is_ok();
    assert!(valgrind_present, "valgrind is required (apt-get install valgrind; the README's test command installs it)");
    let exe = std::env::temp_dir().join(format!("aurorax-seed-{}", std::process::id()));
    compile("tests/c/seed_workflow.c", &exe);
    let server = server(0.3);
    let output = Command::new("valgrind")
        .args(["--error-exitcode=99", "--leak-check=full", "--errors-for-leak-kinds=definite,indirect", "--show-leak-kinds=definite,indirect", "--quiet"])
        .arg(&exe)
        .env("AURORAX_API_URL", server.base_url())
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&exe);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}", output.status.code());
    assert!(stdout.contains("bytes of conjunctions"), "{stdout}");
    assert_eq!(route_count(&server, "submit"), 1);
}
