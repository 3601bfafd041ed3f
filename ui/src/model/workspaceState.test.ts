import { describe, expect, it } from "vitest";
import type { WorkspaceView } from "../ipc";
import { initialWorkspaceState, MAX_LOCAL_ERRORS, workspaceReducer } from "./workspaceState";

function view(revision: number, extra: Partial<WorkspaceView> = {}): WorkspaceView {
  return { revision, open: [], active: null, recent: [], notices: [], ...extra };
}

describe("workspaceReducer", () => {
  it("takes the first view", () => {
    const s = workspaceReducer(initialWorkspaceState, { type: "view", view: view(3) });
    expect(s.view?.revision).toBe(3);
  });

  it("ignores a view older than the one it has", () => {
    // A command's reply can arrive after the change event that followed it.
    let s = workspaceReducer(initialWorkspaceState, { type: "view", view: view(5) });
    s = workspaceReducer(s, { type: "view", view: view(4, { active: "/late" }) });
    expect(s.view?.revision).toBe(5);
    expect(s.view?.active).toBeNull();
  });

  it("accepts the same revision again (snapshot and event of one change)", () => {
    let s = workspaceReducer(initialWorkspaceState, { type: "view", view: view(5) });
    const same = view(5, { active: "/a" });
    s = workspaceReducer(s, { type: "view", view: same });
    expect(s.view).toBe(same);
  });

  it("keeps the most recent local errors, each with its own id", () => {
    let s = initialWorkspaceState;
    for (let i = 0; i < MAX_LOCAL_ERRORS + 2; i++) {
      s = workspaceReducer(s, { type: "failed", error: { code: "internal", message: `e${i}` } });
    }
    expect(s.errors.map((e) => e.error.message)).toEqual(["e2", "e3", "e4"]);
    expect(new Set(s.errors.map((e) => e.id)).size).toBe(MAX_LOCAL_ERRORS);
  });

  it("dismisses one local error", () => {
    let s = workspaceReducer(initialWorkspaceState, {
      type: "failed",
      error: { code: "projectNotFound", message: "gone" },
      recentPath: "/gone",
    });
    s = workspaceReducer(s, { type: "failed", error: { code: "internal", message: "other" } });
    s = workspaceReducer(s, { type: "dismissError", id: s.errors[0]!.id });
    expect(s.errors.map((e) => e.error.message)).toEqual(["other"]);
  });

  it("hides a dismissed notice at once", () => {
    let s = workspaceReducer(initialWorkspaceState, {
      type: "view",
      view: view(1, { notices: [{ id: 7, message: "x" }, { id: 8, message: "y" }] }),
    });
    s = workspaceReducer(s, { type: "dismissNotice", id: 7 });
    expect(s.view?.notices.map((n) => n.id)).toEqual([8]);
  });
});
