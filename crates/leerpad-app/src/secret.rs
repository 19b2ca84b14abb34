//! Secrets: password hashing (Argon2id), random tokens and their stored hashes.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// How much work a password hash costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HashCost {
    /// OWASP's recommendation for Argon2id: 19 MiB, 2 passes, 1 lane.
    #[default]
    Production,
    /// Minimal cost so test suites that log in many times stay fast. Never use in production.
    Fast,
}

impl HashCost {
    fn argon2(self) -> Result<Argon2<'static>, AppError> {
        let params = match self {
            HashCost::Production => Params::new(19 * 1024, 2, 1, None),
            HashCost::Fast => Params::new(8, 1, 1, None),
        }
        .map_err(|e| AppError::Internal(format!("argon2 parameters: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// Hash a password with a fresh salt (blocking: call from a blocking thread).
pub fn hash_password(cost: HashCost, password: &str) -> Result<String, AppError> {
    let mut salt_bytes = [0u8; 16];
    getrandom::fill(&mut salt_bytes).map_err(|e| AppError::Internal(format!("randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| AppError::Internal(format!("salt: {e}")))?;
    cost.argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing: {e}")))
}

/// Check a password against a stored PHC string; parameters are read from the hash itself, so
/// hashes made at another cost still verify.
pub fn verify_password(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// A hash of a known password, verified against when the account does not exist so that a
/// failed login takes the same time either way (no account enumeration by timing).
pub fn dummy_hash(cost: HashCost) -> String {
    hash_password(cost, "leerpad-dummy-password").unwrap_or_default()
}

/// A random, URL-safe token with 256 bits of entropy.
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("randomness: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a token: hex SHA-256. Tokens are random, so no salt or slow hash is needed.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compare two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash_password(HashCost::Fast, "correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong horse battery", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn production_hash_uses_owasp_parameters() {
        let h = hash_password(HashCost::Production, "correct horse battery").expect("hash");
        assert!(h.contains("m=19456,t=2,p=1"), "{h}");
    }

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let a = random_token().expect("token");
        let b = random_token().expect("token");
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash("abc"), token_hash("abc"));
        assert_eq!(token_hash("abc").len(), 64);
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }
}
