use super::*;
use leerpad_domain::catalogue::search::{Facet, OfferFilters, PriceBand, SortOrder};
use leerpad_domain::catalogue::{Credential, Level, Modality, OfferKind};
use leerpad_domain::regions::{Municipality, Regions};
use leerpad_domain::shared::{Localized, OfferId, ProviderId};

fn regions() -> Regions {
    let m = |code: &str, name: &str, province: &str, region: &str| Municipality {
        code: code.into(),
        name: name.into(),
        province: province.into(),
        region: region.into(),
    };
    Regions::new(vec![
        m("GM0363", "Amsterdam", "Noord-Holland", "Groot-Amsterdam"),
        m("GM0935", "Maastricht", "Limburg", "Zuid-Limburg"),
        m("GM0599", "Rotterdam", "Zuid-Holland", "Rijnmond"),
    ])
}

fn day(m: u8, d: u8) -> Date {
    time::Date::from_calendar_date(
        2027,
        time::Month::try_from(m).unwrap_or(time::Month::January),
        d,
    )
    .unwrap_or(time::Date::MIN)
}

fn offer(id: i64, title: &str, kind: OfferKind, price: i64) -> IndexedOffer {
    IndexedOffer {
        offer_id: OfferId::new(id),
        provider_id: ProviderId::new(1),
        title: Localized {
            nl: title.into(),
            en: String::new(),
        },
        summary: Localized::default(),
        description: Localized::default(),
        provider_name: "Leerhuis".into(),
        skill_labels: vec![],
        skill_keys: vec![],
        occupation_keys: vec![],
        isco_groups: vec![],
        kind,
        level: Some(Level::Mbo2),
        modality: Modality::OnSite,
        provinces: vec!["Noord-Holland".into()],
        regions: vec!["Groot-Amsterdam".into()],
        gross_price_cents: leerpad_domain::shared::Money::from_cents(price),
        study_load_hours: Some(16),
        credential: Credential::Certificate,
        languages: vec!["nl".into()],
        starts: vec![day(2, 1)],
        published: true,
        updated_at: 0,
    }
}

fn catalogue() -> Vec<IndexedOffer> {
    let mut forklift = offer(
        1,
        "Heftruck rijden voor beginners",
        OfferKind::Course,
        39_500,
    );
    forklift.skill_labels = vec![
        ("en".into(), "operate forklift".into()),
        ("nl".into(), "heftruck besturen".into()),
    ];
    forklift.skill_keys = vec!["s-forklift".into(), "s-safety".into()];
    let mut nurse = offer(2, "Verpleegkunde niveau 4", OfferKind::BblTrack, 0);
    nurse.skill_keys = vec!["s-safety".into()];
    nurse.level = Some(Level::Mbo4);
    nurse.provinces = vec!["Limburg".into()];
    nurse.regions = vec!["Zuid-Limburg".into()];
    nurse.starts = vec![day(8, 31)];
    let mut cafe = offer(3, "Barista in het café", OfferKind::MicroLearning, 9_900);
    cafe.modality = Modality::Online;
    cafe.provinces = vec![];
    cafe.regions = vec![];
    cafe.languages = vec!["nl".into(), "en".into()];
    cafe.description = Localized {
        nl: "Je leert koffie zetten met een espressomachine en melk opschuimen.".into(),
        en: String::new(),
    };
    let mut draft = offer(4, "Heftruck gevorderd", OfferKind::Course, 45_000);
    draft.published = false;
    let mut weld = offer(5, "Lassen MIG/MAG", OfferKind::Course, 120_000);
    weld.provinces = vec!["Zuid-Holland".into()];
    weld.regions = vec!["Rijnmond".into()];
    weld.starts = vec![day(1, 20), day(3, 1)];
    vec![forklift, nurse, cafe, draft, weld]
}

fn index() -> SearchIndex {
    let index = SearchIndex::in_memory(&regions()).expect("index");
    index.upsert(&catalogue(), 5).expect("upsert");
    index
}

fn ids(page: &SearchPage) -> Vec<i64> {
    page.hits.iter().map(|h| h.offer_id.get()).collect()
}

fn q(text: &str) -> OfferQuery {
    OfferQuery {
        text: text.into(),
        ..Default::default()
    }
}

const TODAY: (u8, u8) = (1, 10);

fn search(index: &SearchIndex, query: &OfferQuery) -> SearchPage {
    index.search(query, day(TODAY.0, TODAY.1)).expect("search")
}

#[test]
fn dutch_stems_accents_typos_and_skill_synonyms() {
    let index = index();
    assert_eq!(
        ids(&search(&index, &q("verpleegkundige"))),
        vec![2],
        "stemmed"
    );
    assert_eq!(ids(&search(&index, &q("cafe"))), vec![3], "accents folded");
    assert_eq!(
        ids(&search(&index, &q("heftrcuk"))),
        vec![1],
        "typo tolerated"
    );
    assert_eq!(
        ids(&search(&index, &q("forklift"))),
        vec![1],
        "ESCO label of a taught skill"
    );
    assert_eq!(
        ids(&search(&index, &q("espressomachine"))),
        vec![3],
        "description"
    );
    assert!(search(&index, &q("zzzqqq")).hits.is_empty());
    // Every word must match; when no offer has all, offers with some are shown.
    assert_eq!(ids(&search(&index, &q("heftruck beginners"))), vec![1]);
    let some = search(&index, &q("heftruck verpleegkunde"));
    assert_eq!(some.total, 2);
    // Drafts are never found.
    assert!(!ids(&search(&index, &q("gevorderd"))).contains(&4));
}

