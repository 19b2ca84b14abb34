//! EDU-DEX program JSON (Data API 1.0, `program` objects: program → programRun → cost), the
//! exchange format of Dutch training providers. A file holds one program, an array of
//! programs, or `{"programs": [...]}`.
//!
//! How EDU-DEX maps onto Leerpad's offer:
//! - `programClassification.programId` → `provider_offer_id`; names, summaries and
//!   descriptions (`programDescriptions.*Text`) → texts in nl and en;
//! - kind from `creboRegistration.learningPath` (BBL/BOL), `programType` (exam, mbo module →
//!   deelcertificaat with a crebo code), `programLevel` (higher education), else a course, or a
//!   micro-learning when it takes at most 4 hours;
//! - level from `programLevel`, NLQF from `nlqfRegistration`, crebo and croho codes;
//! - modality from `programBasicProfile.location` / `fullyOnline`, schedule from
//!   `programBasicProfile.schedule`;
//! - runs from `programSchedule.programRun` (dates, `location.city` as municipality, status,
//!   application deadline); cost lines from the first run that has them, else the generic run
//!   (amounts are euro strings, `VATPercentage`, `isRequiredCost`);
//! - study load from `programCurriculum.studyLoad.program` (hours), else the duration's hours;
//!   languages from `instructionLanguage`; credential from `degree`; `inPublication: false`
//!   makes a draft. EDU-DEX has no ESCO skills: Leerpad extracts them from the texts.

use super::{ReadError, Row, field_error, strip_bom};
use leerpad_domain::catalogue::{CostInput, LocalizedInput, OfferInput, ProviderInput, RunInput};
use leerpad_domain::shared::{FieldError, Money};
use serde_json::Value;

fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, key| v.get(key))
}

fn text(v: &Value, path: &str) -> Option<String> {
    at(v, path)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn localized(v: &Value, path: &str) -> LocalizedInput {
    LocalizedInput {
        nl: text(v, &format!("{path}.nl")),
        en: text(v, &format!("{path}.en")),
    }
}

fn array<'a>(v: &'a Value, path: &str) -> &'a [Value] {
    at(v, path)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn level_of(program_level: &str) -> Option<&'static str> {
    let l = program_level.to_ascii_lowercase();
    if let Some(n) = l.strip_prefix("mbo niveau ") {
        return match n.trim() {
            "1" => Some("mbo1"),
            "2" => Some("mbo2"),
            "3" => Some("mbo3"),
            "4" => Some("mbo4"),
            _ => None,
        };
    }
    match l.as_str() {
        "hbo" | "bachelor" | "associate" | "post-hbo" | "propedeuse" => Some("hbo"),
        "wo" | "academic bachelor" | "academic master" | "master" | "phd" | "post-academic" => {
            Some("wo")
        }
        _ => None,
    }
}

fn credential_of(degree: &str, level: Option<&str>) -> &'static str {
    let d = degree.to_ascii_lowercase();
    if d.starts_with("mbo niveau") {
        return "mbo_diploma";
    }
    match d.as_str() {
        "" | "none" => "none",
        "certificate" | "certificate on request" => "certificate",
        "certificate of participation" | "testimonial" => "participation",
        "module certificate" => "deelcertificaat",
        "diploma" => match level {
            Some("hbo") => "hbo_diploma",
            Some("wo") => "wo_diploma",
            _ => "mbo_diploma",
        },
        "m" => "wo_diploma",
        _ if d.starts_with("ad") || d == "b" => "hbo_diploma",
        _ => "certificate",
    }
}

fn cost_kind(cost_type: &str) -> &'static str {
    match cost_type {
        "tuition fee" => "tuition",
        "examination" => "exam",
        "study material" => "materials",
        "registration fee" => "registration",
        _ => "other",
    }
}

fn costs_of(list: &[Value], prefix: &str, errors: &mut Vec<FieldError>) -> Vec<CostInput> {
    let mut out = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let amount = text(c, "amount").unwrap_or_default();
        let Some(cents) = Money::parse_euros(&amount) else {
            errors.push(field_error(
                format!("{prefix}[{i}].amount"),
                format!("'{amount}' is not an amount like 123.45"),
            ));
            continue;
        };
        out.push(CostInput {
            kind: cost_kind(&text(c, "costType").unwrap_or_default()).to_owned(),
            amount_cents: cents,
            vat_percent: c.get("VATPercentage").and_then(Value::as_i64),
            required: c.get("isRequiredCost").and_then(Value::as_bool),
        });
    }
    out
}

