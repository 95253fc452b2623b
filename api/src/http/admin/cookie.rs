//! The staff session cookie: HttpOnly, SameSite=Strict, and `Secure` with the `__Host-` prefix
//! (which pins it to this host and path `/`) unless the shop is served over plain http.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::{HttpRequest, HttpResponseBuilder};

use crate::services::staff::sessions::SessionRules;

#[derive(Debug, Clone, Copy)]
pub struct SessionCookie {
    pub secure: bool,
    pub rules: SessionRules,
}

impl SessionCookie {
    pub fn name(&self) -> &'static str {
        if self.secure {
            "__Host-shop_admin"
        } else {
            "shop_admin"
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
            .same_site(SameSite::Strict)
            .finish()
    }

    /// Sets the cookie for the browser's session; the server ends it sooner or later anyway.
    pub fn set(&self, response: &mut HttpResponseBuilder, token: String) {
        response.cookie(self.build(token));
    }

    pub fn clear(&self, response: &mut HttpResponseBuilder) {
        let mut cookie = self.build(String::new());
        cookie.set_max_age(Duration::ZERO);
        response.cookie(cookie);
    }
}
