//! Both layers read, merged by id and resolved: defaults filled in, references (`after`,
//! `fallback`) and folders checked, every problem reported with its file, line and field.

use super::cwd::{resolve_cwd, CwdError};
use super::error::{ConfigError, SourceText};
use super::file::{CheckFile, ChecksFile, GateFile, Mode, OnFailure, ReviewFile, SeverityName, Signature, WebhookFile};
use super::model::*;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;
use warden_core::review::ReviewSeverity;

/// One layer as read.
pub(crate) struct Layer {
    pub source: Source,
    pub text: SourceText,
    pub file: ChecksFile,
}

/// Reads one layer; `None` with the error when it is not valid TOML of the right shape.
pub(crate) fn parse_layer(source: Source, text: SourceText, errors: &mut Vec<ConfigError>) -> Option<Layer> {
    let file: ChecksFile = match toml::from_str(&text.text) {
        Ok(file) => file,
        Err(e) => {
            errors.push(text.toml_error(&e));
            return None;
        }
    };
    match (&file.version, source) {
        (Some(v), _) if *v.get_ref() != 1 => {
            errors.push(text.at(v.span(), None, Some("version"), format!("version {} is not known to this Warden: write version = 1", v.get_ref())));
            return None;
        }
        (None, Source::Project) => {
            errors.push(text.whole("the file needs `version = 1` at the top"));
            return None;
        }
        _ => {}
    }
    Some(Layer { source, text, file })
}

/// Refuses an id used twice in one layer (whatever the kinds: `after` and `fallback` name ids).
fn check_unique_ids(layer: &Layer, errors: &mut Vec<ConfigError>) -> bool {
    let mut seen: HashMap<&str, (EntryKind, usize)> = HashMap::new();
    let mut ok = true;
    let ids = layer
        .file
        .checks
        .iter()
        .map(|c| (EntryKind::Check, &c.get_ref().id))
        .chain(layer.file.webhooks.iter().map(|w| (EntryKind::Webhook, &w.get_ref().id)))
        .chain(layer.file.reviews.iter().map(|r| (EntryKind::Review, &r.get_ref().id)));
    for (kind, id) in ids {
        let line = super::error::line_column(&layer.text.text, id.span().start).0;
        if id.get_ref().trim().is_empty() {
            errors.push(layer.text.at(id.span(), None, Some("id"), "an id cannot be empty"));
            ok = false;
        } else if let Some((first_kind, first_line)) = seen.get(id.get_ref().as_str()) {
            errors.push(layer.text.at(
                id.span(),
                Some(id.get_ref()),
                Some("id"),
                format!("the id `{}` is already used by the {} on line {first_line}: ids are unique in a file", id.get_ref(), first_kind.as_str()),
            ));
            ok = false;
        } else {
            seen.insert(id.get_ref(), (kind, line));
        }
    }
    ok
}

/// A check entry while merging: the fields as set, where it comes from, which fields the
/// person's layer set.
struct Pending<T> {
    raw: T,
    source: Source,
    overridden: Vec<String>,
}

impl<T> Pending<T> {
    /// An error about one field of entry `id`, placed on the line of the layer that set the field
    /// (the personal file for an overridden field), or on the entry's id when no layer names it.
    fn field_error<'a, 'b>(
        &'a self,
        id: &'a str,
        id_text: &'a SourceText,
        field_text: &'a FieldText<'b>,
    ) -> impl Fn(&str, Range<usize>, String) -> ConfigError + use<'a, 'b, T> {
        move |field, span, message| {
            let text = field_text(self.source, &self.overridden, field).unwrap_or(id_text);
            text.at(span, Some(id), Some(field), message)
        }
    }
}

/// Sets every field `over` has on `base`, noting its name.
macro_rules! overlay {
    ($base:expr, $over:expr, $names:expr, $($field:ident),+) => {
        $(if let Some(v) = $over.$field {
            $base.$field = Some(v);
            $names.push(stringify!($field).to_owned());
        })+
    };
}

