//! `leerpad user …`: account administration from the command line, e.g. the first admin.

use super::{DatabaseArgs, open_store};
use anyhow::Context;
use leerpad_app::Accounts;
use leerpad_domain::clock::SystemClock;
use leerpad_domain::role::{Role, RoleSet};
use std::io::BufRead;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Create an account with one or more roles (it is always also a learner).
    Add {
        /// E-mail address (login name).
        #[arg(long)]
        email: String,
        /// Role to grant; repeat for several: learner, advisor, provider, programme_manager, admin.
        #[arg(long = "role", required = true)]
        roles: Vec<Role>,
        /// Display name [default: the part of the e-mail address before '@'].
        #[arg(long)]
        name: Option<String>,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DatabaseArgs,
    },
}

pub async fn run(file: Option<PathBuf>, cmd: UserCommand) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Add {
            email,
            roles,
            name,
            password_stdin,
            db,
        } => {
            let config = db.config(file)?;
            let (password, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .context("reading the password from standard input")?;
                (line.trim_end_matches(['\r', '\n']).to_owned(), false)
            } else {
                (
                    leerpad_app::secret::random_token()?
                        .chars()
                        .take(20)
                        .collect::<String>(),
                    true,
                )
            };
            let display_name =
                name.unwrap_or_else(|| email.split('@').next().unwrap_or("").to_owned());
            let store = open_store(&config).await?;
            let accounts = Accounts::new(
                Arc::new(store.clone()),
                Arc::new(SystemClock),
                config.accounts(),
            );
            let account = accounts
                .create_user(&email, &display_name, &password, RoleSet::new(roles))
                .await?;
            let user = &account.user;
            let names: Vec<&str> = account.roles.iter().map(Role::as_str).collect();
            println!(
                "created account {} ({}) with roles: {}",
                user.id,
                user.email,
                names.join(", ")
            );
            if generated {
                println!("generated password (shown once): {password}");
            }
            store.close().await;
            Ok(())
        }
    }
}
