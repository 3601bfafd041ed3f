import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PromptBox } from "./PromptBox";
import { toPromptInput, type ComposedPrompt } from "./composer/composed";

const find = vi.fn(async (_project: string, query: string, _limit: number) => ({
  ok: true as const,
  value: {
    paths: [
      { path: "src/main.rs", kind: "file" as const, score: 10, indices: [0, 4, 5] },
      { path: "src/my dir", kind: "folder" as const, score: 8, indices: [4] },
    ].filter((p) => query === "" || p.path.includes(query[0] ?? "")),
    indexed: 2,
    truncated: false,
  },
}));
vi.mock("../../ipc", () => ({ finder: { find: (...args: [string, string, number]) => find(...args) } }));

const base = { sessionId: "s1", busy: false, busySince: null, disabledReason: null, stopping: false, onStop: () => {} };

afterEach(() => {
  cleanup();
  localStorage.clear();
  find.mockClear();
});

const box = () => screen.getByLabelText("Prompt") as HTMLTextAreaElement;
const type = (text: string) => fireEvent.change(box(), { target: { value: text } });

describe("@ mentions", () => {
  it("opens the finder on @, moves with the keyboard, and makes the choice a chip sent as a mention", async () => {
    const sent: ComposedPrompt[] = [];
    render(<PromptBox {...base} project="/p" onSend={async (p) => (sent.push(p), true)} />);
    type("compare @m");
    await screen.findAllByTestId("mention-option");
    expect(find).toHaveBeenLastCalledWith("/p", "m", expect.any(Number));
    const options = screen.getAllByTestId("mention-option");
    expect(options[0]!.getAttribute("aria-selected")).toBe("true");
    // The matched characters are marked.
    expect(Array.from(options[0]!.querySelectorAll("mark")).map((m) => m.textContent)).toEqual(["s", "ma"]);
    fireEvent.keyDown(box(), { key: "ArrowDown" });
    expect(screen.getAllByTestId("mention-option")[1]!.getAttribute("aria-selected")).toBe("true");
    fireEvent.keyDown(box(), { key: "ArrowUp" });
    fireEvent.keyDown(box(), { key: "Enter" });
    expect(screen.queryByTestId("mention-popup")).toBeNull();
    expect(box().value).toBe("compare @src/main.rs ");
    expect(screen.getByTestId("mention-chip").getAttribute("data-path")).toBe("src/main.rs");

    // A folder with a space is quoted in the text.
    fireEvent.change(box(), { target: { value: "compare @src/main.rs with @m" } });
    await screen.findAllByTestId("mention-option");
    fireEvent.keyDown(box(), { key: "ArrowDown" });
    fireEvent.keyDown(box(), { key: "Tab" });
    expect(box().value).toBe('compare @src/main.rs with @"src/my dir" ');
    expect(screen.getAllByTestId("mention-chip")).toHaveLength(2);

    await act(async () => {
      fireEvent.keyDown(box(), { key: "Enter" });
    });
    expect(toPromptInput(sent[0]!)).toEqual({
      text: 'compare @src/main.rs with @"src/my dir" ',
      attachments: [
        { type: "mention", path: "src/main.rs" },
        { type: "mention", path: "src/my dir" },
      ],
    });
  });

  it("closes on Esc, and removing a chip takes its @path out of the text", async () => {
    render(<PromptBox {...base} project="/p" onSend={async () => true} />);
    type("see @m");
    await screen.findAllByTestId("mention-option");
    fireEvent.keyDown(box(), { key: "Escape" });
    expect(screen.queryByTestId("mention-popup")).toBeNull();
    // Dismissed for that `@`; deleting it and typing a new one opens the list again.
    type("see ");
    type("see @");
    await screen.findAllByTestId("mention-option");
    fireEvent.mouseDown(screen.getAllByTestId("mention-option")[0]!);
    expect(box().value).toBe("see @src/main.rs ");
    fireEvent.click(screen.getByLabelText("Remove src/main.rs"));
    expect(box().value).toBe("see ");
    expect(screen.queryByTestId("mention-chip")).toBeNull();
  });

  it("is no mention in an e-mail address", () => {
    render(<PromptBox {...base} project="/p" onSend={async () => true} />);
    type("write to me@example.com");
    expect(screen.queryByTestId("mention-popup")).toBeNull();
  });
});

function png(bytes: number, name = "shot.png", mime = "image/png") {
  return new File([new Uint8Array(bytes)], name, { type: mime });
}
const accepts = { images: true, mentions: "atPath" as const, maxImageBytes: 100, maxImages: 2 };

