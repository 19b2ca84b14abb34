//! The catalogue search as URL parameters, shared by `/zoeken` and `GET /api/v1/offers`, so a
//! result page is a shareable URL that survives back and forward. Facet values may repeat
//! (`kind=course&kind=module`, as HTML checkboxes send them) or be comma-separated.

use crate::error::Problem;
use leerpad_domain::catalogue::search::{
    FACET_LANGUAGES, Facet, LoadBand, OfferFilters, OfferQuery, PriceBand, SortOrder,
};
use leerpad_domain::catalogue::{Credential, Level, Modality, OfferKind};
use leerpad_domain::regions::Regions;

/// Results per page unless asked otherwise, and the most.
pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;
/// Deepest page reachable (the index pages up to 10,000 results).
const MAX_RESULTS: usize = 10_000;

#[derive(Debug, Clone, PartialEq)]
pub struct SearchParams {
    pub query: OfferQuery,
    /// 1-based.
    pub page: usize,
}

fn values<'a>(pairs: &'a [(String, String)], key: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(k, _)| k == key)
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

fn one<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    values(pairs, key).into_iter().last()
}

fn choices<T: std::str::FromStr + PartialEq>(
    pairs: &[(String, String)],
    key: &str,
    all: fn() -> String,
) -> Result<Vec<T>, Problem> {
    let mut out = Vec::new();
    for v in values(pairs, key) {
        let parsed = v.parse::<T>().map_err(|_| {
            Problem::validation(key, format!("{key}: '{v}' is not one of {}", all()))
        })?;
        if !out.contains(&parsed) {
            out.push(parsed);
        }
    }
    Ok(out)
}

fn number(
    pairs: &[(String, String)],
    key: &str,
    range: std::ops::RangeInclusive<usize>,
) -> Result<Option<usize>, Problem> {
    match one(pairs, key) {
        None => Ok(None),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if range.contains(&n) => Ok(Some(n)),
            _ => Err(Problem::validation(
                key,
                format!(
                    "{key}: '{v}' is not a number from {} to {}",
                    range.start(),
                    range.end()
                ),
            )),
        },
    }
}

