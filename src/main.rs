//! `leerpad`: the one binary. It serves the platform and runs the operator's tasks
//! (migrations, accounts; imports, evaluations and benchmarks as they arrive).

mod commands;
mod config;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "leerpad",
    version,
    about = "Leerpad: the open platform for lifelong learning (Leven Lang Ontwikkelen)"
)]
struct Cli {
    /// TOML configuration file [default: ./leerpad.toml if present]
    #[arg(long, global = true, env = "LEERPAD_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the web server (pages, API, health and metrics), migrating the database first.
    Serve(commands::serve::ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(commands::DatabaseArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(commands::user::UserCommand),
    /// Print the effective configuration (defaults, file, environment and flags combined).
    Config(commands::DatabaseArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => commands::serve::run(cli.config, args).await,
        Command::Migrate(args) => commands::migrate(cli.config, args).await,
        Command::User(cmd) => commands::user::run(cli.config, cmd).await,
        Command::Config(args) => commands::print_config(cli.config, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
