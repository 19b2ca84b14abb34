//! Validation of a provider's details: on their own when an organisation registers, or as
//! part of an offer in a file that carries several providers.

use super::errors::Errors;
use super::{MAX_TITLE, ProviderInput};
use crate::catalogue::kvk::KvkNumber;
use crate::catalogue::model::Accreditation;
use crate::shared::FieldError;

/// A validated provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderDraft {
    pub kvk: KvkNumber,
    pub name: String,
    pub accreditations: Vec<Accreditation>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// Other names the organisation trades under (handelsnamen), as the KvK lists them.
    pub trading_names: Vec<String>,
}

/// Most trading names one organisation lists.
pub const MAX_TRADING_NAMES: usize = 10;

pub(super) fn validate_provider_fields(
    p: &ProviderInput,
    errors: &mut Errors,
) -> Option<ProviderDraft> {
    let kvk = match KvkNumber::parse(&p.kvk) {
        Ok(k) => Some(k),
        Err(e) => {
            errors.coded(
                "provider.kvk",
                e.to_string(),
                "catalogue-error-kvk",
                Vec::new(),
            );
            None
        }
    };
    let name = errors.text("provider.name", Some(&p.name), MAX_TITLE);
    if name.is_empty() {
        errors.coded(
            "provider.name",
            "required",
            "catalogue-error-name-required",
            Vec::new(),
        );
    }
    let mut accreditations = Vec::new();
    for (i, a) in p.accreditations.iter().enumerate() {
        if let Some(a) = errors.choice::<Accreditation>(
            &format!("provider.accreditations[{i}]"),
            a,
            Accreditation::identifiers,
        ) && !accreditations.contains(&a)
        {
            accreditations.push(a);
        }
    }
    let opt = |errors: &mut Errors, field: &str, v: &Option<String>| {
        let t = errors.text(field, v.as_deref(), MAX_TITLE);
        (!t.is_empty()).then_some(t)
    };
    let email = opt(errors, "provider.email", &p.email);
    if let Some(e) = &email
        && crate::accounts::Email::parse(e).is_err()
    {
        errors.coded(
            "provider.email",
            "not a valid e-mail address",
            "catalogue-error-email",
            Vec::new(),
        );
    }
    let phone = opt(errors, "provider.phone", &p.phone);
    let website = opt(errors, "provider.website", &p.website);
    if let Some(w) = &website
        && !(w.starts_with("https://") || w.starts_with("http://"))
    {
        errors.coded(
            "provider.website",
            "must start with https:// or http://",
            "catalogue-error-website",
            Vec::new(),
        );
    }
    let mut trading_names: Vec<String> = Vec::new();
    for (i, t) in p.trading_names.iter().enumerate() {
        let t = errors.text(&format!("provider.trading_names[{i}]"), Some(t), MAX_TITLE);
        if !t.is_empty() && t != name && !trading_names.contains(&t) {
            trading_names.push(t);
        }
    }
    if trading_names.len() > MAX_TRADING_NAMES {
        errors.add(
            "provider.trading_names",
            format!("at most {MAX_TRADING_NAMES} trading names"),
        );
    }
    Some(ProviderDraft {
        kvk: kvk?,
        name,
        accreditations,
        email,
        phone,
        website,
        trading_names,
    })
}

/// Check a provider's details on their own (registration of a provider organisation).
pub fn validate_provider(input: &ProviderInput) -> Result<ProviderDraft, Vec<FieldError>> {
    let mut errors = Errors(Vec::new());
    let draft = validate_provider_fields(input, &mut errors);
    match draft {
        Some(d) if errors.0.is_empty() => Ok(d),
        _ => Err(errors.0),
    }
}
