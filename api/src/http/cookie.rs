//! Session cookies: HttpOnly, and `Secure` with the `__Host-` prefix (which pins a cookie to
//! this host and path `/`) unless the shop is served over plain http. The staff cookie is
//! SameSite=Strict and lasts the browser's session; the shopper's is SameSite=Lax, so that a link
//! from an email opens the shop signed in, and persists until the session's maximum age.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::{HttpRequest, HttpResponseBuilder};

use crate::services::auth::login::SessionRules;

/// How one kind of session cookie is named and sent.
#[derive(Debug)]
pub struct CookieKind {
    pub secure_name: &'static str,
    pub plain_name: &'static str,
    pub same_site: SameSite,
    /// Kept across browser restarts (`Max-Age`), rather than dropped when the browser closes.
    pub persistent: bool,
}

pub const STAFF: CookieKind = CookieKind {
    secure_name: "__Host-shop_admin",
    plain_name: "shop_admin",
    same_site: SameSite::Strict,
    persistent: false,
};

pub const CUSTOMER: CookieKind = CookieKind {
    secure_name: "__Host-shop_session",
    plain_name: "shop_session",
    same_site: SameSite::Lax,
    persistent: true,
};

#[derive(Debug, Clone, Copy)]
pub struct SessionCookie {
    pub kind: &'static CookieKind,
    pub secure: bool,
    pub rules: SessionRules,
}

/// The shopper's cookie; a type of its own, because actix keys `app_data` by type.
#[derive(Debug, Clone, Copy)]
pub struct CustomerCookie(pub SessionCookie);

impl SessionCookie {
    pub fn name(&self) -> &'static str {
        if self.secure {
            self.kind.secure_name
        } else {
            self.kind.plain_name
        }
    }

    /// The session token the request carries, if it looks like one.
    pub fn read(&self, req: &HttpRequest) -> Option<String> {
        let cookie = req.cookie(self.name())?;
        let token = cookie.value();
        let plausible = token.len() == 43
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        plausible.then(|| token.to_owned())
    }

    fn build(&self, value: String) -> Cookie<'static> {
        Cookie::build(self.name(), value)
            .path("/")
            .http_only(true)
            .secure(self.secure)
            .same_site(self.kind.same_site)
            .finish()
    }

    /// Sets the cookie; the server ends the session sooner or later anyway.
    pub fn set(&self, response: &mut HttpResponseBuilder, token: String) {
        let mut cookie = self.build(token);
        if self.kind.persistent {
            let max_age = i64::try_from(self.rules.max_age.as_secs()).unwrap_or(i64::MAX);
            cookie.set_max_age(Duration::seconds(max_age));
        }
        response.cookie(cookie);
    }

    pub fn clear(&self, response: &mut HttpResponseBuilder) {
        let mut cookie = self.build(String::new());
        cookie.set_max_age(Duration::ZERO);
        response.cookie(cookie);
    }
}
