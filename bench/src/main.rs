fn main() { eprintln!("aurorax-bench: not written yet"); std::process::exit(2); }
