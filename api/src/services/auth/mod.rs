//! What signing in rests on, for staff now and for every other kind of account after them: password
//! hashes, random tokens and CSRF tokens ([`secrets`]), and the rules of sessions and of failed
//! logins ([`login`]).

pub mod login;
pub mod secrets;
