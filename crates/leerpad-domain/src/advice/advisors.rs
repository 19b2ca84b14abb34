//! Career advisors: who they are, when they can see people, and the appointment slots that
//! follow from that.
//!
//! Availability is written in Dutch local time (weekday and hours, as an advisor thinks of
//! it), with days off; slots are computed in Europe/Amsterdam, so summer time is right.

use crate::UnixTime;
use crate::shared::{Date, FieldError};
use serde::{Deserialize, Serialize};

crate::shared::string_enum! {
    /// How an appointment takes place.
    Mode {
        Video = "video",
        Phone = "phone",
        Office = "office",
        /// At a public library (bibliotheek), for people without a quiet place or a computer.
        Library = "library",
    }
}

/// What an advisor tells learners about themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvisorProfile {
    pub name: String,
    pub organisation: String,
    /// E.g. "Noloc-register 12345".
    pub certification: String,
    #[serde(default)]
    pub specialisms: Vec<String>,
    /// Languages the advisor speaks (ISO 639-1: nl, en, ar, pl, tr, …).
    pub languages: Vec<String>,
    pub modes: Vec<Mode>,
    /// Municipality of the office or library, for those modes.
    #[serde(default)]
    pub place: Option<String>,
    /// Length of one appointment.
    pub appointment_minutes: u16,
    /// Time kept free after each appointment.
    #[serde(default)]
    pub buffer_minutes: u16,
    pub max_per_day: u8,
    /// The programmes (their slugs) the advisor works for: only their learners book them and
    /// only their questions are routed to them. Empty: an advisor for every programme.
    #[serde(default)]
    pub programmes: Vec<String>,
    /// Example data shipped with the demo.
    #[serde(default)]
    pub example: bool,
}

/// Hours on one weekday, local time (minutes after midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    pub from_minute: u16,
    pub until_minute: u16,
}

/// When an advisor works: weekly hours and days off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Availability {
    pub weekly: Vec<Hours>,
    #[serde(default, with = "days_off")]
    pub days_off: Vec<Date>,
}

mod days_off {
    use crate::shared::{Date, iso_date_option};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(days: &[Date], s: S) -> Result<S::Ok, S::Error> {
        let text: Vec<String> = days.iter().map(|d| iso_date_option::format(*d)).collect();
        text.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Date>, D::Error> {
        let text: Vec<String> = Vec::deserialize(d)?;
        text.iter()
            .map(|t| {
                iso_date_option::parse(t).ok_or_else(|| {
                    serde::de::Error::custom(format!("'{t}' is not a date (YYYY-MM-DD)"))
                })
            })
            .collect()
    }
}

/// A time an appointment can start, and when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Slot {
    pub starts_at: UnixTime,
    pub ends_at: UnixTime,
}

impl AdvisorProfile {
    /// Whether the advisor works for the programme with this slug.
    pub fn works_for(&self, programme: &str) -> bool {
        self.programmes.is_empty() || self.programmes.iter().any(|p| p == programme)
    }

    pub fn validate(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push(FieldError::new("name", "a name is required").coded("required", vec![]));
        }
        if self.languages.is_empty() {
            out.push(
                FieldError::new("languages", "at least one language").coded("required", vec![]),
            );
        }
        if self.modes.is_empty() {
            out.push(
                FieldError::new("modes", "at least one way to meet").coded("required", vec![]),
            );
        }
        if !(15..=240).contains(&self.appointment_minutes) {
            out.push(
                FieldError::new("appointment_minutes", "between 15 and 240 minutes")
                    .coded("between", vec![("min", "15".into()), ("max", "240".into())]),
            );
        }
        if self.max_per_day == 0 {
            out.push(
                FieldError::new("max_per_day", "must be at least 1")
                    .coded("at-least", vec![("min", "1".into())]),
            );
        }
        out
    }
}

impl Availability {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        for (i, h) in self.weekly.iter().enumerate() {
            if !(1..=7).contains(&h.weekday) {
                out.push(
                    FieldError::new(format!("weekly[{i}].weekday"), "1 (Monday) to 7 (Sunday)")
                        .coded("weekday", vec![]),
                );
            }
            if h.from_minute >= h.until_minute || h.until_minute > 24 * 60 {
                out.push(
                    FieldError::new(
                        format!("weekly[{i}].until_minute"),
                        "must be after the start",
                    )
                    .coded("closes-before-opens", vec![]),
                );
            }
        }
        out
    }
}

fn amsterdam() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap_or(jiff::tz::TimeZone::UTC)
}

/// The local day of a moment in Amsterdam.
pub fn local_day(at: UnixTime) -> Option<Date> {
    let zoned = jiff::Timestamp::from_second(at).ok()?.to_zoned(amsterdam());
    let d = zoned.date();
    let month = time::Month::try_from(u8::try_from(d.month()).ok()?).ok()?;
    Date::from_calendar_date(i32::from(d.year()), month, u8::try_from(d.day()).ok()?).ok()
}

