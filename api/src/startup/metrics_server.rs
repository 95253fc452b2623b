//! The metrics listener: `GET /metrics` alone, on `METRICS_PORT`, apart from the API's port so
//! that nginx, which proxies only the API's, can never expose it.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};

use crate::db::Pool;
use crate::http::fallback;
use crate::routes;

pub fn serve(listener: TcpListener, pool: Pool) -> std::io::Result<Server> {
    let pool = web::Data::new(pool);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(pool.clone())
            .configure(routes::metrics::configure)
            .default_service(web::to(fallback::not_found))
    })
    // One worker: a scrape every few seconds needs no more, and each is a thread.
    .workers(1)
    // A signal would stop it at once, and with it the runtime, cutting the API's requests in
    // flight short: the API's server takes the signal and stops this one after it drains.
    .disable_signals()
    .shutdown_timeout(5)
    .listen(listener)?;
    Ok(server.run())
}
