//! Skills and occupations (ESCO): lookup, details, skill extraction and job-title matching.

use crate::api::problems::{
    InvalidFields, InvalidLang, MalformedJson, MalformedPathOrQuery, NotFound, NotJson,
    TooManyAnonymous,
};
use crate::error::{Problem, ProblemBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, ClientIp};
use crate::identity::Identity;
use crate::limits::ANONYMOUS_MAX_EXTRACT_CHARS;
use crate::state::AppState;
use crate::taxonomy::views::{self, Concept, Label};
use axum::Extension;
use axum::Json;
use axum::extract::State;
use leerpad_app::taxonomy::parse_language;
use leerpad_domain::taxonomy::lookup::{ConceptKind, MatchTier};
use leerpad_domain::taxonomy::{Taxonomy, Texts};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Longest text accepted for extraction (the body limit applies first).
const MAX_EXTRACT_CHARS: usize = 100_000;

fn lang_of(raw: Option<&str>) -> Result<&'static str, Problem> {
    parse_language(raw.unwrap_or("nl")).map_err(|e| Problem::validation("lang", e.to_string()))
}

/// A label with the language it is in; `fallback` is true when the asked language had none.
#[derive(Debug, Serialize, ToSchema)]
pub struct LabelDto {
    pub text: String,
    pub lang: String,
    pub fallback: bool,
}

impl From<Label> for LabelDto {
    fn from(l: Label) -> Self {
        LabelDto {
            text: l.text,
            lang: l.lang,
            fallback: l.fallback,
        }
    }
}

/// A skill or occupation in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConceptSummary {
    /// Leerpad's id: the last segment of the ESCO URI.
    pub id: String,
    pub uri: String,
    pub label: LabelDto,
}

impl From<Concept> for ConceptSummary {
    fn from(c: Concept) -> Self {
        ConceptSummary {
            id: c.id,
            uri: c.uri,
            label: c.label.into(),
        }
    }
}

pub(crate) fn summary(uri: &str, texts: &[Texts], lang: &str) -> ConceptSummary {
    views::concept(uri, texts, lang).into()
}

