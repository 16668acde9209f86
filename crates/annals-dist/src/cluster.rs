//! Ballista's scheduler and executor, embedded: `annals scheduler` and `annals executor`.
//!
//! Both know annals' functions ([`crate::functions::all`]): the scheduler's sessions
//! plan with them, and each executor decodes and runs the tasks it is sent with a
//! function registry that holds them (Ballista ships a plan's functions by name). Tasks
//! are pushed by the scheduler, one to each executor in turn (push-staged scheduling,
//! round-robin distribution), so the partitions of a scan spread over the executors.
//!
//! Each runs until it is told to stop, or until a [`StopWhen`] condition holds: a
//! deadline, standard input closing (a supervisor that holds a pipe to it stops it by
//! closing the pipe, or by exiting), or its parent process exiting. SIGTERM and SIGINT
//! stop either; an executor then tells the scheduler it is leaving and finishes the tasks
//! it runs (for at most [`EXECUTOR_GRACE`]).
//!
//! The scheduler answers `GET /readyz` on its port with `ready: N executors registered`
//! (200) once at least [`SchedulerOptions::min_executors`] executors are alive, and
//! `not ready: N/M executors registered` (503) before: [`scheduler_ready`] asks it.

use crate::{functions, Error, Result};
use ballista_core::config::TaskSchedulingPolicy;
use ballista_core::registry::BallistaFunctionRegistry;
use ballista_core::utils::default_session_builder;
use ballista_executor::executor_process::{start_executor_process, ExecutorProcessConfig};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::{SchedulerConfig, TaskDistributionPolicy};
use ballista_scheduler::scheduler_process::{create_scheduler, start_grpc_service_with_listener};
use datafusion::execution::{FunctionRegistry, SessionState};
use datafusion::prelude::SessionConfig;
use datafusion_proto::protobuf::{LogicalPlanNode, PhysicalPlanNode};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::signal::unix::{signal, SignalKind};

/// How long a stopping executor may take to finish its tasks before the process exits
/// anyway.
pub const EXECUTOR_GRACE: Duration = Duration::from_secs(30);

/// When a scheduler or an executor stops by itself (besides SIGTERM and SIGINT).
#[derive(Debug, Clone, Default)]
pub struct StopWhen {
    /// After this long.
    pub after: Option<Duration>,
    /// When standard input reaches its end (is closed): for a supervisor that holds a
    /// pipe to it.
    pub stdin_closes: bool,
    /// When the parent process exits (the process is handed to another parent).
    pub parent_exits: bool,
}

impl StopWhen {
    /// Wait until one of the conditions holds; what it was. Never returns when none is set.
    async fn wait(&self) -> &'static str {
        let after = async {
            match self.after {
                Some(d) => tokio::time::sleep(d).await,
                None => std::future::pending().await,
            }
        };
        let stdin = async {
            if self.stdin_closes {
                stdin_closed().await
            } else {
                std::future::pending().await
            }
        };
        let parent = async {
            if self.parent_exits {
                parent_exited().await
            } else {
                std::future::pending().await
            }
        };
        tokio::select! {
            _ = after => "the time given ran out",
            _ = stdin => "standard input closed",
            _ = parent => "the parent process exited",
        }
    }
}

/// Resolves when standard input reaches its end. Read on a thread of its own (a blocking
/// read cannot be cancelled, and must not keep a runtime from shutting down).
async fn stdin_closed() {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let spawned = std::thread::Builder::new()
        .name("stdin-watch".into())
        .spawn(move || {
            use std::io::Read;
            let mut buf = [0u8; 4096];
            let mut stdin = std::io::stdin();
            loop {
                match stdin.read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => continue,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                }
            }
            let _ = tx.send(());
        });
    if spawned.is_ok() {
        let _ = rx.await;
    } else {
        std::future::pending::<()>().await;
    }
}

/// Resolves when this process's parent changes (the parent exited).
async fn parent_exited() {
    let parent = std::os::unix::process::parent_id();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    loop {
        tick.tick().await;
        if std::os::unix::process::parent_id() != parent {
            return;
        }
    }
}

