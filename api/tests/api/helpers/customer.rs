//! Shoppers' accounts as the tests drive them: sign-up, the confirmation link read from the mail
//! sink, sign-in, and requests made with the session cookie, the CSRF token and the browser's
//! `Origin`.

use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};

use super::app::TestApp;
use super::mail::wait_for_mail;

pub const CUSTOMER_PASSWORD: &str = "violet kettle harbour lamp";

/// The cookie's name when `CUSTOMER_COOKIE_SECURE` is on (the default).
pub const CUSTOMER_COOKIE: &str = "__Host-shop_session";

/// A signed-in shopper: their address, cookie (`name=value`) and CSRF token.
#[derive(Debug, Clone)]
pub struct Shopper {
    pub email: String,
    pub cookie: String,
    pub csrf: String,
    pub body: Value,
}

/// The whole `Set-Cookie` of the shopper's session cookie a response sets, if it sets one.
pub fn customer_set_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(CUSTOMER_COOKIE) || v.starts_with("shop_session="))
        .map(str::to_owned)
}

fn name_value(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}

/// The token of the `/account/{page}` link in a mail.
pub fn link_token(mail: &Value, page: &str) -> String {
    let text = mail["text"].as_str().unwrap();
    let prefix = format!("https://shop.example/account/{page}#token=");
    let start = text.find(&prefix).unwrap_or_else(|| panic!("{text}")) + prefix.len();
    text[start..].split_whitespace().next().unwrap().to_owned()
}

impl TestApp {
    /// A POST as the shop's own pages send it, without a session.
    pub fn post_from_shop(&self, path: &str) -> RequestBuilder {
        self.request(Method::POST, path)
            .header("origin", &self.address)
    }

    pub async fn sign_up(&self, email: &str, password: &str) -> Response {
        self.post_from_shop("/auth/register")
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
    }

    pub async fn confirm(&self, token: &str, password: &str) -> Response {
        self.post_from_shop("/auth/verify")
            .json(&json!({"token": token, "password": password}))
            .send()
            .await
            .unwrap()
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Response {
        self.post_from_shop("/auth/login")
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// The shopper a successful sign-in or confirmation answered.
    pub async fn shopper_of(&self, email: &str, response: Response) -> Shopper {
        assert_eq!(response.status(), 200, "sign-in of {email}");
        let cookie = name_value(&customer_set_cookie(&response).expect("a session cookie"));
        let body: Value = response.json().await.unwrap();
        Shopper {
            email: email.to_owned(),
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
            body,
        }
    }

    /// Signs `email` up and confirms it with the mailed link, `mails_before` being what the
    /// address had received already: the shopper, signed in.
    pub async fn confirmed_shopper(&self, email: &str, mails_before: usize) -> Shopper {
        assert_eq!(self.sign_up(email, CUSTOMER_PASSWORD).await.status(), 202);
        let mail = wait_for_mail(email, mails_before + 1).await;
        let token = link_token(&mail[mails_before], "verify");
        let response = self.confirm(&token, CUSTOMER_PASSWORD).await;
        self.shopper_of(email, response).await
    }

    /// A request as a browser on the shop's own pages sends it with the session.
    pub fn as_shopper(&self, shopper: &Shopper, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path)
            .header("cookie", &shopper.cookie)
            .header("x-csrf-token", &shopper.csrf)
            .header("origin", &self.address)
    }
}
