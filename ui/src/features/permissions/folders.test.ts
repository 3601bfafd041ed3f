import { describe, expect, it } from "vitest";
import { lexicallyOutside, resolveFolder } from "./folders";

describe("where a command runs, read lexically", () => {
  it("resolves against the project and applies . and ..", () => {
    expect(resolveFolder("sub/./a/../b", "/code/shop")).toEqual(["code", "shop", "sub", "b"]);
    expect(resolveFolder("/etc//x/", "/code/shop")).toEqual(["etc", "x"]);
  });

  it("flags folders outside the project", () => {
    for (const path of ["..", "../shop-copy", "/code", "/code/shopping", "/code/shop/../other", "sub/../../x", "/", "/tmp", "a/../../../.."]) {
      expect(lexicallyOutside(path, "/code/shop"), path).toBe(true);
    }
    for (const path of [".", "sub", "./sub/..", "/code/shop", "/code/shop/", "/code/shop/a/b", "/code//shop/./a"]) {
      expect(lexicallyOutside(path, "/code/shop"), path).toBe(false);
    }
  });

  it("reads Windows folders without regard to case", () => {
    expect(lexicallyOutside("C:\\Code\\Shop\\src", "c:\\code\\shop")).toBe(false);
    expect(lexicallyOutside("D:\\code\\shop", "C:\\code\\shop")).toBe(true);
    expect(lexicallyOutside("..\\other", "C:\\code\\shop")).toBe(true);
  });
});