/// A moment as Dutch local time written as `2027-01-10 09:00`, the way a programme manager
/// writes a window's opening and closing.
pub fn format_local_minute(at: UnixTime) -> Option<String> {
    let zoned = jiff::Timestamp::from_second(at).ok()?.to_zoned(amsterdam());
    Some(zoned.strftime("%Y-%m-%d %H:%M").to_string())
}

/// `2027-01-10 09:00` in Dutch local time as a moment; `None` when it is not such a time, or
/// does not exist (the hour skipped when summer time starts).
pub fn parse_local_minute(text: &str) -> Option<UnixTime> {
    let civil: jiff::civil::DateTime = text.trim().replacen(' ', "T", 1).parse().ok()?;
    let zoned = amsterdam()
        .to_ambiguous_zoned(civil)
        .unambiguous()
        .ok()
        .or_else(|| amsterdam().to_ambiguous_zoned(civil).earlier().ok())?;
    (zoned.datetime() == civil).then(|| zoned.timestamp().as_second())
}

/// The bounds (Unix seconds, end exclusive) of the Amsterdam day a moment falls on, for the
/// advisor's daily maximum; days of 23 or 25 hours included.
pub fn local_day_bounds(at: UnixTime) -> Option<(UnixTime, UnixTime)> {
    let tz = amsterdam();
    let day = jiff::Timestamp::from_second(at)
        .ok()?
        .to_zoned(tz.clone())
        .date();
    let start = day.to_zoned(tz.clone()).ok()?.timestamp().as_second();
    let next = day
        .tomorrow()
        .ok()?
        .to_zoned(tz)
        .ok()?
        .timestamp()
        .as_second();
    Some((start, next))
}

/// The free slots of an advisor from `from` (a moment) for `days` days: on the weekly hours,
/// not on days off, one appointment plus buffer after another, at most `max_per_day` a day
/// counting those already `booked`, and never overlapping a booked appointment.
pub fn free_slots(
    profile: &AdvisorProfile,
    availability: &Availability,
    from: UnixTime,
    days: u16,
    booked: &[Slot],
) -> Vec<Slot> {
    let tz = amsterdam();
    let Ok(start) = jiff::Timestamp::from_second(from) else {
        return Vec::new();
    };
    let first_day = start.to_zoned(tz.clone()).date();
    let length = i64::from(profile.appointment_minutes) * 60;
    let step = length + i64::from(profile.buffer_minutes) * 60;
    let mut out = Vec::new();
    for offset in 0..i64::from(days) {
        let Ok(day) = first_day.checked_add(jiff::Span::new().days(offset)) else {
            break;
        };
        let weekday = day.weekday().to_monday_one_offset();
        let Some(date) = to_date(day) else { continue };
        if availability.days_off.contains(&date) {
            continue;
        }
        let Ok(midnight) = day.to_zoned(tz.clone()) else {
            continue;
        };
        let midnight = midnight.timestamp().as_second();
        let day_end = midnight + 86_400 + 3_600; // a long day at the end of summer time
        let mut taken = booked
            .iter()
            .filter(|b| b.starts_at >= midnight && b.starts_at < day_end)
            .filter(|b| local_day(b.starts_at) == Some(date))
            .count();
        for hours in availability
            .weekly
            .iter()
            .filter(|h| i8::try_from(h.weekday).ok() == Some(weekday))
        {
            let Some(open) = local_moment(&tz, day, hours.from_minute) else {
                continue;
            };
            let Some(close) = local_moment(&tz, day, hours.until_minute) else {
                continue;
            };
            let mut at = open;
            while at + length <= close {
                if taken >= usize::from(profile.max_per_day) {
                    break;
                }
                let slot = Slot {
                    starts_at: at,
                    ends_at: at + length,
                };
                let clashes = booked
                    .iter()
                    .any(|b| b.starts_at < slot.ends_at && slot.starts_at < b.ends_at);
                if at >= from && !clashes {
                    out.push(slot);
                    taken += 1;
                }
                at += step;
            }
        }
    }
    out.sort();
    out
}

fn local_moment(tz: &jiff::tz::TimeZone, day: jiff::civil::Date, minute: u16) -> Option<UnixTime> {
    let hour = i8::try_from(minute / 60).ok()?;
    let min = i8::try_from(minute % 60).ok()?;
    let t = jiff::civil::Time::new(hour.min(23), min, 0, 0).ok()?;
    let dt = day.to_datetime(t);
    let zoned = dt.to_zoned(tz.clone()).ok()?;
    let extra = if minute >= 24 * 60 { 60 } else { 0 };
    Some(zoned.timestamp().as_second() + extra)
}

