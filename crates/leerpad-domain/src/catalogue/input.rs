//! Offers as they arrive (from a file, the API or a form) and the rules that turn them into
//! [`OfferContent`]. Every problem is reported with the field it concerns, all at once, so a
//! provider can fix a file in one pass.

use super::kvk::KvkNumber;
use super::model::*;
use crate::regions::Regions;
use crate::shared::{Date, FieldError, Localized, Money, iso_date_option};
use serde::{Deserialize, Serialize};

/// Longest accepted texts, in characters.
pub const MAX_TITLE: usize = 200;
pub const MAX_SUMMARY: usize = 2_000;
pub const MAX_DESCRIPTION: usize = 20_000;
pub const MAX_ID: usize = 100;
pub const MAX_RUNS: usize = 200;
pub const MAX_COSTS: usize = 30;
pub const MAX_SKILLS: usize = 100;
/// Ten million euros: anything above is a typing error.
pub const MAX_AMOUNT_CENTS: i64 = 1_000_000_000;

/// Text in Dutch and English as given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalizedInput {
    #[serde(default)]
    pub nl: Option<String>,
    #[serde(default)]
    pub en: Option<String>,
}

/// The provider of an offer, in files that carry several providers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderInput {
    pub kvk: String,
    pub name: String,
    #[serde(default)]
    pub accreditations: Vec<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunInput {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    /// CBS code (`GM0363`) or name of the municipality.
    #[serde(default)]
    pub municipality: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub application_deadline: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostInput {
    pub kind: String,
    pub amount_cents: Money,
    #[serde(default)]
    pub vat_percent: Option<i64>,
    #[serde(default)]
    pub required: Option<bool>,
}

/// An offer as given; the exchange format of `leerpad import offers` (JSON Lines) and of
/// `POST /api/v1/offers:batch`. Enumerations are plain strings here so that a wrong value is
/// reported with its field rather than as a parse failure of the whole line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    /// Required in multi-provider files; the API takes the caller's organisation instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<ProviderInput>,
    pub provider_offer_id: String,
    pub title: LocalizedInput,
    #[serde(default)]
    pub summary: LocalizedInput,
    #[serde(default)]
    pub description: LocalizedInput,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nlqf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crebo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub croho: Option<String>,
    pub modality: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    #[serde(default)]
    pub runs: Vec<RunInput>,
    #[serde(default)]
    pub costs: Vec<CostInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub study_load_hours: Option<i64>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// ESCO skill URIs. When empty, Leerpad extracts skills from the text.
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// A validated provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderDraft {
    pub kvk: KvkNumber,
    pub name: String,
    pub accreditations: Vec<Accreditation>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
}

/// A validated offer, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferDraft {
    pub provider: Option<ProviderDraft>,
    pub provider_offer_id: String,
    pub content: OfferContent,
}

/// What validation needs to know of the world.
pub struct Checks<'a> {
    pub regions: &'a Regions,
    /// The canonical ESCO URI of a skill given by URI or key, if it exists.
    pub skill_uri: &'a dyn Fn(&str) -> Option<String>,
}

impl std::fmt::Debug for Checks<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Checks")
    }
}

struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// A text: trimmed, at most `max` characters, no control characters except line breaks.
    fn text(&mut self, field: &str, raw: Option<&str>, max: usize) -> String {
        let t = raw.unwrap_or("").trim();
        if t.chars().count() > max {
            self.add(field, format!("longer than {max} characters"));
        } else if t
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            self.add(field, "contains control characters");
        }
        t.to_owned()
    }

    fn localized(&mut self, field: &str, raw: &LocalizedInput, max: usize) -> Localized {
        Localized {
            nl: self.text(&format!("{field}.nl"), raw.nl.as_deref(), max),
            en: self.text(&format!("{field}.en"), raw.en.as_deref(), max),
        }
    }

    fn choice<T: std::str::FromStr + Copy>(
        &mut self,
        field: &str,
        raw: &str,
        all: fn() -> String,
    ) -> Option<T> {
        match raw.trim().parse::<T>() {
            Ok(v) => Some(v),
            Err(_) if raw.trim().is_empty() => {
                self.add(field, format!("required: one of {}", all()));
                None
            }
            Err(_) => {
                self.add(field, format!("'{}' is not one of {}", clip(raw), all()));
                None
            }
        }
    }

    /// A choice that may be left out (or blank), meaning `default`.
    fn choice_or<T: std::str::FromStr + Copy>(
        &mut self,
        field: &str,
        raw: Option<&str>,
        default: T,
        all: fn() -> String,
    ) -> Option<T> {
        match raw.filter(|s| !s.trim().is_empty()) {
            Some(s) => self.choice(field, s, all),
            None => Some(default),
        }
    }

    fn date(&mut self, field: &str, raw: Option<&str>) -> Option<Date> {
        let raw = raw.map(str::trim).filter(|s| !s.is_empty())?;
        let parsed = iso_date_option::parse(raw);
        if parsed.is_none() {
            self.add(field, format!("'{}' is not a date (YYYY-MM-DD)", clip(raw)));
        }
        parsed
    }

    fn code5(&mut self, field: &str, raw: Option<&str>) -> Option<String> {
        let raw = raw.map(str::trim).filter(|s| !s.is_empty())?;
        if raw.len() == 5 && raw.bytes().all(|b| b.is_ascii_digit()) {
            Some(raw.to_owned())
        } else {
            self.add(field, format!("'{}' is not a 5-digit code", clip(raw)));
            None
        }
    }
}

/// At most 40 characters of a value, for messages.
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

fn validate_provider_fields(p: &ProviderInput, errors: &mut Errors) -> Option<ProviderDraft> {
    let kvk = match KvkNumber::parse(&p.kvk) {
        Ok(k) => Some(k),
        Err(e) => {
            errors.add("provider.kvk", e.to_string());
            None
        }
    };
    let name = errors.text("provider.name", Some(&p.name), MAX_TITLE);
    if name.is_empty() {
        errors.add("provider.name", "required");
    }
    let mut accreditations = Vec::new();
    for (i, a) in p.accreditations.iter().enumerate() {
        if let Some(a) = errors.choice::<Accreditation>(
            &format!("provider.accreditations[{i}]"),
            a,
            Accreditation::identifiers,
        ) && !accreditations.contains(&a)
        {
            accreditations.push(a);
        }
    }
    let opt = |errors: &mut Errors, field: &str, v: &Option<String>| {
        let t = errors.text(field, v.as_deref(), MAX_TITLE);
        (!t.is_empty()).then_some(t)
    };
    let email = opt(errors, "provider.email", &p.email);
    if let Some(e) = &email
        && crate::accounts::Email::parse(e).is_err()
    {
        errors.add("provider.email", "not a valid e-mail address");
    }
    let phone = opt(errors, "provider.phone", &p.phone);
    let website = opt(errors, "provider.website", &p.website);
    if let Some(w) = &website
        && !(w.starts_with("https://") || w.starts_with("http://"))
    {
        errors.add("provider.website", "must start with https:// or http://");
    }
    Some(ProviderDraft {
        kvk: kvk?,
        name,
        accreditations,
        email,
        phone,
        website,
    })
}

/// Check a provider's details on their own (registration of a provider organisation).
pub fn validate_provider(input: &ProviderInput) -> Result<ProviderDraft, Vec<FieldError>> {
    let mut errors = Errors(Vec::new());
    let draft = validate_provider_fields(input, &mut errors);
    match draft {
        Some(d) if errors.0.is_empty() => Ok(d),
        _ => Err(errors.0),
    }
}

