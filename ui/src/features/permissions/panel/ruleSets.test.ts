import { describe, expect, it } from "vitest";
import { addRule, complete, removeRule, replaceRule } from "./ruleSets";

describe("rule set changes", () => {
  it("fills in lists the file left out", () => {
    expect(complete({})).toEqual({ allow: [], deny: [] });
    expect(complete({ deny: ["Bash(rm:*)"] })).toEqual({ allow: [], deny: ["Bash(rm:*)"] });
  });

  it("adds a rule once", () => {
    const once = addRule({ allow: ["Read"] }, "allow", "Bash(npm test:*)");
    expect(once).toEqual({ allow: ["Read", "Bash(npm test:*)"], deny: [] });
    expect(addRule(once, "allow", "Read")).toEqual(once);
  });

  it("removes a rule from one list only", () => {
    const rules = { allow: ["Read", "WebFetch"], deny: ["Read"] };
    expect(removeRule(rules, "allow", "Read")).toEqual({ allow: ["WebFetch"], deny: ["Read"] });
  });

  it("replaces a rule where it stood", () => {
    const rules = { allow: ["Read", "Bash(npm test)", "Edit(src/**)"] };
    expect(replaceRule(rules, "allow", "Bash(npm test)", "Bash(npm test:*)").allow).toEqual(["Read", "Bash(npm test:*)", "Edit(src/**)"]);
  });

  it("keeps an edit whose original was removed meanwhile, and never duplicates", () => {
    expect(replaceRule({ allow: ["Read"] }, "allow", "Gone", "Glob").allow).toEqual(["Read", "Glob"]);
    expect(replaceRule({ allow: ["Read", "Glob"] }, "allow", "Read", "Glob").allow).toEqual(["Glob"]);
    expect(replaceRule({ allow: ["Read"] }, "allow", "Read", "Read").allow).toEqual(["Read"]);
  });
});
