//! How an offer's filterable values are packed into three 64-bit columns, so the collector
//! reads three numbers per document instead of ten.

use leerpad_domain::catalogue::search::{FACET_LANGUAGES, IndexedOffer, LoadBand, PriceBand};
use leerpad_domain::catalogue::{Credential, Level, Modality, OfferKind};
use leerpad_domain::regions::Regions;
use leerpad_domain::shared::Date;

fn position<T: PartialEq>(all: &[T], v: &T) -> u64 {
    all.iter().position(|x| x == v).unwrap_or(0) as u64
}

/// kind (4 bits) | level + 1 (3) | modality (2) | credential (4) | price band (3) |
/// load band + 1 (3) | language mask (4) | published (1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Codes(pub u64);

impl Codes {
    pub fn of(o: &IndexedOffer) -> Codes {
        let kind = position(OfferKind::ALL, &o.kind);
        let level = o.level.map_or(0, |l| 1 + position(Level::ALL, &l));
        let modality = position(Modality::ALL, &o.modality);
        let credential = position(Credential::ALL, &o.credential);
        let price = position(PriceBand::ALL, &PriceBand::of(o.gross_price_cents));
        let load = o
            .study_load_hours
            .map_or(0, |h| 1 + position(LoadBand::ALL, &LoadBand::of(h)));
        let mut langs = 0u64;
        for l in &o.languages {
            let i = FACET_LANGUAGES
                .iter()
                .position(|x| x == l)
                .unwrap_or(FACET_LANGUAGES.len() - 1);
            langs |= 1 << i;
        }
        Codes(
            kind | level << 4
                | modality << 7
                | credential << 9
                | price << 13
                | load << 16
                | langs << 19
                | u64::from(o.published) << 23,
        )
    }

    pub fn kind(self) -> usize {
        (self.0 & 0xf) as usize
    }
    /// 0 when the offer states no level, else 1 + position in `Level::ALL`.
    pub fn level(self) -> usize {
        (self.0 >> 4 & 0x7) as usize
    }
    pub fn modality(self) -> usize {
        (self.0 >> 7 & 0x3) as usize
    }
    pub fn credential(self) -> usize {
        (self.0 >> 9 & 0xf) as usize
    }
    pub fn price(self) -> usize {
        (self.0 >> 13 & 0x7) as usize
    }
    /// 0 when the offer states no study load, else 1 + position in `LoadBand::ALL`.
    pub fn load(self) -> usize {
        (self.0 >> 16 & 0x7) as usize
    }
    pub fn languages(self) -> u64 {
        self.0 >> 19 & 0xf
    }
    pub fn published(self) -> bool {
        self.0 >> 23 & 1 == 1
    }
}

/// Bit positions of provinces (low bits) and labour-market regions (after them).
#[derive(Debug, Clone)]
pub struct Places {
    pub provinces: Vec<String>,
    pub regions: Vec<String>,
}

impl Places {
    pub fn new(regions: &Regions) -> Places {
        Places {
            provinces: regions.provinces().iter().take(16).cloned().collect(),
            regions: regions.regions().iter().take(48).cloned().collect(),
        }
    }

    fn province_bit(&self, name: &str) -> Option<u64> {
        self.provinces
            .iter()
            .position(|p| p == name)
            .map(|i| 1 << i)
    }

    fn region_bit(&self, name: &str) -> Option<u64> {
        self.regions
            .iter()
            .position(|r| r == name)
            .map(|i| 1 << (16 + i))
    }

    pub fn mask(&self, provinces: &[String], regions: &[String]) -> u64 {
        provinces
            .iter()
            .filter_map(|p| self.province_bit(p))
            .chain(regions.iter().filter_map(|r| self.region_bit(r)))
            .fold(0, |m, b| m | b)
    }

    pub fn province_mask(&self, names: &[String]) -> u64 {
        names
            .iter()
            .filter_map(|p| self.province_bit(p))
            .fold(0, |m, b| m | b)
    }

    pub fn region_mask(&self, names: &[String]) -> u64 {
        names
            .iter()
            .filter_map(|r| self.region_bit(r))
            .fold(0, |m, b| m | b)
    }