/// Check an offer and turn it into a draft, or list everything wrong with it.
pub fn validate_offer(
    input: &OfferInput,
    checks: &Checks<'_>,
) -> Result<OfferDraft, Vec<FieldError>> {
    // The steps run in the order of the offer's fields, so the errors come out in that order.
    let mut errors = Errors(Vec::new());
    let provider = input
        .provider
        .as_ref()
        .and_then(|p| validate_provider_fields(p, &mut errors));
    let provider_offer_id = offer_id(&input.provider_offer_id, &mut errors);
    let texts = offer_texts(input, &mut errors);
    let class = classification(input, &mut errors);
    let runs = runs(&input.runs, class.modality, checks, &mut errors);
    let schedule = schedule(input, &runs, &mut errors);
    let costs = costs(&input.costs, &mut errors);
    let study_load_hours = study_load(input.study_load_hours, &mut errors);
    let languages = languages(&input.languages, &mut errors);
    let credential = errors.choice_or(
        "credential",
        input.credential.as_deref(),
        Credential::None,
        Credential::identifiers,
    );
    let skills = skills(&input.skills, checks, &mut errors);
    let status = errors.choice_or(
        "status",
        input.status.as_deref(),
        OfferStatus::Published,
        OfferStatus::identifiers,
    );

    match (class.kind, class.modality, schedule, credential, status) {
        (Some(kind), Some(modality), Some(schedule), Some(credential), Some(status))
            if errors.0.is_empty() =>
        {
            Ok(OfferDraft {
                provider,
                provider_offer_id,
                content: OfferContent {
                    title: texts.title,
                    summary: texts.summary,
                    description: texts.description,
                    kind,
                    level: class.level,
                    nlqf: class.nlqf.or(class.level.map(Level::typical_nlqf)),
                    crebo: class.crebo,
                    croho: class.croho,
                    modality,
                    schedule,
                    runs,
                    costs,
                    study_load_hours,
                    languages,
                    credential,
                    skills,
                    status,
                },
            })
        }
        _ => Err(errors.0),
    }
}

fn offer_id(raw: &str, errors: &mut Errors) -> String {
    let id = errors.text("provider_offer_id", Some(raw), MAX_ID);
    if id.is_empty() {
        errors.add(
            "provider_offer_id",
            "required: the provider's own id of the offer",
        );
    }
    id
}

struct OfferTexts {
    title: Localized,
    summary: Localized,
    description: Localized,
}

/// Title, summary and description; a title in at least one language.
fn offer_texts(input: &OfferInput, errors: &mut Errors) -> OfferTexts {
    let title = errors.localized("title", &input.title, MAX_TITLE);
    if title.is_empty() {
        errors.add(
            "title",
            "required: a Dutch (title.nl) or English (title.en) title",
        );
    }
    let summary = errors.localized("summary", &input.summary, MAX_SUMMARY);
    let description = errors.localized("description", &input.description, MAX_DESCRIPTION);
    OfferTexts {
        title,
        summary,
        description,
    }
}

/// What kind of offer it is: `None` where the value was wrong (and reported).
struct Classification {
    kind: Option<OfferKind>,
    level: Option<Level>,
    nlqf: Option<u8>,
    crebo: Option<String>,
    croho: Option<String>,
    modality: Option<Modality>,
}

fn classification(input: &OfferInput, errors: &mut Errors) -> Classification {
    let kind = errors.choice::<OfferKind>("kind", &input.kind, OfferKind::identifiers);
    let level = input
        .level
        .as_deref()
        .filter(|l| !l.trim().is_empty())
        .and_then(|l| errors.choice::<Level>("level", l, Level::identifiers));
    let nlqf = nlqf(input.nlqf, errors);
    let crebo = errors.code5("crebo", input.crebo.as_deref());
    let croho = errors.code5("croho", input.croho.as_deref());
    let modality = errors.choice::<Modality>("modality", &input.modality, Modality::identifiers);
    Classification {
        kind,
        level,
        nlqf,
        crebo,
        croho,
        modality,
    }
}

fn nlqf(raw: Option<i64>, errors: &mut Errors) -> Option<u8> {
    match raw {
        Some(n) if (1..=8).contains(&n) => Some(n as u8),
        Some(n) => {
            errors.add("nlqf", format!("{n} is not an NLQF level (1 to 8)"));
            None
        }
        None => None,
    }
}

