//! A programme manager opens a call on a page (`/beheer/nieuwe-oproep`): amounts in euros,
//! dates from date pickers, a share per level, and the criteria of a call decided by scoring
//! as lines of "name; weight". The rules are the domain's (`calls::validate_call`), shown at
//! their fields in the page's language.

use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::pages::{FieldErrors, PageCtx, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::error::AppError;
use leerpad_domain::calls::{
    CallDefinition, CallEligibility, Criterion, LevelShare, Oversubscription,
};
use leerpad_domain::catalogue::{Level, Modality};
use leerpad_domain::shared::{Localized, Money, iso_date_option};
use std::collections::HashMap;

/// The form's values by field name; checkboxes may repeat.
#[derive(Debug, Default)]
pub struct CallForm {
    values: HashMap<String, String>,
    modalities: Vec<String>,
}

impl CallForm {
    fn new() -> CallForm {
        let mut f = CallForm::default();
        for (k, v) in [("max_places", "300"), ("oversubscription", "lottery")] {
            f.values.insert(k.into(), v.into());
        }
        f.modalities.push("online".into());
        f
    }

    fn posted(pairs: Vec<(String, String)>) -> CallForm {
        let mut f = CallForm::default();
        for (k, v) in pairs {
            if k == "modalities" {
                f.modalities.push(v);
            } else {
                f.values.insert(k, v);
            }
        }
        f
    }

    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn share(&self, level: &str) -> &str {
        self.v(&format!("share_{level}"))
    }

    pub fn has_modality(&self, m: &str) -> bool {
        self.modalities.iter().any(|x| x == m)
    }

    /// The call the form describes, or the fields that cannot be read at all.
    fn definition(&self, page: &PageCtx) -> Result<CallDefinition, FieldErrors> {
        let mut errors = FieldErrors::default();
        let text = |k: &str| self.v(k).trim().to_owned();
        let euros = |k: &str, errors: &mut FieldErrors| match Money::parse_euros(self.v(k)) {
            Some(m) => m,
            None => {
                errors.add(k, page.t("portal-error-amount"));
                Money::ZERO
            }
        };
        let budget = euros("budget", &mut errors);
        let max_per_application = euros("max_per_application", &mut errors);
        let min_per_course = if text("min_per_course").is_empty() {
            Money::ZERO
        } else {
            euros("min_per_course", &mut errors)
        };
        let date = |k: &str, errors: &mut FieldErrors| {
            iso_date_option::parse(self.v(k).trim()).unwrap_or_else(|| {
                errors.add(k, page.t("calls-form-error-date"));
                time::Date::MIN
            })
        };
        let opens_on = date("opens_on", &mut errors);
        let closes_on = date("closes_on", &mut errors);
        let number = |k: &str, errors: &mut FieldErrors| -> Option<u32> {
            let t = self.v(k).trim();
            if t.is_empty() {
                return None;
            }
            t.parse().ok().or_else(|| {
                errors.add(k, page.t("calls-form-error-number"));
                None
            })
        };
        let max_places = number("max_places", &mut errors).unwrap_or(0);
        let max_study_hours = number("max_study_hours", &mut errors);
        let mut level_spread = Vec::new();
        for level in Level::ALL {
            let key = format!("share_{}", level.as_str());
            if let Some(p) = number(&key, &mut errors) {
                level_spread.push(LevelShare {
                    level: *level,
                    max_percent: u8::try_from(p).unwrap_or(0),
                });
            }
        }
        let mut criteria = Vec::new();
        for line in self
            .v("criteria")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            let parsed = line.rsplit_once(';').and_then(|(name, weight)| {
                let weight: u8 = weight
                    .trim()
                    .parse()
                    .ok()
                    .filter(|w| (1..=10).contains(w))?;
                let name = name.trim();
                (!name.is_empty()).then(|| Criterion {
                    name: Localized {
                        nl: name.to_owned(),
                        en: String::new(),
                    },
                    weight,
                })
            });
            match parsed {
                Some(c) => criteria.push(c),
                None => errors.add(
                    "criteria",
                    page.t_args("calls-form-error-criterion", &[("line", line.to_owned())]),
                ),
            }
        }
        let modalities = self
            .modalities
            .iter()
            .filter_map(|m| m.parse::<Modality>().ok())
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CallDefinition {
            title: Localized {
                nl: text("title"),
                en: text("title_en"),
            },
            description: Localized {
                nl: text("description"),
                en: String::new(),
            },
            budget_cents: budget,
            opens_on,
            closes_on,
            eligibility: CallEligibility {
                offer_kinds: Vec::new(),
                modalities,
                max_study_hours,
                labour_market_oriented: !self.v("labour_market_oriented").is_empty(),
            },
            max_per_application_cents: max_per_application,
            min_per_course_cents: min_per_course,
            max_places_per_course_per_year: max_places,
            level_spread,
            oversubscription: if self.v("oversubscription") == "scoring" {
                Oversubscription::Scoring
            } else {
                Oversubscription::Lottery
            },
            criteria,
            example: false,
        })
    }
}

/// The form's field for a field of the call's definition.
fn form_field(field: &str) -> String {
    match field {
        "budget_cents" => "budget",
        "max_per_application_cents" => "max_per_application",
        "min_per_course_cents" => "min_per_course",
        "max_places_per_course_per_year" => "max_places",
        "level_spread" => "share_mbo1",
        other => other,
    }
    .to_owned()
}

#[derive(Template)]
#[template(path = "calls/call_form.html")]
struct CallFormPage {
    page: PageCtx,
    form: CallForm,
    errors: FieldErrors,
    /// (value, label)
    levels: Vec<(String, String)>,
    modalities: Vec<(String, String)>,
}

fn form_page(page: PageCtx, form: CallForm, errors: FieldErrors) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let levels = Level::ALL
        .iter()
        .map(|l| (l.as_str().to_owned(), page.t(&format!("level-{l}"))))
        .collect();
    let modalities = Modality::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), page.t(&format!("modality-{m}"))))
        .collect();
    render(
        status,
        &CallFormPage {
            page,
            form,
            errors,
            levels,
            modalities,
        },
    )
}

/// GET /beheer/nieuwe-oproep
pub async fn new_call(page: PageCtx, _auth: Authz<perm::ManageProgrammes>) -> Response {
    form_page(page, CallForm::new(), FieldErrors::default())
}

/// POST /beheer/nieuwe-oproep
pub async fn create_call(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    let form = CallForm::posted(pairs);
    let definition = match form.definition(&page) {
        Ok(d) => d,
        Err(errors) => return Ok(form_page(page, form, errors)),
    };
    let slug = form.v("slug").trim().to_owned();
    match state
        .calls()
        .create_call(&auth.principal, &slug, &definition)
        .await
    {
        Ok(call) => Ok(Redirect::to(&format!("/oproepen/{}", call.slug)).into_response()),
        Err(AppError::InvalidFields(list)) => {
            let errors = FieldErrors::of(page.lang, &list, form_field);
            Ok(form_page(page, form, errors))
        }
        Err(AppError::Conflict(_)) => {
            let mut errors = FieldErrors::default();
            errors.add("slug", page.t("calls-form-error-slug-taken"));
            Ok(form_page(page, form, errors))
        }
        Err(e) => Err(e.into()),
    }
}
