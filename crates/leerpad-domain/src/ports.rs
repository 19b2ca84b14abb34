//! Capability traits the application needs from storage.
//!
//! The storage crate implements them once for SQLite and PostgreSQL; the web and CLI layers
//! only see these traits (through `leerpad-app`), so a handler cannot reach for SQL.
//! Records here are plain data; rules about them live elsewhere in this crate.

use crate::audit::AuditEntry;
use crate::catalogue::{Offer, OfferContent, Provider, ProviderDraft};
use crate::clock::UnixTime;
use crate::financing::{
    BudgetUse, PersonFacts, PriorAward, Scheme, SchemeDefinition, SchemeStatus,
};
use crate::role::{Role, RoleSet};
use async_trait::async_trait;
use serde::Serialize;

/// Failures of a storage backend, in terms the application can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was violated (e.g. an e-mail address already registered).
    #[error("already exists: {0}")]
    Conflict(String),
    /// The write would break a rule that is checked in the same transaction that acts on it
    /// (e.g. the last administrator, an organisation someone else already claimed). The
    /// message is for the person who asked.
    #[error("refused: {0}")]
    Refused(String),
    /// The backend failed (connection, I/O, corrupt data). The message is for logs, not users.
    #[error("storage backend: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRecord {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub locale: String,
    pub created_at: UnixTime,
    pub updated_at: UnixTime,
}

/// Data for a new account; the e-mail address is already normalised and the password hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub locale: String,
    pub created_at: UnixTime,
}

/// A server-side session. The cookie holds a random token; only its hash is stored, so a leaked
/// database does not hand out live sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub token_hash: String,
    pub user_id: i64,
    /// The synchronizer token forms of this session must echo back.
    pub csrf_token: String,
    pub created_at: UnixTime,
    pub last_seen_at: UnixTime,
    pub expires_at: UnixTime,
}

/// A personal API token for integrations. Like sessions, only the hash of the secret is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiTokenRecord {
    pub id: i64,
    #[serde(skip)]
    pub user_id: i64,
    pub name: String,
    /// The first characters of the token, so a person can tell their tokens apart.
    pub prefix: String,
    pub created_at: UnixTime,
    pub last_used_at: Option<UnixTime>,
    pub expires_at: Option<UnixTime>,
    pub revoked_at: Option<UnixTime>,
}

#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub user_id: i64,
    pub name: String,
    pub prefix: String,
    pub token_hash: String,
    pub created_at: UnixTime,
    pub expires_at: Option<UnixTime>,
}

/// An audit entry as stored, with its position in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredAuditEntry {
    pub id: i64,
    pub at: UnixTime,
    pub event: String,
    pub actor_user_id: Option<i64>,
    pub subject_user_id: Option<i64>,
    pub ip: Option<String>,
    pub detail: serde_json::Value,
}

/// Which audit entries to read, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only entries with an id below this one (the cursor of the previous page).
    pub before_id: Option<i64>,
    /// Only entries whose actor or subject is this account.
    pub user_id: Option<i64>,
    pub event: Option<String>,
    pub limit: u32,
}

