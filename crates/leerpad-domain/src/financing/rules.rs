//! The eligibility rule language: a tree of conditions over the person and the offer, written
//! by programme managers as JSON or TOML (`{ all = [ { age = { max = 64 } }, … ] }`), validated
//! before it is saved and evaluated in three values: met, unmet (with the reasons), or unknown
//! (with the facts that are missing, e.g. for a visitor who did not give their age).

use super::person::{EducationLevel, EmploymentStatus, PersonFacts, Sector};
use crate::catalogue::model::{Accreditation, Level, Modality, OfferContent, OfferKind};
use crate::regions::Regions;
use crate::shared::{Date, FieldError, Money, OfferId};
use serde::{Deserialize, Serialize};

/// One condition. Leaves test one fact; `all`, `any` and `not` combine them.
///
/// Written as an object with exactly one key, the kind of condition (`{"age": {"max": 64}}`).
/// The derived (de)serialisation is kept as `Condition::serialize` / `Condition::deserialize`
/// (serde's `remote = "Self"`); the trait impls below wrap it so that an object with a second
/// key, or none, is refused with a message saying so (and, through serde_path_to_error, with
/// its path) instead of a bare syntax error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields, remote = "Self")]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// Age in whole years on `on` (default: the day of the check), bounds inclusive.
    Age {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u8>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u8>,
        #[serde(
            with = "crate::shared::iso_date_option",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        on: Option<Date>,
    },
    Employment(Vec<EmploymentStatus>),
    /// Highest finished education at most this level (e.g. "practically educated": mbo4).
    EducationAtMost(EducationLevel),
    EducationAtLeast(EducationLevel),
    /// Lives in one of these provinces (names as in the CBS list).
    Province(Vec<String>),
    /// Lives in one of these labour-market regions (arbeidsmarktregio's).
    Region(Vec<String>),
    /// Lives in one of these municipalities (CBS code or name).
    Municipality(Vec<String>),
    Sector(Vec<Sector>),
    /// Insured work (loondienst or benefits) for at least `at_least` of the last `within_months`.
    InsuredMonths {
        at_least: u16,
        within_months: u16,
    },
    /// Has not received this same scheme before (ever, or within the last months).
    NotUsedBefore {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        within_months: Option<u16>,
    },
    OfferKind(Vec<OfferKind>),
    OfferLevel(Vec<Level>),
    Modality(Vec<Modality>),
    /// Gross price including VAT, bounds inclusive.
    Price {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_cents: Option<Money>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_cents: Option<Money>,
    },
    /// The provider holds one of these quality marks.
    Accreditation(Vec<Accreditation>),
    /// The offer teaches at least `min` skills of a named list (an ESCO collection such as
    /// `green` or `digital`, or a shortage list the platform knows).
    SkillsOnList {
        list: String,
        #[serde(default = "one")]
        min: u16,
    },
    /// The offer teaches at least `min` of these ESCO skills.
    Skills {
        any_of: Vec<String>,
        #[serde(default = "one")]
        min: u16,
    },
    /// The offer has (or, with `false`, lacks) a crebo code: a registered MBO qualification.
    CreboRegistered(bool),
}

fn one() -> u16 {
    1
}

impl Serialize for Condition {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The derived, externally tagged form (an inherent fn through `remote = "Self"`).
        Condition::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ConditionVisitor)
    }
}

/// Reads the one key of a condition object, hands key and value to the derived deserializer,
/// and refuses a second key.
struct ConditionVisitor;

impl<'de> serde::de::Visitor<'de> for ConditionVisitor {
    type Value = Condition;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a condition: an object with exactly one key, such as {\"age\": {\"max\": 64}}")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Condition, A::Error> {
        use serde::de::Error;
        let Some(kind) = map.next_key::<String>()? else {
            return Err(A::Error::custom(
                "a condition has exactly one key (such as \"age\" or \"all\"); this one has none",
            ));
        };
        let condition = Condition::deserialize(OneKey {
            kind: kind.clone(),
            map: &mut map,
        })?;
        if let Some(second) = map.next_key::<String>()? {
            return Err(A::Error::custom(format!(
                "a condition has exactly one key; this one has \"{kind}\" and \"{second}\" \
                 (to require both, put each in its own object inside \"all\")"
            )));
        }
        Ok(condition)
    }
}

/// The rest of a condition object whose key is read: a deserializer that offers it to the
/// derived code as an enum whose variant is that key and whose content is the key's value.
struct OneKey<'m, A> {
    kind: String,
    map: &'m mut A,
}

