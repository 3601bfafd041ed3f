// Test support: a permission modal on screen with a question built from a few fields.
import { render } from "@testing-library/react";
import { vi } from "vitest";
import type { PermissionAnswer, PermissionRequest, WaitingRequest } from "../../ipc";
import { PermissionModal, type PermissionModalProps } from "./PermissionModal";
import * as typed from "../../model/testInputs";

/** A question's fields, any of them. */
export type QuestionFields = Partial<PermissionRequest>;

/** A waiting Bash question in /code/shop, with `over` laid on top. */
export function waitingQuestion(over: QuestionFields = {}, requestId = "r1"): WaitingRequest {
  return {
    sessionId: "s1",
    project: "/code/shop",
    atMs: 1,
    request: {
      requestId,
      toolCallId: "t1",
      toolName: "Bash",
      title: "",
      input: typed.shell("ls"),
      rawInput: {},
      blockedPath: null,
      reason: null,
      rawSuggestions: null,
      suggestedRules: ["Bash(ls:*)"],
      outsideProject: [],
      ...over,
    },
  };
}

/** Renders the modal; `answers` records what it sent, each answer accepted at once. */
export function showModal(over: QuestionFields = {}, props: Partial<PermissionModalProps> = {}) {
  const answers: PermissionAnswer[] = [];
  const onAnswer = vi.fn(async (answer: PermissionAnswer) => {
    answers.push(answer);
    return null;
  });
  const element = (waiting: WaitingRequest) => (
    <PermissionModal
      waiting={waiting}
      projectName="shop"
      projectPath="/code/shop"
      sessionTitle="Tidy up"
      more={0}
      onAnswer={onAnswer}
      armDelayMs={0}
      {...props}
    />
  );
  const view = render(element(waitingQuestion(over)));
  /** Puts another question in the same modal, as when the front question changes under it. */
  const replace = (next: WaitingRequest) => view.rerender(element(next));
  return { ...view, answers, onAnswer, replace };
}
