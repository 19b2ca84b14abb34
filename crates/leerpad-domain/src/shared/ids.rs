//! Typed ids for the records that cross layers, so a user id cannot be passed where an offer
//! id belongs. Each is the database's integer key; serialised as that plain number, so the API
//! and files keep their integers.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)+) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }

            /// The integer key, for storage and URLs.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )+};
}

id_type! {
    /// An account.
    UserId;
    /// A training offer in the catalogue.
    OfferId;
    /// An organisation that publishes offers.
    ProviderId;
    /// A financing scheme.
    SchemeId;
    /// An advice programme (ontwikkeladvies).
    ProgrammeId;
    /// A person's registration for an advice programme.
    RegistrationId;
    /// A durable background job.
    JobId;
    /// An account of the ledger (a learning account, a scheme's budget, …).
    AccountId;
    /// A transfer of the ledger (a movement, a hold, or what became of a hold).
    TransferId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialise_as_plain_numbers() {
        assert_eq!(
            serde_json::to_string(&UserId::new(7)).ok().as_deref(),
            Some("7")
        );
        assert_eq!(
            serde_json::from_str::<OfferId>("12").ok(),
            Some(OfferId::new(12))
        );
        assert_eq!(ProviderId::new(3).to_string(), "3");
    }
}
