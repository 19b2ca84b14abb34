//! The training offer as Leerpad stores it, modelled on the Dutch exchange standard EDU-DEX
//! (program → run → cost lines): what is offered, at which level and in which form, when and
//! where it runs, and what each part costs.

use crate::shared::{Date, Localized, Money, OfferId, ProviderId, iso_date_option, string_enum};
use serde::{Deserialize, Serialize};

string_enum! {
    /// What kind of offer this is, from a short online module to a full MBO track.
    OfferKind {
        MicroLearning = "micro_learning",
        Course = "course",
        Module = "module",
        /// A certificate for part of an MBO qualification.
        Deelcertificaat = "deelcertificaat",
        MboCertificate = "mbo_certificate",
        /// MBO while working (beroepsbegeleidende leerweg).
        BblTrack = "bbl",
        /// MBO at school with internships (beroepsopleidende leerweg).
        BolTrack = "bol",
        /// A statement of practical competence issued by an employer and a school.
        Praktijkverklaring = "praktijkverklaring",
        HigherEducationCourse = "hbo_wo_course",
        Exam = "exam",
    }
}

string_enum! {
    /// The education level an offer is at.
    Level {
        Mbo1 = "mbo1",
        Mbo2 = "mbo2",
        Mbo3 = "mbo3",
        Mbo4 = "mbo4",
        Hbo = "hbo",
        Wo = "wo",
    }
}

impl Level {
    /// The NLQF level this education level usually corresponds to.
    pub fn typical_nlqf(self) -> u8 {
        match self {
            Level::Mbo1 => 1,
            Level::Mbo2 => 2,
            Level::Mbo3 => 3,
            Level::Mbo4 => 4,
            Level::Hbo => 6,
            Level::Wo => 7,
        }
    }
}

string_enum! {
    Modality {
        Online = "online",
        OnSite = "on_site",
        Blended = "blended",
    }
}

string_enum! {
    Schedule {
        FixedDates = "fixed_dates",
        OwnPace = "own_pace",
    }
}

string_enum! {
    RunStatus {
        /// Open for applications.
        Open = "open",
        Full = "full",
        Closed = "closed",
        Cancelled = "cancelled",
    }
}

string_enum! {
    CostKind {
        Tuition = "tuition",
        Exam = "exam",
        Materials = "materials",
        Registration = "registration",
        Other = "other",
    }
}

string_enum! {
    /// What a person receives on completion.
    Credential {
        None = "none",
        /// Bewijs van deelname.
        Participation = "participation",
        Certificate = "certificate",
        MicroCredential = "micro_credential",
        Deelcertificaat = "deelcertificaat",
        Praktijkverklaring = "praktijkverklaring",
        MboDiploma = "mbo_diploma",
        HboDiploma = "hbo_diploma",
        WoDiploma = "wo_diploma",
        IndustryCertificate = "industry_certificate",
    }
}

string_enum! {
    OfferStatus {
        Draft = "draft",
        Published = "published",
        Archived = "archived",
    }
}

string_enum! {
    /// Where a taught skill came from.
    SkillSource {
        /// Stated by the provider.
        Provider = "provider",
        /// Found by Leerpad in the offer's text because the provider gave none.
        Extracted = "extracted",
    }
}

string_enum! {
    /// Quality marks of Dutch training providers.
    Accreditation {
        /// Nederlandse Raad voor Training en Opleiding.
        Nrto = "NRTO",
        /// Centraal Register Kort Beroepsonderwijs (VAT exemption).
        Crkbo = "CRKBO",
        /// Nederlands-Vlaamse Accreditatieorganisatie (higher education).
        Nvao = "NVAO",
        /// Recognised for MBO by the ministry (erkend door OCW).
        Ocw = "OCW",
        Iso9001 = "ISO9001",
    }
}

/// One scheduled run of an offer: a cohort with a start and a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    /// The provider's id of the run.
    pub id: String,
    #[serde(
        with = "iso_date_option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub start: Option<Date>,
    #[serde(
        with = "iso_date_option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub end: Option<Date>,
    /// CBS municipality code (`GM0363`); absent for online runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    pub status: RunStatus,
    #[serde(
        with = "iso_date_option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub application_deadline: Option<Date>,
}

