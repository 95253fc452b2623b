//! A shopper's email address, checked for shape only: whether it receives mail is not ours to know.

pub const MAX_EMAIL_LEN: usize = 254;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("must be an address such as ada@example.com, at most {MAX_EMAIL_LEN} characters")]
pub struct InvalidEmail;

pub fn parse(raw: &str) -> Result<String, InvalidEmail> {
    let email = raw.trim();
    let (local, domain) = email.rsplit_once('@').ok_or(InvalidEmail)?;
    let well_formed = email.len() <= MAX_EMAIL_LEN
        && !local.is_empty()
        && local.len() <= 64
        && !local.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
        && local.chars().all(|c| {
            !c.is_whitespace() && !c.is_control() && !matches!(c, '<' | '>' | '"' | ',' | ';')
        });
    if well_formed {
        Ok(email.to_owned())
    } else {
        Err(InvalidEmail)
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn shapes() {
        assert_eq!(parse(" ada@example.com ").as_deref(), Ok("ada@example.com"));
        assert!(parse("a.b+tag@sub.example.co.uk").is_ok());
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "ada@example",
            "a b@example.com",
            "ada@exa mple.com",
            "a@b@c.com",
            "<a>@b.com",
            "ada@.com",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse(&format!("{}@example.com", "a".repeat(65))).is_err());
    }
}
