//! Advisors and appointments: advisors keep their profile and hours; a learner with a place
//! picks an advisor and a free time (by way of meeting, place and language), gets an
//! iCalendar file, can cancel, or give up the place for the next on the waitlist.

use super::Advice;
use crate::error::{AppError, AppResult};
use leerpad_domain::UnixTime;
use leerpad_domain::advice::advisors::{
    AdvisorProfile, Availability, Mode, Slot, free_slots, local_day_bounds,
};
use leerpad_domain::advice::ports::{
    Advisor, Appointment, AppointmentStatus, NewAppointment, Registration, RegistrationStatus,
};
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::shared::{FieldError, UserId};

/// How far ahead free times are shown.
const DAYS_AHEAD: u16 = 21;

/// What a learner filters advisors by.
#[derive(Debug, Clone, Default)]
pub struct SlotFilter {
    pub mode: Option<Mode>,
    /// Municipality, for office and library appointments.
    pub place: Option<String>,
    /// ISO 639-1.
    pub language: Option<String>,
}

/// An advisor with their free times.
#[derive(Debug, Clone)]
pub struct AdvisorChoice {
    pub advisor: Advisor,
    pub slots: Vec<Slot>,
}

/// A booking as the learner asks for it.
#[derive(Debug, Clone)]
pub struct BookingRequest {
    pub advisor_id: UserId,
    pub starts_at: UnixTime,
    pub mode: Mode,
    /// The same key twice is the same booking.
    pub idempotency_key: String,
    /// Moving this planned appointment to the new time (one step: the old time is kept if the
    /// new one cannot be had).
    pub replaces: Option<i64>,
}

impl Advice {
    /// An advisor keeps their profile and hours.
    pub async fn save_advisor(
        &self,
        principal: &Principal,
        profile: &AdvisorProfile,
        availability: &Availability,
    ) -> AppResult<Advisor> {
        principal.authorize(Action::AdviseLearners)?;
        let mut errors = profile.validate();
        errors.extend(availability.validate());
        for slug in &profile.programmes {
            if self.store.programme(slug).await?.is_none() {
                errors.push(
                    FieldError::new("programmes", format!("no programme '{slug}'"))
                        .coded("unknown-programme", vec![("slug", slug.clone())]),
                );
            }
        }
        if !errors.is_empty() {
            return Err(AppError::InvalidFields(errors));
        }
        Ok(self
            .advisors
            .save_advisor(principal.user_id, profile, availability, self.clock.now())
            .await?)
    }

    pub async fn my_advisor_profile(&self, principal: &Principal) -> AppResult<Option<Advisor>> {
        principal.authorize(Action::AdviseLearners)?;
        Ok(self.advisors.advisor(principal.user_id).await?)
    }

    /// What learners may read of an advisor (their public profile).
    pub async fn advisor_profile(&self, id: UserId) -> AppResult<Option<Advisor>> {
        Ok(self.advisors.advisor(id).await?)
    }

