//! Configuration: built-in defaults, then a TOML file, then `LEERPAD_*` environment variables,
//! then command-line flags; later sources win. Every key is listed (with its default) in the
//! README and in `leerpad config`.

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use leerpad_app::{AccountsConfig, HashCost};
use leerpad_domain::accounts::throttle::{SessionPolicy, ThrottlePolicy};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The configuration file read when `--config` and `LEERPAD_CONFIG` are absent (if it exists).
pub const DEFAULT_CONFIG_FILE: &str = "leerpad.toml";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address and port to listen on.
    pub bind: String,
    /// `sqlite://FILE` (embedded, default) or `postgres://USER@HOST/DB`.
    pub database_url: String,
    /// PostgreSQL only: schema for Leerpad's tables.
    pub database_schema: Option<String>,
    pub database_max_connections: u32,
    /// Directory of the search index (derived data, rebuilt when missing). Default: next to
    /// the SQLite file (`leerpad.db` → `leerpad.index`), or `leerpad.index` for PostgreSQL.
    pub search_index_dir: Option<String>,
    /// Serve cookies with `Secure` and send HSTS (set when behind TLS).
    pub secure_cookies: bool,
    /// Use the first `X-Forwarded-For` address as the client address (only behind your proxy).
    pub trust_forwarded_for: bool,
    pub body_limit_bytes: usize,
    pub request_timeout_secs: u64,
    pub session_idle_minutes: i64,
    pub session_max_days: i64,
    pub login_window_minutes: i64,
    pub login_max_failures_per_account: i64,
    pub login_max_failures_per_ip: i64,
    /// Each distinct account that signed in from an address adds the per-account limit to the
    /// address's limit, for at most this many accounts (libraries, schools, shared NAT).
    pub login_max_trusted_accounts_per_ip: i64,
    /// Skill extractions and title matches one address may ask per minute without signing in.
    pub anonymous_heavy_requests_per_minute: u32,
    /// Use the sentence-embedding model for skill extraction and title matching when it is
    /// installed (loaded in the background after start; matching is lexical until then).
    pub semantic_matching: bool,
    /// The mail server that delivers messages (reminders, a place that came free), as
    /// `smtp://host:25`, `smtp://user:password@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:password@host:465`. Without it messages are only on the site (Mijn
    /// berichten, and the development mailbox for administrators).
    pub smtp_url: Option<String>,
    /// The sender of every mail.
    pub mail_from: String,
    /// The address people reach the site at, for links in mail.
    pub public_url: String,
    /// STUN/TURN servers for video calls, e.g. `["stun:turn.example.nl:3478",
    /// "turn:turn.example.nl:3478?transport=udp"]` (a deployment runs coturn). Empty: browsers
    /// connect directly, which works within one network.
    pub ice_servers: Vec<String>,
    /// An external video room offered beside the built-in call; `{id}` is the conversation
    /// (e.g. `https://meet.jit.si/leerpad-{id}` or a BigBlueButton room).
    pub video_link: Option<String>,
    /// Run the platform this many days ahead of the real date: for rehearsals of deadlines
    /// and decisions (a call that closes, a survey six months on) and the browser tests. Never
    /// set in production; the server logs a warning when it is.
    pub clock_offset_days: i64,
    /// `pretty` or `json`.
    pub log_format: String,
    /// A tracing filter such as `info` or `leerpad=debug,info`; `RUST_LOG` overrides it.
    pub log_level: String,
}

