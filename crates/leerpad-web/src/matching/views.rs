//! What the matching pages show (the skills profile, occupations within reach, one occupation's
//! gap and plan) and the functions that build it from the matching results; the JSON API calls
//! the helpers here where it needs the same choices or the same words.

use crate::explain;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::taxonomy::views::label_text;
use leerpad_app::matching::Matching;
use leerpad_app::matching::{Matches, PlanOutcome, Suggestions};
use leerpad_domain::catalogue::Offer;
use leerpad_domain::financing::{AppliedScheme, EducationLevel};
use leerpad_domain::matching::{
    Direction, GapGroup, LearnerProfile, OccupationDemand, OccupationMatch, PlanItem,
    ProfileOccupation, ProfileSkill, SkillGap, SkillOrigin, TravelRange,
};
use leerpad_domain::regions::Municipality;
use leerpad_domain::shared::Money;
use leerpad_domain::shared::OfferId;
use leerpad_domain::taxonomy::{
    OccupationRecord, SkillId, SkillRecord, Taxonomy, key_of, label_in,
};

/// Most missing essential skills named per occupation within reach.
pub(crate) const MISSING_SHOWN: usize = 10;

/// The profile's skills and occupations that ESCO knows, each with its record, in the
/// profile's order; the others are left out.
pub(crate) struct Known<'a> {
    pub skills: Vec<(&'a ProfileSkill, &'a SkillRecord)>,
    pub occupations: Vec<(&'a ProfileOccupation, &'a OccupationRecord)>,
}

pub(crate) fn known<'a>(t: &'a Taxonomy, p: &'a LearnerProfile) -> Known<'a> {
    Known {
        skills: p
            .skills
            .iter()
            .filter_map(|s| Some((s, t.skill_id(&s.uri).and_then(|id| t.skill(id))?)))
            .collect(),
        occupations: p
            .occupations
            .iter()
            .filter_map(|o| Some((o, t.occupation_id(&o.uri).and_then(|id| t.occupation(id))?)))
            .collect(),
    }
}

/// The municipality the person lives in, when given and known.
pub(crate) fn home<'a>(state: &'a AppState, p: &LearnerProfile) -> Option<&'a Municipality> {
    p.municipality
        .as_deref()
        .and_then(|m| state.matching().regions().municipality(m))
}

/// The skills ESCO knows, in words of the page's language: each skill with a label in that
/// language by its label, in order; the others (ESCO has many skills only in English) by their
/// skill group, once per group: "vaardigheden in verkopen en promoten (3)".
fn skill_words(m: &Matching, skills: &[SkillId], lang: Lang) -> Vec<String> {
    let t = &m.taxonomy().taxonomy;
    let code = lang.code();
    let mut words = Vec::new();
    let mut by_group: Vec<(String, usize)> = Vec::new();
    for s in skills {
        let Some(rec) = t.skill(*s) else { continue };
        let label = label_in(&rec.texts, code);
        if !label.fallback {
            words.push(label.text.to_owned());
            continue;
        }
        let group = group_name(m, *s, lang);
        match by_group.iter_mut().find(|(g, _)| *g == group) {
            Some((_, n)) => *n += 1,
            None => by_group.push((group, 1)),
        }
    }
    words.extend(by_group.into_iter().map(|(group, n)| {
        lang.t_args(
            "skills-in-group",
            &[("group", group), ("count", n.to_string())],
        )
    }));
    words
}

/// The name of a skill's ESCO skill group in the page's language ("overige vaardigheden" when
/// it has none).
fn group_name(m: &Matching, skill: SkillId, lang: Lang) -> String {
    let t = &m.taxonomy().taxonomy;
    m.skill_group(skill)
        .and_then(|g| t.skill_group(g))
        .map(|r| label_in(&r.texts, lang.code()))
        .filter(|l| !l.fallback)
        .map_or_else(|| lang.t("skills-other-group"), |l| l.text.to_owned())
}

/// Labels of skills in the page's language, and (separately) the English labels of those ESCO
/// has only in English, to show as a marked detail.
fn split_by_language(t: &Taxonomy, skills: &[SkillId], code: &str) -> (Vec<String>, Vec<String>) {
    let mut own = Vec::new();
    let mut other = Vec::new();
    for rec in skills.iter().filter_map(|s| t.skill(*s)) {
        let label = label_in(&rec.texts, code);
        if label.fallback {
            other.push(label.text.to_owned());
        } else {
            own.push(label.text.to_owned());
        }
    }
    (own, other)
}

