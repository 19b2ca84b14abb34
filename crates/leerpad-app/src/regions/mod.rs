//! Regions (`leerpad_domain::regions`): the pages of the 12 provinces and 35 labour-market
//! regions, and the regional initiatives programme managers record (one at a time or from a
//! CSV file, all or nothing) so regions learn from each other's good examples.

use crate::error::{AppError, AppResult};
use leerpad_domain::clock::Clock;
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::regions::culture::{
    Audience, CultureAnswer, SurveyVersion, quarter, survey_on, validate_scores,
};
use leerpad_domain::regions::dashboard::{AreaFigures, DashboardRows, Figures, figures_by_area};
use leerpad_domain::regions::ports::{
    CultureStore, DashboardStore, InitiativeQuery, InitiativeStore, StoredInitiative,
};
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

/// How long the public region pages show the same figures before they are counted again:
/// counting every row for each page view would not keep a region page fast.
pub const PUBLIC_FIGURES_SECONDS: i64 = 60;

/// Counts from 1 to this are shown on public pages as "fewer than …", so nobody can be picked
/// out of a small group.
pub const SMALL_COUNT: u64 = 5;

/// Figures with the moment they were counted.
type Counted = (leerpad_domain::UnixTime, Arc<AreaFigures>);

/// The stores the regional use cases write to and count from.
pub struct RegionalPorts {
    pub initiatives: Arc<dyn InitiativeStore>,
    pub dashboard: Arc<dyn DashboardStore>,
    pub culture: Arc<dyn CultureStore>,
}

/// The regional use cases.
pub struct Regional {
    store: Arc<dyn InitiativeStore>,
    dashboard: Arc<dyn DashboardStore>,
    culture: Arc<dyn CultureStore>,
    regions: Arc<Regions>,
    clock: Arc<dyn Clock>,
    /// The figures public pages show: when they were counted, and the counts.
    public: Arc<std::sync::Mutex<Option<Counted>>>,
    /// Whether a recount for the public pages is under way (one at a time).
    recounting: Arc<std::sync::atomic::AtomicBool>,
}

/// Read every row the dashboard counts and count them for the country and every region.
async fn count_with(
    dashboard: &dyn DashboardStore,
    regions: &Regions,
    clock: &dyn Clock,
) -> AppResult<AreaFigures> {
    let rows = DashboardRows {
        people: dashboard.all_situations().await?,
        registrations: dashboard.registration_people().await?,
        enrolments: dashboard.enrolment_rows().await?,
        schemes: dashboard.scheme_budgets().await?,
        payments: dashboard.scheme_payments().await?,
        culture: dashboard.culture_answers().await?,
    };
    let today = crate::catalogue::today(clock);
    Ok(figures_by_area(&rows, regions, today))
}

/// What the learning-culture form shows a person.
#[derive(Debug, Clone)]
pub struct CultureForm {
    pub survey: &'static SurveyVersion,
    pub audience: Audience,
    pub period: String,
    /// Their answer this quarter, if they gave one (answering again replaces it).
    pub previous: Option<CultureAnswer>,
}

