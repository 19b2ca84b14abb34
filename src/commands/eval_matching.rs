//! `leerpad eval matching`: can matching find an occupation from part of its skills?
//!
//! For every ESCO occupation: hide a random share of its essential skills, build a profile from
//! the rest plus a few unrelated skills (noise), rank all occupations for that profile (skills
//! only, no demand) and note where the true occupation lands.

use leerpad_domain::matching::{MatchContext, MatchIndex};
use leerpad_domain::taxonomy::{Relevance, SkillId, Taxonomy};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Debug, clap::Args)]
pub struct MatchingEvalArgs {
    /// Seed for the hidden skills and the noise.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Share of each occupation's essential skills to hide.
    #[arg(long, default_value_t = 0.3)]
    pub hide: f64,
    /// Unrelated skills added to each profile.
    #[arg(long, default_value_t = 3)]
    pub noise: usize,
}

pub fn run(args: MatchingEvalArgs) -> anyhow::Result<String> {
    anyhow::ensure!(
        (0.0..1.0).contains(&args.hide),
        "--hide must be at least 0 and below 1"
    );
    let service = super::taxonomy::load(super::semantic::Use::NONE)?;
    let t: &Taxonomy = &service.taxonomy;
    let index = MatchIndex::new(t);
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let n_skills = t.skills().len() as SkillId;
    let bar = super::progress::bar("evaluating occupations", t.occupations().len() as u64);
    let (mut evaluated, mut skipped, mut at1, mut at10, mut rr) = (0u32, 0u32, 0u32, 0u32, 0f64);
    let ctx = MatchContext::default();
    for occupation in 0..t.occupations().len() as u32 {
        bar.inc(1);
        let own = t.skills_of(occupation);
        let mut essential: Vec<SkillId> = own
            .iter()
            .filter(|(_, r)| *r == Relevance::Essential)
            .map(|(s, _)| *s)
            .collect();
        essential.shuffle(&mut rng);
        let hidden = (essential.len() as f64 * args.hide).round() as usize;
        let kept = &essential[hidden.min(essential.len())..];
        if kept.is_empty() {
            skipped += 1;
            continue;
        }
        let mut profile: Vec<(SkillId, f32)> = kept.iter().map(|s| (*s, 1.0)).collect();
        let mut added = 0;
        while added < args.noise && n_skills > 0 {
            let s = rng.random_range(0..n_skills);
            if own.iter().any(|(o, _)| *o == s) || profile.iter().any(|(p, _)| *p == s) {
                continue;
            }
            profile.push((s, 1.0));
            added += 1;
        }
        profile.sort_by_key(|(s, _)| *s);
        let ranked = index.rank(t, &profile, None, &ctx, 100);
        evaluated += 1;
        if let Some(pos) = ranked.iter().position(|m| m.occupation == occupation) {
            if pos == 0 {
                at1 += 1;
            }
            if pos < 10 {
                at10 += 1;
            }
            rr += 1.0 / (pos as f64 + 1.0);
        }
    }
    bar.finish_and_clear();
    let n = f64::from(evaluated.max(1));
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    Ok(serde_json::json!({
        "occupations": evaluated,
        "skipped_without_essential_skills": skipped,
        "hidden_share": args.hide,
        "noise_skills": args.noise,
        "seed": args.seed,
        "recall_at_1": round(f64::from(at1) / n),
        "recall_at_10": round(f64::from(at10) / n),
        "mrr": round(rr / n),
    })
    .to_string())
}
