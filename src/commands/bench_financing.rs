//! `leerpad bench financing`: the financing check's speed with the example schemes over
//! generated offers, for the targets of the financing issue.

use super::bench::{Figures, ms, percentile};
use super::demo::DemoData;
use anyhow::Context;
use leerpad_app::financing::example_schemes;
use leerpad_app::taxonomy::TaxonomyService;
use leerpad_domain::catalogue::{Accreditation, Checks, OfferContent, validate_offer};
use leerpad_domain::financing::{
    BookEntry, CheckContext, EducationLevel, EmploymentStatus, InsuredWork, OfferFacts,
    PersonFacts, SchemeBook,
};
use leerpad_domain::shared::{Money, OfferId};
use std::time::{Duration, Instant};

pub fn run(offers: u64, rounds: usize) -> anyhow::Result<()> {
    let data = leerpad_esco::bundled().context("loading the bundled taxonomy")?;
    let service = TaxonomyService::new(data, &leerpad_esco::bundled_job_offers());
    let demo = DemoData::load(&service)?;
    let today = time::macros::date!(2026 - 11 - 23);
    let tax = &service.taxonomy;
    let skill_uri = |s: &str| {
        tax.skill_id(s)
            .and_then(|id| tax.skill(id))
            .map(|k| k.uri.clone())
    };
    let checks = Checks {
        regions: &demo.regions,
        skill_uri: &skill_uri,
    };
    eprintln!("generating {offers} offers");
    let catalogue: Vec<(OfferContent, Vec<Accreditation>)> = demo
        .generator(2026, today, offers)?
        .take(offers as usize)
        .filter_map(|input| validate_offer(&input, &checks).ok())
        .map(|d| {
            let acc = d.provider.map(|p| p.accreditations).unwrap_or_default();
            (d.content, acc)
        })
        .collect();
    let schemes = example_schemes()?;
    let book = SchemeBook::new(
        schemes
            .into_iter()
            .map(|scheme| BookEntry {
                scheme,
                budget_use: Default::default(),
                awards_per_offer: Default::default(),
                only_offers: None,
            })
            .collect(),
    );
    let ctx = CheckContext {
        today,
        regions: &demo.regions,
        skill_lists: tax.as_ref(),
    };
    let people = [
        PersonFacts {
            age: Some(52),
            employment: Some(EmploymentStatus::Employed),
            education: Some(EducationLevel::Mbo3),
            municipality: Some("Maastricht".into()),
            sector: Some(leerpad_domain::financing::Sector::CareWelfare),
            insured_work: Some(InsuredWork {
                months: 36,
                window_months: 36,
            }),
            ..PersonFacts::default()
        },
        PersonFacts {
            age: Some(29),
            employment: Some(EmploymentStatus::JobSeeker),
            municipality: Some("Rotterdam".into()),
            ..PersonFacts::default()
        },
        PersonFacts::default(),
    ];

    // One person × one offer, with every explanation.
    let mut single: Vec<Duration> = Vec::with_capacity(catalogue.len() * people.len());
    let mut covered = 0usize;
    for person in &people {
        let prepared = book.prepare(&ctx, person);
        for (i, (content, acc)) in catalogue.iter().enumerate() {
            let started = Instant::now();
            let f = book.check_offer(
                &ctx,
                &prepared,
                OfferFacts::new(OfferId::new(i as i64), content, acc),
            );
            single.push(started.elapsed());
            covered += usize::from(f.net_cents < f.gross_cents);
        }
    }
    single.sort_unstable();

    // Net prices of every offer for one person (as for a result list or a training plan).
    let mut whole: Vec<Duration> = Vec::with_capacity(rounds * people.len());
    let mut checksum = Money::ZERO;
    for _ in 0..rounds {
        for person in &people {
            let started = Instant::now();
            let prepared = book.prepare(&ctx, person);
            for (i, (content, acc)) in catalogue.iter().enumerate() {
                checksum += book.net_price(
                    &ctx,
                    &prepared,
                    OfferFacts::new(OfferId::new(i as i64), content, acc),
                );
            }
            whole.push(started.elapsed());
        }
    }
    whole.sort_unstable();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let (check_p50, check_p99) = (us(percentile(&single, 0.50)), us(percentile(&single, 0.99)));
    let (net_p50, net_p99) = (ms(percentile(&whole, 0.50)), ms(percentile(&whole, 0.99)));
    let financed = 100.0 * covered as f64 / single.len().max(1) as f64;
    let mut figures = Figures::new("financing");
    figures.count("schemes", book.entries().len() as u64);
    figures.count("checks", single.len() as u64);
    figures.num("check_p50_us", check_p50, 1);
    figures.num("check_p99_us", check_p99, 1);
    figures.count("offers", catalogue.len() as u64);
    figures.count("net_price_runs", whole.len() as u64);
    figures.num("net_prices_p50_ms", net_p50, 2);
    figures.num("net_prices_p99_ms", net_p99, 2);
    figures.num("financed_pct", financed, 1);
    println!("| measure | value | target |");
    println!("| --- | --- | --- |");
    println!(
        "| all {} example schemes, one person × one offer, with explanations ({} checks) | p50 {check_p50:.1} µs, p99 {check_p99:.1} µs | < 50 µs |",
        book.entries().len(),
        single.len(),
    );
    println!(
        "| net prices for one person over {} offers ({} runs) | p50 {net_p50:.2} ms, p99 {net_p99:.2} ms | < 50 ms |",
        catalogue.len(),
        whole.len(),
    );
    println!("| offers with some financing (3 personas) | {financed:.1}% |  |");
    eprintln!("(checksum {checksum})");
    figures.print();
    Ok(())
}