/// The first [`MAX_RUNS`] runs; the modality decides whether they need a place.
fn runs(
    input: &[RunInput],
    modality: Option<Modality>,
    checks: &Checks<'_>,
    errors: &mut Errors,
) -> Vec<Run> {
    if input.len() > MAX_RUNS {
        errors.add("runs", format!("at most {MAX_RUNS} runs"));
    }
    input
        .iter()
        .take(MAX_RUNS)
        .enumerate()
        .map(|(i, r)| run(i, r, modality, checks, errors))
        .collect()
}

fn run(
    i: usize,
    r: &RunInput,
    modality: Option<Modality>,
    checks: &Checks<'_>,
    errors: &mut Errors,
) -> Run {
    let f = |name: &str| format!("runs[{i}].{name}");
    let id = errors.text(&f("id"), r.id.as_deref(), MAX_ID);
    let start = errors.date(&f("start"), r.start.as_deref());
    let end = errors.date(&f("end"), r.end.as_deref());
    let deadline = errors.date(
        &f("application_deadline"),
        r.application_deadline.as_deref(),
    );
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        errors.add(f("end"), "is before the start");
    }
    if let (Some(s), Some(d)) = (start, deadline)
        && d > s
    {
        errors.add(f("application_deadline"), "is after the start");
    }
    let municipality = run_municipality(
        &f("municipality"),
        r.municipality.as_deref(),
        modality,
        checks,
        errors,
    );
    let status = errors.choice_or(
        &f("status"),
        r.status.as_deref(),
        RunStatus::Open,
        RunStatus::identifiers,
    );
    Run {
        id: if id.is_empty() {
            format!("{}", i + 1)
        } else {
            id
        },
        start,
        end,
        municipality,
        status: status.unwrap_or(RunStatus::Open),
        application_deadline: deadline,
    }
}

/// The CBS code of a run's municipality; required unless the offer is online only.
fn run_municipality(
    field: &str,
    raw: Option<&str>,
    modality: Option<Modality>,
    checks: &Checks<'_>,
    errors: &mut Errors,
) -> Option<String> {
    match raw.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => match checks.regions.municipality(m) {
            Some(found) => Some(found.code.clone()),
            None => {
                errors.add(
                    field,
                    format!(
                        "'{}' is not a Dutch municipality (name or CBS code like GM0363)",
                        clip(m)
                    ),
                );
                None
            }
        },
        None => {
            if matches!(modality, Some(Modality::OnSite | Modality::Blended)) {
                errors.add(field, "required for on-site and blended offers");
            }
            None
        }
    }
}

/// The schedule as given, or implied by the runs; fixed dates need a start on every run.
fn schedule(input: &OfferInput, runs: &[Run], errors: &mut Errors) -> Option<Schedule> {
    let implied = if runs.iter().any(|r| r.start.is_some()) {
        Schedule::FixedDates
    } else {
        Schedule::OwnPace
    };
    let schedule = errors.choice_or(
        "schedule",
        input.schedule.as_deref(),
        implied,
        Schedule::identifiers,
    );
    if schedule == Some(Schedule::FixedDates) {
        for (i, r) in runs.iter().enumerate() {
            // A start that was given but wrong is already reported.
            if r.start.is_none()
                && input
                    .runs
                    .get(i)
                    .and_then(|r| r.start.as_deref())
                    .is_none_or(|s| s.trim().is_empty())
            {
                errors.add(
                    format!("runs[{i}].start"),
                    "required when the schedule is fixed_dates",
                );
            }
        }
    }
    schedule
}

/// The first [`MAX_COSTS`] cost lines; a line of an unknown kind is left out.
fn costs(input: &[CostInput], errors: &mut Errors) -> Vec<CostLine> {
    if input.len() > MAX_COSTS {
        errors.add("costs", format!("at most {MAX_COSTS} cost lines"));
    }
    input
        .iter()
        .take(MAX_COSTS)
        .enumerate()
        .filter_map(|(i, c)| cost_line(i, c, errors))
        .collect()
}

