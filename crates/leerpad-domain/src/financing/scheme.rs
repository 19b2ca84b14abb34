//! A financing scheme (regeling) as a programme manager defines it: who funds it, what it
//! covers, how it stacks with other schemes, its budget, and who may use it.

use super::rules::Condition;
use crate::catalogue::model::{CostKind, Level, OfferKind};
use crate::shared::{Date, Localized, Money, SchemeId, iso_date_option, string_enum};
use serde::{Deserialize, Serialize};

string_enum! {
    /// Who pays for a scheme.
    FunderKind {
        National = "national",
        Eu = "eu",
        /// A province or a labour-market region.
        Regional = "regional",
        /// A sector training fund (O&O-fonds).
        SectorFund = "sector_fund",
        Employer = "employer",
        Municipality = "municipality",
    }
}

string_enum! {
    /// How the money reaches the provider.
    Payment {
        /// The scheme pays the provider; the person only pays the rest.
        ProviderDirect = "provider_direct",
        /// The person pays first and gets the amount back.
        Reimbursement = "reimbursement",
        /// The money goes onto the person's learning account (a yearly deposit); the person
        /// pays the provider from there.
        LearningAccount = "learning_account",
    }
}

string_enum! {
    /// What a scheme pays for.
    #[derive(Default)]
    Benefit {
        /// The costs of training offers in the catalogue.
        #[default]
        TrainingCosts = "training_costs",
        /// Free career advice (ontwikkeladvies); never part of an offer's price.
        Advice = "advice",
    }
}

string_enum! {
    SchemeStatus {
        /// Being written; invisible to the public.
        Draft = "draft",
        /// Open for use.
        Published = "published",
        /// No longer open; kept for history.
        Closed = "closed",
    }
}

/// The organisation behind a scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funder {
    pub kind: FunderKind,
    pub name: String,
}

/// The days a scheme can be used, both ends inclusive; an open end is unbounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    #[serde(
        with = "iso_date_option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub from: Option<Date>,
    #[serde(
        with = "iso_date_option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub until: Option<Date>,
}

impl Period {
    pub fn contains(&self, day: Date) -> bool {
        self.from.is_none_or(|f| day >= f) && self.until.is_none_or(|u| day <= u)
    }
}

fn hundred() -> u8 {
    100
}

fn yes() -> bool {
    true
}

fn is_zero_money(v: &Money) -> bool {
    *v == Money::ZERO
}

fn is_zero_u8(v: &u8) -> bool {
    *v == 0
}

/// What a scheme pays for and how much. Every limit applies together: the amount is the
/// smallest of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// The cost lines it pays for; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cost_kinds: Vec<CostKind>,
    /// The kinds of offer it pays for; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offer_kinds: Vec<OfferKind>,
    /// The levels it pays for; empty means all (also offers without a level).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<Level>,
    /// The share of the covered costs it pays.
    #[serde(default = "hundred")]
    pub percent: u8,
    /// A fixed amount instead of a share (e.g. a voucher), still never more than the costs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_amount_cents: Option<Money>,
    /// At most this much for one offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_award_cents: Option<Money>,
    /// At most this much per person per calendar year, counting earlier awards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_person_per_year_cents: Option<Money>,
    /// What the person always pays themselves (eigen bijdrage), as an amount …
    #[serde(default, skip_serializing_if = "is_zero_money")]
    pub own_contribution_cents: Money,
    /// … and as a share of the covered costs.
    #[serde(default, skip_serializing_if = "is_zero_u8")]
    pub own_contribution_percent: u8,
    /// Whether VAT on the covered costs is paid too.
    #[serde(default = "yes")]
    pub including_vat: bool,
}

impl Default for Coverage {
    fn default() -> Self {
        Coverage {
            cost_kinds: Vec::new(),
            offer_kinds: Vec::new(),
            levels: Vec::new(),
            percent: 100,
            fixed_amount_cents: None,
            max_per_award_cents: None,
            max_per_person_per_year_cents: None,
            own_contribution_cents: Money::ZERO,
            own_contribution_percent: 0,
            including_vat: true,
        }
    }
}

