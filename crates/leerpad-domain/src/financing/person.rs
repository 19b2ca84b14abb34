//! What the financing rules may know about a person: either from their account or from the
//! answers a visitor gives in the short questionnaire. Every fact is optional; a rule that needs
//! a missing fact is "unknown", never silently met.

use crate::shared::{Date, Money, iso_date_option, string_enum};
use serde::{Deserialize, Serialize};

string_enum! {
    EmploymentStatus {
        /// In paid employment (loondienst).
        Employed = "employed",
        /// Self-employed (zzp / ondernemer).
        SelfEmployed = "self_employed",
        /// Looking for work without benefits.
        JobSeeker = "job_seeker",
        /// On unemployment or social benefits (WW, bijstand, WIA).
        OnBenefits = "on_benefits",
    }
}

string_enum! {
    /// The highest finished education.
    EducationLevel {
        /// Primary school or no diploma.
        Primary = "primary",
        Vmbo = "vmbo",
        Mbo1 = "mbo1",
        Mbo2 = "mbo2",
        Mbo3 = "mbo3",
        Mbo4 = "mbo4",
        Havo = "havo",
        Vwo = "vwo",
        Hbo = "hbo",
        Wo = "wo",
    }
}

impl EducationLevel {
    /// Position on one ladder (NLQF-like), so "at most mbo4" also covers havo and vmbo.
    pub fn rank(self) -> u8 {
        match self {
            EducationLevel::Primary => 0,
            EducationLevel::Vmbo | EducationLevel::Mbo1 => 1,
            EducationLevel::Mbo2 => 2,
            EducationLevel::Mbo3 => 3,
            EducationLevel::Mbo4 | EducationLevel::Havo | EducationLevel::Vwo => 4,
            EducationLevel::Hbo => 6,
            EducationLevel::Wo => 7,
        }
    }
}

string_enum! {
    /// Sectors as the sector training funds (O&O-fondsen) divide the labour market.
    Sector {
        CareWelfare = "zorg_welzijn",
        TechnologyMetal = "techniek_metaal",
        Construction = "bouw_infra",
        Installation = "installatie",
        Logistics = "transport_logistiek",
        Hospitality = "horeca",
        Retail = "detailhandel",
        Ict = "ict",
        Education = "onderwijs",
        Government = "overheid",
        Agriculture = "agrarisch_groen",
        Finance = "financiele_dienstverlening",
        Cleaning = "schoonmaak",
        Culture = "cultuur",
        Other = "overig",
    }
}

/// Months of insured work a person reported: `months` out of the last `window_months`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InsuredWork {
    pub months: u16,
    pub window_months: u16,
}

/// An earlier award of a scheme to this person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorAward {
    pub scheme: String,
    #[serde(with = "crate::shared::iso_date")]
    pub on: Date,
    pub amount_cents: Money,
}

/// What is known about a person for the financing check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonFacts {
    #[serde(
        with = "iso_date_option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub birth_date: Option<Date>,
    /// The age today, when the birth date is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment: Option<EmploymentStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub education: Option<EducationLevel>,
    /// CBS code (`GM0363`) or name of the municipality where the person lives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<Sector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insured_work: Option<InsuredWork>,
    /// Earlier awards; filled from the person's account, empty for visitors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prior_awards: Vec<PriorAward>,
}

/// Whole years from `birth` to `on`.
pub fn age_on(birth: Date, on: Date) -> i32 {
    let mut years = on.year() - birth.year();
    if (on.month() as u8, on.day()) < (birth.month() as u8, birth.day()) {
        years -= 1;
    }
    years
}

fn clamp_age(years: i32) -> u8 {
    u8::try_from(years.clamp(0, 255)).unwrap_or(u8::MAX)
}

impl PersonFacts {
    /// The lowest and highest age the person can have on `on`. Exact with a birth date; with
    /// only today's age the birthday is unknown, so a day away from today may be a year off.
    pub fn age_range_on(&self, on: Date, today: Date) -> Option<(u8, u8)> {
        if let Some(birth) = self.birth_date {
            let a = clamp_age(age_on(birth, on));
            return Some((a, a));
        }
        let age = i32::from(self.age?);
        let days = (on - today).whole_days();
        if days == 0 {
            return Some((clamp_age(age), clamp_age(age)));
        }
        // The birthday lies somewhere in the coming year: `days` later the person has had
        // floor(days / 366) to ceil(days / 365) more birthdays.
        let (lo, hi) = if days > 0 {
            (age + (days / 366) as i32, age + ((days + 364) / 365) as i32)
        } else {
            let back = -days;
            (age - ((back + 364) / 365) as i32, age - (back / 366) as i32)
        };
        Some((clamp_age(lo), clamp_age(hi)))
    }

    /// The fewest and most insured months within the last `window` months, from what was
    /// reported for a possibly different window.
    pub fn insured_months_range(&self, window: u16) -> Option<(u16, u16)> {
        let w = self.insured_work?;
        let months = w.months.min(w.window_months);
        Some(if w.window_months >= window {
            (
                months.saturating_sub(w.window_months - window),
                months.min(window),
            )
        } else {
            (months, (months + (window - w.window_months)).min(window))
        })
    }

    /// The days this person received `scheme` before, newest first.
    pub fn awards_of(&self, scheme: &str) -> Vec<Date> {
        let mut v: Vec<Date> = self
            .prior_awards
            .iter()
            .filter(|a| a.scheme == scheme)
            .map(|a| a.on)
            .collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v
    }

    /// What `scheme` paid this person in the calendar year of `today`.
    pub fn received_in_year(&self, scheme: &str, year: i32) -> Money {
        self.prior_awards
            .iter()
            .filter(|a| a.scheme == scheme && a.on.year() == year)
            .map(|a| a.amount_cents)
            .sum()
    }
}

impl PersonFacts {
    /// Problems with what a person (or visitor) answered, each with its field.
    pub fn validate(
        &self,
        regions: &crate::regions::Regions,
        today: Date,
    ) -> Vec<crate::shared::FieldError> {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: String| {
            errors.push(crate::shared::FieldError::new(field, message))
        };
        if let Some(age) = self.age
            && !(12..=110).contains(&age)
        {
            err("age", format!("{age} is not a plausible age (12 to 110)"));
        }
        if let Some(birth) = self.birth_date
            && (birth > today || age_on(birth, today) > 110)
        {
            err("birth_date", "this birth date is not plausible".into());
        }
        if let Some(m) = &self.municipality
            && regions.municipality(m).is_none()
        {
            err(
                "municipality",
                format!(
                    "'{}' is not a Dutch municipality",
                    m.chars().take(60).collect::<String>()
                ),
            );
        }
        if let Some(w) = self.insured_work
            && (w.window_months == 0 || w.window_months > 120 || w.months > w.window_months)
        {
            err(
                "insured_work",
                "months must be at most the window, and the window 1 to 120 months".into(),
            );
        }
        errors
    }
}
