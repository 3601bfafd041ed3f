//! `warden webhooks`: the project's webhook endpoints (`list`), the delivery log
//! (`deliveries`), sending a delivery again (`redeliver`) and a test event (`test`), enabling
//! an endpoint disabled by a 410 again (`enable`), and storing a signing secret in the OS
//! keychain (`secret set`). The endpoints come from the merged checks configuration; the log
//! from `<data>/webhooks.db`.

use clap::{Args, Subcommand};
use serde::Serialize;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use warden_gate::config::{self, Entry, GateConfig, SecretRef, Webhook};
use warden_gate::secrets::{KeychainEntry, Secrets};
use warden_gate::trust::EntryTrust;
use warden_webhooks::{Attempt, Outbox, StaticEndpoints, Webhooks};

/// Exit code of `redeliver` and `test` when the endpoint did not answer 2xx.
const NOT_DELIVERED: u8 = 1;

/// Arguments of `warden webhooks`.
#[derive(Debug, Args)]
pub struct WebhooksArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: WebhooksCommand,
}

/// The `warden webhooks` subcommands.
#[derive(Debug, Subcommand)]
pub enum WebhooksCommand {
    /// The project's webhook endpoints, with their trust and whether they are disabled.
    List {
        /// The project folder.
        #[arg(long, value_name = "DIR")]
        project: String,
        /// One JSON object per endpoint and line.
        #[arg(long)]
        json: bool,
    },
    /// The delivery log, newest first.
    Deliveries {
        /// Only this endpoint's deliveries.
        #[arg(long, value_name = "ID")]
        endpoint: Option<String>,
        /// Only this project's deliveries.
        #[arg(long, value_name = "DIR")]
        project: Option<String>,
        /// At most this many deliveries.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// One JSON object per delivery and line, with every attempt.
        #[arg(long)]
        json: bool,
    },
    /// Send a delivery again: the same body and webhook-id, a fresh timestamp and signature.
    Redeliver {
        /// The delivery's id (from `warden webhooks deliveries`).
        delivery: i64,
    },
    /// Send a test event (`{"type":"ping",…}`) to an endpoint now.
    Test {
        /// The endpoint's id.
        endpoint: String,
        /// The project folder.
        #[arg(long, value_name = "DIR")]
        project: String,
    },
    /// Enable an endpoint disabled by a 410 Gone answer again. The deliveries it held are sent
    /// again by the next delivery worker (the window's, or `warden run`'s); events skipped
    /// while it was disabled stay skipped (`redeliver` sends one by hand).
    Enable {
        /// The endpoint's id.
        endpoint: String,
        /// The project folder.
        #[arg(long, value_name = "DIR")]
        project: String,
    },
    /// Signing secrets kept in the OS keychain (`secret = { keychain = "service/name" }`).
    Secret {
        /// What to do.
        #[command(subcommand)]
        command: SecretCommand,
    },
}

/// The `warden webhooks secret` subcommands.
#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Store a secret in the keychain. It is read from standard input (never from the
    /// command line, which other users and the shell history can see), e.g.
    /// `printf %s "$SECRET" | warden webhooks secret set ci/review`.
    Set {
        /// The keychain entry, `service/name` as the configuration names it.
        entry: String,
    },
    /// Remove a secret from the keychain.
    Remove {
        /// The keychain entry, `service/name`.
        entry: String,
    },
}

/// Runs `warden webhooks …`; returns the exit code.
pub async fn run(args: WebhooksArgs, data_dir: &Path) -> u8 {
    let result = match args.command {
        WebhooksCommand::List { project, json } => list(&project, json, data_dir),
        WebhooksCommand::Deliveries { endpoint, project, limit, json } => deliveries(endpoint.as_deref(), project.as_deref(), limit, json, data_dir),
        WebhooksCommand::Redeliver { delivery } => redeliver(delivery, data_dir).await,
        WebhooksCommand::Test { endpoint, project } => test(&endpoint, &project, data_dir).await,
        WebhooksCommand::Enable { endpoint, project } => enable(&endpoint, &project, data_dir),
        WebhooksCommand::Secret { command: SecretCommand::Set { entry } } => secret_set(&entry),
        WebhooksCommand::Secret { command: SecretCommand::Remove { entry } } => secret_remove(&entry),
    };
    result.unwrap_or_else(|e| {
        eprintln!("warden: {e}");
        super::run::SETUP_FAILED
    })
}

fn project_dir(raw: &str) -> Result<PathBuf, String> {
    warden_engine::resolve_project_dir(raw).map_err(|e| e.to_string())
}

