use super::*;

fn check(name: &str, text: &str) {
    let path = format!("/tmp/golden/{name}.txt");
    match std::fs::read_to_string(&path) {
        Ok(old) => assert!(old == text, "{name} differs from golden"),
        Err(_) => std::fs::write(&path, text).expect("write golden"),
    }
}

#[test]
fn golden_demo() {
    let taxonomy = leerpad_esco::bundled().expect("taxonomy");
    let regions = leerpad_formats::regions::bundled();
    let mbo: Vec<MboTrack> = leerpad_formats::sbb::bundled_profiles()
        .into_iter()
        .enumerate()
        .map(|(i, p)| MboTrack {
            profile: p.profile,
            description: p.description,
            core_tasks: p.core_tasks,
            occupation: (i % 3 == 0).then_some((i * 7 % 500) as u32),
        })
        .collect();
    let offers = leerpad_esco::bundled_job_offers();
    let mut out = String::new();
    for (seed, m, d, n) in [
        (7u64, 11u8, 23u8, 4000u64),
        (8, 3, 10, 3000),
        (12345, 9, 1, 600),
    ] {
        for mbo in [&mbo[..], &[][..]] {
            let src = Sources {
                taxonomy: &taxonomy,
                regions: &regions,
                mbo,
                job_offers: &offers,
            };
            let day = time::Date::from_calendar_date(2026, time::Month::try_from(m).expect("m"), d)
                .expect("d");
            for o in Generator::new(src, seed, day, n)
                .expect("gen")
                .take(n as usize)
            {
                out.push_str(&serde_json::to_string(&o).expect("json"));
                out.push('\n');
            }
        }
    }
    check("demo", &out);
}