fn overlay_check(base: &mut CheckFile, over: CheckFile, names: &mut Vec<String>) {
    // A command set in either form replaces the other form.
    if over.run.is_some() {
        base.shell = None;
    }
    if over.shell.is_some() {
        base.run = None;
    }
    if let Some(when) = over.when {
        let target = base.when.get_or_insert_with(Default::default);
        let mut when_names = Vec::new();
        overlay!(target, when, when_names, changed, agent, command, exit_code, success, tool_kind, min_changed_lines, round);
        names.extend(when_names.into_iter().map(|n| format!("when.{n}")));
    }
    overlay!(base, over, names, name, disabled, on, run, shell, cwd, env, timeout, mode, gate, feedback, feedback_template, after, parse);
}

fn overlay_webhook(base: &mut WebhookFile, over: WebhookFile, names: &mut Vec<String>) {
    overlay!(base, over, names, disabled, url, events, secret, signature, timeout, retry, mode, on_failure, fallback, allow_private);
}

fn overlay_review(base: &mut ReviewFile, over: ReviewFile, names: &mut Vec<String>) {
    if let Some(when) = over.when {
        let target = base.when.get_or_insert_with(Default::default);
        let mut when_names = Vec::new();
        overlay!(target, when, when_names, changed, agent, command, exit_code, success, tool_kind, min_changed_lines, round);
        names.extend(when_names.into_iter().map(|n| format!("when.{n}")));
    }
    overlay!(base, over, names, disabled, agent, model, instructions, scope, after, block_on, feedback, budget_usd, min_changed_lines, timeout);
}

fn overlay_gate(base: &mut GateFile, over: GateFile) {
    let mut names = Vec::new();
    overlay!(base, over, names, max_rounds, feedback, on_infra_error, budget_usd);
}

