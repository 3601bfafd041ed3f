import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { UserAttachments } from "./UserAttachments";

const image = vi.fn(async (_id: string, _file: string) => ({ ok: true as const, value: { mediaType: "image/png" as const, dataBase64: "iVBORw0KGgo=" } }));
vi.mock("../../ipc", () => ({ sessions: { image: (id: string, file: string) => image(id, file) } }));

afterEach(cleanup);

describe("what a prompt carried, in the chat", () => {
  it("shows mention chips and the images read back from the store, once", async () => {
    const attachments = [
      { type: "mention" as const, path: "src/main.rs", kind: "file" as const },
      { type: "mention" as const, path: "docs", kind: "folder" as const },
      { type: "image" as const, file: "images/1.png", mediaType: "image/png" as const, bytes: 8, name: "shot.png" },
    ];
    const first = render(<UserAttachments attachments={attachments} sessionId="s1" />);
    expect(screen.getAllByTestId("chat-mention-chip").map((c) => c.getAttribute("data-path"))).toEqual(["src/main.rs", "docs"]);
    const img = await screen.findByTestId("chat-image");
    expect(img.getAttribute("src")).toBe("data:image/png;base64,iVBORw0KGgo=");
    expect(image).toHaveBeenCalledWith("s1", "images/1.png");
    first.unmount();
    // Scrolled out of view and back: no second read.
    render(<UserAttachments attachments={attachments} sessionId="s1" />);
    expect(screen.getByTestId("chat-image")).toBeTruthy();
    expect(image).toHaveBeenCalledTimes(1);
  });

  it("shows nothing for a prompt without attachments", () => {
    const { container } = render(<UserAttachments attachments={[]} sessionId="s1" />);
    expect(container.innerHTML).toBe("");
  });
});