impl<'de, A: serde::de::MapAccess<'de>> serde::Deserializer<'de> for OneKey<'_, A> {
    type Error = A::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

impl<'de, A: serde::de::MapAccess<'de>> serde::de::EnumAccess<'de> for OneKey<'_, A> {
    type Error = A::Error;
    type Variant = Self;

    fn variant_seed<V: serde::de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Self::Error> {
        let variant = seed.deserialize(serde::de::value::StrDeserializer::<A::Error>::new(
            self.kind.as_str(),
        ))?;
        Ok((variant, self))
    }
}

impl<'de, A: serde::de::MapAccess<'de>> serde::de::VariantAccess<'de> for OneKey<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.map.next_value::<serde::de::IgnoredAny>()?;
        Ok(())
    }

    fn newtype_variant_seed<T: serde::de::DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn tuple_variant<V: serde::de::Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(TupleSeed { len, visitor })
    }

    fn struct_variant<V: serde::de::Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(StructSeed { fields, visitor })
    }
}

struct TupleSeed<V> {
    len: usize,
    visitor: V,
}

impl<'de, V: serde::de::Visitor<'de>> serde::de::DeserializeSeed<'de> for TupleSeed<V> {
    type Value = V::Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        d.deserialize_tuple(self.len, self.visitor)
    }
}

struct StructSeed<V> {
    fields: &'static [&'static str],
    visitor: V,
}

impl<'de, V: serde::de::Visitor<'de>> serde::de::DeserializeSeed<'de> for StructSeed<V> {
    type Value = V::Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        d.deserialize_struct("Condition", self.fields, self.visitor)
    }
}

impl Condition {
    /// The condition everyone meets.
    pub fn always() -> Condition {
        Condition::All(Vec::new())
    }

    pub fn is_always(&self) -> bool {
        matches!(self, Condition::All(v) if v.is_empty())
    }

    /// Whether this leaf looks at the offer (rather than at the person).
    pub fn is_about_offer(&self) -> bool {
        matches!(
            self,
            Condition::OfferKind(_)
                | Condition::OfferLevel(_)
                | Condition::Modality(_)
                | Condition::Price { .. }
                | Condition::Accreditation(_)
                | Condition::SkillsOnList { .. }
                | Condition::Skills { .. }
                | Condition::CreboRegistered(_)
        )
    }

    /// Every leaf, depth first.
    pub fn leaves(&self) -> Vec<&Condition> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(c) = stack.pop() {
            match c {
                Condition::All(v) | Condition::Any(v) => stack.extend(v.iter().rev()),
                Condition::Not(inner) => stack.push(inner),
                leaf => out.push(leaf),
            }
        }
        out
    }

    /// The employment statuses this condition names anywhere (for "who is it for" filters).
    pub fn employment_statuses(&self) -> Vec<EmploymentStatus> {
        let mut out: Vec<EmploymentStatus> = self
            .leaves()
            .into_iter()
            .filter_map(|c| match c {
                Condition::Employment(v) => Some(v.iter().copied()),
                _ => None,
            })
            .flatten()
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

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

/// A fact a condition needs but was not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingFact {
    Age,
    Employment,
    Education,
    Municipality,
    Sector,
    InsuredMonths,
    /// The condition is about the offer and no offer was given.
    Offer,
}

/// Why a condition was not met, with what was required and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum Unmet {
    TooYoung {
        min: u8,
        age: u8,
    },
    TooOld {
        max: u8,
        age: u8,
    },
    Employment {
        allowed: Vec<EmploymentStatus>,
        actual: EmploymentStatus,
    },
    EducationTooHigh {
        max: EducationLevel,
        actual: EducationLevel,
    },
    EducationTooLow {
        min: EducationLevel,
        actual: EducationLevel,
    },
    Province {
        allowed: Vec<String>,
        actual: String,
    },
    Region {
        allowed: Vec<String>,
        actual: String,
    },
    Municipality {
        allowed: Vec<String>,
        actual: String,
    },
    Sector {
        allowed: Vec<Sector>,
        actual: Sector,
    },
    InsuredMonths {
        at_least: u16,
        within_months: u16,
    },
    UsedBefore {
        within_months: Option<u16>,
        #[serde(with = "crate::shared::iso_date")]
        last: Date,
    },
    OfferKind {
        allowed: Vec<OfferKind>,
        actual: OfferKind,
    },
    OfferLevel {
        allowed: Vec<Level>,
        actual: Option<Level>,
    },
    Modality {
        allowed: Vec<Modality>,
        actual: Modality,
    },
    PriceTooLow {
        min_cents: Money,
        actual_cents: Money,
    },
    PriceTooHigh {
        max_cents: Money,
        actual_cents: Money,
    },
    Accreditation {
        allowed: Vec<Accreditation>,
    },
    SkillsOnList {
        list: String,
        min: u16,
        found: u16,
    },
    Skills {
        min: u16,
        found: u16,
    },
    CreboRegistered {
        required: bool,
    },
    /// A `not` whose inner condition was met.
    Excluded {
        condition: Box<Condition>,
    },
    /// Every option of an `any` failed.
    NoneOf {
        options: Vec<Vec<Unmet>>,
    },
}

