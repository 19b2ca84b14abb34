//! A programme's figures for its managers: how many registered, got a place, wait, booked,
//! were advised or did not come, by target group and by region.

use super::ports::{AppointmentStatus, RegistrationStatus};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the figures are made from: one registration with its latest appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationFact {
    pub groups: Vec<usize>,
    pub region: Option<String>,
    pub status: RegistrationStatus,
    pub reserve: Option<usize>,
    /// The appointment that counts: held or missed before planned, planned before cancelled.
    pub appointment: Option<AppointmentStatus>,
}

/// Counts for one slice of the registrations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub registrations: u64,
    /// Waiting for a window's draw.
    pub waiting: u64,
    pub allocated: u64,
    pub waitlisted: u64,
    pub cancelled: u64,
    /// Places with a planned appointment.
    pub booked: u64,
    pub held: u64,
    pub no_shows: u64,
}

impl Counts {
    fn add(&mut self, f: &RegistrationFact) {
        self.registrations += 1;
        match f.status {
            RegistrationStatus::Registered => self.waiting += 1,
            RegistrationStatus::Allocated => self.allocated += 1,
            RegistrationStatus::Waitlisted => self.waitlisted += 1,
            RegistrationStatus::Cancelled => self.cancelled += 1,
        }
        match f.appointment {
            Some(AppointmentStatus::Booked) => self.booked += 1,
            Some(AppointmentStatus::Done) => self.held += 1,
            Some(AppointmentStatus::NoShow) => self.no_shows += 1,
            Some(AppointmentStatus::Cancelled) | None => {}
        }
    }
}

/// The figures of one programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgrammeFigures {
    pub capacity: u32,
    pub total: Counts,
    /// Places left: capacity minus places given.
    pub remaining: u64,
    /// Per reserve (by index): the registrations in its target group.
    pub by_group: Vec<Counts>,
    /// Per labour-market region ("" when unknown), by name.
    pub by_region: BTreeMap<String, Counts>,
    /// Places given per reserve (by index), and from the open places (last).
    pub places_by_reserve: Vec<u64>,
}

/// Counts the facts of a programme with `capacity` places and `reserves` reserves.
pub fn figures(capacity: u32, reserves: usize, facts: &[RegistrationFact]) -> ProgrammeFigures {
    let mut total = Counts::default();
    let mut by_group = vec![Counts::default(); reserves];
    let mut by_region: BTreeMap<String, Counts> = BTreeMap::new();
    let mut places_by_reserve = vec![0u64; reserves + 1];
    for f in facts {
        total.add(f);
        for g in f.groups.iter().filter(|g| **g < reserves) {
            by_group[*g].add(f);
        }
        by_region
            .entry(f.region.clone().unwrap_or_default())
            .or_default()
            .add(f);
        if f.status == RegistrationStatus::Allocated {
            let at = f.reserve.filter(|r| *r < reserves).unwrap_or(reserves);
            places_by_reserve[at] += 1;
        }
    }
    ProgrammeFigures {
        capacity,
        remaining: u64::from(capacity).saturating_sub(total.allocated),
        total,
        by_group,
        by_region,
        places_by_reserve,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(
        groups: &[usize],
        region: &str,
        status: RegistrationStatus,
        reserve: Option<usize>,
        appointment: Option<AppointmentStatus>,
    ) -> RegistrationFact {
        RegistrationFact {
            groups: groups.to_vec(),
            region: Some(region.into()),
            status,
            reserve,
            appointment,
        }
    }

    #[test]
    fn figures_count_every_registration_once_per_slice() {
        use AppointmentStatus as A;
        use RegistrationStatus as R;
        let facts = [
            fact(&[0], "Zuid-Limburg", R::Allocated, Some(0), Some(A::Done)),
            fact(&[0], "Zuid-Limburg", R::Allocated, None, Some(A::NoShow)),
            fact(&[], "Midden-Limburg", R::Allocated, None, Some(A::Booked)),
            fact(&[], "Midden-Limburg", R::Waitlisted, None, None),
            fact(
                &[0],
                "Noord-Limburg",
                R::Cancelled,
                None,
                Some(A::Cancelled),
            ),
        ];
        let f = figures(10, 1, &facts);
        assert_eq!(f.total.registrations, 5);
        assert_eq!(
            (f.total.allocated, f.total.waitlisted, f.total.cancelled),
            (3, 1, 1)
        );
        assert_eq!((f.total.booked, f.total.held, f.total.no_shows), (1, 1, 1));
        assert_eq!(f.remaining, 7);
        assert_eq!(f.by_group[0].registrations, 3);
        assert_eq!(f.places_by_reserve, vec![1, 2]);
        assert_eq!(f.by_region["Midden-Limburg"].registrations, 2);
        let regions: u64 = f.by_region.values().map(|c| c.registrations).sum();
        assert_eq!(regions, 5);
    }
}
