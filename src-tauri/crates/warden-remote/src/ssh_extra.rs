//! The extra `ssh` settings a remote project may carry (`-p PORT`, `-i FILE`, `-J JUMP` and a
//! short list of `-o Key=Value` options), as typed fields, and the one check they pass wherever
//! they come from: the dialog, a stored recent project (possibly copied from another machine),
//! or an older stored list of raw words.
//!
//! Why an allow-list: a recent-projects entry is data, and some ssh options run a program on
//! this machine (`ProxyCommand`, `LocalCommand` with `PermitLocalCommand`, `KnownHostsCommand`),
//! load a library (`PKCS11Provider`, `SecurityKeyProvider`), open a listening port (the
//! forwards), replace what runs on the host (`RemoteCommand`) or read another config file. Only
//! options that change how the connection is made are taken; anything else belongs in the
//! person's own `~/.ssh/config`, which they control.

use serde::{Deserialize, Serialize};
use specta::Type;

/// Extra `ssh` settings, given before the destination.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SshExtra {
    /// `-p PORT`.
    #[serde(default)]
    pub port: Option<u16>,
    /// `-i FILE`: the identity (private key) file.
    #[serde(default)]
    pub identity_file: Option<String>,
    /// `-J JUMP`: the jump host(s), `[user@]host[:port]`, comma-separated.
    #[serde(default)]
    pub jump: Option<String>,
    /// `-o Key=Value`, in order, from the allowed keys only.
    #[serde(default)]
    pub options: Vec<SshOption>,
}

/// One `-o Key=Value`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub struct SshOption {
    /// The option's name, spelled as ssh_config(5) does (`ConnectTimeout`).
    pub key: String,
    /// Its value.
    pub value: String,
}

/// Why extra ssh settings cannot be used, in a sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SshExtraError(pub String);

/// The `-o` keys taken, as ssh_config(5) spells them. They choose how the connection is made
/// (address, port, user, keys, host keys, timeouts, algorithms, logging); none runs a program,
/// loads a library, listens, forwards or reads another configuration file.
pub const ALLOWED_OPTIONS: &[&str] = &[
    "AddressFamily",
    "BindAddress",
    "CertificateFile",
    "CheckHostIP",
    "Ciphers",
    "Compression",
    "ConnectionAttempts",
    "ConnectTimeout",
    "GlobalKnownHostsFile",
    "HostKeyAlgorithms",
    "HostKeyAlias",
    "HostName",
    "IdentitiesOnly",
    "IPQoS",
    "KexAlgorithms",
    "LogLevel",
    "MACs",
    "PreferredAuthentications",
    "PubkeyAcceptedAlgorithms",
    "PubkeyAuthentication",
    "RekeyLimit",
    "ServerAliveCountMax",
    "ServerAliveInterval",
    "StrictHostKeyChecking",
    "TCPKeepAlive",
    "UpdateHostKeys",
    "User",
    "UserKnownHostsFile",
    "VerifyHostKeyDNS",
];

/// Options that are refused with their own reason (the rest of the unknown ones get the
/// general one), by their key in lower case. The window's dialog reads both lists from the
/// bindings (`SSH_ALLOWED_OPTIONS`, `SSH_REFUSED_OPTIONS`), so it checks as this does.
pub const REFUSED_OPTIONS: &[(&str, &str)] = &[
    ("proxycommand", "it runs a command on this machine"),
    ("localcommand", "it runs a command on this machine"),
    ("permitlocalcommand", "it lets LocalCommand run a command on this machine"),
    ("knownhostscommand", "it runs a command on this machine"),
    ("remotecommand", "it replaces what runs on the host"),
    ("pkcs11provider", "it loads a library into ssh"),
    ("securitykeyprovider", "it loads a library into ssh"),
    ("include", "it reads another configuration file"),
    ("localforward", "it opens a port"),
    ("remoteforward", "it opens a port"),
    ("dynamicforward", "it opens a port"),
    ("forwardagent", "it hands your keys' agent to the host"),
];