/// Resolves on SIGTERM or SIGINT; which. The handlers are installed when this is
/// called, not when it is first polled.
fn termination() -> Result<impl std::future::Future<Output = &'static str>> {
    let mut term =
        signal(SignalKind::terminate()).map_err(|e| Error::io(Path::new("SIGTERM"), e))?;
    let mut int = signal(SignalKind::interrupt()).map_err(|e| Error::io(Path::new("SIGINT"), e))?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        }
    })
}

/// A multi-threaded runtime for a scheduler or an executor.
fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Ballista's own binaries give planning deep stacks: plans can nest deeply
        .thread_stack_size(16 * 1024 * 1024)
        .build()
        .map_err(|e| Error::io(Path::new("tokio runtime"), e))
}

/// A session for the scheduler: Ballista's, with annals' functions.
fn scheduler_session(config: SessionConfig) -> datafusion::common::Result<SessionState> {
    let mut state = default_session_builder(config)?;
    for f in functions::all() {
        state.register_udf(f)?;
    }
    Ok(state)
}

/// The function registry of an executor: every function the scheduler plans with
/// (DataFusion's, its nested ones among them, and annals'), taken from a scheduler
/// session, so that any plan the scheduler makes decodes on an executor.
///
/// Not Ballista's default registry: that holds DataFusion's core functions without the
/// nested ones (`cardinality`, `array_length`, `make_array`, …), so a task using one was
/// rejected by every executor ("PhysicalExtensionCodec is not provided for scalar
/// function cardinality") and the job failed.
pub fn executor_registry() -> Result<BallistaFunctionRegistry> {
    let state = scheduler_session(SessionConfig::new())?;
    Ok(BallistaFunctionRegistry::from(&state))
}

/// How to run a scheduler.
#[derive(Debug, Clone)]
pub struct SchedulerOptions {
    /// Where to listen (port 0: any free port; the one taken is printed).
    pub bind: SocketAddr,
    /// The host name executors and clients reach it by (default: the bind address, or
    /// `localhost` when that is unspecified).
    pub external_host: Option<String>,
    /// Executors alive before `/readyz` says ready.
    pub min_executors: usize,
    /// When to stop.
    pub stop: StopWhen,
}

/// Run a scheduler until it is stopped. Prints `annals scheduler: listening on ADDR`
/// on standard error once it accepts connections.
pub fn run_scheduler(opts: &SchedulerOptions) -> Result<()> {
    runtime()?.block_on(scheduler(opts))
}

