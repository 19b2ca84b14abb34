//! `leerpad bench surge`: a registration window stormed the way STAP's windows were. N distinct
//! signed-in people register for one advice programme through a running `leerpad serve` at a
//! steady rate (open loop: requests leave on schedule whether or not earlier ones answered);
//! then the window's draw gives the places. Measured: the HTTP latency, errors, whether any
//! place was given twice over the capacity, how long the draw took, and whether the reserve
//! went to its target group.

use super::bench::{Figures, ms, percentile};
use super::bench_search::{ServerProcess, config_for};
use super::platform::{IndexOptions, Platform};
use crate::commands::bench_search::Line;
use anyhow::Context;
use leerpad_app::advice::DrawJob;
use leerpad_domain::advice::ports::ProgrammeStatus;
use leerpad_domain::advice::programme::{ProgrammeDefinition, Reserve, Window};
use leerpad_domain::financing::{Condition, EducationLevel, PersonFacts};
use leerpad_domain::role::{Role, RoleSet};
use leerpad_domain::shared::Localized;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Debug, clap::Args)]
pub struct SurgeBenchArgs {
    /// How many people register.
    #[arg(long, default_value_t = 250_000)]
    pub registrations: u64,
    /// Registrations sent per second.
    #[arg(long, default_value_t = 450)]
    pub rate: u64,
    /// Places of the programme.
    #[arg(long, default_value_t = 20_000)]
    pub places: u32,
    /// Share of the places kept for people with at most mbo 2 (one in four registrants).
    #[arg(long, default_value_t = 60)]
    pub reserve_pct: u8,
    /// Run on this database instead of a new SQLite file (e.g. postgres://…); its tables must
    /// be empty of advice data (a fresh schema or database).
    #[arg(long, env = "LEERPAD_BENCH_DATABASE_URL")]
    pub database_url: Option<String>,
}

const SLUG: &str = "surge";