/// Characters a host, user or jump specification may have (no shell metacharacters: a
/// person's own `ProxyCommand` may expand `%h` or `%r` into a shell command line).
fn plain_name(s: &str, extra: &str) -> bool {
    !s.is_empty() && !s.starts_with('-') && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c) || extra.contains(c))
}

fn no_control(what: &str, value: &str) -> Result<(), SshExtraError> {
    if value.trim().is_empty() {
        return Err(SshExtraError(format!("{what} is empty")));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(SshExtraError(format!("{what} '{}' has control characters", value.escape_debug())));
    }
    Ok(())
}

fn check_path(what: &str, path: &str) -> Result<(), SshExtraError> {
    no_control(what, path)?;
    if path.starts_with('-') {
        return Err(SshExtraError(format!("{what} '{path}' starts with '-': ssh would read it as an option")));
    }
    Ok(())
}

fn check_jump(jump: &str) -> Result<(), SshExtraError> {
    no_control("the jump host (-J)", jump)?;
    for hop in jump.split(',') {
        let hop = hop.strip_prefix("ssh://").unwrap_or(hop);
        if !plain_name(hop, "@:[]") {
            return Err(SshExtraError(format!(
                "'{}' is not a jump host: write [user@]host[:port] (comma-separated for more than one), without spaces or shell characters",
                hop.escape_debug()
            )));
        }
    }
    Ok(())
}

/// The allowed key spelled as ssh_config(5) does, or why `key` is refused.
fn allowed_key(key: &str) -> Result<&'static str, SshExtraError> {
    let lower = key.to_ascii_lowercase();
    if let Some((_, why)) = REFUSED_OPTIONS.iter().find(|(name, _)| *name == lower) {
        return Err(SshExtraError(format!("the ssh option {key} is refused: {why}. Set it in your own ~/.ssh/config if you mean it")));
    }
    ALLOWED_OPTIONS.iter().find(|name| name.eq_ignore_ascii_case(key)).copied().ok_or_else(|| {
        SshExtraError(format!(
            "the ssh option '{}' is not one Warden passes on (it takes options that choose how to connect, like ConnectTimeout or UserKnownHostsFile). Set it in your own ~/.ssh/config",
            key.escape_debug()
        ))
    })
}

impl SshOption {
    /// The option with its key spelled as ssh_config(5) does, or why it is refused.
    pub fn checked(&self) -> Result<SshOption, SshExtraError> {
        let key = allowed_key(self.key.trim())?;
        let value = self.value.trim();
        no_control(&format!("the value of {key}"), value)?;
        match key {
            "User" if !plain_name(value, "") => return Err(SshExtraError(format!("'{}' is not a user name", value.escape_debug()))),
            "HostName" | "HostKeyAlias" if !plain_name(value, ":[]") => {
                return Err(SshExtraError(format!("'{}' is not a host name or address", value.escape_debug())))
            }
            "StrictHostKeyChecking" if !["yes", "ask", "accept-new"].contains(&value.to_ascii_lowercase().as_str()) => {
                return Err(SshExtraError(format!("StrictHostKeyChecking={value} is refused: it would connect to a host whose key changed. Use yes or accept-new")))
            }
            _ => {}
        }
        Ok(SshOption { key: key.to_owned(), value: value.to_owned() })
    }
}

impl SshExtra {
    /// Nothing set.
    pub fn is_empty(&self) -> bool {
        self == &SshExtra::default()
    }

    /// Every field checked; the settings with `Port`, `IdentityFile` and `ProxyJump` given as
    /// `-o` moved to their own fields and the keys spelled as ssh_config(5) does.
    pub fn checked(&self) -> Result<SshExtra, SshExtraError> {
        let mut out = SshExtra { port: self.port, identity_file: None, jump: None, options: Vec::new() };
        if let Some(file) = &self.identity_file {
            check_path("the identity file (-i)", file)?;
            out.identity_file = Some(file.trim().to_owned());
        }
        if let Some(jump) = &self.jump {
            check_jump(jump.trim())?;
            out.jump = Some(jump.trim().to_owned());
        }
        for option in &self.options {
            let key = option.key.trim();
            let value = option.value.trim();
            if key.eq_ignore_ascii_case("Port") {
                out.port = Some(parse_port(value)?);
            } else if key.eq_ignore_ascii_case("IdentityFile") {
                check_path("the identity file", value)?;
                out.identity_file = Some(value.to_owned());
            } else if key.eq_ignore_ascii_case("ProxyJump") {
                check_jump(value)?;
                out.jump = Some(value.to_owned());
            } else {
                out.options.push(option.checked()?);
            }
        }
        if out.port == Some(0) {
            return Err(SshExtraError("port 0 is not a port (1–65535)".into()));
        }
        Ok(out)
    }

