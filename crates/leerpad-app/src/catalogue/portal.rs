//! The provider portal: a programme manager verifies an organisation before its offers are
//! published; a provider keeps its own offers one at a time (the portal's forms), archives
//! them, uploads a file of them (with a dry run), and reads what changed in each.

use super::*;
use leerpad_domain::catalogue::ports::OfferRevision;
use leerpad_domain::shared::{OfferId, ProviderId};

/// Most offers shown in a provider's list, and read from one uploaded file.
pub const MAX_OWN_OFFERS: u32 = 5_000;

/// What kind of change a version of an offer was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryKind {
    Created,
    Changed,
    Archived,
    /// The oldest version kept: written before the history began (an operator's import).
    FirstKept,
}

/// One change of an offer, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub at: leerpad_domain::clock::UnixTime,
    pub kind: HistoryKind,
    /// The fields that changed (names as in the offer format: `title`, `runs`, `costs`, …).
    pub changed: Vec<String>,
}

/// The fields of `new` that differ from `old`, by their names in the offer format.
fn changed_fields(old: &OfferContent, new: &OfferContent) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| k.to_string())
        .collect()
}

/// The history of an offer from its versions (newest first): each compared with the one before.
fn history_of(revisions: &[OfferRevision], created_seq_known: bool) -> Vec<HistoryEntry> {
    revisions
        .iter()
        .enumerate()
        .map(|(i, r)| match revisions.get(i + 1) {
            Some(before) => HistoryEntry {
                at: r.at,
                kind: if r.content.status == OfferStatus::Archived
                    && before.content.status != OfferStatus::Archived
                {
                    HistoryKind::Archived
                } else {
                    HistoryKind::Changed
                },
                changed: changed_fields(&before.content, &r.content),
            },
            None => HistoryEntry {
                at: r.at,
                kind: if created_seq_known {
                    HistoryKind::Created
                } else {
                    HistoryKind::FirstKept
                },
                changed: Vec::new(),
            },
        })
        .collect()
}

/// What an uploaded file did, or (dry run) would do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UploadReport {
    pub rows: u64,
    /// Every problem, with the line of the file.
    pub problems: Vec<RowProblem>,
    /// What was written; `None` on a dry run or when problems refused the whole file.
    pub written: Option<SaveSummary>,
    /// Offers that would be written (a dry run without problems), or were.
    pub valid: u64,
}

impl Catalogue {
    /// Organisations waiting for verification (programme managers).
    pub async fn unverified_providers(&self, principal: &Principal) -> AppResult<Vec<Provider>> {
        principal.authorize(Action::ManageProgrammes)?;
        Ok(self.offers.unverified_providers().await?)
    }

    /// A programme manager verifies an organisation: from now on its published offers are
    /// found. Audited; the index takes the offers right away.
    pub async fn verify_provider(
        &self,
        principal: &Principal,
        provider_id: ProviderId,
    ) -> AppResult<Provider> {
        principal.authorize(Action::ManageProgrammes)?;
        let provider = self
            .offers
            .verify_provider(provider_id, principal.user_id, self.clock.now())
            .await?
            .ok_or(AppError::NotFound("provider"))?;
        self.audit
            .append_audit(&leerpad_domain::AuditEntry {
                at: self.clock.now(),
                event: leerpad_domain::AuditEvent::ProviderVerified,
                actor_user_id: Some(principal.user_id),
                subject_user_id: None,
                ip: None,
                detail: serde_json::json!({"provider": provider.id, "kvk": provider.kvk}),
            })
            .await?;
        self.sync_index().await?;
        Ok(provider)
    }

    /// The caller's organisation and its offers (drafts and archived ones too), by title.
    pub async fn own_offers(&self, principal: &Principal) -> AppResult<(Provider, Vec<Offer>)> {
        let provider = self.own_provider(principal).await?;
        let offers = self
            .offers
            .offers_of_provider(provider.id, MAX_OWN_OFFERS)
            .await?;
        Ok((provider, offers))
    }

    /// One of the caller's own offers; another provider's offer is not found.
    pub async fn own_offer(&self, principal: &Principal, id: OfferId) -> AppResult<Offer> {
        let provider = self.own_provider(principal).await?;
        self.offers
            .offer(id.get())
            .await?
            .filter(|o| o.provider_id == provider.id)
            .ok_or(AppError::NotFound("offer"))
    }

    /// Save one offer from the portal's form: the rules and messages of the importer. A new
    /// offer's id must not be taken by another of the caller's offers (`editing` is the id of
    /// the offer being edited, whose id cannot change).
    pub async fn save_own_offer(
        &self,
        principal: &Principal,
        input: OfferInput,
        editing: Option<OfferId>,
    ) -> AppResult<OfferId> {
        let (_, mine) = self.own_offers(principal).await?;
        match editing {
            Some(id) => {
                let current = mine
                    .iter()
                    .find(|o| o.id == id)
                    .ok_or(AppError::NotFound("offer"))?;
                if current.provider_offer_id != input.provider_offer_id {
                    return Err(AppError::InvalidFields(vec![
                        FieldError::new("provider_offer_id", "the code of an offer cannot change")
                            .coded("catalogue-error-code-fixed", Vec::new()),
                    ]));
                }
            }
            None if mine
                .iter()
                .any(|o| o.provider_offer_id == input.provider_offer_id) =>
            {
                return Err(AppError::InvalidFields(vec![
                    FieldError::new("provider_offer_id", "another of your offers has this code")
                        .coded("catalogue-error-code-taken", Vec::new()),
                ]));
            }
            None => {}
        }
        let (items, _) = self.provider_batch(principal, vec![input], false).await?;
        let item = items
            .into_iter()
            .next()
            .ok_or_else(|| AppError::Internal("an empty batch".into()))?;
        match item.offer_id {
            Some(id) if item.errors.is_empty() => Ok(id),
            _ => Err(AppError::InvalidFields(item.errors)),
        }
    }

