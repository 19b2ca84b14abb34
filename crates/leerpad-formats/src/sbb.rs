//! MBO occupational profiles (SBB beroepsprofielen: qualification dossier, profile, description,
//! core tasks and work processes), bundled as Dutch text for demo offers.

use serde::Deserialize;

static BUNDLED: &str = include_str!("../../../data/sbb/mbo-beroepsprofielen.json");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MboProfile {
    pub dossier: String,
    pub profile: String,
    pub description: String,
    pub core_tasks: Vec<String>,
    pub work_processes: Vec<String>,
}

#[derive(Deserialize)]
struct RawTask {
    name: String,
    #[serde(default)]
    werkprocessen: Vec<String>,
}

#[derive(Deserialize)]
struct RawProfile {
    dossier: String,
    profiel: String,
    #[serde(default)]
    beroepsbeschrijving: String,
    #[serde(default)]
    kerntaken: Vec<RawTask>,
}

fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The bundled profiles (checked by the tests; a malformed file yields none). The source has
/// two placeholder entries (no profile name or no core tasks); they are left out.
pub fn bundled_profiles() -> Vec<MboProfile> {
    let raw: Vec<RawProfile> = serde_json::from_str(BUNDLED).unwrap_or_default();
    raw.into_iter()
        .filter(|p| !p.profiel.trim().is_empty() && !p.kerntaken.is_empty())
        .map(|p| MboProfile {
            dossier: clean(&p.dossier),
            profile: clean(&p.profiel),
            description: clean(&p.beroepsbeschrijving),
            work_processes: p
                .kerntaken
                .iter()
                .flat_map(|t| t.werkprocessen.iter().map(|w| clean(w)))
                .filter(|w| !w.is_empty())
                .collect(),
            core_tasks: p
                .kerntaken
                .into_iter()
                .map(|t| clean(&t.name))
                .filter(|t| !t.is_empty())
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn profiles_read_cleanly() {
        let p = super::bundled_profiles();
        assert_eq!(p.len(), 63, "64 real profiles, one without core tasks");
        assert!(
            p.iter()
                .all(|x| !x.profile.is_empty() && !x.core_tasks.is_empty())
        );
        assert!(
            p.iter()
                .flat_map(|x| &x.core_tasks)
                .all(|t| !t.contains('\n'))
        );
    }
}