/// Map one program; errors name EDU-DEX paths.
pub fn program_to_offer(
    p: &Value,
    provider: Option<&ProviderInput>,
) -> Result<OfferInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    if !p.is_object() {
        return Err(vec![field_error("", "a program must be a JSON object")]);
    }
    let id = text(p, "programClassification.programId");
    if id.is_none() {
        errors.push(field_error("programClassification.programId", "required"));
    }
    let program_level = text(p, "programClassification.programLevel").unwrap_or_default();
    let level = level_of(&program_level);
    let program_type = text(p, "programClassification.programType").unwrap_or_default();
    let crebo = text(p, "programClassification.creboCode").or_else(|| {
        array(p, "programExternalAcknowledgements.creboRegistration")
            .first()
            .and_then(|c| text(c, "creboCode"))
    });
    let learning_path = array(p, "programExternalAcknowledgements.creboRegistration")
        .iter()
        .find_map(|c| text(c, "learningPath"));
    let duration_hours =
        at(p, "programClassification.programDuration.hours").and_then(Value::as_i64);
    let study_load = at(p, "programCurriculum.studyLoad.program")
        .and_then(Value::as_i64)
        .or(duration_hours.filter(|h| *h > 0));
    let kind = match (learning_path.as_deref(), program_type.as_str(), level) {
        (Some("BBL"), _, _) => "bbl",
        (Some("BOL"), _, _) => "bol",
        (_, "exam", _) => "exam",
        (_, "mbo module", _) if crebo.is_some() => "deelcertificaat",
        (_, "mbo module", _) => "module",
        (_, _, Some("hbo" | "wo")) => "hbo_wo_course",
        _ if study_load.is_some_and(|h| h <= 4) => "micro_learning",
        _ => "course",
    };
    let location = text(p, "programBasicProfile.location").unwrap_or_default();
    let fully_online =
        at(p, "programClassification.fullyOnline").and_then(Value::as_bool) == Some(true);
    let modality = if fully_online || location == "fully online" {
        "online"
    } else if location == "blended" {
        "blended"
    } else {
        "on_site"
    };
    let schedule = match text(p, "programBasicProfile.schedule").as_deref() {
        Some("own pace") => Some("own_pace".to_owned()),
        Some(_) => Some("fixed_dates".to_owned()),
        None => None,
    };
    let nlqf = array(p, "programExternalAcknowledgements.nlqfRegistration")
        .first()
        .and_then(|n| text(n, "nlqfLevel"))
        .and_then(|l| l.trim_end_matches('+').parse::<i64>().ok());

    let runs_json = array(p, "programSchedule.programRun");
    let mut runs = Vec::new();
    let mut costs = Vec::new();
    for (i, r) in runs_json.iter().enumerate() {
        let status = text(r, "status").map(|s| {
            match s.as_str() {
                "application opened" => "open",
                "application closed" => "closed",
                "canceled" => "cancelled",
                other => other,
            }
            .to_owned()
        });
        runs.push(RunInput {
            id: text(r, "id"),
            start: text(r, "startDate.date"),
            end: text(r, "endDate.date"),
            municipality: text(r, "location.city"),
            status,
            application_deadline: text(r, "applicationDeadline"),
        });
        if costs.is_empty() {
            costs = costs_of(
                array(r, "cost"),
                &format!("programSchedule.programRun[{i}].cost"),
                &mut errors,
            );
        }
    }
    if costs.is_empty() {
        costs = costs_of(
            array(p, "programSchedule.genericProgramRun.cost"),
            "programSchedule.genericProgramRun.cost",
            &mut errors,
        );
    }
    let languages = array(p, "programCurriculum.instructionLanguage")
        .iter()
        .filter_map(|l| text(l, "languageCode"))
        .map(|l| l.chars().take(2).collect::<String>().to_ascii_lowercase())
        .collect();
    let degree = text(p, "programClassification.degree").unwrap_or_default();
    let industry = text(p, "programBasicProfile.mainExternalAcknowledgement").as_deref()
        == Some("industry certification");
    let credential = if industry && degree.is_empty() {
        "industry_certificate"
    } else {
        credential_of(&degree, level)
    };
    let status = match at(p, "inPublication").and_then(Value::as_bool) {
        Some(false) => Some("draft".to_owned()),
        _ => None,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(OfferInput {
        provider: provider.cloned(),
        provider_offer_id: id.unwrap_or_default(),
        title: localized(p, "programDescriptions.programName"),
        summary: localized(p, "programDescriptions.programSummaryText"),
        description: localized(p, "programDescriptions.programDescriptionText"),
        kind: kind.to_owned(),
        level: level.map(str::to_owned),
        nlqf,
        crebo,
        croho: text(p, "programClassification.crohoCode"),
        modality: modality.to_owned(),
        schedule,
        runs,
        costs,
        study_load_hours: study_load,
        languages,
        credential: Some(credential.to_owned()),
        skills: Vec::new(),
        status,
    })
}

/// The line on which each program's `programId` appears, to point people at the program.
fn id_lines(text: &str) -> Vec<u64> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains("\"programId\""))
        .map(|(i, _)| i as u64 + 1)
        .collect()
}