#[async_trait]
pub trait UserStore: Send + Sync {
    /// Create an account holding `roles`; `Conflict` if the e-mail address is taken.
    async fn create_user(&self, user: NewUser, roles: &RoleSet) -> StoreResult<UserRecord>;
    async fn user_by_id(&self, id: i64) -> StoreResult<Option<UserRecord>>;
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>>;
    /// Accounts ordered by id, starting after `after_id`.
    async fn list_users(&self, after_id: i64, limit: u32) -> StoreResult<Vec<UserRecord>>;
    async fn roles_of(&self, user_id: i64) -> StoreResult<RoleSet>;
    /// Grant or revoke a role; returns whether anything changed. Revoking the administrator
    /// role of the last administrator is `Refused`, decided in the same transaction.
    async fn set_role(
        &self,
        user_id: i64,
        role: Role,
        granted: bool,
        at: UnixTime,
    ) -> StoreResult<bool>;
    async fn set_password_hash(&self, user_id: i64, hash: &str, at: UnixTime) -> StoreResult<()>;
    async fn set_locale(&self, user_id: i64, locale: &str, at: UnixTime) -> StoreResult<()>;
    /// Number of accounts holding each role (roles nobody holds are absent).
    async fn count_by_role(&self) -> StoreResult<Vec<(Role, i64)>>;
    /// Number of accounts created at or after `since`.
    async fn count_registered_since(&self, since: UnixTime) -> StoreResult<i64>;
    /// Remove an account and everything that is only the person's (roles, sessions, tokens,
    /// profile, financing answers). Records others must keep (scheme awards for budget
    /// accounting, scheme revisions, the audit log) stay without the link to the account.
    /// Returns whether the account existed. Deleting the last administrator is `Refused`,
    /// decided in the same transaction (two administrators leaving at once cannot both go).
    async fn delete_user(&self, user_id: i64) -> StoreResult<bool>;
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn create_session(&self, session: &SessionRecord) -> StoreResult<()>;
    async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>>;
    async fn touch_session(
        &self,
        token_hash: &str,
        last_seen_at: UnixTime,
        expires_at: UnixTime,
    ) -> StoreResult<()>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// End every session of an account except, optionally, the one in use.
    async fn delete_sessions_of(&self, user_id: i64, keep: Option<&str>) -> StoreResult<u64>;
    async fn delete_expired_sessions(&self, now: UnixTime) -> StoreResult<u64>;
}

#[async_trait]
pub trait ApiTokenStore: Send + Sync {
    async fn create_api_token(&self, token: NewApiToken) -> StoreResult<ApiTokenRecord>;
    async fn api_token_by_hash(&self, token_hash: &str) -> StoreResult<Option<ApiTokenRecord>>;
    async fn list_api_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiTokenRecord>>;
    /// Revoke one of `user_id`'s tokens; returns whether a live token was revoked.
    async fn revoke_api_token(
        &self,
        user_id: i64,
        token_id: i64,
        at: UnixTime,
    ) -> StoreResult<bool>;
    async fn touch_api_token(&self, token_id: i64, at: UnixTime) -> StoreResult<()>;
    /// Revoke every live token of an account (after a password change); returns how many.
    async fn revoke_api_tokens_of(&self, user_id: i64, at: UnixTime) -> StoreResult<u64>;
}

/// The two counters one password check is charged to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginKeys {
    pub account: String,
    pub ip: String,
}

/// A password check that passed the throttle: it is already counted as a failure, so that
/// checks sent at once are all counted, and is taken back when the password proves right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginAttempt {
    pub keys: LoginKeys,
    /// The failure rows recorded for this attempt (account and address).
    pub failure_ids: Vec<i64>,
}

/// Whether a password may be checked now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginGate {
    Open(LoginAttempt),
    Locked { retry_after_secs: i64 },
}

#[async_trait]
pub trait LoginAttemptStore: Send + Sync {
    /// In one transaction: count the account's and the address's failures in the policy's
    /// window, ask the policy, and when it allows the check record one failure for each key.
    /// Concurrent calls for the same keys are serialised, so N guesses sent at once are counted
    /// one after the other and at most the limit get through.
    async fn begin_login_attempt(
        &self,
        keys: &LoginKeys,
        policy: &crate::throttle::ThrottlePolicy,
        now: UnixTime,
    ) -> StoreResult<LoginGate>;
    /// The password was right: remove the attempt's failure rows and the account's earlier
    /// failures, and remember that this account signed in from this address.
    async fn login_succeeded(&self, attempt: &LoginAttempt, now: UnixTime) -> StoreResult<()>;
    /// Failures for a key in the window (for tests and dashboards; decisions use
    /// `begin_login_attempt`).
    async fn count_login_failures(&self, key: &str, since: UnixTime) -> StoreResult<i64>;
    /// Forget failures and sign-ins from before `before` (outside every throttling window).
    async fn prune_login_failures(&self, before: UnixTime) -> StoreResult<u64>;
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<i64>;
    async fn list_audit(&self, query: &AuditQuery) -> StoreResult<Vec<StoredAuditEntry>>;
}