fn summaries(concepts: Vec<Concept>) -> Vec<ConceptSummary> {
    concepts.into_iter().map(ConceptSummary::from).collect()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupParams {
    /// What the person typed: a prefix, whole words, or a misspelling.
    q: String,
    /// `nl` (default) or `en`.
    lang: Option<String>,
    /// 1–50, default 10; anything else is refused with 422.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 50)]
    limit: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LookupItem {
    #[serde(flatten)]
    pub concept: ConceptSummary,
    /// The label that matched (may be a synonym or in the other language).
    pub matched_label: String,
    /// `exact`, `prefix`, `words` or `fuzzy`.
    #[schema(value_type = String)]
    pub r#match: MatchTier,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LookupResult {
    pub items: Vec<LookupItem>,
}

fn check_query(q: &str) -> Result<(), Problem> {
    if q.chars().count() > 200 {
        return Err(Problem::validation("q", "q: at most 200 characters"));
    }
    Ok(())
}

fn lookup(
    state: &AppState,
    p: &LookupParams,
    kind: ConceptKind,
) -> Result<Json<LookupResult>, Problem> {
    let lang = lang_of(p.lang.as_deref())?;
    check_query(&p.q)?;
    let tax = &state.taxonomy().taxonomy;
    let limit = crate::api::limit_param(p.limit.as_deref(), 10, 50)? as usize;
    let hits = match kind {
        ConceptKind::Skill => tax.lookup_skills(&p.q, lang, limit),
        ConceptKind::Occupation => tax.lookup_occupations(&p.q, lang, limit),
    };
    let items = hits
        .into_iter()
        .filter_map(|(id, hit)| {
            let (uri, texts) = match kind {
                ConceptKind::Skill => tax.skill(id).map(|s| (&s.uri, &s.texts))?,
                ConceptKind::Occupation => tax.occupation(id).map(|o| (&o.uri, &o.texts))?,
            };
            Some(LookupItem {
                concept: summary(uri, texts, lang),
                matched_label: hit.matched_label,
                r#match: hit.tier,
            })
        })
        .collect();
    Ok(Json(LookupResult { items }))
}

/// Skills by prefix, whole words or with typos, in Dutch and English.
#[utoipa::path(get, path = "/api/v1/skills", tag = "taxonomy", params(LookupParams),
    responses((status = 200, body = LookupResult),
              (status = 400, description = "Malformed query string (or q missing)", body = ProblemBody, content_type = "application/problem+json"),
              (status = 422, description = "Invalid q, lang or limit", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn lookup_skills(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<LookupParams>,
) -> Result<Json<LookupResult>, Problem> {
    lookup(&state, &p, ConceptKind::Skill)
}

/// Occupations by prefix, whole words or with typos, in Dutch and English.
#[utoipa::path(get, path = "/api/v1/occupations", tag = "taxonomy", params(LookupParams),
    responses((status = 200, body = LookupResult),
              (status = 400, description = "Malformed query string (or q missing)", body = ProblemBody, content_type = "application/problem+json"),
              (status = 422, description = "Invalid q, lang or limit", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn lookup_occupations(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<LookupParams>,
) -> Result<Json<LookupResult>, Problem> {
    lookup(&state, &p, ConceptKind::Occupation)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangParam {
    lang: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillDetail {
    #[serde(flatten)]
    pub concept: ConceptSummary,
    pub alt_labels: Vec<String>,
    pub description: String,
    pub skill_type: String,
    pub reuse_level: String,
    /// ESCO collections: digital, green, language, transversal, research, digcomp.
    pub collections: Vec<String>,
    /// Skill groups (or broader skills) above it in ESCO's hierarchy.
    pub broader: Vec<ConceptSummary>,
    pub essential_for: Vec<ConceptSummary>,
    pub optional_for: Vec<ConceptSummary>,
    pub related_skills: Vec<ConceptSummary>,
}

/// One skill with its place in ESCO and the occupations that ask for it.
#[utoipa::path(get, path = "/api/v1/skills/{id}", tag = "taxonomy", params(("id" = String, Path), LangParam),
    responses((status = 200, body = SkillDetail), MalformedPathOrQuery, NotFound, InvalidLang))]
pub async fn skill(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(p): ApiQuery<LangParam>,
) -> Result<Json<SkillDetail>, Problem> {
    let lang = lang_of(p.lang.as_deref())?;
    Ok(Json(skill_detail(&state.taxonomy().taxonomy, &id, lang)?))
}

pub(crate) fn skill_detail(tax: &Taxonomy, id: &str, lang: &str) -> Result<SkillDetail, Problem> {
    let view = views::skill_view(tax, id, lang)?;
    let (sid, s) = views::find_skill(tax, id)?;
    let related = tax
        .data()
        .skill_skill
        .iter()
        .filter(|r| r.from == sid)
        .filter_map(|r| views::skill_concept(tax, r.to, lang))
        .collect();
    Ok(SkillDetail {
        concept: view.about.concept.into(),
        alt_labels: view.about.alt_labels,
        description: view.about.description,
        skill_type: s.skill_type.clone(),
        reuse_level: s.reuse_level.clone(),
        collections: view.collections,
        broader: summaries(view.broader),
        essential_for: summaries(view.occupations.essential),
        optional_for: summaries(view.occupations.optional),
        related_skills: summaries(related),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OccupationDetail {
    #[serde(flatten)]
    pub concept: ConceptSummary,
    pub alt_labels: Vec<String>,
    pub description: String,
    /// ESCO code, e.g. `2512.4`.
    pub code: String,
    pub isco_group: Option<ConceptSummary>,
    pub broader: Option<ConceptSummary>,
    pub essential_skills: Vec<ConceptSummary>,
    pub optional_skills: Vec<ConceptSummary>,
}

/// One occupation with its ISCO group and its essential and optional skills.
#[utoipa::path(get, path = "/api/v1/occupations/{id}", tag = "taxonomy", params(("id" = String, Path), LangParam),
    responses((status = 200, body = OccupationDetail), MalformedPathOrQuery, NotFound, InvalidLang))]
pub async fn occupation(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(p): ApiQuery<LangParam>,
) -> Result<Json<OccupationDetail>, Problem> {
    let lang = lang_of(p.lang.as_deref())?;
    Ok(Json(occupation_detail(
        &state.taxonomy().taxonomy,
        &id,
        lang,
    )?))
}

pub(crate) fn occupation_detail(
    tax: &Taxonomy,
    id: &str,
    lang: &str,
) -> Result<OccupationDetail, Problem> {
    let view = views::occupation_view(tax, id, lang)?;
    let (_, o) = views::find_occupation(tax, id)?;
    Ok(OccupationDetail {
        concept: view.about.concept.into(),
        alt_labels: view.about.alt_labels,
        description: view.about.description,
        code: o.code.clone(),
        isco_group: view.isco_group.map(ConceptSummary::from),
        broader: o
            .broader
            .and_then(|b| views::occupation_concept(tax, b, lang))
            .map(ConceptSummary::from),
        essential_skills: summaries(view.skills.essential),
        optional_skills: summaries(view.skills.optional),
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtractRequest {
    /// A CV, vacancy or course description: up to 100,000 characters when signed in, 10,000
    /// anonymously.
    pub text: String,
    /// `nl` (default) or `en`.
    #[serde(default)]
    pub lang: Option<String>,
    /// 1–50, default 10.
    #[serde(default)]
    pub top: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExtractedSkillDto {
    #[serde(flatten)]
    pub concept: ConceptSummary,
    pub score: f32,
    /// The sentence the skill was found in.
    pub evidence: String,
    /// The skill label found in it, if a label matched.
    pub matched_label: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExtractResult {
    pub skills: Vec<ExtractedSkillDto>,
    /// `lexical` or `lexical+semantic`.
    pub method: String,
}

/// Skills in a free text, ranked, each with its evidence. Nothing is stored.
#[utoipa::path(post, path = "/api/v1/skills/extract", tag = "taxonomy", request_body = ExtractRequest,
    responses((status = 200, body = ExtractResult), MalformedJson, NotJson, InvalidFields, TooManyAnonymous))]
pub async fn extract(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Extension(identity): Extension<Identity>,
    ApiJson(req): ApiJson<ExtractRequest>,
) -> Result<Json<ExtractResult>, Problem> {
    let lang = lang_of(req.lang.as_deref())?;
    let anonymous = identity.principal.is_none();
    if anonymous {
        state.heavy_work().check(&ip)?;
    }
    let max_chars = if anonymous {
        ANONYMOUS_MAX_EXTRACT_CHARS
    } else {
        MAX_EXTRACT_CHARS
    };
    if req.text.chars().count() > max_chars {
        let hint = if anonymous {
            " (sign in for up to 100000)"
        } else {
            ""
        };
        return Err(Problem::validation(
            "text",
            format!("text: at most {max_chars} characters{hint}"),
        ));
    }
    let top = req.top.unwrap_or(10).clamp(1, 50) as usize;
    let service = state.taxonomy();
    let text = req.text;
    let found = {
        let svc = state.clone();
        tokio::task::spawn_blocking(move || svc.taxonomy().extract_skills(&text, lang, top))
            .await
            .map_err(|e| {
                Problem::from(leerpad_app::AppError::Internal(format!(
                    "extraction task: {e}"
                )))
            })?
    };
    let tax = &service.taxonomy;
    let skills = found
        .into_iter()
        .filter_map(|e| {
            let s = tax.skill(e.skill)?;
            Some(ExtractedSkillDto {
                concept: summary(&s.uri, &s.texts, lang),
                score: e.score,
                evidence: e.sentence,
                matched_label: e.matched_label,
            })
        })
        .collect();
    Ok(Json(ExtractResult {
        skills,
        method: service.extraction_method().to_owned(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchRequest {
    /// A job title as people write it ("verzorgende IG", "Marketing Advisor").
    pub title: String,
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub top: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchedOccupationDto {
    #[serde(flatten)]
    pub concept: ConceptSummary,
    pub score: f32,
    pub matched_label: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchResult {
    pub occupations: Vec<MatchedOccupationDto>,
}

/// ESCO occupations for a free job title, ranked.
#[utoipa::path(post, path = "/api/v1/occupations/match", tag = "taxonomy", request_body = MatchRequest,
    responses((status = 200, body = MatchResult), MalformedJson, NotJson, InvalidFields, TooManyAnonymous))]
pub async fn match_title(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Extension(identity): Extension<Identity>,
    ApiJson(req): ApiJson<MatchRequest>,
) -> Result<Json<MatchResult>, Problem> {
    let lang = lang_of(req.lang.as_deref())?;
    if identity.principal.is_none() {
        state.heavy_work().check(&ip)?;
    }
    if req.title.chars().count() > 300 {
        return Err(Problem::validation(
            "title",
            "title: at most 300 characters",
        ));
    }
    let top = req.top.unwrap_or(10).clamp(1, 50) as usize;
    let service = state.taxonomy();
    let tax = &service.taxonomy;
    let occupations = service
        .match_title(&req.title, lang, top)
        .into_iter()
        .filter_map(|m| {
            let o = tax.occupation(m.occupation)?;
            Some(MatchedOccupationDto {
                concept: summary(&o.uri, &o.texts, lang),
                score: m.score,
                matched_label: m.matched_label,
            })
        })
        .collect();
    Ok(Json(MatchResult { occupations }))
}

/// This feature's API routes with their OpenAPI description.
pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(lookup_skills))
        .routes(utoipa_axum::routes!(skill))
        .routes(utoipa_axum::routes!(extract))
        .routes(utoipa_axum::routes!(lookup_occupations))
        .routes(utoipa_axum::routes!(occupation))
        .routes(utoipa_axum::routes!(match_title))
}
