//! Verification of the `Stripe-Signature` header: `t=<unix time>,v1=<hex HMAC-SHA256>[,v1=...]`,
//! where the HMAC keyed with the endpoint secret covers `"<t>.<raw body>"`. Nothing of the body is
//! parsed before this passes.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Events older (or further in the future) than this are refused as replays.
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("missing Stripe-Signature header")]
    Missing,
    #[error("malformed Stripe-Signature header")]
    Malformed,
    #[error("signature timestamp outside the tolerance window")]
    Stale,
    #[error("no matching v1 signature")]
    Mismatch,
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || text.len() > 128 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Checks `header` against `body` with `secret`, at time `now` (unix seconds).
pub fn verify(
    header: Option<&str>,
    body: &[u8],
    secret: &[u8],
    now: i64,
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut timestamp = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        let (key, value) = part
            .trim()
            .split_once('=')
            .ok_or(SignatureError::Malformed)?;
        match key {
            "t" => {
                timestamp = Some(
                    value
                        .parse::<i64>()
                        .map_err(|_| SignatureError::Malformed)?,
                )
            }
            "v1" => candidates.push(decode_hex(value).ok_or(SignatureError::Malformed)?),
            _ => {} // other schemes (v0) are ignored
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if candidates.is_empty() {
        return Err(SignatureError::Malformed);
    }
    // Checked: a hostile `t` such as i64::MIN must not overflow.
    let fresh = now
        .checked_sub(timestamp)
        .and_then(i64::checked_abs)
        .is_some_and(|age| age <= TOLERANCE_SECS);
    if !fresh {
        return Err(SignatureError::Stale);
    }
    let expected = sign(secret, timestamp, body);
    let matched = candidates.iter().fold(false, |found, candidate| {
        found | bool::from(candidate.as_slice().ct_eq(&expected))
    });
    if matched {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// HMAC-SHA256 of `"<timestamp>.<body>"`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> Vec<u8> {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return Vec::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    const SECRET: &[u8] = b"whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"payment_intent.succeeded"}"#;
    const NOW: i64 = 1_800_000_000;

    fn header(t: i64, signatures: &[&[u8]]) -> String {
        let mut header = format!("t={t}");
        for signature in signatures {
            header.push_str(&format!(",v1={}", hex(signature)));
        }
        header
    }

    #[test]
    fn accepts_a_correct_signature_among_several() {
        let good = sign(SECRET, NOW, BODY);
        let other = sign(b"another secret", NOW, BODY);
        assert_eq!(
            verify(Some(&header(NOW, &[&good])), BODY, SECRET, NOW),
            Ok(())
        );
        assert_eq!(
            verify(Some(&header(NOW, &[&other, &good])), BODY, SECRET, NOW + 10),
            Ok(())
        );
        let with_v0 = format!("{},v0=deadbeef", header(NOW, &[&good]));
        assert_eq!(verify(Some(&with_v0), BODY, SECRET, NOW), Ok(()));
    }

    #[test]
    fn extreme_timestamps_are_stale_not_a_panic() {
        let good = sign(SECRET, i64::MIN, BODY);
        for t in [i64::MIN, i64::MAX, i64::MIN + 1] {
            assert_eq!(
                verify(Some(&header(t, &[&good])), BODY, SECRET, NOW),
                Err(SignatureError::Stale),
                "{t}"
            );
        }
        assert_eq!(
            verify(Some(&header(NOW, &[&good])), BODY, SECRET, i64::MIN),
            Err(SignatureError::Stale)
        );
    }

    #[test]
    fn refuses_forged_stale_missing_and_malformed() {
        let good = sign(SECRET, NOW, BODY);
        let forged = sign(b"guess", NOW, BODY);
        assert_eq!(
            verify(None, BODY, SECRET, NOW),
            Err(SignatureError::Missing)
        );
        assert_eq!(
            verify(Some(&header(NOW, &[&forged])), BODY, SECRET, NOW),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(
                Some(&header(NOW, &[&good])),
                b"{\"id\":\"evt_2\"}",
                SECRET,
                NOW
            ),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(
                Some(&header(NOW, &[&good])),
                BODY,
                SECRET,
                NOW + TOLERANCE_SECS + 1
            ),
            Err(SignatureError::Stale)
        );
        // The timestamp is covered by the signature: moving it breaks the match.
        let moved = header(NOW + 1, &[&good]);
        assert_eq!(
            verify(Some(&moved), BODY, SECRET, NOW),
            Err(SignatureError::Mismatch)
        );
        for malformed in [
            "",
            "t=abc,v1=00",
            "v1=00",
            &format!("t={NOW}"),
            &format!("t={NOW},v1=zz"),
        ] {
            assert_eq!(
                verify(Some(malformed), BODY, SECRET, NOW),
                Err(SignatureError::Malformed),
                "{malformed}"
            );
        }
    }
}
