//! A problem with one field of an input, named by its path: what every validation in every
//! feature reports, and what the API turns into a 422 problem's `errors`.

use serde::Serialize;

/// A problem with one field of an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Path of the field, e.g. `runs[1].start`.
    pub field: String,
    /// In English, for integrators and logs.
    pub message: String,
    /// A stable name for the problem, so pages can say it in the reader's language (with
    /// `args`); `None` where only the English message exists.
    #[serde(skip)]
    pub code: Option<&'static str>,
    #[serde(skip)]
    pub args: Vec<(&'static str, String)>,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
            code: None,
            args: Vec::new(),
        }
    }

    /// Name the problem (`code`) with the values a translation needs (`args`).
    pub fn coded(mut self, code: &'static str, args: Vec<(&'static str, String)>) -> Self {
        self.code = Some(code);
        self.args = args;
        self
    }
}
