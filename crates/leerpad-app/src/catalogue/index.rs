//! Keeping the search index in step with the database, and what the index holds per offer.

use super::*;

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
        let mut after = from;
        let mut providers: HashMap<i64, String> = HashMap::new();
        let today = self.today();
        loop {
            let page = self.offers.offers_changed_after(after, 2_000).await?;
            let Some((_, last)) = page.last() else { break };
            after = *last;
            let missing: Vec<i64> = page
                .iter()
                .map(|(o, _)| o.provider_id)
                .filter(|p| !providers.contains_key(p))
                .collect::<HashSet<_>>()
                .into_iter()
                .collect();
            for p in self.offers.providers_by_ids(&missing).await? {
                providers.insert(p.id, p.name);
            }
            let docs: Vec<IndexedOffer> = page
                .iter()
                .map(|(o, _)| {
                    let name = providers.get(&o.provider_id).cloned().unwrap_or_default();
                    self.indexed(o.id, o.provider_id, &o.content, name, o.updated_at, today)
                })
                .collect();
            bulk.add(&docs).map_err(search_error)?;
            done += docs.len() as u64;
        }
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

    /// What the index holds of an offer.
    pub fn indexed(
        &self,
        offer_id: i64,
        provider_id: i64,
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