/// A skill or occupation as a row, for references from other tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConceptRow {
    pub uri: String,
    /// Skill type, or the ISCO code for occupations.
    pub kind: String,
    /// Reuse level for skills, ESCO code for occupations.
    pub detail: String,
    pub label_en: String,
    pub label_nl: Option<String>,
}

/// A taxonomy to store: its compact snapshot and its concepts as rows.
#[derive(Debug, Clone)]
pub struct TaxonomySnapshot {
    pub version: String,
    pub packed: Vec<u8>,
    pub skills: Vec<ConceptRow>,
    pub occupations: Vec<ConceptRow>,
}

/// What a taxonomy import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TaxonomyImportCounts {
    pub skills: u64,
    pub occupations: u64,
}

#[async_trait]
pub trait TaxonomyStore: Send + Sync {
    /// Replace the snapshot and upsert the concept rows, all in one transaction; `progress` is
    /// called with the number of rows written so far.
    async fn save_taxonomy(
        &self,
        snapshot: &TaxonomySnapshot,
        at: UnixTime,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> StoreResult<TaxonomyImportCounts>;
    /// The stored snapshot, if a taxonomy was imported.
    async fn load_taxonomy(&self) -> StoreResult<Option<Vec<u8>>>;
}

/// Who an offer in a write belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferOwner {
    /// An existing provider (the API caller's organisation).
    Provider(i64),
    /// A provider by KvK number, created or updated with these details (files).
    ByKvk(ProviderDraft),
}

/// One offer to create or update, keyed by its owner and the provider's own id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferWrite {
    pub owner: OfferOwner,
    pub provider_offer_id: String,
    pub content: OfferContent,
}

/// What writing an offer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteOutcome {
    Created,
    Updated,
    /// The stored offer already had exactly this content: nothing was written.
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedOffer {
    pub offer_id: i64,
    pub provider_id: i64,
    pub outcome: WriteOutcome,
}

/// A change in the catalogue, as the change feed reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Created,
    Updated,
    Archived,
}

/// The latest change of one offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfferChange {
    pub seq: i64,
    pub offer_id: i64,
    pub provider_id: i64,
    pub provider_offer_id: String,
    pub kind: ChangeKind,
    pub at: UnixTime,
}

/// Supplies offers to write, a batch at a time, and hears what became of each batch, so a
/// million offers can be written in one transaction without holding them all in memory.
pub trait OfferBatches: Send {
    fn next_batch(&mut self) -> Option<Vec<OfferWrite>>;
    /// Called after each batch is written, inside the transaction: an error aborts everything.
    fn written(&mut self, batch: &[OfferWrite], saved: &[SavedOffer]) -> Result<(), String>;
    /// Called after the last batch, before the commit: an error rolls everything back.
    fn finish(&mut self) -> Result<(), String> {
        Ok(())
    }
}

/// Offers already in memory, written as batches of `size`, with every result kept.
#[derive(Debug)]
pub struct InMemoryBatches {
    pending: std::vec::IntoIter<OfferWrite>,
    size: usize,
    pub saved: Vec<SavedOffer>,
}

impl InMemoryBatches {
    pub fn new(writes: Vec<OfferWrite>, size: usize) -> Self {
        InMemoryBatches {
            pending: writes.into_iter(),
            size: size.max(1),
            saved: Vec::new(),
        }
    }
}

