//! Ontwikkeladvies: free, independent career advice ("development advice", the Dutch term for a
//! funded talk with a certified career advisor that ends in a development plan). Programmes
//! fund a number of advices; people register in windows; places are drawn fairly.

pub mod advisors;
pub mod draw;
pub mod figures;
pub mod plan;
pub mod ports;
pub mod programme;

pub use draw::{Drawn, Entrant, Outcome, PublishedDraw, draw, lottery_number};
pub use programme::{ProgrammeDefinition, Reserve, Window};
