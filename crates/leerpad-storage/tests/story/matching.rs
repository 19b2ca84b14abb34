//! Matching: labour-market demand (written all or nothing) and learners' skills profiles.

use super::account;
use super::financing::regions;
use leerpad_domain::financing::EducationLevel;
use leerpad_domain::matching::demand::validate_record;
use leerpad_domain::matching::ports::StoredProfile;
use leerpad_domain::matching::{
    Area, DemandRecord, DemandSubject, LearnerProfile, ProfileOccupation, ProfileSkill,
    SkillOrigin, TravelRange,
};
use leerpad_domain::ports::{Store, StoreError};
use leerpad_domain::role::Role;
use leerpad_domain::shared::{Money, UserId};
use leerpad_domain::taxonomy::{
    OccupationRecord, OccupationSkill, Relevance, SkillRecord, Taxonomy, TaxonomyData, Texts,
};
use leerpad_storage::Engine;
use leerpad_storage::testing::TestDb;
use sqlx::Connection;

const FORKLIFT: &str = "http://data.europa.eu/esco/skill/story-forklift";
const SAFETY: &str = "http://data.europa.eu/esco/skill/story-safety";
const SPREADSHEET: &str = "http://data.europa.eu/esco/skill/story-spreadsheet";
const DRIVER: &str = "http://data.europa.eu/esco/occupation/story-forklift-driver";

fn texts(en: &str, nl: &str) -> Vec<Texts> {
    [("en", en), ("nl", nl)]
        .into_iter()
        .map(|(lang, preferred)| Texts {
            lang: lang.into(),
            preferred: preferred.into(),
            ..Default::default()
        })
        .collect()
}

/// A tiny taxonomy: one occupation with an essential and an optional skill, and a third skill.
fn taxonomy() -> Taxonomy {
    let skill = |uri: &str, en: &str, nl: &str| SkillRecord {
        uri: uri.into(),
        skill_type: "skill/competence".into(),
        reuse_level: "sector-specific".into(),
        texts: texts(en, nl),
    };
    Taxonomy::new(TaxonomyData {
        version: "story".into(),
        skills: vec![
            skill(FORKLIFT, "operate forklift", "heftruck besturen"),
            skill(SAFETY, "follow safety rules", "veiligheidsregels volgen"),
            skill(SPREADSHEET, "use spreadsheets", "spreadsheets gebruiken"),
        ],
        occupations: vec![OccupationRecord {
            uri: DRIVER.into(),
            isco_code: "8344".into(),
            code: "8344.1".into(),
            broader: None,
            texts: texts("forklift driver", "heftruckchauffeur"),
        }],
        occupation_skills: vec![
            OccupationSkill {
                occupation: 0,
                skill: 0,
                relevance: Relevance::Essential,
            },
            OccupationSkill {
                occupation: 0,
                skill: 1,
                relevance: Relevance::Optional,
            },
        ],
        ..Default::default()
    })
}

fn record(
    subject: DemandSubject,
    area: Area,
    period: &str,
    counts: (Option<u32>, Option<u32>),
    tension: Option<f64>,
    trend_percent: Option<f64>,
) -> DemandRecord {
    DemandRecord {
        subject,
        area,
        period: period.into(),
        vacancies: counts.0,
        job_seekers: counts.1,
        tension,
        trend_percent,
    }
}

/// A database fault for the story: a trigger that makes the database refuse demand figures
/// for `subject`, so that a save fails after it has written other rows.
async fn refuse_demand_for(db: &TestDb, subject: &str) {
    let refusal = "refused by the story";
    match db.store.engine_kind() {
        Engine::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(&db.url)
                .await
                .expect("second SQLite connection");
            sqlx::query(&format!(
                "CREATE TRIGGER story_refuse BEFORE INSERT ON demand_figures \
                 WHEN NEW.subject = '{subject}' BEGIN SELECT RAISE(ABORT, '{refusal}'); END"
            ))
            .execute(&mut conn)
            .await
            .expect("trigger");
            conn.close().await.expect("close");
        }
        Engine::Postgres => {
            let mut conn = postgres(db).await;
            for sql in [
                format!(
                    "CREATE FUNCTION story_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN IF NEW.subject = '{subject}' THEN RAISE EXCEPTION '{refusal}'; END IF; \
                     RETURN NEW; END $$"
                ),
                "CREATE TRIGGER story_refuse BEFORE INSERT ON demand_figures \
                 FOR EACH ROW EXECUTE FUNCTION story_refuse()"
                    .to_owned(),
            ] {
                sqlx::query(&sql).execute(&mut conn).await.expect("trigger");
            }
            conn.close().await.expect("close");
        }
    }
}

