import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FeedbackComposer } from "./FeedbackComposer";

afterEach(cleanup);

import { first, second } from "../files/testComments";

describe("the feedback composer with the person's hunk comments", () => {
  it("batches comments with the checks' findings in the composer; an unticked one is neither in the text nor marked", () => {
    const onSend = vi.fn();
    const proposed = { text: "Warden ran the project's checks.\n\n## Check `tests` failed\n", findings: [] };
    render(
      <FeedbackComposer round={1} maxRounds={3} agentName="Claude" proposed={proposed} comments={[first, second]} busy={false} onSend={onSend} onDismiss={vi.fn()} onAccept={vi.fn()} />,
    );
    const text = () => (screen.getByTestId("composer-text") as HTMLTextAreaElement).value;
    expect(text()).toContain("## Comments from the user on your changes");
    expect(text()).toContain("Name these better");
    fireEvent.click(screen.getAllByTestId("composer-comment")[1]!);
    expect(text()).not.toContain("Why two lets?");
    fireEvent.click(screen.getByTestId("composer-send"));
    expect(onSend).toHaveBeenCalledWith(text(), [first]);
  });
});
