//! Reading bundles in the official layout, and refusing malformed ones with file, line, column.

use leerpad_esco::{EscoError, read_bundle};
use std::path::Path;

const SKILLS_EN: &str = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,description
KnowledgeSkillCompetence,http://e/skill/a,skill/competence,cross-sector,provide wound care,\"dress wounds
care for wounds\",Clean wounds.
KnowledgeSkillCompetence,http://e/skill/b,knowledge,sector-specific,Java (computer programming),,Java.
";
const SKILLS_NL: &str = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,description
KnowledgeSkillCompetence,http://e/skill/a,skill/competence,cross-sector,wondverzorging bieden,wonden verzorgen,Wonden schoonmaken.
";
const OCCUPATIONS_EN: &str =
    "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,description,code
Occupation,http://e/occupation/n,2221,general nurse,\"nurse
RN\",Cares.,2221.1
Occupation,http://e/occupation/m,2221,midwife,,Delivers.,2222.1
";
const RELATIONS: &str = "occupationUri,relationType,skillType,skillUri
http://e/occupation/n,essential,skill/competence,http://e/skill/a
http://e/occupation/n,optional,knowledge,http://e/skill/b
http://e/occupation/x,essential,knowledge,http://e/skill/b
";
const BROADER_OCC: &str = "conceptType,conceptUri,broaderType,broaderUri
Occupation,http://e/occupation/m,Occupation,http://e/occupation/n
";

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write");
    }
}

fn good_bundle(dir: &Path) {
    write(
        dir,
        &[
            ("skills_en.csv", SKILLS_EN),
            ("skills_nl.csv", SKILLS_NL),
            ("occupations_en.csv", OCCUPATIONS_EN),
            ("occupationSkillRelations_en.csv", RELATIONS),
            ("broaderRelationsOccPillar_en.csv", BROADER_OCC),
        ],
    );
}

#[test]
fn reads_an_official_layout_in_several_languages() {
    let dir = tempfile::tempdir().expect("tempdir");
    good_bundle(dir.path());
    let (data, report) = read_bundle(dir.path(), &|_, _| {}).expect("read");
    assert_eq!(report.languages, vec!["en", "nl"]);
    assert_eq!(data.skills.len(), 2);
    let wound = &data.skills[0];
    assert_eq!(wound.texts.len(), 2);
    assert_eq!(
        wound.texts[0].alt,
        vec!["dress wounds", "care for wounds"],
        "newline-separated synonyms"
    );
    assert_eq!(wound.texts[1].preferred, "wondverzorging bieden");
    let index = |uri: &str| {
        data.occupations
            .iter()
            .position(|o| o.uri == uri)
            .map(|i| i as u32)
    };
    let midwife = index("http://e/occupation/m").expect("midwife");
    assert_eq!(
        data.occupations[midwife as usize].broader,
        index("http://e/occupation/n"),
        "midwife is narrower than nurse"
    );
    assert_eq!(data.occupation_skills.len(), 2);
    assert_eq!(report.dangling_references, 1);
    assert!(
        report.warnings[0].contains("occupationSkillRelations_en.csv:4"),
        "{:?}",
        report.warnings
    );
    // Reading twice gives the same data (deterministic order).
    let (again, _) = read_bundle(dir.path(), &|_, _| {}).expect("read");
    assert_eq!(again, data);
}

#[test]
fn malformed_files_are_reported_with_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    good_bundle(dir.path());
    let bad = RELATIONS.replace("optional,knowledge", "sometimes,knowledge");
    write(dir.path(), &[("occupationSkillRelations_en.csv", &bad)]);
    let err = read_bundle(dir.path(), &|_, _| {}).expect_err("bad relation type");
    assert!(
        matches!(&err, EscoError::Row { line: 3, column, .. } if column == "relationType"),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("occupationSkillRelations_en.csv:3: column relationType"),
        "{err}"
    );

    good_bundle(dir.path());
    write(
        dir.path(),
        &[(
            "occupations_en.csv",
            "conceptType,conceptUri,iscoGroup,preferredLabel\nOccupation,http://e/occupation/n,2221\n",
        )],
    );
    let err = read_bundle(dir.path(), &|_, _| {}).expect_err("short row");
    assert!(
        err.to_string().contains("occupations_en.csv:2: column 4"),
        "{err}"
    );

    good_bundle(dir.path());
    write(
        dir.path(),
        &[(
            "skills_en.csv",
            "conceptType,conceptUri,description\nX,http://e/skill/a,d\n",
        )],
    );
    let err = read_bundle(dir.path(), &|_, _| {}).expect_err("missing column");
    assert_eq!(
        err.to_string(),
        "skills_en.csv: missing column 'preferredLabel' in the header"
    );

    good_bundle(dir.path());
    let mut bytes = SKILLS_EN.as_bytes().to_vec();
    bytes.extend_from_slice(b"KnowledgeSkillCompetence,http://e/skill/c,knowledge,x,caf\xe9,,d\n");
    std::fs::write(dir.path().join("skills_en.csv"), bytes).expect("write");
    let err = read_bundle(dir.path(), &|_, _| {}).expect_err("latin-1");
    assert!(
        err.to_string()
            .contains("skills_en.csv:5: column 5: not valid UTF-8"),
        "{err}"
    );

    let empty = tempfile::tempdir().expect("tempdir");
    let err = read_bundle(empty.path(), &|_, _| {}).expect_err("no bundle");
    assert!(matches!(err, EscoError::NotABundle(_)));
}
