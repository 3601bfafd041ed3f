//! The recent remote projects: newest first, one entry per (kind, destination, folder), at
//! most [`RECENT_REMOTE_LIMIT`]. Kept in the same settings file as the recent projects
//! (`recent_store`), under their own key. The stored list is read entry by entry: an entry of
//! the older shape (the target's fields repeated beside the label) is read too, and an entry
//! that cannot be used (malformed, or with settings Warden refuses, e.g. an ssh option that
//! runs a command) is named in a sentence and written back as it was, so nothing is lost.

use super::target;
use super::types::{RecentRemoteProject, RemoteKind, RemoteTarget};
use serde::Deserialize;
use serde_json::Value;
use warden_remote::SshExtra;

/// How many recent remote projects are kept.
pub const RECENT_REMOTE_LIMIT: usize = 20;

/// The list with `entry` first (replacing the same project's older entry).
pub fn remember(mut list: Vec<RecentRemoteProject>, entry: RecentRemoteProject) -> Vec<RecentRemoteProject> {
    let t = &entry.target;
    list.retain(|e| !e.is(t.kind, &t.destination, &t.folder));
    list.insert(0, entry);
    normalized(list)
}

/// The list without that project.
pub fn forget(mut list: Vec<RecentRemoteProject>, kind: RemoteKind, destination: &str, folder: &str) -> Vec<RecentRemoteProject> {
    list.retain(|e| !e.is(kind, destination, folder));
    list
}

/// Newest first, no duplicates, at most the limit (a stored list may have been edited by hand).
pub fn normalized(mut list: Vec<RecentRemoteProject>) -> Vec<RecentRemoteProject> {
    list.sort_by_key(|e| std::cmp::Reverse(e.last_opened_ms));
    let mut kept: Vec<RecentRemoteProject> = Vec::with_capacity(list.len().min(RECENT_REMOTE_LIMIT));
    for entry in list {
        if kept.len() < RECENT_REMOTE_LIMIT && !kept.iter().any(|k| k.is(entry.target.kind, &entry.target.destination, &entry.target.folder)) {
            kept.push(entry);
        }
    }
    kept
}

/// A stored list, read.
#[derive(Debug, Default)]
pub struct Decoded {
    /// The entries that can be used, as stored (not yet [`normalized`]).
    pub entries: Vec<RecentRemoteProject>,
    /// The stored values that cannot, unchanged, to be written back.
    pub unreadable: Vec<Value>,
    /// Why each of those cannot be used, one sentence each.
    pub problems: Vec<String>,
}

/// The older shape of an entry, with the target's fields beside the label.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OldEntry {
    kind: RemoteKind,
    destination: String,
    folder: String,
    label: String,
    #[serde(default)]
    ssh_args: Vec<String>,
    #[serde(default)]
    remote_warden: Option<String>,
    #[serde(default)]
    container_engine: Option<String>,
    last_opened_ms: u64,
}

/// One stored entry, or why it cannot be used.
fn decode_entry(value: &Value) -> Result<RecentRemoteProject, String> {
    let entry = if value.get("target").is_some() {
        serde_json::from_value::<RecentRemoteProject>(value.clone()).map_err(|e| e.to_string())?
    } else {
        let old = serde_json::from_value::<OldEntry>(value.clone()).map_err(|e| e.to_string())?;
        let ssh = SshExtra::parse(&old.ssh_args).map_err(|e| format!("its ssh arguments {:?}: {e}", old.ssh_args))?;
        let target = RemoteTarget { kind: old.kind, destination: old.destination, folder: old.folder, ssh, remote_warden: old.remote_warden, container_engine: old.container_engine };
        RecentRemoteProject { target, label: old.label, last_opened_ms: old.last_opened_ms }
    };
    // The same checks as a target typed in the dialog: the file may come from another machine.
    let target = target::checked(&entry.target).map_err(|e| e.to_string())?;
    // The container engine runs on this machine: a stored one may only be one of the two the
    // dialog offers (found on the PATH), never a program named by the file.
    if let Some(engine) = target.container_engine.as_deref().filter(|e| !["docker", "podman"].contains(e)) {
        return Err(format!("'{}' is not a container engine Warden runs from a stored project: docker or podman", engine.escape_debug()));
    }
    Ok(RecentRemoteProject { target, ..entry })
}

/// The stored list, entry by entry (anything but a list is one unreadable entry).
pub fn decode(value: Value) -> Decoded {
    let values = match value {
        Value::Array(values) => values,
        other => {
            let problem = format!("the recent remote projects are not a list but {other}: they are kept as they are and not used");
            return Decoded { entries: Vec::new(), unreadable: vec![other], problems: vec![problem] };
        }
    };
    let mut decoded = Decoded::default();
    for (i, value) in values.into_iter().enumerate() {
        match decode_entry(&value) {
            Ok(entry) => decoded.entries.push(entry),
            Err(why) => {
                let name = value.get("label").or_else(|| value.get("destination")).and_then(Value::as_str).map(|n| format!(" ({n})")).unwrap_or_default();
                decoded.problems.push(format!("recent remote project #{}{name} is not used: {why}; it stays in the settings file as it was", i + 1));
                decoded.unreadable.push(value);
            }
        }
    }
    decoded
}

