//! HTTP plumbing the handlers share: header extractors, bodies read from JSON objects only,
//! conditional GET, versioned answers, the client's address, request ids, admin authentication, and the fallback
//! for unmatched routes.

pub mod access;
pub mod admin;
pub mod body;
pub mod cache;
pub mod client;
pub mod cookie;
pub mod customer;
pub mod extract;
pub mod fallback;
pub mod forgery;
pub mod observe;
pub mod paging;
pub mod request_id;
pub mod routes;
pub mod versioned;