/// How many of the skills ESCO knows.
fn known_count(t: &Taxonomy, skills: &[SkillId]) -> usize {
    skills.iter().filter(|s| t.skill(**s).is_some()).count()
}

/// A skill to show with its URI (what the forms post). `lang` is set when the label is in
/// another language than the page's (ESCO has many skills only in English), and `group` then
/// names it in the page's language through its skill group.
pub struct SkillItem {
    pub uri: String,
    pub label: String,
    pub lang: Option<String>,
    pub group: Option<String>,
}

fn skill_item(m: &Matching, s: &SkillRecord, lang: Lang) -> SkillItem {
    let label = label_in(&s.texts, lang.code());
    let t = &m.taxonomy().taxonomy;
    let other = label.fallback.then(|| label.lang.to_owned());
    SkillItem {
        uri: s.uri.clone(),
        label: label.text.to_owned(),
        group: other
            .is_some()
            .then(|| t.skill_id(&s.uri).map(|id| group_name(m, id, lang)))
            .flatten(),
        lang: other,
    }
}

/// Skills whose labels match what was typed, to add (none for an empty query).
pub(crate) fn found_skills(m: &Matching, query: &str, lang: Lang) -> Vec<SkillItem> {
    let t = &m.taxonomy().taxonomy;
    let query = query.trim();
    if query.is_empty() {
        return Vec::new();
    }
    t.lookup_skills(query, lang.code(), 10)
        .into_iter()
        .filter_map(|(id, _)| t.skill(id).map(|s| skill_item(m, s, lang)))
        .collect()
}

/// A skill found in pasted text, offered for review.
pub struct Suggestion {
    pub skill: SkillItem,
    /// The sentence it was found in.
    pub evidence: String,
    /// The language the person wrote that sentence in, when it can be told.
    pub evidence_lang: Option<&'static str>,
    pub checked: bool,
}

/// The skills found in CV text, the likelier ones ticked.
pub(crate) fn suggestions(m: &Matching, found: &Suggestions, lang: Lang) -> Vec<Suggestion> {
    let t = &m.taxonomy().taxonomy;
    found
        .skills
        .iter()
        .filter_map(|s| {
            Some(Suggestion {
                skill: skill_item(m, t.skill(s.skill)?, lang),
                evidence: s.sentence.clone(),
                evidence_lang: leerpad_domain::shared::text::guess_language(&s.sentence),
                checked: s.score >= 0.5,
            })
        })
        .collect()
}

/// An option of a select list.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn choices<T: Copy + std::fmt::Display>(
    lang: Lang,
    all: &[T],
    prefix: &str,
    current: Option<String>,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice {
            value: v.to_string(),
            label: lang.t(&format!("{prefix}-{v}")),
            selected: current.as_deref() == Some(&v.to_string()),
        })
        .collect()
}

/// A past or current job: its ESCO occupation and the title as entered.
pub struct ProfileJob {
    pub id: String,
    pub label: String,
    pub title: String,
}

/// The profile's skills that came one way (picked, with a job, from the CV).
pub struct OriginSkills {
    pub heading: String,
    pub skills: Vec<SkillItem>,
}

/// The situation form as saved: education, home, travel, time and budget (whole euros).
pub struct SituationView {
    pub educations: Vec<Choice>,
    pub travels: Vec<Choice>,
    pub municipality: String,
    pub hours: String,
    pub budget: String,
}

/// The learner's profile as the page shows it; origins without skills are left out.
pub struct ProfileView {
    pub occupations: Vec<ProfileJob>,
    pub skill_count: usize,
    pub by_origin: Vec<OriginSkills>,
    pub situation: SituationView,
}

