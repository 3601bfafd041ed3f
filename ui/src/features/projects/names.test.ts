import { describe, expect, it } from "vitest";
import { displayNames, relativeTime } from "./names";

describe("displayNames", () => {
  it("uses the folder name when it is unique", () => {
    const labels = displayNames([
      { name: "api", path: "/home/ada/api" },
      { name: "web", path: "/home/ada/web" },
    ]);
    expect(labels.get("/home/ada/api")).toBe("api");
    expect(labels.get("/home/ada/web")).toBe("web");
  });

  it("adds just enough parent folders to tell same-named projects apart", () => {
    const labels = displayNames([
      { name: "app", path: "/home/ada/work/app" },
      { name: "app", path: "/home/ada/personal/app" },
      { name: "app", path: "/srv/a/work/app" },
    ]);
    // "work" alone is ambiguous between the first and the third, so they need two levels.
    expect(labels.get("/home/ada/work/app")).toBe("app · ada/work");
    expect(labels.get("/home/ada/personal/app")).toBe("app · ada/personal");
    expect(labels.get("/srv/a/work/app")).toBe("app · a/work");
  });

  it("handles Windows paths", () => {
    const labels = displayNames([
      { name: "app", path: "C:\\work\\app" },
      { name: "app", path: "D:\\play\\app" },
    ]);
    expect(labels.get("C:\\work\\app")).toBe("app · work");
    expect(labels.get("D:\\play\\app")).toBe("app · play");
  });
});

describe("relativeTime", () => {
  const now = Date.UTC(2026, 10, 21, 12, 0, 0);
  const ago = (ms: number) => relativeTime(now - ms, now);
  const minute = 60_000;
  const hour = 60 * minute;
  const day = 24 * hour;

  it.each([
    [10_000, "just now"],
    [minute, "a minute ago"],
    [5 * minute, "5 minutes ago"],
    [hour, "an hour ago"],
    [3 * hour, "3 hours ago"],
    [day, "yesterday"],
    [4 * day, "4 days ago"],
  ])("%i ms ago reads %s", (ms, text) => {
    expect(ago(ms)).toBe(text);
  });

  it("shows a date for anything older than a month", () => {
    expect(ago(90 * day)).toMatch(/2026/);
  });

  it("never says 'in the future' for clock skew", () => {
    expect(relativeTime(now + 5 * minute, now)).toBe("just now");
  });
});
