//! The benchmark's queries: what people type into a training search, with the filters they
//! click, as URL query strings parsed the way the web layer parses them.

use leerpad_domain::catalogue::search::OfferQuery;
use leerpad_domain::regions::Regions;
use leerpad_web::search_params::SearchParams;

/// The queries: what people type into a training search, with the filters they click.
pub const QUERIES: &[&str] = &[
    "",
    "q=heftruck",
    "q=verpleegkundige",
    "q=excel",
    "q=marketing",
    "q=lassen",
    "q=projectbeheer",
    "q=digitale+marketing",
    "q=automonteur",
    "q=boekhouding",
    "q=leidinggeven",
    "q=klantenservice",
    "q=veiligheid",
    "q=zorg",
    "q=logistiek",
    "q=schoonmaak",
    "q=kok",
    "q=elektricien",
    "q=programmeren",
    "q=data+analyse",
    "q=communicatie",
    "q=verkoop",
    "q=onderwijsassistent",
    "q=vrachtwagenchauffeur",
    "q=administratief+medewerker",
    "q=ict",
    "q=financieel+adviseur",
    "q=engels",
    "q=duurzaamheid",
    "q=verpleegkundge",
    "q=marketting",
    "q=boekhoudig",
    "q=elektricen",
    "q=customer+service",
    "q=software+developer",
    "q=first+aid",
    "q=ik+wil+in+de+bediening+werken",
    "q=daken+leggen+en+repareren",
    "q=assistente+bij+de+tandarts",
    "q=zorg&province=Utrecht",
    "kind=course&modality=online",
    "q=marketing&price=250-1000&sort=price",
    "start=4&region=Rijnmond",
    "q=ict&level=mbo4",
    "sort=start",
    "q=leidinggeven&credential=certificate&page=3",
    "kind=bbl&kind=bol&province=Noord-Brabant",
    "q=verkoop&language=en",
    "price=free&sort=-price",
];

/// The built-in queries, or those given with `--query`.
pub(super) fn chosen(given: &[String]) -> Vec<&str> {
    if given.is_empty() {
        QUERIES.to_vec()
    } else {
        given.iter().map(String::as_str).collect()
    }
}

/// The queries as the search use case receives them.
pub(super) fn parse(strings: &[&str], regions: &Regions) -> anyhow::Result<Vec<OfferQuery>> {
    strings
        .iter()
        .map(|q| SearchParams::parse(q, regions).map(|p| p.query))
        .collect::<Result<_, _>>()
        .map_err(|p| anyhow::anyhow!("bad query: {:?}", p.detail))
}
