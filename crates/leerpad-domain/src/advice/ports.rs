//! What ontwikkeladvies needs from storage: programmes, registrations and the draws.

use super::advisors::{AdvisorProfile, Availability, Mode, Slot};
use super::draw::PublishedDraw;
use super::programme::ProgrammeDefinition;
use crate::UnixTime;
use crate::ports::StoreResult;
use crate::shared::{ProgrammeId, RegistrationId, UserId};
use serde::Serialize;

crate::shared::string_enum! {
    /// Whether people can see and register for a programme.
    ProgrammeStatus {
        Draft = "draft",
        Published = "published",
        Closed = "closed",
    }
}

/// A stored programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Programme {
    pub id: ProgrammeId,
    /// Stable, readable key used in URLs.
    pub slug: String,
    pub status: ProgrammeStatus,
    /// Raised by every saved change; an edit names the version it started from.
    pub version: i64,
    pub definition: ProgrammeDefinition,
    pub created_at: UnixTime,
    pub updated_at: UnixTime,
}

crate::shared::string_enum! {
    /// Where a registration stands.
    RegistrationStatus {
        /// Waiting for the draw of its window.
        Registered = "registered",
        /// Has a place.
        Allocated = "allocated",
        /// On the waitlist.
        Waitlisted = "waitlisted",
        /// Given up by the person (or their place given back).
        Cancelled = "cancelled",
    }
}

/// A person's registration for a programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Registration {
    pub id: RegistrationId,
    pub programme_id: ProgrammeId,
    pub user_id: UserId,
    /// Public reference, the only thing the published draw shows of the person.
    pub reference: String,
    /// The reserves (by index) whose target group the person was in when registering.
    pub groups: Vec<usize>,
    /// The labour-market region the person lives in, for the programme's figures.
    pub region: Option<String>,
    pub status: RegistrationStatus,
    /// The reserve the place came from (None: an open place, or no place).
    pub reserve: Option<usize>,
    pub waitlist_position: Option<u32>,
    /// The opening of the window registered in; None when the place was given at once.
    pub window_opens: Option<UnixTime>,
    pub created_at: UnixTime,
}

/// A new registration.
#[derive(Debug, Clone)]
pub struct NewRegistration<'a> {
    pub programme_id: ProgrammeId,
    pub user_id: UserId,
    pub reference: &'a str,
    pub groups: &'a [usize],
    pub region: Option<&'a str>,
    /// The window it belongs to, or None to give a place at once while there is one (else
    /// a place on the waitlist).
    pub window_opens: Option<UnixTime>,
    /// The programme's capacity, checked in the same transaction as the place is given.
    pub capacity: u32,
    pub at: UnixTime,
}

/// Programmes, registrations and draws.
#[async_trait::async_trait]
pub trait AdviceStore: Send + Sync {
    /// Create a programme at version 1; `Conflict` when the slug is taken.
    async fn create_programme(
        &self,
        slug: &str,
        status: ProgrammeStatus,
        definition: &ProgrammeDefinition,
        at: UnixTime,
    ) -> StoreResult<Programme>;
    /// Replace a programme's status and definition if it is still at `expected_version`;
    /// `Conflict` when someone saved in between, `None` when there is no such programme.
    async fn update_programme(
        &self,
        slug: &str,
        status: ProgrammeStatus,
        definition: &ProgrammeDefinition,
        expected_version: i64,
        at: UnixTime,
    ) -> StoreResult<Option<Programme>>;
    async fn programme(&self, slug: &str) -> StoreResult<Option<Programme>>;
    /// Every programme, by slug.
    async fn programmes(&self) -> StoreResult<Vec<Programme>>;
    /// The programme a registration is for.
    async fn programme_of_registration(
        &self,
        registration_id: RegistrationId,
    ) -> StoreResult<Option<Programme>>;
    /// Register a person once per programme: a second registration (however many arrive at
    /// once) returns the first. Without a window, the place is given in the same transaction
    /// that counts the places given, so the capacity is never exceeded.
    async fn register(&self, new: NewRegistration<'_>) -> StoreResult<Registration>;
    async fn registration(
        &self,
        programme_id: ProgrammeId,
        user_id: UserId,
    ) -> StoreResult<Option<Registration>>;
    /// The registrations of a window still waiting for its draw, by reference.
    async fn waiting_for_draw(
        &self,
        programme_id: ProgrammeId,
        window_opens: UnixTime,
    ) -> StoreResult<Vec<Registration>>;
    /// Places of the programme given so far.
    async fn places_given(&self, programme_id: ProgrammeId) -> StoreResult<u32>;
    /// Store a window's draw and give its places, in one transaction. A window is drawn once:
    /// when it has a draw already, that one is returned and nothing changes. `Refused` when
    /// the draw does not list exactly the registrations waiting for it (one came in late), or
    /// would give more places than `capacity` with those given before: draw again.
    async fn record_draw(
        &self,
        programme_id: ProgrammeId,
        window_opens: UnixTime,
        draw: &PublishedDraw,
        capacity: u32,
        at: UnixTime,
    ) -> StoreResult<PublishedDraw>;
    async fn draw_of(
        &self,
        programme_id: ProgrammeId,
        window_opens: UnixTime,
    ) -> StoreResult<Option<PublishedDraw>>;
    /// Every registration of a programme with its latest appointment, for the figures.
    async fn registration_facts(
        &self,
        programme_id: ProgrammeId,
    ) -> StoreResult<Vec<super::figures::RegistrationFact>>;
}

/// An advisor as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Advisor {
    pub user_id: UserId,
    pub profile: AdvisorProfile,
    pub availability: Availability,
    pub updated_at: UnixTime,
}

