//! The agent's requests for the client's I/O, done by the actor. Files (ACP's `fs/read_text_file`
//! and `fs/write_text_file`) here: only inside the project, and a write recorded by the file
//! journal as a change of the tool call it belongs to (or, when the adapter cannot tell which,
//! of the turn). Terminals in `terminal_requests.rs`.

use super::Actor;
use crate::adapter::{ClientAction, ClientRequest, ClientResult};
use std::path::{Component, Path, PathBuf};
use warden_core::session::ToolInput;

impl Actor {
    pub(super) fn client_request(&mut self, request: ClientRequest) {
        let result = match &request.action {
            ClientAction::ReadTextFile { .. } | ClientAction::WriteTextFile { .. } => self.file_request(&request),
            _ => match self.terminal_request(&request) {
                Some(result) => result,
                None => return,
            },
        };
        self.answer_client(&request.id, result);
    }

    /// Answers the agent's request `id` with `result`, and shows what follows from it.
    pub(super) fn answer_client(&mut self, id: &str, result: ClientResult) {
        let (lines, events) = self.adapter.answer_client_request(id, result);
        for event in events {
            self.emit(event);
        }
        for line in lines {
            self.write(line);
        }
    }

    fn file_request(&mut self, request: &ClientRequest) -> ClientResult {
        if let Some(refusal) = self.veto_file(request) {
            return ClientResult::Refused(refusal);
        }
        let call = match &request.action {
            ClientAction::WriteTextFile { .. } => request.tool_call_id.clone(),
            _ => None,
        };
        // What changed before the write is not the call's doing; the write is.
        if let Some(call) = &call {
            self.record(|r| r.begin_tool_call(call));
        }
        let result = fulfil(&request.project, &request.action);
        if let Some(call) = &call {
            self.record(|r| r.end_tool_call(call));
        }
        result
    }

    /// Why a deny rule forbids a file request: a read is checked as `Read` of the path, a
    /// write as `Write` and as `Edit`, both for the path the agent named and for where it
    /// really leads inside the project (a link's target). The agent does not ask before these
    /// requests, so this is where deny rules hold for them.
    fn veto_file(&mut self, request: &ClientRequest) -> Option<String> {
        let (path, tools, verb): (&Path, &[&str], &str) = match &request.action {
            ClientAction::ReadTextFile { path, .. } => (path, &["Read"], "read"),
            ClientAction::WriteTextFile { path, .. } => (path, &["Write", "Edit"], "write"),
            _ => return None,
        };
        let mut paths = vec![path.to_owned()];
        if let Ok(real) = confine(&request.project, path) {
            if real != path {
                paths.push(real);
            }
        }
        for tool in tools {
            for path in &paths {
                let text = path.to_string_lossy().into_owned();
                let input = match *tool {
                    "Read" => ToolInput::Read { path: text, offset: None, limit: None, cwd: None },
                    "Write" => ToolInput::Write { path: text, content: String::new(), cwd: None },
                    _ => ToolInput::Edit { path: text, edits: Vec::new(), cwd: None },
                };
                let (auto, warning) = self.policy.veto(tool, &input);
                if let Some(warning) = warning {
                    self.warn(warning);
                }
                if let Some(auto) = auto {
                    let reason = auto.message.unwrap_or_else(|| "a deny rule forbids it".to_owned());
                    let shown = path.display();
                    self.warn(format!("Warden did not let the agent {verb} {shown}: {reason}"));
                    return Some(format!("Warden did not {verb} {shown}: {reason}"));
                }
            }
        }
        None
    }
}

/// Does the file request, inside `project` only.
pub(crate) fn fulfil(project: &Path, action: &ClientAction) -> ClientResult {
    match action {
        ClientAction::ReadTextFile { path, line, limit } => {
            let path = match confine(project, path) {
                Ok(p) => p,
                Err(why) => return ClientResult::Refused(why),
            };
            match std::fs::read(&path) {
                Ok(bytes) => ClientResult::Read(lines(&String::from_utf8_lossy(&bytes), *line, *limit)),
                // Gemini CLI reads a file before writing it and fails the write on an error
                // here, even "not found" (PROTOCOLS.md §4): a missing file reads as empty.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => ClientResult::Read(String::new()),
                Err(e) => ClientResult::Failed(format!("could not read {}: {e}", path.display())),
            }
        }
        ClientAction::WriteTextFile { path, content } => {
            if let Err(why) = confine(project, path) {
                return ClientResult::Refused(why);
            }
            // The path as the agent named it, each folder on the way a real one (a link is
            // refused, even one leading inside), and a temporary file renamed over the target
            // (file_write.rs).
            match crate::session::file_write::write_beneath(project, path, content.as_bytes()) {
                Ok(()) => ClientResult::Written,
                Err(crate::session::file_write::WriteError::Refused(why)) => ClientResult::Refused(why),
                Err(crate::session::file_write::WriteError::Failed(why)) => ClientResult::Failed(why),
            }
        }
        _ => ClientResult::Failed("not a file request".to_owned()),
    }
}

