//! Advisors and appointments: a slot is booked once, a place is given up and passed on to the
//! waitlist in one transaction.

use super::{REGISTRATION_COLUMNS, RegistrationRow, corrupt, json, lock_key};
use crate::db::{Sql, SqlStore};
use async_trait::async_trait;
use leerpad_domain::UnixTime;
use leerpad_domain::advice::advisors::{AdvisorProfile, Availability, Slot};
use leerpad_domain::advice::ports::{
    Advisor, AdvisorStore, Appointment, AppointmentStatus, NewAppointment, Registration,
};
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::{ProgrammeId, RegistrationId, UserId};

const APPOINTMENT_COLUMNS: &str = "a.id, a.advisor_id, a.registration_id, r.user_id, a.starts_at, \
     a.ends_at, a.mode, a.status, a.created_at";
const APPOINTMENT_FROM: &str =
    "advice_appointments a JOIN advice_registrations r ON r.id = a.registration_id";

#[derive(sqlx::FromRow)]
struct AdvisorRow {
    user_id: i64,
    profile: String,
    availability: String,
    updated_at: i64,
}

impl AdvisorRow {
    fn into_advisor(self) -> StoreResult<Advisor> {
        Ok(Advisor {
            user_id: UserId::new(self.user_id),
            profile: serde_json::from_str(&self.profile).map_err(|e| corrupt("advisor", e))?,
            availability: serde_json::from_str(&self.availability)
                .map_err(|e| corrupt("availability", e))?,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct AppointmentRow {
    id: i64,
    advisor_id: i64,
    registration_id: i64,
    user_id: i64,
    starts_at: i64,
    ends_at: i64,
    mode: String,
    status: String,
    created_at: i64,
}

impl AppointmentRow {
    fn into_appointment(self) -> StoreResult<Appointment> {
        Ok(Appointment {
            id: self.id,
            advisor_id: UserId::new(self.advisor_id),
            registration_id: RegistrationId::new(self.registration_id),
            learner_id: UserId::new(self.user_id),
            slot: Slot {
                starts_at: self.starts_at,
                ends_at: self.ends_at,
            },
            mode: self
                .mode
                .parse()
                .map_err(|e| corrupt("appointment mode", e))?,
            status: self
                .status
                .parse()
                .map_err(|e| corrupt("appointment status", e))?,
            created_at: self.created_at,
        })
    }
}

fn appointments(rows: Vec<AppointmentRow>) -> StoreResult<Vec<Appointment>> {
    rows.into_iter()
        .map(AppointmentRow::into_appointment)
        .collect()
}

#[async_trait]
impl AdvisorStore for SqlStore {
    async fn save_advisor(
        &self,
        user_id: UserId,
        profile: &AdvisorProfile,
        availability: &Availability,
        at: UnixTime,
    ) -> StoreResult<Advisor> {
        let row: AdvisorRow = self
            .fetch_one(
                Sql::new(
                    "INSERT INTO advisors (user_id, profile, availability, updated_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET \
                     profile = excluded.profile, availability = excluded.availability, \
                     updated_at = excluded.updated_at \
                     RETURNING user_id, profile, availability, updated_at",
                )
                .arg(user_id)
                .arg(json(profile)?)
                .arg(json(availability)?)
                .arg(at),
            )
            .await?;
        row.into_advisor()
    }

    async fn advisor(&self, user_id: UserId) -> StoreResult<Option<Advisor>> {
        let row: Option<AdvisorRow> = self
            .fetch_optional(
                Sql::new(
                    "SELECT user_id, profile, availability, updated_at FROM advisors WHERE user_id = $1",
                )
                .arg(user_id),
            )
            .await?;
        row.map(AdvisorRow::into_advisor).transpose()
    }

    async fn advisors(&self) -> StoreResult<Vec<Advisor>> {
        let rows: Vec<AdvisorRow> = self
            .fetch_all(Sql::new(
                "SELECT user_id, profile, availability, updated_at FROM advisors ORDER BY user_id",
            ))
            .await?;
        rows.into_iter().map(AdvisorRow::into_advisor).collect()
    }

    async fn booked_slots(
        &self,
        advisor_id: UserId,
        from: UnixTime,
        until: UnixTime,
    ) -> StoreResult<Vec<Slot>> {
        let rows: Vec<(i64, i64)> = self
            .fetch_all(
                Sql::new(
                    "SELECT starts_at, ends_at FROM advice_appointments WHERE advisor_id = $1 \
                     AND status = 'booked' AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at",
                )
                .arg(advisor_id)
                .arg(from)
                .arg(until),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(starts_at, ends_at)| Slot { starts_at, ends_at })
            .collect())
    }

    async fn book(&self, new: NewAppointment<'_>) -> StoreResult<Appointment> {
        let mut tx = self.begin().await?;
        let by_key = |key: &str| {
            Sql::new(format!(
                "SELECT {APPOINTMENT_COLUMNS} FROM {APPOINTMENT_FROM} WHERE a.idempotency_key = $1"
            ))
            .arg(key.to_owned())
        };
        let known: Option<AppointmentRow> = tx
            .exec()
            .fetch_optional(by_key(new.idempotency_key))
            .await?;
        if let Some(row) = known {
            tx.commit().await?;
            return row.into_appointment();
        }
        tx.lock_keys(&[&format!("advisor:{}", new.advisor_id)])
            .await?;
        if let Some(old) = new.replaces {
            let moved = tx
                .exec()
                .execute(
                    Sql::new(
                        "UPDATE advice_appointments SET status = 'cancelled', changed_at = $1 \
                         WHERE id = $2 AND registration_id = $3 AND status = 'booked'",
                    )
                    .arg(new.at)
                    .arg(old)
                    .arg(new.registration_id),
                )
                .await?;
            if moved != 1 {
                return tx
                    .fail(StoreError::Conflict(
                        "the appointment to move is not planned any more".to_owned(),
                    ))
                    .await;
            }
        }
        let status: Option<(String,)> = tx
            .exec()
            .fetch_optional(
                Sql::new("SELECT status FROM advice_registrations WHERE id = $1")
                    .arg(new.registration_id),
            )
            .await?;
        if status.as_ref().map(|(s,)| s.as_str()) != Some("allocated") {
            return tx
                .fail(StoreError::Refused(
                    "this registration has no place (yet)".to_owned(),
                ))
                .await;
        }
        let (that_day,): (i64,) = tx
            .exec()
            .fetch_one(
                Sql::new(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM advice_appointments WHERE advisor_id = $1 \
                     AND status = 'booked' AND starts_at >= $2 AND starts_at < $3",
                )
                .arg(new.advisor_id)
                .arg(new.day.0)
                .arg(new.day.1),
            )
            .await?;
        if that_day >= i64::from(new.max_per_day) {
            return tx
                .fail(StoreError::Refused("the advisor's day is full".to_owned()))
                .await;
        }
        let (overlapping,): (i64,) = tx
            .exec()
            .fetch_one(
                Sql::new(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM advice_appointments WHERE advisor_id = $1 \
                     AND status = 'booked' AND starts_at < $2 AND ends_at > $3",
                )
                .arg(new.advisor_id)
                .arg(new.slot.ends_at)
                .arg(new.slot.starts_at),
            )
            .await?;
        if overlapping > 0 {
            return tx
                .fail(StoreError::Conflict("this time is taken".to_owned()))
                .await;
        }
        tx.exec()
            .execute(
                Sql::new(
                    "INSERT INTO advice_appointments (advisor_id, registration_id, starts_at, ends_at, \
                     mode, status, idempotency_key, created_at, changed_at) \
                     VALUES ($1, $2, $3, $4, $5, 'booked', $6, $7, $7)",
                )
                .arg(new.advisor_id)
                .arg(new.registration_id)
                .arg(new.slot.starts_at)
                .arg(new.slot.ends_at)
                .arg(new.mode.as_str())
                .arg(new.idempotency_key)
                .arg(new.at),
            )
            .await?;
        let row: AppointmentRow = tx.exec().fetch_one(by_key(new.idempotency_key)).await?;
        tx.commit().await?;
        row.into_appointment()
    }

    async fn appointments_of_registration(
        &self,
        registration_id: RegistrationId,
    ) -> StoreResult<Vec<Appointment>> {
        appointments(
            self.fetch_all(
                Sql::new(format!(
                    "SELECT {APPOINTMENT_COLUMNS} FROM {APPOINTMENT_FROM} \
                     WHERE a.registration_id = $1 ORDER BY a.starts_at"
                ))
                .arg(registration_id),
            )
            .await?,
        )
    }

    async fn appointments_of_advisor(
        &self,
        advisor_id: UserId,
        from: UnixTime,
    ) -> StoreResult<Vec<Appointment>> {
        appointments(
            self.fetch_all(
                Sql::new(format!(
                    "SELECT {APPOINTMENT_COLUMNS} FROM {APPOINTMENT_FROM} \
                     WHERE a.advisor_id = $1 AND a.starts_at >= $2 ORDER BY a.starts_at"
                ))
                .arg(advisor_id)
                .arg(from),
            )
            .await?,
        )
    }

    async fn appointment(&self, id: i64) -> StoreResult<Option<Appointment>> {
        let row: Option<AppointmentRow> = self
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {APPOINTMENT_COLUMNS} FROM {APPOINTMENT_FROM} WHERE a.id = $1"
                ))
                .arg(id),
            )
            .await?;
        row.map(AppointmentRow::into_appointment).transpose()
    }