fn cost_line(i: usize, c: &CostInput, errors: &mut Errors) -> Option<CostLine> {
    let kind =
        errors.choice::<CostKind>(&format!("costs[{i}].kind"), &c.kind, CostKind::identifiers);
    if !(0..=MAX_AMOUNT_CENTS).contains(&c.amount_cents.cents()) {
        errors.add(
            format!("costs[{i}].amount_cents"),
            format!(
                "{} is not an amount between 0 and {MAX_AMOUNT_CENTS} cents",
                c.amount_cents
            ),
        );
    }
    let vat = c.vat_percent.unwrap_or(0);
    if !matches!(vat, 0 | 9 | 21) {
        errors.add(
            format!("costs[{i}].vat_percent"),
            format!("{vat} is not a Dutch VAT rate (0, 9 or 21)"),
        );
    }
    Some(CostLine {
        kind: kind?,
        amount_cents: Money::from_cents(c.amount_cents.cents().clamp(0, MAX_AMOUNT_CENTS)),
        vat_percent: vat.clamp(0, 21) as u8,
        required: c.required.unwrap_or(true),
    })
}

fn study_load(raw: Option<i64>, errors: &mut Errors) -> Option<u32> {
    match raw {
        Some(h) if (1..=20_000).contains(&h) => Some(h as u32),
        Some(h) => {
            errors.add(
                "study_load_hours",
                format!("{h} is not a study load in hours (1 to 20000)"),
            );
            None
        }
        None => None,
    }
}

/// Two-letter codes, lower case and without repeats; Dutch when none are given.
fn languages(input: &[String], errors: &mut Errors) -> Vec<String> {
    let mut languages = Vec::new();
    for (i, l) in input.iter().enumerate() {
        let code = l.trim().to_ascii_lowercase();
        if code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase()) {
            if !languages.contains(&code) {
                languages.push(code);
            }
        } else {
            errors.add(
                format!("languages[{i}]"),
                format!(
                    "'{}' is not a two-letter language code (nl, en, …)",
                    clip(l)
                ),
            );
        }
    }
    if languages.is_empty() {
        languages.push("nl".to_owned());
    }
    languages
}

