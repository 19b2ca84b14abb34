//! One storage story, run against every engine: SQLite always, PostgreSQL when reachable
//! (and always under `CI=true`).

use leerpad_domain::accounts::audit::{AuditEntry, AuditEvent};
use leerpad_domain::accounts::ports::{
    AuditQuery, LoginGate, LoginKeys, NewApiToken, NewUser, SessionRecord, UserRecord,
};
use leerpad_domain::accounts::throttle::ThrottlePolicy;
use leerpad_domain::catalogue::ports::{
    ChangeKind, InMemoryBatches, OfferBatches, OfferOwner, OfferWrite, SaveSummary, SavedOffer,
    WriteOutcome,
};
use leerpad_domain::catalogue::{
    Accreditation, CostKind, CostLine, Credential, KvkNumber, Level, Modality, OfferContent,
    OfferKind, OfferStatus, ProviderDraft, Schedule,
};
use leerpad_domain::ports::{Store, StoreError};
use leerpad_domain::role::{Role, RoleSet};
use leerpad_domain::shared::{Localized, Money, OfferId, ProviderId, UserId};
use leerpad_storage::testing;

#[path = "story/advice.rs"]
mod advice;
#[path = "story/chat.rs"]
mod chat;
#[path = "story/financing.rs"]
mod financing;
#[path = "story/jobs.rs"]
mod jobs;
#[path = "story/ledger.rs"]
mod ledger;
#[path = "story/mail.rs"]
mod mail;
#[path = "story/matching.rs"]
mod matching;
#[path = "story/regions.rs"]
mod regions;
#[path = "story/taxonomy.rs"]
mod taxonomy;

/// A new account with `roles`, straight into the store.
async fn account(store: &dyn Store, email: &str, roles: &[Role]) -> UserRecord {
    store
        .create_user(new_user(email), &RoleSet::new(roles.iter().copied()))
        .await
        .expect("create user")
}

fn new_user(email: &str) -> NewUser {
    NewUser {
        email: email.to_owned(),
        display_name: "Sanne".to_owned(),
        password_hash: "$argon2id$fake".to_owned(),
        locale: "nl".to_owned(),
        created_at: 1_700_000_000,
    }
}

async fn accounts_story(store: &dyn Store) {
    let learner = RoleSet::new([Role::Learner]);
    let user = account(store, "sanne@example.nl", &[Role::Learner]).await;
    assert!(user.id > UserId::new(0));
    assert_eq!(store.roles_of(user.id).await.expect("roles"), learner);

    // One account per e-mail address.
    let dup = store
        .create_user(new_user("sanne@example.nl"), &learner)
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");

    let found = store
        .user_by_email("sanne@example.nl")
        .await
        .expect("by email");
    assert_eq!(found.as_ref().map(|u| u.id), Some(user.id));
    assert!(
        store
            .user_by_email("nobody@example.nl")
            .await
            .expect("by email")
            .is_none()
    );
    assert_eq!(
        store.user_by_id(user.id.get()).await.expect("by id"),
        Some(user.clone())
    );

    // Roles: grant is idempotent, revoke reports whether anything changed.
    let advisor = |grant, at| store.set_role(user.id, Role::Advisor, grant, at);
    assert!(advisor(true, 1).await.expect("grant"));
    assert!(!advisor(true, 2).await.expect("grant again"));
    assert_eq!(
        store.roles_of(user.id).await.expect("roles"),
        RoleSet::new([Role::Learner, Role::Advisor])
    );
    assert!(advisor(false, 3).await.expect("revoke"));
    assert!(!advisor(false, 4).await.expect("revoke again"));

    store
        .set_password_hash(user.id, "$argon2id$new", 5)
        .await
        .expect("password");
    let changed = store
        .user_by_id(user.id.get())
        .await
        .expect("by id")
        .expect("exists");
    assert_eq!(changed.password_hash, "$argon2id$new");
    assert_eq!(changed.updated_at, 5);

    // Pagination by id.
    let second = account(store, "jan@example.nl", &[Role::Learner]).await;
    let page1 = store.list_users(UserId::new(0), 1).await.expect("page 1");
    let page2 = store.list_users(page1[0].id, 10).await.expect("page 2");
    assert_eq!(page1.len(), 1);
    assert_eq!(
        page2.iter().map(|u| u.id).collect::<Vec<_>>(),
        vec![second.id]
    );

    let counts = store.count_by_role().await.expect("counts");
    assert_eq!(counts, vec![(Role::Learner, 2)]);
    assert_eq!(
        store
            .count_registered_since(1_700_000_000)
            .await
            .expect("since"),
        2
    );
    assert_eq!(
        store
            .count_registered_since(1_700_000_001)
            .await
            .expect("since"),
        0
    );

    // Unicode survives the round trip on both engines.
    let mut unicode = new_user("zoë@example.nl");
    unicode.display_name = "Zoë Ağaoğlu 🚀".to_owned();
    let z = store.create_user(unicode, &learner).await.expect("create");
    assert_eq!(
        store
            .user_by_id(z.id.get())
            .await
            .expect("get")
            .map(|u| u.display_name)
            .as_deref(),
        Some("Zoë Ağaoğlu 🚀")
    );
}

