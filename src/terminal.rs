//! What the user sees on the terminal: log lines (plain progress, coloured
//! `warning:`/`error:` prefixes) and errors with their causes and hints.

use crate::error::Error;
use std::io::{IsTerminal, Write};

struct Logger {
    level: log::LevelFilter,
    colour: bool,
}

impl log::Log for Logger {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= self.level && metadata.target().starts_with("dossier")
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let prefix = match record.level() {
            log::Level::Error => self.paint("error:", "1;31"),
            log::Level::Warn => self.paint("warning:", "1;33"),
            _ => String::new(),
        };
        let space = if prefix.is_empty() { "" } else { " " };
        let _ = writeln!(std::io::stderr().lock(), "{prefix}{space}{}", record.args());
    }

    fn flush(&self) {}
}

impl Logger {
    fn paint(&self, text: &str, code: &str) -> String {
        if self.colour { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }
}

fn colour() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Installs the logger: `quiet` keeps warnings and errors, `verbose` adds stage timings.
pub fn init_logging(quiet: bool, verbose: bool) {
    let level = if quiet {
        log::LevelFilter::Warn
    } else if verbose {
        log::LevelFilter::Debug
    } else {
        log::LevelFilter::Info
    };
    let _ = log::set_boxed_logger(Box::new(Logger { level, colour: colour() }));
    log::set_max_level(level);
}

/// Prints every error with its cause chain and hint, then a closing count.
pub fn print_errors(error: &Error) {
    let logger = Logger { level: log::LevelFilter::Error, colour: colour() };
    let errors = match error {
        Error::Many(list) => list.iter().collect(),
        single => vec![single],
    };
    let mut out = std::io::stderr().lock();
    for error in &errors {
        let _ = writeln!(out, "{} {error}", logger.paint("error:", "1;31"));
        let mut cause = std::error::Error::source(*error);
        // `At` shows its inner error in its own message; skip that repetition.
        if let Error::At { error: inner, .. } = error {
            cause = std::error::Error::source(inner.as_ref());
        }
        while let Some(c) = cause {
            let _ = writeln!(out, "  caused by: {c}");
            cause = c.source();
        }
        if let Some(help) = error.help() {
            let _ = writeln!(out, "  {} {help}", logger.paint("help:", "1;36"));
        }
    }
    if errors.len() > 1 {
        let _ = writeln!(out, "{} {} errors; nothing was written", logger.paint("error:", "1;31"), errors.len());
    }
}
