//! Ontwikkeladvies: programmes, registrations and the draws of their windows; advisors and
//! appointments in `advisors`.

mod advisors;
mod plans;

use crate::db::{Sql, SqlStore, Tx};
use async_trait::async_trait;
use leerpad_domain::UnixTime;
use leerpad_domain::advice::PublishedDraw;
use leerpad_domain::advice::figures::RegistrationFact;
use leerpad_domain::advice::ports::AppointmentStatus;
use leerpad_domain::advice::ports::{
    AdviceStore, NewRegistration, Programme, ProgrammeStatus, Registration, RegistrationStatus,
};
use leerpad_domain::advice::programme::ProgrammeDefinition;
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::{ProgrammeId, RegistrationId, UserId};

const PROGRAMME_COLUMNS: &str = "id, slug, status, version, definition, created_at, updated_at";
pub(super) const REGISTRATION_COLUMNS: &str = "id, programme_id, user_id, reference, groups, region, status, \
     reserve, waitlist_position, window_opens, created_at";
/// Draw lines per statement when a draw gives its places.
const CHUNK: usize = 400;

pub(super) use crate::db::corrupt;

pub(super) fn json<T: ?Sized + serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(e.to_string()))
}

#[derive(sqlx::FromRow)]
struct ProgrammeRow {
    id: i64,
    slug: String,
    status: String,
    version: i64,
    definition: String,
    created_at: i64,
    updated_at: i64,
}

