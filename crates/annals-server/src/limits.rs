//! Request size and rate limits, and the security headers every response carries.

use crate::error::ApiError;
use crate::Config;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The limits and each client's token bucket.
#[derive(Clone)]
pub(crate) struct Limits {
    max_body: u64,
    max_uri: usize,
    rate: f64,
    burst: f64,
    buckets: Arc<Mutex<HashMap<IpAddr, (f64, Instant)>>>,
}

impl Limits {
    pub(crate) fn new(c: &Config) -> Self {
        Self {
            max_body: c.max_body_bytes,
            max_uri: c.max_uri_bytes,
            rate: c.rate_per_second.max(0.001),
            burst: c.burst.max(1.0),
            buckets: Arc::default(),
        }
    }

    /// Take a token from `ip`'s bucket; `Err(seconds to wait)` when it is empty.
    fn take(&self, ip: IpAddr) -> Result<(), f64> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > 10_000 {
            // forget clients whose buckets are full again
            let (rate, burst) = (self.rate, self.burst);
            buckets.retain(|_, (t, at)| *t + now.duration_since(*at).as_secs_f64() * rate < burst);
        }
        let (tokens, at) = buckets.entry(ip).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.rate).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err((1.0 - *tokens) / self.rate)
        }
    }
}

/// Refuse requests over the size limits or the client's rate.
pub(crate) async fn enforce(State(limits): State<Limits>, req: Request, next: Next) -> Response {
    let uri_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri_len > limits.max_uri {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!(
                "the path and query are {uri_len} bytes; the limit is {}",
                limits.max_uri
            ),
        )
        .into_response();
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let chunked = req.headers().contains_key(header::TRANSFER_ENCODING);
    if declared.is_some_and(|n| n > limits.max_body) || (chunked && limits.max_body == 0) {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "the request body is over the limit of {} bytes",
                limits.max_body
            ),
        )
        .into_response();
    }
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |c| c.0.ip());
    if let Err(wait) = limits.take(ip) {
        let mut r = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many requests; slow down",
        )
        .into_response();
        let secs = wait.ceil().max(1.0) as u64;
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return r;
    }
    // a chunked body is cut at the limit while it is read
    let (parts, body) = req.into_parts();
    let body = axum::body::Body::new(http_body_limit(body, limits.max_body));
    next.run(Request::from_parts(parts, body)).await
}

fn http_body_limit(body: axum::body::Body, max: u64) -> http_body_util::Limited<axum::body::Body> {
    http_body_util::Limited::new(body, max as usize)
}

/// Headers that keep the UI's pages from running anything but their own script.
pub(crate) async fn security_headers(req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_empties_and_refills() {
        let limits = Limits::new(&Config {
            rate_per_second: 1000.0,
            burst: 3.0,
            ..Config::default()
        });
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        for _ in 0..3 {
            assert!(limits.take(ip).is_ok());
        }
        assert!(limits.take(ip).is_err());
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(limits.take(ip).is_ok(), "refilled at 1000 a second");
        let other = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
        assert!(limits.take(other).is_ok(), "each client has its own bucket");
    }
}
