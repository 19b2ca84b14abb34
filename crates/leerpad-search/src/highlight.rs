//! Highlighting: the matches of a text query marked in titles (shown whole) and in
//! descriptions (cut to a fragment around the matches), with the index's own analysers.

use crate::SearchIndex;
use leerpad_domain::catalogue::search::Highlight;
use tantivy::snippet::SnippetGenerator;

impl SearchIndex {
    /// See [`OfferIndex::highlight`](leerpad_domain::catalogue::search::OfferIndex::highlight).
    pub(crate) fn highlight_texts(
        &self,
        text_query: &str,
        lang: &str,
        title: bool,
        texts: &[&str],
        max_chars: usize,
    ) -> Vec<Highlight> {
        let field = match (lang, title) {
            ("en", true) => self.fields.title_en,
            ("en", false) => self.fields.body_en,
            (_, true) => self.fields.title_nl,
            (_, false) => self.fields.body_nl,
        };
        let searcher = self.reader.searcher();
        let generator = self
            .text_query(text_query, true, &searcher)
            .and_then(|q| SnippetGenerator::create(&searcher, q.as_ref(), field).ok())
            .map(|mut g| {
                g.set_max_num_chars(max_chars);
                g
            });
        texts
            .iter()
            .map(|t| match &generator {
                Some(g) => {
                    let s = g.snippet(t);
                    if s.is_empty() {
                        Highlight::plain(t, if title { usize::MAX } else { max_chars })
                    } else if title {
                        // A title is shown whole: marks move from the fragment to the text.
                        let shift = s.fragment_range().start;
                        Highlight {
                            fragment: (*t).to_owned(),
                            marks: s
                                .highlighted()
                                .iter()
                                .map(|r| (r.start + shift, r.end + shift))
                                .collect(),
                        }
                    } else {
                        Highlight {
                            fragment: s.fragment().to_owned(),
                            marks: s.highlighted().iter().map(|r| (r.start, r.end)).collect(),
                        }
                    }
                }
                None if title => Highlight::plain(t, usize::MAX),
                None => Highlight::plain(t, max_chars),
            })
            .collect()
    }
}