impl OfferBatches for InMemoryBatches {
    fn next_batch(&mut self) -> Option<Vec<OfferWrite>> {
        let batch: Vec<OfferWrite> = self.pending.by_ref().take(self.size).collect();
        (!batch.is_empty()).then_some(batch)
    }

    fn written(&mut self, _: &[OfferWrite], saved: &[SavedOffer]) -> Result<(), String> {
        self.saved.extend_from_slice(saved);
        Ok(())
    }
}

/// What a write of offers did in total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SaveSummary {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// The highest change number used (0 when nothing changed).
    pub last_seq: i64,
}

#[async_trait]
pub trait CatalogueStore: Send + Sync {
    /// Write offers (and the providers they name) in one transaction: all or nothing. Offers
    /// are matched on provider and provider's id; unchanged content is not rewritten, and the
    /// same offer twice is a `Conflict`.
    async fn save_offers(
        &self,
        batches: &mut dyn OfferBatches,
        at: UnixTime,
    ) -> StoreResult<SaveSummary>;
    async fn offer(&self, id: i64) -> StoreResult<Option<Offer>>;
    /// Offers by id, in the order asked (missing ids are left out).
    async fn offers_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<Offer>>;
    /// Offers whose latest change is after `after_seq`, oldest change first, with that change.
    async fn offers_changed_after(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<(Offer, i64)>>;
    /// The change feed: the latest change of each offer changed after `after_seq`.
    async fn offer_changes(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<OfferChange>>;
    /// The highest change number (0 for an empty catalogue) and the number of offers.
    async fn catalogue_state(&self) -> StoreResult<(i64, i64)>;
    async fn provider(&self, id: i64) -> StoreResult<Option<Provider>>;
    async fn providers_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<Provider>>;
    async fn provider_by_kvk(&self, kvk: &str) -> StoreResult<Option<Provider>>;
    /// How many accounts act for a provider.
    async fn provider_member_count(&self, provider_id: i64) -> StoreResult<i64>;
    /// Create or update a provider by KvK number (imports from files, not accounts).
    async fn upsert_provider(
        &self,
        provider: &ProviderDraft,
        at: UnixTime,
    ) -> StoreResult<Provider>;
    /// The provider organisation an account acts for.
    async fn provider_of_user(&self, user_id: i64) -> StoreResult<Option<Provider>>;
    /// An account registers or updates the organisation it acts for, decided in one
    /// transaction: an account that acts for an organisation may only update that one; a new
    /// KvK number is created with the account as its first member; an existing organisation
    /// nobody acts for yet (imported from a file) is only taken when `may_take_unclaimed`
    /// (administrators). Anything else is `Refused`: of N accounts claiming one new KvK number
    /// at once exactly one wins. A refused claim of an organisation others act for is kept as
    /// a request to join, which a member can accept (`add_colleague`).
    async fn claim_provider(
        &self,
        user_id: i64,
        provider: &ProviderDraft,
        may_take_unclaimed: bool,
        at: UnixTime,
    ) -> StoreResult<Provider>;
    /// A member of an organisation accepts a colleague's request to act for it (the colleague
    /// asked by claiming the KvK number: both sides consent). `Refused` when `member_id` acts
    /// for no organisation, the colleague did not ask, or already acts for another one.
    async fn add_colleague(&self, member_id: i64, colleague_id: i64) -> StoreResult<Provider>;
}

/// A scheme write: what changes and who does it.
#[derive(Debug, Clone)]
pub struct SchemeWrite<'a> {
    pub slug: &'a str,
    pub status: SchemeStatus,
    pub definition: &'a SchemeDefinition,
    /// What happened, for the trail: `created`, `edited`, `published`, `closed`, `seeded`.
    pub action: &'a str,
    pub actor_id: Option<i64>,
    pub at: UnixTime,
}

/// One saved change of a scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemeRevision {
    pub version: i64,
    pub action: String,
    pub status: SchemeStatus,
    pub definition: SchemeDefinition,
    pub actor_id: Option<i64>,
    pub actor_email: Option<String>,
    pub at: UnixTime,
}