pub(crate) fn profile_view(state: &AppState, p: &LearnerProfile, lang: Lang) -> ProfileView {
    let t = &state.matching().taxonomy().taxonomy;
    let code = lang.code();
    let known = known(t, p);
    let by_origin = SkillOrigin::ALL
        .iter()
        .filter_map(|origin| {
            let list: Vec<SkillItem> = known
                .skills
                .iter()
                .filter(|(s, _)| s.origin == *origin)
                .map(|(_, rec)| skill_item(state.matching(), rec, lang))
                .collect();
            (!list.is_empty()).then(|| OriginSkills {
                heading: lang.t(&format!("profile-origin-{origin}")),
                skills: list,
            })
        })
        .collect();
    let situation = SituationView {
        educations: choices(
            lang,
            EducationLevel::ALL,
            "education",
            p.education.map(|e| e.to_string()),
        ),
        travels: choices(
            lang,
            TravelRange::ALL,
            "travel",
            p.travel.map(|t| t.to_string()),
        ),
        municipality: home(state, p).map(|m| m.name.clone()).unwrap_or_default(),
        hours: p.hours_per_week.map(|h| h.to_string()).unwrap_or_default(),
        budget: p
            .budget_cents
            .map(|b| (b.cents() / 100).to_string())
            .unwrap_or_default(),
    };
    ProfileView {
        occupations: known
            .occupations
            .iter()
            .map(|(o, rec)| ProfileJob {
                id: key_of(&rec.uri).to_owned(),
                label: label_text(&rec.texts, code),
                title: o.title.clone(),
            })
            .collect(),
        skill_count: known.skills.len(),
        by_origin,
        situation,
    }
}

/// A match score as shown and sent: four decimals.
pub(crate) fn rounded_score(score: f64) -> f64 {
    (score * 10_000.0).round() / 10_000.0
}

/// The missing essential skills named for a match: the first [`MISSING_SHOWN`].
pub(crate) fn shown_missing(x: &OccupationMatch) -> &[SkillId] {
    &x.missing_essential[..x.missing_essential.len().min(MISSING_SHOWN)]
}

/// `growing`, `stable` or `shrinking`.
pub(crate) fn direction_name(d: Direction) -> String {
    match d {
        Direction::Growing => "growing",
        Direction::Stable => "stable",
        Direction::Shrinking => "shrinking",
    }
    .to_owned()
}

/// Where demand for an occupation is going, when its trend is known.
pub(crate) fn trend_direction(d: &OccupationDemand) -> Option<String> {
    d.trend_percent.map(|t| direction_name(Direction::of(t)))
}

/// What to do when there is nothing to match.
pub(crate) fn matches_notice(m: &Matches, lang: Lang) -> Option<String> {
    m.empty_profile.then(|| lang.t("matches-empty-profile"))
}

/// Demand for an occupation where the person lives (`area` is empty for national figures).
pub struct DemandView {
    pub vacancies: Option<u32>,
    pub job_seekers: Option<u32>,
    pub direction: Option<String>,
    pub area: String,
}

/// One occupation within reach: `bar` is its score in percent of the best (1–100); `have`
/// and `missing` say in words which essential skills the person has and lacks.
pub struct MatchView {
    pub occupation: OccupationLink,
    pub bar: u32,
    pub missing: Option<String>,
    pub have: String,
    pub growth_move: bool,
    pub demand: Option<DemandView>,
}

/// An occupation to link to.
pub struct OccupationLink {
    pub id: String,
    pub label: String,
}

/// Occupations whose names or synonyms match what was typed (Dutch or English), as goals to
/// choose from; none for an empty query.
pub(crate) fn found_occupations(m: &Matching, query: &str, lang: Lang) -> Vec<OccupationLink> {
    let query = query.trim();
    if query.is_empty() {
        return Vec::new();
    }
    let t = &m.taxonomy().taxonomy;
    let code = lang.code();
    let mut found: Vec<OccupationLink> = Vec::new();
    // The page's language first, then the other, so a synonym in either finds the occupation.
    for l in [code, if code == "nl" { "en" } else { "nl" }] {
        for (id, _) in t.lookup_occupations(query, l, 10) {
            let Some(o) = t.occupation(id) else { continue };
            let id = key_of(&o.uri).to_owned();
            if found.len() < 10 && !found.iter().any(|f| f.id == id) {
                found.push(OccupationLink {
                    id,
                    label: label_text(&o.texts, code),
                });
            }
        }
    }
    found
}

