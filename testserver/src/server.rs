//! The accept loop. We drive hyper ourselves instead of `axum::serve` so that each
//! connection has a kill switch a handler can pull: the "reset" fault must close the
//! connection with no HTTP response at all, which no handler can do by returning.
//! The loop also closes keep-alive connections left idle (`idle_timeout_seconds`).
//! With a TLS acceptor, each connection is HTTPS, HTTP/2 or HTTP/1.1 as ALPN chose.

use crate::network::{Outage, OutageMode};
use crate::port;
use crate::state::AppState;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use socket2::SockRef;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;
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

pub async fn serve(
    listener: TcpListener,
    router: Router,
    state: Arc<AppState>,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    let mut listening = Some(listener);
    let mut held = None;
    let mut outages = state.outage_watch();
    loop {
        let outage = state.conditions().outage();
        if let Some(o) = outage.filter(|o| o.mode == OutageMode::Refuse) {
            // connecting is refused until the outage ends; the port stays ours (port.rs)
            if let Some(l) = listening.take() {
                match port::hold(l) {
                    Ok(h) => held = Some(h),
                    Err(e) => return eprintln!("aurorax-testserver: cannot hold the port: {e}"),
                }
            }
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tokio::time::sleep_until(o.until) => {}
                _ = outages.changed() => {}
            }
            continue;
        }
        let l = match (listening.take(), held.take()) {
            (Some(l), _) => l,
            (None, Some(h)) => match port::listen_again(h) {
                Ok(l) => l,
                Err(e) => return eprintln!("aurorax-testserver: cannot listen again: {e}"),
            },
            (None, None) => return,
        };
        tokio::select! {
            _ = &mut shutdown => break,
            _ = outages.changed() => {}
            accepted = l.accept() => {
                if let Ok((stream, _)) = accepted {
                    // as it is now, not when the wait began
                    match state.conditions().outage() {
                        Some(o) => { tokio::spawn(refuse_during(stream, o, state.clone())); }
                        None => { tokio::spawn(connection(stream, router.clone(), state.clone(), tls.clone())); }
                    }
                }
            }
        }
        listening = Some(l);
    }
}

/// A connection accepted during a reset or blackhole outage: reset at once, or held
/// without a word until the outage ends and reset then.
async fn refuse_during(stream: TcpStream, outage: Outage, state: Arc<AppState>) {
    if outage.mode == OutageMode::Blackhole {
        state.transport_event("outage_blackholed");
        tokio::time::sleep_until(outage.until).await;
    } else {
        state.transport_event("outage_reset");
    }
    let _ = SockRef::from(&stream).set_linger(Some(Duration::ZERO));
    drop(stream);
}

/// A client that opens a connection and never finishes the handshake is dropped after this.
const TLS_HANDSHAKE_LIMIT: Duration = Duration::from_secs(10);

/// When a connection last finished an answer, and how many it is still working on.
struct Activity {
    busy: AtomicUsize,
    last: Mutex<Instant>,
}

/// Held from a request's arrival until its response body is dropped by hyper (sent
/// or abandoned): a long download is not idle.
struct Busy(Arc<Activity>);

impl Busy {
    fn new(a: &Arc<Activity>) -> Busy {
        a.busy.fetch_add(1, Ordering::SeqCst);
        Busy(a.clone())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        *self.0.last.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
        self.0.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A response body that holds its `Busy` until hyper drops it; the size hint passes
/// through, so Content-Length is unchanged.
struct Tracked {
    inner: axum::body::Body,
    _busy: Busy,
}

impl http_body::Body for Tracked {
    type Data = bytes::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::pin::Pin::new(&mut self.get_mut().inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

async fn connection(
    stream: TcpStream,
    router: Router,
    state: Arc<AppState>,
    tls: Option<TlsAcceptor>,
) {
    state.transport_event("connections");
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
    match tls {
        None => answer(stream, spare, router, state).await,
        Some(acceptor) => {
            match tokio::time::timeout(TLS_HANDSHAKE_LIMIT, acceptor.accept(stream)).await {
                Ok(Ok(stream)) => answer(stream, spare, router, state).await,
                _ => state.transport_event("tls_failed"),
            }
        }
    }
}

/// Serves the requests of one connection. `spare` is a duplicate of its TCP socket.
async fn answer<IO>(stream: IO, spare: std::net::TcpStream, router: Router, state: Arc<AppState>)
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let kill = Arc::new(Notify::new());
    let switch = KillSwitch(kill.clone());
    let activity = Arc::new(Activity {
        busy: AtomicUsize::new(0),
        last: Mutex::new(Instant::now()),
    });
    let act = activity.clone();
    let state_for_requests = state.clone();
    let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        let (switch, router, busy) = (switch.clone(), router.clone(), Busy::new(&act));
        if req.uri().path().starts_with("/api/") {
            state_for_requests.http_version_seen(req.version());
        }
        async move {
            let mut req = read_body(req).await?;
            req.extensions_mut().insert(switch);
            let resp = router.oneshot(req).await?;
            Ok::<_, std::convert::Infallible>(resp.map(|inner| Tracked { inner, _busy: busy }))
        }
    });
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    if state.http1_only {
        builder = builder.http1_only();
    }
    let mut conn = Box::pin(builder.serve_connection(TokioIo::new(stream), service));
    let mut closing = false;
    let mut outages = state.outage_watch();
    outages.mark_unchanged();
    loop {
        // re-read each round: the option may be set while the connection is open
        let idle = state.transport().idle_timeout;
        let last = *activity.last.lock().unwrap_or_else(|e| e.into_inner());
        let wake = match idle {
            Some(d) => last + d,
            None => Instant::now() + Duration::from_millis(200),
        };
        tokio::select! {
            _ = conn.as_mut() => break,
            _ = kill.notified() => {
                let _ = SockRef::from(&spare).set_linger(Some(Duration::ZERO));
                break;
            }
            _ = outages.changed() => {
                if state.conditions().outage().is_some() {
                    // the network went down under an open connection
                    let _ = SockRef::from(&spare).set_linger(Some(Duration::ZERO));
                    break;
                }
            }
            _ = tokio::time::sleep_until(wake), if !closing => {
                let idle_now = activity.busy.load(Ordering::SeqCst) == 0
                    && idle.is_some_and(|d| {
                        let last = *activity.last.lock().unwrap_or_else(|e| e.into_inner());
                        last.elapsed() >= d
                    });
                if idle_now {
                    // closes at once when no request is being read or answered
                    conn.as_mut().graceful_shutdown();
                    closing = true;
                    state.transport_event("idle_closed");
                }
            }
        }
    }
    // closing the last copy of a socket with linger 0 sends the RST
    drop(conn);
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
