//! What the index stores per offer: the schema's fields, the weight of each text field in
//! relevance, and the Dutch and English analysers the text fields are tokenised with.

use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};

/// Bumped whenever the schema or the packing of columns changes: an index of another version
/// is rebuilt.
pub(crate) const SCHEMA_VERSION: u32 = 3;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) id: Field,
    pub(crate) title_nl: Field,
    /// The Dutch title unstemmed: the word as typed ranks above its other forms ("zorg" above
    /// "zorgen", "verzorgende" above "verzorgen").
    pub(crate) title_nl_exact: Field,
    pub(crate) title_en: Field,
    pub(crate) body_nl: Field,
    pub(crate) body_en: Field,
    pub(crate) skills_nl: Field,
    pub(crate) skills_nl_exact: Field,
    pub(crate) skills_en: Field,
    /// ESCO keys of the skills taught, untokenised.
    pub(crate) skill_keys: Field,
    /// ESCO keys of the occupations the offer is for, untokenised.
    pub(crate) occupations: Field,
    /// Their ISCO unit groups, untokenised.
    pub(crate) isco_groups: Field,
    pub(crate) provider_name: Field,
    pub(crate) provider: Field,
    pub(crate) codes: Field,
    pub(crate) places: Field,
    pub(crate) starts: Field,
    pub(crate) price: Field,
}

/// Text fields with their weight in relevance.
const TEXT_FIELDS: usize = 9;

impl Fields {
    pub(crate) fn weighted(&self) -> [(Field, f32); TEXT_FIELDS] {
        [
            (self.title_nl, 1.5),
            (self.title_nl_exact, 1.5),
            (self.title_en, 3.0),
            (self.skills_nl, 1.0),
            (self.skills_nl_exact, 1.0),
            (self.skills_en, 2.0),
            (self.body_nl, 1.0),
            (self.body_en, 1.0),
            (self.provider_name, 1.0),
        ]
    }
}

impl Fields {
    /// The stemmed Dutch text fields: the vocabulary Dutch compounds are found in.
    pub(crate) fn dutch_stemmed(&self) -> [Field; 3] {
        [self.title_nl, self.skills_nl, self.body_nl]
    }

    /// A Dutch text field, stemmed or not.
    pub(crate) fn is_dutch(&self, field: Field) -> bool {
        self.dutch_stemmed().contains(&field)
            || field == self.title_nl_exact
            || field == self.skills_nl_exact
    }
}

pub(crate) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, positions: bool| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(if positions {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                }),
        )
    };
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | FAST),
        title_nl: b.add_text_field("title_nl", text("nl", true)),
        title_nl_exact: b.add_text_field("title_nl_exact", text("nl_exact", false)),
        title_en: b.add_text_field("title_en", text("en", true)),
        body_nl: b.add_text_field("body_nl", text("nl", false)),
        body_en: b.add_text_field("body_en", text("en", false)),
        skills_nl: b.add_text_field("skills_nl", text("nl", false)),
        skills_nl_exact: b.add_text_field("skills_nl_exact", text("nl_exact", false)),
        skills_en: b.add_text_field("skills_en", text("en", false)),
        skill_keys: b.add_text_field("skill_keys", STRING),
        occupations: b.add_text_field("occupations", STRING),
        isco_groups: b.add_text_field("isco_groups", STRING),
        provider_name: b.add_text_field("provider_name", text("nl", false)),
        provider: b.add_u64_field("provider", FAST),
        codes: b.add_u64_field("codes", FAST),
        places: b.add_u64_field("places", FAST),
        starts: b.add_u64_field("starts", FAST),
        price: b.add_u64_field("price", FAST),
    };
    (b.build(), fields)
}

fn analyzer(language: Language) -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match StopWordFilter::new(language) {
        Some(stop) => builder.filter(stop).filter(Stemmer::new(language)).build(),
        None => builder.filter(Stemmer::new(language)).build(),
    }
}

pub(crate) fn register_tokenizers(index: &Index) {
    index.tokenizers().register("nl", analyzer(Language::Dutch));
    index.tokenizers().register(
        "nl_exact",
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
    index
        .tokenizers()
        .register("en", analyzer(Language::English));
}
