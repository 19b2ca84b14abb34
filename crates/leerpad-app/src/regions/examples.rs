//! Example initiatives for `serve --demo`: the MRDH's co-financed projects the SER report names
//! (details beyond the report invented, and all marked as examples), and one generated
//! initiative in every labour-market region, so every region's page has something to show;
//! and example learning-culture answers in every region, so the monitor shows a trend.

use super::Regional;
use crate::error::AppResult;
use leerpad_domain::regions::culture::{Audience, CultureAnswer, quarter, survey_on};
use leerpad_domain::regions::ports::InitiativeQuery;
use leerpad_domain::regions::{AreaKind, InitiativeInput, Region, validate_initiative};

/// One of the MRDH's projects as the SER report names it (details beyond it invented).
struct Project {
    title: &'static str,
    region: &'static str,
    municipality: &'static str,
    sector: &'static str,
    summary: &'static str,
    partners: &'static str,
    funding: &'static str,
    developed: &'static str,
    groups: &'static str,
    target: &'static str,
}

const MRDH: [Project; 4] = [
    Project {
        title: "Operator van de toekomst",
        region: "Haaglanden",
        municipality: "Delft",
        sector: "techniek",
        summary: "Procesoperators leren werken met automatisering en data, in korte modules naast hun werk.",
        partners: "Gemeente Delft (penvoerder) | ROC Mondriaan (opleider) | Procesindustrie Delft (werkgevers)",
        funding: "MRDH: 96.000 | Gemeente Delft: 24.000",
        developed: "module: 4",
        groups: "werkenden in de procesindustrie | zij-instromers",
        target: "80",
    },
    Project {
        title: "HYPE Lab",
        region: "Zuid-Holland Centraal",
        municipality: "Leidschendam-Voorburg",
        sector: "ict",
        summary: "Een werkplaats waar jongeren en werkzoekenden digitale vaardigheden leren met echte opdrachten van bedrijven.",
        partners: "Gemeente Leidschendam-Voorburg (penvoerder) | HYPE Lab (uitvoerder)",
        funding: "MRDH: 75.000 | Gemeente Leidschendam-Voorburg: 25.000",
        developed: "module: 3",
        groups: "jongeren zonder startkwalificatie | werkzoekenden",
        target: "150",
    },
    Project {
        title: "Mbo-aanbod Vlaardingen",
        region: "Rijnmond",
        municipality: "Vlaardingen",
        sector: "zorg en techniek",
        summary: "Vijf bbl-opleidingen en zeven trajecten met een deelcertificaat, dicht bij huis, voor werkenden en werkzoekenden.",
        partners: "Gemeente Vlaardingen (penvoerder) | Albeda (opleider) | Zadkine (opleider)",
        funding: "MRDH: 120.000",
        developed: "bbl: 5 | deelcertificaat: 7",
        groups: "werkenden met hoogstens mbo 2 | werkzoekenden",
        target: "200",
    },
    Project {
        title: "Zorg Innovatie Academie",
        region: "Rijnmond",
        municipality: "Vlaardingen",
        sector: "zorg",
        summary: "Zorgmedewerkers leren werken met zorgtechnologie, zodat ze langer en met plezier in de zorg blijven.",
        partners: "Zorgpartners Midden-Holland (penvoerder) | Hogeschool Rotterdam (opleider)",
        funding: "MRDH: 148.550",
        developed: "module: 6",
        groups: "werkenden in de zorg",
        target: "300",
    },
];

/// Sectors the generated initiatives take turns with: (sector, theme, "in the sector").
const SECTORS: [(&str, &str, &str); 5] = [
    ("zorg", "Van winkel naar zorg", "in de zorg"),
    ("techniek", "Techniek in de buurt", "in de techniek"),
    ("logistiek", "Heftruck en magazijn", "in de logistiek"),
    ("ict", "Digitaal aan de slag", "in de ict"),
    (
        "onderwijs",
        "Zij-instroom in het onderwijs",
        "in het onderwijs",
    ),
];

