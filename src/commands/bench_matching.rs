//! `leerpad bench matching`: occupation ranking and gap + training plan at catalogue scale
//! (1,000,000 generated offers by default, the full ESCO taxonomy, the demo demand for all 35
//! regions and the example financing schemes).
//!
//! Profiles are people with one or two past jobs (the occupations' essential and optional
//! skills) and a few picked skills, living in a random municipality; the plan is made for
//! their best-matching occupation.

use super::bench::{Figures, record_latency};
use super::bench_search::{Line, catalogue_dir, catalogue_of, print_titled_table};
use leerpad_domain::financing::{EducationLevel, PersonFacts};
use leerpad_domain::matching::{
    LearnerProfile, ProfileOccupation, ProfileSkill, SkillOrigin, TravelRange,
};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct MatchingBenchArgs {
    /// How many offers in the catalogue.
    #[arg(long, default_value_t = 1_000_000)]
    pub offers: u64,
    /// Where the generated catalogue lives (shared with `bench search`)
    /// [default: ./bench-search-N]
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// How many profiles.
    #[arg(long, default_value_t = 300)]
    pub profiles: usize,
}

/// The example schemes and the demo demand, as `serve --demo` loads them.
pub(super) async fn seed_schemes_and_demand(
    platform: &super::platform::Platform,
) -> anyhow::Result<()> {
    platform.services.financing.seed_examples().await?;
    let matching = &platform.services.matching;
    if matching.demand().is_empty() {
        let records = super::demo::demo_demand(
            platform.services.taxonomy.taxonomy.data(),
            super::demo::DEMO_DEMAND_SEED,
            super::demo::DEMO_DEMAND_PERIOD,
        );
        let rows = records.into_iter().map(|r| (0, Ok(r))).collect();
        matching
            .import_demand(rows)
            .await
            .map_err(|p| anyhow::anyhow!("demo demand refused: {:?}", p.first()))?;
    }
    Ok(())
}

