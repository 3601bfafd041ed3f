import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AskedQuestion, QuestionAnswer } from "../../ipc";
import { answersOf, DECLINED_MESSAGE, pick, QuestionDialog } from "./QuestionDialog";
import { waitingQuestion } from "./modalFixture";

afterEach(cleanup);

const colour: AskedQuestion = {
  question: "Which colour?",
  header: "Colour",
  options: [
    { label: "Red", description: "warm" },
    { label: "Blue", description: "cool" },
  ],
  multiSelect: false,
  allowsOther: true,
};
const sizes: AskedQuestion = {
  question: "Which sizes?",
  header: "Sizes",
  options: [
    { label: "S", description: null },
    { label: "L", description: null },
  ],
  multiSelect: true,
  allowsOther: true,
};

function show(questions: AskedQuestion[] = [colour, sizes]) {
  const sent: QuestionAnswer[][] = [];
  const declined: string[] = [];
  const onAnswer = vi.fn(async (answers: QuestionAnswer[]) => {
    sent.push(answers);
    return null;
  });
  const onDecline = vi.fn(async (message: string) => {
    declined.push(message);
    return null;
  });
  render(
    <QuestionDialog
      waiting={waitingQuestion({ toolName: "AskUserQuestion", input: { type: "question", questions } })}
      questions={questions}
      projectName="shop"
      sessionTitle="Tidy up"
      more={0}
      onAnswer={onAnswer}
      onDecline={onDecline}
      armDelayMs={0}
    />,
  );
  return { sent, declined, onAnswer, onDecline };
}

describe("QuestionDialog", () => {
  it("shows each question with its options and their descriptions", () => {
    show();
    expect(screen.getByTestId("question-dialog")).toBeTruthy();
    expect(screen.getByText("Which colour?")).toBeTruthy();
    expect(screen.getByText("cool")).toBeTruthy();
    expect((screen.getByTestId("question-0-option-0") as HTMLInputElement).type).toBe("radio");
    expect((screen.getByTestId("question-1-option-0") as HTMLInputElement).type).toBe("checkbox");
  });

  it("sends one answer per question: a pick, several picks with words of one's own", async () => {
    const { sent } = show();
    const submit = screen.getByTestId("question-submit") as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.click(screen.getByTestId("question-0-option-1"));
    expect(submit.disabled).toBe(true);
    fireEvent.click(screen.getByTestId("question-1-option-0"));
    fireEvent.click(screen.getByTestId("question-1-option-1"));
    fireEvent.change(screen.getByTestId("question-1-other"), { target: { value: " XL " } });
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual([
      { index: 0, picked: ["Blue"], other: null },
      { index: 1, picked: ["S", "L"], other: "XL" },
    ]);
    await waitFor(() => expect(screen.getByRole("status").textContent).toContain("Answered"));
  });

  it("with one choice, the person's own words replace the option picked", async () => {
    const { sent } = show([colour]);
    fireEvent.click(screen.getByTestId("question-0-option-0"));
    fireEvent.change(screen.getByTestId("question-0-other"), { target: { value: "Green" } });
    expect((screen.getByTestId("question-0-option-0") as HTMLInputElement).checked).toBe(false);
    fireEvent.click(screen.getByTestId("question-submit"));
    await waitFor(() => expect(sent).toEqual([[{ index: 0, picked: [], other: "Green" }]]));
  });

  it("declines with a message for the agent, also on Esc", async () => {
    const { declined } = show();
    fireEvent.click(screen.getByTestId("question-decline"));
    await waitFor(() => expect(declined).toEqual([DECLINED_MESSAGE]));
  });

  it("offers no words of one's own where the agent takes only its options", () => {
    show([{ ...colour, allowsOther: false }]);
    expect(screen.queryByTestId("question-0-other")).toBeNull();
  });

  it("shows what went wrong and lets the person try again", async () => {
    const onAnswer = vi.fn(async () => "the answers do not fit the question");
    render(
      <QuestionDialog
        waiting={waitingQuestion({ toolName: "AskUserQuestion", input: { type: "question", questions: [colour] } })}
        questions={[colour]}
        projectName="shop"
        sessionTitle="Tidy up"
        more={0}
        onAnswer={onAnswer}
        onDecline={async () => null}
        armDelayMs={0}
      />,
    );
    fireEvent.click(screen.getByTestId("question-0-option-0"));
    fireEvent.click(screen.getByTestId("question-submit"));
    await waitFor(() => expect(screen.getByTestId("question-error").textContent).toContain("do not fit"));
    expect((screen.getByTestId("question-submit") as HTMLButtonElement).disabled).toBe(false);
  });
});

describe("answers", () => {
  it("leave out unanswered questions and blank words", () => {
    expect(answersOf([colour, sizes], [{ picked: [], other: "  " }, { picked: ["S"], other: "" }])).toEqual([{ index: 1, picked: ["S"], other: null }]);
  });
  it("toggle with several choices and replace with one", () => {
    expect(pick(sizes, { picked: ["S"], other: "x" }, "S")).toEqual({ picked: [], other: "x" });
    expect(pick(colour, { picked: ["Red"], other: "x" }, "Blue")).toEqual({ picked: ["Blue"], other: "" });
  });
});