/// Merges the layers and resolves every entry. `project_dir` is the project's canonical folder.
pub(crate) fn merge(project_dir: &Path, project: Option<Layer>, personal: Option<Layer>, errors: &mut Vec<ConfigError>) -> GateConfig {
    let mut config = GateConfig::default();
    let layers: Vec<&Layer> = project.iter().chain(personal.iter()).collect();
    for layer in &layers {
        if !check_unique_ids(layer, errors) {
            return config;
        }
    }
    let text_of = |source: Source| -> Option<&SourceText> { layers.iter().find(|l| l.source == source).map(|l| &l.text) };

    // [gate]
    let mut gate = GateFile::default();
    let mut gate_source = Source::Project;
    let mut budget_source = Source::Project;
    for layer in &layers {
        if let Some(g) = layer.file.gate.clone() {
            if g.max_rounds.is_some() {
                gate_source = layer.source;
            }
            if g.budget_usd.is_some() {
                budget_source = layer.source;
            }
            overlay_gate(&mut gate, g);
        }
    }
    config.gate = GateSettings {
        max_rounds: gate.max_rounds.as_ref().map_or(DEFAULT_MAX_ROUNDS, |m| *m.get_ref()),
        feedback: gate.feedback.unwrap_or_default(),
        on_infra_error: gate.on_infra_error.unwrap_or_default(),
        budget_usd: gate.budget_usd.as_ref().map(|b| *b.get_ref()),
    };
    if let (Some(b), Some(text)) = (&gate.budget_usd, text_of(budget_source)) {
        // NaN fails the comparison too, so it is rejected with the rest.
        if !(b.get_ref().is_finite() && *b.get_ref() > 0.0) {
            config.gate.budget_usd = None;
            errors.push(text.at(b.span(), None, Some("gate.budget_usd"), format!("budget_usd is a cost in US dollars: a positive number such as 2.0, not {}", b.get_ref())));
        }
    }
    if let (Some(m), Some(text)) = (&gate.max_rounds, text_of(gate_source)) {
        if *m.get_ref() == 0 {
            errors.push(text.at(m.span(), None, Some("gate.max_rounds"), "max_rounds counts the person's own turn: it is at least 1"));
        }
    }

    config.worktree = super::worktree::merge(&layers, errors);

    // Entries, project first; the person's layer overrides by id or adds.
    let mut checks: Vec<Pending<CheckFile>> = Vec::new();
    let mut webhooks: Vec<Pending<WebhookFile>> = Vec::new();
    let mut reviews: Vec<Pending<ReviewFile>> = Vec::new();
    for layer in &layers {
        for entry in &layer.file.checks {
            let raw = entry.get_ref().clone();
            let id = raw.id.get_ref().clone();
            match checks.iter_mut().find(|c| c.raw.id.get_ref() == &id) {
                Some(existing) if layer.source == Source::Personal => overlay_check(&mut existing.raw, raw, &mut existing.overridden),
                _ if layer.source == Source::Personal && other_kind(&webhooks, &reviews, &id) => {
                    errors.push(layer.text.at(raw.id.span(), Some(&id), Some("id"), format!("`{id}` is not a check in the project file: an override keeps the entry's kind")));
                }
                _ => checks.push(Pending { raw, source: layer.source, overridden: Vec::new() }),
            }
        }
        for entry in &layer.file.webhooks {
            let raw = entry.get_ref().clone();
            let id = raw.id.get_ref().clone();
            match webhooks.iter_mut().find(|w| w.raw.id.get_ref() == &id) {
                Some(existing) if layer.source == Source::Personal => overlay_webhook(&mut existing.raw, raw, &mut existing.overridden),
                _ if layer.source == Source::Personal && (checks.iter().any(|c| c.raw.id.get_ref() == &id) || reviews.iter().any(|r| r.raw.id.get_ref() == &id)) => {
                    errors.push(layer.text.at(raw.id.span(), Some(&id), Some("id"), format!("`{id}` is not a webhook in the project file: an override keeps the entry's kind")));
                }
                _ => webhooks.push(Pending { raw, source: layer.source, overridden: Vec::new() }),
            }
        }
        for entry in &layer.file.reviews {
            let raw = entry.get_ref().clone();
            let id = raw.id.get_ref().clone();
            match reviews.iter_mut().find(|r| r.raw.id.get_ref() == &id) {
                Some(existing) if layer.source == Source::Personal => overlay_review(&mut existing.raw, raw, &mut existing.overridden),
                _ if layer.source == Source::Personal && (checks.iter().any(|c| c.raw.id.get_ref() == &id) || webhooks.iter().any(|w| w.raw.id.get_ref() == &id)) => {
                    errors.push(layer.text.at(raw.id.span(), Some(&id), Some("id"), format!("`{id}` is not a review in the project file: an override keeps the entry's kind")));
                }
                _ => reviews.push(Pending { raw, source: layer.source, overridden: Vec::new() }),
            }
        }
    }

    // Resolution. A field's errors point into the file that set it.
    let field_text = |p_source: Source, overridden: &[String], field: &str| -> Option<&SourceText> {
        if overridden.iter().any(|o| o == field) {
            text_of(Source::Personal)
        } else {
            text_of(p_source)
        }
    };
    // Ids of every check, those with errors too, so one error does not cascade into `after`.
    let all_checks: Vec<String> = checks.iter().map(|c| c.raw.id.get_ref().clone()).collect();
    for pending in checks {
        let id_text = match text_of(pending.source) {
            Some(text) => text,
            None => continue,
        };
        match resolve_check(project_dir, &pending, &config.gate, id_text, &field_text, errors) {
            Some(check) => config.checks.push(check),
            None => config.unresolved.push(unresolved(EntryKind::Check, &pending.raw.id, pending.source, id_text)),
        }
    }
    for pending in webhooks {
        let Some(id_text) = text_of(pending.source) else { continue };
        match resolve_webhook(&pending, id_text, &field_text, errors) {
            Some(webhook) => config.webhooks.push(webhook),
            None => config.unresolved.push(unresolved(EntryKind::Webhook, &pending.raw.id, pending.source, id_text)),
        }
    }
    for pending in reviews {
        let Some(id_text) = text_of(pending.source) else { continue };
        match resolve_review(&pending, &config.gate, id_text, &field_text, errors) {
            Some(review) => config.reviews.push(review),
            None => config.unresolved.push(unresolved(EntryKind::Review, &pending.raw.id, pending.source, id_text)),
        }
    }
    check_references(&config, &all_checks, &layers, errors);
    config.pipelines = super::pipeline::merge(&layers, config.gate.max_rounds, errors);
    config
}

