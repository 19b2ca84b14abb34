//! The shared kernel: what several features use, so that no feature reaches into another's
//! folder for it. Dates, money, typed ids, field errors, bilingual text, closed value lists and text
//! folding. Nothing here knows a feature; features import from here.

pub mod date;
pub mod enums;
pub mod field;
pub mod ids;
pub mod localized;
pub mod lottery;
pub mod money;
pub mod text;
pub mod workdays;

pub use date::{Date, iso_date, iso_date_option};
pub(crate) use enums::string_enum;
pub use field::FieldError;
pub use ids::{
    AccountId, JobId, OfferId, ProgrammeId, ProviderId, RegistrationId, SchemeId, TransferId,
    UserId,
};
pub use localized::Localized;
pub use lottery::lottery_number;
pub use money::Money;
pub use text::fold;
