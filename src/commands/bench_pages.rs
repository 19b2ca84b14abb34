//! `leerpad bench pages`: the server time of every learner page at catalogue scale (1,000,000
//! generated offers by default, shared with `bench search`), measured over loopback against a
//! real `leerpad serve`, anonymous and signed in as a learner with a profile and financing
//! answers.

use super::bench::{Figures, record_latency};
use super::bench_search::{
    Line, ServerProcess, catalogue_dir, catalogue_of, memory_mib, print_titled_table, server_memory,
};
use anyhow::Context;
use leerpad_domain::financing::{EducationLevel, EmploymentStatus, PersonFacts};
use leerpad_domain::matching::{LearnerProfile, ProfileOccupation, TravelRange};
use leerpad_domain::role::{Role, RoleSet};
use rand::SeedableRng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct PagesBenchArgs {
    /// How many offers in the catalogue.
    #[arg(long, default_value_t = 1_000_000)]
    pub offers: u64,
    /// Where the generated catalogue lives (shared with `bench search`)
    /// [default: ./bench-search-N]
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Requests per page (after one warm-up round).
    #[arg(long, default_value_t = 200)]
    pub requests: usize,
}

const EMAIL: &str = "bench-learner@example.nl";
const PASSWORD: &str = "een lang wachtwoord voor de benchmark";

/// The occupations a person could come from, for the profile.
const FROM_OCCUPATIONS: [&str; 3] = ["verzorgende", "magazijnmedewerker", "kok"];

/// The path of a page's next request, drawn with the random generator.
type PathFn<'a> = Box<dyn FnMut(&mut ChaCha8Rng) -> String + 'a>;

/// A page at one fixed path.
fn fixed<'a>(path: &'static str) -> PathFn<'a> {
    Box::new(move |_| path.into())
}