async fn stop_refusing(db: &TestDb) {
    match db.store.engine_kind() {
        Engine::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(&db.url)
                .await
                .expect("second SQLite connection");
            sqlx::query("DROP TRIGGER story_refuse")
                .execute(&mut conn)
                .await
                .expect("drop trigger");
            conn.close().await.expect("close");
        }
        Engine::Postgres => {
            let mut conn = postgres(db).await;
            sqlx::query("DROP TRIGGER story_refuse ON demand_figures")
                .execute(&mut conn)
                .await
                .expect("drop trigger");
            conn.close().await.expect("close");
        }
    }
}

/// A connection of its own to the test schema.
async fn postgres(db: &TestDb) -> sqlx::PgConnection {
    let mut conn = sqlx::PgConnection::connect(&db.url)
        .await
        .expect("second PostgreSQL connection");
    let schema = db.schema.as_deref().expect("test schema");
    sqlx::query(&format!("SET search_path TO {schema}"))
        .execute(&mut conn)
        .await
        .expect("search path");
    conn
}

pub(super) async fn matching_story(db: &TestDb) {
    let store: &dyn Store = &db.store;
    let taxonomy = taxonomy();
    let regions = regions();

    // Demand: read back in (subject, area, period) order, whatever the order written.
    assert!(store.demand().await.expect("demand").is_empty());
    let occupation = || DemandSubject::Occupation(DRIVER.into());
    let national_2026 = record(
        occupation(),
        Area::National,
        "2026",
        (Some(1_200), Some(300)),
        None,
        Some(4.5),
    );
    let region_q1 = record(
        occupation(),
        Area::Region("Zuid-Limburg".into()),
        "2026-Q1",
        (Some(80), Some(40)),
        None,
        Some(-1.25),
    );
    let province_month = record(
        DemandSubject::Isco("8344".into()),
        Area::Province("Limburg".into()),
        "2026-03",
        (None, None),
        Some(0.75),
        None,
    );
    let isco_group = record(
        DemandSubject::Isco("83".into()),
        Area::National,
        "2025",
        (Some(9_000), None),
        None,
        Some(-3.5),
    );
    let national_2025 = record(
        occupation(),
        Area::National,
        "2025",
        (Some(1_000), Some(320)),
        None,
        Some(0.0),
    );
    let written = vec![
        national_2026.clone(),
        region_q1.clone(),
        province_month.clone(),
        isco_group.clone(),
        national_2025.clone(),
    ];
    for r in &written {
        assert_eq!(validate_record(r, &taxonomy, &regions), vec![], "{r:?}");
    }
    assert_eq!(store.save_demand(&written, 4_000).await.expect("save"), 5);
    let mut expected = vec![
        isco_group.clone(),
        province_month.clone(),
        national_2025.clone(),
        national_2026.clone(),
        region_q1.clone(),
    ];
    assert_eq!(store.demand().await.expect("demand"), expected);

    // The same subject, area and period replaces the figure.
    let revised = record(
        occupation(),
        Area::National,
        "2026",
        (Some(1_500), Some(250)),
        Some(6.0),
        Some(6.25),
    );
    assert_eq!(
        store
            .save_demand(std::slice::from_ref(&revised), 4_100)
            .await
            .expect("replace"),
        1
    );
    expected[3] = revised;
    assert_eq!(store.demand().await.expect("demand"), expected);

    // All or nothing: a change first, many new figures, and one the database refuses last
    // (after at least one batch of rows was written); nothing of it stays.
    let mut many = vec![record(
        occupation(),
        Area::Region("Zuid-Limburg".into()),
        "2026-Q1",
        (Some(1), Some(1)),
        None,
        None,
    )];
    many.extend((0..1_100u32).map(|i| {
        record(
            DemandSubject::Isco(format!("{}", 1_000 + i)),
            Area::National,
            "2026",
            (Some(i), Some(10)),
            None,
            Some(f64::from(i) / 4.0),
        )
    }));
    for r in &many {
        assert_eq!(validate_record(r, &taxonomy, &regions), vec![], "{r:?}");
    }
    refuse_demand_for(db, "isco:2099").await;
    let refused = store.save_demand(&many, 4_200).await;
    assert!(
        matches!(refused, Err(StoreError::Backend(ref m)) if m.contains("refused by the story")),
        "{refused:?}"
    );
    assert_eq!(
        store.demand().await.expect("demand"),
        expected,
        "a failed save leaves the figures as they were"
    );
    stop_refusing(db).await;
    assert_eq!(
        store.save_demand(&many, 4_300).await.expect("save"),
        many.len() as u64
    );
    let all = store.demand().await.expect("demand");
    assert_eq!(all.len(), expected.len() + many.len() - 1);
    assert!(all.contains(&many[0]) && all.contains(&many[1_100]));
    assert!(!all.contains(&region_q1), "replaced by the second save");

    // Profiles: built with the taxonomy, saved whole at a version, read back, replaced whole
    // only by an edit of the stored version.
    let user = account(store, "profiel@example.nl", &[Role::Learner]).await;
    let other = account(store, "profiel2@example.nl", &[Role::Learner]).await;
    assert!(store.profile(user.id).await.expect("none").is_none());
    let mut profile = LearnerProfile {
        education: Some(EducationLevel::Mbo2),
        municipality: Some("Maastricht".into()),
        travel: Some(TravelRange::Region),
        hours_per_week: Some(6),
        budget_cents: Some(Money::from_cents(50_000)),
        ..Default::default()
    };
    profile.add_occupation(
        &taxonomy,
        ProfileOccupation {
            title: "Heftruckchauffeur bij Zoë's Logistiek".into(),
            uri: DRIVER.into(),
            current: true,
        },
    );
    profile.add_skill(ProfileSkill {
        uri: SPREADSHEET.into(),
        origin: SkillOrigin::Cv,
        occupation: None,
        essential: true,
    });
    assert_eq!(profile.skills.len(), 3);
    assert!(
        profile
            .skills
            .iter()
            .any(|s| s.uri == SAFETY && !s.essential && s.occupation.as_deref() == Some(DRIVER))
    );
    assert_eq!(profile.validate(&taxonomy, &regions), vec![]);
    let stored = |profile: &LearnerProfile, version| {
        Some(StoredProfile {
            profile: profile.clone(),
            version,
        })
    };
    assert_eq!(
        store
            .save_profile(user.id, &profile, 0, 5_000)
            .await
            .expect("first save"),
        1
    );
    assert_eq!(
        store.profile(user.id).await.expect("read"),
        stored(&profile, 1)
    );
    // Version 0 means "nothing stored yet": a second first save is a conflict.
    let again = store.save_profile(user.id, &profile, 0, 5_010).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");

    let mut changed = profile.clone();
    changed.remove_occupation(&taxonomy, DRIVER);
    changed.municipality = None;
    changed.travel = Some(TravelRange::OnlineOnly);
    changed.budget_cents = None;
    assert_eq!(changed.skills.len(), 1);
    assert_eq!(changed.validate(&taxonomy, &regions), vec![]);
    assert_eq!(
        store
            .save_profile(user.id, &changed, 1, 5_100)
            .await
            .expect("overwrite"),
        2
    );
    assert_eq!(
        store.profile(user.id).await.expect("read"),
        stored(&changed, 2),
        "replaced, not merged"
    );
    // An edit of version 1 that arrives after: refused, the newer profile stays.
    let stale = store.save_profile(user.id, &profile, 1, 5_200).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert_eq!(
        store.profile(user.id).await.expect("read"),
        stored(&changed, 2)
    );
    assert!(store.profile(other.id).await.expect("other").is_none());
    // A profile belongs to an account.
    assert!(
        store
            .save_profile(UserId::new(999_999), &profile, 0, 5_300)
            .await
            .is_err()
    );
}
