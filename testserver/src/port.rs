//! The server's port, kept through a refusing outage. Closing the listener would free the
//! port, and on a busy machine the kernel may hand it to someone else within seconds (another
//! server bound to port 0, the local end of a new connection): the client would then reach a
//! stranger that answers 404 for its search. So the listener is bound with SO_REUSEPORT, an
//! outage binds a second socket beside it and closes the listener, and that socket, bound but
//! not listening, makes the kernel refuse every connection; when the outage ends it listens.
//! The holder has no SO_REUSEADDR, so no other socket can bind the port meanwhile.

use socket2::{Domain, Protocol, Socket, Type};
use std::io;
use std::net::SocketAddr;

const BACKLOG: i32 = 1024;

fn socket_for(addr: SocketAddr) -> io::Result<Socket> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_port(true)?;
    Ok(socket)
}

/// A listening socket on `addr` (port 0: one the kernel picks), non-blocking.
pub fn listen(addr: SocketAddr) -> io::Result<std::net::TcpListener> {
    let socket = socket_for(addr)?;
    // as std's TcpListener::bind: a restarted server takes its port back at once
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    socket.set_nonblocking(true)?;
    Ok(socket.into())
}

/// Closes `listener`, keeping its port: connections are refused until `listen_again`.
pub fn hold(listener: tokio::net::TcpListener) -> io::Result<Socket> {
    let addr = listener.local_addr()?;
    let holder = socket_for(addr)?;
    holder.bind(&addr.into())?;
    drop(listener);
    Ok(holder)
}

/// The held port listening again.
pub fn listen_again(holder: Socket) -> io::Result<tokio::net::TcpListener> {
    holder.listen(BACKLOG)?;
    holder.set_nonblocking(true)?;
    tokio::net::TcpListener::from_std(holder.into())
}