/// The first [`MAX_SKILLS`] skills, as canonical ESCO URIs without repeats.
fn skills(input: &[String], checks: &Checks<'_>, errors: &mut Errors) -> Vec<OfferSkill> {
    if input.len() > MAX_SKILLS {
        errors.add("skills", format!("at most {MAX_SKILLS} skills"));
    }
    let mut skills: Vec<OfferSkill> = Vec::new();
    for (i, s) in input.iter().take(MAX_SKILLS).enumerate() {
        match (checks.skill_uri)(s.trim()) {
            Some(uri) => {
                if !skills.iter().any(|k| k.uri == uri) {
                    skills.push(OfferSkill {
                        uri,
                        source: SkillSource::Provider,
                    });
                }
            }
            None => errors.add(
                format!("skills[{i}]"),
                format!("'{}' is not an ESCO skill URI", clip(s)),
            ),
        }
    }
    skills
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regions::{Municipality, Regions};

    fn regions() -> Regions {
        Regions::new(vec![Municipality {
            code: "GM0363".into(),
            name: "Amsterdam".into(),
            province: "Noord-Holland".into(),
            region: "Groot-Amsterdam".into(),
        }])
    }

    fn skill_uri(s: &str) -> Option<String> {
        s.ends_with("/known").then(|| s.to_owned())
    }

    pub(crate) fn good() -> OfferInput {
        OfferInput {
            provider: Some(ProviderInput {
                kvk: "1234 5678".into(),
                name: "Opleidingscentrum Noord".into(),
                accreditations: vec!["NRTO".into(), "CRKBO".into()],
                ..Default::default()
            }),
            provider_offer_id: "VCA-1".into(),
            title: LocalizedInput {
                nl: Some("Basisveiligheid VCA".into()),
                en: None,
            },
            kind: "course".into(),
            level: Some("mbo2".into()),
            modality: "on_site".into(),
            runs: vec![RunInput {
                start: Some("2027-02-01".into()),
                end: Some("2027-02-02".into()),
                municipality: Some("Amsterdam".into()),
                ..Default::default()
            }],
            costs: vec![CostInput {
                kind: "tuition".into(),
                amount_cents: Money::from_cents(29_500),
                vat_percent: Some(0),
                required: None,
            }],
            skills: vec!["http://data.europa.eu/esco/skill/known".into()],
            ..Default::default()
        }
    }

    fn check(input: &OfferInput) -> Result<OfferDraft, Vec<FieldError>> {
        let r = regions();
        validate_offer(
            input,
            &Checks {
                regions: &r,
                skill_uri: &skill_uri,
            },
        )
    }

    #[test]
    fn a_good_offer_is_accepted_with_defaults() {
        let draft = check(&good()).expect("valid");
        assert_eq!(
            draft.provider.as_ref().map(|p| p.kvk.as_str()),
            Some("12345678")
        );
        let c = &draft.content;
        assert_eq!(
            c.schedule,
            Schedule::FixedDates,
            "runs with dates imply fixed dates"
        );
        assert_eq!(c.status, OfferStatus::Published);
        assert_eq!(c.nlqf, Some(2), "NLQF follows the level");
        assert_eq!(c.languages, vec!["nl"]);
        assert_eq!(c.runs[0].municipality.as_deref(), Some("GM0363"));
        assert_eq!(c.gross_price_cents(), Money::from_cents(29_500));
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let mut bad = good();
        bad.kind = "kurs".into();
        bad.title = LocalizedInput::default();
        bad.runs[0].municipality = Some("Atlantis".into());
        bad.runs[0].end = Some("2027-01-01".into());
        bad.costs[0].amount_cents = Money::from_cents(-5);
        bad.costs[0].vat_percent = Some(19);
        bad.skills.push("http://example.org/unknown".into());
        bad.nlqf = Some(9);
        bad.crebo = Some("12ab".into());
        bad.provider = Some(ProviderInput {
            kvk: "123".into(),
            name: String::new(),
            ..Default::default()
        });
        let errors = check(&bad).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "kind",
            "title",
            "runs[0].municipality",
            "runs[0].end",
            "costs[0].amount_cents",
            "costs[0].vat_percent",
            "skills[1]",
            "nlqf",
            "crebo",
            "provider.kvk",
            "provider.name",
        ] {
            assert!(fields.contains(&f), "{f} missing in {errors:?}");
        }
        let kind = errors
            .iter()
            .find(|e| e.field == "kind")
            .map(|e| e.message.as_str());
        assert!(kind.is_some_and(|m| m.contains("'kurs'") && m.contains("deelcertificaat")));
    }

    #[test]
    fn on_site_runs_need_a_place_and_fixed_dates_a_start() {
        let mut bad = good();
        bad.schedule = Some("fixed_dates".into());
        bad.runs = vec![RunInput::default()];
        let errors = check(&bad).expect_err("invalid");
        assert!(errors.iter().any(|e| e.field == "runs[0].municipality"));
        assert!(errors.iter().any(|e| e.field == "runs[0].start"));
        let mut online = good();
        online.modality = "online".into();
        online.runs = vec![];
        online.schedule = None;
        let ok = check(&online).expect("an online own-pace offer needs no runs");
        assert_eq!(ok.content.schedule, Schedule::OwnPace);
    }

    #[test]
    fn overlong_and_control_characters_are_refused() {
        let mut bad = good();
        bad.title.nl = Some("x".repeat(MAX_TITLE + 1));
        bad.summary.nl = Some("a\u{0}b".into());
        let errors = check(&bad).expect_err("invalid");
        assert!(errors.iter().any(|e| e.field == "title.nl"));
        assert!(errors.iter().any(|e| e.field == "summary.nl"));
    }
}
