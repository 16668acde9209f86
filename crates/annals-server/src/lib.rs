//! The annals HTTP API and web UI, over an [`annals_store::Store`].
//!
//! ```text
//! browser ─▶ axum router ─▶ limits (size, rate) ─▶ handler ─▶ spawn_blocking(Store::…) ─▶ JSON
//!                        └▶ /, /assets/* : the UI, embedded in the binary
//! ```
//!
//! - [`router`] builds the whole application: the JSON API under `/api/`, its OpenAPI
//!   description at `/openapi.json`, and the UI. Tests call it in-process.
//! - [`serve`] binds and runs it on a tokio runtime of its own until Ctrl-C or SIGTERM,
//!   then finishes the requests in flight and returns.
//! - The store is synchronous; every call into it runs on tokio's blocking pool. This crate
//!   holds no analysis and no search logic: it maps requests to store calls and store
//!   errors to HTTP errors, always JSON of the shape `{"error": {"code", "message"}}` with
//!   a stable `code` ([`ApiError`]).
//!
//! ```no_run
//! let store = annals_store::Store::open("annals.db").unwrap();
//! annals_server::serve(store, annals_server::Config::default()).unwrap();
//! ```
#![warn(missing_docs)]
// the OpenAPI document is one large `json!`
#![recursion_limit = "512"]

mod api;
mod error;
mod limits;
mod openapi;
mod ui;

pub use api::PATHS;
pub use error::ApiError;
pub use openapi::openapi;

use annals_store::Store;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen. Default `127.0.0.1:8080`: this machine only.
    pub addr: SocketAddr,
    /// Largest request body accepted, in bytes (the API reads none; default 64 KiB).
    pub max_body_bytes: u64,
    /// Longest request target (path and query) accepted, in bytes (default 4096).
    pub max_uri_bytes: usize,
    /// Requests a second each client may make on average (default 50).
    pub rate_per_second: f64,
    /// Requests a client may make at once beyond that (default 200).
    pub burst: f64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_body_bytes: 64 * 1024,
            max_uri_bytes: 4096,
            rate_per_second: 50.0,
            burst: 200.0,
        }
    }
}

/// What the handlers share.
#[derive(Clone)]
pub(crate) struct AppState {
    pub store: Arc<Store>,
}

/// The application: API, OpenAPI description and UI, with the size and rate limits and
/// the security headers.
pub fn router(store: Arc<Store>, config: &Config) -> Router {
    let state = AppState { store };
    let limits = limits::Limits::new(config);
    api::routes()
        .merge(ui::routes())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(state)
        .layer(axum::middleware::from_fn(limits::security_headers))
        .layer(axum::middleware::from_fn_with_state(
            limits,
            limits::enforce,
        ))
}

/// Serve `store` on `config.addr` until Ctrl-C or SIGTERM, on a runtime of its own; requests
/// in flight are finished before it returns.
pub fn serve(store: Store, config: Config) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        eprintln!("annals: serving {} on http://{addr}/", store.path().display());
        if !addr.ip().is_loopback() {
            eprintln!(
                "annals: warning: {} is reachable from other machines; the API has no authentication",
                addr.ip()
            );
        }
        let app = router(Arc::new(store), &config);
        let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            let _ = stopping.send(());
        });
        // a client that keeps its connection open cannot hold the server up for ever
        let drain_limit = async move {
            if stopped.await.is_ok() {
                tokio::time::sleep(DRAIN_LIMIT).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            r = server => r?,
            () = drain_limit => eprintln!(
                "annals: connections still open after {} s; closing them",
                DRAIN_LIMIT.as_secs()
            ),
        }
        eprintln!("annals: stopped");
        Ok(())
    })
}

/// How long, after a shutdown signal, requests in flight may take to finish.
const DRAIN_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Resolves on Ctrl-C (SIGINT) or, on Unix, SIGTERM (what `kill`, systemd and container
/// runtimes send): the server then stops accepting, finishes the requests in flight and
/// returns.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            // no handler: only Ctrl-C stops the server
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    eprintln!("annals: shutting down; finishing requests in flight");
}