fn other_kind(webhooks: &[Pending<WebhookFile>], reviews: &[Pending<ReviewFile>], id: &str) -> bool {
    webhooks.iter().any(|w| w.raw.id.get_ref() == id) || reviews.iter().any(|r| r.raw.id.get_ref() == id)
}

fn unresolved(kind: EntryKind, id: &Spanned<String>, source: Source, text: &SourceText) -> Unresolved {
    Unresolved { id: id.get_ref().clone(), kind, source, location: location(text, id.span()) }
}

fn location(text: &SourceText, span: Range<usize>) -> Location {
    Location { file: text.shown.clone(), line: super::error::line_column(&text.text, span.start).0 }
}

fn disabled_by(flag: Option<bool>, source: Source, overridden: &[String]) -> Option<Disabled> {
    match flag {
        Some(true) if source == Source::Personal || overridden.iter().any(|o| o == "disabled") => Some(Disabled::InPersonalLayer),
        Some(true) => Some(Disabled::InProjectFile),
        _ => None,
    }
}

type FieldText<'a> = dyn Fn(Source, &[String], &str) -> Option<&'a SourceText> + 'a;

fn resolve_check(
    project_dir: &Path,
    pending: &Pending<CheckFile>,
    gate: &GateSettings,
    id_text: &SourceText,
    field_text: &FieldText<'_>,
    errors: &mut Vec<ConfigError>,
) -> Option<Entry<Check>> {
    let raw = &pending.raw;
    let id = raw.id.get_ref().clone();
    let before = errors.len();
    let at = pending.field_error(raw.id.get_ref(), id_text, field_text);
    let command = match (&raw.run, &raw.shell) {
        (Some(_), Some(shell)) => {
            errors.push(at("shell", shell.span(), "`run` and `shell` are both set: a check has one command".to_owned()));
            None
        }
        (Some(run), None) if run.get_ref().is_empty() || run.get_ref()[0].trim().is_empty() => {
            errors.push(at("run", run.span(), "`run` needs the program first, e.g. [\"cargo\", \"test\"]".to_owned()));
            None
        }
        (Some(run), None) => Some(CheckCommand::Argv(run.get_ref().clone())),
        (None, Some(shell)) if shell.get_ref().trim().is_empty() => {
            errors.push(at("shell", shell.span(), "`shell` is empty".to_owned()));
            None
        }
        (None, Some(shell)) => Some(CheckCommand::Shell(shell.get_ref().clone())),
        (None, None) => {
            errors.push(id_text.at(raw.id.span(), Some(&id), None, "the check has no command: add run = [\"program\", \"arg\"] or shell = \"…\"".to_owned()));
            None
        }
    };
    let cwd = match &raw.cwd {
        None => ".".to_owned(),
        Some(cwd) => match resolve_cwd(project_dir, cwd.get_ref()) {
            // A folder that does not exist yet (a build output) is checked again before running.
            Ok(_) | Err(CwdError::Missing { .. }) => super::cwd::normalize_cwd(cwd.get_ref()).unwrap_or_else(|_| ".".to_owned()),
            Err(e) => {
                errors.push(at("cwd", cwd.span(), e.to_string()));
                ".".to_owned()
            }
        },
    };
    let env = raw.env.clone().unwrap_or_default();
    for name in env.keys() {
        if name.is_empty() || name.contains('=') || name.contains('\0') {
            errors.push(id_text.at(raw.id.span(), Some(&id), Some("env"), format!("`{name}` cannot be an environment variable's name")));
        }
    }
    let when = raw.when.clone().unwrap_or_default();
    if errors.len() > before {
        return None;
    }
    let spec = Check {
        id: id.clone(),
        name: raw.name.clone().unwrap_or_else(|| id.clone()),
        on: raw.on.unwrap_or_default(),
        when: When {
            changed: when.changed,
            agent: when.agent.map(|a| a.0).unwrap_or_default(),
            command: when.command,
            exit_code: when.exit_code,
            success: when.success,
            tool_kind: when.tool_kind.map(|a| a.0).unwrap_or_default(),
            min_changed_lines: when.min_changed_lines,
            round: when.round.map(|r| r.0).unwrap_or_default(),
        },
        command: command?,
        cwd,
        env,
        timeout: raw.timeout.map_or(DEFAULT_CHECK_TIMEOUT, |t| t.0),
        mode: raw.mode.unwrap_or(Mode::Sync),
        gate: raw.gate.unwrap_or(true),
        feedback: raw.feedback.unwrap_or(gate.feedback),
        feedback_template: raw.feedback_template.clone(),
        after: raw.after.as_ref().map(|a| a.get_ref().clone()).unwrap_or_default(),
        parse: raw.parse.clone().unwrap_or(super::values::ParserSpec::ExitCode),
    };
    Some(Entry {
        id,
        source: pending.source,
        overridden: pending.overridden.clone(),
        disabled: disabled_by(raw.disabled, pending.source, &pending.overridden),
        location: location(id_text, raw.id.span()),
        spec,
    })
}

