//! Which links from what the agent wrote may leave the window, and as what: web pages as they
//! are, and mail links reduced to their addresses. Plain `std`, so the rules are tested alone.
//!
//! `file:`, `javascript:` and custom schemes could run or reveal something on the machine. A
//! mail link's query (`?attach=~/.ssh/id_rsa`, `?body=`, `?cc=`, `?bcc=`) is honoured by some
//! mail programs, which would then send what the agent chose from the person's account; so
//! only the address is opened. The window applies the same rules to decide what it shows as a
//! link (`ui/src/shared/links.ts`); this is the check that counts.

/// The longest link opened: longer is no ordinary link.
const MAX_LINK: usize = 8192;

/// What opening `url` may open: a web link as it is (scheme in lower case), a mail link as
/// `mailto:` and its addresses only, or `None` when Warden does not open it.
pub fn openable_link(url: &str) -> Option<String> {
    let url = url.trim_matches(' ');
    if url.is_empty() || url.len() > MAX_LINK || url.chars().any(refused_char) {
        return None;
    }
    let (scheme, rest) = url.split_once(':')?;
    match scheme.to_ascii_lowercase().as_str() {
        "http" => web_link("http", rest),
        "https" => web_link("https", rest),
        "mailto" => mail_link(rest),
        _ => None,
    }
}

/// Characters no link opened here contains: controls, blanks, invisible or direction-changing
/// characters, and the backslash that browsers read as a slash.
fn refused_char(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || c == '\\'
        || matches!(c, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{E0000}'..='\u{E007F}')
}

/// A web link with a host, or `None`.
fn web_link(scheme: &str, rest: &str) -> Option<String> {
    let after = rest.strip_prefix("//")?;
    let authority = after.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    (!host.is_empty()).then(|| format!("{scheme}:{rest}"))
}

/// `mailto:` with its addresses only (query and fragment left out), or `None`.
fn mail_link(rest: &str) -> Option<String> {
    let addresses = rest.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_decode(addresses)?;
    let list: Vec<&str> = decoded.split(',').collect();
    list.iter().all(|a| is_plain_address(a)).then(|| format!("mailto:{}", list.join(",")))
}

/// One plain mail address: no quoting, no comments, nothing a mail program reads as a header.
fn is_plain_address(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty() && local.bytes().all(|b| b.is_ascii_alphanumeric() || b"._+-".contains(&b));
    let domain_ok = domain.split('.').all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    local_ok && domain_ok
}

/// `%XX` escapes decoded; `None` for a broken escape or text that is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::openable_link;

    #[test]
    fn web_links_open_as_they_are() {
        for url in ["https://docs.rs/tokio", "http://example.com/a?b=c#d", "https://user@example.com:8443/x", "https://[::1]:8080/", "https://例え.jp/パス"] {
            assert_eq!(openable_link(url).as_deref(), Some(url), "{url}");
        }
        assert_eq!(openable_link("HTTPS://Example.com").as_deref(), Some("https://Example.com"));
        assert_eq!(openable_link("  https://x.y  ").as_deref(), Some("https://x.y"));
    }

    #[test]
    fn mail_links_open_with_their_address_only() {
        let queries = [
            "?attach=/home/me/.ssh/id_rsa",
            "?attachment=file:///etc/passwd",
            "?subject=Hi&body=secret",
            "?cc=evil@x.test",
            "?bcc=evil@x.test&attach=~/.aws/credentials",
            "?to=evil@x.test",
            "#frag",
            "?",
            "?&&attach=%2Fetc%2Fshadow",
            "?ATTACH=x",
        ];
        for query in queries {
            for scheme in ["mailto", "MailTo", "MAILTO"] {
                let url = format!("{scheme}:dev@example.com{query}");
                assert_eq!(openable_link(&url).as_deref(), Some("mailto:dev@example.com"), "{url}");
            }
        }
        assert_eq!(openable_link("mailto:a@x.test,b.c+d@y.example").as_deref(), Some("mailto:a@x.test,b.c+d@y.example"));
        assert_eq!(openable_link("mailto:dev%40example.com").as_deref(), Some("mailto:dev@example.com"));
    }

    #[test]
    fn mail_links_hiding_a_query_or_headers_do_not_open() {
        for url in [
            "mailto:",
            "mailto:?to=evil@x.test&attach=/etc/passwd",
            "mailto:dev@example.com%3Fattach=/etc/passwd",
            "mailto:dev@example.com%26attach=x",
            "mailto:%22a%3Fb%22@example.com",
            "mailto:dev@example.com%0Abcc:evil@x.test",
            "mailto:dev@example.com%",
            "mailto:dev@example.com%zz",
            "mailto:<dev@example.com>",
            "mailto:dev",
            "mailto:a@x.test,,b@y.test",
            "mailto:dev@example..com",
        ] {
            assert_eq!(openable_link(url), None, "{url}");
        }
    }

    #[test]
    fn other_schemes_and_malformed_links_do_not_open() {
        let long = format!("https://x.test/{}", "a".repeat(9000));
        for url in [
            "file:///etc/passwd",
            "FILE:///C:/Windows/System32/calc.exe",
            "javascript:alert(1)",
            " javascript:alert(1)",
            "java\0script:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "vscode://file/etc/passwd",
            "ms-settings:",
            "smb://host/share",
            "ssh://host",
            "tel:123",
            "x-warden:open",
            "//example.com/x",
            "/etc/passwd",
            "src/app.js",
            "#anchor",
            "https:/example.com",
            "https:example.com",
            "https://",
            "https:///etc/passwd",
            "https://@:80/",
            "https:\\\\example.com",
            "https://a\nb",
            "https://a\tb",
            "https://a b",
            "https://ex\u{202e}ample.com",
            "https://ex\u{200b}ample.com",
            "",
            "   ",
            "ht",
            &long,
        ] {
            assert_eq!(openable_link(url), None, "{url:?}");
        }
    }
}