/// A part of the price. Amounts are euro cents excluding VAT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostLine {
    pub kind: CostKind,
    pub amount_cents: Money,
    /// 0 (exempt, e.g. CRKBO-registered training), 9 or 21.
    pub vat_percent: u8,
    /// Whether every participant pays it (optional lines are e.g. a retake exam).
    pub required: bool,
}

impl CostLine {
    /// The amount including VAT, rounded to the nearest cent (halves up).
    pub fn gross_cents(&self) -> Money {
        self.amount_cents + self.amount_cents.percent_half_up(self.vat_percent)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferSkill {
    /// ESCO skill URI.
    pub uri: String,
    pub source: SkillSource,
}

/// Everything about an offer that its provider states, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferContent {
    pub title: Localized,
    pub summary: Localized,
    pub description: Localized,
    pub kind: OfferKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// NLQF (and EQF) level 1–8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nlqf: Option<u8>,
    /// MBO qualification code (5 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crebo: Option<String>,
    /// Higher-education programme code (5 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub croho: Option<String>,
    pub modality: Modality,
    pub schedule: Schedule,
    pub runs: Vec<Run>,
    pub costs: Vec<CostLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub study_load_hours: Option<u32>,
    /// Languages of instruction (ISO 639-1).
    pub languages: Vec<String>,
    pub credential: Credential,
    pub skills: Vec<OfferSkill>,
    pub status: OfferStatus,
}

impl OfferContent {
    /// What a participant pays in total: every required cost line, VAT included.
    pub fn gross_price_cents(&self) -> Money {
        self.costs
            .iter()
            .filter(|c| c.required)
            .map(CostLine::gross_cents)
            .sum()
    }

    /// The earliest start of an open run on or after `today`.
    pub fn next_start(&self, today: Date) -> Option<Date> {
        self.runs
            .iter()
            .filter(|r| r.status == RunStatus::Open)
            .filter_map(|r| r.start)
            .filter(|d| *d >= today)
            .min()
    }

    /// The municipalities it runs in (each once).
    pub fn municipalities(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .runs
            .iter()
            .filter(|r| r.status != RunStatus::Cancelled)
            .filter_map(|r| r.municipality.as_deref())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A stored offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub id: OfferId,
    pub provider_id: ProviderId,
    /// The provider's own id; unique per provider, the key for updates.
    pub provider_offer_id: String,
    #[serde(flatten)]
    pub content: OfferContent,
    pub created_at: crate::UnixTime,
    pub updated_at: crate::UnixTime,
}

/// A training provider (opleider).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provider {
    pub id: ProviderId,
    pub name: String,
    /// Chamber of Commerce number, 8 digits.
    pub kvk: String,
    pub accreditations: Vec<Accreditation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Other names it trades under (handelsnamen).
    #[serde(default)]
    pub trading_names: Vec<String>,
    /// Whether a programme manager (or an operator's import) verified the organisation: only
    /// then are its offers published.
    #[serde(default)]
    pub verified: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_is_added_and_rounded() {
        let line = CostLine {
            kind: CostKind::Materials,
            amount_cents: Money::from_cents(1_000),
            vat_percent: 21,
            required: true,
        };
        assert_eq!(line.gross_cents(), Money::from_cents(1_210));
        let odd = CostLine {
            amount_cents: Money::from_cents(250),
            vat_percent: 9,
            ..line
        };
        assert_eq!(
            odd.gross_cents(),
            Money::from_cents(273),
            "22.5 cents of VAT round up"
        );
    }

    #[test]
    fn identifiers_round_trip() {
        for k in OfferKind::ALL {
            assert_eq!(k.as_str().parse::<OfferKind>().ok(), Some(*k));
        }
        assert!("kurs".parse::<OfferKind>().is_err());
        assert!(OfferKind::identifiers().contains("deelcertificaat"));
    }
}
