//! The client's address, as the peer or a trusted proxy in front of it names it.

/// The peers (nginx) whose `X-Real-IP` header names the client, from `API_TRUSTED_PROXIES`.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Vec<ipnet::IpNet>);

/// The client's address: the peer's, or the one a trusted proxy names in `X-Real-IP`.
pub fn client_ip(req: &actix_web::HttpRequest, trusted: &TrustedProxies) -> std::net::IpAddr {
    let peer = req
        .peer_addr()
        .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |addr| addr.ip());
    if !trusted.0.iter().any(|net| net.contains(&peer)) {
        return peer;
    }
    req.headers()
        .get("x-real-ip")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(peer)
}

/// The client's address as an extractor, read with the trusted proxies the app was given.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub std::net::IpAddr);

impl actix_web::FromRequest for ClientIp {
    type Error = std::convert::Infallible;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let trusted = req
            .app_data::<actix_web::web::Data<TrustedProxies>>()
            .map(|t| t.get_ref().clone())
            .unwrap_or_default();
        std::future::ready(Ok(ClientIp(client_ip(req, &trusted))))
    }
}