    async fn set_appointment_status(
        &self,
        id: i64,
        status: AppointmentStatus,
        at: UnixTime,
    ) -> StoreResult<bool> {
        let changed = self
            .execute(
                Sql::new(
                    "UPDATE advice_appointments SET status = $1, changed_at = $2 \
                     WHERE id = $3 AND status = 'booked'",
                )
                .arg(status.as_str())
                .arg(at)
                .arg(id),
            )
            .await?;
        Ok(changed == 1)
    }

    async fn give_up_place(
        &self,
        registration_id: RegistrationId,
        at: UnixTime,
    ) -> StoreResult<Option<Registration>> {
        let mut tx = self.begin().await?;
        let found: Option<(i64,)> = tx
            .exec()
            .fetch_optional(
                Sql::new("SELECT programme_id FROM advice_registrations WHERE id = $1")
                    .arg(registration_id),
            )
            .await?;
        let Some((programme,)) = found else {
            return tx
                .fail(StoreError::Refused("no such registration".to_owned()))
                .await;
        };
        let programme = ProgrammeId::new(programme);
        tx.lock_keys(&[&lock_key(programme)]).await?;
        // Read again under the programme's lock: a second give-up at the same moment finds
        // the place already freed and frees nothing more.
        let (status,): (String,) = tx
            .exec()
            .fetch_one(
                Sql::new("SELECT status FROM advice_registrations WHERE id = $1")
                    .arg(registration_id),
            )
            .await?;
        if status == "cancelled" {
            tx.commit().await?;
            return Ok(None);
        }
        tx.exec()
            .execute(
                Sql::new(
                    "UPDATE advice_registrations SET status = 'cancelled', reserve = NULL, \
                     waitlist_position = NULL WHERE id = $1",
                )
                .arg(registration_id),
            )
            .await?;
        tx.exec()
            .execute(
                Sql::new(
                    "UPDATE advice_appointments SET status = 'cancelled', changed_at = $1 \
                     WHERE registration_id = $2 AND status = 'booked'",
                )
                .arg(at)
                .arg(registration_id),
            )
            .await?;
        if status != "allocated" {
            tx.commit().await?;
            return Ok(None);
        }
        let next: Option<(i64,)> = tx
            .exec()
            .fetch_optional(
                Sql::new(
                    "SELECT id FROM advice_registrations WHERE programme_id = $1 \
                     AND status = 'waitlisted' ORDER BY waitlist_position, id LIMIT 1",
                )
                .arg(programme),
            )
            .await?;
        let promoted = match next {
            None => {
                super::count_places(&mut tx, programme, -1).await?;
                None
            }
            Some((id,)) => {
                let row: RegistrationRow = tx
                    .exec()
                    .fetch_one(
                        Sql::new(format!(
                            "UPDATE advice_registrations SET status = 'allocated', \
                             waitlist_position = NULL WHERE id = $1 RETURNING {REGISTRATION_COLUMNS}"
                        ))
                        .arg(id),
                    )
                    .await?;
                Some(row.into_registration()?)
            }
        };
        tx.commit().await?;
        Ok(promoted)
    }
}
