//! Request signatures: Standard Webhooks (`webhook-signature: v1,<base64>` over
//! `"{id}.{timestamp}.{body}"`) and GitHub's `X-Hub-Signature-256: sha256=<hex>` over the raw
//! body. Both are HMAC-SHA256; receivers verify with their existing libraries.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        return Vec::new();
    };
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

/// The `webhook-signature` header value: `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`.
pub fn standard_webhooks(key: &[u8], id: &str, timestamp: u64, body: &[u8]) -> String {
    let ts = timestamp.to_string();
    let sig = mac(key, &[id.as_bytes(), b".", ts.as_bytes(), b".", body]);
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(sig)
    )
}

/// The `X-Hub-Signature-256` header value: `sha256=<hex HMAC-SHA256(key, body)>`.
pub fn github(key: &[u8], body: &[u8]) -> String {
    let sig = mac(key, &[body]);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256=");
    for b in sig {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Constant-time check of a `webhook-signature` header (a space-separated list, any `v1`
/// entry may match) — what a receiver does; used by Warden's tests and documented for users.
pub fn verify_standard_webhooks(
    key: &[u8],
    id: &str,
    timestamp: u64,
    body: &[u8],
    header: &str,
) -> bool {
    let ts = timestamp.to_string();
    header
        .split(' ')
        .filter_map(|s| s.strip_prefix("v1,"))
        .any(|b64| {
            let Ok(given) = base64::engine::general_purpose::STANDARD.decode(b64) else {
                return false;
            };
            let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
                return false;
            };
            for part in [id.as_bytes(), b".", ts.as_bytes(), b".", body] {
                mac.update(part);
            }
            mac.verify_slice(&given).is_ok()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;

    #[test]
    fn standard_webhooks_matches_the_specs_test_vector() {
        // The vector published with the Standard Webhooks reference libraries.
        let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        let sig = standard_webhooks(
            secret.bytes(),
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            body,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assert!(verify_standard_webhooks(
            secret.bytes(),
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            body,
            &format!("v1,bm9wZQ== {sig}")
        ));
        assert!(!verify_standard_webhooks(
            secret.bytes(),
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_331,
            body,
            &sig
        ));
    }

    #[test]
    fn github_matches_githubs_documented_example() {
        let secret = Secret::parse("It's a Secret to Everybody").unwrap();
        assert_eq!(
            github(secret.bytes(), b"Hello, World!"),
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        );
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
        let mut endpoint = crate::Endpoint::new("e", "https://x.example", vec![]);
        endpoint.secret = Some(secret);
        endpoint.headers = vec![
            crate::ExtraHeader {
                name: "Authorization".into(),
                value: "Bearer tok-1".into(),
                secret: false,
            },
            crate::ExtraHeader {
                name: "X-Key".into(),
                value: "key-2".into(),
                secret: true,
            },
        ];
        let debug = format!("{endpoint:?}");
        assert!(
            !debug.contains("tok-1") && !debug.contains("key-2") && !debug.contains("MfKQ"),
            "{debug}"
        );
        assert_eq!(
            Secret::parse("whsec_!!"),
            Err(crate::SecretError::NotBase64)
        );
        assert_eq!(Secret::parse(""), Err(crate::SecretError::Empty));
    }
}
