//! Codex's questions to the person (`item/tool/requestUserInput`, its `request_user_input`
//! tool): put to the person as a question with choices ([`ToolInput::Question`]) and answered
//! with `{answers: {<question id>: {answers: [..]}}}`, the shape of Codex 0.169's generated
//! schema (`ToolRequestUserInputResponse`). Declining answers with no answers. Codex offers the
//! tool only in its plan collaboration mode unless its `default_mode_request_user_input`
//! feature is on.

use super::adapter::CodexAdapter;
use crate::adapter::{Output, Reply};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use warden_core::session::*;

/// `ToolRequestUserInputParams`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequestUserInput {
    questions: Vec<WireQuestion>,
}

/// `ToolRequestUserInputQuestion`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireQuestion {
    id: String,
    #[serde(default)]
    header: String,
    question: String,
    #[serde(default)]
    is_other: bool,
    #[serde(default)]
    is_secret: bool,
    #[serde(default)]
    options: Option<Vec<WireOption>>,
}

/// `ToolRequestUserInputOption`.
#[derive(Debug, Deserialize)]
struct WireOption {
    label: String,
    #[serde(default)]
    description: String,
}

/// A request for input waiting for the person.
#[derive(Debug)]
pub(super) struct UserInput {
    /// The id to answer with, as Codex sent it.
    rpc_id: Value,
    /// Codex's id of each question, in order: answers are keyed by them.
    ids: Vec<String>,
}

impl CodexAdapter {
    /// `item/tool/requestUserInput`: a question with choices for the person.
    pub(super) fn user_input_request(&mut self, id: Value, params: Value, out: &mut Vec<Output>) {
        const METHOD: &str = "item/tool/requestUserInput";
        let ask = match serde_json::from_value::<RequestUserInput>(params.clone()) {
            Ok(ask) => ask,
            Err(e) => return self.refuse(id, METHOD, &format!("Warden could not read the question ({e})"), out),
        };
        if ask.questions.is_empty() {
            return self.refuse(id, METHOD, "Warden cannot show a request for input with no questions", out);
        }
        // Warden's dialog shows what is typed and stores the answer with the session.
        if ask.questions.iter().any(|q| q.is_secret) {
            return self.refuse(id, METHOD, "Warden cannot show a question for a secret; carry on without an answer", out);
        }
        let ids = ask.questions.iter().map(|q| q.id.clone()).collect();
        let questions: Vec<AskedQuestion> = ask
            .questions
            .into_iter()
            .map(|q| {
                let options: Vec<QuestionOption> = q
                    .options
                    .unwrap_or_default()
                    .into_iter()
                    .map(|o| QuestionOption { label: o.label, description: Some(o.description).filter(|d| !d.is_empty()) })
                    .collect();
                AskedQuestion {
                    // A question without options can only be answered in words.
                    allows_other: q.is_other || options.is_empty(),
                    question: q.question,
                    header: Some(q.header).filter(|h| !h.is_empty()),
                    options,
                    multi_select: false,
                    id: Some(q.id),
                }
            })
            .collect();
        let request_id = self.request_id(&id);
        let title = questions.first().map(|q| q.question.clone()).unwrap_or_default();
        out.push(Output::Event(SessionEventKind::PermissionRequested(PermissionRequest {
            request_id: request_id.clone(),
            tool_call_id: None,
            tool_name: "request_user_input".into(),
            title,
            input: ToolInput::Question { questions },
            raw_input: params,
            blocked_path: None,
            reason: None,
            raw_suggestions: None,
            subject: String::new(),
            outside_project: Vec::new(),
            protected_paths: Vec::new(),
            suggested_rules: Vec::new(),
            plan: None,
            // Answered with choices, or declined.
            offered: Some(vec![PermissionDecision::AllowOnce, PermissionDecision::Deny]),
        })));
        self.user_inputs.insert(request_id.0, UserInput { rpc_id: id, ids });
    }

    /// Answers a waiting request for input with the person's answers.
    pub(super) fn answer_user_input(&mut self, request: &PermissionRequestId, answers: &[QuestionAnswer])
        -> Option<(Vec<String>, Vec<SessionEventKind>)> {
        let pending = self.user_inputs.remove(request.as_str())?;
        let mut keyed = Map::new();
        for answer in answers {
            let (Some(id), parts) = (pending.ids.get(answer.index as usize), answer.parts()) else { continue };
            if !parts.is_empty() {
                keyed.insert(id.clone(), json!({"answers": parts}));
            }
        }
        Some((vec![json!({"id": pending.rpc_id, "result": {"answers": keyed}}).to_string()], Vec::new()))
    }