impl Coverage {
    pub fn covers_cost(&self, kind: CostKind) -> bool {
        self.cost_kinds.is_empty() || self.cost_kinds.contains(&kind)
    }
}

/// How a scheme combines with others.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stacking {
    /// Lower goes first. Schemes of the same order go by slug.
    #[serde(default)]
    pub order: i32,
    /// Slugs of schemes that cannot be combined with this one (in either direction).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excludes: Vec<String>,
}

/// The money a scheme has and how it is spread.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetLimits {
    /// The whole budget; none means open-ended (an entitlement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_cents: Option<Money>,
    /// At most this many awards for one offer (e.g. 300 per course).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_awards_per_offer: Option<u32>,
}

/// Money a scheme puts on every eligible person's learning account once a calendar year (a
/// personal budget like STAP's, or SkillsFuture's credit), paid from the scheme's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearlyDeposit {
    /// What comes in each year.
    pub amount_cents: Money,
    /// The deposit never lifts what the person can spend above this (unspent money piles up
    /// to here, no further); none: no ceiling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceiling_cents: Option<Money>,
}

impl YearlyDeposit {
    /// This year's deposit for someone who can spend `available` now: the yearly amount, or
    /// less when the ceiling is near (zero at or above it).
    pub fn amount_for(&self, available: Money) -> Money {
        let room = match self.ceiling_cents {
            Some(ceiling) => ceiling.cents().saturating_sub(available.cents()).max(0),
            None => i64::MAX,
        };
        Money::from_cents(self.amount_cents.cents().min(room).max(0))
    }

    /// The idempotency key of one person's deposit in one year: paid once, whoever runs it.
    pub fn key(scheme_slug: &str, year: i32, user: crate::shared::UserId) -> String {
        format!("yearly-deposit:{scheme_slug}:{year}:{user}")
    }
}

/// How a person applies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Applying goes through a career advisor (e.g. during an ontwikkeladvies).
    #[serde(default)]
    pub via_advisor: bool,
}

/// Everything a programme manager writes about a scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemeDefinition {
    pub name: Localized,
    #[serde(default)]
    pub description: Localized,
    pub funder: Funder,
    #[serde(default)]
    pub benefit: Benefit,
    #[serde(default)]
    pub period: Period,
    #[serde(default)]
    pub coverage: Coverage,
    pub payment: Payment,
    #[serde(default)]
    pub stacking: Stacking,
    #[serde(default)]
    pub budget: BudgetLimits,
    #[serde(default)]
    pub application: Application,
    /// A yearly deposit on the learning accounts of everyone eligible; none for schemes that
    /// pay per course.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yearly_deposit: Option<YearlyDeposit>,
    /// Who and what it is for; an empty `all` lets everyone in.
    #[serde(default = "Condition::always")]
    pub eligibility: Condition,
    /// Example data shipped with the demo, shown as such.
    #[serde(default)]
    pub example: bool,
}

/// A stored scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheme {
    pub id: SchemeId,
    /// Stable, readable key used in URLs and in `stacking.excludes`.
    pub slug: String,
    pub status: SchemeStatus,
    /// Raised by every saved change; an edit names the version it started from.
    pub version: i64,
    #[serde(flatten)]
    pub definition: SchemeDefinition,
    pub created_at: crate::UnixTime,
    pub updated_at: crate::UnixTime,
}

/// How much of a scheme's budget is taken, and by which offers; kept by storage from the awards.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BudgetUse {
    pub reserved_cents: Money,
    pub spent_cents: Money,
}

impl BudgetUse {
    /// What is still free under `total` (none when the budget is open-ended).
    pub fn remaining(&self, total: Option<Money>) -> Option<Money> {
        total.map(|t| (t - self.reserved_cents - self.spent_cents).max(Money::ZERO))
    }
}
