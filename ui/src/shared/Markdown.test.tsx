import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Markdown } from "./Markdown";

const ipc = vi.hoisted(() => ({ openLink: vi.fn(async () => ({ ok: true as const, value: null })) }));
vi.mock("../ipc", () => ({ openLink: ipc.openLink }));

afterEach(cleanup);
beforeEach(() => ipc.openLink.mockClear());

function clickLink(name: string) {
  fireEvent.click(screen.getByText(name));
}

describe("links in the agent's markdown", () => {
  it("opens a mail link without its query", () => {
    for (const [i, query] of ["?attach=/home/me/.ssh/id_rsa", "?body=x&cc=evil@x.test", "?bcc=e@x.test#f"].entries()) {
      render(<Markdown text={`Write to [us ${i}](mailto:dev@example.com${query}).`} />);
      const link = screen.getByText(`us ${i}`);
      expect(link.getAttribute("href")).toBe("mailto:dev@example.com");
      expect(link.getAttribute("title")).toMatch(/^Opens mailto:dev@example\.com only/);
      clickLink(`us ${i}`);
      expect(ipc.openLink).toHaveBeenLastCalledWith("mailto:dev@example.com");
      cleanup();
    }
  });

  it("opens a web link as it is", () => {
    render(<Markdown text="See [the docs](https://docs.rs/tokio?x=1#y) and <https://example.com/a>." />);
    clickLink("the docs");
    expect(ipc.openLink).toHaveBeenLastCalledWith("https://docs.rs/tokio?x=1#y");
    clickLink("https://example.com/a");
    expect(ipc.openLink).toHaveBeenLastCalledWith("https://example.com/a");
  });

  it("shows any other link as text and opens nothing", () => {
    const links = ["file:///etc/passwd", "javascript:alert(1)", "vscode://file/x", "src/app.js", "mailto:a%3Fattach=x@y.test"];
    render(<Markdown text={links.map((href, i) => `[link ${i}](${href})`).join(" ")} />);
    links.forEach((_, i) => {
      const shown = screen.getByText(`link ${i}`);
      expect(shown.tagName, links[i]).toBe("SPAN");
      expect(shown.getAttribute("href")).toBeNull();
      clickLink(`link ${i}`);
    });
    expect(ipc.openLink).not.toHaveBeenCalled();
  });
});

describe("code blocks in the agent's markdown", () => {
  it("colours a common language at once and a rarer one when its grammar has loaded", async () => {
    const { container } = render(
      <Markdown text={"```python\ndef f(): pass\n```\n\n```golang\nfunc main() {}\n```"} />,
    );
    expect(container.querySelector("code.language-python .hljs-keyword")?.textContent).toBe("def");
    // The Go grammar is its own chunk (named here by its alias): plain first, coloured once it arrives.
    expect(container.querySelector("code.language-golang .hljs-keyword")).toBeNull();
    await waitFor(() => expect(container.querySelector("code.language-golang .hljs-keyword")?.textContent).toBe("func"), {
      timeout: 5000,
    });
  });
});
