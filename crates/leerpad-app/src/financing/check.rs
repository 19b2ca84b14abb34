//! The financing check: which schemes apply to a person and an offer, and net prices.

use super::*;
use crate::catalogue::accreditations_of;
use leerpad_domain::shared::{Money, OfferId};

impl Financing {
    /// Every published scheme's verdict for a person.
    pub async fn check_person(
        &self,
        facts: &PersonFacts,
    ) -> AppResult<(SchemeBook, Vec<PersonScheme>)> {
        let book = self.book().await?;
        let ctx = self.check_context();
        let prepared = book.prepare(&ctx, facts);
        let verdicts = book.check_person(&ctx, &prepared);
        Ok((book, verdicts))
    }

    /// What one offer costs this person after financing, and why.
    pub async fn check_offer(
        &self,
        facts: &PersonFacts,
        offer_id: OfferId,
    ) -> AppResult<OfferCheck> {
        let offer = self
            .offers
            .offer(offer_id.get())
            .await?
            .filter(|o| o.content.status == OfferStatus::Published)
            .ok_or(AppError::NotFound("offer"))?;
        let accreditations = self
            .offers
            .provider(offer.provider_id.get())
            .await?
            .map(|p| p.accreditations)
            .unwrap_or_default();
        let book = self.book().await?;
        let ctx = self.check_context();
        let prepared = book.prepare(&ctx, facts);
        let financing = book.check_offer(
            &ctx,
            &prepared,
            OfferFacts::new(offer.id, &offer.content, &accreditations),
        );
        let schemes = book
            .entries()
            .iter()
            .map(|e| (e.scheme.slug.clone(), e.scheme.clone()))
            .collect();
        Ok(OfferCheck {
            offer,
            financing,
            schemes,
        })
    }

    /// (gross, net) for each offer already in memory (search results), in order.
    pub async fn net_prices_of(
        &self,
        facts: &PersonFacts,
        offers: &[(&Offer, &[leerpad_domain::catalogue::Accreditation])],
    ) -> AppResult<Vec<(Money, Money)>> {
        let book = self.book().await?;
        let ctx = self.check_context();
        let prepared = book.prepare(&ctx, facts);
        Ok(offers
            .iter()
            .map(|(o, acc)| {
                let f = OfferFacts::new(o.id, &o.content, acc);
                (f.gross_cents, book.net_price(&ctx, &prepared, f))
            })
            .collect())
    }

    /// Net prices of many offers for one person (search results): offer id → (gross, net).
    pub async fn net_prices(
        &self,
        facts: &PersonFacts,
        offer_ids: &[OfferId],
    ) -> AppResult<HashMap<OfferId, (Money, Money)>> {
        if offer_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let offers = self.offers.offers_by_ids(offer_ids).await?;
        let accreditations = accreditations_of(self.offers.as_ref(), &offers).await?;
        let book = self.book().await?;
        let ctx = self.check_context();
        let prepared = book.prepare(&ctx, facts);
        Ok(offers
            .iter()
            .map(|o| {
                let acc = accreditations
                    .get(&o.provider_id)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                let facts = OfferFacts::new(o.id, &o.content, acc);
                (
                    o.id,
                    (facts.gross_cents, book.net_price(&ctx, &prepared, facts)),
                )
            })
            .collect())
    }
}