/// The outcome of evaluating a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Unmet(Vec<Unmet>),
    /// Could be either way; these facts would decide it.
    Unknown(Vec<MissingFact>),
}

impl Verdict {
    fn unmet(reason: Unmet) -> Verdict {
        Verdict::Unmet(vec![reason])
    }

    fn unknown(fact: MissingFact) -> Verdict {
        Verdict::Unknown(vec![fact])
    }

    fn when(ok: bool, reason: impl FnOnce() -> Unmet) -> Verdict {
        if ok {
            Verdict::Met
        } else {
            Verdict::unmet(reason())
        }
    }
}

fn months_between(earlier: Date, later: Date) -> i32 {
    let mut m = (later.year() - earlier.year()) * 12 + i32::from(later.month() as u8)
        - i32::from(earlier.month() as u8);
    if later.day() < earlier.day() {
        m -= 1;
    }
    m
}

impl Condition {
    /// Evaluate with Kleene's three-valued logic: `all` is unmet when any part is unmet (and
    /// reports every unmet part), `any` is met when any part is met.
    pub fn evaluate(&self, facts: &Facts<'_>) -> Verdict {
        match self {
            Condition::All(parts) => {
                let mut unmet = Vec::new();
                let mut missing = Vec::new();
                for part in parts {
                    match part.evaluate(facts) {
                        Verdict::Met => {}
                        Verdict::Unmet(r) => unmet.extend(r),
                        Verdict::Unknown(m) => missing.extend(m),
                    }
                }
                if !unmet.is_empty() {
                    Verdict::Unmet(unmet)
                } else if !missing.is_empty() {
                    missing.sort();
                    missing.dedup();
                    Verdict::Unknown(missing)
                } else {
                    Verdict::Met
                }
            }
            Condition::Any(parts) => {
                let mut options = Vec::new();
                let mut missing = Vec::new();
                for part in parts {
                    match part.evaluate(facts) {
                        Verdict::Met => return Verdict::Met,
                        Verdict::Unmet(r) => options.push(r),
                        Verdict::Unknown(m) => missing.extend(m),
                    }
                }
                if !missing.is_empty() {
                    missing.sort();
                    missing.dedup();
                    Verdict::Unknown(missing)
                } else if options.len() == 1 {
                    Verdict::Unmet(options.remove(0))
                } else {
                    Verdict::unmet(Unmet::NoneOf { options })
                }
            }
            Condition::Not(inner) => match inner.evaluate(facts) {
                Verdict::Met => Verdict::unmet(Unmet::Excluded {
                    condition: inner.clone(),
                }),
                Verdict::Unmet(_) => Verdict::Met,
                unknown => unknown,
            },
            leaf if leaf.is_about_offer() => match facts.offer {
                Some(offer) => leaf.evaluate_offer(&offer, facts.skill_lists),
                None => Verdict::unknown(MissingFact::Offer),
            },
            leaf => leaf.evaluate_person(facts),
        }
    }

