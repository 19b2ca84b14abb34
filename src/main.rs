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
    /// Rebuild the search index from the database (it also repairs itself on start).
    Reindex(commands::DatabaseArgs),
    /// Demo data: a realistic, deterministic catalogue.
    #[command(subcommand)]
    Demo(commands::demo::DemoCommand),
    /// Import bulk data: the ESCO taxonomy, training offers.
    #[command(subcommand)]
    Import(commands::import::ImportCommand),
    /// Skills: extract them from text.
    #[command(subcommand)]
    Skills(SkillsCommand),
    /// Occupations: match job titles to ESCO occupations.
    #[command(subcommand)]
    Occupations(OccupationsCommand),
    /// Measure quality on annotated data; each prints one JSON line.
    #[command(subcommand)]
    Eval(commands::taxonomy::EvalCommand),
    /// The learning accounts' ledger: export it for auditors.
    #[command(subcommand)]
    Ledger(commands::ledger::LedgerCommand),
    /// Speed benchmarks; each prints a table of figures against the targets.
    #[command(subcommand)]
    Bench(commands::bench::BenchCommand),
    /// ESCO data files: regenerate the taxonomy bundled with Leerpad.
    #[command(subcommand)]
    Esco(commands::esco::EscoCommand),
}

#[derive(Debug, Subcommand)]
enum SkillsCommand {
    /// Read one text per line on stdin; print one JSON object per line:
    /// {"skills":[{"uri","label","score","evidence"}, …]} in rank order.
    Extract(commands::taxonomy::LineArgs),
}

#[derive(Debug, Subcommand)]
enum OccupationsCommand {
    /// Read one job title per line on stdin; print one JSON object per line:
    /// {"occupations":[{"uri","label","score"}, …]} in rank order.
    Match(commands::taxonomy::LineArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => commands::serve::run(cli.config, args).await,
        Command::Migrate(args) => commands::migrate(cli.config, args).await,
        Command::User(cmd) => commands::user::run(cli.config, cmd).await,
        Command::Config(args) => commands::print_config(cli.config, args),
        Command::Esco(cmd) => commands::esco::run(cmd),
        Command::Import(cmd) => commands::import::run(cli.config, cmd).await,
        Command::Reindex(args) => commands::reindex(cli.config, args).await,
        Command::Demo(cmd) => commands::demo::run(cmd),
        Command::Skills(SkillsCommand::Extract(args)) => commands::taxonomy::extract(args),
        Command::Occupations(OccupationsCommand::Match(args)) => {
            commands::taxonomy::match_titles(args)
        }
        Command::Eval(cmd) => commands::taxonomy::eval(cmd).await,
        Command::Bench(cmd) => commands::bench::run(cmd).await,
        Command::Ledger(cmd) => commands::ledger::run(cli.config, cmd).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
