//! A small logger for the scheduler and executor processes: Ballista's and DataFusion's
//! log lines, and ours, on standard error with the process's role.

use log::{Level, LevelFilter, Log, Metadata, Record};
use std::io::Write;
use std::sync::OnceLock;

struct Logger {
    role: &'static str,
    level: LevelFilter,
}

impl Log for Logger {
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        m.level() <= self.level
    }

    fn log(&self, r: &Record<'_>) {
        if !self.enabled(r.metadata()) {
            return;
        }
        let level = match r.level() {
            Level::Error => "error",
            Level::Warn => "warning",
            Level::Info => "info",
            Level::Debug => "debug",
            Level::Trace => "trace",
        };
        // one write a line, so that lines of two threads do not interleave
        let line = format!(
            "annals {}: {level}: {}: {}\n",
            self.role,
            r.target(),
            r.args()
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
    }

    fn flush(&self) {}
}

static LOGGER: OnceLock<Logger> = OnceLock::new();

/// Send log records to standard error, each line naming `role` (`scheduler`, `executor`,
/// `query`): warnings and errors, and progress (info) too when `verbose`. Only the first
/// call in a process counts.
pub fn init(role: &'static str, verbose: bool) {
    let level = if verbose {
        LevelFilter::Info
    } else {
        LevelFilter::Warn
    };
    let logger = LOGGER.get_or_init(|| Logger { role, level });
    if log::set_logger(logger).is_ok() {
        log::set_max_level(logger.level);
    }
}
