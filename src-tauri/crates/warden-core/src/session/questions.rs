//! The person's answers to an agent's questions with choices (Claude Code's `AskUserQuestion`,
//! Codex's `request_user_input`): one [`QuestionAnswer`] per question asked, which each adapter
//! writes in its agent's shape.

use super::tool_input::AskedQuestion;
use serde::{Deserialize, Serialize};
use specta::Type;

/// The answer to one question of a [`super::ToolInput::Question`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QuestionAnswer {
    /// Which question: its position in the questions asked, from 0.
    pub index: u32,
    /// The options picked, by label (at most one for a single-choice question).
    pub picked: Vec<String>,
    /// The person's own answer instead of (or, with several choices, beside) the options.
    #[serde(default)]
    pub other: Option<String>,
}

impl QuestionAnswer {
    /// Every part of the answer as text, picked options first and the person's own words last;
    /// a blank "other" is no answer.
    pub fn parts(&self) -> Vec<String> {
        let other = self.other.as_deref().map(str::trim).filter(|o| !o.is_empty()).map(str::to_owned);
        self.picked.iter().cloned().chain(other).collect()
    }
}

/// Why a set of answers does not fit the questions asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// An answer names a question that was not asked.
    #[error("there is no question {0}")]
    NoSuchQuestion(u32),
    /// An answer picks an option the question does not offer.
    #[error("'{option}' is not one of the options of question {index}")]
    NoSuchOption {
        /// The question.
        index: u32,
        /// The option named.
        option: String,
    },
    /// A single-choice question got several options.
    #[error("question {0} takes one option")]
    OneOnly(u32),
    /// The question takes no answer of the person's own words.
    #[error("question {0} takes only its options")]
    NoOther(u32),
}

/// Checks `answers` against the questions asked: each names a question asked, picks only its
/// options (one, unless it allows several), and gives its own words only where allowed.
pub fn check_answers(questions: &[AskedQuestion], answers: &[QuestionAnswer]) -> Result<(), AnswerError> {
    for answer in answers {
        let asked = questions.get(answer.index as usize).ok_or(AnswerError::NoSuchQuestion(answer.index))?;
        if let Some(option) = answer.picked.iter().find(|p| !asked.options.iter().any(|o| &o.label == *p)) {
            return Err(AnswerError::NoSuchOption { index: answer.index, option: option.clone() });
        }
        if !asked.multi_select && answer.picked.len() > 1 {
            return Err(AnswerError::OneOnly(answer.index));
        }
        if !asked.allows_other && answer.other.as_deref().is_some_and(|o| !o.trim().is_empty()) {
            return Err(AnswerError::NoOther(answer.index));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::QuestionOption;

    fn asked(multi: bool, other: bool) -> AskedQuestion {
        AskedQuestion {
            question: "Which?".into(),
            header: None,
            options: ["A", "B"].map(|l| QuestionOption { label: l.into(), description: None }).to_vec(),
            multi_select: multi,
            id: None,
            allows_other: other,
        }
    }

    fn answer(index: u32, picked: &[&str], other: Option<&str>) -> QuestionAnswer {
        QuestionAnswer { index, picked: picked.iter().map(|p| (*p).to_owned()).collect(), other: other.map(Into::into) }
    }

    #[test]
    fn answers_must_fit_the_questions() {
        let questions = [asked(false, true), asked(true, false)];
        assert_eq!(check_answers(&questions, &[answer(0, &["A"], None), answer(1, &["A", "B"], None)]), Ok(()));
        assert_eq!(check_answers(&questions, &[answer(2, &[], None)]), Err(AnswerError::NoSuchQuestion(2)));
        assert_eq!(check_answers(&questions, &[answer(0, &["A", "B"], None)]), Err(AnswerError::OneOnly(0)));
        assert!(matches!(check_answers(&questions, &[answer(0, &["C"], None)]), Err(AnswerError::NoSuchOption { .. })));
        assert_eq!(check_answers(&questions, &[answer(1, &[], Some("mine"))]), Err(AnswerError::NoOther(1)));
        assert_eq!(check_answers(&questions, &[answer(1, &["A"], Some("  "))]), Ok(()), "a blank answer of one's own is none");
    }

    #[test]
    fn the_parts_are_the_picks_then_the_persons_words() {
        assert_eq!(answer(0, &["A", "B"], Some(" mine ")).parts(), ["A", "B", "mine"]);
        assert_eq!(answer(0, &[], Some("")).parts(), Vec::<String>::new());
    }
}
