//! Example accounts for the provider portal in `serve --demo` (invented, marked as examples): a
//! programme manager, a provider who acts for an organisation of the demo catalogue (one of its
//! offers changed once, so its history shows), and a newly registered organisation waiting for
//! verification with an offer ready.

use super::*;
use crate::accounts::Accounts;
use leerpad_domain::catalogue::{LocalizedInput, ProviderInput, validate_provider};
use leerpad_domain::role::{Role, RoleSet};

/// The example accounts' addresses.
pub const EXAMPLE_MANAGER: &str = "programma@voorbeeld.leerpad.nl";
pub const EXAMPLE_PROVIDER: &str = "opleider@voorbeeld.leerpad.nl";
pub const EXAMPLE_NEWCOMER: &str = "nieuwe.opleider@voorbeeld.leerpad.nl";

impl Catalogue {
    async fn example_account(
        &self,
        accounts: &Accounts,
        email: &str,
        name: &str,
        role: Role,
        password: &str,
    ) -> AppResult<Option<Principal>> {
        match accounts
            .create_user(email, name, password, RoleSet::new([role]))
            .await
        {
            Ok(a) => Ok(Some(Principal {
                user_id: a.user.id,
                email: email.to_owned(),
                roles: a.roles,
            })),
            Err(AppError::EmailTaken) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Write the portal's example accounts that do not exist yet (the demo catalogue must be
    /// loaded), all with `password`; returns how many were added.
    pub async fn seed_example_portal(
        &self,
        accounts: &Accounts,
        password: &str,
    ) -> AppResult<usize> {
        let mut added = 0;
        if self
            .example_account(
                accounts,
                EXAMPLE_MANAGER,
                "Sanne de Vries (voorbeeld)",
                Role::ProgrammeManager,
                password,
            )
            .await?
            .is_some()
        {
            added += 1;
        }
        // A provider of the demo catalogue gets an account; one offer's price goes up once.
        let first = self
            .offers
            .offers_changed_after(0, 200)
            .await?
            .into_iter()
            .map(|(o, _)| o)
            .find(|o| o.content.status == OfferStatus::Published && !o.content.costs.is_empty());
        if let Some(offer) = first
            && let Some(principal) = self
                .example_account(
                    accounts,
                    EXAMPLE_PROVIDER,
                    "Mirjam Smeets (voorbeeld)",
                    Role::Provider,
                    password,
                )
                .await?
            && let Some(provider) = self.offers.provider(offer.provider_id.get()).await?
        {
            let draft = validate_provider(&ProviderInput {
                kvk: provider.kvk.clone(),
                name: provider.name.clone(),
                accreditations: provider
                    .accreditations
                    .iter()
                    .map(|a| a.to_string())
                    .collect(),
                email: provider.email.clone(),
                phone: provider.phone.clone(),
                website: provider.website.clone(),
                trading_names: provider.trading_names.clone(),
            })
            .map_err(AppError::InvalidFields)?;
            self.offers
                .claim_provider(principal.user_id, &draft, true, self.clock.now())
                .await?;
            let mut input = OfferInput::of_content(&offer.provider_offer_id, &offer.content);
            if let Some(cost) = input.costs.first_mut() {
                cost.amount_cents += leerpad_domain::shared::Money::from_cents(5_000);
            }
            self.save_own_offer(&principal, input.clone(), Some(offer.id))
                .await?;
            if let Some(summary) = input.summary.nl.as_mut() {
                summary.push_str(" Met een praktijkexamen op de laatste dag.");
            }
            self.save_own_offer(&principal, input, Some(offer.id))
                .await?;
            added += 1;
        }
        // A new organisation waits for a programme manager, its first offer ready.
        if let Some(principal) = self
            .example_account(
                accounts,
                EXAMPLE_NEWCOMER,
                "Joost Peters (voorbeeld)",
                Role::Provider,
                password,
            )
            .await?
        {
            self.register_provider(
                &principal,
                &ProviderInput {
                    kvk: "90000017".into(),
                    name: "Leerwerkplaats Kerkrade (voorbeeld)".into(),
                    accreditations: vec!["NRTO".into()],
                    email: Some("info@leerwerkplaats.voorbeeld.nl".into()),
                    phone: None,
                    website: Some("https://leerwerkplaats.voorbeeld.nl".into()),
                    trading_names: vec!["LWK Opleidingen (voorbeeld)".into()],
                },
            )
            .await?;
            let offer = OfferInput {
                provider_offer_id: "LWK-HEF-1".into(),
                title: LocalizedInput {
                    nl: Some("Veilig werken met de heftruck (voorbeeld)".into()),
                    en: None,
                },
                summary: LocalizedInput {
                    nl: Some(
                        "In twee dagen leer je veilig heftruck rijden, met het examen voor het certificaat."
                            .into(),
                    ),
                    en: None,
                },
                kind: "course".into(),
                level: Some("mbo2".into()),
                modality: "on_site".into(),
                runs: vec![leerpad_domain::catalogue::RunInput {
                    id: Some("2027-03".into()),
                    start: Some((self.today() + time::Duration::days(90)).to_string()),
                    end: Some((self.today() + time::Duration::days(91)).to_string()),
                    municipality: Some("Kerkrade".into()),
                    ..Default::default()
                }],
                costs: vec![leerpad_domain::catalogue::CostInput {
                    kind: "tuition".into(),
                    amount_cents: leerpad_domain::shared::Money::from_cents(39_500),
                    vat_percent: Some(0),
                    required: Some(true),
                }],
                study_load_hours: Some(16),
                languages: vec!["nl".into()],
                credential: Some("certificate".into()),
                ..OfferInput::default()
            };
            self.save_own_offer(&principal, offer, None).await?;
            added += 1;
        }
        Ok(added)
    }
}