/// A new award: money a scheme reserves or pays for a person.
#[derive(Debug, Clone)]
pub struct NewAward {
    pub scheme_id: i64,
    pub user_id: Option<i64>,
    pub offer_id: Option<i64>,
    pub amount_cents: i64,
    pub spent: bool,
    pub on: crate::shared::Date,
    pub at: UnixTime,
}

/// What storage knows of one scheme's use: its budget use and awards per offer.
#[derive(Debug, Clone, Default)]
pub struct SchemeUse {
    pub budget: BudgetUse,
    pub awards_per_offer: Vec<(i64, u32)>,
}

/// Schemes, their revisions and awards, and people's answers for the financing check.
#[async_trait]
pub trait FinancingStore: Send + Sync {
    /// Create a scheme at version 1; `Conflict` when the slug is taken.
    async fn create_scheme(&self, write: SchemeWrite<'_>) -> StoreResult<Scheme>;
    /// Replace a scheme's status and definition if it is still at `expected_version`;
    /// `Conflict` when someone saved in between, `None` when there is no such scheme.
    async fn update_scheme(
        &self,
        write: SchemeWrite<'_>,
        expected_version: i64,
    ) -> StoreResult<Option<Scheme>>;
    async fn scheme(&self, slug: &str) -> StoreResult<Option<Scheme>>;
    /// Every scheme, drafts and closed ones included, by slug.
    async fn schemes(&self) -> StoreResult<Vec<Scheme>>;
    /// Newest first.
    async fn scheme_revisions(&self, scheme_id: i64) -> StoreResult<Vec<SchemeRevision>>;
    /// Budget use and per-offer award counts of every scheme that has awards.
    async fn scheme_use(&self) -> StoreResult<Vec<(i64, SchemeUse)>>;
    /// Record an award unless it would take the scheme over `budget_total_cents`; returns
    /// the award id, or `Conflict` when the budget does not allow it.
    async fn record_award(
        &self,
        award: &NewAward,
        budget_total_cents: Option<i64>,
    ) -> StoreResult<i64>;
    /// The person's awards, as the financing rules see them.
    async fn awards_of_user(&self, user_id: i64) -> StoreResult<Vec<PriorAward>>;
    async fn situation(&self, user_id: i64) -> StoreResult<Option<PersonFacts>>;
    async fn save_situation(
        &self,
        user_id: i64,
        facts: &PersonFacts,
        at: UnixTime,
    ) -> StoreResult<()>;
}

/// Everything the application needs from storage, plus health.
#[async_trait]
pub trait Store:
    UserStore
    + SessionStore
    + ApiTokenStore
    + LoginAttemptStore
    + AuditStore
    + TaxonomyStore
    + CatalogueStore
    + FinancingStore
    + MatchingStore
{
    /// Which engine this is ("sqlite" or "postgres"), for logs and `/readyz`.
    fn engine(&self) -> &'static str;
    /// Cheap round trip to the database, for readiness checks.
    async fn ping(&self) -> StoreResult<()>;
}

/// Labour-market demand and learners' skills profiles.
#[async_trait]
pub trait MatchingStore: Send + Sync {
    /// Insert or replace demand figures (keyed by subject, area and period) in one
    /// transaction: all or none. Returns how many were written.
    async fn save_demand(
        &self,
        records: &[crate::matching::DemandRecord],
        at: UnixTime,
    ) -> StoreResult<u64>;
    async fn demand(&self) -> StoreResult<Vec<crate::matching::DemandRecord>>;
    async fn profile(&self, user_id: i64) -> StoreResult<Option<crate::matching::LearnerProfile>>;
    async fn save_profile(
        &self,
        user_id: i64,
        profile: &crate::matching::LearnerProfile,
        at: UnixTime,
    ) -> StoreResult<()>;
}