    /// Parses words as typed after `ssh` (`-p 2222 -i ~/.ssh/work -o ConnectTimeout=5`,
    /// also `-p2222` and `-o Key Value` as one word); checked as [`SshExtra::checked`] does.
    pub fn parse<S: AsRef<str>>(words: &[S]) -> Result<SshExtra, SshExtraError> {
        let mut extra = SshExtra::default();
        let mut words = words.iter().map(|w| w.as_ref().trim()).filter(|w| !w.is_empty());
        while let Some(word) = words.next() {
            let Some(flag) = word.strip_prefix('-').and_then(|rest| rest.chars().next()) else {
                return Err(SshExtraError(format!("'{}' is not an ssh option: write -o Key=Value, -p PORT, -i FILE or -J JUMP", word.escape_debug())));
            };
            if !"opiJ".contains(flag) {
                return Err(SshExtraError(format!(
                    "'{}' is not taken: only -o Key=Value, -p PORT, -i FILE and -J JUMP are (put anything else in ~/.ssh/config)",
                    word.escape_debug()
                )));
            }
            let attached = &word[1 + flag.len_utf8()..];
            let value = if attached.is_empty() {
                words.next().ok_or_else(|| SshExtraError(format!("-{flag} needs a value")))?.to_owned()
            } else {
                attached.to_owned()
            };
            match flag {
                'p' => extra.port = Some(parse_port(&value)?),
                'i' => extra.identity_file = Some(value),
                'J' => extra.jump = Some(value),
                _ => {
                    let (key, val) = value
                        .split_once('=')
                        .or_else(|| value.split_once(char::is_whitespace))
                        .ok_or_else(|| SshExtraError(format!("'-o {}' has no value: write -o Key=Value", value.escape_debug())))?;
                    extra.options.push(SshOption { key: key.trim().to_owned(), value: val.trim().to_owned() });
                }
            }
        }
        extra.checked()
    }

    /// The arguments for `ssh`, each flag and its value as two words (a value is never read
    /// as an option). Only call on [`SshExtra::checked`] settings.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(port) = self.port {
            args.extend(["-p".to_owned(), port.to_string()]);
        }
        if let Some(file) = &self.identity_file {
            args.extend(["-i".to_owned(), file.clone()]);
        }
        if let Some(jump) = &self.jump {
            args.extend(["-J".to_owned(), jump.clone()]);
        }
        for option in &self.options {
            args.extend(["-o".to_owned(), format!("{}={}", option.key, option.value)]);
        }
        args
    }

    /// The settings as the person would type them (`-p 2222 -J bastion`), for lists.
    pub fn describe(&self) -> String {
        self.to_args().chunks(2).map(|pair| pair.join(" ")).collect::<Vec<_>>().join(" ")
    }
}

