//! The lottery number every draw uses (advice places, calls for cost coverage): anyone can
//! recompute it from the published seed and a public reference.

use sha2::{Digest, Sha256};

/// The SHA-256 of `"{seed}:{reference}"`, as 64 lowercase hex digits; lower goes first.
pub fn lottery_number(seed: &str, reference: &str) -> String {
    let digest = Sha256::digest(format!("{seed}:{reference}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
