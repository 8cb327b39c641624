//! `aurorax-testserver`: prints its base URL as the first line of stdout, then
//! serves until SIGTERM or SIGINT.

use aurorax_testserver::cli::{parse, Parsed, USAGE};
use std::io::Write;

fn main() {
    let config = match parse(std::env::args().skip(1)) {
        Ok(Parsed::Run(c)) => c,
        Ok(Parsed::Help) => {
            print!("{USAGE}");
            return;
        }
        Ok(Parsed::WriteTestCerts(dir)) => {
            match aurorax_testserver::write_test_certificates(&dir) {
                Ok(certs) => {
                    println!("{}", certs.ca.display());
                    return;
                }
                Err(e) => {
                    eprintln!(
                        "aurorax-testserver: cannot write certificates to {}: {e}",
                        dir.display()
                    );
                    std::process::exit(1);
                }
            }
        }
        Err(e) => {
            eprint!("aurorax-testserver: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let server = match aurorax_testserver::start(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("aurorax-testserver: cannot start: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout();
    let _ = writeln!(out, "{}", server.base_url());
    let _ = out.flush();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("signal runtime");
    rt.block_on(async {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    });
    drop(server);
}