/// `path` when it is inside `project`, with symbolic links followed as far as the path exists;
/// otherwise why not.
pub(super) fn confine(project: &Path, path: &Path) -> Result<PathBuf, String> {
    if !path.is_absolute() {
        return Err(format!("'{}' is not an absolute path (the protocol wants absolute paths)", path.display()));
    }
    if path.components().any(|c| c == Component::ParentDir) {
        return Err(format!("'{}' contains '..'; Warden takes only plain paths inside the project", path.display()));
    }
    let root = project.canonicalize().map_err(|e| format!("the project folder {} is not readable: {e}", project.display()))?;
    // The deepest part that exists decides where the path really leads.
    let mut existing = path.to_owned();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(&existing).is_err() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_owned());
                existing = parent.to_owned();
            }
            _ => break,
        }
    }
    let mut real = existing.canonicalize().map_err(|e| format!("could not resolve {}: {e}", path.display()))?;
    real.extend(rest.iter().rev());
    if real.starts_with(&root) {
        Ok(real)
    } else {
        Err(format!(
            "{} is outside the project folder {}; Warden lets the agent read, write and run commands only inside the project",
            path.display(),
            root.display()
        ))
    }
}

/// `limit` lines of `text` from line `line` (1-based) on.
fn lines(text: &str, line: Option<u32>, limit: Option<u32>) -> String {
    if line.is_none() && limit.is_none() {
        return text.to_owned();
    }
    let skip = line.map_or(0, |l| l.saturating_sub(1) as usize);
    let take = limit.map_or(usize::MAX, |l| l as usize);
    text.split_inclusive('\n').skip(skip).take(take).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_stay_inside_the_project() {
        let project = tempfile::tempdir().unwrap();
        let root = project.path().canonicalize().unwrap();
        let write = |path: PathBuf| fulfil(&root, &ClientAction::WriteTextFile { path, content: "x\n".into() });
        assert_eq!(write(root.join("new/dir/a.txt")), ClientResult::Written, "missing folders inside are created");
        assert_eq!(std::fs::read_to_string(root.join("new/dir/a.txt")).unwrap(), "x\n");
        let outside = tempfile::tempdir().unwrap();
        let ClientResult::Refused(why) = write(outside.path().join("b.txt")) else { panic!("a write outside is refused") };
        assert!(why.contains("outside the project folder"), "{why}");
        assert!(!outside.path().join("b.txt").exists());
        assert!(matches!(write(root.join("../escape.txt")), ClientResult::Refused(_)), "'..' never leads out");
        assert!(matches!(write(PathBuf::from("relative.txt")), ClientResult::Refused(_)));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.path(), root.join("link")).unwrap();
            assert!(matches!(write(root.join("link/c.txt")), ClientResult::Refused(_)), "a link out of the project is followed");
            assert!(!outside.path().join("c.txt").exists());
        }
    }

    #[test]
    fn a_missing_file_reads_empty_and_line_and_limit_pick_lines() {
        let project = tempfile::tempdir().unwrap();
        let root = project.path().canonicalize().unwrap();
        let read = |name: &str, line, limit| fulfil(&root, &ClientAction::ReadTextFile { path: root.join(name), line, limit });
        assert_eq!(read("missing.txt", None, None), ClientResult::Read(String::new()));
        std::fs::write(root.join("f.txt"), "one\ntwo\nthree\n").unwrap();
        assert_eq!(read("f.txt", None, None), ClientResult::Read("one\ntwo\nthree\n".into()));
        assert_eq!(read("f.txt", Some(2), Some(1)), ClientResult::Read("two\n".into()));
        assert_eq!(read("f.txt", Some(3), None), ClientResult::Read("three\n".into()));
    }
}
