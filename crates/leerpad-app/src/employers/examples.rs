//! Example employers for `serve --demo` (invented, marked as examples in their names): three
//! companies in Zuid-Limburg and one in Noord-Limburg, with staff they offer or ask for, so the
//! matches show.

use super::Employers;
use crate::accounts::Accounts;
use crate::error::{AppError, AppResult};
use leerpad_domain::employers::{CompanyInput, ExchangeInput};
use leerpad_domain::policy::Principal;
use leerpad_domain::role::{Role, RoleSet};

/// An example employer and what it posts.
struct Example {
    email: &'static str,
    kvk: &'static str,
    name: &'static str,
    town: &'static str,
    kind: &'static str,
    work: &'static str,
    /// The occupation whose skills the exchange names (the ask four, the offer three, so an
    /// offer and an ask of one occupation share three).
    occupation: &'static str,
}

const EXAMPLES: [Example; 4] = [
    Example {
        email: "werkgever.parkstad@voorbeeld.leerpad.nl",
        kvk: "70000011",
        name: "Logistiek Parkstad (voorbeeld)",
        town: "Heerlen",
        kind: "ask",
        work: "Medewerker magazijn",
        occupation: "magazijnmedewerker",
    },
    Example {
        email: "werkgever.maastricht@voorbeeld.leerpad.nl",
        kvk: "70000012",
        name: "Maas Distributie (voorbeeld)",
        town: "Maastricht",
        kind: "offer",
        work: "Orderpicker",
        occupation: "magazijnmedewerker",
    },
    Example {
        email: "werkgever.sittard@voorbeeld.leerpad.nl",
        kvk: "70000013",
        name: "Zorggroep Westelijke Mijnstreek (voorbeeld)",
        town: "Sittard-Geleen",
        kind: "ask",
        work: "Helpende in de zorg",
        occupation: "helpende zorg en welzijn",
    },
    Example {
        email: "werkgever.venlo@voorbeeld.leerpad.nl",
        kvk: "70000014",
        name: "Venlo Opslag (voorbeeld)",
        town: "Venlo",
        kind: "offer",
        work: "Heftruckchauffeur",
        occupation: "magazijnmedewerker",
    },
];

impl Employers {
    /// Accounts, companies and exchanges for the example employers that do not exist yet (with
    /// `password`); returns how many were added.
    pub async fn seed_examples(&self, accounts: &Accounts, password: &str) -> AppResult<usize> {
        let mut added = 0;
        for Example {
            email,
            kvk,
            name,
            town,
            kind,
            work,
            occupation,
        } in EXAMPLES
        {
            let account = match accounts
                .create_user(email, name, password, RoleSet::new([Role::Employer]))
                .await
            {
                Ok(a) => a,
                Err(AppError::EmailTaken) => continue,
                Err(e) => return Err(e),
            };
            let principal = Principal {
                user_id: account.user.id,
                email: email.to_owned(),
                roles: account.roles,
            };
            self.save_company(
                &principal,
                &CompanyInput {
                    kvk: kvk.into(),
                    name: name.into(),
                    sector: "logistiek en zorg".into(),
                    municipality: town.into(),
                    size: "small".into(),
                },
            )
            .await?;
            let tax = &self.taxonomy.taxonomy;
            let take = if kind == "ask" { 4 } else { 3 };
            let known: Vec<String> = tax
                .occupations_asked_for(occupation)
                .first()
                .map(|m| {
                    tax.skills_of(m.occupation)
                        .iter()
                        .filter_map(|(s, _)| tax.skill(*s))
                        .take(take)
                        .map(|s| s.uri.clone())
                        .collect()
                })
                .unwrap_or_default();
            if !known.is_empty() {
                self.post_exchange(
                    &principal,
                    &ExchangeInput {
                        kind: kind.into(),
                        title: work.into(),
                        skills: known,
                        municipality: town.into(),
                        places: "2".into(),
                        ..ExchangeInput::default()
                    },
                )
                .await?;
            }
            added += 1;
        }
        Ok(added)
    }
}
