//! SQL written out in full that PostgreSQL still plans only once per connection.
//!
//! Diesel keeps its own queries prepared, but never the text of a `sql_query`: it cannot know that
//! the text is one of a few rather than built anew for each request. The search's statements are
//! a handful of constant texts, run on every keystroke of a shopper's search, and planning one
//! costs about as much as running it (0.2 to 0.3 ms). A [`Prepared`] statement is one of them,
//! kept prepared by Diesel under its text. Its text must come from the code, never from input:
//! every text becomes a statement on each connection.

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::Error;
use diesel::sql_types::{BigInt, Nullable, Text, Untyped};
use diesel::{QueryResult, RunQueryDsl};

/// A value for one of the statement's `$n` placeholders.
pub enum Param<'a> {
    Text(&'a str),
    OptionalText(Option<&'a str>),
    BigInt(i64),
}

/// A statement with `$1`, `$2`, … placeholders and their values, in that order.
pub struct Prepared<'a> {
    sql: String,
    params: Vec<Param<'a>>,
}

impl<'a> Prepared<'a> {
    pub fn new(sql: String, params: Vec<Param<'a>>) -> Self {
        Prepared { sql, params }
    }
}

impl QueryFragment<Pg> for Prepared<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        // Diesel numbers the placeholders it writes itself, in order: a value the text names
        // twice is sent twice.
        let mut rest = self.sql.as_str();
        while let Some(at) = rest.find('$') {
            let digits = rest[at + 1..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            let (before, after) = rest.split_at(at + 1 + digits);
            if digits == 0 {
                out.push_sql(before);
                rest = after;
                continue;
            }
            out.push_sql(&before[..at]);
            let param = before[at + 1..]
                .parse::<usize>()
                .ok()
                .and_then(|n| self.params.get(n.checked_sub(1)?))
                .ok_or_else(|| {
                    Error::QueryBuilderError(format!("no value for {}", &before[at..]).into())
                })?;
            match param {
                Param::Text(text) => out.push_bind_param::<Text, str>(text)?,
                Param::OptionalText(text) => {
                    out.push_bind_param::<Nullable<Text>, Option<&str>>(text)?
                }
                Param::BigInt(number) => out.push_bind_param::<BigInt, i64>(number)?,
            }
            rest = after;
        }
        out.push_sql(rest);
        Ok(())
    }
}

impl QueryId for Prepared<'_> {
    type QueryId = ();
    // Not one statement per Rust type, but one per text: Diesel's cache then keys it by its SQL.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Prepared<'_> {
    type SqlType = Untyped;
}

impl<Conn> RunQueryDsl<Conn> for Prepared<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_placeholder_gets_its_value_in_the_order_written() {
        let statement = Prepared::new(
            "SELECT $2 = $1 AND $2 IS NULL AND '$' <> $3".to_owned(),
            vec![
                Param::Text("a"),
                Param::OptionalText(None),
                Param::BigInt(7),
            ],
        );
        assert_eq!(
            diesel::debug_query::<Pg, _>(&statement).to_string(),
            "SELECT $1 = $2 AND $3 IS NULL AND '$' <> $4 -- binds: [None, \"a\", None, 7]"
        );
    }
}
