//! The scheme editor's form: a `SchemeDefinition` as the fields a programme manager fills in
//! (amounts in euros as people write them, dates, ticked lists), and back.
//!
//! Reading the form only translates input: a value that is not an amount, a whole number or a
//! date is named on its field here; every rule about a scheme stays in the domain's
//! `validate_scheme`, whose errors [`SchemeForm::field_of`] puts back on the field they came
//! from. Conditions the form has no field for (`any`, `not`, skill lists, …) travel through
//! the form unchanged as JSON and are edited in the TOML editor.

use leerpad_domain::financing::{
    Application, Benefit, BudgetLimits, Condition, Coverage, Funder, FunderKind, Payment, Period,
    SchemeDefinition, Stacking,
};
use leerpad_domain::shared::{Localized, Money, iso_date_option};

/// What the form shows and what came back from it: text exactly as typed, so a page with an
/// error shows the person's own input again.
#[derive(Debug, Clone, Default)]
pub struct SchemeForm {
    pub slug: String,
    pub version: i64,
    pub name_nl: String,
    pub name_en: String,
    pub description_nl: String,
    pub description_en: String,
    pub funder_kind: String,
    pub funder_name: String,
    pub benefit: String,
    pub payment: String,
    pub period_from: String,
    pub period_until: String,
    pub percent: String,
    pub fixed_amount: String,
    pub max_per_award: String,
    pub max_per_person_per_year: String,
    pub own_contribution: String,
    pub own_contribution_percent: String,
    pub including_vat: bool,
    pub cost_kinds: Vec<String>,
    pub offer_kinds: Vec<String>,
    pub levels: Vec<String>,
    pub budget_total: String,
    pub max_awards_per_offer: String,
    pub yearly_deposit: String,
    pub deposit_ceiling: String,
    pub stacking_order: String,
    pub excludes: Vec<String>,
    pub application_url: String,
    pub via_advisor: bool,
    pub example: bool,
    pub age_min: String,
    pub age_max: String,
    pub employment: Vec<String>,
    pub education_at_most: String,
    pub education_at_least: String,
    pub provinces: String,
    pub regions: String,
    pub municipalities: String,
    pub sectors: Vec<String>,
    pub insured_at_least: String,
    pub insured_within: String,
    pub not_used_before: bool,
    pub not_used_within: String,
    pub modality: Vec<String>,
    pub accreditation: Vec<String>,
    pub price_min: String,
    pub price_max: String,
    /// `yes`, `no` or empty (either).
    pub crebo: String,
    /// The conditions the form has no field for, as JSON: a list of `[position, condition]`,
    /// the position being the condition's place in the scheme's `all` list, so saving an
    /// unchanged form changes nothing.
    pub other_conditions: String,
}

fn opt_euros(m: Option<Money>, lang: &str) -> String {
    m.map(|m| m.format_amount(lang)).unwrap_or_default()
}