#[test]
fn empty_query_lists_everything_with_facets() {
    let index = index();
    let all = search(&index, &q(""));
    assert_eq!(all.total, 4);
    let f = &all.facets;
    assert_eq!(f.count(Facet::Kind, "course"), 2);
    assert_eq!(f.count(Facet::Kind, "bbl"), 1);
    assert_eq!(f.count(Facet::Province, "Limburg"), 1);
    assert_eq!(f.count(Facet::Region, "Rijnmond"), 1);
    assert_eq!(f.count(Facet::Price, "free"), 1);
    assert_eq!(f.count(Facet::Price, "250-1000"), 1);
    assert_eq!(f.count(Facet::Modality, "online"), 1);
    assert_eq!(f.count(Facet::Language, "en"), 1);
    assert_eq!(f.count(Facet::Level, "mbo4"), 1);
    // Starts within 4 weeks of 10 January: 20 January (weld) and 1 February (forklift, café).
    assert_eq!(f.count(Facet::Start, "4"), 3);
    assert_eq!(f.count(Facet::Start, "26"), 3);
}

#[test]
fn filters_combine_and_facets_ignore_their_own_selection() {
    let index = index();
    let mut query = q("");
    query.filters = OfferFilters {
        kinds: vec![OfferKind::Course],
        ..Default::default()
    };
    let page = search(&index, &query);
    assert_eq!(page.total, 2);
    assert_eq!(
        page.facets.count(Facet::Kind, "bbl"),
        1,
        "other kinds keep their counts while one is chosen"
    );
    assert_eq!(
        page.facets.count(Facet::Province, "Limburg"),
        0,
        "other facets follow the selection"
    );
    query.filters.provinces = vec!["Zuid-Holland".into()];
    assert_eq!(ids(&search(&index, &query)), vec![5]);
    query.filters = OfferFilters {
        prices: vec![PriceBand::Free, PriceBand::UpTo250],
        ..Default::default()
    };
    let mut cheap = ids(&search(&index, &query));
    cheap.sort();
    assert_eq!(cheap, vec![2, 3]);
    query.filters = OfferFilters {
        start_within_weeks: Some(2),
        ..Default::default()
    };
    assert_eq!(ids(&search(&index, &query)), vec![5]);
    query.filters = OfferFilters {
        languages: vec!["en".into()],
        ..Default::default()
    };
    assert_eq!(ids(&search(&index, &query)), vec![3]);
}

#[test]
fn sorting_and_paging() {
    let index = index();
    let mut query = q("");
    query.sort = SortOrder::PriceAsc;
    assert_eq!(ids(&search(&index, &query)), vec![2, 3, 1, 5]);
    query.sort = SortOrder::PriceDesc;
    assert_eq!(ids(&search(&index, &query)), vec![5, 1, 3, 2]);
    query.sort = SortOrder::StartDate;
    assert_eq!(ids(&search(&index, &query)), vec![5, 1, 3, 2]);
    query.sort = SortOrder::PriceAsc;
    query.limit = 2;
    query.offset = 2;
    let page = search(&index, &query);
    assert_eq!(ids(&page), vec![1, 5]);
    assert_eq!(page.total, 4);
}

#[test]
fn updates_replace_and_removals_vanish() {
    let index = index();
    let mut renamed = offer(1, "Reachtruck rijden", OfferKind::Course, 39_500);
    renamed.skill_labels = vec![];
    index.upsert(&[renamed], 6).expect("update");
    assert!(search(&index, &q("heftruck beginners")).hits.is_empty());
    assert_eq!(ids(&search(&index, &q("reachtruck"))), vec![1]);
    assert_eq!(index.doc_count().expect("count"), 5);
    index.remove(&[OfferId::new(1)], 7).expect("remove");
    assert!(search(&index, &q("reachtruck")).hits.is_empty());
    assert_eq!(index.change_seq().expect("seq"), 7);
    index.clear().expect("clear");
    assert_eq!(index.doc_count().expect("count"), 0);
}

#[test]
fn highlights_mark_stemmed_matches() {
    let index = index();
    let text = "Je leert koffie zetten met een espressomachine en melk opschuimen.";
    let h = index.highlight("koffie zetten", "nl", false, &[text], 200);
    let marked: Vec<&str> = h[0]
        .segments()
        .into_iter()
        .filter(|(_, m)| *m)
        .map(|(t, _)| t)
        .collect();
    assert_eq!(marked, vec!["koffie", "zetten"]);
    let title = "Barista in het café, deel 1!";
    let t = index.highlight("barista", "nl", true, &[title], 10);
    assert_eq!(t[0].fragment, title, "titles are whole");
    assert_eq!(t[0].segments().first(), Some(&("Barista", true)));
    let unknown = index.highlight("zzz", "nl", true, &[title], 10);
    assert_eq!(unknown[0].fragment, title);
    let none = index.highlight("", "nl", false, &[text], 20);
    assert!(none[0].marks.is_empty() && none[0].fragment.len() <= 20);
}

