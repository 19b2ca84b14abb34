//! Behaviour of lookup, title matching and extraction on a small hand-made taxonomy.

use super::extract::SkillExtractor;
use super::lookup::MatchTier;
use super::titles::TitleMatcher;
use super::*;

fn texts(lang: &str, preferred: &str, alt: &[&str], description: &str) -> Texts {
    Texts {
        lang: lang.into(),
        preferred: preferred.into(),
        alt: alt.iter().map(|s| s.to_string()).collect(),
        alt_text: String::new(),
        description: description.into(),
    }
}

fn fixture() -> Taxonomy {
    let skill = |key: &str, t: Vec<Texts>| SkillRecord {
        uri: format!("http://data.europa.eu/esco/skill/{key}"),
        texts: t,
        ..Default::default()
    };
    let occ = |key: &str, t: Vec<Texts>| OccupationRecord {
        uri: format!("http://data.europa.eu/esco/occupation/{key}"),
        isco_code: "2221".into(),
        texts: t,
        ..Default::default()
    };
    let data = TaxonomyData {
        version: "fixture".into(),
        skills: vec![
            skill(
                "s-java",
                vec![texts(
                    "en",
                    "Java (computer programming)",
                    &["Java"],
                    "The techniques of software development in Java.",
                )],
            ),
            skill(
                "s-wound",
                vec![texts(
                    "en",
                    "provide wound care",
                    &["dress wounds"],
                    "Clean and dress wounds of patients.",
                )],
            ),
            skill(
                "s-excel",
                vec![
                    texts("en", "use spreadsheets software", &["Excel"], ""),
                    texts(
                        "nl",
                        "spreadsheetsoftware gebruiken",
                        &["Excel gebruiken"],
                        "",
                    ),
                ],
            ),
            skill(
                "s-clean",
                vec![texts(
                    "en",
                    "clean rooms",
                    &[],
                    "Clean rooms by vacuuming and mopping floors.",
                )],
            ),
            skill(
                "s-forklift",
                vec![texts(
                    "en",
                    "operate forklift",
                    &[],
                    "Operate a forklift truck.",
                )],
            ),
        ],
        occupations: vec![
            occ(
                "o-nurse",
                vec![
                    texts(
                        "en",
                        "nurse responsible for general care",
                        &["general nurse"],
                        "Nurses care for patients.",
                    ),
                    texts("nl", "verpleegkundige", &["verpleger"], ""),
                ],
            ),
            occ(
                "o-dev",
                vec![texts(
                    "en",
                    "software developer",
                    &["programmer", "Java developer"],
                    "Develops software.",
                )],
            ),
            occ(
                "o-cleaner",
                vec![
                    texts("en", "cleaner", &["housekeeper"], "Cleans rooms."),
                    texts("nl", "schoonmaker", &[], ""),
                ],
            ),
        ],
        occupation_skills: vec![
            OccupationSkill {
                occupation: 0,
                skill: 1,
                relevance: Relevance::Essential,
            },
            OccupationSkill {
                occupation: 1,
                skill: 0,
                relevance: Relevance::Essential,
            },
            OccupationSkill {
                occupation: 1,
                skill: 2,
                relevance: Relevance::Optional,
            },
            OccupationSkill {
                occupation: 2,
                skill: 3,
                relevance: Relevance::Essential,
            },
            OccupationSkill {
                occupation: 0,
                skill: 2,
                relevance: Relevance::Optional,
            },
        ],
        ..Default::default()
    };
    Taxonomy::new(data)
}

#[test]
fn keys_and_relations() {
    let t = fixture();
    let java = t.skill_id("s-java").expect("java");
    assert_eq!(
        t.skill_id("http://data.europa.eu/esco/skill/s-java"),
        Some(java)
    );
    let dev = t.occupation_id("o-dev").expect("dev");
    assert_eq!(
        t.skills_of(dev).first(),
        Some(&(java, Relevance::Essential)),
        "essential first"
    );
    assert_eq!(t.occupations_with(2).len(), 2);
}

#[test]
fn labels_fall_back_to_english_visibly() {
    let t = fixture();
    let java = t.skill(0).expect("skill");
    let l = label_in(&java.texts, "nl");
    assert_eq!(
        (l.text, l.lang, l.fallback),
        ("Java (computer programming)", "en", true)
    );
    let excel = t.skill(2).expect("skill");
    assert_eq!(
        label_in(&excel.texts, "nl").text,
        "spreadsheetsoftware gebruiken"
    );
    assert!(!label_in(&excel.texts, "nl").fallback);
}