impl ProgrammeRow {
    fn into_programme(self) -> StoreResult<Programme> {
        Ok(Programme {
            id: ProgrammeId::new(self.id),
            status: self
                .status
                .parse()
                .map_err(|e| corrupt("programme status", e))?,
            definition: serde_json::from_str(&self.definition)
                .map_err(|e| corrupt(&format!("programme {}", self.slug), e))?,
            slug: self.slug,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct RegistrationRow {
    id: i64,
    programme_id: i64,
    user_id: i64,
    reference: String,
    groups: String,
    region: Option<String>,
    status: String,
    reserve: Option<i64>,
    waitlist_position: Option<i64>,
    window_opens: Option<i64>,
    created_at: i64,
}

impl RegistrationRow {
    pub(super) fn into_registration(self) -> StoreResult<Registration> {
        Ok(Registration {
            id: RegistrationId::new(self.id),
            programme_id: ProgrammeId::new(self.programme_id),
            user_id: UserId::new(self.user_id),
            groups: serde_json::from_str(&self.groups)
                .map_err(|e| corrupt("registration groups", e))?,
            status: self
                .status
                .parse()
                .map_err(|e| corrupt("registration status", e))?,
            reference: self.reference,
            region: self.region,
            reserve: self.reserve.and_then(|r| usize::try_from(r).ok()),
            waitlist_position: self.waitlist_position.and_then(|p| u32::try_from(p).ok()),
            window_opens: self.window_opens,
            created_at: self.created_at,
        })
    }
}

/// A person's registration for a programme.
fn registration_query(programme_id: ProgrammeId, user_id: UserId) -> Sql {
    Sql::new(format!(
        "SELECT {REGISTRATION_COLUMNS} FROM advice_registrations \
         WHERE programme_id = $1 AND user_id = $2"
    ))
    .arg(programme_id)
    .arg(user_id)
}

async fn registration_in(
    tx: &mut Tx,
    programme_id: ProgrammeId,
    user_id: UserId,
) -> StoreResult<Option<Registration>> {
    let row: Option<RegistrationRow> = tx
        .exec()
        .fetch_optional(registration_query(programme_id, user_id))
        .await?;
    row.map(RegistrationRow::into_registration).transpose()
}

pub(super) fn lock_key(programme_id: ProgrammeId) -> String {
    format!("advice-programme:{programme_id}")
}

fn draw_query(programme_id: ProgrammeId, window_opens: UnixTime) -> Sql {
    Sql::new("SELECT published FROM advice_draws WHERE programme_id = $1 AND window_opens = $2")
        .arg(programme_id)
        .arg(window_opens)
}

/// The programme's count of places given, kept by every transaction that gives or frees one.
fn places_given_query(programme_id: ProgrammeId) -> Sql {
    Sql::new("SELECT places_given FROM advice_programmes WHERE id = $1").arg(programme_id)
}

/// Add to (or take from) the programme's count of places given, in the caller's transaction.
pub(super) async fn count_places(
    tx: &mut Tx,
    programme_id: ProgrammeId,
    change: i64,
) -> StoreResult<()> {
    tx.exec()
        .execute(
            Sql::new("UPDATE advice_programmes SET places_given = places_given + $1 WHERE id = $2")
                .arg(change)
                .arg(programme_id),
        )
        .await
        .map(drop)
}

fn read_draw(row: Option<(String,)>) -> StoreResult<Option<PublishedDraw>> {
    row.map(|(text,)| serde_json::from_str(&text).map_err(|e| corrupt("draw", e)))
        .transpose()
}

#[async_trait]
impl AdviceStore for SqlStore {
    async fn create_programme(
        &self,
        slug: &str,
        status: ProgrammeStatus,
        definition: &ProgrammeDefinition,
        at: UnixTime,
    ) -> StoreResult<Programme> {
        let row: ProgrammeRow = self
            .fetch_one(
                Sql::new(format!(
                    "INSERT INTO advice_programmes (slug, status, version, definition, created_at, updated_at) \
                     VALUES ($1, $2, 1, $3, $4, $4) RETURNING {PROGRAMME_COLUMNS}"
                ))
                .arg(slug)
                .arg(status.as_str())
                .arg(json(definition)?)
                .arg(at),
            )
            .await?;
        row.into_programme()
    }

    async fn update_programme(
        &self,
        slug: &str,
        status: ProgrammeStatus,
        definition: &ProgrammeDefinition,
        expected_version: i64,
        at: UnixTime,
    ) -> StoreResult<Option<Programme>> {
        let row: Option<ProgrammeRow> = self
            .fetch_optional(
                Sql::new(format!(
                    "UPDATE advice_programmes SET status = $1, definition = $2, version = version + 1, \
                     updated_at = $3 WHERE slug = $4 AND version = $5 RETURNING {PROGRAMME_COLUMNS}"
                ))
                .arg(status.as_str())
                .arg(json(definition)?)
                .arg(at)
                .arg(slug)
                .arg(expected_version),
            )
            .await?;
        match row {
            Some(row) => row.into_programme().map(Some),
            None => match self.programme(slug).await? {
                None => Ok(None),
                Some(p) => Err(StoreError::Conflict(format!(
                    "programme '{slug}' was changed by someone else (now version {}, you edited version {expected_version})",
                    p.version
                ))),
            },
        }
    }

    async fn programme(&self, slug: &str) -> StoreResult<Option<Programme>> {
        let row: Option<ProgrammeRow> = self
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {PROGRAMME_COLUMNS} FROM advice_programmes WHERE slug = $1"
                ))
                .arg(slug),
            )
            .await?;
        row.map(ProgrammeRow::into_programme).transpose()
    }

    async fn programmes(&self) -> StoreResult<Vec<Programme>> {
        let rows: Vec<ProgrammeRow> = self
            .fetch_all(Sql::new(format!(
                "SELECT {PROGRAMME_COLUMNS} FROM advice_programmes ORDER BY slug"
            )))
            .await?;
        rows.into_iter().map(ProgrammeRow::into_programme).collect()
    }

    async fn programme_of_registration(
        &self,
        registration_id: RegistrationId,
    ) -> StoreResult<Option<Programme>> {
        let row: Option<ProgrammeRow> = self
            .fetch_optional(
                Sql::new(
                    "SELECT p.id, p.slug, p.status, p.version, p.definition, p.created_at, p.updated_at \
                     FROM advice_programmes p JOIN advice_registrations r ON r.programme_id = p.id \
                     WHERE r.id = $1",
                )
                .arg(registration_id),
            )
            .await?;
        row.map(ProgrammeRow::into_programme).transpose()
    }

    async fn register(&self, new: NewRegistration<'_>) -> StoreResult<Registration> {
        if let Some(window) = new.window_opens {
            // During a window no place is given, so nothing needs counting: the unique
            // (programme, person) makes a second registration find the first, without
            // serialising everyone who registers at once.
            let mut tx = self.begin().await?;
            tx.exec()
                .execute(
                    Sql::new(
                        "INSERT INTO advice_registrations (programme_id, user_id, reference, \
                         groups, region, status, window_opens, created_at) \
                         VALUES ($1, $2, $3, $4, $5, 'registered', $6, $7) \
                         ON CONFLICT (programme_id, user_id) DO NOTHING",
                    )
                    .arg(new.programme_id)
                    .arg(new.user_id)
                    .arg(new.reference)
                    .arg(json(&new.groups)?)
                    .arg(new.region)
                    .arg(window)
                    .arg(new.at),
                )
                .await?;
            let found = registration_in(&mut tx, new.programme_id, new.user_id).await?;
            tx.commit().await?;
            return found.ok_or_else(|| StoreError::Backend("registration not found".into()));
        }
        let mut tx = self.begin().await?;
        tx.lock_keys(&[&lock_key(new.programme_id)]).await?;
        if let Some(existing) = registration_in(&mut tx, new.programme_id, new.user_id).await? {
            tx.commit().await?;
            return Ok(existing);
        }
        // A place if one is left: taken on the programme's count in this transaction.
        let taken: Option<(i64,)> = tx
            .exec()
            .fetch_optional(
                Sql::new(
                    "UPDATE advice_programmes SET places_given = places_given + 1 \
                     WHERE id = $1 AND places_given < $2 RETURNING places_given",
                )
                .arg(new.programme_id)
                .arg(i64::from(new.capacity)),
            )
            .await?;
        let (status, position) = if taken.is_some() {
            (RegistrationStatus::Allocated, None)
        } else {
            let (last_position,): (Option<i64>,) = tx
                .exec()
                .fetch_one(
                    Sql::new(
                        "SELECT MAX(waitlist_position) FROM advice_registrations \
                         WHERE programme_id = $1",
                    )
                    .arg(new.programme_id),
                )
                .await?;
            (
                RegistrationStatus::Waitlisted,
                Some(last_position.unwrap_or(0) + 1),
            )
        };
        let row: RegistrationRow = tx
            .exec()
            .fetch_one(
                Sql::new(format!(
                    "INSERT INTO advice_registrations (programme_id, user_id, reference, groups, region, \
                     status, waitlist_position, window_opens, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {REGISTRATION_COLUMNS}"
                ))
                .arg(new.programme_id)
                .arg(new.user_id)
                .arg(new.reference)
                .arg(json(&new.groups)?)
                .arg(new.region)
                .arg(status.as_str())
                .arg(position)
                .arg(new.window_opens)
                .arg(new.at),
            )
            .await?;
        tx.commit().await?;
        row.into_registration()
    }

    async fn registration(
        &self,
        programme_id: ProgrammeId,
        user_id: UserId,
    ) -> StoreResult<Option<Registration>> {
        let row: Option<RegistrationRow> = self
            .fetch_optional(registration_query(programme_id, user_id))
            .await?;
        row.map(RegistrationRow::into_registration).transpose()
    }

    async fn waiting_for_draw(
        &self,
        programme_id: ProgrammeId,
        window_opens: UnixTime,
    ) -> StoreResult<Vec<Registration>> {
        let rows: Vec<RegistrationRow> = self
            .fetch_all(
                Sql::new(format!(
                    "SELECT {REGISTRATION_COLUMNS} FROM advice_registrations \
                     WHERE programme_id = $1 AND window_opens = $2 AND status = 'registered' \
                     ORDER BY reference"
                ))
                .arg(programme_id)
                .arg(window_opens),
            )
            .await?;
        rows.into_iter()
            .map(RegistrationRow::into_registration)
            .collect()
    }

    async fn record_draw(
        &self,
        programme_id: ProgrammeId,
        window_opens: UnixTime,
        draw: &PublishedDraw,
        capacity: u32,
        at: UnixTime,
    ) -> StoreResult<PublishedDraw> {
        let mut tx = self.begin().await?;
        tx.lock_keys(&[&lock_key(programme_id)]).await?;
        let stored = tx
            .exec()
            .fetch_optional(draw_query(programme_id, window_opens))
            .await?;
        if let Some(done) = read_draw(stored)? {
            tx.commit().await?;
            return Ok(done);
        }
        let waiting: Vec<(String,)> = tx
            .exec()
            .fetch_all(
                Sql::new(
                    "SELECT reference FROM advice_registrations \
                     WHERE programme_id = $1 AND window_opens = $2 AND status = 'registered' \
                     ORDER BY reference",
                )
                .arg(programme_id)
                .arg(window_opens),
            )
            .await?;
        let drawn: Vec<&str> = draw
            .registrations
            .iter()
            .map(|r| r.registration.as_str())
            .collect();
        if waiting.len() != drawn.len() || waiting.iter().zip(&drawn).any(|((a,), b)| a != b) {
            return tx
                .fail(StoreError::Refused(format!(
                    "the draw lists {} registrations, {} are waiting for it",
                    drawn.len(),
                    waiting.len()
                )))
                .await;
        }
        let given: i64 = tx
            .exec()
            .fetch_one(places_given_query(programme_id))
            .await
            .map(|(n,): (i64,)| n)?;
        let places = draw
            .result
            .iter()
            .filter(|l| !l.outcome.starts_with("waitlist"))
            .count() as i64;
        if given + places > i64::from(capacity) {
            return tx
                .fail(StoreError::Refused(format!(
                    "the draw gives {places} places, {} are left",
                    i64::from(capacity) - given
                )))
                .await;
        }
        count_places(&mut tx, programme_id, places).await?;
        tx.exec()
            .execute(
                Sql::new(
                    "INSERT INTO advice_draws (programme_id, window_opens, published, drawn_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .arg(programme_id)
                .arg(window_opens)
                .arg(json(draw)?)
                .arg(at),
            )
            .await?;
        // Every outcome into the draw's lines, in bulk, then onto the registrations at once.
        let mut lines: Vec<(&str, &'static str, Option<i64>, Option<i64>)> = Vec::new();
        for line in &draw.result {
            let outcome = &line.outcome;
            let parsed = if let Some(position) = outcome.strip_prefix("waitlist ") {
                position
                    .parse::<i64>()
                    .ok()
                    .map(|p| ("waitlisted", None, Some(p)))
            } else if let Some(reserve) = outcome.strip_prefix("reserve ") {
                reserve
                    .parse::<i64>()
                    .ok()
                    .map(|r| ("allocated", Some(r), None))
            } else {
                (outcome == "open").then_some(("allocated", None, None))
            };
            let (status, reserve, position) = parsed.ok_or_else(|| {
                StoreError::Backend(format!("draw outcome '{outcome}' cannot be read"))
            })?;
            lines.push((line.registration.as_str(), status, reserve, position));
        }
        for chunk in lines.chunks(CHUNK) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let at = 3 + i * 4;
                    format!("($1, $2, ${}, ${}, ${}, ${})", at, at + 1, at + 2, at + 3)
                })
                .collect();
            let mut sql = Sql::new(format!(
                "INSERT INTO advice_draw_lines (programme_id, window_opens, reference, status, \
                 reserve, position) VALUES {}",
                values.join(", ")
            ))
            .arg(programme_id)
            .arg(window_opens);
            for (reference, status, reserve, position) in chunk {
                sql = sql
                    .arg(*reference)
                    .arg(*status)
                    .arg(*reserve)
                    .arg(*position);
            }
            tx.exec().execute(sql).await?;
        }
        tx.exec()
            .execute(
                Sql::new(
                    "UPDATE advice_registrations SET status = l.status, reserve = l.reserve, \
                     waitlist_position = l.position FROM advice_draw_lines AS l \
                     WHERE l.programme_id = $1 AND l.window_opens = $2 \
                     AND advice_registrations.programme_id = $1 \
                     AND advice_registrations.reference = l.reference",
                )
                .arg(programme_id)
                .arg(window_opens),
            )
            .await?;
        tx.commit().await?;
        Ok(draw.clone())
    }