pub async fn run(args: SurgeBenchArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir().context("a directory for the benchmark")?;
    let mut config = config_for(dir.path())?;
    if let Some(url) = &args.database_url {
        config.database_url = url.clone();
    }
    let engine = if config.database_url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let platform = Platform::open(
        config.clone(),
        IndexOptions {
            writer_memory: 50 * 1024 * 1024,
        },
    )
    .await?;
    let services = &platform.services;
    let now = services.clock.now();
    let manager = leerpad_domain::policy::Principal {
        user_id: leerpad_domain::shared::UserId::new(0),
        email: "bench@example.nl".into(),
        roles: RoleSet::new([Role::ProgrammeManager]),
    };
    let definition = ProgrammeDefinition {
        name: Localized {
            nl: "Stormloop".into(),
            en: String::new(),
        },
        description: Localized::default(),
        funder: "Benchmark".into(),
        capacity: args.places,
        budget_per_advice: leerpad_domain::shared::Money::from_cents(75_000),
        eligibility: Condition::always(),
        reserves: vec![Reserve {
            name: Localized {
                nl: "hoogstens mbo 2".into(),
                en: String::new(),
            },
            percent: args.reserve_pct,
            who: Condition::EducationAtMost(EducationLevel::Mbo2),
        }],
        // Open for the whole run; the draw is started by the benchmark when sending ends.
        windows: vec![Window {
            opens: now - 60,
            closes: now + 30 * 86_400,
        }],
        example: false,
    };
    services
        .advice
        .create_programme(&manager, SLUG, ProgrammeStatus::Published, &definition)
        .await?;

    // The people: accounts with an API token, one in four with at most mbo 2.
    let bar = crate::commands::progress::bar("people", args.registrations);
    let store = services.store.clone();
    let mut tokens = Vec::with_capacity(args.registrations as usize);
    let learner = RoleSet::new([Role::Learner]);
    for i in 0..args.registrations {
        let (user_id, secret) =
            super::bench::person_with_token(store.as_ref(), "storm", i, &learner, now).await?;
        if i % 4 == 0 {
            let facts = PersonFacts {
                education: Some(EducationLevel::Mbo2),
                ..PersonFacts::default()
            };
            store.save_situation(user_id, &facts, now).await?;
        }
        tokens.push(secret);
        bar.inc(1);
    }
    bar.finish_and_clear();

    // The storm: a running server, requests leaving on schedule.
    let server = ServerProcess::start_on(dir.path(), &config.database_url)?;
    let addr = server.addr().to_owned();
    let interval = Duration::from_secs_f64(1.0 / args.rate.max(1) as f64);
    let bar = crate::commands::progress::bar("registering", args.registrations);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(tokens.len());
    for (i, token) in tokens.into_iter().enumerate() {
        let due = started + interval * i as u32;
        tokio::time::sleep_until(tokio::time::Instant::from_std(due)).await;
        let addr = addr.clone();
        let bar = bar.clone();
        tasks.push(tokio::spawn(async move {
            let r = register(&addr, &token).await;
            bar.inc(1);
            r
        }));
    }
    let mut times = Vec::with_capacity(tasks.len());
    let mut errors_5xx = 0u64;
    let mut other_errors = 0u64;
    for t in tasks {
        match t.await? {
            Ok((status, took)) => {
                times.push(took);
                if status >= 500 {
                    errors_5xx += 1;
                } else if status != 200 {
                    other_errors += 1;
                }
            }
            Err(_) => other_errors += 1,
        }
    }
    let sending = started.elapsed();
    bar.finish_and_clear();
    drop(server);
    times.sort_unstable();
    let rate = args.registrations as f64 / sending.as_secs_f64();

    // The draw, timed, then the checks.
    let p = services.advice.programme(Some(&manager), SLUG).await?;
    let job = DrawJob {
        programme: SLUG.into(),
        window_opens: now - 60,
    };
    let t = Instant::now();
    let draw = services.advice.draw(&job).await?;
    let draw_time = t.elapsed();
    let (_, figures) = services.advice.figures(&manager, SLUG).await?;
    let given = figures.total.allocated;
    let overbooked = given.saturating_sub(u64::from(args.places));
    let reserved_places = p.definition.reserved_places().first().copied().unwrap_or(0);
    let from_reserve = figures.places_by_reserve.first().copied().unwrap_or(0);
    let group_registrants = figures.by_group.first().map_or(0, |c| c.registrations);
    // The reserve's share of all places, against what the programme keeps for it (only
    // meaningful when at least as many of the group registered as it keeps places for).
    let gap_pp = if group_registrants >= u64::from(reserved_places) && given > 0 {
        (from_reserve as f64 / f64::from(args.places) * 100.0 - f64::from(args.reserve_pct)).abs()
    } else {
        f64::NAN
    };

    let mut f = Figures::new("surge");
    f.text("engine", engine);
    f.count("registrations", args.registrations);
    f.num("rate_per_s", rate, 1);
    f.num("http_p50_ms", ms(percentile(&times, 0.5)), 2);
    f.num("http_p99_ms", ms(percentile(&times, 0.99)), 2);
    f.count("errors_5xx", errors_5xx);
    f.count("errors_other", other_errors);
    f.count("places", u64::from(args.places));
    f.count("places_given", given);
    f.count("overbooked", overbooked);
    f.count("waitlisted", figures.total.waitlisted);
    f.num("draw_s", draw_time.as_secs_f64(), 2);
    f.num("reserve_share_gap_pp", gap_pp, 2);
    let table = vec![
        Line(
            format!(
                "{} registrations sent at {} per second ({engine})",
                args.registrations, args.rate
            ),
            format!("{rate:.1} per second achieved"),
            "≥ 417 per second".into(),
        ),
        Line(
            "HTTP latency of a registration".into(),
            format!(
                "p50 {:.2} ms, p99 {:.2} ms",
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.99))
            ),
            "p99 ≤ 200 ms".into(),
        ),
        Line(
            "errors".into(),
            format!("{errors_5xx} 5xx, {other_errors} other"),
            "0 5xx".into(),
        ),
        Line(
            format!(
                "draw of {} places over {} registrations",
                args.places,
                draw.registrations.len()
            ),
            format!("{:.2} s", draw_time.as_secs_f64()),
            "≤ 10 s".into(),
        ),
        Line(
            "places given / over capacity".into(),
            format!("{given} / {overbooked}"),
            "0 over".into(),
        ),
        Line(
            format!(
                "places from the reserve ({}% kept for at most mbo 2)",
                args.reserve_pct
            ),
            format!(
                "{from_reserve} of {reserved_places} ({group_registrants} in the group registered); gap {gap_pp:.2} pp"
            ),
            "within 1 pp".into(),
        ),
    ];
    println!("registration surge for one advice programme ({engine}, 2-core machine)");
    println!("| measure | value | target |");
    println!("| --- | --- | --- |");
    for Line(a, b, c) in &table {
        println!("| {a} | {b} | {c} |");
    }
    f.print();
    Ok(())
}

/// One registration over a new loopback connection: the status and the time to the whole
/// answer.
async fn register(addr: &str, token: &str) -> anyhow::Result<(u16, Duration)> {
    let t = Instant::now();
    let mut s = tokio::net::TcpStream::connect(addr).await?;
    let request = format!(
        "POST /api/v1/advice/programmes/{SLUG}/registration HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Bearer {token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    s.write_all(request.as_bytes()).await?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).await?;
    let took = t.elapsed();
    let status = std::str::from_utf8(out.get(9..12).unwrap_or_default())
        .ok()
        .and_then(|x| x.parse().ok())
        .unwrap_or(0);
    Ok((status, took))
}
