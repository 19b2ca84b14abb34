//! The roles a Leerpad account can hold. One account may hold several (an advisor is usually
//! also a learner), so permissions are computed over a [`RoleSet`].

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A role as granted to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A worker or job seeker (werkende / werkzoekende); every registered account has it.
    Learner,
    /// A career advisor (loopbaanadviseur) who gives ontwikkeladvies: free development advice.
    Advisor,
    /// A training provider (opleider) publishing offers.
    Provider,
    /// A programme manager for a region, province, UWV or sector fund.
    ProgrammeManager,
    /// Operates the platform: users, roles, audit log.
    Admin,
    /// An employer (mkb): trains its staff and exchanges staff with other companies.
    Employer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Learner,
        Role::Advisor,
        Role::Provider,
        Role::ProgrammeManager,
        Role::Admin,
        Role::Employer,
    ];

    /// The stable identifier used in storage, the API and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Learner => "learner",
            Role::Advisor => "advisor",
            Role::Provider => "provider",
            Role::ProgrammeManager => "programme_manager",
            Role::Admin => "admin",
            Role::Employer => "employer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text did not name a role.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role '{0}': expected one of learner, advisor, provider, programme_manager, admin, employer"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let normalized = s.trim().to_ascii_lowercase().replace('-', "_");
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == normalized)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// The roles held by one account, kept sorted and free of duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSet(Vec<Role>);

impl RoleSet {
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        let mut v: Vec<Role> = roles.into_iter().collect();
        v.sort();
        v.dedup();
        RoleSet(v)
    }

    pub fn contains(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<Role> for RoleSet {
    fn from_iter<I: IntoIterator<Item = Role>>(iter: I) -> Self {
        RoleSet::new(iter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!(
            "Programme-Manager".parse::<Role>(),
            Ok(Role::ProgrammeManager)
        );
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn role_set_is_sorted_and_deduplicated() {
        let set = RoleSet::new([Role::Admin, Role::Learner, Role::Admin]);
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            vec![Role::Learner, Role::Admin]
        );
    }
}