fn parse_port(value: &str) -> Result<u16, SshExtraError> {
    match value.trim().parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(SshExtraError(format!("'{}' is not a port (1–65535)", value.escape_debug()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(words: &[&str]) -> String {
        SshExtra::parse(words).unwrap_err().0
    }

    #[test]
    fn the_four_flags_become_typed_fields_and_back() {
        let extra = SshExtra::parse(&["-p", "2222", "-i", "~/.ssh/work key", "-J", "me@bastion:22,jump2", "-o", "connecttimeout=5", "-oUser=dev"]).unwrap();
        assert_eq!(extra.port, Some(2222));
        assert_eq!(extra.identity_file.as_deref(), Some("~/.ssh/work key"));
        assert_eq!(extra.jump.as_deref(), Some("me@bastion:22,jump2"));
        assert_eq!(extra.options, vec![SshOption { key: "ConnectTimeout".into(), value: "5".into() }, SshOption { key: "User".into(), value: "dev".into() }]);
        assert_eq!(extra.to_args(), ["-p", "2222", "-i", "~/.ssh/work key", "-J", "me@bastion:22,jump2", "-o", "ConnectTimeout=5", "-o", "User=dev"]);
        assert_eq!(SshExtra::parse(&["-p2222"]).unwrap().describe(), "-p 2222");
        // `-o Port=…` and friends land in their own fields.
        let moved = SshExtra::parse(&["-o", "Port=22", "-o", "ProxyJump=b", "-o", "IdentityFile=/k"]).unwrap();
        assert_eq!((moved.port, moved.jump.as_deref(), moved.identity_file.as_deref(), moved.options.len()), (Some(22), Some("b"), Some("/k"), 0));
        assert!(SshExtra::parse::<&str>(&[]).unwrap().is_empty());
    }

    #[test]
    fn nothing_that_runs_a_command_or_listens_gets_through() {
        for words in [
            &["-o", "ProxyCommand=sh -c 'touch /tmp/x'"][..],
            &["-oProxyCommand=nc %h %p"],
            &["-o", "proxycommand nc %h %p"],
            &["-o", "LocalCommand=touch /tmp/x"],
            &["-o", "PermitLocalCommand=yes"],
            &["-o", "KnownHostsCommand=/bin/true"],
            &["-o", "RemoteCommand=rm -rf ~"],
            &["-o", "PKCS11Provider=/tmp/evil.so"],
            &["-o", "LocalForward=8080 localhost:80"],
            &["-o", "Include=/tmp/evil_config"],
        ] {
            let e = err(words);
            assert!(e.contains("is refused"), "{words:?}: {e}");
        }
        assert!(err(&["-o", "ControlMaster=yes"]).contains("not one Warden passes on"));
        assert!(err(&["-F", "/tmp/evil_config"]).contains("only -o Key=Value"));
        assert!(err(&["-L", "8080:localhost:80"]).contains("only -o Key=Value"));
        assert!(err(&["--", "evil"]).contains("not taken"));
        assert!(err(&["host"]).contains("not an ssh option"));
        assert!(err(&["-p"]).contains("needs a value"));
        assert!(err(&["-p", "99999"]).contains("not a port"));
        assert!(err(&["-p", "0"]).contains("not a port"));
        assert!(err(&["-i", "-oProxyCommand=x"]).contains("starts with '-'"));
        assert!(err(&["-J", "-oProxyCommand=x"]).contains("not a jump host"));
        assert!(err(&["-J", "a;touch /tmp/x"]).contains("not a jump host"));
        assert!(err(&["-o", "User=$(touch /tmp/x)"]).contains("not a user name"));
        assert!(err(&["-o", "HostName=a`b`"]).contains("not a host name"));
        assert!(err(&["-o", "StrictHostKeyChecking=no"]).contains("is refused"));
        assert!(err(&["-o", "ConnectTimeout"]).contains("has no value"));
        assert!(err(&["-o", "ConnectTimeout=5\nProxyCommand x"]).contains("control characters"));
    }

    #[test]
    fn typed_settings_from_elsewhere_are_checked_the_same_way() {
        let stored = SshExtra { options: vec![SshOption { key: "ProxyCommand".into(), value: "touch /tmp/x".into() }], ..SshExtra::default() };
        assert!(stored.checked().unwrap_err().0.contains("runs a command"));
        let jump = SshExtra { jump: Some("x -oProxyCommand=y".into()), ..SshExtra::default() };
        assert!(jump.checked().is_err());
        let fine = SshExtra { port: Some(22), options: vec![SshOption { key: " serveraliveinterval ".into(), value: " 5 ".into() }], ..SshExtra::default() };
        assert_eq!(fine.checked().unwrap().options[0], SshOption { key: "ServerAliveInterval".into(), value: "5".into() });
    }
}