pub async fn run(args: MatchingBenchArgs) -> anyhow::Result<()> {
    let dir = catalogue_dir(args.dir.as_deref(), args.offers);
    let mut table: Vec<Line> = Vec::new();
    let mut figures = Figures::new("matching");
    let platform = catalogue_of(&dir, args.offers, &mut table, &mut figures).await?;
    seed_schemes_and_demand(&platform).await?;
    let matching = platform.services.matching.clone();
    let started = Instant::now();
    matching.warm();
    let warm_ms = started.elapsed().as_secs_f64() * 1000.0;
    figures.num("warm_ms", warm_ms, 0);
    table.push(Line(
        "matching weights and hierarchy groups (once per start)".into(),
        format!("{warm_ms:.0} ms"),
        String::new(),
    ));
    let t = platform.services.taxonomy.taxonomy.clone();
    let regions = matching.regions().clone();
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let occupations: Vec<u32> = (0..t.occupations().len() as u32)
        .filter(|o| t.skills_of(*o).len() >= 5)
        .collect();
    let educations = [
        EducationLevel::Mbo2,
        EducationLevel::Mbo3,
        EducationLevel::Mbo4,
        EducationLevel::Hbo,
    ];
    let travels = [
        TravelRange::Province,
        TravelRange::Region,
        TravelRange::OnlineOnly,
        TravelRange::Anywhere,
    ];
    let mut profiles = Vec::with_capacity(args.profiles);
    for _ in 0..args.profiles {
        let mut profile = LearnerProfile::default();
        for _ in 0..rng.random_range(1..=2) {
            let Some(o) = occupations.choose(&mut rng) else {
                break;
            };
            let uri = t.occupation(*o).map(|r| r.uri.clone()).unwrap_or_default();
            profile.add_occupation(
                &t,
                ProfileOccupation {
                    title: String::new(),
                    uri,
                    current: true,
                },
            );
        }
        for _ in 0..3 {
            let s = rng.random_range(0..t.skills().len() as u32);
            if let Some(rec) = t.skill(s) {
                profile.add_skill(ProfileSkill {
                    uri: rec.uri.clone(),
                    origin: SkillOrigin::Picked,
                    occupation: None,
                    essential: true,
                });
            }
        }
        profile.municipality = regions
            .municipalities()
            .choose(&mut rng)
            .map(|m| m.code.clone());
        profile.education = educations.choose(&mut rng).copied();
        profile.travel = travels.choose(&mut rng).copied();
        profile.hours_per_week = Some(8);
        profiles.push(profile);
    }
    // Occupation ranking.
    let mut ranking = Vec::new();
    let mut targets = Vec::new();
    for (round, profile) in profiles.iter().chain(profiles.iter()).enumerate() {
        let started = Instant::now();
        let m = matching.matches(profile, 20);
        let took = started.elapsed();
        if round >= profiles.len() {
            ranking.push(took);
            targets.push(m.items.first().map(|x| x.occupation));
        }
    }
    let skills: f64 =
        profiles.iter().map(|p| p.skills.len() as f64).sum::<f64>() / profiles.len().max(1) as f64;
    figures.count("profiles", profiles.len() as u64);
    figures.num("profile_skills_mean", skills, 0);
    let (latency, _) = record_latency(&mut figures, "ranking", &mut ranking);
    table.push(Line(
        format!(
            "occupation ranking, top 20 with regional demand ({} profiles, {skills:.0} skills on average)",
            profiles.len()
        ),
        latency,
        "p99 < 20 ms".into(),
    ));
    let mut huge = LearnerProfile::default();
    for rec in t.skills().iter().take(5_000) {
        huge.add_skill(ProfileSkill {
            uri: rec.uri.clone(),
            origin: SkillOrigin::Picked,
            occupation: None,
            essential: true,
        });
    }
    let mut huge_times = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let m = matching.matches(&huge, 20);
        huge_times.push(started.elapsed());
        anyhow::ensure!(!m.items.is_empty(), "a 5,000-skill profile matched nothing");
    }
    let (latency, _) = record_latency(&mut figures, "ranking_5000_skills", &mut huge_times);
    table.push(Line(
        "occupation ranking for a profile of 5,000 skills (20 runs)".into(),
        latency,
        String::new(),
    ));
    // Gap + plan, twice (the first round warms caches).
    let mut planning = Vec::new();
    let mut items = 0usize;
    let mut coverage = 0f64;
    let mut plans = 0usize;
    for round in 0..2 {
        for (profile, target) in profiles.iter().zip(&targets) {
            let Some(target) = target else { continue };
            let facts = PersonFacts {
                municipality: profile.municipality.clone(),
                education: profile.education,
                age: Some(40),
                ..Default::default()
            };
            let started = Instant::now();
            let out = matching.plan_with(&facts, profile, *target).await?;
            let took = started.elapsed();
            if round == 1 {
                planning.push(took);
                if out.plan.essential_total + out.plan.optional_total > 0 {
                    plans += 1;
                    items += out.plan.items.len();
                    coverage += out.plan.coverage;
                }
            }
        }
    }
    figures.count("plan_profiles", planning.len() as u64);
    let (latency, _) = record_latency(&mut figures, "plan", &mut planning);
    table.push(Line(
        format!(
            "gap + training plan with net prices ({} profiles)",
            planning.len()
        ),
        latency,
        "p99 < 50 ms".into(),
    ));
    let per_plan = items as f64 / plans.max(1) as f64;
    let covered = coverage / plans.max(1) as f64 * 100.0;
    figures.num("plan_offers_mean", per_plan, 1);
    figures.num("plan_gap_covered_pct", covered, 0);
    table.push(Line(
        "plans: offers per plan, share of the gap covered (mean)".into(),
        format!("{per_plan:.1} offers, {covered:.0}%"),
        String::new(),
    ));
    let (_, offers) = platform.services.store.catalogue_state().await?;
    figures.count("offers", offers as u64);
    print_titled_table("matching", &table, offers as u64, &dir, &figures);
    Ok(())
}
