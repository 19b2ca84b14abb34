//! The taxonomy: one snapshot, stored and loaded byte for byte, and its concepts as rows.

use leerpad_domain::ports::Store;
use leerpad_domain::taxonomy::ports::{ConceptRow, TaxonomyImportCounts, TaxonomySnapshot};
use leerpad_storage::SqlStore;
use std::sync::Mutex;

/// `len` bytes of every value (NUL and invalid UTF-8 included), in no simple pattern.
fn packed(len: usize, seed: u32) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            state.to_le_bytes()[3]
        })
        .collect()
}

fn skill(i: usize, label: &str) -> ConceptRow {
    ConceptRow {
        uri: format!("http://data.europa.eu/esco/skill/story-{i:04}"),
        kind: if i.is_multiple_of(2) {
            "skill/competence"
        } else {
            "knowledge"
        }
        .into(),
        detail: "cross-sector".into(),
        label_en: format!("{label} {i}"),
        label_nl: (!i.is_multiple_of(3)).then(|| format!("vaardigheid {i} – Zoë")),
    }
}

fn occupation(i: usize) -> ConceptRow {
    ConceptRow {
        uri: format!("http://data.europa.eu/esco/occupation/story-{i}"),
        kind: "8344".into(),
        detail: format!("8344.{i}"),
        label_en: format!("occupation {i}"),
        label_nl: None,
    }
}

/// Save `snapshot`; the counts and every progress report.
async fn save(
    store: &dyn Store,
    snapshot: &TaxonomySnapshot,
    at: i64,
) -> (TaxonomyImportCounts, Vec<u64>) {
    let reports = Mutex::new(Vec::new());
    let progress = |n: u64| reports.lock().expect("progress").push(n);
    let counts = store
        .save_taxonomy(snapshot, at, &progress)
        .await
        .expect("save taxonomy");
    (counts, reports.into_inner().expect("progress"))
}

fn assert_progress(reports: &[u64], total: u64) {
    assert!(!reports.is_empty(), "progress was reported");
    assert!(
        reports.windows(2).all(|w| w[0] < w[1]),
        "progress only goes up: {reports:?}"
    );
    assert_eq!(reports.last(), Some(&total), "{reports:?}");
}

pub(super) async fn taxonomy_story(sql: &SqlStore) {
    let store: &dyn Store = sql;
    assert_eq!(store.load_taxonomy().await.expect("load"), None);
    assert_eq!(sql.count_rows("esco_skills").await.expect("count"), 0);

    // More rows than fit one statement, so progress is reported along the way.
    let first = TaxonomySnapshot {
        version: "ESCO 1.2.0 (story)".into(),
        packed: packed(300_000, 7),
        skills: (0..1_000).map(|i| skill(i, "skill")).collect(),
        occupations: (0..3).map(occupation).collect(),
    };
    let (counts, reports) = save(store, &first, 6_000).await;
    assert_eq!(
        counts,
        TaxonomyImportCounts {
            skills: 1_000,
            occupations: 3
        }
    );
    assert_progress(&reports, 1_003);
    assert!(reports.len() >= 2, "{reports:?}");
    assert_eq!(
        store.load_taxonomy().await.expect("load").as_deref(),
        Some(first.packed.as_slice()),
        "the same bytes"
    );
    assert_eq!(sql.count_rows("esco_skills").await.expect("count"), 1_000);
    assert_eq!(sql.count_rows("esco_occupations").await.expect("count"), 3);

    // Saving again replaces the snapshot whole (a shorter one leaves nothing of the longer)
    // and upserts the rows: changed ones are updated, new ones added, others kept.
    let second = TaxonomySnapshot {
        version: "ESCO 1.2.1 (story)".into(),
        packed: packed(1_000, 11),
        skills: (995..1_010).map(|i| skill(i, "renamed skill")).collect(),
        occupations: (0..3).map(occupation).collect(),
    };
    assert_ne!(first.packed[..1_000], second.packed[..]);
    let (counts, reports) = save(store, &second, 6_100).await;
    assert_eq!(
        counts,
        TaxonomyImportCounts {
            skills: 15,
            occupations: 3
        }
    );
    assert_progress(&reports, 18);
    assert_eq!(
        store.load_taxonomy().await.expect("load"),
        Some(second.packed.clone())
    );
    assert_eq!(sql.count_rows("esco_skills").await.expect("count"), 1_010);
    assert_eq!(sql.count_rows("esco_occupations").await.expect("count"), 3);
    assert!(
        sql.count_rows("users").await.is_err(),
        "not a taxonomy table"
    );

    // An empty snapshot is still a snapshot.
    let empty = TaxonomySnapshot {
        version: "empty".into(),
        packed: Vec::new(),
        skills: Vec::new(),
        occupations: Vec::new(),
    };
    let (counts, _) = save(store, &empty, 6_200).await;
    assert_eq!(counts, TaxonomyImportCounts::default());
    assert_eq!(store.load_taxonomy().await.expect("load"), Some(Vec::new()));
}
