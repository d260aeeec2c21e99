//! `registry-console`: a web console for OpenShift's image registry.

// Leptos's statically typed views nest deeply; the default limit is too low for the
// overview page when components are not erased (release and test builds).
#![recursion_limit = "256"]

mod cli;
mod demo;
mod http;
mod logging;
mod serve;
mod shutdown;
mod site;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

/// See `Cargo.toml`: under load glibc's allocator made renders wait on its locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let changes = logging::init(cli.log_format);
    let result = match cli.command {
        Command::Serve(args) => serve::run(*args, changes).await,
        Command::DemoCluster(args) => serve::demo_cluster(args).await,
        Command::DemoOperator(args) => serve::demo_operator(args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("registry-console: {error:#}");
            ExitCode::FAILURE
        }
    }
}
