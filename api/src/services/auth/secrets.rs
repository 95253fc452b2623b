//! The back office's secrets: argon2id password hashes, and the random tokens of sessions, API
//! keys and one-time passwords, stored only as SHA-256 digests.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::domain::accounts::Realm;
use crate::error::ApiError;

/// OWASP's argon2id parameters: 19 MiB of memory, two passes, one lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP's argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("random source: {e}")))?;
    Ok(bytes)
}

/// 256 random bits as URL-safe text: a session cookie or the secret part of an API key.
pub fn random_token() -> Result<String, ApiError> {
    Ok(Base64UrlUnpadded::encode_string(&random_bytes::<32>()?))
}

/// A password given out once, to be changed at the first login: 144 random bits in 24 characters.
pub fn one_time_password() -> Result<String, ApiError> {
    Ok(Base64UrlUnpadded::encode_string(&random_bytes::<18>()?))
}

pub fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The CSRF token of a session: derived from its cookie, which scripts cannot read, so that
/// nothing more is stored and a leaked CSRF token does not reveal the session. The realm is
/// part of it, so that a token of one kind of session is never valid for the other.
pub fn csrf_token(session_token: &str, realm: Realm) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(session_token.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(match realm {
        // Unchanged since staff sessions came first: live sessions keep their tokens.
        Realm::Staff => b"shop admin csrf".as_slice(),
        Realm::Customer => b"shop customer csrf".as_slice(),
    });
    Base64UrlUnpadded::encode_string(&mac.finalize().into_bytes())
}

/// Hashes a password; slow on purpose, so run it on the blocking pool.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| ApiError::Internal(format!("password salt: {e}")))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| ApiError::Internal(format!("password hash: {e}")))
}

/// A hash of a password nobody knows, verified against when an email has no account, so that an
/// unknown email takes as long to refuse as a wrong password.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    let password = Base64UrlUnpadded::encode_string(&random_bytes::<32>().unwrap_or([7; 32]));
    hash_password(&password).unwrap_or_default()
});

/// Whether `password` is the one `hash` was made from; `None` checks against the decoy and fails.
pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    let stored = hash.unwrap_or(DECOY_HASH.as_str());
    let matches = PasswordHash::new(stored)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false);
    matches && hash.is_some()
}

/// [`hash_password`] on the blocking pool, holding no database connection meanwhile.
pub async fn hash_password_off_thread(password: String) -> Result<String, ApiError> {
    actix_web::web::block(move || hash_password(&password))
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
}

/// [`verify_password`] on the blocking pool, holding no database connection meanwhile.
pub async fn verify_password_off_thread(
    password: String,
    hash: Option<String>,
) -> Result<bool, ApiError> {
    actix_web::web::block(move || verify_password(&password, hash.as_deref()))
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))
}

/// Computes the decoy now rather than at the first login, whose timing it would give away.
pub fn warm_up() {
    LazyLock::force(&DECOY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_against_their_own_hash_only() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("correct horse battery", Some(&hash)));
        assert!(!verify_password("correct horse batterY", Some(&hash)));
        assert!(!verify_password("correct horse battery", None));
        assert!(!verify_password("anything", Some("not a hash")));
        assert_ne!(
            hash,
            hash_password("correct horse battery").unwrap(),
            "salted"
        );
    }

    #[test]
    fn tokens_are_long_random_and_url_safe() {
        let (a, b) = (random_token().unwrap(), random_token().unwrap());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert_eq!(one_time_password().unwrap().len(), 24);
        assert_ne!(csrf_token(&a, Realm::Staff), csrf_token(&b, Realm::Staff));
        assert_eq!(csrf_token(&a, Realm::Staff), csrf_token(&a, Realm::Staff));
        assert_ne!(
            csrf_token(&a, Realm::Staff),
            csrf_token(&a, Realm::Customer)
        );
    }
}
