//! One HTTP attempt: the request with its signature headers, sent to checked addresses only,
//! and what came back — recorded for the delivery log with secret-bearing headers and query
//! parameters redacted (signatures stay: they are not secrets and receivers' logs show them).

use crate::address::{self, CheckedResolver, Refused};
use crate::endpoint::{Endpoint, SignatureStyle};
use crate::sign;
use std::time::{Duration, Instant};

/// How much of a response body the delivery log keeps.
pub const LOGGED_BODY: usize = 64 * 1024;
/// How much of a response body is read at all (a sync review answer may be longer than what
/// the log keeps).
const READ_BODY: usize = 1024 * 1024;
/// What replaces a redacted value.
pub const REDACTED: &str = "[redacted]";
/// Headers redacted whatever the endpoint says.
const ALWAYS_SECRET: &[&str] = &["authorization", "proxy-authorization", "cookie"];

/// What one attempt saw.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    pub started_at: u64,
    pub duration: Duration,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub status: Option<u16>,
    pub response_headers: Vec<(String, String)>,
    /// Up to [`READ_BODY`] bytes; the log keeps the first [`LOGGED_BODY`].
    pub response_body: Vec<u8>,
    pub error: Option<String>,
}

impl Exchange {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What to send.
pub(crate) struct Outgoing<'a> {
    pub event_id: &'a str,
    pub event_type: &'a str,
    pub body: &'a [u8],
    /// Unix seconds, fresh for every attempt.
    pub timestamp: u64,
}

/// The two HTTP clients: one that refuses private addresses and one that does not. Redirects
/// are not followed (a redirect could lead to an address that was never checked) and proxies
/// are not used (a proxy would resolve the name itself, after the check).
#[derive(Debug, Clone)]
pub(crate) struct Sender {
    strict: reqwest::Client,
    open: reqwest::Client,
}

impl Sender {
    pub fn new() -> Result<Self, reqwest::Error> {
        let build = |allow_private| {
            reqwest::Client::builder()
                .dns_resolver(CheckedResolver { allow_private })
                .redirect(reqwest::redirect::Policy::none())
                .no_proxy()
                .build()
        };
        Ok(Self {
            strict: build(false)?,
            open: build(true)?,
        })
    }

    /// The request headers, unredacted (what goes on the wire).
    fn headers(endpoint: &Endpoint, out: &Outgoing<'_>) -> Vec<(String, String)> {
        let mut h: Vec<(String, String)> = vec![
            ("content-type".into(), "application/json".into()),
            (
                "user-agent".into(),
                format!("Warden/{}", env!("CARGO_PKG_VERSION")),
            ),
            ("x-warden-event".into(), out.event_type.into()),
            ("webhook-id".into(), out.event_id.into()),
            ("webhook-timestamp".into(), out.timestamp.to_string()),
        ];
        match (&endpoint.secret, endpoint.signature) {
            (Some(secret), SignatureStyle::StandardWebhooks) => {
                h.push((
                    "webhook-signature".into(),
                    sign::standard_webhooks(secret.bytes(), out.event_id, out.timestamp, out.body),
                ));
            }
            (Some(secret), SignatureStyle::Github) => {
                h.push((
                    "x-hub-signature-256".into(),
                    sign::github(secret.bytes(), out.body),
                ));
            }
            _ => {}
        }
        if endpoint.signature == SignatureStyle::Github {
            h.push(("x-warden-delivery".into(), out.event_id.into()));
        }
        for extra in &endpoint.headers {
            h.push((extra.name.clone(), extra.value.clone()));
        }
        h
    }

    /// Sends one attempt; never fails — errors are part of the exchange.
    pub async fn send(&self, endpoint: &Endpoint, out: &Outgoing<'_>, started_at: u64) -> Exchange {
        let headers = Self::headers(endpoint, out);
        let mut exchange = Exchange {
            started_at,
            duration: Duration::ZERO,
            url: redact_url(&endpoint.url, &endpoint.secret_query_params),
            request_headers: redact_headers(&headers, endpoint),
            status: None,
            response_headers: Vec::new(),
            response_body: Vec::new(),
            error: None,
        };
        let clock = Instant::now();
        let result = tokio::time::timeout(
            endpoint.timeout,
            self.exchange(endpoint, &headers, out.body, &mut exchange),
        )
        .await;
        exchange.duration = clock.elapsed();
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => exchange.error = Some(e),
            Err(_) => {
                exchange.error = Some(format!(
                    "timed out after {} ms",
                    endpoint.timeout.as_millis()
                ))
            }
        }
        exchange
    }

    async fn exchange(
        &self,
        endpoint: &Endpoint,
        headers: &[(String, String)],
        body: &[u8],
        exchange: &mut Exchange,
    ) -> Result<(), String> {
        let url = reqwest::Url::parse(&endpoint.url).map_err(|e| format!("invalid URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("unsupported scheme {}", url.scheme()));
        }
        // A literal address never reaches the resolver: check it here.
        let literal = match url.host() {
            Some(url::Host::Ipv4(a)) => Some(std::net::IpAddr::V4(a)),
            Some(url::Host::Ipv6(a)) => Some(std::net::IpAddr::V6(a)),
            _ => None,
        };
        if let Some(ip) = literal {
            address::check(
                &ip.to_string(),
                &[std::net::SocketAddr::new(ip, 0)],
                endpoint.allow_private,
            )
            .map_err(|e| e.to_string())?;
        }
        let client = if endpoint.allow_private {
            &self.open
        } else {
            &self.strict
        };
        let mut request = client.post(url).body(body.to_vec());
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let mut response = request.send().await.map_err(describe)?;
        exchange.status = Some(response.status().as_u16());
        exchange.response_headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        while let Some(chunk) = response.chunk().await.map_err(describe)? {
            let room = READ_BODY.saturating_sub(exchange.response_body.len());
            exchange
                .response_body
                .extend_from_slice(&chunk[..chunk.len().min(room)]);
            if room <= chunk.len() {
                break;
            }
        }
        Ok(())
    }
}

/// reqwest's error with its causes (the refused address is one of them).
fn describe(e: reqwest::Error) -> String {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(&e);
    while let Some(s) = source {
        if let Some(refused) = s.downcast_ref::<Refused>() {
            return refused.to_string();
        }
        source = s.source();
    }
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The headers as the log shows them.
fn redact_headers(headers: &[(String, String)], endpoint: &Endpoint) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let secret = ALWAYS_SECRET.iter().any(|s| name.eq_ignore_ascii_case(s))
                || endpoint
                    .headers
                    .iter()
                    .any(|h| h.secret && h.name.eq_ignore_ascii_case(name));
            (
                name.clone(),
                if secret {
                    REDACTED.to_string()
                } else {
                    value.clone()
                },
            )
        })
        .collect()
}

/// The URL as the log shows it: the password and the marked query parameters redacted.
pub(crate) fn redact_url(raw: &str, secret_params: &[String]) -> String {
    let Ok(mut url) = reqwest::Url::parse(raw) else {
        return raw.to_string();
    };
    if url.password().is_some() {
        let _ = url.set_password(Some(REDACTED));
    }
    if url.query().is_some() && !secret_params.is_empty() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if secret_params.iter().any(|s| *s == k) {
                    REDACTED.to_string()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_secrets_in_the_log() {
        let url = redact_url(
            "https://u:pw@hooks.example/x?token=abc&team=t",
            &["token".into()],
        );
        assert!(!url.contains("abc") && !url.contains("pw"), "{url}");
        assert!(url.contains("team=t"), "{url}");
    }
}
