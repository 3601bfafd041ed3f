//! The agent's questions with choices answered in Warden, with the real CLIs against the mock
//! models: Claude Code's (2.1.329) `AskUserQuestion`, whose answers reach the model in the tool
//! result, answers that do not fit the question refused before anything is sent; and Codex's
//! (0.169) `request_user_input`, offered outside plan mode once its
//! `default_mode_request_user_input` feature is on.

use crate::support::*;
use serde_json::json;
use warden_core::session::*;
use warden_engine::{NewSession, RunOptions};
use warden_mock_models::{AnthropicMock, OpenAiMock, Reply};

fn ask() -> Reply {
    Reply::tool(
        "AskUserQuestion",
        json!({"questions": [
            {"question": "Which colour?", "header": "Colour", "multiSelect": false,
             "options": [{"label": "Red", "description": "warm"}, {"label": "Blue", "description": "cool"}]},
            {"question": "Which sizes?", "header": "Sizes", "multiSelect": true,
             "options": [{"label": "S", "description": "small"}, {"label": "L", "description": "large"}]}]}),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_persons_answers_reach_the_model_as_the_tool_result() {
    let world = World::new();
    let mock = AnthropicMock::start(vec![ask(), Reply::text("Blue it is.")]).unwrap();
    let mut run = Run::start(&world.engine, world.project.path(), claude(), claude_env(world.home.path(), &mock.url())).await;
    run.handle.prompt("Pick a colour with me").await.unwrap();
    let question = run.permission().await;
    let ToolInput::Question { questions } = &question.input else { panic!("a question: {:?}", question.input) };
    assert_eq!(questions.len(), 2);
    assert_eq!(questions[0].options[1].description.as_deref(), Some("cool"));
    assert!(questions[1].multi_select && questions[0].allows_other);

    let wrong = vec![QuestionAnswer { index: 0, picked: vec!["Red".into(), "Blue".into()], other: None }];
    let refused = run.handle.resolve(question.request_id.clone(), PermissionAnswer::answered(wrong), DecisionSource::User).await;
    assert!(matches!(refused, Err(warden_engine::SessionError::BadAnswer(_))), "{refused:?}");

    let answers = vec![
        QuestionAnswer { index: 0, picked: vec!["Blue".into()], other: None },
        QuestionAnswer { index: 1, picked: vec!["S".into()], other: Some("XL".into()) },
    ];
    run.handle.resolve(question.request_id, PermissionAnswer::answered(answers), DecisionSource::User).await.expect("still waiting");
    let ended = run.turn_end().await;
    assert_eq!(ended.stop_reason, StopReason::EndTurn, "{:#?}", run.kinds());
    let requests = mock.requests();
    let second = requests.get(1).expect("the model was asked again").to_string();
    // Claude words the result by whether an answer is the person's own ("The user answered: …").
    assert!(second.contains("tool_result") && second.contains("answered"), "{second}");
    assert!(second.contains(r#"\"Which colour?\"=\"Blue\""#), "{second}");
    assert!(second.contains(r#"\"Which sizes?\"=\"S, XL\""#), "{second}");
    let resolved = run.events.iter().any(|e| {
        matches!(&e.kind, SessionEventKind::PermissionResolved(r) if r.decision == PermissionDecision::AllowOnce && r.source == DecisionSource::User)
    });
    assert!(resolved, "recorded as answered by the person");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codexs_request_for_input_is_answered_by_question_id() {
    let world = World::new();
    let ask = Reply::tool(
        "request_user_input",
        json!({"questions": [{"id": "colour", "header": "Colour", "question": "Which colour?",
            "options": [{"label": "Red (Recommended)", "description": "warm"}, {"label": "Blue", "description": "cool"}]}]}),
    );
    let mock = OpenAiMock::start(vec![ask, Reply::text("Blue it is.")]).unwrap();
    let env = codex_env(world.home.path(), &mock.url());
    let config = world.home.path().join(".codex/config.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[features]\ndefault_mode_request_user_input = true\n");
    std::fs::write(&config, text).unwrap();
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        agent: AgentKind::Codex,
        run: RunOptions { binary: Some(codex()), env, ..Default::default() },
        ..Default::default()
    };
    let mut run = Run::start_session(&world.engine, new).await;
    run.handle.prompt("Pick a colour with me").await.unwrap();
    let question = run.permission().await;
    let ToolInput::Question { questions } = &question.input else { panic!("a question: {:?}", question.input) };
    assert_eq!(questions[0].id.as_deref(), Some("colour"));
    let answers = vec![QuestionAnswer { index: 0, picked: vec!["Blue".into()], other: None }];
    run.handle.resolve(question.request_id, PermissionAnswer::answered(answers), DecisionSource::User).await.expect("still waiting");
    let ended = run.turn_end().await;
    assert_eq!(ended.stop_reason, StopReason::EndTurn, "{:#?}", run.kinds());
    let requests = mock.requests();
    let second = requests.get(1).expect("the model was asked again").to_string();
    assert!(second.contains("function_call_output") && second.contains("Blue"), "{second}");
    run.stop().await;
}