#[test]
fn lookup_ranks_exact_then_prefix_then_words_then_fuzzy() {
    let t = fixture();
    let hits = t.lookup_occupations("verpleegkundige", "nl", 5);
    assert_eq!(
        hits.first().map(|(id, h)| (*id, h.tier)),
        Some((0, MatchTier::Exact))
    );
    let hits = t.lookup_occupations("verpl", "nl", 5);
    assert_eq!(
        hits.first().map(|(id, h)| (*id, h.tier)),
        Some((0, MatchTier::Prefix))
    );
    let hits = t.lookup_occupations("nurse general", "en", 5);
    assert_eq!(
        hits.first().map(|(id, h)| (*id, h.tier)),
        Some((0, MatchTier::Words))
    );
    let hits = t.lookup_occupations("verpleegkundge", "nl", 5);
    assert_eq!(
        hits.first().map(|(id, h)| (*id, h.tier)),
        Some((0, MatchTier::Fuzzy))
    );
    let hits = t.lookup_skills("excel", "nl", 5);
    assert_eq!(
        hits.first().map(|(id, _)| *id),
        Some(2),
        "alternative labels are searched"
    );
    assert!(t.lookup_skills("", "nl", 5).is_empty());
    assert!(t.lookup_skills("zzzzzz", "nl", 5).is_empty());
}

#[test]
fn titles_match_labels_and_synonyms() {
    let t = fixture();
    let m = TitleMatcher::new(&t);
    assert_eq!(
        m.match_title("Java Developer", "en", 3, None)
            .first()
            .map(|r| r.occupation),
        Some(1)
    );
    assert_eq!(
        m.match_title("verpleegkundige", "nl", 3, None)
            .first()
            .map(|r| r.occupation),
        Some(0)
    );
    assert_eq!(
        m.match_title("Housekeeper (m/f)", "en", 3, None)
            .first()
            .map(|r| r.occupation),
        Some(2)
    );
    assert!(m.match_title("   ", "en", 3, None).is_empty());
}

#[test]
fn extraction_finds_skills_with_evidence() {
    let t = fixture();
    let x = SkillExtractor::new(&t);
    let found = x.extract(
        "We zoeken iemand die Excel kent. You will dress wounds of patients.",
        "en",
        5,
        None,
    );
    let ids: Vec<SkillId> = found.iter().map(|e| e.skill).collect();
    assert!(ids.contains(&1) && ids.contains(&2), "{found:?}");
    let wound = found.iter().find(|e| e.skill == 1).expect("wound care");
    assert_eq!(wound.sentence, "You will dress wounds of patients");
    assert_eq!(wound.matched_label.as_deref(), Some("dress wounds"));
    // Dutch text does not match English labels through colliding stems ("jaren" → "jar").
    let dutch = x.extract("Ik heb jaren gewerkt en ken Excel goed", "nl", 5, None);
    assert!(
        dutch.iter().any(|e| e.skill == 2),
        "Excel, a Dutch label of the skill: {dutch:?}"
    );
    assert!(
        dutch
            .iter()
            .all(|e| e.matched_label.as_deref() != Some("provide wound care"))
    );
    let java = x.extract("javascript reactjs java", "en", 3, None);
    assert_eq!(
        java.first().map(|e| e.skill),
        Some(0),
        "parenthetical qualifiers do not block a match"
    );
    assert!(x.extract("", "en", 5, None).is_empty());
    let long = "forklift ".repeat(200_000);
    assert!(
        !x.extract(&long, "en", 5, None).is_empty(),
        "long text is cut, not refused"
    );
}

#[test]
fn vacancy_noise_is_removed_from_titles() {
    use super::titles::clean_title;
    assert_eq!(
        clean_title("SALES EXECUTIVE (Selangor/Penang)"),
        "SALES EXECUTIVE"
    );
    assert_eq!(
        clean_title("Senior Java Developer - m/v/x"),
        "Java Developer"
    );
    assert_eq!(clean_title("Verzorgende IG [32 uur]"), "Verzorgende IG");
    assert_eq!(
        clean_title("Senior"),
        "Senior",
        "nothing left: keep the title"
    );
    assert_eq!(clean_title("  (intern)  "), "(intern)");
}

#[test]
fn job_offer_counts_break_ties_between_equal_matches() {
    let occ = |key: &str, label: &str| OccupationRecord {
        uri: format!("http://data.europa.eu/esco/occupation/{key}"),
        texts: vec![texts("en", label, &[], "")],
        ..Default::default()
    };
    let t = Taxonomy::new(TaxonomyData {
        occupations: vec![
            occ("o-a", "sales assistant"),
            occ("o-m", "sales manager"),
            occ("o-n", "nurse"),
        ],
        ..Default::default()
    });
    let mut m = TitleMatcher::new(&t);
    let ranked = |m: &TitleMatcher, title: &str| -> Vec<OccupationId> {
        m.match_title(title, "en", 3, None)
            .iter()
            .map(|r| r.occupation)
            .collect()
    };
    assert_eq!(ranked(&m, "sales"), vec![0, 1], "a tie, broken by id");
    m.set_job_offers([(1, 5_000), (0, 10), (2, 100_000)]);
    assert_eq!(ranked(&m, "sales"), vec![1, 0], "the more advertised first");
    assert_eq!(
        ranked(&m, "sales assistant").first(),
        Some(&0),
        "a full label match is not overturned by popularity"
    );
    assert!(
        !ranked(&m, "sales").contains(&2),
        "popularity alone never makes a candidate"
    );
    m.set_job_offers([(999, 5)]);
    assert_eq!(ranked(&m, "sales"), vec![0, 1], "unknown ids are ignored");
}

