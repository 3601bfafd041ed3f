//! Claude Code's `AskUserQuestion` answered: it arrives as a `can_use_tool` question, and the
//! answers go back in the permission answer's `updatedInput` as `answers`, keyed by each
//! question's text, several choices joined with ", " — what the tool reads and turns into the
//! tool result the model sees ("Your questions have been answered: …", checked against Claude
//! Code 2.1.329 by `tests/engine/agent_questions.rs`).

use super::adapter::ClaudeAdapter;
use super::tools;
use serde_json::{json, Map, Value};
use std::time::Instant;
use warden_core::session::*;

impl ClaudeAdapter {
    /// Answers a waiting `AskUserQuestion` with the person's answers; `None` when no such
    /// question waits or it is not a question with choices. A question left unanswered is left
    /// out (Claude tells the model it was not answered).
    pub(super) fn answer_questions(&mut self, request: &PermissionRequestId, answers: &[QuestionAnswer], now: Instant)
        -> Option<(Vec<String>, Vec<SessionEventKind>)> {
        let pending = self.permissions.get(request.as_str())?;
        let ToolInput::Question { questions } = tools::input(&pending.tool_name, &pending.input) else { return None };
        let mut keyed = Map::new();
        for answer in answers {
            let Some(asked) = questions.get(answer.index as usize) else { continue };
            let parts = answer.parts();
            if !parts.is_empty() {
                keyed.insert(asked.question.clone(), Value::String(parts.join(", ")));
            }
        }
        let pending = self.permissions.remove(request.as_str())?;
        let mut input = pending.input;
        if let Some(object) = input.as_object_mut() {
            object.insert("answers".into(), Value::Object(keyed));
        }
        let events = pending
            .tool_use_id
            .as_deref()
            .and_then(|id| self.tools.decide(id, PermissionDecision::AllowOnce, now))
            .into_iter()
            .collect();
        let line = json!({"type": "control_response", "response": {"subtype": "success", "request_id": request.as_str(),
            "response": {"behavior": "allow", "updatedInput": input}}});
        Some((vec![line.to_string()], events))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapter::AgentAdapter;
    use std::path::PathBuf;

    fn feed(adapter: &mut ClaudeAdapter, line: &str) -> Vec<crate::adapter::Output> {
        adapter.on_line(line.as_bytes(), std::time::Instant::now())
    }

    #[test]
    fn answers_go_back_keyed_by_question_with_several_choices_joined() {
        let mut a = ClaudeAdapter::new(PathBuf::from("/p"));
        let ask = r#"{"type":"control_request","request_id":"q1","request":{"subtype":"can_use_tool","tool_name":"AskUserQuestion",
            "input":{"questions":[{"question":"Which colour?","header":"Colour","options":[{"label":"Red","description":"warm"},{"label":"Blue","description":"cool"}],"multiSelect":false},
            {"question":"Which sizes?","header":"Sizes","options":[{"label":"S","description":"small"},{"label":"L","description":"large"}],"multiSelect":true},
            {"question":"Skipped?","header":"Skip","options":[{"label":"Y","description":""},{"label":"N","description":""}],"multiSelect":false}]},
            "tool_use_id":"toolu_1"}}"#;
        let out = feed(&mut a, ask);
        let asked = out.iter().find_map(|o| match o {
            crate::adapter::Output::Event(SessionEventKind::PermissionRequested(r)) => Some(r.clone()),
            _ => None,
        });
        let asked = asked.expect("asked as a question");
        let ToolInput::Question { questions } = &asked.input else { panic!("{:?}", asked.input) };
        assert_eq!(questions[0].options[1].description.as_deref(), Some("cool"));
        assert!(questions[0].allows_other);
        let answers = [
            QuestionAnswer { index: 0, picked: vec![], other: Some("Green".into()) },
            QuestionAnswer { index: 1, picked: vec!["S".into(), "L".into()], other: None },
            QuestionAnswer { index: 9, picked: vec!["S".into()], other: None },
        ];
        let (lines, _) = a.answer_questions(&PermissionRequestId("q1".into()), &answers, Instant::now()).expect("waiting");
        let sent: Value = serde_json::from_str(&lines[0]).unwrap();
        let response = &sent["response"]["response"];
        assert_eq!(response["behavior"], "allow");
        assert_eq!(response["updatedInput"]["answers"], json!({"Which colour?": "Green", "Which sizes?": "S, L"}));
        assert_eq!(response["updatedInput"]["questions"][0]["header"], "Colour", "the questions go back as asked");
        assert!(a.answer_questions(&PermissionRequestId("q1".into()), &answers, Instant::now()).is_none(), "answered once");
    }
}
