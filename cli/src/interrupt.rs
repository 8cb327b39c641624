//! Ctrl-C: the first one is noted here, and whoever follows searches cancels them (the
//! server gets its DELETE) and exits with the cancelled status.

use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Catches SIGINT (Ctrl-C) from now on; returns once the handler is in place, so a Ctrl-C
/// that arrives after a search started is never lost to the default action.
pub fn catch() {
    let (ready_tx, ready_rx) = std::sync::mpsc::sync_channel::<bool>(1);
    let spawned = std::thread::Builder::new()
        .name("aurorax-ctrl-c".into())
        .spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                let _ = ready_tx.send(false);
                return;
            };
            runtime.block_on(async move {
                #[cfg(unix)]
                {
                    use tokio::signal::unix::{signal, SignalKind};
                    // registered here, before we say we are ready
                    match signal(SignalKind::interrupt()) {
                        Ok(mut sigint) => {
                            let _ = ready_tx.send(true);
                            sigint.recv().await;
                        }
                        Err(_) => {
                            let _ = ready_tx.send(false);
                            return;
                        }
                    }
                }
                #[cfg(not(unix))]
                {
                    let _ = ready_tx.send(true);
                    if tokio::signal::ctrl_c().await.is_err() {
                        return;
                    }
                }
                INTERRUPTED.store(true, Ordering::SeqCst);
            });
        });
    if spawned.is_ok() {
        let _ = ready_rx.recv();
    }
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}