#[test]
fn mentions_are_whole_labels_only() {
    let t = fixture();
    let x = SkillExtractor::new(&t);
    let found = x.mentions(
        "Wij leren je Excel en je gaat een forklift operate.",
        "en",
        5,
    );
    let ids: Vec<SkillId> = found.iter().map(|e| e.skill).collect();
    assert_eq!(
        ids,
        vec![2],
        "'Excel' is a label; 'forklift operate' is not the phrase 'operate forklift'"
    );
    assert!(x.mentions("", "nl", 5).is_empty());
}

/// A stand-in model: similarity from the text's length, so every text gets its own answer and
/// a batch that mixed them up would show.
struct LengthSimilarity(usize);

impl extract::SkillSimilarity for LengthSimilarity {
    fn similarities(&self, sentence: &str) -> Option<Vec<f32>> {
        Some(
            (0..self.0)
                .map(|i| ((sentence.len() * (i + 3)) % 7) as f32 / 7.0)
                .collect(),
        )
    }
}

impl titles::OccupationSimilarity for LengthSimilarity {
    fn similarities(&self, title: &str) -> Option<Vec<f32>> {
        extract::SkillSimilarity::similarities(self, title)
    }
}

#[test]
fn batches_give_the_same_answers_as_one_at_a_time() {
    let t = fixture();
    let extractor = SkillExtractor::new(&t);
    let skills = LengthSimilarity(t.skills().len());
    let texts: Vec<String> = (0..150)
        .map(|i| match i % 3 {
            0 => format!("I dress wounds. I use Excel {i} times a day."),
            1 => "Ik gebruik Excel.\nIk rijd heftruck en operate forklift".to_owned(),
            _ => String::new(),
        })
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let many = extractor.extract_many(&refs, "en", 5, Some(&skills));
    assert_eq!(many.len(), refs.len());
    for (text, found) in refs.iter().zip(&many) {
        assert_eq!(found, &extractor.extract(text, "en", 5, Some(&skills)));
    }
    assert!(many.iter().any(|f| !f.is_empty()));

    let matcher = TitleMatcher::new(&t);
    let occupations = LengthSimilarity(t.occupations().len());
    let titles: Vec<String> = (0..130)
        .map(|i| format!("Senior Java developer {i}"))
        .collect();
    let refs: Vec<&str> = titles.iter().map(String::as_str).collect();
    let many = matcher.match_titles(&refs, "en", 3, Some(&occupations));
    for (title, found) in refs.iter().zip(&many) {
        assert_eq!(
            found,
            &matcher.match_title(title, "en", 3, Some(&occupations))
        );
    }
    assert!(many.iter().all(|f| !f.is_empty()));
}

#[test]
fn a_part_of_a_dutch_occupation_name_finds_the_occupation() {
    let occ = |key: &str, label: &str| OccupationRecord {
        uri: format!("http://data.europa.eu/esco/occupation/{key}"),
        texts: vec![texts("nl", label, &[], "")],
        ..Default::default()
    };
    let t = Taxonomy::new(TaxonomyData {
        occupations: vec![
            occ("o-home", "ouderenzorg medewerker"),
            occ("o-care", "zorghulp"),
            occ("o-plan", "medewerker zorgplanning"),
            occ("o-worry", "zorgenkind begeleider"),
            occ("o-fork", "heftruckchauffeur"),
            occ("o-shop", "toezichthouder in winkel"),
            occ("o-baker", "bakker"),
            occ("o-middle", "thuiszorgmedewerker"),
        ],
        ..Default::default()
    });
    let mut care = t.occupations_with_part("zorg", 10);
    care.sort();
    // Ends with it, begins with it, begins with it after a linking "en" ("zorgen" alone would
    // not count); a middle part does not ("thuis·zorg·medewerker").
    assert_eq!(care, vec![0, 1, 2, 3]);
    assert_eq!(t.occupations_with_part("Heftruck", 10), vec![4]);
    assert_eq!(
        t.occupations_with_part("winkel", 10),
        vec![5],
        "a word of its own"
    );
    assert!(
        t.occupations_with_part("akker", 10).is_empty(),
        "bakker: no word before it"
    );
    assert!(
        t.occupations_with_part("zor", 10).is_empty(),
        "too short to mean anything"
    );
    assert!(
        t.occupations_with_part("zorg hulp", 10).is_empty(),
        "one word only"
    );
    assert_eq!(
        t.occupations_with_part("zorg", 2),
        vec![1, 3],
        "shortest names first"
    );
}
