//! One module per command: arguments → options, call the library, print the summary.

pub mod annotate;
pub mod annotations;
pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod live;
pub mod new;

use crate::cli::{Cli, Command};
use crate::error::Result;

/// Runs the command the arguments name.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Import(args) => import::run(args),
        Command::Check(args) => check::run(args),
        Command::Annotate(args) => annotate::run(args),
        Command::Annotations(command) => annotations::run(command),
        Command::Watch(args) => live::watch(args),
        Command::Serve(args) => live::serve(args),
        Command::New(args) => new::run(args),
        Command::Init(args) => init::run(args),
    }
}
