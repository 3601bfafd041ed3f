import { describe, expect, it } from "vitest";
import { closeTab, cycleTab, noTabs, openTab, replaceTab } from "./tabs";

describe("session tabs", () => {
  it("opens a tab once and brings it to the front", () => {
    let tabs = openTab(noTabs, "a");
    tabs = openTab(tabs, "b");
    tabs = openTab(tabs, "a");
    expect(tabs).toEqual({ open: ["a", "b"], active: "a" });
  });

  it("closing the front tab brings its right neighbour, or the left one at the end", () => {
    const tabs = { open: ["a", "b", "c"], active: "b" };
    expect(closeTab(tabs, "b")).toEqual({ open: ["a", "c"], active: "c" });
    expect(closeTab({ ...tabs, active: "c" }, "c")).toEqual({ open: ["a", "b"], active: "b" });
    expect(closeTab({ open: ["a"], active: "a" }, "a")).toEqual({ open: [], active: null });
  });

  it("closing a tab behind keeps the front one", () => {
    expect(closeTab({ open: ["a", "b"], active: "b" }, "a")).toEqual({ open: ["b"], active: "b" });
    expect(closeTab({ open: ["a"], active: "a" }, "x")).toEqual({ open: ["a"], active: "a" });
  });

  it("a replaced tab keeps its place", () => {
    expect(replaceTab({ open: ["a", "h", "c"], active: "h" }, "h", "s")).toEqual({ open: ["a", "s", "c"], active: "s" });
    expect(replaceTab({ open: ["a"], active: "a" }, "h", "s")).toEqual({ open: ["a", "s"], active: "s" });
  });

  it("cycles with wrap-around", () => {
    const tabs = { open: ["a", "b", "c"], active: "c" };
    expect(cycleTab(tabs, 1).active).toBe("a");
    expect(cycleTab(tabs, -1).active).toBe("b");
    expect(cycleTab(noTabs, 1)).toBe(noTabs);
  });
});
