//! Signed links: one shows a shopper their orders on any device (it names an email address);
//! others verify an account's address or reset its password (they name a single-use token row).
//! Each names its subject and an expiry, signed with HMAC-SHA256 under a server secret and a label
//! per purpose, so a link made for one purpose never works for another. A link that is forged,
//! altered or expired is refused exactly like one that never existed.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// How long a lookup link works.
pub const LOOKUP_VALID_SECS: i64 = 30 * 60;

/// The most a token can be: a 254-byte address in hex, the expiry, the signature.
pub const MAX_TOKEN_LEN: usize = 2 * 254 + 1 + 20 + 1 + 64;

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    OrderLookup,
    VerifyEmail,
    ResetPassword,
    /// Not a link: the secret of an account's cart, which the server derives rather than stores.
    AccountCart,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::OrderLookup => b"order-lookup\n",
            Purpose::VerifyEmail => b"verify-email\n",
            Purpose::ResetPassword => b"reset-password\n",
            Purpose::AccountCart => b"account-cart\n",
        }
    }
}

fn signature(secret: &[u8], purpose: Purpose, subject: &str, expires_at: i64) -> Option<[u8; 32]> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).ok()?;
    mac.update(purpose.label());
    mac.update(subject.as_bytes());
    mac.update(b"\n");
    mac.update(expires_at.to_string().as_bytes());
    Some(mac.finalize().into_bytes().into())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A token for `email` (compared without regard to case) that works until `expires_at` (Unix
/// seconds).
pub fn sign(secret: &[u8], email: &str, expires_at: i64) -> String {
    sign_for(
        secret,
        Purpose::OrderLookup,
        &email.to_lowercase(),
        expires_at,
    )
}

/// A secret for `subject` only the holder of `secret` can compute: 64 hex characters.
pub fn derive(secret: &[u8], purpose: Purpose, subject: &str) -> String {
    hex(&signature(secret, purpose, subject, 0).unwrap_or([0; 32]))
}

/// A token for `purpose` naming `subject`, which works until `expires_at` (Unix seconds).
pub fn sign_for(secret: &[u8], purpose: Purpose, subject: &str, expires_at: i64) -> String {
    let mac = signature(secret, purpose, subject, expires_at).unwrap_or([0; 32]);
    format!("{}.{expires_at}.{}", hex(subject.as_bytes()), hex(&mac))
}

/// The email address a token was signed for, if its signature holds and it has not expired at
/// `now` (Unix seconds).
pub fn verify(secret: &[u8], token: &str, now: i64) -> Option<String> {
    verify_for(secret, Purpose::OrderLookup, token, now)
}

/// The subject a token for `purpose` names, if its signature holds and it has not expired at
/// `now` (Unix seconds).
pub fn verify_for(secret: &[u8], purpose: Purpose, token: &str, now: i64) -> Option<String> {
    if token.len() > MAX_TOKEN_LEN {
        return None;
    }
    let mut parts = token.split('.');
    let (subject, expires_at, mac) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let subject = String::from_utf8(unhex(subject)?).ok()?;
    let expires_at: i64 = expires_at.parse().ok()?;
    let expected = signature(secret, purpose, &subject, expires_at)?;
    let genuine: bool = unhex(mac)?.as_slice().ct_eq(&expected).into();
    (genuine && now < expires_at).then_some(subject)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a server secret of at least thirty-two bytes";

    #[test]
    fn a_token_names_its_email_until_it_expires() {
        let token = sign(SECRET, "Ada@Example.com", 1_000);
        assert_eq!(
            verify(SECRET, &token, 999).as_deref(),
            Some("ada@example.com")
        );
        assert_eq!(verify(SECRET, &token, 1_000), None);
    }

    #[test]
    fn a_token_works_for_its_own_purpose_only() {
        let subject = "0b5c3a9e-3f1d-4a53-9b43-0a4f6f1e2d7c";
        let token = sign_for(SECRET, Purpose::VerifyEmail, subject, 1_000);
        assert_eq!(
            verify_for(SECRET, Purpose::VerifyEmail, &token, 999).as_deref(),
            Some(subject)
        );
        assert_eq!(
            verify_for(SECRET, Purpose::ResetPassword, &token, 999),
            None
        );
        assert_eq!(verify(SECRET, &token, 999), None);
        let lookup = sign(SECRET, subject, 1_000);
        assert_eq!(verify_for(SECRET, Purpose::VerifyEmail, &lookup, 999), None);
    }

    #[test]
    fn forged_and_altered_tokens_are_refused() {
        let token = sign(SECRET, "ada@example.com", 1_000);
        assert_eq!(
            verify(b"another secret of thirty-two bytes or more", &token, 0),
            None
        );
        let later = token.replace(".1000.", ".9999.");
        assert_eq!(verify(SECRET, &later, 0), None);
        let other = sign(SECRET, "eve@example.com", 1_000);
        let (eve, _) = other.split_once('.').unwrap();
        let (_, rest) = token.split_once('.').unwrap();
        assert_eq!(verify(SECRET, &format!("{eve}.{rest}"), 0), None);
        for junk in [
            "",
            "..",
            "zz.1.00",
            &format!("{token}.x"),
            &"a".repeat(MAX_TOKEN_LEN + 1),
        ] {
            assert_eq!(verify(SECRET, junk, 0), None, "{junk}");
        }
    }
}