async fn scheduler(opts: &SchedulerOptions) -> Result<()> {
    let term = termination()?;
    let listener = tokio::net::TcpListener::bind(opts.bind)
        .await
        .map_err(|e| Error::io(Path::new(&opts.bind.to_string()), e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io(Path::new(&opts.bind.to_string()), e))?;
    let host = opts.external_host.clone().unwrap_or_else(|| {
        if addr.ip().is_unspecified() {
            "localhost".into()
        } else {
            addr.ip().to_string()
        }
    });
    let mut config = SchedulerConfig::default()
        .with_hostname(host)
        .with_port(addr.port())
        .with_scheduler_policy(TaskSchedulingPolicy::PushStaged)
        .with_task_distribution(TaskDistributionPolicy::RoundRobin)
        .with_override_session_builder(Arc::new(scheduler_session));
    config.bind_host = addr.ip().to_string();
    config.min_ready_executors = opts.min_executors.max(1);
    config.validate()?;
    let config = Arc::new(config);
    let cluster = BallistaCluster::new_from_config(&config).await?;
    let server = create_scheduler::<LogicalPlanNode, PhysicalPlanNode>(cluster, config).await?;
    eprintln!(
        "annals scheduler: listening on {addr} (Ballista {}, DataFusion {})",
        ballista_core::BALLISTA_VERSION,
        datafusion::DATAFUSION_VERSION
    );
    tokio::select! {
        r = start_grpc_service_with_listener(listener, server) => {
            r?;
            Ok(())
        }
        why = term => {
            eprintln!("annals scheduler: stopping ({why})");
            Ok(())
        }
        why = opts.stop.wait() => {
            eprintln!("annals scheduler: stopping ({why})");
            Ok(())
        }
    }
}

/// How to run an executor.
#[derive(Debug, Clone)]
pub struct ExecutorOptions {
    /// The scheduler's `HOST:PORT`.
    pub scheduler: String,
    /// Where the executor's Arrow Flight service listens (others fetch results from it).
    pub bind: SocketAddr,
    /// The port of its gRPC service, to which the scheduler pushes tasks (default: the
    /// Flight port + 1).
    pub grpc_port: Option<u16>,
    /// The host name the scheduler and clients reach it by (default: the bind address).
    pub external_host: Option<String>,
    /// Tasks it runs at once (0: one per core).
    pub vcores: usize,
    /// Where shuffle files go (default: a temporary folder, removed at the end).
    pub work_dir: Option<PathBuf>,
    /// Its id (default: `HOST:PORT` of its Flight service); also what `annals_worker()`
    /// returns on it.
    pub id: Option<String>,
    /// When to stop.
    pub stop: StopWhen,
}

/// Run an executor until it is stopped.
pub fn run_executor(opts: &ExecutorOptions) -> Result<()> {
    runtime()?.block_on(executor(opts))
}

async fn executor(opts: &ExecutorOptions) -> Result<()> {
    // the handlers first, so that a SIGTERM during start-up is caught, not fatal; the
    // stop conditions once, so that the deadline counts from the start
    let mut term = Box::pin(termination()?);
    let mut stop = Box::pin(opts.stop.wait());
    let (scheduler_host, scheduler_port) = opts
        .scheduler
        .rsplit_once(':')
        .and_then(|(h, p)| Some((h.to_string(), p.parse::<u16>().ok()?)))
        .filter(|(h, _)| !h.is_empty())
        .ok_or_else(|| Error::Invalid(format!("{}: the scheduler is HOST:PORT", opts.scheduler)))?;
    let host = opts
        .external_host
        .clone()
        .unwrap_or_else(|| opts.bind.ip().to_string());
    let grpc_port = match opts.grpc_port {
        Some(p) => p,
        None => opts.bind.port().checked_add(1).ok_or_else(|| {
            Error::Invalid("give --grpc-port: the Flight port is the last one".into())
        })?,
    };
    let id = opts
        .id
        .clone()
        .unwrap_or_else(|| format!("{host}:{}", opts.bind.port()));
    functions::set_worker_name(&id);
    let scratch;
    let work_dir = match &opts.work_dir {
        Some(d) => d.clone(),
        None => {
            scratch = tempfile::Builder::new()
                .prefix("annals-executor-")
                .tempdir()
                .map_err(|e| Error::io(&std::env::temp_dir(), e))?;
            scratch.path().to_path_buf()
        }
    };
    // wait for the scheduler here, where a stop condition or a signal ends the wait
    // (Ballista's own retry loop cannot be stopped)
    let reach = format!("{scheduler_host}:{scheduler_port}");
    tokio::select! {
        _ = async {
            while tokio::net::TcpStream::connect(&reach).await.is_err() {
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        } => {}
        why = &mut term => {
            eprintln!("annals executor: stopping ({why})");
            return Ok(());
        }
        why = &mut stop => {
            eprintln!("annals executor: stopping ({why})");
            return Ok(());
        }
    }
    let config = ExecutorProcessConfig {
        executor_id: id.clone(),
        bind_host: opts.bind.ip().to_string(),
        external_host: Some(host),
        port: opts.bind.port(),
        grpc_port,
        scheduler_host,
        scheduler_port,
        // it answers already: one attempt
        scheduler_connect_timeout_seconds: 0,
        vcores: opts.vcores,
        task_scheduling_policy: TaskSchedulingPolicy::PushStaged,
        work_dir: Some(work_dir.to_string_lossy().into_owned()),
        override_function_registry: Some(Arc::new(executor_registry()?)),
        ..Default::default()
    };
    eprintln!(
        "annals executor: starting {id} (flight {}, grpc port {grpc_port}, scheduler {}, work dir {})",
        opts.bind,
        opts.scheduler,
        work_dir.display()
    );
    let mut running = tokio::spawn(start_executor_process(Arc::new(config)));
    let why = tokio::select! {
        r = &mut running => {
            return match r {
                Ok(r) => r.map_err(Error::from),
                Err(e) => Err(Error::Invalid(format!("the executor failed: {e}"))),
            };
        }
        // Ballista's executor saw the same signal: it leaves the cluster by itself
        why = &mut term => why,
        why = &mut stop => {
            // stop the way a SIGTERM stops it: it tells the scheduler and drains its tasks
            let _ = rustix::process::kill_process(
                rustix::process::getpid(),
                rustix::process::Signal::TERM,
            );
            why
        }
    };
    eprintln!("annals executor: stopping ({why})");
    match tokio::time::timeout(EXECUTOR_GRACE, running).await {
        Ok(Ok(r)) => r.map_err(Error::from),
        Ok(Err(e)) => Err(Error::Invalid(format!("the executor failed: {e}"))),
        Err(_) => {
            eprintln!(
                "annals executor: its tasks did not finish in {} s; exiting",
                EXECUTOR_GRACE.as_secs()
            );
            Ok(())
        }
    }
}

/// What a scheduler's `/readyz` says: the executors alive, and whether that is enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Readiness {
    /// At least the scheduler's minimum of executors is alive.
    pub ready: bool,
    /// Executors alive.
    pub executors: usize,
}

/// Ask the scheduler at `HOST:PORT` whether it is ready.
pub async fn scheduler_ready(hostport: &str) -> Result<Readiness> {
    let io = |e| Error::io(Path::new(hostport), e);
    let mut s = tokio::net::TcpStream::connect(hostport).await.map_err(io)?;
    let req = format!("GET /readyz HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.map_err(io)?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).await.map_err(io)?;
    parse_readiness(&answer)
        .ok_or_else(|| Error::Invalid(format!("{hostport}: not a scheduler's /readyz answer")))
}

/// `ready: 2 executors registered` or `not ready: 1/2 executors registered`, after the
/// HTTP head.
fn parse_readiness(answer: &str) -> Option<Readiness> {
    let body = answer.split_once("\r\n\r\n")?.1;
    let line = body.lines().find(|l| l.contains("executors registered"))?;
    let (ready, rest) = if let Some(r) = line.strip_prefix("ready: ") {
        (true, r)
    } else {
        (false, line.strip_prefix("not ready: ")?)
    };
    let n = rest.split(['/', ' ']).next()?.parse().ok()?;
    Some(Readiness {
        ready,
        executors: n,
    })
}

/// Wait until the scheduler at `HOST:PORT` is ready, asking every 200 ms, for at most
/// `limit`; the last answer.
pub async fn wait_until_ready(hostport: &str, limit: Duration) -> Result<Readiness> {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let last = scheduler_ready(hostport).await;
        if let Ok(r) = &last {
            if r.ready {
                return last;
            }
        }
        if tokio::time::Instant::now() >= deadline {
            return match last {
                Ok(r) => Err(Error::Invalid(format!(
                    "{hostport}: {} executors registered after {} s, fewer than the scheduler waits for",
                    r.executors,
                    limit.as_secs()
                ))),
                Err(e) => Err(e),
            };
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readiness_answers_are_read() {
        let ok =
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nready: 2 executors registered\n";
        assert_eq!(
            parse_readiness(ok),
            Some(Readiness {
                ready: true,
                executors: 2
            })
        );
        let not = "HTTP/1.1 503 Service Unavailable\r\n\r\nnot ready: 1/2 executors registered\n";
        assert_eq!(
            parse_readiness(not),
            Some(Readiness {
                ready: false,
                executors: 1
            })
        );
        assert_eq!(parse_readiness("HTTP/1.1 404 Not Found\r\n\r\n"), None);
    }

    #[test]
    fn executors_know_every_function_a_plan_can_name() {
        let r = executor_registry().unwrap();
        for f in functions::all() {
            assert!(r.udf(f.name()).is_ok(), "{}", f.name());
        }
        // whatever a query here can call, an executor can decode: DataFusion's own,
        // the nested ones (cardinality, array_*) among them, and their aggregates and
        // window functions
        let local = datafusion::prelude::SessionContext::new().state();
        for name in local.scalar_functions().keys() {
            assert!(r.udf(name).is_ok(), "scalar function {name}");
        }
        for name in local.aggregate_functions().keys() {
            assert!(r.udaf(name).is_ok(), "aggregate function {name}");
        }
        for name in local.window_functions().keys() {
            assert!(r.udwf(name).is_ok(), "window function {name}");
        }
        assert!(r.udf("cardinality").is_ok() && r.udf("abs").is_ok());
    }

    #[tokio::test]
    async fn a_deadline_stops() {
        let stop = StopWhen {
            after: Some(Duration::from_millis(20)),
            ..Default::default()
        };
        assert_eq!(stop.wait().await, "the time given ran out");
    }
}
