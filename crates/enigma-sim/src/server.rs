//! Starting and stopping the simulator: the listener, the connection loop (HTTP and Socket.IO
//! on one port) and the ticker.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use socketioxide::SocketIo;
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

use crate::config::SimConfig;
use crate::cuttable::Cuttable;
use crate::faults::Fault;
use crate::replay::{self, Replay};
use crate::routes::{ConnKill, router};
use crate::sim_stats::SimStats;
use crate::socket;
use crate::state::AppState;
use crate::stats::ENDPOINTS;

/// Simulated seconds between two ticks of the agent.
const TICK_SIMULATED_SECS: f64 = 0.2;
/// The shortest wall-clock tick.
const MIN_TICK: Duration = Duration::from_millis(2);
/// How long a graceful shutdown waits for open connections.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);
/// Connections the kernel holds for the accept loop. `TcpListener::bind` asks for 128: a client
/// opening thousands of sessions at once (each with its socket) overflows that queue; the kernel
/// drops what overflows (`ListenOverflows` in /proc/net/netstat), and a connection the client
/// already believes open is then reset or times out: a create with no answer (`outcome_unknown`).
/// The kernel caps this at `net.core.somaxconn` (4,096 by default on Linux 5.4 and later).
const LISTEN_BACKLOG: u32 = 65_535;

/// Entry point: starts simulator servers.
#[derive(Debug)]
pub struct Simulator;

impl Simulator {
    /// Binds `config.bind` and serves the simulated API on it, in the current tokio runtime.
    ///
    /// Returns once the socket is listening; the server runs until [`SimHandle::shutdown`] or
    /// until the handle is dropped.
    pub async fn start(config: SimConfig) -> std::io::Result<SimHandle> {
        config.validate().map_err(|why| std::io::Error::new(std::io::ErrorKind::InvalidInput, why))?;
        let listener = listen(config.bind)?;
        let mut addr = listener.local_addr()?;
        if addr.ip().is_unspecified() {
            addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        let replay = match &config.replay {
            Some(path) => Some(
                Replay::load(path, config.time_scale, format!("http://{addr}"))
                    .map_err(|why| std::io::Error::new(std::io::ErrorKind::InvalidInput, why))?,
            ),
            None => None,
        };
        let state = Arc::new(AppState::new(config, format!("http://{addr}")));
        let (app, (socket_layer, io)) = match &replay {
            // A replay answers the documented requests and serves the sockets itself.
            Some(replay) => (
                router(state.clone()).layer(axum::middleware::from_fn_with_state(replay.clone(), replay::intercept)),
                replay::socket_layer(replay.clone()),
            ),
            None => (router(state.clone()), socket::layer(state.clone())),
        };
        let app = app.layer(socket_layer);
        let server = tokio::spawn(accept_loop(listener, app, state.shutdown.subscribe()));
        let ticker = tokio::spawn(ticker(state.clone()));
        Ok(SimHandle { state, addr, io, server: Some(server), ticker: Some(ticker), replay })
    }
}

/// A running simulator. Dropping it stops the server abruptly; [`SimHandle::shutdown`] stops it
/// gracefully.
#[derive(Debug)]
pub struct SimHandle {
    state: Arc<AppState>,
    addr: SocketAddr,
    io: SocketIo,
    server: Option<JoinHandle<()>>,
    ticker: Option<JoinHandle<()>>,
    replay: Option<Arc<Replay>>,
}

impl SimHandle {
    /// Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> String {
        self.state.base_url.clone()
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// What the server saw (sessions, tasks, requests, sockets, commands), typed.
    pub fn stats(&self) -> SimStats {
        SimStats::from_json(&self.stats_json())
    }

    /// The counters as JSON, as returned by `GET /_sim/stats` (what the bindings hand over).
    pub fn stats_json(&self) -> Value {
        drop(self.state.advance());
        let mut stats = self.state.stats_json();
        if let Some(replay) = &self.replay {
            stats["replay"] = replay.stats_json();
        }
        stats
    }

    /// Arms a fault for the next matching requests (what `POST /_sim/faults` does); an
    /// endpoint that is not one of [`ENDPOINTS`](crate::ENDPOINTS) is refused.
    pub fn add_fault(&self, fault: Fault) -> Result<(), String> {
        if !ENDPOINTS.contains(&fault.endpoint.as_str()) {
            return Err(format!("endpoint must be one of {}, got {:?}", ENDPOINTS.join(", "), fault.endpoint));
        }
        self.state.lock().faults.add(fault);
        Ok(())
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        self.state.lock().faults.clear();
    }

    /// How many fault uses are still armed.
    pub fn pending_faults(&self) -> u32 {
        self.state.lock().faults.pending()
    }

    /// Cuts the transport of every socket of a session abruptly (no Socket.IO disconnect
    /// packet, so clients reconnect); how many were cut.
    pub fn drop_sockets(&self, session_id: &str) -> usize {
        self.state.lock().sockets.cut_session(session_id)
    }

    /// Subscribes to a session's events: each item is `{"event": <name>, "data": <payload>}`
    /// (`message` events carry the documented `type`s; `end_session` ends a session). `None`
    /// for an unknown session. Past events are not replayed.
    pub fn subscribe(&self, session_id: &str) -> Option<mpsc::UnboundedReceiver<Value>> {
        self.state.lock().sessions.get_mut(session_id).map(|s| s.events.subscribe())
    }

    /// Stops accepting connections, closes the Socket.IO sockets, lets open requests finish (up
    /// to a few seconds), and stops.
    pub async fn shutdown(mut self) {
        self.state.shutdown.send_replace(true);
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, self.io.close()).await;
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.state.shutdown.send_replace(true);
        self.state.lock().sockets.cut_all();
        for handle in [self.server.take(), self.ticker.take()].into_iter().flatten() {
            handle.abort();
        }
    }
}

/// Listens on `addr` with a queue deep enough for thousands of connections at once (see
/// [`LISTEN_BACKLOG`]); address reuse as `TcpListener::bind` sets it, so a restarted simulator
/// gets its port back at once.
fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    #[cfg(not(windows))]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// Resolves once the shutdown flag is set.
async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|stopped| *stopped).await;
}

async fn accept_loop(listener: TcpListener, router: Router, shutdown: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    connections.spawn(serve_connection(stream, router.clone(), shutdown.clone()));
                }
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = stopped(shutdown.clone()) => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, async { while connections.join_next().await.is_some() {} }).await;
}

async fn serve_connection(stream: TcpStream, router: Router, shutdown: watch::Receiver<bool>) {
    let (stream, raw) = Cuttable::new(stream);
    let kill = ConnKill::default();
    let request_kill = kill.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(request_kill.clone());
        req.extensions_mut().insert(raw.clone());
        router.clone().oneshot(req)
    });
    let conn =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).with_upgrades();
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = kill.0.notified() => {}
        _ = stopped(shutdown) => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(SHUTDOWN_GRACE, conn).await;
        }
    }
}

async fn ticker(state: Arc<AppState>) {
    let period = state.clock.wall_secs(TICK_SIMULATED_SECS).max(MIN_TICK);
    let mut interval = tokio::time::interval(period);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let shutdown = state.shutdown.subscribe();
    let stop = stopped(shutdown);
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = interval.tick() => state.advance_yielding().await,
            _ = &mut stop => break,
        }
    }
}