describe("images", () => {
  it("shows a pasted image as a removable thumbnail and sends it as an image", async () => {
    const sent: ComposedPrompt[] = [];
    render(<PromptBox {...base} accepts={accepts} onSend={async (p) => (sent.push(p), true)} />);
    fireEvent.paste(box(), { clipboardData: { files: [png(10)] } });
    const thumb = await screen.findByTestId("image-thumb");
    expect(thumb.querySelector("img")?.getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    await act(async () => {
      fireEvent.keyDown(box(), { key: "Enter" });
    });
    expect(toPromptInput(sent[0]!).attachments).toEqual([{ type: "image", dataBase64: "AAAAAAAAAAAAAA==", name: "shot.png" }]);
  });

  it("removes a thumbnail", async () => {
    render(<PromptBox {...base} accepts={accepts} onSend={async () => true} />);
    fireEvent.drop(screen.getByTestId("prompt-box"), { dataTransfer: { files: [png(10, "drop.webp", "image/webp")], types: ["Files"] } });
    await screen.findByTestId("image-thumb");
    fireEvent.click(screen.getByTestId("image-remove"));
    expect(screen.queryByTestId("image-thumb")).toBeNull();
  });

  it("says clearly what is over the size limit, not an image, or one too many", async () => {
    render(<PromptBox {...base} accepts={accepts} onSend={async () => true} />);
    fireEvent.paste(box(), { clipboardData: { files: [png(500, "huge.png")] } });
    expect((await screen.findByTestId("composer-error")).textContent).toMatch(/"huge.png" is 1 KB; an image can be at most 1 KB/);
    fireEvent.paste(box(), { clipboardData: { files: [png(10, "a.bmp", "image/bmp")] } });
    await waitFor(() => expect(screen.getByTestId("composer-error").textContent).toMatch(/not a PNG, JPEG, GIF or WebP/));
    fireEvent.paste(box(), { clipboardData: { files: [png(10, "1.png"), png(10, "2.png"), png(10, "3.png")] } });
    await waitFor(() => expect(screen.getAllByTestId("image-thumb")).toHaveLength(2));
    expect(screen.getByTestId("composer-error").textContent).toMatch(/At most 2 images/);
  });

  it("takes no image for an agent that cannot, and never offers one", async () => {
    render(<PromptBox {...base} accepts={{ ...accepts, images: false }} agentName="Gemini CLI" onSend={async () => true} />);
    expect(box().placeholder).not.toMatch(/image/);
    fireEvent.paste(box(), { clipboardData: { files: [png(10)] } });
    expect((await screen.findByTestId("composer-error")).textContent).toMatch(/Gemini CLI does not take images/);
    expect(screen.queryByTestId("image-thumb")).toBeNull();
  });

  it("takes none before the agent said what it accepts", async () => {
    render(<PromptBox {...base} accepts={null} onSend={async () => true} />);
    fireEvent.paste(box(), { clipboardData: { files: [png(10)] } });
    await screen.findByTestId("composer-error");
    expect(screen.queryByTestId("image-thumb")).toBeNull();
  });

  it("keeps images out of a steer", async () => {
    render(<PromptBox {...base} busy busySince={Date.now()} accepts={accepts} onSteer={async () => true} onSend={async () => true} />);
    fireEvent.paste(box(), { clipboardData: { files: [png(10)] } });
    await screen.findByTestId("image-thumb");
    expect((screen.getByTestId("steer-prompt") as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("/ commands", () => {
  const commands = [{ name: "greet", description: "Say hello", argumentHint: null, aliases: [] }, { name: "review-pr", description: "Review a PR", argumentHint: "<number>", aliases: [] }];

  it("lists the agent's commands and Warden's (marked) after / at the start, and Enter runs one", async () => {
    const sent: ComposedPrompt[] = [];
    render(<PromptBox {...base} agentCommands={commands} onSend={async (p) => (sent.push(p), true)} />);
    type("/gr");
    expect(screen.getByTestId("slash-popup")).toBeTruthy();
    expect(screen.getByTestId("slash-item-greet")).toBeTruthy();
    await act(async () => {
      fireEvent.keyDown(box(), { key: "Enter" });
    });
    expect(sent).toEqual([{ text: "/greet", attachments: [] }]);
    expect(box().value).toBe("");
  });

  it("puts a command that takes arguments in the box, and runs Warden's own actions", () => {
    const newSession = vi.fn();
    render(<PromptBox {...base} agentCommands={commands} wardenActions={{ newSession }} onSend={async () => true} />);
    type("/rev");
    fireEvent.keyDown(box(), { key: "Enter" });
    expect(box().value).toBe("/review-pr ");
    expect(screen.queryByTestId("slash-list")).toBeNull();
    type("/ne");
    expect(screen.getByTestId("slash-badge-warden")).toBeTruthy();
    fireEvent.keyDown(box(), { key: "Enter" });
    expect(newSession).toHaveBeenCalled();
    expect(box().value).toBe("");
  });

  it("opens only at the start of the box", () => {
    render(<PromptBox {...base} agentCommands={commands} onSend={async () => true} />);
    type("see /gr");
    expect(screen.queryByTestId("slash-list")).toBeNull();
  });
});