    /// Archive one of the caller's offers: it is no longer found, enrolments already made stay.
    pub async fn archive_own_offer(&self, principal: &Principal, id: OfferId) -> AppResult<()> {
        let offer = self.own_offer(principal, id).await?;
        if offer.content.status == OfferStatus::Archived {
            return Ok(());
        }
        let provider = self.own_provider(principal).await?;
        let mut content = offer.content;
        content.status = OfferStatus::Archived;
        self.write(vec![OfferWrite {
            owner: OfferOwner::Provider(provider.id.get()),
            provider_offer_id: offer.provider_offer_id,
            content,
        }])
        .await?;
        Ok(())
    }

    /// What changed in one of the caller's offers, newest first (programme managers may read
    /// any offer's history).
    pub async fn offer_history(
        &self,
        principal: &Principal,
        id: OfferId,
    ) -> AppResult<(Offer, Vec<HistoryEntry>)> {
        let offer = if principal.authorize(Action::ManageProgrammes).is_ok() {
            self.offers
                .offer(id.get())
                .await?
                .ok_or(AppError::NotFound("offer"))?
        } else {
            self.own_offer(principal, id).await?
        };
        let revisions = self.offers.offer_revisions(id).await?;
        // The first version is the creation when the offer was written by its provider.
        let created_here = revisions.last().is_some_and(|r| r.at == offer.created_at);
        Ok((offer, history_of(&revisions, created_here)))
    }

    /// Check (and unless `dry_run`, write) the offers of a file a provider uploaded: all or
    /// nothing, every problem with its line. The offers are the caller's own: a file naming
    /// another organisation is refused per offer.
    pub async fn upload_own_offers(
        &self,
        principal: &Principal,
        rows: Vec<ImportRow>,
        dry_run: bool,
    ) -> AppResult<UploadReport> {
        self.own_provider(principal).await?;
        let mut report = UploadReport {
            rows: rows.len() as u64,
            ..UploadReport::default()
        };
        if rows.len() > MAX_OWN_OFFERS as usize {
            report.problems.push(RowProblem {
                line: 0,
                key: None,
                field: String::new(),
                message: format!("at most {MAX_OWN_OFFERS} offers per file"),
                code: Some("portal-upload-too-many"),
                args: vec![("max", MAX_OWN_OFFERS.to_string())],
            });
            return Ok(report);
        }
        let mut inputs = Vec::new();
        let mut lines = Vec::new();
        for row in rows {
            match row.offer {
                Ok(input) => {
                    lines.push((row.line, row.key));
                    inputs.push(input);
                }
                Err(errors) => report
                    .problems
                    .extend(errors.into_iter().map(|e| RowProblem {
                        line: row.line,
                        key: row.key.clone(),
                        field: e.field,
                        message: e.message,
                        code: e.code,
                        args: e.args,
                    })),
            }
        }
        let (items, writes) = self.prepare_provider_batch(principal, inputs).await?;
        for item in &items {
            let (line, key) = lines.get(item.index).cloned().unwrap_or((0, None));
            report
                .problems
                .extend(item.errors.iter().map(|e| RowProblem {
                    line,
                    key: key.clone(),
                    field: e.field.clone(),
                    message: e.message.clone(),
                    code: e.code,
                    args: e.args.clone(),
                }));
        }
        report.problems.sort_by_key(|p| p.line);
        report.valid = writes.len() as u64;
        if dry_run || !report.problems.is_empty() || writes.is_empty() {
            return Ok(report);
        }
        let (_, summary) = self.write(writes).await?;
        report.written = Some(summary);
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_names_the_fields_that_changed() {
        let input = OfferInput {
            provider_offer_id: "A".into(),
            title: leerpad_domain::catalogue::LocalizedInput {
                nl: Some("Lassen".into()),
                en: None,
            },
            kind: "course".into(),
            modality: "online".into(),
            ..OfferInput::default()
        };
        let regions = Regions::default();
        let checks = Checks {
            regions: &regions,
            skill_uri: &|_| None,
        };
        let first = validate_offer(&input, &checks).expect("valid").content;
        let mut second = first.clone();
        second.study_load_hours = Some(16);
        second.title.nl = "Lassen MIG/MAG".into();
        let mut third = second.clone();
        third.status = OfferStatus::Archived;
        let revisions = vec![
            OfferRevision {
                seq: 3,
                at: 30,
                content: third,
            },
            OfferRevision {
                seq: 2,
                at: 20,
                content: second,
            },
            OfferRevision {
                seq: 1,
                at: 10,
                content: first,
            },
        ];
        let h = history_of(&revisions, true);
        assert_eq!(h[0].kind, HistoryKind::Archived);
        assert_eq!(h[0].changed, vec!["status"]);
        assert_eq!(h[1].kind, HistoryKind::Changed);
        assert_eq!(h[1].changed, vec!["study_load_hours", "title"]);
        assert_eq!(h[2].kind, HistoryKind::Created);
        assert_eq!(
            history_of(&revisions[2..], false)[0].kind,
            HistoryKind::FirstKept
        );
    }
}
