import { afterEach, describe, expect, it } from "vitest";
import { forgetDraft, loadDraft, MAX_AGE_MS, pruneDrafts, saveDraft } from "./drafts";

afterEach(() => localStorage.clear());

describe("drafts", () => {
  it("keeps text and mentions per session, not images", () => {
    saveDraft("s1", {
      text: "look at @src/a.rs",
      attachments: [
        { type: "mention", path: "src/a.rs", kind: "file" },
        { type: "image", mediaType: "image/png", dataBase64: "AAAA", name: "x.png", bytes: 3 },
      ],
    });
    expect(loadDraft("s1")).toEqual({ text: "look at @src/a.rs", attachments: [{ type: "mention", path: "src/a.rs", kind: "file" }] });
    expect(loadDraft("s2")).toEqual({ text: "", attachments: [] });
  });

  it("removes an empty draft and a forgotten one", () => {
    saveDraft("s1", { text: "x", attachments: [] });
    saveDraft("s1", { text: "  ", attachments: [] });
    expect(localStorage.length).toBe(0);
    saveDraft("s2", { text: "y", attachments: [] });
    forgetDraft("s2");
    expect(loadDraft("s2").text).toBe("");
  });

  it("prunes drafts nobody touched for a month, and unreadable ones", () => {
    const now = 10 * MAX_AGE_MS;
    saveDraft("old", { text: "old", attachments: [] }, now - MAX_AGE_MS - 1);
    saveDraft("new", { text: "new", attachments: [] }, now - 1000);
    localStorage.setItem("warden.draft.broken", "{not json");
    localStorage.setItem("other.key", "kept");
    expect(pruneDrafts(now)).toBe(2);
    expect(loadDraft("new").text).toBe("new");
    expect(loadDraft("old").text).toBe("");
    expect(localStorage.getItem("other.key")).toBe("kept");
  });
});
