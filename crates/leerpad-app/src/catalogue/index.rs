//! Keeping the search index in step with the database, and what the index holds per offer.

use super::*;
use leerpad_domain::shared::{OfferId, ProviderId};
use leerpad_domain::taxonomy::OccupationId;

impl Catalogue {
    /// Bring the index up to date with the database: index every offer changed after the last
    /// change the index reflects. Returns how many were indexed.
    pub async fn sync_index(&self) -> AppResult<u64> {
        let _guard = self.index_lock.lock().await;
        let from = self.index.change_seq().map_err(search_error)?;
        let (latest, _) = self.offers.catalogue_state().await?;
        if latest <= from {
            return Ok(0);
        }
        let mut bulk = match self.index.bulk() {
            Ok(b) => b,
            // Another process is writing the index: try again later.
            Err(_) => return Ok(0),
        };
        let mut done = 0;
        let mut feed = self.index_feed(from, 2_000);
        while let Some(docs) = feed.next_page().await? {
            bulk.add(&docs).map_err(search_error)?;
            done += docs.len() as u64;
        }
        let after = feed.position();
        bulk.commit(after).map_err(search_error)?;
        Ok(done)
    }

    /// Empty the index and fill it from the database.
    pub async fn rebuild_index(&self) -> AppResult<u64> {
        {
            let _guard = self.index_lock.lock().await;
            self.index.clear().map_err(search_error)?;
        }
        self.sync_index().await
    }

    /// The offers changed after change `after`, page by page, as the index holds them.
    pub fn index_feed(&self, after: i64, page_size: u32) -> IndexFeed<'_> {
        IndexFeed {
            catalogue: self,
            after,
            page_size,
            providers: HashMap::new(),
            today: self.today(),
        }
    }

    /// The occupations an offer is for, read from its titles, summaries and skills (see
    /// `Taxonomy::occupations_of_offer`): what the index holds, and what a result's reason is
    /// read from.
    pub(crate) fn occupations_of(&self, c: &OfferContent) -> Vec<OccupationId> {
        let tax = &self.taxonomy.taxonomy;
        let skills: Vec<_> = c
            .skills
            .iter()
            .filter_map(|s| tax.skill_id(&s.uri))
            .collect();
        let texts = [
            c.title.nl.as_str(),
            c.title.en.as_str(),
            c.summary.nl.as_str(),
            c.summary.en.as_str(),
        ];
        tax.occupations_of_offer(&texts, &skills)
    }

    /// What the index holds of an offer.
    pub fn indexed(
        &self,
        offer_id: OfferId,
        provider_id: ProviderId,
        c: &OfferContent,
        provider_name: String,
        updated_at: i64,
        today: Date,
    ) -> IndexedOffer {
        let tax = &self.taxonomy.taxonomy;
        let mut skill_labels = Vec::new();
        let mut skill_keys = Vec::new();
        for s in &c.skills {
            let Some(skill) = tax.skill_id(&s.uri).and_then(|id| tax.skill(id)) else {
                continue;
            };
            skill_keys.push(leerpad_domain::taxonomy::key_of(&skill.uri).to_owned());
            for t in &skill.texts {
                skill_labels.push((t.lang.clone(), t.preferred.clone()));
                skill_labels.extend(
                    t.alt
                        .iter()
                        .take(ALT_LABELS_INDEXED)
                        .map(|a| (t.lang.clone(), a.clone())),
                );
            }
        }
        let mut occupation_keys = Vec::new();
        let mut isco_groups = Vec::new();
        for o in self.occupations_of(c) {
            let Some(record) = tax.occupation(o) else {
                continue;
            };
            occupation_keys.push(leerpad_domain::taxonomy::key_of(&record.uri).to_owned());
            if !isco_groups.contains(&record.isco_code) {
                isco_groups.push(record.isco_code.clone());
            }
        }
        let mut provinces = Vec::new();
        let mut regions = Vec::new();
        for code in c.municipalities() {
            if let Some(m) = self.regions.municipality(code) {
                if !provinces.contains(&m.province) {
                    provinces.push(m.province.clone());
                }
                if !regions.contains(&m.region) {
                    regions.push(m.region.clone());
                }
            }
        }
        let mut starts: Vec<Date> = c
            .runs
            .iter()
            .filter(|r| r.status == RunStatus::Open)
            .filter_map(|r| r.start)
            .filter(|d| *d >= today)
            .collect();
        starts.sort();
        IndexedOffer {
            offer_id,
            provider_id,
            title: c.title.clone(),
            summary: c.summary.clone(),
            description: c.description.clone(),
            provider_name,
            skill_labels,
            skill_keys,
            occupation_keys,
            isco_groups,
            kind: c.kind,
            level: c.level,
            modality: c.modality,
            provinces,
            regions,
            gross_price_cents: c.gross_price_cents(),
            study_load_hours: c.study_load_hours,
            credential: c.credential,
            languages: c.languages.clone(),
            starts,
            published: c.status == OfferStatus::Published,
            updated_at,
        }
    }
}

/// Offers changed after a point in the change feed, page by page, as the search index holds
/// them (with their provider's name, looked up once per provider). The index sync reads it, and
/// so does the search benchmark's PostgreSQL peer, so both hold the same documents.
pub struct IndexFeed<'a> {
    catalogue: &'a Catalogue,
    after: i64,
    page_size: u32,
    /// Each provider's name and whether it is verified (only then are its offers published).
    providers: HashMap<ProviderId, (String, bool)>,
    today: Date,
}

impl IndexFeed<'_> {
    /// The next page, or `None` when the feed is read to its end.
    pub async fn next_page(&mut self) -> AppResult<Option<Vec<IndexedOffer>>> {
        let c = self.catalogue;
        let page = c
            .offers
            .offers_changed_after(self.after, self.page_size)
            .await?;
        let Some((_, last)) = page.last() else {
            return Ok(None);
        };
        self.after = *last;
        let missing: Vec<ProviderId> = page
            .iter()
            .map(|(o, _)| o.provider_id)
            .filter(|p| !self.providers.contains_key(p))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        for p in c.offers.providers_by_ids(&missing).await? {
            self.providers.insert(p.id, (p.name, p.verified));
        }
        Ok(Some(
            page.iter()
                .map(|(o, _)| {
                    let (name, verified) = self
                        .providers
                        .get(&o.provider_id)
                        .cloned()
                        .unwrap_or_default();
                    let mut doc = c.indexed(
                        o.id,
                        o.provider_id,
                        &o.content,
                        name,
                        o.updated_at,
                        self.today,
                    );
                    doc.published &= verified;
                    doc
                })
                .collect(),
        ))
    }

    /// The last change read so far.
    pub fn position(&self) -> i64 {
        self.after
    }
}