    fn evaluate_person(&self, facts: &Facts<'_>) -> Verdict {
        let person = facts.person;
        match self {
            Condition::Age { min, max, on } => {
                let Some((lo, hi)) = person.age_range_on(on.unwrap_or(facts.today), facts.today)
                else {
                    return Verdict::unknown(MissingFact::Age);
                };
                if let Some(min) = *min {
                    if hi < min {
                        return Verdict::unmet(Unmet::TooYoung { min, age: hi });
                    }
                    if lo < min {
                        return Verdict::unknown(MissingFact::Age);
                    }
                }
                if let Some(max) = *max {
                    if lo > max {
                        return Verdict::unmet(Unmet::TooOld { max, age: lo });
                    }
                    if hi > max {
                        return Verdict::unknown(MissingFact::Age);
                    }
                }
                Verdict::Met
            }
            Condition::Employment(allowed) => match person.employment {
                None => Verdict::unknown(MissingFact::Employment),
                Some(actual) => Verdict::when(allowed.contains(&actual), || Unmet::Employment {
                    allowed: allowed.clone(),
                    actual,
                }),
            },
            Condition::EducationAtMost(max) => match person.education {
                None => Verdict::unknown(MissingFact::Education),
                Some(actual) => Verdict::when(actual.rank() <= max.rank(), || {
                    Unmet::EducationTooHigh { max: *max, actual }
                }),
            },
            Condition::EducationAtLeast(min) => match person.education {
                None => Verdict::unknown(MissingFact::Education),
                Some(actual) => Verdict::when(actual.rank() >= min.rank(), || {
                    Unmet::EducationTooLow { min: *min, actual }
                }),
            },
            Condition::Province(allowed) => match facts.home {
                None => Verdict::unknown(MissingFact::Municipality),
                Some(home) => Verdict::when(
                    allowed
                        .iter()
                        .any(|p| p.eq_ignore_ascii_case(&home.province)),
                    || Unmet::Province {
                        allowed: allowed.clone(),
                        actual: home.province.clone(),
                    },
                ),
            },
            Condition::Region(allowed) => match facts.home {
                None => Verdict::unknown(MissingFact::Municipality),
                Some(home) => Verdict::when(
                    allowed.iter().any(|r| r.eq_ignore_ascii_case(&home.region)),
                    || Unmet::Region {
                        allowed: allowed.clone(),
                        actual: home.region.clone(),
                    },
                ),
            },
            Condition::Municipality(allowed) => match facts.home {
                None => Verdict::unknown(MissingFact::Municipality),
                Some(home) => Verdict::when(
                    allowed.iter().any(|m| {
                        m.eq_ignore_ascii_case(&home.code) || m.eq_ignore_ascii_case(&home.name)
                    }),
                    || Unmet::Municipality {
                        allowed: allowed.clone(),
                        actual: home.name.clone(),
                    },
                ),
            },
            Condition::Sector(allowed) => match person.sector {
                None => Verdict::unknown(MissingFact::Sector),
                Some(actual) => Verdict::when(allowed.contains(&actual), || Unmet::Sector {
                    allowed: allowed.clone(),
                    actual,
                }),
            },
            Condition::InsuredMonths {
                at_least,
                within_months,
            } => match person.insured_months_range(*within_months) {
                None => Verdict::unknown(MissingFact::InsuredMonths),
                Some((lo, _)) if lo >= *at_least => Verdict::Met,
                Some((_, hi)) if hi < *at_least => Verdict::unmet(Unmet::InsuredMonths {
                    at_least: *at_least,
                    within_months: *within_months,
                }),
                Some(_) => Verdict::unknown(MissingFact::InsuredMonths),
            },
            Condition::NotUsedBefore { within_months } => {
                let hit = facts.prior_awards_of_scheme.iter().copied().find(|on| {
                    within_months.is_none_or(|m| months_between(*on, facts.today) < i32::from(m))
                });
                match hit {
                    None => Verdict::Met,
                    Some(last) => Verdict::unmet(Unmet::UsedBefore {
                        within_months: *within_months,
                        last,
                    }),
                }
            }
            // Offer leaves and combinators are handled by `evaluate`.
            _ => Verdict::Met,
        }
    }