/// "You still miss: a, b, c …", naming the first [`MISSING_SHOWN`]; `None` when nothing is.
fn missing_sentence(m: &Matching, x: &OccupationMatch, lang: Lang) -> Option<String> {
    if x.missing_essential.is_empty() {
        return None;
    }
    let shown = skill_words(m, shown_missing(x), lang);
    let more = if x.missing_essential.len() > shown_missing(x).len() {
        " …"
    } else {
        ""
    };
    Some(format!(
        "{}: {}{more}",
        lang.t("chances-missing"),
        shown.join(", ")
    ))
}

/// Occupations within reach, or what to do when there are none.
pub struct MatchesView {
    pub items: Vec<MatchView>,
    pub region: Option<String>,
    /// The address of the person's labour-market region's page.
    pub region_slug: Option<String>,
    pub notice: Option<String>,
}

pub(crate) fn matches_view(state: &AppState, m: &Matches, lang: Lang) -> MatchesView {
    let t = &state.matching().taxonomy().taxonomy;
    let found: Vec<(&OccupationMatch, &OccupationRecord)> = m
        .items
        .iter()
        .filter_map(|x| Some((x, t.occupation(x.occupation)?)))
        .collect();
    let best = found
        .first()
        .map_or(1.0, |(x, _)| rounded_score(x.score))
        .max(1e-9);
    let items = found
        .into_iter()
        .map(|(x, o)| MatchView {
            occupation: OccupationLink {
                id: key_of(&o.uri).to_owned(),
                label: label_text(&o.texts, lang.code()),
            },
            bar: ((rounded_score(x.score) / best) * 100.0)
                .round()
                .clamp(1.0, 100.0) as u32,
            have: lang.t_args(
                "chances-have",
                &[
                    ("had", x.essential_had.to_string()),
                    ("total", x.essential_total.to_string()),
                ],
            ),
            missing: missing_sentence(state.matching(), x, lang),
            demand: x.demand.as_ref().map(|d| DemandView {
                area: d.area.name().to_owned(),
                vacancies: d.vacancies,
                job_seekers: d.job_seekers,
                direction: trend_direction(d),
            }),
            growth_move: x.growth_move,
        })
        .collect();
    let region_slug = m.region.as_ref().and_then(|name| {
        state
            .matching()
            .regions()
            .areas()
            .iter()
            .find(|a| a.kind == leerpad_domain::regions::AreaKind::LabourMarket && a.name == *name)
            .map(|a| a.slug.clone())
    });
    MatchesView {
        items,
        region: m.region.clone(),
        region_slug,
        notice: matches_notice(m, lang),
    }
}

/// Missing skills of one ESCO skill group (`None`: outside the hierarchy). Skills ESCO has
/// only in another language are counted under the group and listed apart, marked with
/// `other_lang`.
pub struct GapGroupView {
    pub group: Option<String>,
    pub missing_essential: Vec<String>,
    pub missing_optional: Vec<String>,
    pub other_lang: String,
    pub in_other_lang: Vec<String>,
}

/// What the person has and lacks of one occupation's skills; `summary` counts it in words.
pub struct GapView {
    pub occupation: String,
    pub summary: String,
    pub groups: Vec<GapGroupView>,
}

pub(crate) fn gap_view(state: &AppState, gap: &SkillGap, lang: Lang) -> GapView {
    let code = lang.code();
    let t = &state.matching().taxonomy().taxonomy;
    GapView {
        occupation: t
            .occupation(gap.occupation)
            .map(|o| label_text(&o.texts, code))
            .unwrap_or_default(),
        summary: lang.t_args(
            "chance-summary",
            &[
                ("had", known_count(t, &gap.have_essential).to_string()),
                ("missing", gap.missing_essential.len().to_string()),
            ],
        ),
        groups: gap.groups.iter().map(|g| group(t, g, code)).collect(),
    }
}

fn group(t: &Taxonomy, g: &GapGroup, code: &str) -> GapGroupView {
    let essential = split_by_language(t, &g.missing_essential, code);
    let optional = split_by_language(t, &g.missing_optional, code);
    GapGroupView {
        group: g
            .group
            .and_then(|i| t.skill_group(i))
            .map(|r| label_text(&r.texts, code)),
        missing_essential: essential.0,
        missing_optional: optional.0,
        other_lang: if code == "en" { "nl" } else { "en" }.to_owned(),
        in_other_lang: essential.1.into_iter().chain(optional.1).collect(),
    }
}

/// An offer to link to.
pub struct OfferLink {
    pub title: String,
    pub url: String,
}