impl Regional {
    pub fn new(ports: RegionalPorts, regions: Arc<Regions>, clock: Arc<dyn Clock>) -> Regional {
        Regional {
            store: ports.initiatives,
            dashboard: ports.dashboard,
            culture: ports.culture,
            regions,
            clock,
            public: Arc::new(std::sync::Mutex::new(None)),
            recounting: Arc::new(std::sync::atomic::AtomicBool::new(false)),
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

    /// The figures of the whole country, or of one region (programme managers): reach,
    /// uptake, budget use and the learning culture, counted from the same rows the lists show;
    /// with the country's figures beside them (a scheme's whole budget is national).
    pub async fn dashboard(
        &self,
        principal: &Principal,
        area: Option<&str>,
    ) -> AppResult<(Option<Region>, Figures, Figures)> {
        principal.authorize(Action::ManageProgrammes)?;
        let area = area.map(|slug| self.area(slug)).transpose()?;
        let all = self.count().await?;
        let here = all.of(area.as_ref());
        Ok((area, here, all.national))
    }

    /// Every row the dashboard counts, counted for the country and every region.
    async fn count(&self) -> AppResult<AreaFigures> {
        count_with(self.dashboard.as_ref(), &self.regions, self.clock.as_ref()).await
    }

    /// The figures public pages show (anyone may see them), counted for all regions at once
    /// and kept for a minute, so a region page does not count every row itself. Once they are
    /// older, the page still gets them while one recount runs in the background; only the
    /// very first page after a start waits for the count.
    pub async fn public_figures(&self) -> AppResult<Arc<AreaFigures>> {
        use std::sync::atomic::Ordering;
        let now = self.clock.now();
        let cached = self.public.lock().ok().and_then(|c| c.clone());
        let Some((at, figures)) = cached else {
            let figures = Arc::new(self.count().await?);
            if let Ok(mut cached) = self.public.lock() {
                *cached = Some((now, figures.clone()));
            }
            return Ok(figures);
        };
        let fresh = (0..PUBLIC_FIGURES_SECONDS).contains(&(now - at));
        if !fresh && !self.recounting.swap(true, Ordering::AcqRel) {
            let (dashboard, regions, clock) = (
                self.dashboard.clone(),
                self.regions.clone(),
                self.clock.clone(),
            );
            let (public, recounting) = (self.public.clone(), self.recounting.clone());
            tokio::spawn(async move {
                match count_with(dashboard.as_ref(), &regions, clock.as_ref()).await {
                    Ok(figures) => {
                        if let Ok(mut cached) = public.lock() {
                            *cached = Some((clock.now(), Arc::new(figures)));
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "recounting the public figures"),
                }
                recounting.store(false, Ordering::Release);
            });
        }
        Ok(figures)
    }

    /// The learning-culture survey as a person answers it now (employers only as an employer).
    pub async fn culture_form(
        &self,
        principal: &Principal,
        audience: Audience,
    ) -> AppResult<CultureForm> {
        if audience == Audience::Employer {
            principal.authorize(Action::ManageOwnCompany)?;
        }
        let today = crate::catalogue::today(self.clock.as_ref());
        let period = quarter(today);
        let previous = self
            .culture
            .culture_answer_of(principal.user_id, audience, &period)
            .await?;
        Ok(CultureForm {
            survey: survey_on(today),
            audience,
            period,
            previous,
        })
    }

    /// Keep a person's answers to this quarter's survey for a labour-market region (replacing
    /// an earlier answer this quarter). `version` is the version the form showed: a form from
    /// before a new version started is refused, so no answer mixes two versions.
    pub async fn answer_culture(
        &self,
        principal: &Principal,
        audience: Audience,
        version: u32,
        region: &str,
        given: &std::collections::BTreeMap<String, String>,
    ) -> AppResult<()> {
        let form = self.culture_form(principal, audience).await?;
        if version != form.survey.version {
            return Err(AppError::Refused {
                code: "culture-error-version",
                args: Vec::new(),
                message: format!(
                    "the survey changed to version {}; answer the new questions",
                    form.survey.version
                ),
            });
        }
        let mut errors = Vec::new();
        if !self
            .regions
            .area(region)
            .is_some_and(|a| a.kind == AreaKind::LabourMarket)
        {
            errors.push(
                FieldError::new("region", "choose your labour-market region")
                    .coded("culture-error-region", Vec::new()),
            );
        }
        let scores = match validate_scores(form.survey, audience, given) {
            Ok(scores) => scores,
            Err(e) => {
                errors.extend(e);
                Vec::new()
            }
        };
        if !errors.is_empty() {
            return Err(AppError::InvalidFields(errors));
        }
        let answer = CultureAnswer {
            audience,
            version,
            region: region.to_owned(),
            period: form.period,
            scores,
        };
        self.culture
            .save_culture_answer(Some(principal.user_id), &answer, self.clock.now())
            .await?;
        Ok(())
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
