//! The stand-ins' side of HTTP/1.1 (a slow Stripe, a collector): read one request off a
//! connection, as little as they need of it.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpStream;

/// The request line and the body of the next request, or `None` once the client has gone.
pub fn read_request(reader: &mut BufReader<TcpStream>) -> Option<(String, Vec<u8>)> {
    let (mut first, mut length) = (String::new(), 0usize);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if first.is_empty() {
            first = line.clone();
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).ok()?;
    Some((first, body))
}
