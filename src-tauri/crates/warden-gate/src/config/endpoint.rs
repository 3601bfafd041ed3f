//! A `[[webhook]]` entry turned into what the webhooks crate delivers to, with its secret read
//! at that moment from the environment or the OS keychain ([`crate::secrets`]; never stored
//! by Warden).

use super::file::{Jitter, Mode, Signature};
use super::model::Webhook;
use crate::secrets::{SecretError, Secrets};
use warden_webhooks::{Endpoint, EventType, RetrySchedule, SignatureStyle};

/// Why an entry cannot become an endpoint now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// Its secret is missing (variable not set, keychain entry not there) or unusable.
    #[error(transparent)]
    Secret(#[from] SecretError),
    /// An event type the delivery crate does not know (the two lists disagree).
    #[error("webhook `{id}`: unknown event type {name}")]
    UnknownEvent {
        /// The webhook.
        id: String,
        /// The type.
        name: String,
    },
}

/// The endpoint of `webhook`, its secret looked up in `secrets` (pass
/// [`Secrets::system`]; tests pass their own).
pub fn to_endpoint(webhook: &Webhook, secrets: &Secrets) -> Result<Endpoint, EndpointError> {
    let id = webhook.id.clone();
    let mut events = Vec::new();
    for name in &webhook.events {
        if name.0 == "*" {
            events.extend(EventType::ALL.iter().copied().filter(|t| *t != EventType::Ping));
        } else {
            let kind = name.0.parse::<EventType>().map_err(|_| EndpointError::UnknownEvent { id: id.clone(), name: name.0.clone() })?;
            if !events.contains(&kind) {
                events.push(kind);
            }
        }
    }
    let secret = webhook.secret.as_ref().map(|source| secrets.resolve(&id, source)).transpose()?;
    let mut endpoint = Endpoint::new(id, webhook.url.clone(), events);
    endpoint.secret = secret;
    endpoint.signature = match webhook.signature {
        Signature::StandardWebhooks => SignatureStyle::StandardWebhooks,
        Signature::Github => SignatureStyle::Github,
        Signature::None => SignatureStyle::None,
    };
    endpoint.timeout = webhook.timeout;
    endpoint.retry = RetrySchedule {
        delays: webhook.retry_schedule.clone(),
        jitter: match webhook.jitter {
            Jitter::Full => warden_webhooks::Jitter::Full,
            Jitter::None => warden_webhooks::Jitter::None,
        },
    };
    endpoint.mode = match webhook.mode {
        Mode::Sync => warden_webhooks::Mode::Sync,
        Mode::Async => warden_webhooks::Mode::Async,
    };
    endpoint.allow_private = webhook.allow_private;
    Ok(endpoint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{inspect_str, EVENT_TYPES};
    use std::path::Path;
    use std::time::Duration;
    use warden_webhooks::Secret;

    fn webhook(extra: &str) -> Webhook {
        let text = format!("version = 1\n[[webhook]]\nid = \"w\"\nurl = \"http://127.0.0.1:9/hook\"\nallow_private = true\n{extra}");
        let inspection = inspect_str(Path::new("/p"), Some(&text), None);
        assert!(inspection.errors.is_empty(), "{:?}", inspection.errors);
        inspection.config.webhooks[0].spec.clone()
    }

    #[test]
    fn an_entry_becomes_an_endpoint_with_its_secret_from_the_environment() {
        let hook = webhook("events = [\"task.finished\", \"gate.exhausted\"]\nsecret = { env = \"HOOK_SECRET\" }\nsignature = \"github\"\ntimeout = \"5s\"\nretry = { schedule = [\"10ms\", \"20ms\"], jitter = \"none\" }\nmode = \"sync\"\n");
        let endpoint = to_endpoint(&hook, &Secrets::with_env(|name| (name == "HOOK_SECRET").then(|| "s3cret".to_owned()))).unwrap();
        assert_eq!(endpoint.id, "w");
        assert_eq!(endpoint.url, "http://127.0.0.1:9/hook");
        assert_eq!(endpoint.events, vec![EventType::TaskFinished, EventType::GateExhausted]);
        assert_eq!(endpoint.secret, Some(Secret::from_bytes("s3cret")));
        assert_eq!(endpoint.signature, SignatureStyle::Github);
        assert_eq!(endpoint.timeout, Duration::from_secs(5));
        assert_eq!(endpoint.retry, RetrySchedule { delays: vec![Duration::from_millis(10), Duration::from_millis(20)], jitter: warden_webhooks::Jitter::None });
        assert_eq!(endpoint.mode, warden_webhooks::Mode::Sync);
        assert!(endpoint.allow_private);
    }

    #[test]
    fn a_missing_variable_is_a_clear_error() {
        let hook = webhook("events = [\"*\"]\nsecret = { env = \"NOT_SET_ANYWHERE\" }\n");
        let err = to_endpoint(&hook, &Secrets::with_env(|_| None)).unwrap_err();
        assert!(err.to_string().contains("NOT_SET_ANYWHERE") && err.to_string().contains("not set"), "{err}");
        let all = to_endpoint(&webhook("events = [\"*\"]\nsignature = \"none\"\n"), &Secrets::with_env(|_| None)).unwrap();
        assert_eq!(all.events.len(), EventType::ALL.len() - 1, "every event but the test ping, which every endpoint takes anyway");
        assert_eq!(all.secret, None);
    }

    #[test]
    fn the_configuration_knows_every_event_type_the_outbox_sends() {
        for name in EVENT_TYPES {
            assert!(name.parse::<EventType>().is_ok(), "{name}");
        }
        for kind in EventType::ALL.iter().filter(|t| **t != EventType::Ping) {
            assert!(EVENT_TYPES.contains(&kind.as_str()), "{kind}");
        }
    }
}
