//! The financing check: which schemes apply to a person (and an offer), how much each pays
//! after stacking, what the person pays in the end, and why every other scheme does not apply.

use super::person::PersonFacts;
use super::rules::{Facts, MissingFact, OfferFacts, SkillLists, Unmet, Verdict};
use super::scheme::{Benefit, BudgetUse, Payment, Scheme, SchemeStatus};
use crate::catalogue::model::CostKind;
use crate::regions::{Municipality, Regions};
use crate::shared::{Date, Money, OfferId};
use rustc_hash::FxHashMap;
use serde::Serialize;

/// A scheme together with its budget use, ready to be checked many times.
#[derive(Debug, Clone)]
pub struct BookEntry {
    pub scheme: Scheme,
    pub budget_use: BudgetUse,
    /// Awards (reserved or paid) per offer id, for the per-offer cap.
    pub awards_per_offer: FxHashMap<OfferId, u32>,
    /// Only these offers (a call for cost coverage pays for the courses it approved); none:
    /// every offer its rules allow. An entry with a list is left out of a person's overview.
    pub only_offers: Option<rustc_hash::FxHashSet<OfferId>>,
}

/// The published schemes in stacking order, with who excludes whom worked out once.
#[derive(Debug, Clone, Default)]
pub struct SchemeBook {
    entries: Vec<BookEntry>,
    /// `excludes[i]` lists the entries that cannot be combined with entry `i`.
    excludes: Vec<Vec<usize>>,
}

/// Why a scheme gives nothing for this person (and offer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "why")]
pub enum NotApplied {
    /// A condition is not met.
    Ineligible {
        unmet: Vec<Unmet>,
    },
    /// Today is outside the scheme's period.
    OutsidePeriod {
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        until: Option<String>,
    },
    Closed,
    BudgetExhausted,
    /// The most awards this offer may get from the scheme have been given.
    OfferCapReached {
        max_awards: u32,
    },
    /// The person already received the yearly maximum.
    YearMaximumReached {
        max_cents: Money,
    },
    /// A scheme earlier in the stacking order cannot be combined with this one.
    ExcludedBy {
        scheme: String,
    },
    /// The costs it would pay for are already paid by earlier schemes, or are the person's
    /// own contribution.
    NothingLeftToCover,
    /// It pays a yearly amount onto the learning account, not part of one offer's price: the
    /// person pays from the account.
    PaidToLearningAccount,
}

/// Which limit decided a scheme's amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountLimit {
    /// Its share of the costs it covers.
    Percent,
    FixedAmount,
    MaxPerAward,
    YearMaximum,
    RemainingBudget,
    /// What was left after earlier schemes and the own contribution.
    RemainingCosts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedScheme {
    pub scheme: String,
    pub amount_cents: Money,
    pub payment: Payment,
    pub limited_by: AmountLimit,
    /// What the person pays themselves under this scheme's rules.
    pub own_contribution_cents: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PossibleScheme {
    pub scheme: String,
    /// Answers that would decide it.
    pub missing: Vec<MissingFact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedScheme {
    pub scheme: String,
    #[serde(flatten)]
    pub why: NotApplied,
}

/// The financing of one offer for one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfferFinancing {
    pub gross_cents: Money,
    pub net_cents: Money,
    /// In stacking order.
    pub applied: Vec<AppliedScheme>,
    /// Schemes that may apply once the person answers more questions; not counted in the price.
    pub possible: Vec<PossibleScheme>,
    pub not_applied: Vec<RejectedScheme>,
}

/// A scheme's verdict for a person, before any offer is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum EligibilityVerdict {
    /// The person may use it (for the offers it covers).
    Eligible,
    /// It depends on these answers.
    Unknown { missing: Vec<MissingFact> },
    NotEligible {
        #[serde(flatten)]
        why: NotApplied,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonScheme {
    pub scheme: String,
    #[serde(flatten)]
    pub verdict: EligibilityVerdict,
}

/// A person with what the check needs worked out once (home municipality, earlier awards).
pub struct PreparedPerson<'a> {
    pub facts: &'a PersonFacts,
    home: Option<&'a Municipality>,
    /// Per book entry: earlier award days (newest first) and what it paid this year.
    prior: Vec<(Vec<Date>, Money)>,
}

/// The world the check runs in.
pub struct CheckContext<'a> {
    pub today: Date,
    pub regions: &'a Regions,
    pub skill_lists: &'a dyn SkillLists,
}