    fn evaluate_offer(&self, offer: &OfferFacts<'_>, lists: &dyn SkillLists) -> Verdict {
        let content = offer.content;
        match self {
            Condition::OfferKind(allowed) => {
                Verdict::when(allowed.contains(&content.kind), || Unmet::OfferKind {
                    allowed: allowed.clone(),
                    actual: content.kind,
                })
            }
            Condition::OfferLevel(allowed) => {
                Verdict::when(content.level.is_some_and(|l| allowed.contains(&l)), || {
                    Unmet::OfferLevel {
                        allowed: allowed.clone(),
                        actual: content.level,
                    }
                })
            }
            Condition::Modality(allowed) => {
                Verdict::when(allowed.contains(&content.modality), || Unmet::Modality {
                    allowed: allowed.clone(),
                    actual: content.modality,
                })
            }
            Condition::Price {
                min_cents,
                max_cents,
            } => {
                let actual_cents = offer.gross_cents;
                if let Some(min) = *min_cents
                    && actual_cents < min
                {
                    return Verdict::unmet(Unmet::PriceTooLow {
                        min_cents: min,
                        actual_cents,
                    });
                }
                if let Some(max) = *max_cents
                    && actual_cents > max
                {
                    return Verdict::unmet(Unmet::PriceTooHigh {
                        max_cents: max,
                        actual_cents,
                    });
                }
                Verdict::Met
            }
            Condition::Accreditation(allowed) => Verdict::when(
                offer.accreditations.iter().any(|a| allowed.contains(a)),
                || Unmet::Accreditation {
                    allowed: allowed.clone(),
                },
            ),
            Condition::SkillsOnList { list, min } => {
                let found = content
                    .skills
                    .iter()
                    .filter(|s| lists.list_contains(list, &s.uri))
                    .count();
                let found = u16::try_from(found).unwrap_or(u16::MAX);
                Verdict::when(found >= *min, || Unmet::SkillsOnList {
                    list: list.clone(),
                    min: *min,
                    found,
                })
            }
            Condition::Skills { any_of, min } => {
                let found = content
                    .skills
                    .iter()
                    .filter(|s| any_of.contains(&s.uri))
                    .count();
                let found = u16::try_from(found).unwrap_or(u16::MAX);
                Verdict::when(found >= *min, || Unmet::Skills { min: *min, found })
            }
            Condition::CreboRegistered(required) => {
                Verdict::when(content.crebo.is_some() == *required, || {
                    Unmet::CreboRegistered {
                        required: *required,
                    }
                })
            }
            _ => Verdict::Met,
        }
    }
}

/// Limits that keep a rule small enough to read and fast to evaluate.
pub const MAX_RULE_DEPTH: usize = 8;
pub const MAX_RULE_NODES: usize = 200;

/// What validation needs to know about the world outside the rule.
pub struct RuleContext<'a> {
    pub regions: &'a Regions,
    pub skill_lists: &'a dyn SkillLists,
}

/// Check a rule; every problem is reported with its path (`eligibility.all[1].age`).
pub fn validate_condition(
    cond: &Condition,
    path: &str,
    ctx: &RuleContext<'_>,
    errors: &mut Vec<FieldError>,
) {
    let mut nodes = 0usize;
    walk(cond, path, 1, ctx, errors, &mut nodes);
    if nodes > MAX_RULE_NODES {
        errors.push(FieldError {
            field: path.to_owned(),
            message: format!(
                "the rule has {nodes} conditions; at most {MAX_RULE_NODES} are allowed"
            ),
        });
    }
}

