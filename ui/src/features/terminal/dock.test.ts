import { describe, expect, it } from "vitest";
import { activateTab, activeTab, addTab, closedDock, exitLabel, MIN_HEIGHT, removeTab, resizeDock, tabExited, tabFailed, tabOpened, toggleDock } from "./dock";

describe("terminal tabs", () => {
  it("a new tab comes to the front and shows the panel", () => {
    let dock = addTab(closedDock, "a", "Shell");
    dock = addTab(dock, "b", "Shell");
    expect(dock.open).toBe(true);
    expect(dock.tabs.map((t) => t.key)).toEqual(["a", "b"]);
    expect(activeTab(dock)?.key).toBe("b");
    expect(activateTab(dock, "a").active).toBe("a");
    expect(activateTab(dock, "zzz")).toBe(dock);
  });

  it("a tab learns its terminal, its failure and its exit", () => {
    let dock = addTab(closedDock, "a", "Shell");
    dock = tabOpened(dock, "a", 7, "bash");
    expect(dock.tabs[0]).toMatchObject({ id: 7, title: "bash", exit: null, error: null });
    dock = tabExited(dock, "a", { code: 0, signal: null });
    expect(dock.tabs[0]?.exit).toEqual({ code: 0, signal: null });
    expect(tabFailed(dock, "a", "no shell").tabs[0]?.error).toBe("no shell");
    expect(tabExited(dock, "gone", { code: 1, signal: null })).toBe(dock);
  });

  it("closing the front tab brings its right neighbour, or the left one at the end", () => {
    const dock = ["a", "b", "c"].reduce((d, k) => addTab(d, k, k), closedDock);
    expect(removeTab(activateTab(dock, "b"), "b").active).toBe("c");
    expect(removeTab(dock, "c").active).toBe("b");
    expect(removeTab(dock, "a").active).toBe("c");
    expect(removeTab(dock, "x")).toBe(dock);
  });

  it("closing the last tab hides the panel", () => {
    const dock = removeTab(addTab(closedDock, "a", "Shell"), "a");
    expect(dock).toMatchObject({ open: false, tabs: [], active: null });
  });

  it("hiding keeps the tabs", () => {
    const dock = toggleDock(addTab(closedDock, "a", "Shell"));
    expect(dock.open).toBe(false);
    expect(dock.tabs).toHaveLength(1);
  });

  it("the height stays between the minimum and the room there is", () => {
    expect(resizeDock(closedDock, 10, 500).height).toBe(MIN_HEIGHT);
    expect(resizeDock(closedDock, 900, 500).height).toBe(500);
    expect(resizeDock(closedDock, 300.4, 500).height).toBe(300);
    expect(resizeDock(closedDock, 300, 50).height).toBe(MIN_HEIGHT);
  });

  it("says how a process ended", () => {
    expect(exitLabel({ code: 0, signal: null })).toBe("exited");
    expect(exitLabel({ code: 2, signal: null })).toBe("exited with code 2");
    expect(exitLabel({ code: null, signal: "SIGHUP" })).toBe("killed (SIGHUP)");
    expect(exitLabel({ code: null, signal: null })).toBe("ended");
  });
});