fn to_date(d: jiff::civil::Date) -> Option<Date> {
    let month = time::Month::try_from(u8::try_from(d.month()).ok()?).ok()?;
    Date::from_calendar_date(i32::from(d.year()), month, u8::try_from(d.day()).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advisor(max: u8) -> AdvisorProfile {
        AdvisorProfile {
            name: "Fatima El Amrani".into(),
            organisation: "Loopbaanbureau Parkstad".into(),
            certification: "Noloc-register 10234".into(),
            specialisms: vec!["zorg".into()],
            languages: vec!["nl".into(), "ar".into()],
            modes: vec![Mode::Video, Mode::Office],
            place: Some("Heerlen".into()),
            appointment_minutes: 60,
            buffer_minutes: 15,
            max_per_day: max,
            programmes: vec!["ontwikkeladvies-limburg".into()],
            example: false,
        }
    }

    #[test]
    fn an_advisor_works_for_their_programmes_or_for_all() {
        let a = advisor(4);
        assert!(a.works_for("ontwikkeladvies-limburg"));
        assert!(!a.works_for("ontwikkeladvies-nl-leert-door"));
        let everyone = AdvisorProfile {
            programmes: Vec::new(),
            ..advisor(4)
        };
        assert!(everyone.works_for("ontwikkeladvies-nl-leert-door"));
    }

    fn mondays_nine_to_one() -> Availability {
        Availability {
            weekly: vec![Hours {
                weekday: 1,
                from_minute: 9 * 60,
                until_minute: 13 * 60,
            }],
            days_off: Vec::new(),
        }
    }

    // Monday 11 January 2027, 00:00 in Amsterdam (winter time, UTC+1).
    const MONDAY: UnixTime = 1_799_622_000;

    #[test]
    fn slots_follow_the_hours_with_a_buffer_in_local_time() {
        let slots = free_slots(&advisor(8), &mondays_nine_to_one(), MONDAY, 7, &[]);
        // 09:00, 10:15, 11:30 (12:45 would end after 13:00).
        let starts: Vec<UnixTime> = slots.iter().map(|s| s.starts_at - MONDAY).collect();
        assert_eq!(starts, vec![9 * 3600, 10 * 3600 + 900, 11 * 3600 + 1800]);
        assert!(slots.iter().all(|s| s.ends_at - s.starts_at == 3600));
    }

    #[test]
    fn a_local_day_has_its_own_length() {
        assert_eq!(
            local_day_bounds(MONDAY + 10 * 3600),
            Some((MONDAY, MONDAY + 86_400))
        );
        // Sunday 28 March 2027, the start of summer time: 23 hours.
        let sunday = 1806235200;
        let (start, end) = local_day_bounds(sunday).expect("bounds");
        assert_eq!(end - start, 23 * 3600);
        assert!(start <= sunday && sunday < end);
    }

    #[test]
    fn a_window_time_is_written_and_read_in_dutch_local_time() {
        // 10 January 2027 09:00 in winter is 08:00 UTC; 1 July 09:00 in summer is 07:00 UTC.
        let winter = parse_local_minute("2027-01-10 09:00").expect("winter");
        assert_eq!(winter, 1_799_568_000);
        assert_eq!(
            format_local_minute(winter).as_deref(),
            Some("2027-01-10 09:00")
        );
        let summer = parse_local_minute("2027-07-01 09:00").expect("summer");
        assert_eq!(summer % 86_400, 7 * 3_600);
        // The hour that does not exist when summer time starts, and text that is no time.
        assert_eq!(parse_local_minute("2027-03-28 02:30"), None);
        assert_eq!(parse_local_minute("10 januari"), None);
        // The hour that comes twice when it ends: the first.
        let twice = parse_local_minute("2027-10-31 02:30").expect("ambiguous");
        assert_eq!(
            format_local_minute(twice).as_deref(),
            Some("2027-10-31 02:30")
        );
    }

    #[test]
    fn summer_time_keeps_nine_oclock_at_nine() {
        // Monday 5 July 2027, 00:00 in Amsterdam (summer time, UTC+2).
        let july = 1_814_738_400;
        let slots = free_slots(&advisor(8), &mondays_nine_to_one(), july, 1, &[]);
        assert_eq!(slots.first().map(|s| s.starts_at - july), Some(9 * 3600));
    }

    #[test]
    fn days_off_booked_appointments_and_the_daily_maximum_leave_fewer_slots() {
        let mut a = mondays_nine_to_one();
        let booked = [Slot {
            starts_at: MONDAY + 9 * 3600,
            ends_at: MONDAY + 10 * 3600,
        }];
        let slots = free_slots(&advisor(2), &a, MONDAY, 1, &booked);
        assert_eq!(slots.len(), 1, "one booked, at most two a day: {slots:?}");
        a.days_off.push(local_day(MONDAY + 3600).expect("day"));
        assert!(free_slots(&advisor(8), &a, MONDAY, 1, &[]).is_empty());
        // Not before the moment asked from.
        let later = free_slots(
            &advisor(8),
            &mondays_nine_to_one(),
            MONDAY + 10 * 3600,
            1,
            &[],
        );
        assert_eq!(later.len(), 2);
    }
}