fn resolve_review(
    pending: &Pending<ReviewFile>,
    gate: &GateSettings,
    id_text: &SourceText,
    field_text: &FieldText<'_>,
    errors: &mut Vec<ConfigError>,
) -> Option<Entry<Review>> {
    let raw = &pending.raw;
    let id = raw.id.get_ref().clone();
    let before = errors.len();
    let at = pending.field_error(raw.id.get_ref(), id_text, field_text);
    let agent = match &raw.agent {
        None => {
            errors.push(id_text.at(raw.id.span(), Some(&id), Some("agent"), "the review names no reviewer: add agent = \"codex\" (or \"claude\", \"gemini\", a custom agent's name)".to_owned()));
            None
        }
        Some(agent) => match ReviewAgent::parse(agent.get_ref()) {
            Ok(agent) => Some(agent),
            Err(message) => {
                errors.push(at("agent", agent.span(), message));
                None
            }
        },
    };
    if let Some(budget) = &raw.budget_usd {
        if !(budget.get_ref().is_finite() && *budget.get_ref() > 0.0) {
            errors.push(at("budget_usd", budget.span(), format!("budget_usd is a cost in US dollars: a positive number such as 0.5, not {}", budget.get_ref())));
        }
    }
    if errors.len() > before {
        return None;
    }
    let when = raw.when.clone().unwrap_or_default();
    // The entry's own `min_changed_lines` and `when.min_changed_lines` mean the same: the larger holds.
    let min_changed_lines = match (raw.min_changed_lines, when.min_changed_lines) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let severity = |s: &SeverityName| match s {
        SeverityName::Critical => ReviewSeverity::Critical,
        SeverityName::High => ReviewSeverity::High,
        SeverityName::Medium => ReviewSeverity::Medium,
        SeverityName::Low => ReviewSeverity::Low,
    };
    let mut block_on: Vec<ReviewSeverity> = raw.block_on.as_ref().map_or_else(|| DEFAULT_BLOCK_ON.to_vec(), |b| b.iter().map(severity).collect());
    block_on.sort();
    block_on.dedup();
    Some(Entry {
        id: id.clone(),
        source: pending.source,
        overridden: pending.overridden.clone(),
        disabled: disabled_by(raw.disabled, pending.source, &pending.overridden),
        location: location(id_text, raw.id.span()),
        spec: Review {
            id,
            agent: agent?,
            model: raw.model.clone().filter(|m| !m.trim().is_empty()),
            instructions: raw.instructions.clone().filter(|i| !i.trim().is_empty()),
            scope: raw.scope.unwrap_or_default(),
            after: raw.after.as_ref().map(|a| a.get_ref().clone()).unwrap_or_default(),
            block_on,
            feedback: raw.feedback.unwrap_or(gate.feedback),
            budget_usd: raw.budget_usd.as_ref().map(|b| *b.get_ref()),
            when: When {
                changed: when.changed,
                agent: when.agent.map(|a| a.0).unwrap_or_default(),
                command: when.command,
                exit_code: when.exit_code,
                success: when.success,
                tool_kind: when.tool_kind.map(|a| a.0).unwrap_or_default(),
                min_changed_lines,
                round: when.round.map(|r| r.0).unwrap_or_default(),
            },
            timeout: raw.timeout.map_or(DEFAULT_REVIEW_TIMEOUT, |t| t.0),
        },
    })
}