/// An offer's title in `code` and its page.
pub(crate) fn offer_link(o: &Offer, code: &str) -> OfferLink {
    OfferLink {
        title: o.content.title.get(code).to_owned(),
        url: format!("/opleidingen/{}", o.id),
    }
}

/// The schemes that pay part of a plan offer, in stacking order.
pub(crate) fn applied(out: &PlanOutcome, offer_id: OfferId) -> &[AppliedScheme] {
    out.financing
        .get(&offer_id)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// A scheme's name in `code`, or its slug when the outcome lacks it.
pub(crate) fn scheme_title(out: &PlanOutcome, slug: &str, code: &str) -> String {
    out.scheme_names
        .get(slug)
        .map(|n| n.get(code).to_owned())
        .unwrap_or_else(|| slug.to_owned())
}

/// Why the plan names this offer, in words.
pub(crate) fn explanation(m: &Matching, out: &PlanOutcome, i: &PlanItem, lang: Lang) -> String {
    let t = &m.taxonomy().taxonomy;
    let code = lang.code();
    explain::plan_item(
        lang,
        &explain::PlanItemFacts {
            essential_labels: skill_words(m, &i.covers_essential, lang),
            essential_count: known_count(t, &i.covers_essential),
            optional_count: known_count(t, &i.covers_optional),
            essential_missing: out.plan.essential_total,
            net_cents: i.net_cents,
            gross_cents: i.gross_cents,
            schemes: applied(out, i.offer_id)
                .iter()
                .map(|a| scheme_title(out, &a.scheme, code))
                .collect(),
            fit: &i.fit,
        },
    )
}

/// Why there is no plan: no gap to close, or no offer that fits.
pub(crate) fn plan_notice(out: &PlanOutcome, lang: Lang) -> Option<String> {
    if out.gap.is_closed() {
        Some(lang.t("plan-no-gap"))
    } else if out.plan.items.is_empty() {
        Some(lang.t("plan-no-offers"))
    } else {
        None
    }
}

/// The share of the gap a plan covers as sent: three decimals.
pub(crate) fn rounded_coverage(coverage: f64) -> f64 {
    (coverage * 1000.0).round() / 1000.0
}

/// One offer of a plan, why it is there, and its price after financing (`reduced`: financing
/// pays part of it).
pub struct PlanItemView {
    pub offer: OfferLink,
    pub explanation: String,
    pub net: String,
    pub gross: String,
    pub reduced: bool,
    pub alternatives: Vec<OfferLink>,
}

/// The training plan for one occupation: `summary` says what it teaches and costs, `notice`
/// why there is none.
pub struct PlanView {
    pub items: Vec<PlanItemView>,
    pub summary: String,
    /// Share of the gap the plan covers, 0–100.
    pub coverage_percent: u32,
    pub uncovered_essential: Vec<String>,
    pub notice: Option<String>,
}

pub(crate) fn plan_view(state: &AppState, out: &PlanOutcome, lang: Lang) -> PlanView {
    let code = lang.code();
    let euros = |v: Money| v.format_euros(code);
    let link = |id: &OfferId| out.offers.get(id).map(|o| offer_link(o, code));
    let items = out
        .plan
        .items
        .iter()
        .filter_map(|i| {
            let gross = out.offers.get(&i.offer_id)?.content.gross_price_cents();
            Some(PlanItemView {
                offer: link(&i.offer_id)?,
                explanation: explanation(state.matching(), out, i, lang),
                net: euros(i.net_cents),
                gross: euros(gross),
                reduced: i.net_cents != gross,
                alternatives: i.alternatives.iter().filter_map(link).collect(),
            })
        })
        .collect();
    PlanView {
        items,
        summary: lang.t_args(
            "chance-plan-summary",
            &[
                ("covered", out.plan.essential_covered.to_string()),
                ("total", out.plan.essential_total.to_string()),
                ("net", euros(out.plan.net_total_cents)),
                ("gross", euros(out.plan.gross_total_cents)),
            ],
        ),
        coverage_percent: (rounded_coverage(out.plan.coverage) * 100.0)
            .round()
            .clamp(0.0, 100.0) as u32,
        uncovered_essential: skill_words(state.matching(), &out.plan.uncovered_essential, lang),
        notice: plan_notice(out, lang),
    }
}