pub async fn run(args: PagesBenchArgs) -> anyhow::Result<()> {
    let dir = catalogue_dir(args.dir.as_deref(), args.offers);
    let mut table: Vec<Line> = Vec::new();
    let mut figures = Figures::new("pages");
    let platform = catalogue_of(&dir, args.offers, &mut table, &mut figures).await?;
    figures.count("requests", args.requests as u64);
    super::bench_matching::seed_schemes_and_demand(&platform).await?;

    // A learner with a profile (three past jobs) and answers for the financing check.
    let accounts = &platform.services.accounts;
    let user = match platform.services.store.user_by_email(EMAIL).await? {
        Some(u) => u.id,
        None => {
            accounts
                .create_user(EMAIL, "Bench", PASSWORD, RoleSet::new([Role::Learner]))
                .await
                .map_err(|e| anyhow::anyhow!("bench learner: {e}"))?
                .user
                .id
        }
    };
    let t = platform.services.taxonomy.taxonomy.clone();
    let mut profile = LearnerProfile::default();
    for (i, title) in FROM_OCCUPATIONS.iter().enumerate() {
        let best = platform.services.taxonomy.match_title(title, "nl", 1);
        if let Some(o) = best.first().and_then(|m| t.occupation(m.occupation)) {
            profile.add_occupation(
                &t,
                ProfileOccupation {
                    title: (*title).to_owned(),
                    uri: o.uri.clone(),
                    current: i == 0,
                },
            );
        }
    }
    profile.municipality = Some("GM0935".into()); // Maastricht
    profile.education = Some(EducationLevel::Mbo3);
    profile.travel = Some(TravelRange::Province);
    profile.hours_per_week = Some(8);
    let now = platform.services.clock.now();
    let store = &platform.services.store;
    let version = store.profile(user).await?.map_or(0, |p| p.version);
    store.save_profile(user, &profile, version, now).await?;
    let facts = PersonFacts {
        age: Some(45),
        employment: Some(EmploymentStatus::Employed),
        education: Some(EducationLevel::Mbo3),
        municipality: Some("GM0935".into()),
        ..Default::default()
    };
    platform
        .services
        .store
        .save_situation(user, &facts, now)
        .await?;
    let matches = platform.services.matching.matches(&profile, 10);
    let targets: Vec<String> = matches
        .items
        .iter()
        .filter_map(|m| t.occupation(m.occupation))
        .filter_map(|o| o.uri.rsplit('/').next().map(str::to_owned))
        .collect();
    anyhow::ensure!(!targets.is_empty(), "the bench profile matched nothing");
    platform.sql.close().await;

    let server = ServerProcess::start(&dir)?;
    let cookie = server.login(EMAIL, PASSWORD)?;
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let queries = [
        "zorg",
        "heftruck",
        "excel",
        "verpleegkunde",
        "leidinggeven",
        "boekhouden",
        "lassen",
        "klantcontact",
    ];
    // Offers people would open: those the searches find.
    let mut offer_ids: Vec<i64> = Vec::new();
    for q in queries {
        let found = server.get_json(&format!("/api/v1/offers?q={q}&limit=50"))?;
        offer_ids.extend(
            found["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|o| o["id"].as_i64()),
        );
    }
    anyhow::ensure!(!offer_ids.is_empty(), "the searches found no offers");
    let skill_words = ["verpleeg", "communic", "excel", "leiding", "las"];
    // (JSON key, table name, signed in, path)
    let pages: Vec<(&str, &str, bool, PathFn)> = vec![
        ("home", "/ (home)", false, fixed("/")),
        (
            "search",
            "/zoeken?q=… (search with facets, net prices)",
            true,
            Box::new(|r| format!("/zoeken?q={}", queries.choose(r).copied().unwrap_or("zorg"))),
        ),
        (
            "search_filtered",
            "/zoeken?q=…&filters (search, filtered)",
            false,
            Box::new(|r| {
                format!(
                    "/zoeken?q={}&modality=online&level=mbo3&sort=price",
                    queries.choose(r).copied().unwrap_or("zorg")
                )
            }),
        ),
        (
            "offer",
            "/opleidingen/{id} (offer with financing check)",
            true,
            Box::new(|r| format!("/opleidingen/{}", offer_ids.choose(r).copied().unwrap_or(1))),
        ),
        (
            "profile",
            "/vaardigheden (profile)",
            true,
            fixed("/vaardigheden"),
        ),
        (
            "occupations",
            "/kansen (occupations with demand)",
            true,
            fixed("/kansen"),
        ),
        (
            "plan",
            "/kansen/{occupation} (gap + training plan)",
            true,
            Box::new(|r| format!("/kansen/{}", targets.choose(r).cloned().unwrap_or_default())),
        ),
        (
            "financing",
            "/financiering (questionnaire and outcome)",
            true,
            fixed("/financiering"),
        ),
        (
            "schemes",
            "/regelingen (schemes)",
            false,
            fixed("/regelingen"),
        ),
        ("account", "/account", true, fixed("/account")),
        (
            "esco",
            "/esco?q=… (skill lookup)",
            false,
            Box::new(|r| {
                format!(
                    "/esco?q={}",
                    skill_words.choose(r).copied().unwrap_or("las")
                )
            }),
        ),
    ];
    let mut worst: f64 = 0.0;
    for (key, name, signed_in, mut path) in pages {
        let mut times: Vec<Duration> = Vec::with_capacity(args.requests);
        let mut bytes = 0usize;
        for i in 0..=args.requests {
            let p = path(&mut rng);
            let (took, size) = server
                .timed_get_as(&p, signed_in.then_some(cookie.as_str()))
                .with_context(|| format!("GET {p}"))?;
            if i > 0 {
                times.push(took);
                bytes = bytes.max(size);
            }
        }
        let (latency, p99) = record_latency(&mut figures, key, &mut times);
        worst = worst.max(p99);
        let kib = bytes as f64 / 1024.0;
        figures.num(format!("{key}_kib"), kib, 1);
        table.push(Line(
            format!("GET {name}{}", if signed_in { ", signed in" } else { "" }),
            format!("{latency}, largest {kib:.1} KiB uncompressed"),
            "p99 < 50 ms".into(),
        ));
    }
    let (rss, hwm) = server.memory_kib();
    drop(server);
    figures.num("slowest_p99_ms", worst, 2);
    table.push(Line(
        "slowest page p99".into(),
        format!("{worst:.2} ms"),
        "< 50 ms".into(),
    ));
    server_memory(&mut figures, rss, hwm);
    table.push(Line(
        "server memory after the requests (RSS / peak)".into(),
        memory_mib(rss, hwm),
        String::new(),
    ));
    print_titled_table(
        &format!(
            "page benchmark ({} requests per page, one client, loopback)",
            args.requests
        ),
        &table,
        args.offers,
        &dir,
        &figures,
    );
    Ok(())
}
