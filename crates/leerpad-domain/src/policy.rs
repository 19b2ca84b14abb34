//! Who may do what: the one authorization policy every handler goes through.
//!
//! Each protected operation names an [`Action`]; [`Principal::authorize`] decides it from the
//! principal's roles and, for actions on a person's own data, whose data it is. Handlers never
//! test roles themselves, so the whole policy can be read (and tested) in this file.

use crate::role::{Role, RoleSet};
use crate::shared::UserId;
use serde::Serialize;

/// A protected operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read or change one's own account, profile and tokens.
    ManageOwnAccount,
    /// List accounts and read another person's account data.
    ViewAnyAccount,
    /// Grant or revoke roles.
    ChangeRoles,
    /// Read the security audit log.
    ReadAuditLog,
    /// Create, edit and close financing schemes; see programme dashboards.
    ManageProgrammes,
    /// Publish and edit the provider's own training offers.
    ManageOwnOffers,
    /// Give ontwikkeladvies: see one's appointments and chat with learners.
    AdviseLearners,
    /// Keep the employer's company profile and its staff exchange.
    ManageOwnCompany,
}

impl Action {
    /// Roles that may perform this action (besides the resource-owner rule for own data).
    fn allowed_roles(self) -> &'static [Role] {
        match self {
            Action::ManageOwnAccount => &Role::ALL,
            Action::ViewAnyAccount | Action::ChangeRoles | Action::ReadAuditLog => &[Role::Admin],
            Action::ManageProgrammes => &[Role::ProgrammeManager, Role::Admin],
            Action::ManageOwnOffers => &[Role::Provider, Role::Admin],
            Action::AdviseLearners => &[Role::Advisor],
            Action::ManageOwnCompany => &[Role::Employer, Role::Admin],
        }
    }
}

/// An authenticated actor: the account behind a session or an API token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: UserId,
    pub email: String,
    pub roles: RoleSet,
}

/// The policy refused an action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not allowed: {action:?}")]
pub struct Denied {
    pub action: Action,
}

impl Principal {
    /// Decide whether this principal may perform `action`.
    pub fn authorize(&self, action: Action) -> Result<(), Denied> {
        if action
            .allowed_roles()
            .iter()
            .any(|r| self.roles.contains(*r))
        {
            Ok(())
        } else {
            Err(Denied { action })
        }
    }

    /// Decide whether this principal may read the personal data of account `owner`: the owner
    /// always may, someone else only with [`Action::ViewAnyAccount`] (and the access is audited
    /// by the caller).
    pub fn authorize_personal_data(&self, owner: UserId) -> Result<Access, Denied> {
        if owner == self.user_id {
            Ok(Access::Own)
        } else {
            self.authorize(Action::ViewAnyAccount)
                .map(|()| Access::Other)
        }
    }
}

/// Whose data an allowed access touches; access to someone else's must be written to the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Own,
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(id: i64, roles: &[Role]) -> Principal {
        Principal {
            user_id: UserId::new(id),
            email: format!("u{id}@example.nl"),
            roles: RoleSet::new(roles.iter().copied()),
        }
    }

    #[test]
    fn a_learner_may_not_manage_programmes_or_read_the_audit_log() {
        let learner = principal(1, &[Role::Learner]);
        assert!(learner.authorize(Action::ManageOwnAccount).is_ok());
        assert!(learner.authorize(Action::ManageProgrammes).is_err());
        assert!(learner.authorize(Action::ReadAuditLog).is_err());
        assert!(learner.authorize(Action::ChangeRoles).is_err());
    }

    #[test]
    fn roles_combine() {
        let p = principal(1, &[Role::Learner, Role::ProgrammeManager]);
        assert!(p.authorize(Action::ManageProgrammes).is_ok());
        assert!(p.authorize(Action::ManageOwnOffers).is_err());
    }

    #[test]
    fn personal_data_belongs_to_its_owner() {
        let learner = principal(1, &[Role::Learner]);
        assert_eq!(
            learner.authorize_personal_data(UserId::new(1)),
            Ok(Access::Own)
        );
        assert!(learner.authorize_personal_data(UserId::new(2)).is_err());
        let advisor = principal(3, &[Role::Advisor]);
        assert!(advisor.authorize_personal_data(UserId::new(1)).is_err());
        let admin = principal(4, &[Role::Admin]);
        assert_eq!(
            admin.authorize_personal_data(UserId::new(1)),
            Ok(Access::Other)
        );
    }
}