crate::shared::string_enum! {
    /// Where an appointment stands.
    AppointmentStatus {
        Booked = "booked",
        Cancelled = "cancelled",
        Done = "done",
        /// The learner did not come (recorded by the advisor).
        NoShow = "no_show",
    }
}

/// An appointment between a learner (through their registration) and an advisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Appointment {
    pub id: i64,
    pub advisor_id: UserId,
    pub registration_id: RegistrationId,
    pub learner_id: UserId,
    pub slot: Slot,
    pub mode: Mode,
    pub status: AppointmentStatus,
    pub created_at: UnixTime,
}

/// A booking.
#[derive(Debug, Clone)]
pub struct NewAppointment<'a> {
    pub advisor_id: UserId,
    pub registration_id: RegistrationId,
    pub slot: Slot,
    pub mode: Mode,
    /// The same key twice is the same booking (a retried request).
    pub idempotency_key: &'a str,
    /// Moving an appointment: this planned appointment of the same registration is cancelled
    /// in the same transaction (and stays if the new time cannot be had).
    pub replaces: Option<i64>,
    /// The advisor's maximum a day, checked with the booking.
    pub max_per_day: u8,
    /// The local day's bounds of the slot (Unix seconds), for the daily maximum.
    pub day: (UnixTime, UnixTime),
    pub at: UnixTime,
}

/// Advisors and appointments.
#[async_trait::async_trait]
pub trait AdvisorStore: Send + Sync {
    async fn save_advisor(
        &self,
        user_id: UserId,
        profile: &AdvisorProfile,
        availability: &Availability,
        at: UnixTime,
    ) -> StoreResult<Advisor>;
    async fn advisor(&self, user_id: UserId) -> StoreResult<Option<Advisor>>;
    async fn advisors(&self) -> StoreResult<Vec<Advisor>>;
    /// Booked appointments of an advisor starting in [from, until).
    async fn booked_slots(
        &self,
        advisor_id: UserId,
        from: UnixTime,
        until: UnixTime,
    ) -> StoreResult<Vec<Slot>>;
    /// Book a slot. `Conflict` when the slot is taken or the registration has a booked
    /// appointment already; `Refused` when the registration has no place or the advisor's day
    /// is full. All checked in the booking's transaction. A known idempotency key returns its
    /// appointment.
    async fn book(&self, new: NewAppointment<'_>) -> StoreResult<Appointment>;
    async fn appointments_of_registration(
        &self,
        registration_id: RegistrationId,
    ) -> StoreResult<Vec<Appointment>>;
    /// An advisor's appointments starting from `from`, by time.
    async fn appointments_of_advisor(
        &self,
        advisor_id: UserId,
        from: UnixTime,
    ) -> StoreResult<Vec<Appointment>>;
    async fn appointment(&self, id: i64) -> StoreResult<Option<Appointment>>;
    /// Change a booked appointment's status (cancelled, done, no-show); false when it was not
    /// booked any more.
    async fn set_appointment_status(
        &self,
        id: i64,
        status: AppointmentStatus,
        at: UnixTime,
    ) -> StoreResult<bool>;
    /// The person gives up their place: the registration is cancelled with its booked
    /// appointments, and the first on the waitlist gets the place, in one transaction.
    /// Returns the promoted registration, if anyone was waiting.
    async fn give_up_place(
        &self,
        registration_id: RegistrationId,
        at: UnixTime,
    ) -> StoreResult<Option<Registration>>;
}

/// Development plans and the learner's consent for their advisor to read their profile.
#[async_trait::async_trait]
pub trait PlanStore: Send + Sync {
    /// Save the next version of a registration's plan (1 for the first).
    async fn save_plan_version(
        &self,
        registration_id: RegistrationId,
        learner_id: UserId,
        advisor_id: UserId,
        content: &super::plan::PlanContent,
        at: UnixTime,
    ) -> StoreResult<super::plan::PlanVersion>;
    /// Every version, newest first.
    async fn plan_versions(
        &self,
        registration_id: RegistrationId,
    ) -> StoreResult<Vec<super::plan::PlanVersion>>;
    async fn add_plan_comment(
        &self,
        registration_id: RegistrationId,
        comment: &super::plan::PlanComment,
    ) -> StoreResult<()>;
    /// Oldest first.
    async fn plan_comments(
        &self,
        registration_id: RegistrationId,
    ) -> StoreResult<Vec<super::plan::PlanComment>>;
    /// Remove every version and comment; returns how many versions there were.
    async fn delete_plan(&self, registration_id: RegistrationId) -> StoreResult<u64>;
    /// Give (until `expires_at`) or withdraw the advisor's consent to read the learner's
    /// profile.
    async fn set_consent(
        &self,
        learner_id: UserId,
        advisor_id: UserId,
        expires_at: Option<UnixTime>,
        at: UnixTime,
    ) -> StoreResult<()>;
    /// Until when the advisor may read the learner's profile (None: not at all).
    async fn consent_until(
        &self,
        learner_id: UserId,
        advisor_id: UserId,
    ) -> StoreResult<Option<UnixTime>>;
}
