//! The wiring of every use case, written once. The binary, the web state and the tests build
//! the same [`Services`] from the same [`Adapters`]: a new feature adds its use case here and
//! nowhere else.
//!
//! Each use case receives only the storage ports it uses (`Arc<dyn Store>` is narrowed here by
//! trait upcasting), so a use case can be read, and tested, against its own port.

use crate::accounts::{Accounts, AccountsConfig};
use crate::advice::Advice;
use crate::catalogue::Catalogue;
use crate::financing::Financing;
use crate::jobs::Jobs;
use crate::matching::Matching;
use crate::taxonomy::TaxonomyService;
use leerpad_domain::catalogue::search::OfferIndex;
use leerpad_domain::clock::Clock;
use leerpad_domain::ports::Store;
use leerpad_domain::regions::Regions;
use std::sync::Arc;

/// What the use cases are built from: storage, the search index, the loaded taxonomy, the
/// region table, the clock and the account settings.
pub struct Adapters {
    pub store: Arc<dyn Store>,
    pub index: Arc<dyn OfferIndex>,
    pub taxonomy: Arc<TaxonomyService>,
    pub regions: Arc<Regions>,
    pub clock: Arc<dyn Clock>,
    pub accounts: AccountsConfig,
    /// Tells every server's live chat connections what changed.
    pub chat_bus: Arc<dyn leerpad_domain::chat::ports::ChatBus>,
    pub chat: crate::chat::ChatConfig,
}

/// Every use case of the platform.
#[derive(Clone)]
pub struct Services {
    pub accounts: Accounts,
    pub taxonomy: Arc<TaxonomyService>,
    pub catalogue: Catalogue,
    pub financing: Arc<Financing>,
    pub matching: Arc<Matching>,
    pub advice: Arc<Advice>,
    pub mailbox: crate::mail::Mailbox,
    pub chat: Arc<crate::chat::Chat>,
    pub ledger: Arc<crate::ledger::Ledger>,
    pub enrolments: Arc<crate::enrolment::Enrolments>,
    pub calls: Arc<crate::calls::Calls>,
    pub quality: Arc<crate::quality::Quality>,
    pub regional: Arc<crate::regions::Regional>,
    pub employers: Arc<crate::employers::Employers>,
    /// Background work; `serve` runs it, tests call `run_due` with their clock.
    pub jobs: Jobs,
    /// The whole store, for health checks and operators' commands only: use cases hold
    /// their own narrow ports.
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Services")
            .field("engine", &self.store.engine())
            .finish_non_exhaustive()
    }
}

impl Services {
    pub fn new(a: Adapters) -> Services {
        let accounts = Accounts::new(a.store.clone(), a.clock.clone(), a.accounts);
        let catalogue = Catalogue::new(
            a.store.clone(),
            a.store.clone(),
            a.store.clone(),
            a.index.clone(),
            a.taxonomy.clone(),
            a.regions.clone(),
            a.clock.clone(),
        );
        let financing = Arc::new(Financing::new(
            a.store.clone(),
            a.store.clone(),
            a.store.clone(),
            a.taxonomy.clone(),
            a.regions.clone(),
            a.clock.clone(),
        ));
        let matching = Arc::new(Matching::new(
            a.store.clone(),
            a.store.clone(),
            a.taxonomy.clone(),
            a.regions.clone(),
            a.index,
            financing.clone(),
            a.clock.clone(),
        ));
        let advice = Arc::new(Advice::new(
            crate::advice::AdvicePorts {
                programmes: a.store.clone(),
                advisors: a.store.clone(),
                outbox: a.store.clone(),
                users: a.store.clone(),
                jobs: a.store.clone(),
                plans: a.store.clone(),
                profiles: a.store.clone(),
                audit: a.store.clone(),
            },
            financing.clone(),
            a.regions.clone(),
            a.clock.clone(),
        ));
        let ledger = Arc::new(crate::ledger::Ledger::new(
            a.store.clone(),
            a.store.clone(),
            a.clock.clone(),
        ));
        let enrolments = Arc::new(crate::enrolment::Enrolments::new(
            crate::enrolment::EnrolmentPorts {
                enrolments: a.store.clone(),
                audit: a.store.clone(),
                catalogue: a.store.clone(),
                ledger: a.store.clone(),
                jobs: a.store.clone(),
                quality: a.store.clone(),
            },
            a.clock.clone(),
        ));
        let calls = Arc::new(crate::calls::Calls::new(
            crate::calls::CallPorts {
                calls: a.store.clone(),
                catalogue: a.store.clone(),
                enrolments: a.store.clone(),
                quality: a.store.clone(),
                audit: a.store.clone(),
            },
            a.clock.clone(),
        ));
        let quality = Arc::new(crate::quality::Quality::new(
            crate::quality::QualityPorts {
                quality: a.store.clone(),
                enrolments: a.store.clone(),
                catalogue: a.store.clone(),
                users: a.store.clone(),
                outbox: a.store.clone(),
            },
            a.clock.clone(),
        ));
        let regional = Arc::new(crate::regions::Regional::new(
            crate::regions::RegionalPorts {
                initiatives: a.store.clone(),
                dashboard: a.store.clone(),
                culture: a.store.clone(),
            },
            a.regions.clone(),
            a.clock.clone(),
        ));
        let employers = Arc::new(crate::employers::Employers::new(
            a.store.clone(),
            a.store.clone(),
            a.store.clone(),
            a.taxonomy.clone(),
            a.regions.clone(),
            a.clock.clone(),
        ));
        let jobs = Jobs::new(
            a.store.clone(),
            crate::jobs::JobFeatures {
                advice: advice.clone(),
                ledger: ledger.clone(),
                enrolments: enrolments.clone(),
                financing: financing.clone(),
                calls: calls.clone(),
                quality: quality.clone(),
            },
            a.clock.clone(),
        );
        let chat = Arc::new(crate::chat::Chat::new(
            crate::chat::ChatPorts {
                chats: a.store.clone(),
                bus: a.chat_bus,
                users: a.store.clone(),
                appointments: a.store.clone(),
                programmes: a.store.clone(),
                audit: a.store.clone(),
                outbox: a.store.clone(),
            },
            a.clock.clone(),
            a.chat,
        ));
        Services {
            accounts,
            taxonomy: a.taxonomy,
            catalogue,
            financing,
            matching,
            advice,
            jobs,
            chat,
            ledger,
            enrolments,
            calls,
            quality,
            regional,
            employers,
            mailbox: crate::mail::Mailbox::new(a.store.clone(), a.clock.clone()),
            store: a.store,
            clock: a.clock,
        }
    }
}
