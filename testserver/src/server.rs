//! The accept loop. We drive hyper ourselves instead of `axum::serve` so that each
//! connection has a kill switch a handler can pull: the "reset" fault must close the
//! connection with no HTTP response at all, which no handler can do by returning.

use axum::Router;
use hyper_util::rt::TokioIo;
use socket2::SockRef;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tower::ServiceExt;

/// Put into every request's extensions; `kill()` drops the connection with a RST.
#[derive(Clone)]
pub struct KillSwitch(Arc<Notify>);

impl KillSwitch {
    pub fn kill(&self) {
        // notify_one keeps a permit if the connection task is not waiting yet
        self.0.notify_one();
    }
}

pub async fn serve(listener: TcpListener, router: Router, shutdown: impl Future<Output = ()>) {
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    tokio::spawn(connection(stream, router.clone()));
                }
            }
        }
    }
}

async fn connection(stream: TcpStream, router: Router) {
    let _ = stream.set_nodelay(true);
    // A duplicate of the socket outlives hyper's copy, so we can still set
    // SO_LINGER 0 after hyper has taken the stream.
    let Ok(std_stream) = stream.into_std() else {
        return;
    };
    let Ok(spare) = std_stream.try_clone() else {
        return;
    };
    let Ok(stream) = TcpStream::from_std(std_stream) else {
        return;
    };
    let kill = Arc::new(Notify::new());
    let switch = KillSwitch(kill.clone());
    let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        let (switch, router) = (switch.clone(), router.clone());
        async move {
            let mut req = read_body(req).await?;
            req.extensions_mut().insert(switch);
            router.oneshot(req).await
        }
    });
    let conn =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        _ = kill.notified() => {
            let _ = SockRef::from(&spare).set_linger(Some(Duration::ZERO));
        }
    }
    // hyper's copy is dropped when select! returns; dropping the last copy with
    // linger 0 sends the RST
    drop(spare);
}

/// Request bodies are JSON of a few KB at most; anything above this is refused.
const MAX_BODY: usize = 16 << 20;

/// Reads the whole request body before any route runs, whatever the method. A handler
/// that ignores the body (GET, DELETE, the fallbacks) would otherwise leave it unread,
/// and hyper then closes the keep-alive connection on the client, which sees a reset:
/// pyaurorax sends a JSON body on every GET and DELETE.
async fn read_body(
    req: hyper::Request<hyper::body::Incoming>,
) -> Result<axum::extract::Request, std::convert::Infallible> {
    let (parts, body) = req.into_parts();
    let body = axum::body::Body::new(body);
    match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => Ok(axum::extract::Request::from_parts(parts, bytes.into())),
        // too large or cut off: the handlers see an empty body; the connection is
        // not reusable anyway
        Err(_) => Ok(axum::extract::Request::from_parts(
            parts,
            Default::default(),
        )),
    }
}
