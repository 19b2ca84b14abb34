//! Validation of an offer's runs (dates, place, status) and of its schedule, which the runs
//! imply when it is not given.

use super::errors::{Errors, clip};
use super::{Checks, MAX_ID, MAX_RUNS, OfferInput, RunInput};
use crate::catalogue::model::{Modality, Run, RunStatus, Schedule};

/// The first [`MAX_RUNS`] runs; the modality decides whether they need a place.
pub(super) fn runs(
    input: &[RunInput],
    modality: Option<Modality>,
    checks: &Checks<'_>,
    errors: &mut Errors,
) -> Vec<Run> {
    if input.len() > MAX_RUNS {
        errors.add("runs", format!("at most {MAX_RUNS} runs"));
    }
    input
        .iter()
        .take(MAX_RUNS)
        .enumerate()
        .map(|(i, r)| run(i, r, modality, checks, errors))
        .collect()
}

fn run(
    i: usize,
    r: &RunInput,
    modality: Option<Modality>,
    checks: &Checks<'_>,
    errors: &mut Errors,
) -> Run {
    let f = |name: &str| format!("runs[{i}].{name}");
    let id = errors.text(&f("id"), r.id.as_deref(), MAX_ID);
    let start = errors.date(&f("start"), r.start.as_deref());
    let end = errors.date(&f("end"), r.end.as_deref());
    let deadline = errors.date(
        &f("application_deadline"),
        r.application_deadline.as_deref(),
    );
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        errors.coded(
            f("end"),
            "is before the start",
            "catalogue-error-end-before-start",
            Vec::new(),
        );
    }
    if let (Some(s), Some(d)) = (start, deadline)
        && d > s
    {
        errors.coded(
            f("application_deadline"),
            "is after the start",
            "catalogue-error-deadline-after-start",
            Vec::new(),
        );
    }
    let municipality = run_municipality(
        &f("municipality"),
        r.municipality.as_deref(),
        modality,
        checks,
        errors,
    );
    let status = errors.choice_or(
        &f("status"),
        r.status.as_deref(),
        RunStatus::Open,
        RunStatus::identifiers,
    );
    Run {
        id: if id.is_empty() {
            format!("{}", i + 1)
        } else {
            id
        },
        start,
        end,
        municipality,
        status: status.unwrap_or(RunStatus::Open),
        application_deadline: deadline,
    }
}

/// The CBS code of a run's municipality; required unless the offer is online only.
fn run_municipality(
    field: &str,
    raw: Option<&str>,
    modality: Option<Modality>,
    checks: &Checks<'_>,
    errors: &mut Errors,
) -> Option<String> {
    match raw.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => match checks.regions.municipality(m) {
            Some(found) => Some(found.code.clone()),
            None => {
                errors.coded(
                    field,
                    format!(
                        "'{}' is not a Dutch municipality (name or CBS code like GM0363)",
                        clip(m)
                    ),
                    "catalogue-error-municipality",
                    vec![("value", clip(m))],
                );
                None
            }
        },
        None => {
            if matches!(modality, Some(Modality::OnSite | Modality::Blended)) {
                errors.coded(
                    field,
                    "required for on-site and blended offers",
                    "catalogue-error-place-required",
                    Vec::new(),
                );
            }
            None
        }
    }
}

/// The schedule as given, or implied by the runs; fixed dates need a start on every run.
pub(super) fn schedule(input: &OfferInput, runs: &[Run], errors: &mut Errors) -> Option<Schedule> {
    let implied = if runs.iter().any(|r| r.start.is_some()) {
        Schedule::FixedDates
    } else {
        Schedule::OwnPace
    };
    let schedule = errors.choice_or(
        "schedule",
        input.schedule.as_deref(),
        implied,
        Schedule::identifiers,
    );
    if schedule == Some(Schedule::FixedDates) {
        for (i, r) in runs.iter().enumerate() {
            // A start that was given but wrong is already reported.
            if r.start.is_none()
                && input
                    .runs
                    .get(i)
                    .and_then(|r| r.start.as_deref())
                    .is_none_or(|s| s.trim().is_empty())
            {
                errors.coded(
                    format!("runs[{i}].start"),
                    "required when the schedule is fixed_dates",
                    "catalogue-error-start-required",
                    Vec::new(),
                );
            }
        }
    }
    schedule
}
