//! Regions (`leerpad_domain::regions`): the pages of the 12 provinces and 35 labour-market
//! regions, and the regional initiatives programme managers record (one at a time or from a
//! CSV file, all or nothing) so regions learn from each other's good examples.

use crate::error::{AppError, AppResult};
use leerpad_domain::clock::Clock;
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::regions::ports::{InitiativeQuery, InitiativeStore, StoredInitiative};
use leerpad_domain::regions::{
    AreaKind, Initiative, InitiativeInput, Region, Regions, validate_initiative,
};
use leerpad_domain::shared::FieldError;
use std::sync::Arc;

mod examples;

/// Most initiatives a list shows.
pub const LIST_LIMIT: u32 = 200;

/// What a CSV import of initiatives did, or (dry run) would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InitiativeImport {
    pub rows: u64,
    /// Every problem with its line.
    pub problems: Vec<(u64, FieldError)>,
    /// How many were written (0 on a dry run or with problems).
    pub written: usize,
    /// How many are valid.
    pub valid: usize,
}

/// The regional use cases.
pub struct Regional {
    store: Arc<dyn InitiativeStore>,
    dashboard: Arc<dyn leerpad_domain::regions::ports::DashboardStore>,
    regions: Arc<Regions>,
    clock: Arc<dyn Clock>,
}

impl Regional {
    pub fn new(
        store: Arc<dyn InitiativeStore>,
        dashboard: Arc<dyn leerpad_domain::regions::ports::DashboardStore>,
        regions: Arc<Regions>,
        clock: Arc<dyn Clock>,
    ) -> Regional {
        Regional {
            store,
            dashboard,
            regions,
            clock,
        }
    }

    pub fn regions(&self) -> &Regions {
        &self.regions
    }

    /// A region by its address.
    pub fn area(&self, slug: &str) -> AppResult<Region> {
        self.regions.area(slug).ok_or(AppError::NotFound("region"))
    }

    /// The addresses whose initiatives a region's page lists: its own, and for a province
    /// those of the labour-market regions with a municipality in it.
    fn covered(&self, area: &Region) -> Vec<String> {
        let mut slugs = vec![area.slug.clone()];
        if area.kind == AreaKind::Province {
            for m in self.regions.municipalities_of(area) {
                for a in self.regions.areas_of(m) {
                    if a.kind == AreaKind::LabourMarket && !slugs.contains(&a.slug) {
                        slugs.push(a.slug);
                    }
                }
            }
        }
        slugs
    }

    /// A region's initiatives, good practices first.
    pub async fn initiatives_of(&self, area: &Region) -> AppResult<Vec<StoredInitiative>> {
        Ok(self
            .store
            .initiatives(&InitiativeQuery {
                regions: self.covered(area),
                limit: LIST_LIMIT,
                ..InitiativeQuery::default()
            })
            .await?)
    }

    /// Initiatives found by words, region, sector or good practice (public).
    pub async fn search(&self, mut query: InitiativeQuery) -> AppResult<Vec<StoredInitiative>> {
        query.limit = query.limit.clamp(1, LIST_LIMIT);
        if let Some(area) = query
            .regions
            .first()
            .and_then(|slug| self.regions.area(slug))
        {
            query.regions = self.covered(&area);
        }
        Ok(self.store.initiatives(&query).await?)
    }

    pub async fn initiative(&self, id: i64) -> AppResult<StoredInitiative> {
        self.store
            .initiative(id)
            .await?
            .ok_or(AppError::NotFound("initiative"))
    }

    /// Every region with how many initiatives it has (its own and, for a province, its
    /// labour-market regions').
    pub async fn overview(&self) -> AppResult<Vec<(Region, u32)>> {
        let counts = self.store.initiatives_per_region().await?;
        let count_of = |slug: &str| {
            counts
                .iter()
                .find(|(s, _)| s == slug)
                .map_or(0, |(_, n)| *n)
        };
        Ok(self
            .regions
            .areas()
            .iter()
            .map(|a| {
                let n = self.covered(a).iter().map(|s| count_of(s)).sum();
                (a.clone(), n)
            })
            .collect())
    }

    /// The figures of the whole country, or of one region (programme managers): reach and
    /// uptake, counted from the same rows the lists show.
    pub async fn dashboard(
        &self,
        principal: &Principal,
        area: Option<&str>,
    ) -> AppResult<(Option<Region>, leerpad_domain::regions::dashboard::Figures)> {
        principal.authorize(Action::ManageProgrammes)?;
        let area = area.map(|slug| self.area(slug)).transpose()?;
        let people = self.dashboard.all_situations().await?;
        let registrations = self.dashboard.registration_people().await?;
        let enrolments = self.dashboard.enrolment_rows().await?;
        let today = crate::catalogue::today(self.clock.as_ref());
        let figures = leerpad_domain::regions::dashboard::figures(
            &people,
            &registrations,
            &enrolments,
            &self.regions,
            area.as_ref(),
            today,
        );
        Ok((area, figures))
    }

    /// A programme manager records an initiative.
    pub async fn add_initiative(
        &self,
        principal: &Principal,
        input: &InitiativeInput,
    ) -> AppResult<i64> {
        principal.authorize(Action::ManageProgrammes)?;
        let initiative =
            validate_initiative(input, &self.regions).map_err(AppError::InvalidFields)?;
        let ids = self
            .store
            .add_initiatives(&[initiative], Some(principal.user_id), self.clock.now())
            .await?;
        ids.first()
            .copied()
            .ok_or_else(|| AppError::Internal("no initiative written".into()))
    }

    /// Initiatives from a CSV file (rows as read, with their lines): every problem with its
    /// line; written all or nothing, unless only checked.
    pub async fn import(
        &self,
        principal: &Principal,
        rows: Vec<(u64, Result<InitiativeInput, Vec<FieldError>>)>,
        dry_run: bool,
    ) -> AppResult<InitiativeImport> {
        principal.authorize(Action::ManageProgrammes)?;
        let mut report = InitiativeImport {
            rows: rows.len() as u64,
            ..InitiativeImport::default()
        };
        let mut valid: Vec<Initiative> = Vec::new();
        for (line, row) in rows {
            match row.and_then(|input| validate_initiative(&input, &self.regions)) {
                Ok(i) => valid.push(i),
                Err(errors) => report
                    .problems
                    .extend(errors.into_iter().map(|e| (line, e))),
            }
        }
        report.valid = valid.len();
        if dry_run || !report.problems.is_empty() || valid.is_empty() {
            return Ok(report);
        }
        report.written = self
            .store
            .add_initiatives(&valid, Some(principal.user_id), self.clock.now())
            .await?
            .len();
        Ok(report)
    }
}