#[test]
fn on_disk_index_survives_reopen_and_recovers_from_corruption() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("index");
    let r = regions();
    {
        let (index, opened) = SearchIndex::open(&path, &r).expect("create");
        assert_eq!(opened, Opened::Created);
        index.upsert(&catalogue(), 42).expect("upsert");
    }
    {
        let (index, opened) = SearchIndex::open(&path, &r).expect("reopen");
        assert_eq!(opened, Opened::Existing);
        assert_eq!(index.change_seq().expect("seq"), 42);
        assert_eq!(search(&index, &q("")).total, 4);
    }
    // Damage every segment file: the index is recreated empty, to be refilled.
    for entry in std::fs::read_dir(&path).expect("dir").flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.ends_with(".idx") || name.ends_with(".fast") || name.ends_with(".term") {
            std::fs::write(entry.path(), b"garbage").expect("damage");
        }
    }
    let (index, opened) = SearchIndex::open(&path, &r).expect("recover");
    assert_eq!(opened, Opened::Recreated);
    assert_eq!(index.change_seq().expect("seq"), 0);
    assert_eq!(index.doc_count().expect("count"), 0);
    // A missing meta file counts as no index.
    std::fs::remove_file(path.join("meta.json")).expect("rm");
    let (_, opened) = SearchIndex::open(&path, &r).expect("recreate");
    assert_eq!(opened, Opened::Created);
}

#[test]
fn bulk_writes_are_invisible_until_committed() {
    let index = SearchIndex::in_memory(&regions()).expect("index");
    {
        let mut bulk = index.bulk().expect("bulk");
        bulk.add(&catalogue()).expect("add");
        // Dropped without commit: nothing happened.
    }
    assert_eq!(index.doc_count().expect("count"), 0);
    let mut bulk = index.bulk().expect("bulk");
    bulk.add(&catalogue()[..2]).expect("add");
    bulk.add(&catalogue()[2..]).expect("add");
    assert_eq!(search(&index, &q("")).total, 0, "not yet visible");
    bulk.commit(9).expect("commit");
    assert_eq!(search(&index, &q("")).total, 4);
    assert_eq!(index.change_seq().expect("seq"), 9);
}

#[test]
fn offers_teaching_skills_rank_by_the_weight_they_cover() {
    let index = index();
    let query = OfferQuery {
        teaches: vec![("s-forklift".into(), 2.0), ("s-safety".into(), 1.0)],
        ..Default::default()
    };
    let page = search(&index, &query);
    assert_eq!(ids(&page), vec![1, 2]);
    assert!((page.hits[0].score - 3.0).abs() < 1e-4, "{:?}", page.hits);
    assert!((page.hits[1].score - 1.0).abs() < 1e-4);
    // Filters still apply, and words narrow further.
    let mut limburg = query.clone();
    limburg.filters.provinces = vec!["Limburg".into()];
    assert_eq!(ids(&search(&index, &limburg)), vec![2]);
    let mut words = query.clone();
    words.text = "heftruck".into();
    assert_eq!(ids(&search(&index, &words)), vec![1]);
    let none = OfferQuery {
        teaches: vec![("s-unknown".into(), 1.0)],
        ..Default::default()
    };
    assert_eq!(search(&index, &none).total, 0);
}

#[test]
fn a_part_of_a_dutch_compound_finds_the_compound_and_the_word_as_typed_ranks_first() {
    let index = SearchIndex::in_memory(&regions()).expect("index");
    let offers = vec![
        offer(
            10,
            "Heftruckchauffeur in de logistiek",
            OfferKind::Course,
            0,
        ),
        offer(11, "Heftruck rijden", OfferKind::Course, 0),
        offer(12, "Reachtruck rijden", OfferKind::Course, 0),
        offer(13, "Chauffeur op de bus", OfferKind::Course, 0),
        offer(20, "Zorgen voor naleving van regels", OfferKind::Course, 0),
        offer(21, "Medewerker ouderenzorg", OfferKind::Course, 0),
        offer(22, "Ouders en school", OfferKind::Course, 0),
    ];
    index.upsert(&offers, 5).expect("upsert");
    let found = ids(&search(&index, &q("heftruck")));
    assert_eq!(found, vec![11, 10], "the word first, then the compound");
    assert_eq!(ids(&search(&index, &q("reachtruck"))), vec![12]);
    // "ouderenzorg" is a kind of "zorg" ("ouder" + linking "en" + "zorg"); "zorgen" is only
    // another form of the word.
    assert_eq!(ids(&search(&index, &q("zorg"))), vec![21, 20]);
}