    /// The learner's registration with a place, or why there is none.
    pub(super) async fn placed(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<Registration> {
        let r = self
            .my_registration(principal, slug)
            .await?
            .ok_or(AppError::NotFound("registration"))?;
        if r.status != RegistrationStatus::Allocated {
            return Err(AppError::Conflict(
                "you can make an appointment once you have a place".to_owned(),
            ));
        }
        Ok(r)
    }

    /// Advisors that fit the filter, with their free times in the coming weeks.
    pub async fn advisors_for(
        &self,
        principal: &Principal,
        slug: &str,
        filter: &SlotFilter,
    ) -> AppResult<Vec<AdvisorChoice>> {
        self.placed(principal, slug).await?;
        let now = self.clock.now();
        let until = now + i64::from(DAYS_AHEAD) * 86_400;
        let mut out = Vec::new();
        for advisor in self.advisors.advisors().await? {
            let p = &advisor.profile;
            let fits = p.works_for(slug)
                && filter.mode.is_none_or(|m| p.modes.contains(&m))
                && filter
                    .language
                    .as_deref()
                    .is_none_or(|l| p.languages.iter().any(|x| x == l))
                && filter.place.as_deref().is_none_or(|place| {
                    p.place
                        .as_deref()
                        .is_some_and(|x| x.eq_ignore_ascii_case(place))
                });
            if !fits {
                continue;
            }
            let booked = self
                .advisors
                .booked_slots(advisor.user_id, now - 86_400, until + 86_400)
                .await?;
            let slots = free_slots(p, &advisor.availability, now, DAYS_AHEAD, &booked);
            if !slots.is_empty() {
                out.push(AdvisorChoice { advisor, slots });
            }
        }
        Ok(out)
    }

    /// Book a free time with an advisor.
    pub async fn book(
        &self,
        principal: &Principal,
        slug: &str,
        request: &BookingRequest,
    ) -> AppResult<Appointment> {
        let registration = self.placed(principal, slug).await?;
        let advisor = self
            .advisors
            .advisor(request.advisor_id)
            .await?
            .filter(|a| a.profile.works_for(slug))
            .ok_or(AppError::NotFound("advisor"))?;
        if !advisor.profile.modes.contains(&request.mode) {
            return Err(AppError::InvalidFields(vec![
                leerpad_domain::shared::FieldError::new(
                    "mode",
                    "this advisor does not meet people this way",
                )
                .coded("mode", vec![]),
            ]));
        }
        let now = self.clock.now();
        let day = local_day_bounds(request.starts_at)
            .ok_or_else(|| AppError::Internal("a time outside the calendar".to_owned()))?;
        // The time must be one of the advisor's slots (booked ones left out, so a taken time
        // is told apart from a time that never was free).
        let slot = free_slots(
            &advisor.profile,
            &advisor.availability,
            now,
            DAYS_AHEAD,
            &[],
        )
        .into_iter()
        .find(|s| s.starts_at == request.starts_at)
        .ok_or_else(|| {
            AppError::InvalidFields(vec![
                leerpad_domain::shared::FieldError::new(
                    "starts_at",
                    "not a time this advisor is free",
                )
                .coded("not-free", vec![]),
            ])
        })?;
        let key = format!("{}:{}", principal.user_id, request.idempotency_key);
        let booked = self
            .advisors
            .book(NewAppointment {
                advisor_id: advisor.user_id,
                registration_id: registration.id,
                slot,
                mode: request.mode,
                idempotency_key: &key,
                replaces: request.replaces,
                max_per_day: advisor.profile.max_per_day,
                day,
                at: now,
            })
            .await?;
        // Reminders a day and an hour before, each planned once.
        for hours_before in [24u8, 1] {
            let run_at = booked.slot.starts_at - i64::from(hours_before) * 3_600;
            if run_at > now {
                let key = format!("{}:{}:{hours_before}", super::REMINDER_JOB, booked.id);
                let job = super::ReminderJob {
                    appointment: booked.id,
                    hours_before,
                };
                self.plan(super::REMINDER_JOB, &key, &job, run_at).await?;
            }
        }
        Ok(booked)
    }

    /// The learner's appointments for a programme.
    pub async fn my_appointments(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<Vec<Appointment>> {
        let Some(r) = self.my_registration(principal, slug).await? else {
            return Ok(Vec::new());
        };
        Ok(self.advisors.appointments_of_registration(r.id).await?)
    }

    /// An appointment the principal takes part in (as learner or advisor), with its advisor.
    pub async fn appointment(
        &self,
        principal: &Principal,
        id: i64,
    ) -> AppResult<(Appointment, Advisor)> {
        let a = self
            .advisors
            .appointment(id)
            .await?
            .filter(|a| a.learner_id == principal.user_id || a.advisor_id == principal.user_id)
            .ok_or(AppError::NotFound("appointment"))?;
        let advisor = self
            .advisors
            .advisor(a.advisor_id)
            .await?
            .ok_or(AppError::NotFound("advisor"))?;
        Ok((a, advisor))
    }

    /// Cancel an appointment (the learner or the advisor); the place is kept.
    pub async fn cancel_appointment(&self, principal: &Principal, id: i64) -> AppResult<()> {
        self.appointment(principal, id).await?;
        if !self
            .advisors
            .set_appointment_status(id, AppointmentStatus::Cancelled, self.clock.now())
            .await?
        {
            return Err(AppError::Conflict(
                "this appointment is not planned any more".to_owned(),
            ));
        }
        Ok(())
    }

    /// The advisor records how an appointment went (done or no-show).
    pub async fn record_outcome(
        &self,
        principal: &Principal,
        id: i64,
        status: AppointmentStatus,
    ) -> AppResult<()> {
        principal.authorize(Action::AdviseLearners)?;
        let (a, _) = self.appointment(principal, id).await?;
        if a.advisor_id != principal.user_id
            || !matches!(status, AppointmentStatus::Done | AppointmentStatus::NoShow)
        {
            return Err(AppError::NotFound("appointment"));
        }
        if a.slot.starts_at > self.clock.now() {
            return Err(AppError::Conflict(
                "an appointment's outcome is recorded after it started".to_owned(),
            ));
        }
        self.advisors
            .set_appointment_status(id, status, self.clock.now())
            .await?;
        Ok(())
    }

    /// An advisor's caseload: their appointments from 30 days ago on, each with the learner's
    /// name (the advisor meets them, so may know who they are).
    pub async fn advisor_appointments(
        &self,
        principal: &Principal,
    ) -> AppResult<Vec<(Appointment, String)>> {
        principal.authorize(Action::AdviseLearners)?;
        let appointments = self
            .advisors
            .appointments_of_advisor(principal.user_id, self.clock.now() - 30 * 86_400)
            .await?;
        let mut out = Vec::with_capacity(appointments.len());
        for a in appointments {
            let name = self
                .users
                .user_by_id(a.learner_id.get())
                .await?
                .map(|u| u.display_name)
                .unwrap_or_default();
            out.push((a, name));
        }
        Ok(out)
    }

    /// The learner gives up their place; the first on the waitlist gets it.
    pub async fn give_up_place(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<Option<Registration>> {
        let r = self
            .my_registration(principal, slug)
            .await?
            .ok_or(AppError::NotFound("registration"))?;
        let promoted = self.advisors.give_up_place(r.id, self.clock.now()).await?;
        if let Some(next) = &promoted {
            let p = self.programme(Some(principal), slug).await?;
            let message = leerpad_domain::mail::Message::PlaceFromWaitlist {
                programme: p.slug.clone(),
                title: p.definition.name.get("nl").to_owned(),
            };
            self.tell(&format!("advice-place:{}", next.id), next.user_id, &message)
                .await?;
        }
        Ok(promoted)
    }
}

/// An appointment as an iCalendar file (RFC 5545) for the learner's calendar.
pub fn appointment_ics(a: &Appointment, advisor: &Advisor, summary: &str, site: &str) -> String {
    use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
    let at = |t: UnixTime| chrono::DateTime::from_timestamp(t, 0).unwrap_or_default();
    let location = match a.mode {
        Mode::Video => format!("{site}/afspraken/{}", a.id),
        Mode::Phone => "Telefoon".to_owned(),
        Mode::Office | Mode::Library => advisor.profile.place.clone().unwrap_or_default(),
    };
    let event = Event::new()
        .uid(&format!("afspraak-{}@leerpad", a.id))
        .summary(summary)
        .description(&format!(
            "{} ({}, {})",
            advisor.profile.name, advisor.profile.organisation, advisor.profile.certification
        ))
        .location(&location)
        .starts(at(a.slot.starts_at))
        .ends(at(a.slot.ends_at))
        .timestamp(at(a.created_at))
        .status(if a.status == AppointmentStatus::Cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        })
        .done();
    Calendar::new()
        .name("Leerpad")
        .push(event)
        .done()
        .to_string()
}