async fn sessions_story(store: &dyn Store) {
    let user = account(store, "sessie@example.nl", &[Role::Learner]).await;
    let s = SessionRecord {
        token_hash: "h1".into(),
        user_id: user.id,
        csrf_token: "c1".into(),
        created_at: 100,
        last_seen_at: 100,
        expires_at: 200,
    };
    store.create_session(&s).await.expect("create session");
    store
        .create_session(&SessionRecord {
            token_hash: "h2".into(),
            ..s.clone()
        })
        .await
        .expect("second");
    assert_eq!(store.session("h1").await.expect("get"), Some(s.clone()));
    store.touch_session("h1", 150, 250).await.expect("touch");
    assert_eq!(
        store
            .session("h1")
            .await
            .expect("get")
            .map(|s| s.expires_at),
        Some(250)
    );

    // Logging out elsewhere keeps the current session.
    assert_eq!(
        store
            .delete_sessions_of(user.id, Some("h1"))
            .await
            .expect("others"),
        1
    );
    assert!(store.session("h2").await.expect("get").is_none());
    assert_eq!(store.delete_expired_sessions(249).await.expect("expire"), 0);
    assert_eq!(store.delete_expired_sessions(250).await.expect("expire"), 1);
    assert!(store.session("h1").await.expect("get").is_none());
}

async fn tokens_story(store: &dyn Store) {
    let user = account(store, "api@example.nl", &[Role::Provider]).await;
    let other = account(store, "ander@example.nl", &[Role::Learner]).await;
    let t = store
        .create_api_token(NewApiToken {
            user_id: user.id,
            name: "koppeling".into(),
            prefix: "lp_abcd".into(),
            token_hash: "th".into(),
            created_at: 10,
            expires_at: None,
        })
        .await
        .expect("token");
    assert_eq!(
        store
            .api_token_by_hash("th")
            .await
            .expect("get")
            .map(|t| t.id),
        Some(t.id)
    );
    store.touch_api_token(t.id, 11).await.expect("touch");
    assert_eq!(
        store.list_api_tokens(user.id).await.expect("list")[0].last_used_at,
        Some(11)
    );
    // Someone else cannot revoke it.
    let revoke = |by, at| store.revoke_api_token(by, t.id, at);
    assert!(!revoke(other.id, 12).await.expect("revoke"));
    assert!(revoke(user.id, 12).await.expect("revoke"));
    assert!(!revoke(user.id, 13).await.expect("revoke twice"));
    assert_eq!(
        store
            .api_token_by_hash("th")
            .await
            .expect("get")
            .and_then(|t| t.revoked_at),
        Some(12)
    );
}

