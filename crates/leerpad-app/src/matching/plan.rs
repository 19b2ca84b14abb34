//! The training plan: candidate offers for the gap, priced for the person.

use super::*;
use crate::catalogue::accreditations_of;
use leerpad_domain::shared::OfferId;

impl Matching {
    /// The queries that find candidates where the person can go: online offers, and classroom
    /// ones within their travel range.
    fn candidate_queries(
        &self,
        profile: &LearnerProfile,
        wanted: &[(String, f32)],
    ) -> Vec<OfferQuery> {
        let base = OfferQuery {
            teaches: wanted.to_vec(),
            limit: PLAN_CANDIDATES,
            ..Default::default()
        };
        let home = self.home(profile);
        let travel = profile.travel.unwrap_or(if home.is_some() {
            TravelRange::Province
        } else {
            TravelRange::Anywhere
        });
        let mut online = base.clone();
        online.filters.modalities = vec![Modality::Online];
        let mut nearby = base.clone();
        nearby.filters.modalities = vec![Modality::OnSite, Modality::Blended];
        match (travel, home) {
            (TravelRange::OnlineOnly, _) => vec![online],
            (TravelRange::Anywhere, _) | (_, None) => vec![base],
            (TravelRange::Province, Some(m)) => {
                nearby.filters.provinces = vec![m.province.clone()];
                vec![online, nearby]
            }
            (TravelRange::Region | TravelRange::Municipality, Some(m)) => {
                nearby.filters.regions = vec![m.region.clone()];
                vec![online, nearby]
            }
        }
    }

    /// The facts for pricing: the person's saved financing answers, completed with the
    /// profile's municipality and education.
    async fn facts(
        &self,
        principal: &Principal,
        profile: &LearnerProfile,
    ) -> AppResult<PersonFacts> {
        let mut facts = match self.financing.facts_for(Some(principal), None).await {
            Ok(f) => f,
            // Answers saved under older rules that no longer validate: price without them.
            Err(AppError::InvalidFields(_)) => PersonFacts::default(),
            Err(e) => return Err(e),
        };
        profile.complete_facts(&mut facts);
        Ok(facts)
    }

    /// Gap and training plan for a person and an occupation.
    pub async fn plan(
        &self,
        principal: &Principal,
        profile: &LearnerProfile,
        occupation: OccupationId,
    ) -> AppResult<PlanOutcome> {
        let facts = self.facts(principal, profile).await?;
        self.plan_with(&facts, profile, occupation).await
    }

    /// The plan for given financing facts (also used by benchmarks).
    pub async fn plan_with(
        &self,
        facts: &PersonFacts,
        profile: &LearnerProfile,
        occupation: OccupationId,
    ) -> AppResult<PlanOutcome> {
        let gap = self.gap(profile, occupation);
        let wanted = self.wanted(&gap);
        let today = today(self.clock.as_ref());
        let mut ids: Vec<OfferId> = Vec::new();
        if !wanted.is_empty() {
            for q in self.candidate_queries(profile, &wanted) {
                let page = self
                    .index
                    .search(&q, today)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                ids.extend(page.hits.iter().map(|h| h.offer_id));
            }
        }
        ids.sort_unstable();
        ids.dedup();
        let mut offers = self.offers.offers_by_ids(&ids).await?;
        offers.retain(|o| o.content.status == OfferStatus::Published);
        if profile.travel == Some(TravelRange::Municipality)
            && let Some(home) = self.home(profile)
        {
            offers.retain(|o| {
                o.content.modality == Modality::Online
                    || o.content.municipalities().contains(&home.code.as_str())
            });
        }
        let accreditations = accreditations_of(self.offers.as_ref(), &offers).await?;
        let no_accreditations: Vec<Accreditation> = Vec::new();
        let pairs: Vec<(&Offer, &[Accreditation])> = offers
            .iter()
            .map(|o| {
                (
                    o,
                    accreditations
                        .get(&o.provider_id)
                        .unwrap_or(&no_accreditations)
                        .as_slice(),
                )
            })
            .collect();
        let prices = self.financing.net_prices_of(facts, &pairs).await?;
        let t = &self.taxonomy.taxonomy;
        let candidates: Vec<PlanCandidate> = offers
            .iter()
            .zip(&prices)
            .map(|(o, (gross, net))| PlanCandidate {
                offer_id: o.id,
                skills: o
                    .content
                    .skills
                    .iter()
                    .filter_map(|s| t.skill_id(&s.uri))
                    .collect(),
                level: o.content.level,
                modality: o.content.modality,
                study_load_hours: o.content.study_load_hours,
                next_start: o.content.next_start(today),
                gross_cents: *gross,
                net_cents: *net,
            })
            .collect();
        let needs = PlanNeeds {
            essential: gap.missing_essential.clone(),
            optional: gap.missing_optional.clone(),
            education: profile.education.or(facts.education),
            hours_per_week: profile.hours_per_week,
            budget_cents: profile.budget_cents,
            today,
        };
        let chosen = plan(&needs, &candidates);
        let mut keep: Vec<OfferId> = chosen
            .items
            .iter()
            .flat_map(|i| std::iter::once(i.offer_id).chain(i.alternatives.iter().copied()))
            .collect();
        keep.sort_unstable();
        let plan_ids: Vec<OfferId> = chosen.items.iter().map(|i| i.offer_id).collect();
        let plan_pairs: Vec<(&Offer, &[Accreditation])> = pairs
            .iter()
            .filter(|(o, _)| plan_ids.contains(&o.id))
            .copied()
            .collect();
        let (financing, scheme_names) = self.financing_of(facts, &plan_pairs).await?;
        let candidates_count = candidates.len();
        Ok(PlanOutcome {
            gap,
            plan: chosen,
            offers: offers
                .into_iter()
                .filter(|o| keep.binary_search(&o.id).is_ok())
                .map(|o| (o.id, o))
                .collect(),
            financing,
            scheme_names,
            candidates: candidates_count,
        })
    }

    async fn financing_of(
        &self,
        facts: &PersonFacts,
        offers: &[(&Offer, &[Accreditation])],
    ) -> AppResult<(
        HashMap<OfferId, Vec<AppliedScheme>>,
        HashMap<String, Localized>,
    )> {
        if offers.is_empty() {
            return Ok((HashMap::new(), HashMap::new()));
        }
        let book = self.financing.book().await?;
        let ctx = self.financing.check_context();
        let prepared = book.prepare(&ctx, facts);
        let applied = offers
            .iter()
            .map(|(o, acc)| {
                let f = book.check_offer(&ctx, &prepared, OfferFacts::new(o.id, &o.content, acc));
                (o.id, f.applied)
            })
            .collect();
        let names = book
            .entries()
            .iter()
            .map(|e| (e.scheme.slug.clone(), e.scheme.definition.name.clone()))
            .collect();
        Ok((applied, names))
    }
}
