//! Running bench/pyaurorax_bench.py in the pyaurorax venv (made by scripts/pyaurorax-venv.sh).

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

pub struct Pyaurorax {
    python: String,
    script: PathBuf,
}

/// `pyaurorax_bench.py lagserve`: submits one search per `submit()`, each followed by its
/// own `wait()` thread at once; `finish()` collects every search's lag.
pub struct LagServer {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Pyaurorax {
    pub fn prepare() -> Pyaurorax {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let out = Command::new(root.join("scripts/pyaurorax-venv.sh"))
            .output()
            .expect("scripts/pyaurorax-venv.sh runs");
        assert!(
            out.status.success(),
            "cannot prepare the pyaurorax venv: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let python = String::from_utf8(out.stdout).unwrap().trim().to_string();
        Pyaurorax {
            python,
            script: root.join("bench/pyaurorax_bench.py"),
        }
    }

    /// pyaurorax's command line, `aurorax-cli`, from the same virtualenv.
    pub fn cli(&self) -> PathBuf {
        Path::new(&self.python).with_file_name("aurorax-cli")
    }

    /// Runs a subcommand; `ca`: the CA it trusts over HTTPS (`REQUESTS_CA_BUNDLE`).
    pub fn run(&self, args: &[&str], ca: Option<&Path>) -> Value {
        let out = self
            .command(ca)
            .args(args)
            .stderr(Stdio::inherit())
            .output()
            .expect("python runs");
        assert!(out.status.success(), "pyaurorax_bench.py {args:?} failed");
        serde_json::from_slice(&out.stdout).expect("pyaurorax_bench.py prints JSON")
    }

    fn command(&self, ca: Option<&Path>) -> Command {
        let mut command = Command::new(&self.python);
        command.arg(&self.script);
        if let Some(ca) = ca {
            command.env("REQUESTS_CA_BUNDLE", ca);
        }
        command
    }

    /// `pyaurorax_bench.py day URL N GAP`, imported and waiting for `go()`.
    pub fn day(&self, url: &str, n: usize, gap: f64, ca: Option<&Path>) -> LagServer {
        let mut child = self
            .command(ca)
            .args(["day", url, &n.to_string(), &gap.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python runs");
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).expect("day answers");
        assert_eq!(line.trim(), "ready", "pyaurorax_bench.py day did not start");
        LagServer {
            child,
            stdin,
            stdout,
        }
    }

    pub fn lag_server(&self, url: &str, ca: Option<&Path>) -> LagServer {
        let mut child = self
            .command(ca)
            .args(["lagserve", url])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python runs");
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        LagServer {
            child,
            stdin,
            stdout,
        }
    }
}

impl LagServer {
    /// Submits one search (with the server's current config) and returns its request id
    /// once the server has accepted it.
    pub fn submit(&mut self) -> String {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(b"submit\n").unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("lagserve answers");
        assert!(
            !line.trim().is_empty(),
            "pyaurorax_bench.py lagserve ended early"
        );
        line.trim().to_string()
    }

    /// `day`: starts its searches.
    pub fn go(&mut self) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(b"go\n").unwrap();
        stdin.flush().unwrap();
    }

    pub fn finish(mut self) -> Value {
        let mut stdin = self.stdin.take().unwrap();
        let _ = stdin.write_all(b"done\n"); // `day` no longer reads
        drop(stdin);
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut self.stdout, &mut rest).unwrap();
        assert!(
            self.child.wait().unwrap().success(),
            "pyaurorax_bench.py lagserve failed"
        );
        serde_json::from_str(rest.trim()).expect("lagserve prints JSON")
    }
}