fn load(project: &Path, data_dir: &Path) -> Result<GateConfig, String> {
    config::load(project, data_dir).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
        format!("the checks configuration has errors:\n{}", lines.join("\n"))
    })
}

fn open_outbox(data_dir: &Path) -> Result<Arc<Outbox>, String> {
    let (outbox, notice) = Outbox::open(data_dir).map_err(|e| e.to_string())?;
    if let Some(notice) = notice {
        eprintln!("warden: {notice}");
    }
    Ok(Arc::new(outbox))
}

fn trust_of(entry: &Entry<Webhook>, config: &GateConfig, project: &Path, data_dir: &Path) -> Result<EntryTrust, String> {
    warden_gate::endpoints::entry_trust(entry, config, project, data_dir).map_err(|e| e.to_string())
}

/// One endpoint as `list` shows it. The secret's source is named, its value never shown.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct EndpointView<'a> {
    id: &'a str,
    url: &'a str,
    events: Vec<&'a str>,
    mode: warden_gate::config::Mode,
    signature: warden_gate::config::Signature,
    secret: Option<String>,
    secret_set: bool,
    source: warden_gate::config::Source,
    trust: EntryTrust,
    disabled: Option<String>,
}

fn list(project: &str, json: bool, data_dir: &Path) -> Result<u8, String> {
    let project = project_dir(project)?;
    let config = load(&project, data_dir)?;
    let outbox = open_outbox(data_dir)?;
    let key = project.to_string_lossy();
    let secrets = Secrets::system();
    for entry in &config.webhooks {
        let hook = &entry.spec;
        let (secret, secret_set) = match &hook.secret {
            None => (None, false),
            Some(source) => {
                let named = match source {
                    SecretRef::Env(name) => format!("env {name}"),
                    SecretRef::Keychain(name) => format!("keychain {name}"),
                };
                (Some(named), secrets.resolve(&entry.id, source).is_ok())
            }
        };
        let disabled = match &entry.disabled {
            Some(d) => Some(d.to_string()),
            None => outbox.disabled(&key, &entry.id).map_err(|e| e.to_string())?.map(|gone| {
                format!(
                    "since {} ({}); `warden webhooks enable {} --project …` enables it again",
                    warden_webhooks::rfc3339_ms(gone.disabled_at),
                    gone.reason,
                    entry.id
                )
            }),
        };
        let view = EndpointView {
            id: &entry.id,
            url: &hook.url,
            events: hook.events.iter().map(|e| e.0.as_str()).collect(),
            mode: hook.mode,
            signature: hook.signature,
            secret,
            secret_set,
            source: entry.source,
            trust: trust_of(entry, &config, &project, data_dir)?,
            disabled,
        };
        if json {
            println!("{}", serde_json::to_string(&view).map_err(|e| e.to_string())?);
            continue;
        }
        println!("{:<16} {:<5} {}", view.id, if hook.mode == warden_gate::config::Mode::Sync { "sync" } else { "async" }, view.url);
        println!("                 events: {}", view.events.join(", "));
        let secret = match (&view.secret, view.secret_set) {
            (None, _) => "none".to_owned(),
            (Some(s), true) => format!("{s} (set)"),
            (Some(s), false) => format!("{s} (not set)"),
        };
        println!("                 secret: {secret}   trust: {}", view.trust.label());
        if let Some(d) = &view.disabled {
            println!("                 disabled: {d}");
        }
    }
    if config.webhooks.is_empty() && !json {
        println!("No webhooks in {}.", project.display());
    }
    Ok(0)
}

/// A delivery with its attempts, for `deliveries --json`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DeliveryView {
    #[serde(flatten)]
    delivery: warden_webhooks::Delivery,
    attempt_log: Vec<Attempt>,
}

fn deliveries(endpoint: Option<&str>, project: Option<&str>, limit: u32, json: bool, data_dir: &Path) -> Result<u8, String> {
    let project = project.map(project_dir).transpose()?.map(|p| p.to_string_lossy().into_owned());
    let outbox = open_outbox(data_dir)?;
    let rows = outbox.deliveries_in(project.as_deref(), endpoint, limit).map_err(|e| e.to_string())?;
    for delivery in rows {
        if json {
            let attempt_log = outbox.attempts(delivery.id).map_err(|e| e.to_string())?;
            println!("{}", serde_json::to_string(&DeliveryView { delivery, attempt_log }).map_err(|e| e.to_string())?);
            continue;
        }
        println!(
            "{:<6} {:<9} {:>2} tries  {:<16} {:<18} {}  {}{}",
            delivery.id,
            delivery.status.as_str(),
            delivery.attempts,
            delivery.endpoint,
            delivery.event_type,
            delivery.event_id,
            warden_webhooks::rfc3339_ms(delivery.created_at),
            delivery.last_error.map(|e| format!("  ({e})")).unwrap_or_default(),
        );
    }
    Ok(0)
}