fn walk(
    cond: &Condition,
    path: &str,
    depth: usize,
    ctx: &RuleContext<'_>,
    errors: &mut Vec<FieldError>,
    nodes: &mut usize,
) {
    *nodes += 1;
    let mut err = |field: String, message: String| errors.push(FieldError { field, message });
    if depth > MAX_RULE_DEPTH {
        err(
            path.to_owned(),
            format!("conditions are nested more than {MAX_RULE_DEPTH} deep; simplify the rule"),
        );
        return;
    }
    let empty_list = |name: &str| format!("{path}.{name}");
    match cond {
        Condition::All(parts) | Condition::Any(parts) => {
            let name = if matches!(cond, Condition::All(_)) {
                "all"
            } else {
                "any"
            };
            if matches!(cond, Condition::Any(_)) && parts.is_empty() {
                err(
                    empty_list(name),
                    "'any' needs at least one condition (an empty 'any' can never be met)".into(),
                );
            }
            for (i, part) in parts.iter().enumerate() {
                walk(
                    part,
                    &format!("{path}.{name}[{i}]"),
                    depth + 1,
                    ctx,
                    errors,
                    nodes,
                );
            }
        }
        Condition::Not(inner) => walk(inner, &format!("{path}.not"), depth + 1, ctx, errors, nodes),
        Condition::Age { min, max, .. } => {
            let field = format!("{path}.age");
            match (min, max) {
                (None, None) => err(field, "give a minimum age, a maximum age or both".into()),
                (Some(lo), Some(hi)) if lo > hi => err(
                    field,
                    format!("the minimum age {lo} is above the maximum age {hi}"),
                ),
                _ if min.unwrap_or(0) > 120 || max.unwrap_or(0) > 120 => {
                    err(field, "ages above 120 are not plausible".into())
                }
                _ => {}
            }
        }
        Condition::Employment(v) if v.is_empty() => err(
            empty_list("employment"),
            format!("name at least one of: {}", EmploymentStatus::identifiers()),
        ),
        Condition::Sector(v) if v.is_empty() => err(
            empty_list("sector"),
            format!("name at least one of: {}", Sector::identifiers()),
        ),
        Condition::OfferKind(v) if v.is_empty() => err(
            empty_list("offer_kind"),
            format!("name at least one of: {}", OfferKind::identifiers()),
        ),
        Condition::OfferLevel(v) if v.is_empty() => err(
            empty_list("offer_level"),
            format!("name at least one of: {}", Level::identifiers()),
        ),
        Condition::Modality(v) if v.is_empty() => err(
            empty_list("modality"),
            format!("name at least one of: {}", Modality::identifiers()),
        ),
        Condition::Accreditation(v) if v.is_empty() => err(
            empty_list("accreditation"),
            format!("name at least one of: {}", Accreditation::identifiers()),
        ),
        Condition::Province(v) => check_places(
            v,
            &empty_list("province"),
            "province",
            ctx.regions.provinces(),
            &mut err,
        ),
        Condition::Region(v) => check_places(
            v,
            &empty_list("region"),
            "labour-market region",
            ctx.regions.regions(),
            &mut err,
        ),
        Condition::Municipality(v) => {
            let field = empty_list("municipality");
            if v.is_empty() {
                err(field.clone(), "name at least one municipality".into());
            }
            for (i, m) in v.iter().enumerate() {
                if ctx.regions.municipality(m).is_none() {
                    err(
                        format!("{field}[{i}]"),
                        format!("'{m}' is not a Dutch municipality name or CBS code (GM0000)"),
                    );
                }
            }
        }
        Condition::InsuredMonths {
            at_least,
            within_months,
        } => {
            let field = empty_list("insured_months");
            if *within_months == 0 || *within_months > 120 {
                err(field, "within_months must be between 1 and 120".into());
            } else if at_least > within_months {
                err(
                    field,
                    format!(
                        "at_least ({at_least}) cannot be more than the window of {within_months} months"
                    ),
                );
            }
        }
        Condition::NotUsedBefore {
            within_months: Some(0),
        } => err(
            empty_list("not_used_before"),
            "within_months must be at least 1 (leave it out for 'never before')".into(),
        ),
        Condition::Price {
            min_cents,
            max_cents,
        } => {
            let field = empty_list("price");
            match (min_cents, max_cents) {
                (None, None) => err(field, "give min_cents, max_cents or both".into()),
                (Some(lo), _) | (_, Some(lo)) if lo.is_negative() => {
                    err(field, "prices cannot be negative".into())
                }
                (Some(lo), Some(hi)) if lo > hi => {
                    err(field, format!("min_cents {lo} is above max_cents {hi}"))
                }
                _ => {}
            }
        }
        Condition::SkillsOnList { list, min } => {
            let field = empty_list("skills_on_list");
            if !ctx.skill_lists.has_list(list) {
                err(
                    field.clone(),
                    format!("there is no skill list called '{list}'"),
                );
            }
            if *min == 0 {
                err(field, "min must be at least 1".into());
            }
        }
        Condition::Skills { any_of, min } => {
            let field = empty_list("skills");
            if any_of.is_empty() || *min == 0 {
                err(
                    field.clone(),
                    "name at least one ESCO skill and a min of at least 1".into(),
                );
            }
            for (i, uri) in any_of.iter().enumerate() {
                if !uri.starts_with("http://data.europa.eu/esco/skill/")
                    || uri.chars().any(|c| c.is_control() || c.is_whitespace())
                {
                    err(
                        format!("{field}.any_of[{i}]"),
                        format!("'{uri}' is not an ESCO skill URI"),
                    );
                }
            }
        }
        _ => {}
    }
}

fn check_places(
    names: &[String],
    field: &str,
    what: &str,
    known: &[String],
    err: &mut impl FnMut(String, String),
) {
    if names.is_empty() {
        err(field.to_owned(), format!("name at least one {what}"));
    }
    for (i, name) in names.iter().enumerate() {
        if !known.iter().any(|k| k.eq_ignore_ascii_case(name)) {
            err(
                format!("{field}[{i}]"),
                format!("'{name}' is not a known {what}"),
            );
        }
    }
}