fn resolve_webhook(pending: &Pending<WebhookFile>, id_text: &SourceText, field_text: &FieldText<'_>, errors: &mut Vec<ConfigError>) -> Option<Entry<Webhook>> {
    let raw = &pending.raw;
    let id = raw.id.get_ref().clone();
    let before = errors.len();
    let at = pending.field_error(raw.id.get_ref(), id_text, field_text);
    let whole = |field: &str, message: String| id_text.at(raw.id.span(), Some(&id), Some(field), message);
    let allow_private = raw.allow_private.unwrap_or(false);
    let url = match &raw.url {
        None => {
            errors.push(whole("url", "the webhook has no `url`".to_owned()));
            None
        }
        Some(url) => match check_url(url.get_ref(), allow_private) {
            Ok(()) => Some(url.get_ref().clone()),
            Err(message) => {
                errors.push(at("url", url.span(), message));
                None
            }
        },
    };
    let events = raw.events.clone().unwrap_or_default();
    if events.is_empty() {
        errors.push(whole("events", "the webhook lists no events: e.g. events = [\"task.finished\"]".to_owned()));
    }
    let signature = raw.signature.unwrap_or_default();
    if signature != Signature::None && raw.secret.is_none() {
        errors.push(whole(
            "secret",
            "a signed webhook needs its secret: secret = { env = \"NAME\" } or { keychain = \"service/name\" } (or signature = \"none\" to send unsigned requests)".to_owned(),
        ));
    }
    let on_failure = raw.on_failure.unwrap_or_default();
    let fallback = raw.fallback.as_ref().map(|f| f.get_ref().clone()).unwrap_or_default();
    if on_failure == OnFailure::Fallback && fallback.is_empty() {
        errors.push(whole("fallback", "on_failure = \"fallback\" needs the checks to run: fallback = [\"tests\"]".to_owned()));
    }
    if errors.len() > before {
        return None;
    }
    let retry = raw.retry.clone().unwrap_or_default();
    let disabled = disabled_by(raw.disabled, pending.source, &pending.overridden);
    Some(Entry {
        id: id.clone(),
        source: pending.source,
        overridden: pending.overridden.clone(),
        disabled,
        location: location(id_text, raw.id.span()),
        spec: Webhook {
            id,
            url: url?,
            events,
            secret: raw.secret.clone(),
            signature,
            timeout: raw.timeout.map_or(DEFAULT_WEBHOOK_TIMEOUT, |t| t.0),
            retry_schedule: retry.schedule.map_or_else(|| DEFAULT_RETRY_SCHEDULE.to_vec(), |s| s.into_iter().map(|d| d.0).collect()),
            jitter: retry.jitter.unwrap_or_default(),
            mode: raw.mode.unwrap_or(Mode::Async),
            on_failure,
            fallback,
            allow_private,
        },
    })
}

/// An http(s) URL with a host; loopback, private, link-local and unspecified addresses (and
/// `localhost`) only with `allow_private`. Names that resolve to such addresses can only be
/// caught when connecting, by the delivery.
pub fn check_url(text: &str, allow_private: bool) -> Result<(), String> {
    let url = url::Url::parse(text).map_err(|e| format!("`{text}` is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("`{text}`: webhooks are sent over http or https"));
    }
    let private = match url.host() {
        None => return Err(format!("`{text}` has no host")),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified() || ip.is_broadcast(),
        Some(url::Host::Ipv6(ip)) => {
            let mapped = ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback() || v4.is_private() || v4.is_link_local());
            // fc00::/7 unique local, fe80::/10 link-local.
            ip.is_loopback() || ip.is_unspecified() || mapped || (ip.segments()[0] & 0xfe00) == 0xfc00 || (ip.segments()[0] & 0xffc0) == 0xfe80
        }
    };
    if private && !allow_private {
        return Err(format!(
            "`{text}` is a loopback or private address: set allow_private = true on this webhook to send there"
        ));
    }
    Ok(())
}

