//! "Ik wil iets anders" on Mijn kansen: the moves from shrinking to growing work, each with
//! why in one sentence ("Groeiend in Zuid-Limburg: +12% vacatures. Je hebt al 14 van de 30
//! vaardigheden.") and a link to its gap and plan.

use super::views::OccupationLink;
use crate::i18n::Lang;
use crate::taxonomy::views::label_text;
use leerpad_app::matching::Matching;
use leerpad_domain::matching::GrowthMoves;
use leerpad_domain::taxonomy::key_of;

/// One suggested move.
pub struct GrowthView {
    pub occupation: OccupationLink,
    pub why: String,
}

/// The suggestions, and whether they lead away from the person's shrinking work.
pub struct GrowthListView {
    pub items: Vec<GrowthView>,
    pub leaves_shrinking_work: bool,
}

pub(crate) fn growth_view(m: &Matching, g: &GrowthMoves, lang: Lang) -> GrowthListView {
    let t = &m.taxonomy().taxonomy;
    let items = g
        .items
        .iter()
        .filter_map(|x| {
            let o = t.occupation(x.occupation)?;
            let area = match x.demand.area.name() {
                "" => lang.t("chances-national"),
                name => name.to_owned(),
            };
            Some(GrowthView {
                occupation: OccupationLink {
                    id: key_of(&o.uri).to_owned(),
                    label: label_text(&o.texts, lang.code()),
                },
                why: lang.t_args(
                    "growth-why",
                    &[
                        ("area", area),
                        ("trend", format!("{}", x.trend_percent.round() as i64)),
                        ("had", x.skills_had.to_string()),
                        ("total", x.skills_total.to_string()),
                    ],
                ),
            })
        })
        .collect();
    GrowthListView {
        items,
        leaves_shrinking_work: !g.shrinking_fields.is_empty(),
    }
}