async fn throttle_and_audit_story(store: &dyn Store) {
    let policy = ThrottlePolicy {
        window_secs: 100,
        max_failures_per_account: 3,
        max_failures_per_ip: 4,
        max_trusted_accounts_per_ip: 2,
    };
    let keys = |account: &str| LoginKeys {
        account: format!("acct:{account}"),
        ip: "ip:127.0.0.1".into(),
    };
    // Three attempts for x open the gate (each counted at once), the fourth is locked.
    let mut attempts = Vec::new();
    for at in [10, 20, 30] {
        match store
            .begin_login_attempt(&keys("x"), &policy, at)
            .await
            .expect("attempt")
        {
            LoginGate::Open(a) => attempts.push(a),
            LoginGate::Locked { .. } => panic!("locked too early at {at}"),
        }
    }
    assert_eq!(
        store
            .begin_login_attempt(&keys("x"), &policy, 40)
            .await
            .expect("attempt"),
        LoginGate::Locked {
            retry_after_secs: 100
        }
    );
    assert_eq!(
        store
            .count_login_failures("acct:x", 15)
            .await
            .expect("count"),
        2
    );
    // One more failure from the address (for y) reaches the address's limit of 4 …
    let LoginGate::Open(y) = store
        .begin_login_attempt(&keys("y"), &policy, 41)
        .await
        .expect("attempt")
    else {
        panic!("y locked");
    };
    assert!(matches!(
        store.begin_login_attempt(&keys("z"), &policy, 42).await,
        Ok(LoginGate::Locked { .. })
    ));
    // … until y's password proves right: its count is taken back, x's stays, and y's sign-in
    // from the address raises the address's allowance.
    store.login_succeeded(&y, 43).await.expect("success");
    assert_eq!(
        store
            .count_login_failures("acct:y", 0)
            .await
            .expect("count"),
        0
    );
    assert_eq!(
        store
            .count_login_failures("ip:127.0.0.1", 0)
            .await
            .expect("count"),
        3
    );
    assert!(matches!(
        store.begin_login_attempt(&keys("z"), &policy, 44).await,
        Ok(LoginGate::Open(_))
    ));
    // Outside the window everything is forgotten.
    assert!(store.prune_login_failures(1_000).await.expect("prune") >= 5);
    assert_eq!(
        store
            .count_login_failures("ip:127.0.0.1", 0)
            .await
            .expect("count"),
        0
    );
    drop(attempts);

    for (i, event) in [
        AuditEvent::Login,
        AuditEvent::LoginFailed,
        AuditEvent::RoleGranted,
    ]
    .into_iter()
    .enumerate()
    {
        store
            .append_audit(&AuditEntry {
                at: 100 + i as i64,
                event,
                actor_user_id: Some(UserId::new(1)),
                subject_user_id: Some(if i == 2 {
                    UserId::new(2)
                } else {
                    UserId::new(1)
                }),
                ip: Some("127.0.0.1".into()),
                detail: serde_json::json!({ "n": i }),
            })
            .await
            .expect("append");
    }
    let all = store
        .list_audit(&AuditQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(
        all.iter().map(|e| e.event.as_str()).collect::<Vec<_>>(),
        ["role_granted", "login_failed", "login"]
    );
    assert_eq!(all[0].detail, serde_json::json!({ "n": 2 }));
    let page2 = store
        .list_audit(&AuditQuery {
            before_id: Some(all[0].id),
            limit: 1,
            ..Default::default()
        })
        .await
        .expect("page");
    assert_eq!(page2.len(), 1);
    assert_eq!(page2[0].event, "login_failed");
    let about2 = store
        .list_audit(&AuditQuery {
            user_id: Some(UserId::new(2)),
            limit: 10,
            ..Default::default()
        })
        .await
        .expect("by user");
    assert_eq!(about2.len(), 1);
    let failed = store
        .list_audit(&AuditQuery {
            event: Some("login_failed".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .expect("by event");
    assert_eq!(failed.len(), 1);
}

fn content(title: &str, status: OfferStatus) -> OfferContent {
    OfferContent {
        title: Localized {
            nl: title.to_owned(),
            en: String::new(),
        },
        summary: Localized::default(),
        description: Localized::default(),
        kind: OfferKind::Course,
        level: Some(Level::Mbo3),
        nlqf: Some(3),
        crebo: None,
        croho: None,
        modality: Modality::Online,
        schedule: Schedule::OwnPace,
        runs: vec![],
        costs: vec![CostLine {
            kind: CostKind::Tuition,
            amount_cents: Money::from_cents(12_500),
            vat_percent: 0,
            required: true,
        }],
        study_load_hours: Some(16),
        languages: vec!["nl".into()],
        credential: Credential::Certificate,
        skills: vec![],
        status,
    }
}

fn provider(kvk: &str, name: &str) -> ProviderDraft {
    ProviderDraft {
        kvk: KvkNumber::parse(kvk).expect("kvk"),
        name: name.to_owned(),
        accreditations: vec![Accreditation::Nrto],
        email: None,
        phone: None,
        website: Some("https://example.nl".into()),
        trading_names: vec![format!("{name} Academie")],
    }
}

/// Write `writes` in batches of two; the results in order, and the summary.
async fn save(
    store: &dyn Store,
    writes: &[OfferWrite],
    at: i64,
) -> Result<(Vec<SavedOffer>, SaveSummary), StoreError> {
    let mut batches = InMemoryBatches::new(writes.to_vec(), 2);
    let summary = store.save_offers(&mut batches, at).await?;
    Ok((batches.saved, summary))
}

async fn catalogue_story(store: &dyn Store) {
    let write = |kvk: &str, id: &str, title: &str, status: OfferStatus| OfferWrite {
        owner: OfferOwner::ByKvk(provider(kvk, "Leerhuis")),
        provider_offer_id: id.to_owned(),
        content: content(title, status),
    };
    assert_eq!(store.catalogue_state().await.expect("state"), (0, 0));
    let first = vec![
        write("12345678", "A", "Heftruck rijden", OfferStatus::Published),
        write(
            "12345678",
            "B",
            "Excel voor beginners",
            OfferStatus::Published,
        ),
        write("87654321", "A", "Lassen MIG/MAG", OfferStatus::Draft),
    ];
    let (saved, summary) = save(store, &first, 100).await.expect("save");
    let seq = summary.last_seq;
    assert_eq!(summary.created, 3);
    assert_eq!(saved.len(), 3);
    assert!(saved.iter().all(|s| s.outcome == WriteOutcome::Created));
    assert_ne!(
        saved[0].provider_id, saved[2].provider_id,
        "two providers by KvK"
    );
    assert_eq!(saved[0].provider_id, saved[1].provider_id);
    assert_eq!(seq, 3);
    assert_eq!(store.catalogue_state().await.expect("state"), (3, 3));

    // Re-importing the same content writes nothing; a change takes the next number.
    let mut second = first.clone();
    second[1] = write(
        "12345678",
        "B",
        "Excel voor gevorderden",
        OfferStatus::Published,
    );
    second[2] = write("87654321", "A", "Lassen MIG/MAG", OfferStatus::Archived);
    let (again, summary2) = save(store, &second, 200).await.expect("save again");
    let seq2 = summary2.last_seq;
    assert_eq!((summary2.unchanged, summary2.updated), (1, 2));
    let outcomes: Vec<WriteOutcome> = again.iter().map(|s| s.outcome).collect();
    assert_eq!(
        outcomes,
        vec![
            WriteOutcome::Unchanged,
            WriteOutcome::Updated,
            WriteOutcome::Updated
        ]
    );
    assert_eq!(again[1].offer_id, saved[1].offer_id, "same key, same offer");
    assert_eq!(seq2, 6, "the unchanged offer leaves a gap (4)");
    let (_, unchanged) = save(store, &second, 300).await.expect("no-op");
    assert_eq!(
        unchanged.last_seq, 0,
        "nothing changed, no change number used"
    );

    let offer = store
        .offer(saved[1].offer_id.get())
        .await
        .expect("offer")
        .expect("exists");
    assert_eq!(offer.content.title.nl, "Excel voor gevorderden");
    assert_eq!(offer.created_at, 100);
    assert_eq!(offer.updated_at, 200);
    assert_eq!(offer.content.gross_price_cents(), Money::from_cents(12_500));

    // The change feed: the latest change of each offer, oldest first.
    let changes = store.offer_changes(0, 10).await.expect("changes");
    let kinds: Vec<(i64, ChangeKind)> = changes.iter().map(|c| (c.seq, c.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (1, ChangeKind::Created),
            (5, ChangeKind::Updated),
            (6, ChangeKind::Archived)
        ]
    );
    assert_eq!(store.offer_changes(5, 10).await.expect("after 5").len(), 1);
    let changed = store.offers_changed_after(3, 10).await.expect("changed");
    assert_eq!(
        changed.iter().map(|(_, s)| *s).collect::<Vec<_>>(),
        vec![5, 6]
    );

    let ids = [saved[2].offer_id, OfferId::new(999_999), saved[0].offer_id];
    let by_ids = store.offers_by_ids(&ids).await.expect("by ids");
    assert_eq!(
        by_ids.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![saved[2].offer_id, saved[0].offer_id],
        "order kept, unknown ids skipped"
    );

    // A write with the same offer twice is refused whole, even across batches.
    let dup = vec![
        write("12345678", "C", "Nieuw", OfferStatus::Published),
        write("12345678", "D", "Ander", OfferStatus::Published),
        write("12345678", "C", "Nieuw 2", OfferStatus::Published),
    ];
    assert!(matches!(
        save(store, &dup, 400).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.catalogue_state().await.expect("state").1, 3);

    // A consumer that fails after a batch rolls the whole write back.
    struct FailAfterFirst(InMemoryBatches);
    impl OfferBatches for FailAfterFirst {
        fn next_batch(&mut self) -> Option<Vec<OfferWrite>> {
            self.0.next_batch()
        }
        fn written(&mut self, _: &[OfferWrite], _: &[SavedOffer]) -> Result<(), String> {
            Err("index full".into())
        }
    }
    let mut failing = FailAfterFirst(InMemoryBatches::new(
        vec![write("12345678", "E", "Nooit", OfferStatus::Published)],
        1,
    ));
    let aborted = store.save_offers(&mut failing, 450).await;
    assert!(matches!(aborted, Err(StoreError::Backend(ref m)) if m.contains("index full")));
    assert_eq!(store.catalogue_state().await.expect("state").1, 3);

    // Providers, and the accounts that act for them.
    let p = store
        .provider(saved[0].provider_id.get())
        .await
        .expect("provider")
        .expect("exists");
    assert_eq!(p.kvk, "12345678");
    assert_eq!(p.accreditations, vec![Accreditation::Nrto]);
    let user = account(store, "opleider@example.nl", &[Role::Provider]).await;
    assert!(
        store
            .provider_of_user(user.id)
            .await
            .expect("none")
            .is_none()
    );
    // An organisation imported from a file, nobody acts for it yet: only an administrator's
    // claim may take it.
    assert!(matches!(
        store
            .claim_provider(user.id, &provider("12345678", "Leerhuis"), false, 450)
            .await,
        Err(StoreError::Refused(_))
    ));
    store
        .claim_provider(user.id, &provider("12345678", "Leerhuis"), true, 450)
        .await
        .expect("claim");
    store
        .claim_provider(user.id, &provider("12345678", "Leerhuis"), false, 451)
        .await
        .expect("a member updates its own organisation");
    assert_eq!(
        store
            .provider_of_user(user.id)
            .await
            .expect("of user")
            .map(|p| p.id),
        Some(p.id)
    );
    // A second account asks to join: refused, kept as a request a member accepts.
    let colleague = account(store, "collega@example.nl", &[Role::Provider]).await;
    assert!(matches!(
        store.add_colleague(user.id, colleague.id).await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        store
            .claim_provider(colleague.id, &provider("12345678", "Overname"), true, 452)
            .await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        store.add_colleague(colleague.id, user.id).await,
        Err(StoreError::Refused(_))
    ));
    let joined = store
        .add_colleague(user.id, colleague.id)
        .await
        .expect("accepted");
    assert_eq!(joined.id, p.id);
    assert_eq!(store.provider_member_count(p.id).await.expect("count"), 2);
    assert_eq!(
        store
            .provider(p.id.get())
            .await
            .expect("provider")
            .map(|p| p.name),
        Some("Leerhuis".to_owned())
    );
    let renamed = store
        .upsert_provider(&provider("12345678", "Leerhuis Noord"), 500)
        .await
        .expect("upsert");
    assert_eq!(
        (renamed.id, renamed.name.as_str()),
        (p.id, "Leerhuis Noord")
    );
    let own = OfferWrite {
        owner: OfferOwner::Provider(p.id.get()),
        provider_offer_id: "A".into(),
        content: content("Heftruck rijden (nieuw)", OfferStatus::Published),
    };
    let (own_saved, _) = save(store, &[own], 600).await.expect("own");
    assert_eq!(own_saved[0].offer_id, saved[0].offer_id);
    assert_eq!(own_saved[0].outcome, WriteOutcome::Updated);
    // Only the provider's own write is in the offer's history (not the operator's import).
    let versions = store
        .offer_revisions(own_saved[0].offer_id)
        .await
        .expect("versions");
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].content.title.nl, "Heftruck rijden (nieuw)");
    let mine = store
        .offers_of_provider(p.id, 100)
        .await
        .expect("own offers");
    assert!(mine.iter().any(|o| o.id == own_saved[0].offer_id));

    // An organisation an account registers waits for verification; its offers are renumbered
    // when it is verified, so the index picks them up.
    let newcomer = account(store, "nieuw@example.nl", &[Role::Provider]).await;
    let fresh = store
        .claim_provider(newcomer.id, &provider("55554444", "Nieuwkomer"), false, 700)
        .await
        .expect("claimed");
    assert!(!fresh.verified);
    assert_eq!(fresh.trading_names, vec!["Nieuwkomer Academie".to_owned()]);
    assert!(
        store
            .unverified_providers()
            .await
            .expect("unverified")
            .iter()
            .any(|u| u.id == fresh.id)
    );
    let draft = OfferWrite {
        owner: OfferOwner::Provider(fresh.id.get()),
        provider_offer_id: "N1".into(),
        content: content("Zorg voor beginners", OfferStatus::Published),
    };
    save(store, &[draft], 701).await.expect("offer of newcomer");
    let (before, _) = store.catalogue_state().await.expect("state");
    let verified = store
        .verify_provider(fresh.id, user.id, 702)
        .await
        .expect("verify")
        .expect("found");
    assert!(verified.verified);
    let changed = store
        .offers_changed_after(before, 10)
        .await
        .expect("changes");
    assert_eq!(changed.len(), 1, "the newcomer's offer is renumbered");
    assert!(changed[0].1 > before);
    assert!(
        store
            .verify_provider(ProviderId::new(9_999_999), user.id, 703)
            .await
            .expect("verify")
            .is_none()
    );
    assert!(
        !store
            .unverified_providers()
            .await
            .expect("unverified")
            .iter()
            .any(|u| u.id == fresh.id)
    );
}

/// The platform keeps an administrator: the store refuses, in the removing transaction, to
/// revoke the role of or delete the last one.
async fn last_admin_story(store: &dyn Store) {
    let admin = [Role::Learner, Role::Admin];
    let mut ids = Vec::new();
    for email in ["beheer1@example.nl", "beheer2@example.nl"] {
        ids.push(account(store, email, &admin).await.id);
    }
    let before = store.count_by_role().await.expect("count");
    let admins = |counts: &[(Role, i64)]| {
        counts
            .iter()
            .find(|(r, _)| *r == Role::Admin)
            .map_or(0, |(_, n)| *n)
    };
    // Other administrators may exist from earlier stories: remove down to the last one.
    let mut others: Vec<i64> = Vec::new();
    let mut after = 0;
    while let Ok(users) = store.list_users(UserId::new(after), 100).await {
        let Some(last) = users.last() else { break };
        after = last.id.get();
        for u in users {
            if !ids.contains(&u.id)
                && store
                    .roles_of(u.id)
                    .await
                    .expect("roles")
                    .contains(Role::Admin)
            {
                others.push(u.id.get());
            }
        }
    }
    for id in others {
        assert!(
            store
                .set_role(UserId::new(id), Role::Admin, false, 900)
                .await
                .expect("revoke")
        );
    }
    assert!(admins(&before) >= 2);
    assert!(store.delete_user(ids[0]).await.expect("first may leave"));
    assert!(matches!(
        store.delete_user(ids[1]).await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        store.set_role(ids[1], Role::Admin, false, 901).await,
        Err(StoreError::Refused(_))
    ));
    assert_eq!(admins(&store.count_by_role().await.expect("count")), 1);
    // Granting another lets the last one go.
    let next = account(store, "beheer3@example.nl", &admin).await;
    assert!(
        store
            .set_role(ids[1], Role::Admin, false, 902)
            .await
            .expect("revoke")
    );
    assert!(matches!(
        store.delete_user(next.id).await,
        Err(StoreError::Refused(_))
    ));
}

#[tokio::test]
async fn storage_story_on_every_engine() {
    for db in testing::all_engines().await {
        eprintln!("storage story on {}", db.engine());
        db.store.ping().await.expect("ping");
        // Migrations are idempotent.
        db.store.migrate().await.expect("re-migrate");
        accounts_story(&db.store).await;
        sessions_story(&db.store).await;
        tokens_story(&db.store).await;
        throttle_and_audit_story(&db.store).await;
        catalogue_story(&db.store).await;
        deletion_story(&db.store).await;
        last_admin_story(&db.store).await;
        financing::financing_story(&db.store).await;
        financing::pre_ledger_awards_story(&db).await;
        matching::matching_story(&db).await;
        taxonomy::taxonomy_story(&db.store).await;
        advice::advice_story(std::sync::Arc::new(db.store.clone())).await;
        jobs::jobs_story(std::sync::Arc::new(db.store.clone())).await;
        mail::mail_story(&db.store).await;
        chat::chat_story(&db).await;
        ledger::ledger_story(&db.store).await;
        ledger::batch_story(&db.store).await;
        financing::yearly_deposit_story(std::sync::Arc::new(db.store.clone())).await;
        regions::regions_story(&db.store).await;
        db.cleanup().await;
    }
}

/// Deleting an account removes what is only the person's and keeps the audit log.
async fn deletion_story(store: &dyn Store) {
    let user = account(store, "weg@example.nl", &[Role::Learner]).await;
    let other = account(store, "blijft@example.nl", &[Role::Learner]).await;
    for (who, hash) in [(user.id, "del-s1"), (other.id, "del-s2")] {
        store
            .create_session(&SessionRecord {
                token_hash: hash.into(),
                user_id: who,
                csrf_token: "c".into(),
                created_at: 1,
                last_seen_at: 1,
                expires_at: 10_000,
            })
            .await
            .expect("session");
    }
    store
        .create_api_token(NewApiToken {
            user_id: user.id,
            name: "weg".into(),
            prefix: "lp_weg".into(),
            token_hash: "del-token".into(),
            created_at: 1,
            expires_at: None,
        })
        .await
        .expect("token");
    let facts = leerpad_domain::financing::PersonFacts {
        age: Some(40),
        ..Default::default()
    };
    store
        .save_situation(user.id, &facts, 2)
        .await
        .expect("facts");
    store
        .save_profile(user.id, &Default::default(), 0, 2)
        .await
        .expect("profile");
    store
        .append_audit(&AuditEntry {
            at: 3,
            event: AuditEvent::AccountDeleted,
            actor_user_id: Some(user.id),
            subject_user_id: Some(user.id),
            ip: None,
            detail: serde_json::json!({}),
        })
        .await
        .expect("audit");

    assert!(store.delete_user(user.id).await.expect("delete"));
    assert!(
        store
            .user_by_id(user.id.get())
            .await
            .expect("get")
            .is_none()
    );
    assert!(store.session("del-s1").await.expect("session").is_none());
    assert!(
        store
            .api_token_by_hash("del-token")
            .await
            .expect("token")
            .is_none()
    );
    assert!(store.situation(user.id).await.expect("facts").is_none());
    assert!(store.profile(user.id).await.expect("profile").is_none());
    // The other account is untouched; the audit entry outlives the account.
    assert!(store.session("del-s2").await.expect("session").is_some());
    assert!(
        store
            .user_by_id(other.id.get())
            .await
            .expect("other")
            .is_some()
    );
    let audit = store
        .list_audit(&AuditQuery {
            user_id: Some(user.id),
            limit: 10,
            ..Default::default()
        })
        .await
        .expect("audit");
    assert!(audit.iter().any(|e| e.event == "account_deleted"));
    // Deleting twice is not an error, it just finds nothing.
    assert!(!store.delete_user(user.id).await.expect("again"));
}
