//! Running bench/pyaurorax_bench.py in the pyaurorax venv (made by scripts/pyaurorax-venv.sh).

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub struct Pyaurorax {
    python: String,
    script: PathBuf,
}

pub struct Running(Child);

impl Pyaurorax {
    pub fn prepare() -> Pyaurorax {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let out = Command::new(root.join("scripts/pyaurorax-venv.sh")).output().expect("scripts/pyaurorax-venv.sh runs");
        assert!(out.status.success(), "cannot prepare the pyaurorax venv: {}", String::from_utf8_lossy(&out.stderr));
        let python = String::from_utf8(out.stdout).unwrap().trim().to_string();
        Pyaurorax { python, script: root.join("bench/pyaurorax_bench.py") }
    }

    pub fn spawn(&self, args: &[&str]) -> Running {
        Running(Command::new(&self.python).arg(&self.script).args(args).stdout(Stdio::piped()).spawn().expect("python runs"))
    }

    pub fn run(&self, args: &[&str]) -> Value {
        self.spawn(args).finish()
    }
}

impl Running {
    pub fn finish(self) -> Value {
        let out = self.0.wait_with_output().unwrap();
        assert!(out.status.success(), "pyaurorax_bench.py failed");
        serde_json::from_slice(&out.stdout).expect("pyaurorax_bench.py prints JSON")
    }
}
