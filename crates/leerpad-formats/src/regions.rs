//! The municipalities of the Netherlands (2026) with their province and labour-market region,
//! from CBS "Gebieden in Nederland" (CC BY 4.0), compiled into the binary.

use leerpad_domain::regions::{Municipality, Regions};

static BUNDLED: &str = include_str!("../../../data/regions/gemeenten.csv");

/// The bundled table. It is checked by the tests, so reading it cannot fail at run time; a
/// malformed row would be skipped rather than stop the server.
pub fn bundled() -> Regions {
    let mut reader = csv::Reader::from_reader(BUNDLED.as_bytes());
    let municipalities = reader
        .records()
        .flatten()
        .filter_map(|r| {
            Some(Municipality {
                code: r.get(1)?.trim().to_owned(),
                name: r.get(2)?.trim().to_owned(),
                province: r.get(3)?.trim().to_owned(),
                region: r.get(4)?.trim().to_owned(),
            })
        })
        .collect();
    Regions::new(municipalities)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bundled_table_is_complete() {
        let r = super::bundled();
        assert_eq!(r.municipalities().len(), 342);
        assert_eq!(r.provinces().len(), 12);
        assert_eq!(r.regions().len(), 35);
        let nuenen = r.municipality("GM0820").map(|m| m.name.as_str());
        assert_eq!(
            nuenen,
            Some("Nuenen, Gerwen en Nederwetten"),
            "quoted names"
        );
        assert_eq!(
            r.municipality("Den Haag")
                .or(r.municipality("'s-Gravenhage"))
                .map(|m| m.province.as_str()),
            Some("Zuid-Holland")
        );
    }
}
