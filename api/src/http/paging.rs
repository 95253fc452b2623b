//! The admin tables' query strings: pages (`page` from 1 to 10,000, `limit` from 1 to 100, 50 by
//! default) and search text.

use crate::error::ApiError;

const MAX_PAGE: u32 = 10_000;
const MAX_LIMIT: u32 = 100;
const DEFAULT_LIMIT: u32 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u32,
    pub limit: u32,
}

pub fn paging(page: Option<u32>, limit: Option<u32>) -> Result<Paging, ApiError> {
    let page = page.unwrap_or(1);
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) || !(1..=MAX_PAGE).contains(&page) {
        return Err(ApiError::BadRequest(format!(
            "limit must be 1 to {MAX_LIMIT} and page 1 to {MAX_PAGE}"
        )));
    }
    Ok(Paging { page, limit })
}

/// A table's search text as the query gives it: 1 to `max` characters as sent (what the document
/// states), then trimmed; blank searches for nothing.
pub fn search_text(
    raw: Option<String>,
    name: &str,
    max: usize,
) -> Result<Option<String>, ApiError> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    if raw.is_empty() || raw.chars().count() > max {
        return Err(ApiError::BadRequest(format!(
            "{name} must be 1 to {max} characters"
        )));
    }
    let text = raw.trim();
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_bounded_as_sent_and_trimmed() {
        assert_eq!(search_text(None, "q", 5).unwrap(), None);
        assert_eq!(
            search_text(Some(" ab ".into()), "q", 5).unwrap(),
            Some("ab".into())
        );
        assert_eq!(search_text(Some("   ".into()), "q", 5).unwrap(), None);
        assert!(search_text(Some(String::new()), "q", 5).is_err());
        assert!(search_text(Some("abcde ".into()), "q", 5).is_err());
        assert!(search_text(Some("ééééé".into()), "q", 5).is_ok());
    }

    #[test]
    fn pages_default_and_stay_in_range() {
        assert_eq!(paging(None, None).unwrap(), Paging { page: 1, limit: 50 });
        assert_eq!(
            paging(Some(10_000), Some(100)).unwrap(),
            Paging {
                page: 10_000,
                limit: 100
            }
        );
        for (page, limit) in [
            (Some(0), None),
            (Some(10_001), None),
            (None, Some(0)),
            (None, Some(101)),
        ] {
            assert!(matches!(paging(page, limit), Err(ApiError::BadRequest(_))));
        }
    }
}