fn opt_num<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn names<T: Copy + std::fmt::Display>(v: &[T]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

impl SchemeForm {
    /// A new scheme's form: a regional scheme paying all costs, open to everyone.
    pub fn blank() -> SchemeForm {
        SchemeForm::from_definition(
            "",
            0,
            &SchemeDefinition {
                name: Localized::default(),
                description: Localized::default(),
                funder: Funder {
                    kind: FunderKind::Regional,
                    name: String::new(),
                },
                benefit: Benefit::TrainingCosts,
                period: Period::default(),
                coverage: Coverage::default(),
                payment: Payment::ProviderDirect,
                stacking: Stacking::default(),
                budget: BudgetLimits::default(),
                application: Application::default(),
                yearly_deposit: None,
                eligibility: Condition::always(),
                example: false,
            },
            "nl",
        )
    }

    /// The form showing `def`; amounts in `lang`'s way of writing euros.
    pub fn from_definition(slug: &str, version: i64, def: &SchemeDefinition, lang: &str) -> Self {
        let c = &def.coverage;
        let mut f = SchemeForm {
            slug: slug.to_owned(),
            version,
            name_nl: def.name.nl.clone(),
            name_en: def.name.en.clone(),
            description_nl: def.description.nl.clone(),
            description_en: def.description.en.clone(),
            funder_kind: def.funder.kind.to_string(),
            funder_name: def.funder.name.clone(),
            benefit: def.benefit.to_string(),
            payment: def.payment.to_string(),
            period_from: def
                .period
                .from
                .map(iso_date_option::format)
                .unwrap_or_default(),
            period_until: def
                .period
                .until
                .map(iso_date_option::format)
                .unwrap_or_default(),
            percent: c.percent.to_string(),
            fixed_amount: opt_euros(c.fixed_amount_cents, lang),
            max_per_award: opt_euros(c.max_per_award_cents, lang),
            max_per_person_per_year: opt_euros(c.max_per_person_per_year_cents, lang),
            own_contribution: opt_euros(
                Some(c.own_contribution_cents).filter(|m| *m != Money::ZERO),
                lang,
            ),
            own_contribution_percent: opt_num(Some(c.own_contribution_percent).filter(|p| *p != 0)),
            including_vat: c.including_vat,
            cost_kinds: names(&c.cost_kinds),
            offer_kinds: names(&c.offer_kinds),
            levels: names(&c.levels),
            budget_total: opt_euros(def.budget.total_cents, lang),
            max_awards_per_offer: opt_num(def.budget.max_awards_per_offer),
            yearly_deposit: opt_euros(def.yearly_deposit.as_ref().map(|d| d.amount_cents), lang),
            deposit_ceiling: opt_euros(
                def.yearly_deposit.as_ref().and_then(|d| d.ceiling_cents),
                lang,
            ),
            stacking_order: def.stacking.order.to_string(),
            excludes: def.stacking.excludes.clone(),
            application_url: def.application.url.clone().unwrap_or_default(),
            via_advisor: def.application.via_advisor,
            example: def.example,
            ..SchemeForm::default()
        };
        let parts: Vec<&Condition> = match &def.eligibility {
            Condition::All(parts) => parts.iter().collect(),
            one => vec![one],
        };
        let mut other = Vec::new();
        for (at, part) in parts.into_iter().enumerate() {
            if !f.show(part, lang) {
                other.push((at, part.clone()));
            }
        }
        if !other.is_empty() {
            f.other_conditions = serde_json::to_string(&other).unwrap_or_default();
        }
        f
    }

    /// Put one condition of the scheme's `all` list on its field; false when the form has no
    /// (free) field for it.
    fn show(&mut self, c: &Condition, lang: &str) -> bool {
        let free = |s: &str| s.is_empty();
        match c {
            Condition::Age { min, max, on: None } if free(&self.age_min) && free(&self.age_max) => {
                self.age_min = opt_num(*min);
                self.age_max = opt_num(*max);
            }
            Condition::Employment(v) if self.employment.is_empty() && !v.is_empty() => {
                self.employment = names(v);
            }
            Condition::EducationAtMost(l) if free(&self.education_at_most) => {
                self.education_at_most = l.to_string();
            }
            Condition::EducationAtLeast(l) if free(&self.education_at_least) => {
                self.education_at_least = l.to_string();
            }
            Condition::Province(v) if free(&self.provinces) && !v.is_empty() => {
                self.provinces = v.join(", ");
            }
            Condition::Region(v) if free(&self.regions) && !v.is_empty() => {
                self.regions = v.join(", ");
            }
            Condition::Municipality(v) if free(&self.municipalities) && !v.is_empty() => {
                self.municipalities = v.join(", ");
            }
            Condition::Sector(v) if self.sectors.is_empty() && !v.is_empty() => {
                self.sectors = names(v);
            }
            Condition::InsuredMonths {
                at_least,
                within_months,
            } if free(&self.insured_at_least) => {
                self.insured_at_least = at_least.to_string();
                self.insured_within = within_months.to_string();
            }
            Condition::NotUsedBefore { within_months } if !self.not_used_before => {
                self.not_used_before = true;
                self.not_used_within = opt_num(*within_months);
            }
            Condition::Modality(v) if self.modality.is_empty() && !v.is_empty() => {
                self.modality = names(v);
            }
            Condition::Accreditation(v) if self.accreditation.is_empty() && !v.is_empty() => {
                self.accreditation = names(v);
            }
            Condition::Price {
                min_cents,
                max_cents,
            } if free(&self.price_min) && free(&self.price_max) => {
                self.price_min = opt_euros(*min_cents, lang);
                self.price_max = opt_euros(*max_cents, lang);
            }
            Condition::CreboRegistered(b) if free(&self.crebo) => {
                self.crebo = if *b { "yes" } else { "no" }.to_owned();
            }
            _ => return false,
        }
        true
    }

    /// The form as posted (`_csrf` already checked). Repeated names are the ticked boxes.
    pub fn from_pairs(pairs: &[(String, String)]) -> SchemeForm {
        let mut f = SchemeForm::default();
        for (k, v) in pairs {
            let v = v.clone();
            match k.as_str() {
                "slug" => f.slug = v.trim().to_owned(),
                "version" => f.version = v.trim().parse().unwrap_or(0),
                "name_nl" => f.name_nl = v,
                "name_en" => f.name_en = v,
                "description_nl" => f.description_nl = v,
                "description_en" => f.description_en = v,
                "funder_kind" => f.funder_kind = v,
                "funder_name" => f.funder_name = v,
                "benefit" => f.benefit = v,
                "payment" => f.payment = v,
                "period_from" => f.period_from = v,
                "period_until" => f.period_until = v,
                "percent" => f.percent = v,
                "fixed_amount" => f.fixed_amount = v,
                "max_per_award" => f.max_per_award = v,
                "max_per_person_per_year" => f.max_per_person_per_year = v,
                "own_contribution" => f.own_contribution = v,
                "own_contribution_percent" => f.own_contribution_percent = v,
                "including_vat" => f.including_vat = true,
                "cost_kinds" => f.cost_kinds.push(v),
                "offer_kinds" => f.offer_kinds.push(v),
                "levels" => f.levels.push(v),
                "budget_total" => f.budget_total = v,
                "max_awards_per_offer" => f.max_awards_per_offer = v,
                "yearly_deposit" => f.yearly_deposit = v,
                "deposit_ceiling" => f.deposit_ceiling = v,
                "stacking_order" => f.stacking_order = v,
                "excludes" => f.excludes.push(v),
                "application_url" => f.application_url = v,
                "via_advisor" => f.via_advisor = true,
                "example" => f.example = true,
                "age_min" => f.age_min = v,
                "age_max" => f.age_max = v,
                "employment" => f.employment.push(v),
                "education_at_most" => f.education_at_most = v,
                "education_at_least" => f.education_at_least = v,
                "provinces" => f.provinces = v,
                "regions" => f.regions = v,
                "municipalities" => f.municipalities = v,
                "sectors" => f.sectors.push(v),
                "insured_at_least" => f.insured_at_least = v,
                "insured_within" => f.insured_within = v,
                "not_used_before" => f.not_used_before = true,
                "not_used_within" => f.not_used_within = v,
                "modality" => f.modality.push(v),
                "accreditation" => f.accreditation.push(v),
                "price_min" => f.price_min = v,
                "price_max" => f.price_max = v,
                "crebo" => f.crebo = v,
                "other_conditions" => f.other_conditions = v,
                _ => {}
            }
        }
        f
    }

    /// The definition the form describes, or the fields whose value is not what they take
    /// (each with a translation key and its arguments). Rules about the scheme itself are the
    /// domain's to check afterwards.
    pub fn to_definition(&self, errors: &mut Problems) -> Option<SchemeDefinition> {
        let before = errors.len();
        let mut r = Reader { errors };
        let coverage = Coverage {
            cost_kinds: r.choices("cost_kinds", &self.cost_kinds),
            offer_kinds: r.choices("offer_kinds", &self.offer_kinds),
            levels: r.choices("levels", &self.levels),
            percent: r.percent("percent", &self.percent).unwrap_or(100),
            fixed_amount_cents: r.euros("fixed_amount", &self.fixed_amount),
            max_per_award_cents: r.euros("max_per_award", &self.max_per_award),
            max_per_person_per_year_cents: r
                .euros("max_per_person_per_year", &self.max_per_person_per_year),
            own_contribution_cents: r
                .euros("own_contribution", &self.own_contribution)
                .unwrap_or(Money::ZERO),
            own_contribution_percent: r
                .percent("own_contribution_percent", &self.own_contribution_percent)
                .unwrap_or(0),
            including_vat: self.including_vat,
        };
        let eligibility = self.conditions(&mut r);
        // Every field is read before giving up, so each wrong one is named at once.
        let funder_kind = r.choice("funder_kind", &self.funder_kind);
        let benefit = r.choice("benefit", &self.benefit);
        let payment = r.choice("payment", &self.payment);
        let period = Period {
            from: r.date("period_from", &self.period_from),
            until: r.date("period_until", &self.period_until),
        };
        let stacking = Stacking {
            order: r
                .number("stacking_order", &self.stacking_order)
                .unwrap_or(0),
            excludes: self.excludes.clone(),
        };
        let budget = BudgetLimits {
            total_cents: r.euros("budget_total", &self.budget_total),
            max_awards_per_offer: r.number("max_awards_per_offer", &self.max_awards_per_offer),
        };
        let deposit_ceiling = r.euros("deposit_ceiling", &self.deposit_ceiling);
        let yearly_deposit = r
            .euros("yearly_deposit", &self.yearly_deposit)
            .map(|amount| leerpad_domain::financing::YearlyDeposit {
                amount_cents: amount,
                ceiling_cents: deposit_ceiling,
            });
        let def = SchemeDefinition {
            name: Localized {
                nl: self.name_nl.trim().to_owned(),
                en: self.name_en.trim().to_owned(),
            },
            description: Localized {
                nl: self.description_nl.trim().to_owned(),
                en: self.description_en.trim().to_owned(),
            },
            funder: Funder {
                kind: funder_kind?,
                name: self.funder_name.trim().to_owned(),
            },
            benefit: benefit?,
            period,
            coverage,
            payment: payment?,
            stacking,
            budget,
            application: Application {
                url: Some(self.application_url.trim().to_owned()).filter(|u| !u.is_empty()),
                via_advisor: self.via_advisor,
            },
            yearly_deposit,
            eligibility,
            example: self.example,
        };
        (r.errors.len() == before).then_some(def)
    }

    /// The form's "who is it for" fields as one `all` list, with the conditions kept as they
    /// were back in their places (see [`Self::layout`]).
    fn conditions(&self, r: &mut Reader<'_>) -> Condition {
        let fields: Vec<Condition> = self
            .condition_slots()
            .into_iter()
            .filter_map(|(field, _)| self.condition(field, r))
            .collect();
        let mut fields = fields.into_iter();
        let mut others = self.others(r).into_iter().map(|(_, c)| c);
        let all = self
            .layout(r)
            .into_iter()
            .filter_map(|slot| match slot {
                Some(_) => fields.next(),
                None => others.next(),
            })
            .collect();
        Condition::All(all)
    }

    /// Which field each condition of the saved `all` list comes from (`None`: a kept one). The
    /// fields' conditions go in form order; a kept condition goes back to its old position.
    fn layout(&self, r: &mut Reader<'_>) -> Vec<Option<&'static str>> {
        let mut out: Vec<Option<&'static str>> = self
            .condition_slots()
            .into_iter()
            .map(|(field, _)| Some(field))
            .collect();
        for (at, _) in self.others(r) {
            out.insert(at.min(out.len()), None);
        }
        out
    }

    /// Each condition field that is filled in, in the order its condition is put in `all`;
    /// the second value says whether it is filled.
    fn condition_slots(&self) -> Vec<(&'static str, bool)> {
        let set = |s: &str| !s.trim().is_empty();
        vec![
            ("age_min", set(&self.age_min) || set(&self.age_max)),
            ("employment", !self.employment.is_empty()),
            ("education_at_most", set(&self.education_at_most)),
            ("education_at_least", set(&self.education_at_least)),
            ("provinces", set(&self.provinces)),
            ("regions", set(&self.regions)),
            ("municipalities", set(&self.municipalities)),
            ("sectors", !self.sectors.is_empty()),
            ("insured_at_least", set(&self.insured_at_least)),
            ("not_used_before", self.not_used_before),
            ("modality", !self.modality.is_empty()),
            ("accreditation", !self.accreditation.is_empty()),
            ("price_min", set(&self.price_min) || set(&self.price_max)),
            ("crebo", set(&self.crebo)),
        ]
        .into_iter()
        .filter(|(_, filled)| *filled)
        .collect()
    }

    fn condition(&self, field: &str, r: &mut Reader<'_>) -> Option<Condition> {
        let places = |s: &str| -> Vec<String> {
            s.split([',', ';', '\n'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect()
        };
        Some(match field {
            "age_min" => Condition::Age {
                min: r.number("age_min", &self.age_min),
                max: r.number("age_max", &self.age_max),
                on: None,
            },
            "employment" => Condition::Employment(r.choices("employment", &self.employment)),
            "education_at_most" => {
                Condition::EducationAtMost(r.choice("education_at_most", &self.education_at_most)?)
            }
            "education_at_least" => Condition::EducationAtLeast(
                r.choice("education_at_least", &self.education_at_least)?,
            ),
            "provinces" => Condition::Province(places(&self.provinces)),
            "regions" => Condition::Region(places(&self.regions)),
            "municipalities" => Condition::Municipality(places(&self.municipalities)),
            "sectors" => Condition::Sector(r.choices("sectors", &self.sectors)),
            "insured_at_least" => Condition::InsuredMonths {
                at_least: r.number("insured_at_least", &self.insured_at_least)?,
                within_months: match self.insured_within.trim() {
                    "" => 12,
                    t => r.number("insured_within", t)?,
                },
            },
            "not_used_before" => Condition::NotUsedBefore {
                within_months: r.number("not_used_within", &self.not_used_within),
            },
            "modality" => Condition::Modality(r.choices("modality", &self.modality)),
            "accreditation" => {
                Condition::Accreditation(r.choices("accreditation", &self.accreditation))
            }
            "price_min" => Condition::Price {
                min_cents: r.euros("price_min", &self.price_min),
                max_cents: r.euros("price_max", &self.price_max),
            },
            "crebo" => Condition::CreboRegistered(self.crebo == "yes"),
            _ => return None,
        })
    }

    /// The kept conditions with their positions, in order of position.
    fn others(&self, r: &mut Reader<'_>) -> Vec<(usize, Condition)> {
        if self.other_conditions.trim().is_empty() {
            return Vec::new();
        }
        let mut list: Vec<(usize, Condition)> = serde_json::from_str(&self.other_conditions)
            .unwrap_or_else(|_| {
                r.fail("other_conditions", "scheme-form-error-other", Vec::new());
                Vec::new()
            });
        list.sort_by_key(|(at, _)| *at);
        list
    }

    /// The conditions the form keeps without a field.
    pub fn kept_conditions(&self) -> Vec<Condition> {
        let mut ignored = Problems::new();
        self.others(&mut Reader {
            errors: &mut ignored,
        })
        .into_iter()
        .map(|(_, c)| c)
        .collect()
    }

    /// The form field a domain error about `path` belongs on (`eligibility.all[2].age` is the
    /// third condition, which the form built from its third filled-in condition field).
    pub fn field_of(&self, path: &str) -> &'static str {
        const DIRECT: &[(&str, &str)] = &[
            ("slug", "slug"),
            ("name.en", "name_en"),
            ("name", "name_nl"),
            ("description.en", "description_en"),
            ("description", "description_nl"),
            ("funder.name", "funder_name"),
            ("period", "period_until"),
            ("coverage.percent", "percent"),
            (
                "coverage.own_contribution_percent",
                "own_contribution_percent",
            ),
            ("coverage.own_contribution_cents", "own_contribution"),
            ("coverage.fixed_amount_cents", "fixed_amount"),
            ("coverage.max_per_award_cents", "max_per_award"),
            (
                "coverage.max_per_person_per_year_cents",
                "max_per_person_per_year",
            ),
            ("budget.total_cents", "budget_total"),
            ("budget.max_awards_per_offer", "max_awards_per_offer"),
            ("yearly_deposit.amount_cents", "yearly_deposit"),
            ("yearly_deposit.ceiling_cents", "deposit_ceiling"),
            ("stacking.excludes", "excludes"),
            ("application.url", "application_url"),
        ];
        if let Some(rest) = path.strip_prefix("eligibility.all[") {
            let mut ignored = Problems::new();
            let layout = self.layout(&mut Reader {
                errors: &mut ignored,
            });
            let index: Option<usize> = rest.split(']').next().and_then(|i| i.parse().ok());
            return match index.and_then(|i| layout.get(i)) {
                Some(Some(field)) => field,
                _ => "other_conditions",
            };
        }
        if path.starts_with("eligibility") {
            return "other_conditions";
        }
        DIRECT
            .iter()
            .find(|(prefix, _)| path.starts_with(prefix))
            .map_or("", |(_, field)| field)
    }
}

mod values;
use values::Reader;
pub use values::{Problems, options};

#[cfg(test)]
mod tests;