fn service(outbox: Arc<Outbox>) -> Result<Webhooks, String> {
    Webhooks::new(outbox, Arc::new(StaticEndpoints::default())).map_err(|e| e.to_string())
}

fn report(delivery: i64, attempt: &Attempt) -> u8 {
    let answer = match (attempt.response_status, &attempt.error) {
        (_, Some(e)) => e.clone(),
        (Some(s), None) => format!("HTTP {s}"),
        (None, None) => "no answer".to_owned(),
    };
    println!("delivery {delivery}: {answer} in {} ms ({})", attempt.duration_ms, attempt.outcome);
    if attempt.outcome == "delivered" { 0 } else { NOT_DELIVERED }
}

async fn redeliver(delivery: i64, data_dir: &Path) -> Result<u8, String> {
    let service = service(open_outbox(data_dir)?)?;
    let attempt = warden_gate::manual::redeliver(&service, data_dir, delivery).await.map_err(|e| e.to_string())?;
    Ok(report(delivery, &attempt))
}

fn enable(id: &str, project: &str, data_dir: &Path) -> Result<u8, String> {
    let project = project_dir(project)?;
    let config = load(&project, data_dir)?;
    if !config.webhooks.iter().any(|w| w.id == id) {
        return Err(format!("no webhook `{id}` in {}", project.display()));
    }
    let service = service(open_outbox(data_dir)?)?;
    let enabled = service.enable(&project.to_string_lossy(), id).map_err(|e| e.to_string())?;
    if !enabled.was_disabled {
        println!("webhook {id} is not disabled; nothing to do");
        return Ok(0);
    }
    println!("webhook {id} is enabled again");
    if enabled.requeued > 0 {
        println!(
            "{} held deliveries are due again: the window's delivery worker sends them, or the next `warden run`",
            enabled.requeued
        );
    }
    if enabled.skipped > 0 {
        println!(
            "{} events skipped while it was disabled stay skipped (`warden webhooks deliveries --endpoint {id}` lists them; `redeliver` sends one)",
            enabled.skipped
        );
    }
    Ok(0)
}

fn keychain_entry(raw: &str) -> Result<KeychainEntry, String> {
    KeychainEntry::parse(raw).ok_or_else(|| format!("{raw:?} does not name a keychain entry: write service/name"))
}

/// Reads the secret from standard input: one line from a terminal, everything from a pipe;
/// the line ending is not part of it.
fn read_secret() -> Result<String, String> {
    let stdin = std::io::stdin();
    let mut text = String::new();
    if stdin.is_terminal() {
        eprintln!("Type the secret and press Enter (it is shown as typed; pipe it in to avoid that):");
        stdin.read_line(&mut text).map_err(|e| format!("standard input: {e}"))?;
    } else {
        stdin.lock().read_to_string(&mut text).map_err(|e| format!("standard input: {e}"))?;
    }
    Ok(text.trim_end_matches(['\n', '\r']).to_owned())
}

fn secret_set(raw: &str) -> Result<u8, String> {
    let entry = keychain_entry(raw)?;
    let text = read_secret()?;
    // Checked as the worker will read it, so a typo is found now rather than at delivery.
    warden_webhooks::Secret::parse(&text).map_err(|e| format!("not stored in the keychain entry {entry}: {e}"))?;
    Secrets::system().store(&entry, &text).map_err(|e| e.to_string())?;
    println!("stored in the keychain entry {entry}; use it with secret = {{ keychain = \"{entry}\" }}");
    Ok(0)
}

fn secret_remove(raw: &str) -> Result<u8, String> {
    let entry = keychain_entry(raw)?;
    if Secrets::system().remove(&entry).map_err(|e| e.to_string())? {
        println!("removed the keychain entry {entry}");
    } else {
        println!("there is no keychain entry {entry}");
    }
    Ok(0)
}

async fn test(id: &str, project: &str, data_dir: &Path) -> Result<u8, String> {
    let project = project_dir(project)?;
    let service = service(open_outbox(data_dir)?)?;
    let (delivery, attempt) = warden_gate::manual::send_test(&service, &project, data_dir, id).await.map_err(|e| e.to_string())?;
    Ok(report(delivery, &attempt))
}
