//! What the ESCO pages show (a concept's label, search results, one skill, one occupation) and
//! the functions that build it from the taxonomy; the JSON API builds its DTOs on these too.

use crate::error::Problem;
use axum::http::StatusCode;
use leerpad_domain::taxonomy::{
    ConceptRef, OccupationId, OccupationRecord, Relevance, SkillId, SkillRecord, Taxonomy, Texts,
    key_of, label_in, texts_in,
};

/// A label in the language asked for; `fallback` when only another language (`lang`) has one,
/// which the pages mark.
pub struct Label {
    pub text: String,
    pub lang: String,
    pub fallback: bool,
}

/// The preferred label in `lang`, or in the fallback language, marked as such.
pub(crate) fn label(texts: &[Texts], lang: &str) -> Label {
    let l = label_in(texts, lang);
    Label {
        text: l.text.to_owned(),
        lang: l.lang.to_owned(),
        fallback: l.fallback,
    }
}

/// The preferred label's text alone, for places that only name a concept.
pub(crate) fn label_text(texts: &[Texts], lang: &str) -> String {
    label_in(texts, lang).text.to_owned()
}

/// A skill or occupation to name and link to: `id` is the last segment of its ESCO `uri`.
pub struct Concept {
    pub id: String,
    pub uri: String,
    pub label: Label,
}

pub(crate) fn concept(uri: &str, texts: &[Texts], lang: &str) -> Concept {
    Concept {
        id: key_of(uri).to_owned(),
        uri: uri.to_owned(),
        label: label(texts, lang),
    }
}

pub(crate) fn skill_concept(tax: &Taxonomy, id: SkillId, lang: &str) -> Option<Concept> {
    tax.skill(id).map(|s| concept(&s.uri, &s.texts, lang))
}

pub(crate) fn occupation_concept(tax: &Taxonomy, id: OccupationId, lang: &str) -> Option<Concept> {
    tax.occupation(id).map(|o| concept(&o.uri, &o.texts, lang))
}

/// Occupations (or skills) whose labels match what was typed, best first.
pub(crate) fn search(tax: &Taxonomy, query: &str, lang: &str, occupations: bool) -> Vec<Concept> {
    if occupations {
        tax.lookup_occupations(query, lang, 25)
            .into_iter()
            .filter_map(|(id, _)| occupation_concept(tax, id, lang))
            .collect()
    } else {
        tax.lookup_skills(query, lang, 25)
            .into_iter()
            .filter_map(|(id, _)| skill_concept(tax, id, lang))
            .collect()
    }
}

/// A concept by its id (last URI segment) or URI: `key` finds its position and `record` reads
/// it; 404 naming the `kind` when either finds nothing.
fn find<I: Copy, R>(
    kind: &str,
    id: &str,
    key: impl FnOnce(&str) -> Option<I>,
    record: impl FnOnce(I) -> Option<R>,
) -> Result<(I, R), Problem> {
    key(id).and_then(|i| Some((i, record(i)?))).ok_or_else(|| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("no {kind} with id '{id}'"),
        )
    })
}

/// The skill with this id (last URI segment) or URI, or 404.
pub(crate) fn find_skill<'t>(
    tax: &'t Taxonomy,
    id: &str,
) -> Result<(SkillId, &'t SkillRecord), Problem> {
    find("skill", id, |k| tax.skill_id(k), |i| tax.skill(i))
}

/// The occupation with this id (last URI segment) or URI, or 404.
pub(crate) fn find_occupation<'t>(
    tax: &'t Taxonomy,
    id: &str,
) -> Result<(OccupationId, &'t OccupationRecord), Problem> {
    find(
        "occupation",
        id,
        |k| tax.occupation_id(k),
        |i| tax.occupation(i),
    )
}

/// What a concept's page opens with: the concept, its other names and its description.
pub struct Described {
    pub concept: Concept,
    pub alt_labels: Vec<String>,
    pub description: String,
}

/// The concept with its other names and description in `lang` (with the label's fallback;
/// empty when ESCO has none).
fn described(uri: &str, texts: &[Texts], lang: &str) -> Described {
    let (alt_labels, description) = texts_in(texts, lang)
        .map(|(t, _)| (t.alt.clone(), t.description.clone()))
        .unwrap_or_default();
    Described {
        concept: concept(uri, texts, lang),
        alt_labels,
        description,
    }
}

/// Concepts linked to another, essential and optional ones apart, in ESCO's order.
pub struct Linked {
    pub essential: Vec<Concept>,
    pub optional: Vec<Concept>,
}

fn linked<T: Copy>(links: &[(T, Relevance)], name: impl Fn(T) -> Option<Concept>) -> Linked {
    let of = |rel: Relevance| -> Vec<Concept> {
        links
            .iter()
            .filter(|(_, r)| *r == rel)
            .filter_map(|(id, _)| name(*id))
            .collect()
    };
    Linked {
        essential: of(Relevance::Essential),
        optional: of(Relevance::Optional),
    }
}

fn broader(tax: &Taxonomy, r: &ConceptRef, lang: &str) -> Option<Concept> {
    match r {
        ConceptRef::Skill(s) => skill_concept(tax, *s, lang),
        ConceptRef::SkillGroup(g) => tax.skill_group(*g).map(|g| concept(&g.uri, &g.texts, lang)),
    }
}

/// One skill: what it is, its ESCO collections (digital, green, language, transversal,
/// research, digcomp), the skill groups (or skills) above it and the occupations that ask
/// for it.
pub struct SkillView {
    pub about: Described,
    pub collections: Vec<String>,
    pub broader: Vec<Concept>,
    pub occupations: Linked,
}

pub(crate) fn skill_view(tax: &Taxonomy, id: &str, lang: &str) -> Result<SkillView, Problem> {
    let (sid, s) = find_skill(tax, id)?;
    Ok(SkillView {
        about: described(&s.uri, &s.texts, lang),
        collections: tax
            .collections_of(sid)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        broader: tax
            .broader_of(sid)
            .iter()
            .filter_map(|b| broader(tax, b, lang))
            .collect(),
        occupations: linked(tax.occupations_with(sid), |o| {
            occupation_concept(tax, o, lang)
        }),
    })
}

/// One occupation with its ISCO group and its skills.
pub struct OccupationView {
    pub about: Described,
    pub isco_group: Option<Concept>,
    pub skills: Linked,
}

pub(crate) fn occupation_view(
    tax: &Taxonomy,
    id: &str,
    lang: &str,
) -> Result<OccupationView, Problem> {
    let (oid, o) = find_occupation(tax, id)?;
    Ok(OccupationView {
        about: described(&o.uri, &o.texts, lang),
        isco_group: tax
            .isco_group(&o.isco_code)
            .map(|g| concept(&g.uri, &g.texts, lang)),
        skills: linked(tax.skills_of(oid), |s| skill_concept(tax, s, lang)),
    })
}