    /// A request for input answered without answers (declined, or nobody can answer any more).
    pub(super) fn decline_user_input(&mut self, request: &PermissionRequestId, reply: &Reply)
        -> Option<(Vec<String>, Vec<SessionEventKind>)> {
        let pending = self.user_inputs.remove(request.as_str())?;
        let _ = reply;
        Some((vec![json!({"id": pending.rpc_id, "result": {"answers": {}}}).to_string()], Vec::new()))
    }

    /// Codex withdrew a request for input (the turn ended): the window closes it.
    pub(super) fn user_input_withdrawn(&mut self, key: &PermissionRequestId, out: &mut Vec<Output>) -> bool {
        if self.user_inputs.remove(key.as_str()).is_none() {
            return false;
        }
        let resolution = PermissionResolution::new(key.clone(), PermissionDecision::Cancelled, DecisionSource::Agent);
        out.push(Output::Event(SessionEventKind::PermissionResolved(resolution)));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapter::AgentAdapter;
    use std::path::PathBuf;
    use std::time::Instant;

    const ASK: &str = r#"{"method":"item/tool/requestUserInput","id":7,"params":{"threadId":"t","turnId":"u","itemId":"call_1","isBlocking":true,"questions":[
        {"id":"colour","header":"Colour","question":"Which colour?","isOther":true,"options":[{"label":"Red","description":"warm"},{"label":"Blue","description":""}]},
        {"id":"name","header":"","question":"Your name?","options":null}]}}"#;

    fn asked(a: &mut CodexAdapter) -> PermissionRequest {
        let out = a.on_line(ASK.as_bytes(), Instant::now());
        out.into_iter()
            .find_map(|o| match o {
                Output::Event(SessionEventKind::PermissionRequested(r)) => Some(r),
                _ => None,
            })
            .expect("put to the person")
    }

    fn adapter() -> CodexAdapter {
        CodexAdapter::new(PathBuf::from("/p"), None, Sandbox::WorkspaceWrite, PermissionMode::Default)
    }

    #[test]
    fn a_request_for_input_is_a_question_answered_by_question_id() {
        let mut a = adapter();
        let request = asked(&mut a);
        let ToolInput::Question { questions } = &request.input else { panic!("{:?}", request.input) };
        assert_eq!((questions[0].id.as_deref(), questions[0].allows_other, questions[0].options[1].description.as_deref()), (Some("colour"), true, None));
        assert!(questions[1].options.is_empty() && questions[1].allows_other, "no options: words only");
        assert_eq!(request.offered, Some(vec![PermissionDecision::AllowOnce, PermissionDecision::Deny]));
        assert_eq!(a.pending_requests(), vec![request.request_id.clone()]);
        let answers = [
            QuestionAnswer { index: 0, picked: vec!["Blue".into()], other: None },
            QuestionAnswer { index: 1, picked: vec![], other: Some("Ada".into()) },
        ];
        let (lines, _) = a.answer_choices(&request.request_id, &answers, Instant::now()).expect("waiting");
        let sent: Value = serde_json::from_str(&lines[0]).unwrap();
        assert_eq!(sent, json!({"id": 7, "result": {"answers": {"colour": {"answers": ["Blue"]}, "name": {"answers": ["Ada"]}}}}));
        assert!(a.pending_requests().is_empty());
    }

    #[test]
    fn declining_answers_nothing_and_a_withdrawn_request_closes() {
        let mut a = adapter();
        let request = asked(&mut a);
        let reply = Reply { decision: PermissionDecision::Deny, message: None, mode: None };
        let (lines, _) = a.answer(&request.request_id, &reply, Instant::now()).expect("waiting");
        assert_eq!(serde_json::from_str::<Value>(&lines[0]).unwrap(), json!({"id": 7, "result": {"answers": {}}}));
        let request = asked(&mut a);
        let out = a.on_line(br#"{"method":"serverRequest/resolved","params":{"threadId":"t","requestId":7}}"#, Instant::now());
        assert!(out.iter().any(|o| matches!(o, Output::Event(SessionEventKind::PermissionResolved(r)) if r.request_id == request.request_id)), "{out:?}");
        assert!(a.pending_requests().is_empty());
    }

    #[test]
    fn a_question_for_a_secret_is_refused() {
        let mut a = adapter();
        let ask = ASK.replace(r#""isOther":true"#, r#""isSecret":true"#);
        let out = a.on_line(ask.as_bytes(), Instant::now());
        assert!(out.iter().any(|o| matches!(o, Output::Send(l) if l.contains("secret"))), "{out:?}");
        assert!(a.pending_requests().is_empty());
    }
}