impl SearchParams {
    /// Parse a raw query string; unknown facet values are 422 problems naming the parameter.
    pub fn parse(raw: &str, regions: &Regions) -> Result<SearchParams, Problem> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw)
            .map_err(|e| Problem::bad_request(format!("malformed query string: {e}")))?;
        // `q` keeps its commas: read it whole.
        let text = pairs
            .iter()
            .rev()
            .find(|(k, _)| k == "q")
            .map(|(_, v)| v.trim().chars().take(200).collect::<String>())
            .unwrap_or_default();
        let mut provinces = Vec::new();
        for p in values(&pairs, "province") {
            let found = regions
                .provinces()
                .iter()
                .find(|x| x.eq_ignore_ascii_case(p));
            match found {
                Some(f) if !provinces.contains(f) => provinces.push(f.clone()),
                Some(_) => {}
                None => {
                    return Err(Problem::validation(
                        "province",
                        format!("province: '{p}' is not a Dutch province"),
                    ));
                }
            }
        }
        let mut region_names = Vec::new();
        for r in values(&pairs, "region") {
            let found = regions.regions().iter().find(|x| x.eq_ignore_ascii_case(r));
            match found {
                Some(f) if !region_names.contains(f) => region_names.push(f.clone()),
                Some(_) => {}
                None => {
                    return Err(Problem::validation(
                        "region",
                        format!("region: '{r}' is not a labour-market region (arbeidsmarktregio)"),
                    ));
                }
            }
        }
        let mut languages = Vec::new();
        for l in values(&pairs, "language") {
            if !FACET_LANGUAGES.contains(&l) {
                return Err(Problem::validation(
                    "language",
                    format!(
                        "language: '{l}' is not one of {}",
                        FACET_LANGUAGES.join(", ")
                    ),
                ));
            }
            if !languages.iter().any(|x: &String| x == l) {
                languages.push(l.to_owned());
            }
        }
        let sort = match one(&pairs, "sort") {
            None => SortOrder::Relevance,
            Some(s) => s.parse().map_err(|_| {
                Problem::validation(
                    "sort",
                    format!("sort: '{s}' is not one of {}", SortOrder::identifiers()),
                )
            })?,
        };
        let limit = number(&pairs, "limit", 1..=MAX_LIMIT)?.unwrap_or(DEFAULT_LIMIT);
        let page = number(&pairs, "page", 1..=MAX_RESULTS)?.unwrap_or(1);
        let offset = (page - 1) * limit;
        if offset >= MAX_RESULTS {
            return Err(Problem::validation(
                "page",
                format!(
                    "page: results beyond the first {MAX_RESULTS} cannot be paged to; narrow the search"
                ),
            ));
        }
        let filters = OfferFilters {
            kinds: choices(&pairs, "kind", OfferKind::identifiers)?,
            levels: choices(&pairs, "level", Level::identifiers)?,
            modalities: choices(&pairs, "modality", Modality::identifiers)?,
            provinces,
            regions: region_names,
            prices: choices(&pairs, "price", PriceBand::identifiers)?,
            loads: choices(&pairs, "load", LoadBand::identifiers)?,
            credentials: choices(&pairs, "credential", Credential::identifiers)?,
            languages,
            start_within_weeks: number(&pairs, "start", 1..=104)?.map(|w| w as u32),
            provider_id: None,
        };
        Ok(SearchParams {
            query: OfferQuery {
                text,
                filters,
                sort,
                offset,
                limit,
                ..Default::default()
            },
            page,
        })
    }

    /// The parameters as a query string (without `?`), in a stable order, leaving out defaults.
    pub fn to_query_string(&self) -> String {
        let f = &self.query.filters;
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.query.text.is_empty() {
            pairs.push(("q", self.query.text.clone()));
        }
        pairs.extend(f.kinds.iter().map(|v| ("kind", v.to_string())));
        pairs.extend(f.levels.iter().map(|v| ("level", v.to_string())));
        pairs.extend(f.modalities.iter().map(|v| ("modality", v.to_string())));
        pairs.extend(f.provinces.iter().map(|v| ("province", v.clone())));
        pairs.extend(f.regions.iter().map(|v| ("region", v.clone())));
        pairs.extend(f.prices.iter().map(|v| ("price", v.to_string())));
        pairs.extend(f.loads.iter().map(|v| ("load", v.to_string())));
        pairs.extend(f.credentials.iter().map(|v| ("credential", v.to_string())));
        pairs.extend(f.languages.iter().map(|v| ("language", v.clone())));
        if let Some(w) = f.start_within_weeks {
            pairs.push(("start", w.to_string()));
        }
        if self.query.sort != SortOrder::Relevance {
            pairs.push(("sort", self.query.sort.to_string()));
        }
        if self.query.limit != DEFAULT_LIMIT {
            pairs.push(("limit", self.query.limit.to_string()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }

    /// These parameters on another page.
    pub fn with_page(&self, page: usize) -> SearchParams {
        let mut p = self.clone();
        p.page = page.max(1);
        p.query.offset = (p.page - 1) * p.query.limit;
        p
    }

    /// Whether `value` of `facet` is selected.
    pub fn is_selected(&self, facet: Facet, value: &str) -> bool {
        let f = &self.query.filters;
        match facet {
            Facet::Kind => f.kinds.iter().any(|v| v.as_str() == value),
            Facet::Level => f.levels.iter().any(|v| v.as_str() == value),
            Facet::Modality => f.modalities.iter().any(|v| v.as_str() == value),
            Facet::Province => f.provinces.iter().any(|v| v == value),
            Facet::Region => f.regions.iter().any(|v| v == value),
            Facet::Price => f.prices.iter().any(|v| v.as_str() == value),
            Facet::Load => f.loads.iter().any(|v| v.as_str() == value),
            Facet::Credential => f.credentials.iter().any(|v| v.as_str() == value),
            Facet::Language => f.languages.iter().any(|v| v == value),
            Facet::Start => f.start_within_weeks.is_some_and(|w| w.to_string() == value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leerpad_domain::regions::Municipality;

    fn regions() -> Regions {
        Regions::new(vec![Municipality {
            code: "GM0363".into(),
            name: "Amsterdam".into(),
            province: "Noord-Holland".into(),
            region: "Groot-Amsterdam".into(),
        }])
    }

    #[test]
    fn repeated_and_comma_separated_values_and_round_trip() {
        let p = SearchParams::parse(
            "q=lassen%2C+solderen&kind=course&kind=module,exam&province=noord-holland&start=4&sort=price&page=3&limit=10",
            &regions(),
        )
        .expect("valid");
        assert_eq!(p.query.text, "lassen, solderen");
        assert_eq!(
            p.query.filters.kinds,
            vec![OfferKind::Course, OfferKind::Module, OfferKind::Exam]
        );
        assert_eq!(p.query.filters.provinces, vec!["Noord-Holland".to_owned()]);
        assert_eq!(p.query.offset, 20);
        assert_eq!(p.query.sort, SortOrder::PriceAsc);
        let again = SearchParams::parse(&p.to_query_string(), &regions()).expect("round trip");
        assert_eq!(again, p);
        assert!(p.is_selected(Facet::Kind, "module"));
        assert!(!p.is_selected(Facet::Kind, "bbl"));
        assert!(!p.with_page(1).to_query_string().contains("page="));
    }

    #[test]
    fn bad_values_name_their_parameter() {
        for (raw, field) in [
            ("kind=kurs", "kind"),
            ("province=Atlantis", "province"),
            ("limit=0", "limit"),
            ("limit=101", "limit"),
            ("page=x", "page"),
            ("page=600", "page"),
            ("sort=cheap", "sort"),
            ("start=999", "start"),
            ("language=xx", "language"),
        ] {
            let e = SearchParams::parse(raw, &regions()).expect_err(raw);
            assert_eq!(
                e.errors.first().map(|f| f.field.as_str()),
                Some(field),
                "{raw}"
            );
        }
        assert!(SearchParams::parse("", &regions()).is_ok());
    }
}