/// `after` names checks that exist and makes no cycle; `fallback` names checks that exist.
fn check_references(config: &GateConfig, all_checks: &[String], layers: &[&Layer], errors: &mut Vec<ConfigError>) {
    // The span of a check's `after` or a webhook's `fallback` in whichever layer set it last.
    let span_of = |id: &str, field: &str| -> Option<(&SourceText, Range<usize>)> {
        layers.iter().rev().find_map(|layer| {
            let found = match field {
                "after" => layer.file.checks.iter().find(|c| c.get_ref().id.get_ref() == id).and_then(|c| c.get_ref().after.as_ref().map(Spanned::span)),
                "review.after" => layer.file.reviews.iter().find(|r| r.get_ref().id.get_ref() == id).and_then(|r| r.get_ref().after.as_ref().map(Spanned::span)),
                _ => layer.file.webhooks.iter().find(|w| w.get_ref().id.get_ref() == id).and_then(|w| w.get_ref().fallback.as_ref().map(Spanned::span)),
            };
            found.map(|span| (&layer.text, span))
        })
    };
    let known: BTreeMap<&str, &Check> = config.checks.iter().map(|c| (c.id.as_str(), &c.spec)).collect();
    let mut refs_ok = true;
    for check in &config.checks {
        for other in &check.spec.after {
            if !all_checks.contains(other) {
                refs_ok = false;
                if let Some((text, span)) = span_of(&check.id, "after") {
                    errors.push(text.at(span, Some(&check.id), Some("after"), format!("`after` names `{other}`, which is not a check here")));
                }
            }
        }
    }
    for review in &config.reviews {
        for other in &review.spec.after {
            if !all_checks.contains(other) {
                if let Some((text, span)) = span_of(&review.id, "review.after") {
                    errors.push(text.at(span, Some(&review.id), Some("after"), format!("`after` names `{other}`, which is not a check here")));
                }
            }
        }
    }
    for webhook in &config.webhooks {
        for other in &webhook.spec.fallback {
            if !all_checks.contains(other) {
                if let Some((text, span)) = span_of(&webhook.id, "fallback") {
                    errors.push(text.at(span, Some(&webhook.id), Some("fallback"), format!("`fallback` names `{other}`, which is not a check here")));
                }
            }
        }
    }
    if !refs_ok || known.len() < all_checks.len() {
        return;
    }
    if let Some(cycle) = find_cycle(&known) {
        if let Some((text, span)) = span_of(&cycle[0], "after") {
            errors.push(text.at(span, Some(&cycle[0]), Some("after"), format!("`after` makes a cycle: {}", cycle.join(" → "))));
        }
    }
}

/// A cycle in the `after` graph, as ids from its first check back to it.
fn find_cycle(checks: &BTreeMap<&str, &Check>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit<'a>(id: &'a str, checks: &BTreeMap<&'a str, &'a Check>, marks: &mut HashMap<&'a str, Mark>, path: &mut Vec<&'a str>) -> Option<Vec<String>> {
        match marks.get(id) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = path.iter().position(|p| *p == id).unwrap_or(0);
                let mut cycle: Vec<String> = path[start..].iter().map(|s| (*s).to_owned()).collect();
                cycle.push(id.to_owned());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(id, Mark::Open);
        path.push(id);
        if let Some(check) = checks.get(id) {
            for next in &check.after {
                if let Some((key, _)) = checks.get_key_value(next.as_str()) {
                    if let Some(cycle) = visit(key, checks, marks, path) {
                        return Some(cycle);
                    }
                }
            }
        }
        path.pop();
        marks.insert(id, Mark::Done);
        None
    }
    let mut marks = HashMap::new();
    for id in checks.keys() {
        let mut path = Vec::new();
        if let Some(cycle) = visit(id, checks, &mut marks, &mut path) {
            return Some(cycle);
        }
    }
    None
}
