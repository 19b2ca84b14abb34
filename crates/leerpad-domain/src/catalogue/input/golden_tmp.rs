use super::*;
use crate::regions::{Municipality, Regions};

fn check(name: &str, text: &str) {
    let path = format!("/tmp/golden/{name}.txt");
    match std::fs::read_to_string(&path) {
        Ok(old) => assert!(old == text, "{name} differs from golden"),
        Err(_) => std::fs::write(&path, text).expect("write golden"),
    }
}

struct R(u64, usize);
impl R {
    fn bad(&mut self) -> bool {
        let k = self.1;
        self.n(k) == 0
    }
    fn n(&mut self, k: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % k as u64) as usize
    }
    fn s(&mut self, pool: &[&str]) -> String {
        // The first two entries are good values; the rest are picked only sometimes.
        if pool.len() > 2 && !self.bad() {
            return pool[self.n(2)].to_owned();
        }
        pool[self.n(pool.len())].to_owned()
    }
    fn o(&mut self, pool: &[&str]) -> Option<String> {
        if self.n(3) == 0 {
            None
        } else {
            Some(self.s(pool))
        }
    }
    fn v(&mut self, pool: &[&str], max: usize) -> Vec<String> {
        let k = self.n(max + 1);
        (0..k).map(|_| self.s(pool)).collect()
    }
}

#[test]
fn golden_validate() {
    let regions = Regions::new(vec![Municipality {
        code: "GM0363".into(),
        name: "Amsterdam".into(),
        province: "Noord-Holland".into(),
        region: "Groot-Amsterdam".into(),
    }]);
    let skill_uri = |s: &str| s.ends_with("/known").then(|| s.replace("known", "K"));
    let checks = Checks {
        regions: &regions,
        skill_uri: &skill_uri,
    };
    let long = "x".repeat(250);
    let long2 = "y".repeat(2100);
    let texts = [
        "Titel",
        " Titel met spaties ",
        "",
        "  ",
        "a\u{0}b",
        "regel\nregel",
        long.as_str(),
        long2.as_str(),
        "ééé",
    ];
    let dates = [
        "2027-02-01",
        "",
        "2027-01-01",
        "2027-03-05",
        "2026-12-31",
        "nope",
        " 2027-02-10 ",
        "2027-02-30",
    ];
    let mut r = R(0x9E3779B97F4A7C15, 2);
    let mut out = String::new();
    for case in 0..30_000 {
        r.1 = [1, 2, 6, 30, 200][case % 5];
        let many = case % 500 == 0;
        let runs_n = if many { 205 } else { r.n(4) };
        let runs = (0..runs_n)
            .map(|_| RunInput {
                id: r.o(&["r1", "", " 7 ", long.as_str()]),
                start: r.o(&dates),
                end: r.o(&dates),
                municipality: r.o(&["Amsterdam", "GM0363", "", " ", "Atlantis", "gm0363"]),
                status: r.o(&["open", "closed", "", "full", "weird"]),
                application_deadline: r.o(&dates),
            })
            .collect();
        let costs_n = if many { 33 } else { r.n(4) };
        let costs = (0..costs_n)
            .map(|_| CostInput {
                kind: r.s(&["tuition", "materials", "exam", "", "fee"]),
                amount_cents: [
                    0i64,
                    100,
                    29_500,
                    MAX_AMOUNT_CENTS,
                    -5,
                    MAX_AMOUNT_CENTS + 1,
                ][if r.bad() { r.n(6) } else { r.n(4) }],
                vat_percent: [
                    None,
                    Some(0),
                    Some(9),
                    Some(21),
                    Some(19),
                    Some(-1),
                    Some(30),
                ][if r.bad() { r.n(7) } else { r.n(4) }],
                required: [None, Some(true), Some(false)][r.n(3)],
            })
            .collect();
        let mut skills = r.v(
            &[
                "http://e/skill/known",
                " http://e/skill/known ",
                "http://e/known",
                "bad",
                "",
            ],
            4,
        );
        if many {
            skills = (0..105).map(|i| format!("http://e/{i}/known")).collect();
        }
        let provider = if r.n(3) == 0 {
            None
        } else {
            Some(ProviderInput {
                kvk: r.s(&["1234 5678", "12345678", "123", "", "abcdefgh", "69599084"]),
                name: r.s(&texts),
                accreditations: r.v(&["NRTO", "CRKBO", "nrto", "XX", ""], 3),
                email: r.o(&["a@b.nl", "", "not-mail", " a@b.nl "]),
                phone: r.o(&["020 123", "", long.as_str()]),
                website: r.o(&["https://x.nl", "http://x.nl", "", "x.nl", "ftp://x"]),
            })
        };
        let input = OfferInput {
            provider,
            provider_offer_id: r.s(&["VCA-1", " id ", "", long.as_str(), "a\u{1}b"]),
            title: LocalizedInput {
                nl: r.o(&texts),
                en: r.o(&texts),
            },
            summary: LocalizedInput {
                nl: r.o(&texts),
                en: r.o(&texts),
            },
            description: LocalizedInput {
                nl: r.o(&texts),
                en: r.o(&texts),
            },
            kind: r.s(&[
                "course",
                "bbl",
                "kurs",
                "",
                " module ",
                "exam",
                "hbo_wo_course",
            ]),
            level: r.o(&["mbo2", "hbo", "", "wo", "mbo9", " mbo3 "]),
            nlqf: [None, Some(1), Some(4), Some(8), Some(0), Some(9), Some(-3)]
                [if r.bad() { r.n(7) } else { r.n(4) }],
            crebo: r.o(&["25123", " 25000 ", "", "12ab", "123456"]),
            croho: r.o(&["34567", "", "x"]),
            modality: r.s(&["online", "on_site", "blended", "", "remote"]),
            schedule: r.o(&["fixed_dates", "own_pace", "", "sometimes"]),
            runs,
            costs,
            study_load_hours: [
                None,
                Some(1),
                Some(40),
                Some(20_000),
                Some(0),
                Some(20_001),
                Some(-1),
            ][if r.bad() { r.n(7) } else { r.n(4) }],
            languages: r.v(&["nl", "en", " EN ", "nld", "", "n1", "de"], 3),
            credential: r.o(&[
                "certificate",
                "participation",
                "",
                "diploma?",
                "mbo_diploma",
            ]),
            skills,
            status: r.o(&["draft", "published", "", "archived", "gone"]),
        };
        out.push_str(&format!("{:?}\n", validate_offer(&input, &checks)));
        if case % 7 == 0 {
            if let Some(p) = &input.provider {
                out.push_str(&format!("P {:?}\n", validate_provider(p)));
            }
        }
    }
    check("validate", &out);
}
