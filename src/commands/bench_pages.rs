//! `leerpad bench pages`: the server time of every learner page at catalogue scale (1,000,000
//! generated offers by default, shared with `bench search`), measured over loopback against a
//! real `leerpad serve`, anonymous and signed in as a learner with a profile and financing
//! answers; and the region pages with 100,000 learners and 1,000 initiatives behind them.

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
    /// How many learners with a saved situation (where they live, education, age) the
    /// region pages and the dashboard count.
    #[arg(long, default_value_t = 100_000)]
    pub learners: u64,
    /// How many regional initiatives.
    #[arg(long, default_value_t = 1_000)]
    pub initiatives: u64,
    /// Requests to the programme manager's dashboard, which counts every row each time.
    #[arg(long, default_value_t = 20)]
    pub dashboard_requests: usize,
}

const MANAGER: &str = "bench-programma@example.nl";

/// The regions' data at scale: `learners` people with a situation spread over every
/// municipality, the example initiatives and learning-culture answers, and generated
/// initiatives up to `initiatives`. Kept between runs (only what is missing is added).
async fn seed_regions(
    platform: &super::platform::Platform,
    learners: u64,
    initiatives: u64,
) -> anyhow::Result<()> {
    use leerpad_domain::regions::ports::InitiativeQuery;
    use leerpad_domain::regions::{AreaKind, InitiativeInput, validate_initiative};
    let services = &platform.services;
    let store = &services.store;
    let regions = services.regional.regions();
    let now = services.clock.now();
    let last = format!("regio-lerende{}@example.nl", learners.saturating_sub(1));
    if learners > 0 && store.user_by_email(&last).await?.is_none() {
        let bar = super::progress::bar("learners", learners);
        let towns = regions.municipalities();
        let levels = [
            EducationLevel::Vmbo,
            EducationLevel::Mbo2,
            EducationLevel::Mbo3,
            EducationLevel::Mbo4,
            EducationLevel::Hbo,
            EducationLevel::Wo,
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(22);
        let roles = RoleSet::new([Role::Learner]);
        for i in 0..learners {
            bar.inc(1);
            let created = store
                .create_user(
                    leerpad_domain::accounts::ports::NewUser {
                        email: format!("regio-lerende{i}@example.nl"),
                        display_name: format!("Lerende {i}"),
                        password_hash: "$argon2id$bench".into(),
                        locale: "nl".into(),
                        created_at: now,
                    },
                    &roles,
                )
                .await;
            // Kept from an earlier run that stopped half-way.
            let Ok(user) = created else { continue };
            let facts = PersonFacts {
                age: Some(rand::Rng::random_range(&mut rng, 18..67)),
                education: levels.choose(&mut rng).copied(),
                municipality: towns.choose(&mut rng).map(|m| m.name.clone()),
                employment: Some(EmploymentStatus::Employed),
                ..Default::default()
            };
            store.save_situation(user.id, &facts, now).await?;
        }
        bar.finish_and_clear();
    }
    services
        .regional
        .seed_examples()
        .await
        .map_err(|e| anyhow::anyhow!("example initiatives: {e}"))?;
    let have = store
        .initiatives(&InitiativeQuery {
            limit: u32::try_from(initiatives).unwrap_or(u32::MAX),
            ..InitiativeQuery::default()
        })
        .await?
        .len() as u64;
    let areas: Vec<_> = regions
        .areas()
        .iter()
        .filter(|a| a.kind == AreaKind::LabourMarket)
        .collect();
    let sectors = ["zorg", "techniek", "ict", "logistiek", "bouw", "onderwijs"];
    let mut batch = Vec::new();
    for k in have..initiatives {
        let area = areas[(k as usize) % areas.len()];
        let town = regions
            .municipalities_of(area)
            .first()
            .map(|m| m.name.clone())
            .unwrap_or_default();
        let sector = sectors[(k as usize) % sectors.len()];
        let input = InitiativeInput {
            title: format!("Leernetwerk {sector} {} {k} (voorbeeld)", area.name),
            summary: format!(
                "Werkgevers en opleiders in {} leiden samen op voor werk in de {sector}.",
                area.name
            ),
            region: area.slug.clone(),
            municipalities: town,
            sector: sector.into(),
            partners: format!("Werkplein {} (penvoerder) | Opleider (opleider)", area.name),
            target_groups: "werkenden | werkzoekenden".into(),
            participants_target: (20 + k % 80).to_string(),
            funding: format!("Regio {}: {}.000", area.name, 10 + k % 90),
            starts_on: "2025-01-01".into(),
            ends_on: "2027-12-31".into(),
            developed: "module: 1".into(),
            parel: if k % 10 == 0 { "ja" } else { "nee" }.into(),
            ..InitiativeInput::default()
        };
        let mut i = validate_initiative(&input, regions)
            .map_err(|e| anyhow::anyhow!("generated initiative {k}: {e:?}"))?;
        i.example = true;
        batch.push(i);
        if batch.len() == 200 {
            store.add_initiatives(&batch, None, now).await?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        store.add_initiatives(&batch, None, now).await?;
    }
    Ok(())
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
    let accounts = &platform.services.accounts;
    super::bench_matching::seed_schemes_and_demand(&platform).await?;
    seed_regions(&platform, args.learners, args.initiatives).await?;
    figures.count("learners", args.learners);
    figures.count("initiatives", args.initiatives);
    if platform
        .services
        .store
        .user_by_email(MANAGER)
        .await?
        .is_none()
    {
        accounts
            .create_user(
                MANAGER,
                "Bench",
                PASSWORD,
                RoleSet::new([Role::ProgrammeManager]),
            )
            .await
            .map_err(|e| anyhow::anyhow!("bench manager: {e}"))?;
    }

    // A learner with a profile (three past jobs) and answers for the financing check.
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

    let area_slugs: Vec<String> = platform
        .services
        .regional
        .regions()
        .areas()
        .iter()
        .map(|a| a.slug.clone())
        .collect();
    let server = ServerProcess::start(&dir)?;
    let cookie = server.login(EMAIL, PASSWORD)?;
    let manager = server.login(MANAGER, PASSWORD)?;
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
    let mut next_area = 0usize;
    let region_pages: Vec<(&str, &str, bool, PathFn)> = vec![
        (
            "regions",
            "/regio (every region with its figures)",
            false,
            fixed("/regio"),
        ),
        (
            "region",
            "/regio/{slug} (each of the 47 regions in turn)",
            false,
            Box::new(|_| {
                next_area += 1;
                format!("/regio/{}", area_slugs[next_area % area_slugs.len()])
            }),
        ),
        (
            "initiatives",
            "/initiatieven?q=… (initiative search)",
            false,
            Box::new(|r| {
                format!(
                    "/initiatieven?q={}",
                    ["zorg", "techniek", "leernetwerk", "operator", "ict"]
                        .choose(r)
                        .copied()
                        .unwrap_or("zorg")
                )
            }),
        ),
    ];
    let mut worst: f64 = 0.0;
    for (key, name, signed_in, mut path) in pages.into_iter().chain(region_pages) {
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
    // The programme manager's dashboard counts every row on each request (no target: it is
    // not a public page, and it must show what is there now).
    let mut times: Vec<Duration> = Vec::with_capacity(args.dashboard_requests);
    for i in 0..=args.dashboard_requests {
        let p = if i % 2 == 0 {
            "/beheer/dashboard".to_owned()
        } else {
            format!(
                "/beheer/dashboard?regio={}",
                area_slugs[i % area_slugs.len()]
            )
        };
        let (took, _) = server
            .timed_get_as(&p, Some(manager.as_str()))
            .with_context(|| format!("GET {p}"))?;
        if i > 0 {
            times.push(took);
        }
    }
    let (latency, _) = record_latency(&mut figures, "dashboard", &mut times);
    table.push(Line(
        "GET /beheer/dashboard (counts every row), programme manager".into(),
        latency,
        String::new(),
    ));
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