impl Default for Config {
    fn default() -> Self {
        let throttle = ThrottlePolicy::default();
        let sessions = SessionPolicy::default();
        Config {
            bind: "127.0.0.1:8080".into(),
            database_url: "sqlite://leerpad.db".into(),
            database_schema: None,
            database_max_connections: 16,
            search_index_dir: None,
            secure_cookies: false,
            trust_forwarded_for: false,
            body_limit_bytes: 1024 * 1024,
            request_timeout_secs: 30,
            session_idle_minutes: sessions.idle_secs / 60,
            session_max_days: sessions.absolute_secs / 86_400,
            login_window_minutes: throttle.window_secs / 60,
            login_max_failures_per_account: throttle.max_failures_per_account,
            login_max_failures_per_ip: throttle.max_failures_per_ip,
            login_max_trusted_accounts_per_ip: throttle.max_trusted_accounts_per_ip,
            anonymous_heavy_requests_per_minute: leerpad_web::WebConfig::default()
                .anonymous_heavy_per_minute,
            semantic_matching: true,
            smtp_url: None,
            mail_from: "Leerpad <noreply@leerpad.localhost>".into(),
            public_url: "http://127.0.0.1:8080".into(),
            ice_servers: Vec::new(),
            video_link: None,
            clock_offset_days: 0,
            log_format: "pretty".into(),
            log_level: "info".into(),
        }
    }
}

/// Values given on the command line; `None` leaves the lower layers in force.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

impl Config {
    /// Load from the layers. An explicitly named file must exist; the default one may not.
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> anyhow::Result<Config> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => {
                anyhow::ensure!(
                    path.exists(),
                    "configuration file {} does not exist",
                    path.display()
                );
                figment = figment.merge(Toml::file(path));
            }
            None => {
                if Path::new(DEFAULT_CONFIG_FILE).exists() {
                    figment = figment.merge(Toml::file(DEFAULT_CONFIG_FILE));
                }
            }
        }
        // Only the environment variables that name a setting: others with the same prefix (for
        // tests or tools) are not configuration and must not be refused as unknown keys.
        let known: Vec<String> = match serde_json::to_value(Config::default()) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        };
        figment = figment
            .merge(
                Env::prefixed("LEERPAD_")
                    .filter(move |key| known.iter().any(|k| key.as_str().eq_ignore_ascii_case(k))),
            )
            .merge(Serialized::defaults(overrides));
        let config: Config = figment.extract().context("invalid configuration")?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            matches!(self.log_format.as_str(), "pretty" | "json"),
            "log_format: expected 'pretty' or 'json', got '{}'",
            self.log_format
        );
        anyhow::ensure!(
            self.session_idle_minutes > 0,
            "session_idle_minutes: must be positive"
        );
        anyhow::ensure!(
            self.session_max_days > 0,
            "session_max_days: must be positive"
        );
        anyhow::ensure!(
            self.login_window_minutes > 0,
            "login_window_minutes: must be positive"
        );
        anyhow::ensure!(
            self.login_max_failures_per_account > 0 && self.login_max_failures_per_ip > 0,
            "login_max_failures_per_account, login_max_failures_per_ip: must be positive"
        );
        anyhow::ensure!(
            self.login_max_trusted_accounts_per_ip >= 0,
            "login_max_trusted_accounts_per_ip: must not be negative"
        );
        anyhow::ensure!(
            self.anonymous_heavy_requests_per_minute > 0,
            "anonymous_heavy_requests_per_minute: must be positive"
        );
        anyhow::ensure!(
            self.body_limit_bytes >= 1024,
            "body_limit_bytes: at least 1024"
        );
        anyhow::ensure!(
            self.public_url.starts_with("http://") || self.public_url.starts_with("https://"),
            "public_url: expected an address starting with http:// or https://, got '{}'",
            self.public_url
        );
        self.mail().context("smtp_url, mail_from")?;
        Ok(())
    }

    /// The mail server and the texts it sends, when one is configured.
    pub fn mail(&self) -> anyhow::Result<Option<(leerpad_web::Smtp, leerpad_web::MailTexts)>> {
        let Some(url) = &self.smtp_url else {
            return Ok(None);
        };
        let smtp = leerpad_web::Smtp::new(url, &self.mail_from)?;
        Ok(Some((smtp, leerpad_web::MailTexts::new(&self.public_url))))
    }

    /// Where the search index lives.
    pub fn index_dir(&self) -> PathBuf {
        if let Some(dir) = &self.search_index_dir {
            return PathBuf::from(dir);
        }
        match self
            .database_url
            .strip_prefix("sqlite://")
            .or_else(|| self.database_url.strip_prefix("sqlite:"))
        {
            Some(file) => {
                let file = file.split('?').next().unwrap_or(file);
                if file.is_empty() || file.contains(":memory:") {
                    PathBuf::from("leerpad.index")
                } else {
                    Path::new(file).with_extension("index")
                }
            }
            None => PathBuf::from("leerpad.index"),
        }
    }

    pub fn accounts(&self) -> AccountsConfig {
        AccountsConfig {
            throttle: ThrottlePolicy {
                window_secs: self.login_window_minutes * 60,
                max_failures_per_account: self.login_max_failures_per_account,
                max_failures_per_ip: self.login_max_failures_per_ip,
                max_trusted_accounts_per_ip: self.login_max_trusted_accounts_per_ip,
            },
            sessions: SessionPolicy {
                idle_secs: self.session_idle_minutes * 60,
                absolute_secs: self.session_max_days * 86_400,
            },
            hash_cost: HashCost::Production,
        }
    }

    pub fn web(&self) -> leerpad_web::WebConfig {
        leerpad_web::WebConfig {
            secure_cookies: self.secure_cookies,
            body_limit_bytes: self.body_limit_bytes,
            request_timeout: Duration::from_secs(self.request_timeout_secs),
            trust_forwarded_for: self.trust_forwarded_for,
            anonymous_heavy_per_minute: self.anonymous_heavy_requests_per_minute,
            ice_servers: self.ice_servers.clone(),
            video_link: self.video_link.clone(),
        }
    }
}