/// The value to store: `list`, then the `unreadable` values as they were read.
pub fn encode(list: &[RecentRemoteProject], unreadable: Vec<Value>) -> Result<Value, serde_json::Error> {
    let mut values = match serde_json::to_value(list)? {
        Value::Array(values) => values,
        other => vec![other],
    };
    values.extend(unreadable);
    Ok(Value::Array(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::json;

    fn entry(destination: &str, folder: &str, at: u64) -> RecentRemoteProject {
        let target = RemoteTarget { kind: RemoteKind::Ssh, destination: destination.into(), folder: folder.into(), ssh: SshExtra::default(), remote_warden: None, container_engine: None };
        RecentRemoteProject { target, label: format!("{destination}:{folder}"), last_opened_ms: at }
    }

    #[test]
    fn newest_first_once_each_and_bounded() {
        let list = remember(Vec::new(), entry("a", "/x", 1));
        let list = remember(list, entry("b", "/x", 2));
        let list = remember(list, entry("a", "/x", 3));
        assert_eq!(list.iter().map(|e| (e.target.destination.as_str(), e.last_opened_ms)).collect::<Vec<_>>(), [("a", 3), ("b", 2)]);
        let list = forget(list, RemoteKind::Ssh, "a", "/x");
        assert_eq!(list.len(), 1);
        let many = (0..30).map(|i| entry("h", &format!("/p{i}"), i)).collect();
        let kept = normalized(many);
        assert_eq!(kept.len(), RECENT_REMOTE_LIMIT);
        assert_eq!(kept[0].target.folder, "/p29");
    }

    #[test]
    fn the_older_shape_still_loads_and_round_trips_in_the_new_one() {
        let old = json!([
            {"kind": "ssh", "destination": "dev@box", "folder": "/srv/app", "label": "dev@box:/srv/app", "sshArgs": ["-p", "2222"], "remoteWarden": null, "containerEngine": null, "lastOpenedMs": 5},
            {"kind": "container", "destination": "web", "folder": "/w", "label": "container web:/w", "containerEngine": "podman", "lastOpenedMs": 4}
        ]);
        let decoded = decode(old);
        assert!(decoded.problems.is_empty(), "{:?}", decoded.problems);
        let [ssh, container] = &decoded.entries[..] else { panic!("two entries: {:?}", decoded.entries) };
        assert_eq!((ssh.target.destination.as_str(), ssh.target.ssh.port, ssh.last_opened_ms), ("dev@box", Some(2222), 5));
        assert_eq!((container.target.kind, container.target.container_engine.as_deref()), (RemoteKind::Container, Some("podman")));
        let stored = encode(&decoded.entries, decoded.unreadable).unwrap();
        assert_eq!(stored[0]["target"]["ssh"]["port"], json!(2222), "{stored}");
        assert_eq!(decode(stored).entries, decoded.entries);
    }

    #[test]
    fn a_bad_entry_is_named_and_written_back_unchanged() {
        let evil = json!({"kind": "ssh", "destination": "box", "folder": "/srv", "label": "box:/srv", "sshArgs": ["-oProxyCommand=touch /tmp/pwned"], "lastOpenedMs": 3});
        let evil_new = json!({"target": {"kind": "ssh", "destination": "box", "folder": "/x", "ssh": {"options": [{"key": "LocalCommand", "value": "touch /tmp/pwned"}]}}, "label": "box:/x", "lastOpenedMs": 2});
        let engine = json!({"target": {"kind": "container", "destination": "web", "folder": "/w", "containerEngine": "/tmp/evil"}, "label": "w", "lastOpenedMs": 2});
        let broken = json!({"kind": "ssh", "label": "half"});
        let good = serde_json::to_value(entry("a", "/x", 1)).unwrap();
        let decoded = decode(json!([evil, good, evil_new, engine, broken]));
        assert_eq!(decoded.entries, vec![entry("a", "/x", 1)]);
        assert_eq!(decoded.problems.len(), 4, "{:?}", decoded.problems);
        assert!(decoded.problems[0].starts_with("recent remote project #1 (box:/srv) is not used") && decoded.problems[0].contains("runs a command"), "{}", decoded.problems[0]);
        assert!(decoded.problems[1].contains("#3") && decoded.problems[1].contains("LocalCommand"), "{}", decoded.problems[1]);
        assert!(decoded.problems[2].contains("docker or podman"), "{}", decoded.problems[2]);
        assert!(decoded.problems[3].contains("(half)") && decoded.problems[3].contains("missing field"), "{}", decoded.problems[3]);
        // Remembering another project keeps every bad entry as it was.
        let list = remember(decoded.entries, entry("b", "/y", 9));
        let stored = encode(&list, decoded.unreadable).unwrap();
        assert_eq!(stored.as_array().unwrap().len(), 6);
        assert_eq!(stored[2], evil);
        assert_eq!(stored[5], broken);
        let not_a_list = decode(json!({"oops": 1}));
        assert!(not_a_list.entries.is_empty() && not_a_list.problems[0].contains("not a list"));
        assert_eq!(encode(&[], not_a_list.unreadable).unwrap(), json!([{"oops": 1}]));
    }
}