impl Regional {
    /// Write the example initiatives once; returns how many were written (0 when there are
    /// initiatives already).
    pub async fn seed_examples(&self) -> AppResult<usize> {
        let any = self
            .store
            .initiatives(&InitiativeQuery {
                limit: 1,
                ..InitiativeQuery::default()
            })
            .await?;
        if !any.is_empty() {
            return Ok(0);
        }
        let mut inputs = Vec::new();
        for p in MRDH {
            inputs.push(InitiativeInput {
                title: format!("{} (voorbeeld)", p.title),
                summary: p.summary.into(),
                region: p.region.into(),
                municipalities: p.municipality.into(),
                sector: p.sector.into(),
                partners: p.partners.into(),
                target_groups: p.groups.into(),
                participants_target: p.target.into(),
                funding: p.funding.into(),
                starts_on: "2024-01-01".into(),
                ends_on: "2026-12-31".into(),
                developed: p.developed.into(),
                contact: "MRDH, programma Leven Lang Ontwikkelen".into(),
                parel: "ja".into(),
                ..InitiativeInput::default()
            });
        }
        let areas: Vec<_> = self
            .regions
            .areas()
            .iter()
            .filter(|a| a.kind == AreaKind::LabourMarket)
            .collect();
        for (n, area) in areas.iter().enumerate() {
            let (sector, theme, in_sector) = SECTORS[n % SECTORS.len()];
            let town = self
                .regions
                .municipalities_of(area)
                .first()
                .map(|m| m.name.clone())
                .unwrap_or_default();
            inputs.push(InitiativeInput {
                title: format!("{theme} {} (voorbeeld)", area.name),
                summary: format!(
                    "Werkgevers, het werkplein en opleiders in {} helpen werkenden en werkzoekenden naar werk {in_sector}, met korte opleidingen en begeleiding.",
                    area.name
                ),
                region: area.slug.clone(),
                municipalities: town,
                sector: sector.into(),
                partners: format!("Werkplein {} (penvoerder) | Regionaal opleidingscentrum (opleider)", area.name),
                target_groups: "werkzoekenden | werkenden in krimpende beroepen".into(),
                participants_target: (40 + 10 * (n % 7)).to_string(),
                participants_realised: (25 + 7 * (n % 5)).to_string(),
                funding: format!("Regio {}: {}.000", area.name, 50 + 5 * (n % 9)),
                starts_on: "2025-01-01".into(),
                ends_on: "2027-06-30".into(),
                developed: "module: 2".into(),
                contact: format!("Werkplein {}", area.name),
                parel: if n % 6 == 0 { "ja" } else { "nee" }.into(),
                ..InitiativeInput::default()
            });
        }
        let mut initiatives = Vec::with_capacity(inputs.len());
        for input in &inputs {
            let mut i = validate_initiative(input, &self.regions).map_err(|e| {
                crate::error::AppError::Internal(format!(
                    "example initiative '{}': {:?}",
                    input.title,
                    e.first().map(|f| &f.message)
                ))
            })?;
            i.example = true;
            initiatives.push(i);
        }
        let ids = self
            .store
            .add_initiatives(&initiatives, None, self.clock.now())
            .await?;
        self.seed_culture_examples(&areas).await?;
        Ok(ids.len())
    }

    /// Example learning-culture answers: for every labour-market region, six quarters back
    /// from today, a few employees and employers, each under the version of its quarter;
    /// scores drift up over time, faster in some regions than others (invented, stored as
    /// examples without a person).
    async fn seed_culture_examples(&self, areas: &[&Region]) -> AppResult<()> {
        let today = crate::catalogue::today(self.clock.as_ref());
        let now = self.clock.now();
        for (n, area) in areas.iter().enumerate() {
            for back in 0..6u32 {
                let day = today
                    .checked_sub(time::Duration::days(91 * i64::from(back)))
                    .unwrap_or(today);
                let survey = survey_on(day);
                let period = quarter(day);
                for (k, audience) in [
                    Audience::Employee,
                    Audience::Employee,
                    Audience::Employee,
                    Audience::Employee,
                    Audience::Employer,
                    Audience::Employer,
                ]
                .into_iter()
                .enumerate()
                {
                    // 2 or 3 on the scale at first; each quarter more answers one higher, faster
                    // in some regions than in others.
                    let speed = 1 + n % 3;
                    let raised = (5 - back as usize) * speed / 2;
                    let scores = survey
                        .questions(audience)
                        .iter()
                        .enumerate()
                        .map(|(q, key)| {
                            let base = 2 + (n + k + q) % 2 + usize::from((k + q) % 5 < raised);
                            ((*key).to_owned(), base.min(5) as u8)
                        })
                        .collect();
                    let answer = CultureAnswer {
                        audience,
                        version: survey.version,
                        region: area.slug.clone(),
                        period: period.clone(),
                        scores,
                    };
                    self.culture.save_culture_answer(None, &answer, now).await?;
                }
            }
        }
        Ok(())
    }
}