pub fn rows(source: &str, provider: Option<ProviderInput>) -> Result<Vec<Row>, ReadError> {
    // A byte order mark at the start of the file is not JSON.
    let source = strip_bom(source);
    let value: Value = serde_json::from_str(source).map_err(|e| ReadError::Malformed {
        line: e.line() as u64,
        message: format!("not valid JSON: {e}"),
    })?;
    let programs: Vec<Value> = match value {
        Value::Array(list) => list,
        Value::Object(ref o) if o.get("programs").is_some_and(Value::is_array) => o
            .get("programs")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        other => vec![other],
    };
    let lines = id_lines(source);
    Ok(programs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let offer = program_to_offer(p, provider.as_ref()).map_err(|errors| {
                errors
                    .into_iter()
                    .map(|mut e| {
                        e.field = if programs.len() > 1 {
                            format!("[{i}].{}", e.field)
                        } else {
                            e.field
                        };
                        e
                    })
                    .collect()
            });
            Row {
                line: lines.get(i).copied().unwrap_or(1),
                key: text(p, "programClassification.programId"),
                offer,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROGRAM: &str = r#"{
  "editor": "Leerhuis", "format": "program", "generator": "test", "lastEdited": "2026-10-01",
  "programClassification": {
    "programId": "VCA-BASIS", "orgUnitId": "leerhuis", "programType": "training",
    "programLevel": "mbo niveau 2", "degree": "certificate", "programForm": ["classroom"],
    "programDuration": {"years": 0, "months": 0, "weeks": 0, "days": 1, "hours": 8},
    "programLocation": [{"description": "Amsterdam"}]
  },
  "programBasicProfile": {"location": "fixed location", "schedule": "fixed dates"},
  "programDescriptions": {
    "programName": {"nl": "VCA Basisveiligheid", "en": "Basic safety (VCA)"},
    "programSummaryText": {"nl": "Veilig werken op de bouwplaats."},
    "programDescriptionText": {"nl": "Je leert risico's herkennen en veilig werken."}
  },
  "programCurriculum": {"instructionLanguage": [{"languageCode": "nl", "percentage": 100}]},
  "programSchedule": {
    "programRun": [{
      "id": "run-1", "status": "application opened",
      "startDate": {"date": "2027-02-01", "isFinal": true},
      "endDate": {"date": "2027-02-01", "isFinal": true},
      "location": {"city": "Amsterdam"},
      "cost": [
        {"id": "c1", "costType": "tuition fee", "amount": "195.00", "amountIsFinal": true, "currency": "EUR", "isRequiredCost": true, "VATPercentage": 0},
        {"id": "c2", "costType": "examination", "amount": "60.50", "amountIsFinal": true, "currency": "EUR", "isRequiredCost": true, "VATPercentage": 21}
      ]
    }]
  }
}"#;

    #[test]
    fn a_program_maps_onto_an_offer() {
        let rows = rows(PROGRAM, None).expect("read");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 4, "the line of programId");
        let o = rows[0].offer.as_ref().expect("offer");
        assert_eq!(o.provider_offer_id, "VCA-BASIS");
        assert_eq!(o.title.en.as_deref(), Some("Basic safety (VCA)"));
        assert_eq!(o.kind, "course");
        assert_eq!(o.level.as_deref(), Some("mbo2"));
        assert_eq!(o.modality, "on_site");
        assert_eq!(o.runs[0].status.as_deref(), Some("open"));
        assert_eq!(o.runs[0].municipality.as_deref(), Some("Amsterdam"));
        assert_eq!(o.costs.len(), 2);
        assert_eq!(o.costs[1].amount_cents, Money::from_cents(6_050));
        assert_eq!(o.costs[1].kind, "exam");
        assert_eq!(o.study_load_hours, Some(8));
        assert_eq!(o.credential.as_deref(), Some("certificate"));
    }

    #[test]
    fn a_byte_order_mark_at_the_start_is_skipped() {
        let with_bom = format!("\u{feff}{PROGRAM}");
        let read = rows(&with_bom, None).expect("a BOM is not a JSON error");
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].line, 4);
        assert!(read[0].offer.is_ok());
    }

    #[test]
    fn arrays_and_bad_amounts() {
        let broken = PROGRAM.replace("\"195.00\"", "\"honderd\"");
        let text = format!("[{PROGRAM}, {broken}]");
        let rows = rows(&text, None).expect("read");
        assert_eq!(rows.len(), 2);
        assert!(rows[0].offer.is_ok());
        let errors = rows[1].offer.as_ref().expect_err("bad amount");
        assert_eq!(
            errors[0].field,
            "[1].programSchedule.programRun[0].cost[0].amount"
        );
        assert!(rows[1].line > rows[0].line);
        let malformed = super::rows("{ \"programClassification\": ", None);
        assert!(matches!(
            malformed,
            Err(ReadError::Malformed { line: 1, .. })
        ));
    }
}
