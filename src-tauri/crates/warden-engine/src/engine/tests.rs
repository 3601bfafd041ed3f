//! Each engine part refuses bad input with its own error, naming what was wrong; none of these
//! needs an agent to run.

use super::*;
use crate::discovery::AgentBinary;
use crate::sink::ChannelSink;
use std::path::PathBuf;
use warden_core::agent::CustomAgent;
use warden_core::journal::{OpId, RollbackId, RollbackTarget};
use warden_core::session::{AgentKind, PermissionMode, SessionId, SessionRecord};
use warden_core::ProjectError;

struct World {
    engine: Engine,
    _data: tempfile::TempDir,
    project: tempfile::TempDir,
}

fn world() -> World {
    let data = tempfile::tempdir().expect("a data folder");
    let project = tempfile::tempdir().expect("a project folder");
    let (engine, _) = Engine::open(data.path()).expect("the engine opens");
    World { engine, _data: data, project }
}

impl World {
    fn project(&self) -> String {
        crate::resolve_project_dir(&self.project.path().to_string_lossy()).expect("a project").to_string_lossy().into_owned()
    }

    /// Stores a session of `project` that never ran.
    fn stored_session(&self, project: &str) -> SessionId {
        let id = SessionId(uuid::Uuid::new_v4().to_string());
        let record = SessionRecord::new(id.clone(), project.to_owned(), AgentKind::Claude, None, PermissionMode::Default, 1);
        self.engine.store().create_session(&record).expect("stored");
        id
    }
}

fn sink() -> Arc<ChannelSink> {
    Arc::new(ChannelSink(tokio::sync::mpsc::unbounded_channel().0))
}

fn gone() -> String {
    "/no/such/warden/project".to_owned()
}

#[test]
fn permissions_refuse_a_missing_project_and_a_session_of_another() {
    let w = world();
    let missing = w.engine.permissions().project_rules(&gone()).unwrap_err();
    assert!(matches!(missing, PermissionsError::Project(ProjectError::NotFound { .. })), "{missing:?}");

    let unknown = SessionId("no-such-session".into());
    let err = w.engine.permissions().permission_log(&w.project(), Some(&unknown)).unwrap_err();
    assert!(matches!(&err, PermissionsError::UnknownSession(id) if *id == unknown), "{err:?}");
    assert_eq!(err.to_string(), "there is no session no-such-session");

    // A session of another project is not this project's, so its log is not shown here.
    let other = tempfile::tempdir().expect("another project");
    let theirs = w.stored_session(&other.path().to_string_lossy());
    let err = w.engine.permissions().permission_log(&w.project(), Some(&theirs)).unwrap_err();
    assert!(matches!(err, PermissionsError::UnknownSession(_)), "{err:?}");
    assert!(w.engine.permissions().permission_log(&w.project(), None).expect("an empty log").is_empty());
}

#[test]
fn history_refuses_an_id_that_is_a_path_and_a_session_claude_does_not_have() {
    let w = world();
    let claude_home = tempfile::tempdir().expect("a Claude folder");
    w.engine.history().set_claude_config_dir(Some(claude_home.path().to_owned()));
    let err = w.engine.history().import(&w.project(), "../../etc/passwd").unwrap_err();
    assert!(matches!(err, HistoryError::InvalidAgentSessionId(_)), "{err:?}");
    let err = w.engine.history().events(&w.project(), "no-such-session").unwrap_err();
    assert!(matches!(err, HistoryError::NoClaudeTranscript { .. }), "{err:?}");
    assert!(err.to_string().starts_with("Claude Code has no session no-such-session for "), "{err}");
    let err = w.engine.history().list(&gone()).unwrap_err();
    assert!(matches!(err, HistoryError::Project(_)), "{err:?}");
}

#[test]
fn files_refuse_what_was_never_recorded() {
    let w = world();
    let err = w.engine.files().file_diff(&w.project(), &RollbackTarget::Op { id: OpId(9_999) }).unwrap_err();
    assert!(matches!(&err, FilesError::NothingToRollBack(why) if why.contains("op 9999")), "{err:?}");
    let err = w.engine.files().redo(&w.project(), RollbackId(7), false).unwrap_err();
    assert!(matches!(err, FilesError::Rollback(_)), "{err:?}");
    let err = w.engine.files().file_log(&gone(), None).unwrap_err();
    assert!(matches!(err, FilesError::Project(_)), "{err:?}");
}

#[tokio::test]
async fn sessions_refuse_what_cannot_start() {
    let w = world();
    let sessions = w.engine.sessions();

    let unknown = SessionId("no-such-session".into());
    let err = sessions.resume(&unknown, RunOptions::default(), sink()).await.unwrap_err();
    assert!(matches!(err, StartError::UnknownSession(_)), "{err:?}");
    // Stored as starting and never stopped: it counts as running somewhere.
    let open = w.stored_session(&w.project());
    let err = sessions.resume(&open, RunOptions::default(), sink()).await.unwrap_err();
    assert!(matches!(err, StartError::AlreadyRunning(_)), "{err:?}");

    let custom = |name: &str| NewSession {
        project: w.project(),
        agent: AgentKind::Custom,
        agent_name: Some(name.to_owned()),
        ..NewSession::default()
    };
    let err = sessions.start(custom("nobody"), sink()).await.unwrap_err();
    assert!(matches!(&err, StartError::UnknownCustomAgent(name) if name == "nobody"), "{err:?}");
    let ghost = CustomAgent { name: "ghost".into(), command: "/no/such/agent".into(), args: Vec::new(), env: Vec::new() };
    w.engine.custom_agents_file().replace_all(&[ghost]).expect("defined");
    let err = sessions.start(custom("ghost"), sink()).await.unwrap_err();
    assert!(matches!(err, StartError::CustomAgentMissing { .. }), "{err:?}");

    let missing_program = NewSession {
        project: w.project(),
        run: RunOptions {
            binary: Some(AgentBinary { agent: AgentKind::Claude, program: PathBuf::from("/no/such/claude"), version: "0".into() }),
            env: Vec::new(),
            ..Default::default()
        },
        ..NewSession::default()
    };
    let err = sessions.start(missing_program, sink()).await.unwrap_err();
    assert!(matches!(&err, StartError::Spawn { program, .. } if program == "/no/such/claude"), "{err:?}");

    let err = sessions.start(NewSession { project: gone(), ..NewSession::default() }, sink()).await.unwrap_err();
    assert!(matches!(err, StartError::Project(_)), "{err:?}");
}