const KINDS: usize = CostKind::ALL.len();

fn kind_index(kind: CostKind) -> usize {
    CostKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(KINDS - 1)
}

impl SchemeBook {
    /// Order the entries for stacking (by `stacking.order`, then slug) and resolve exclusions
    /// both ways. Drafts are left out.
    pub fn new(mut entries: Vec<BookEntry>) -> SchemeBook {
        entries.retain(|e| e.scheme.status != SchemeStatus::Draft);
        entries.sort_by(|a, b| {
            (a.scheme.definition.stacking.order, &a.scheme.slug)
                .cmp(&(b.scheme.definition.stacking.order, &b.scheme.slug))
        });
        let position: FxHashMap<&str, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.scheme.slug.as_str(), i))
            .collect();
        let mut excludes = vec![Vec::new(); entries.len()];
        for (i, e) in entries.iter().enumerate() {
            for other in &e.scheme.definition.stacking.excludes {
                if let Some(&j) = position.get(other.as_str())
                    && j != i
                {
                    excludes[i].push(j);
                    excludes[j].push(i);
                }
            }
        }
        for list in &mut excludes {
            list.sort_unstable();
            list.dedup();
        }
        SchemeBook { entries, excludes }
    }

    pub fn entries(&self) -> &[BookEntry] {
        &self.entries
    }

    pub fn prepare<'a>(
        &self,
        ctx: &CheckContext<'a>,
        person: &'a PersonFacts,
    ) -> PreparedPerson<'a> {
        let home = person
            .municipality
            .as_deref()
            .and_then(|m| ctx.regions.municipality(m));
        let prior = self
            .entries
            .iter()
            .map(|e| {
                let slug = &e.scheme.slug;
                (
                    person.awards_of(slug),
                    person.received_in_year(slug, ctx.today.year()),
                )
            })
            .collect();
        PreparedPerson {
            facts: person,
            home,
            prior,
        }
    }

    /// Checks that do not depend on the person or the offer: status, period, budget.
    fn availability(&self, i: usize, today: Date) -> Option<NotApplied> {
        let e = &self.entries[i];
        let def = &e.scheme.definition;
        if e.scheme.status == SchemeStatus::Closed {
            return Some(NotApplied::Closed);
        }
        if !def.period.contains(today) {
            return Some(NotApplied::OutsidePeriod {
                from: def.period.from.map(crate::shared::iso_date_option::format),
                until: def.period.until.map(crate::shared::iso_date_option::format),
            });
        }
        if e.budget_use.remaining(def.budget.total_cents) == Some(Money::ZERO) {
            return Some(NotApplied::BudgetExhausted);
        }
        None
    }

    fn facts<'a>(
        &self,
        ctx: &CheckContext<'a>,
        person: &'a PreparedPerson<'a>,
        i: usize,
        offer: Option<OfferFacts<'a>>,
    ) -> Facts<'a> {
        Facts {
            today: ctx.today,
            person: person.facts,
            home: person.home,
            offer,
            prior_awards_of_scheme: &person.prior[i].0,
            skill_lists: ctx.skill_lists,
        }
    }

    /// Every scheme's verdict for a person, without an offer.
    pub fn check_person(
        &self,
        ctx: &CheckContext<'_>,
        person: &PreparedPerson<'_>,
    ) -> Vec<PersonScheme> {
        (0..self.entries.len())
            .filter(|i| self.entries[*i].only_offers.is_none())
            .map(|i| {
                let e = &self.entries[i];
                let verdict = if let Some(why) = self.availability(i, ctx.today) {
                    EligibilityVerdict::NotEligible { why }
                } else {
                    let facts = self.facts(ctx, person, i, None);
                    match e.scheme.definition.eligibility.evaluate(&facts) {
                        Verdict::Met => year_maximum(e, person.prior[i].1)
                            .map_or(EligibilityVerdict::Eligible, |why| {
                                EligibilityVerdict::NotEligible { why }
                            }),
                        Verdict::Unmet(unmet) => EligibilityVerdict::NotEligible {
                            why: NotApplied::Ineligible { unmet },
                        },
                        Verdict::Unknown(mut missing) => {
                            // "Depends on the offer" is not a question for the person.
                            missing.retain(|m| *m != MissingFact::Offer);
                            if missing.is_empty() {
                                EligibilityVerdict::Eligible
                            } else {
                                EligibilityVerdict::Unknown { missing }
                            }
                        }
                    }
                };
                PersonScheme {
                    scheme: e.scheme.slug.clone(),
                    verdict,
                }
            })
            .collect()
    }

    /// The financing of one offer: schemes in stacking order, each paying what its rules and
    /// limits allow of what is left, so the net price is never below zero nor above gross.
    pub fn check_offer(
        &self,
        ctx: &CheckContext<'_>,
        person: &PreparedPerson<'_>,
        offer: OfferFacts<'_>,
    ) -> OfferFinancing {
        let mut out = OfferFinancing {
            gross_cents: offer.gross_cents,
            net_cents: Money::ZERO,
            applied: Vec::new(),
            possible: Vec::new(),
            not_applied: Vec::new(),
        };
        self.stack(ctx, person, offer, &mut Some(&mut out));
        out
    }

    /// Only the net price (no explanations): the fast path for result lists.
    pub fn net_price(
        &self,
        ctx: &CheckContext<'_>,
        person: &PreparedPerson<'_>,
        offer: OfferFacts<'_>,
    ) -> Money {
        self.stack(ctx, person, offer, &mut None)
    }

    fn stack(
        &self,
        ctx: &CheckContext<'_>,
        person: &PreparedPerson<'_>,
        offer: OfferFacts<'_>,
        report: &mut Option<&mut OfferFinancing>,
    ) -> Money {
        // Remaining gross and VAT-free amounts per cost kind of the required lines.
        let mut gross = [Money::ZERO; KINDS];
        let mut net = [Money::ZERO; KINDS];
        for line in offer.content.costs.iter().filter(|c| c.required) {
            let k = kind_index(line.kind);
            gross[k] += line.gross_cents();
            net[k] += line.amount_cents;
        }
        let mut remaining = gross;
        let mut applied: Vec<usize> = Vec::new();
        let reject = |report: &mut Option<&mut OfferFinancing>, i: usize, why: NotApplied| {
            if let Some(r) = report.as_deref_mut() {
                r.not_applied.push(RejectedScheme {
                    scheme: self.entries[i].scheme.slug.clone(),
                    why,
                });
            }
        };
        for i in 0..self.entries.len() {
            let e = &self.entries[i];
            let def = &e.scheme.definition;
            let cov = &def.coverage;
            if def.benefit != Benefit::TrainingCosts {
                continue;
            }
            if e.only_offers
                .as_ref()
                .is_some_and(|only| !only.contains(&offer.offer_id))
            {
                continue;
            }
            if def.yearly_deposit.is_some() {
                reject(report, i, NotApplied::PaidToLearningAccount);
                continue;
            }
            if let Some(why) = self.availability(i, ctx.today) {
                reject(report, i, why);
                continue;
            }
            if !cov.offer_kinds.is_empty() && !cov.offer_kinds.contains(&offer.content.kind) {
                reject(
                    report,
                    i,
                    NotApplied::Ineligible {
                        unmet: vec![Unmet::OfferKind {
                            allowed: cov.offer_kinds.clone(),
                            actual: offer.content.kind,
                        }],
                    },
                );
                continue;
            }
            if !cov.levels.is_empty()
                && !offer.content.level.is_some_and(|l| cov.levels.contains(&l))
            {
                reject(
                    report,
                    i,
                    NotApplied::Ineligible {
                        unmet: vec![Unmet::OfferLevel {
                            allowed: cov.levels.clone(),
                            actual: offer.content.level,
                        }],
                    },
                );
                continue;
            }
            let facts = self.facts(ctx, person, i, Some(offer));
            match def.eligibility.evaluate(&facts) {
                Verdict::Met => {}
                Verdict::Unmet(unmet) => {
                    reject(report, i, NotApplied::Ineligible { unmet });
                    continue;
                }
                Verdict::Unknown(missing) => {
                    if let Some(r) = report.as_deref_mut() {
                        r.possible.push(PossibleScheme {
                            scheme: e.scheme.slug.clone(),
                            missing,
                        });
                    }
                    continue;
                }
            }
            if let Some(max) = def.budget.max_awards_per_offer
                && e.awards_per_offer
                    .get(&offer.offer_id)
                    .copied()
                    .unwrap_or(0)
                    >= max
            {
                reject(report, i, NotApplied::OfferCapReached { max_awards: max });
                continue;
            }
            if let Some(&j) = self.excludes[i].iter().find(|j| applied.contains(j)) {
                reject(
                    report,
                    i,
                    NotApplied::ExcludedBy {
                        scheme: self.entries[j].scheme.slug.clone(),
                    },
                );
                continue;
            }
            // The part of each cost kind this scheme may pay from.
            let mut caps = [Money::ZERO; KINDS];
            let mut base = Money::ZERO;
            for (k, kind) in CostKind::ALL.iter().enumerate() {
                if cov.covers_cost(*kind) {
                    let full = if cov.including_vat { gross[k] } else { net[k] };
                    base += full;
                    caps[k] = remaining[k].min(full);
                }
            }
            let available: Money = caps.iter().copied().sum();
            let own = cov.own_contribution_cents + base.percent_ceil(cov.own_contribution_percent);
            let mut limits: Vec<(Money, AmountLimit)> = Vec::with_capacity(5);
            match cov.fixed_amount_cents {
                Some(fixed) => limits.push((fixed, AmountLimit::FixedAmount)),
                None => limits.push((base.percent_floor(cov.percent), AmountLimit::Percent)),
            }
            if let Some(max) = cov.max_per_award_cents {
                limits.push((max, AmountLimit::MaxPerAward));
            }
            if let Some(max) = cov.max_per_person_per_year_cents {
                let left = max - person.prior[i].1;
                if left <= Money::ZERO {
                    reject(report, i, NotApplied::YearMaximumReached { max_cents: max });
                    continue;
                }
                limits.push((left, AmountLimit::YearMaximum));
            }
            if let Some(left) = e.budget_use.remaining(def.budget.total_cents) {
                limits.push((left, AmountLimit::RemainingBudget));
            }
            limits.push((
                (available - own).max(Money::ZERO),
                AmountLimit::RemainingCosts,
            ));
            let (amount, limited_by) = limits
                .iter()
                .copied()
                .min_by_key(|(v, _)| *v)
                .unwrap_or((Money::ZERO, AmountLimit::RemainingCosts));
            let amount = amount.max(Money::ZERO);
            if amount == Money::ZERO {
                reject(report, i, NotApplied::NothingLeftToCover);
                continue;
            }
            // Take the amount from the covered kinds in a fixed order.
            let mut left = amount;
            for k in 0..KINDS {
                let take = left.min(caps[k]);
                remaining[k] -= take;
                left -= take;
            }
            applied.push(i);
            if let Some(r) = report.as_deref_mut() {
                r.applied.push(AppliedScheme {
                    scheme: e.scheme.slug.clone(),
                    amount_cents: amount,
                    payment: def.payment,
                    limited_by,
                    own_contribution_cents: own.min(base),
                });
            }
        }
        let net_cents: Money = remaining.iter().copied().sum();
        if let Some(r) = report.as_deref_mut() {
            r.net_cents = net_cents;
        }
        net_cents
    }
}

fn year_maximum(e: &BookEntry, received: Money) -> Option<NotApplied> {
    let max = e.scheme.definition.coverage.max_per_person_per_year_cents?;
    (received >= max).then_some(NotApplied::YearMaximumReached { max_cents: max })
}
