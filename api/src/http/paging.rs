//! The admin tables' pages, as their query strings give them: `page` from 1 to 10,000 and
//! `limit` from 1 to 100, 50 by default.

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

#[cfg(test)]
mod tests {
    use super::*;

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