/// The file given by `--config` or `LEERPAD_CONFIG`.
pub fn config_path(flag: Option<PathBuf>) -> Option<PathBuf> {
    flag.or_else(|| std::env::var_os("LEERPAD_CONFIG").map(PathBuf::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_embedded_sqlite_on_localhost() {
        let c = Config::default();
        assert_eq!(c.bind, "127.0.0.1:8080");
        assert_eq!(c.database_url, "sqlite://leerpad.db");
    }

    #[test]
    fn the_index_lives_next_to_the_database() {
        let mut c = Config::default();
        assert_eq!(c.index_dir(), PathBuf::from("leerpad.index"));
        c.database_url = "sqlite:///var/lib/leerpad/data.db?mode=rwc".into();
        assert_eq!(c.index_dir(), PathBuf::from("/var/lib/leerpad/data.index"));
        c.database_url = "postgres://u@h/db".into();
        assert_eq!(c.index_dir(), PathBuf::from("leerpad.index"));
        c.search_index_dir = Some("/srv/index".into());
        assert_eq!(c.index_dir(), PathBuf::from("/srv/index"));
    }

    #[test]
    fn file_then_flags_override() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("leerpad.toml");
        std::fs::write(&path, "bind = \"0.0.0.0:9000\"\nsession_idle_minutes = 5\n")
            .expect("write");
        let c = Config::load(Some(&path), &Overrides::default()).expect("load");
        assert_eq!(c.bind, "0.0.0.0:9000");
        assert_eq!(c.accounts().sessions.idle_secs, 300);
        let o = Overrides {
            bind: Some("127.0.0.1:1".into()),
            database_url: None,
        };
        assert_eq!(
            Config::load(Some(&path), &o).expect("load").bind,
            "127.0.0.1:1"
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_are_reported() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "bnid = \"x\"\n").expect("write");
        let err = format!(
            "{:#}",
            Config::load(Some(&path), &Overrides::default()).expect_err("unknown key")
        );
        assert!(err.contains("bnid"), "{err}");
        std::fs::write(&path, "log_format = \"xml\"\n").expect("write");
        let err = format!(
            "{:#}",
            Config::load(Some(&path), &Overrides::default()).expect_err("bad value")
        );
        assert!(err.contains("log_format"), "{err}");
        assert!(
            Config::load(
                Some(&dir.path().join("missing.toml")),
                &Overrides::default()
            )
            .is_err()
        );
    }
}