    /// Identifies the bit positions: an index made with other regions must be rebuilt.
    pub fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for name in self.provinces.iter().chain(&self.regions) {
            for b in name.bytes().chain([0]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        h
    }
}

/// Up to four upcoming start dates, as days since 2000-01-01 in 16-bit slots, earliest first
/// (0 = empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Starts(pub u64);

pub fn day_number(d: Date) -> u16 {
    let epoch = time::Date::from_calendar_date(2000, time::Month::January, 1)
        .map(|e| e.to_julian_day())
        .unwrap_or(2_451_545);
    (d.to_julian_day() - epoch).clamp(1, i32::from(u16::MAX)) as u16
}

impl Starts {
    pub fn pack(dates: &[Date]) -> Starts {
        let mut days: Vec<u16> = dates.iter().map(|d| day_number(*d)).collect();
        days.sort_unstable();
        days.dedup();
        Starts(
            days.iter()
                .take(4)
                .enumerate()
                .fold(0, |acc, (i, d)| acc | u64::from(*d) << (16 * i)),
        )
    }

    /// The first start on or after `from`.
    #[inline]
    pub fn next(self, from: u16) -> Option<u16> {
        // Slots are sorted with empty (0) ones last: the first slot on or after `from`.
        for i in 0..4 {
            let d = (self.0 >> (16 * i) & 0xffff) as u16;
            if d == 0 {
                return None;
            }
            if d >= from {
                return Some(d);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leerpad_domain::shared::Localized;
    use leerpad_domain::shared::{OfferId, ProviderId};

    fn offer() -> IndexedOffer {
        IndexedOffer {
            offer_id: OfferId::new(1),
            provider_id: ProviderId::new(1),
            title: Localized::default(),
            summary: Localized::default(),
            description: Localized::default(),
            provider_name: String::new(),
            skill_labels: vec![],
            skill_keys: vec![],
            occupation_keys: vec![],
            isco_groups: vec![],
            kind: OfferKind::Exam,
            level: Some(Level::Wo),
            modality: Modality::Blended,
            provinces: vec![],
            regions: vec![],
            gross_price_cents: leerpad_domain::shared::Money::from_cents(300_000),
            study_load_hours: Some(500),
            credential: Credential::IndustryCertificate,
            languages: vec!["en".into(), "fr".into()],
            starts: vec![],
            published: true,
            updated_at: 0,
        }
    }

    #[test]
    fn codes_round_trip_at_the_edges() {
        let c = Codes::of(&offer());
        assert_eq!(c.kind(), OfferKind::ALL.len() - 1);
        assert_eq!(c.level(), Level::ALL.len());
        assert_eq!(c.modality(), 2);
        assert_eq!(c.credential(), Credential::ALL.len() - 1);
        assert_eq!(c.price(), PriceBand::ALL.len() - 1);
        assert_eq!(c.load(), LoadBand::ALL.len());
        assert_eq!(c.languages(), 0b1010, "en and other");
        assert!(c.published());
        let mut none = offer();
        none.level = None;
        none.study_load_hours = None;
        none.published = false;
        let c = Codes::of(&none);
        assert_eq!((c.level(), c.load(), c.published()), (0, 0, false));
    }

    #[test]
    fn starts_keep_the_four_earliest() {
        let d = |m: u8, day: u8| {
            time::Date::from_calendar_date(
                2027,
                time::Month::try_from(m).unwrap_or(time::Month::January),
                day,
            )
            .unwrap_or(time::Date::MIN)
        };
        let s = Starts::pack(&[d(5, 1), d(1, 1), d(3, 1), d(2, 1), d(4, 1)]);
        assert_eq!(s.next(0), Some(day_number(d(1, 1))));
        assert_eq!(s.next(day_number(d(1, 20))), Some(day_number(d(2, 1))));
        assert_eq!(s.next(day_number(d(4, 2))), None, "the fifth is dropped");
        assert_eq!(s.next(day_number(d(1, 2))), Some(day_number(d(2, 1))));
        assert_eq!(Starts::pack(&[]).next(0), None);
    }
}
