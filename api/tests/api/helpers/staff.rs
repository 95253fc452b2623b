//! The back office as the tests drive it: staff members made straight in the database (as the
//! `staff create` command makes them), logged in over HTTP, and their requests with the session
//! cookie, the CSRF token and the browser's `Origin`; API keys of each role.

use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};
use shop_api::domain::staff::Role;

use super::app::TestApp;

pub const STAFF_PASSWORD: &str = "correct horse battery staple";

/// The cookie's name when `ADMIN_COOKIE_SECURE` is on (the default).
pub const SESSION_COOKIE: &str = "__Host-shop_admin";

/// A logged-in staff member: their cookie (`name=value`) and CSRF token.
#[derive(Debug, Clone)]
pub struct Staff {
    pub cookie: String,
    pub csrf: String,
    pub body: Value,
}

/// The `name=value` of the session cookie a response sets, if it sets one.
pub fn session_cookie_of(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(SESSION_COOKIE) || v.starts_with("shop_admin="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

impl TestApp {
    /// Adds a staff member with [`STAFF_PASSWORD`] (or a one-time password when `None`, which it
    /// answers).
    pub fn add_staff(&self, email: &str, role: Role, password: Option<&str>) -> Option<String> {
        let mut conn = self.db();
        shop_api::services::staff::create(&mut conn, email, role, password)
            .unwrap()
            .one_time_password
    }

    pub async fn try_login(&self, email: &str, password: &str) -> Response {
        self.request(Method::POST, "/admin/session")
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
    }

    pub async fn login(&self, email: &str, password: &str) -> Staff {
        let response = self.try_login(email, password).await;
        assert_eq!(response.status(), 200, "login of {email}");
        let cookie = session_cookie_of(&response).expect("a session cookie");
        let body: Value = response.json().await.unwrap();
        Staff {
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
            body,
        }
    }

    /// A staff member of `role`, added and logged in.
    pub async fn staff_of(&self, role: Role) -> Staff {
        let email = format!("{role}-{}@shop.example", uuid::Uuid::new_v4().simple());
        self.add_staff(&email, role, Some(STAFF_PASSWORD));
        self.login(&email, STAFF_PASSWORD).await
    }

    /// A request as a browser on the shop's own pages sends it with the session.
    pub fn as_staff(&self, staff: &Staff, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path)
            .header("cookie", &staff.cookie)
            .header("x-csrf-token", &staff.csrf)
            .header("origin", &self.address)
    }

    /// An API key of `role`, made by the bootstrap owner.
    pub async fn api_key_of(&self, role: Role) -> String {
        let (status, created) = self
            .admin_json(
                Method::POST,
                "/admin/api-keys",
                &json!({"name": format!("{role} key"), "role": role}),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        created["key"].as_str().unwrap().to_owned()
    }
}
