//! Staff login sessions: log in, see who is logged in (and the CSRF token), log out, change the
//! password.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};

use crate::error::{ApiError, Problem};
use crate::http::admin::SessionCookie;
use crate::http::body::Object;
use crate::http::client::ClientIp;
use crate::http::extract::Admin;
use crate::http::forgery;
use crate::http::routes::Routes;
use crate::services::Pool;
use crate::services::staff::inputs::{LoginInput, PasswordChangeInput};
use crate::services::staff::sessions::{self, SessionView};

pub fn configure(cfg: &mut impl Routes) {
    cfg.service(log_in)
        .service(get_staff_session)
        .service(log_out)
        .service(change_password);
}

/// Log in
///
/// Sets the session cookie (HttpOnly, SameSite=Strict, `__Host-` prefixed over https) and
/// answers the session, whose `csrf_token` every write made with the cookie must send as
/// `X-CSRF-Token`. An unknown email, a wrong password and a locked or deactivated account are
/// refused alike; failed logins lock the account a while and throttle the client.
#[utoipa::path(
    tag = "admin",
    request_body = LoginInput,
    responses(
        (status = 200, description = "Logged in; the cookie is set", body = SessionView),
        (status = 401, description = "Wrong email or password (`invalid-credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Sent from another site (`cross-origin`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed logins from this address (`too-many-login-attempts`); see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/session")]
async fn log_in(
    req: HttpRequest,
    pool: web::Data<Pool>,
    cookie: web::Data<SessionCookie>,
    client: ClientIp,
    input: web::Json<Object<LoginInput>>,
) -> Result<HttpResponse, ApiError> {
    forgery::check_login_origin(&req)?;
    let input = input.into_inner().0.checked()?;
    let logged_in = sessions::login(
        &pool,
        cookie.rules,
        input.email,
        input.password,
        client.0.to_string(),
    )
    .await?;
    let mut response = HttpResponse::Ok();
    cookie.set(&mut response, logged_in.token);
    Ok(response.json(logged_in.view))
}

/// Who is logged in
///
/// The session's staff member (or the API key) and the session's CSRF token.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "The session", body = SessionView),
        (status = 401, description = "Not logged in, or the session ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/session")]
async fn get_staff_session(
    admin: Admin,
    cookie: web::Data<SessionCookie>,
) -> web::Json<SessionView> {
    web::Json(sessions::view(&admin.0, &cookie.rules))
}

/// Log out
///
/// Ends the session on the server and clears the cookie.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "Not logged in, or the session ended", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No session to end (an API key), or the CSRF token or origin is wrong", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/session")]
async fn log_out(
    admin: Admin,
    pool: web::Data<Pool>,
    cookie: web::Data<SessionCookie>,
) -> Result<HttpResponse, ApiError> {
    sessions::logout(&pool, &admin.0).await?;
    let mut response = HttpResponse::NoContent();
    cookie.clear(&mut response);
    Ok(response.finish())
}

/// Change your password
///
/// Ends every session of yours, this one included, and starts a new one: the answer sets a new
/// cookie and has a new CSRF token.
#[utoipa::path(
    tag = "admin",
    security(("admin_token" = [])),
    request_body = PasswordChangeInput,
    responses(
        (status = 200, description = "Changed; a new session cookie is set", body = SessionView),
        (status = 401, description = "Not logged in, or the session ended", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No session (an API key), or the CSRF token or origin is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The current password is wrong, or the new one is too weak", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/session/password")]
async fn change_password(
    admin: Admin,
    pool: web::Data<Pool>,
    cookie: web::Data<SessionCookie>,
    client: ClientIp,
    input: web::Json<Object<PasswordChangeInput>>,
) -> Result<HttpResponse, ApiError> {
    let input = input.into_inner().0;
    let logged_in = sessions::change_password(
        &pool,
        cookie.rules,
        &admin.0,
        input.current_password,
        input.new_password,
        client.0.to_string(),
    )
    .await?;
    let mut response = HttpResponse::Ok();
    cookie.set(&mut response, logged_in.token);
    Ok(response.json(logged_in.view))
}
