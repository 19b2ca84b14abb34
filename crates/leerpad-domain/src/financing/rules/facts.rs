//! What a condition is evaluated against: the person, the offer if there is one, earlier
//! awards of the scheme and the named skill lists.

use crate::catalogue::model::{Accreditation, OfferContent};
use crate::financing::person::PersonFacts;
use crate::shared::{Date, Money, OfferId};

/// Named skill lists the rules may refer to; the taxonomy provides the ESCO collections.
pub trait SkillLists: Sync {
    fn has_list(&self, list: &str) -> bool;
    fn list_contains(&self, list: &str, skill_uri: &str) -> bool;
}

/// No lists at all (tests, and callers without a taxonomy).
pub struct NoSkillLists;

impl SkillLists for NoSkillLists {
    fn has_list(&self, _: &str) -> bool {
        false
    }
    fn list_contains(&self, _: &str, _: &str) -> bool {
        false
    }
}

/// What the rules see of an offer.
#[derive(Debug, Clone, Copy)]
pub struct OfferFacts<'a> {
    pub offer_id: OfferId,
    pub content: &'a OfferContent,
    /// The provider's quality marks.
    pub accreditations: &'a [Accreditation],
    /// [`OfferContent::gross_price_cents`], computed once.
    pub gross_cents: Money,
}

impl<'a> OfferFacts<'a> {
    pub fn new(
        offer_id: OfferId,
        content: &'a OfferContent,
        accreditations: &'a [Accreditation],
    ) -> Self {
        OfferFacts {
            offer_id,
            content,
            accreditations,
            gross_cents: content.gross_price_cents(),
        }
    }
}

/// Everything a condition is evaluated against.
pub struct Facts<'a> {
    /// The day of the check.
    pub today: Date,
    pub person: &'a PersonFacts,
    /// The person's municipality, resolved once; none when not given or unknown.
    pub home: Option<&'a crate::regions::Municipality>,
    /// Absent when asking "which schemes may I use at all".
    pub offer: Option<OfferFacts<'a>>,
    /// Earlier awards of the scheme being evaluated to this person, newest first.
    pub prior_awards_of_scheme: &'a [Date],
    pub skill_lists: &'a dyn SkillLists,
}
