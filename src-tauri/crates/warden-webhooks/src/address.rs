//! Which addresses Warden may send to. Loopback, private (RFC 1918, CGNAT), link-local (cloud
//! metadata lives there), unique-local IPv6 and unspecified addresses are refused unless the
//! endpoint allows them, so a shared project file cannot aim Warden at services on the
//! person's machine or network. Names are resolved once, every address is checked, and the
//! connection goes to those checked addresses only: a DNS answer that changes between the
//! check and the connection (rebinding) cannot slip a private address in.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Whether `ip` is loopback, private, link-local, unique-local or otherwise not a public host.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => is_private_v4(a),
        IpAddr::V6(a) => {
            if let Some(v4) = a.to_ipv4_mapped() {
                return is_private_v4(v4);
            }
            let first = a.segments()[0];
            a.is_loopback()
                || a.is_unspecified()
                || (first & 0xfe00) == 0xfc00 // fc00::/7 unique local
                || (first & 0xffc0) == 0xfe80 // fe80::/10 link-local
                || is_nat64_private(a)
        }
    }
}

fn is_private_v4(a: Ipv4Addr) -> bool {
    let [o0, o1, ..] = a.octets();
    a.is_loopback()
        || a.is_private()
        || a.is_link_local()
        || a.is_unspecified()
        || a.is_broadcast()
        || o0 == 0
        || (o0 == 100 && (o1 & 0xc0) == 64) // 100.64.0.0/10 shared (CGNAT)
}

/// 64:ff9b::/96 wraps an IPv4 address for NAT64; the wrapped one decides.
fn is_nat64_private(a: Ipv6Addr) -> bool {
    let s = a.segments();
    if s[..6] != [0x64, 0xff9b, 0, 0, 0, 0] {
        return false;
    }
    is_private_v4(Ipv4Addr::new(
        (s[6] >> 8) as u8,
        s[6] as u8,
        (s[7] >> 8) as u8,
        s[7] as u8,
    ))
}

/// A refused address: the error the resolver returns, found again in reqwest's error chain.
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves to {addr}, a loopback or private address; set allow_private on the endpoint to send there")]
pub struct Refused {
    /// The name or literal in the URL.
    pub host: String,
    /// The first refused address.
    pub addr: IpAddr,
}

/// Checks every address of a name; the caller connects to exactly these.
pub fn check(host: &str, addrs: &[SocketAddr], allow_private: bool) -> Result<(), Refused> {
    match addrs.iter().find(|a| !allow_private && is_private(a.ip())) {
        Some(a) => Err(Refused {
            host: host.to_string(),
            addr: a.ip(),
        }),
        None => Ok(()),
    }
}

/// reqwest's resolver for an endpoint: resolves with the system resolver, refuses private
/// addresses unless allowed, and hands reqwest the checked addresses to connect to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CheckedResolver {
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for CheckedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addrs.is_empty() {
                return Err(format!("{host} has no address").into());
            }
            check(&host, &addrs, allow_private)?;
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_loopback_addresses_are_recognised() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "::",
        ] {
            assert!(is_private(private.parse().unwrap()), "{private}");
        }
        for public in [
            "8.8.8.8",
            "1.1.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(!is_private(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn one_private_address_refuses_the_whole_name() {
        let addrs: Vec<SocketAddr> =
            vec!["8.8.8.8:0".parse().unwrap(), "127.0.0.1:0".parse().unwrap()];
        assert!(check("rebind.example", &addrs, false).is_err());
        assert!(check("rebind.example", &addrs, true).is_ok());
        assert!(check("dns.example", &addrs[..1], false).is_ok());
    }
}