    async fn registration_facts(
        &self,
        programme_id: ProgrammeId,
    ) -> StoreResult<Vec<RegistrationFact>> {
        // The appointment that counts per registration: held or missed first, then planned,
        // then cancelled (ranked in SQL, the best one kept in Rust).
        let rows: Vec<(
            i64,
            String,
            Option<String>,
            String,
            Option<i64>,
            Option<String>,
        )> = self
            .fetch_all(
                Sql::new(
                    "SELECT r.id, r.groups, r.region, r.status, r.reserve, a.status \
                     FROM advice_registrations r \
                     LEFT JOIN advice_appointments a ON a.registration_id = r.id \
                     WHERE r.programme_id = $1 ORDER BY r.id",
                )
                .arg(programme_id),
            )
            .await?;
        let rank = |s: Option<&AppointmentStatus>| match s {
            Some(AppointmentStatus::Done | AppointmentStatus::NoShow) => 3,
            Some(AppointmentStatus::Booked) => 2,
            Some(AppointmentStatus::Cancelled) => 1,
            None => 0,
        };
        let mut out: Vec<(i64, RegistrationFact)> = Vec::new();
        for (id, groups, region, status, reserve, appointment) in rows {
            let appointment: Option<AppointmentStatus> = appointment
                .map(|a| a.parse().map_err(|e| corrupt("appointment status", e)))
                .transpose()?;
            if let Some((last, fact)) = out.last_mut()
                && *last == id
            {
                if rank(appointment.as_ref()) > rank(fact.appointment.as_ref()) {
                    fact.appointment = appointment;
                }
                continue;
            }
            out.push((
                id,
                RegistrationFact {
                    groups: serde_json::from_str(&groups)
                        .map_err(|e| corrupt("registration groups", e))?,
                    region,
                    status: status
                        .parse()
                        .map_err(|e| corrupt("registration status", e))?,
                    reserve: reserve.and_then(|r| usize::try_from(r).ok()),
                    appointment,
                },
            ));
        }
        Ok(out.into_iter().map(|(_, f)| f).collect())
    }

    async fn places_given(&self, programme_id: ProgrammeId) -> StoreResult<u32> {
        let (n,): (i64,) = self.fetch_one(places_given_query(programme_id)).await?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    async fn draw_of(
        &self,
        programme_id: ProgrammeId,
        window_opens: UnixTime,
    ) -> StoreResult<Option<PublishedDraw>> {
        read_draw(
            self.fetch_optional(draw_query(programme_id, window_opens))
                .await?,
        )
    }
}
