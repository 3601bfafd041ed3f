// The grammar table against highlight.js itself, and a grammar loaded the first time a block names it.
import hljs from "highlight.js/lib/core";
import { common } from "lowlight";
import { describe, expect, it } from "vitest";
import {
  fencedLanguages,
  grammarName,
  highlighter,
  lazyGrammarNames,
  listedAliases,
  onGrammarLoaded,
  requestGrammar,
} from "./highlightLanguages";

/** The grammars registered before any block asks (the names `EAGER` holds). */
const EAGER_NAMES = Object.fromEntries(
  ["bash", "css", "diff", "ini", "javascript", "json", "markdown", "plaintext", "python", "rust", "shell", "typescript", "xml", "yaml"].map(
    (name) => [name, true],
  ),
);

/** Every grammar file of highlight.js with what it exports, loaded at once (the test only). */
const ALL = import.meta.glob<(api: typeof hljs) => { aliases?: string[] }>(
  ["../../node_modules/highlight.js/es/languages/*.js", "!../../node_modules/highlight.js/es/languages/*.js.js"],
  { import: "default", eager: true },
);

describe("highlight grammars", () => {
  it("lists the aliases every loadable grammar declares, so a label finds it before it loads", () => {
    const loadable = [...Object.keys(EAGER_NAMES), ...lazyGrammarNames()].sort();
    // Everything the window coloured before (lowlight's common set) still is.
    for (const name of Object.keys(common)) expect(loadable, name).toContain(name);
    const wanted: Record<string, string[]> = {};
    for (const name of loadable) {
      const grammar = ALL[`../../node_modules/highlight.js/es/languages/${name}.js`];
      expect(grammar, name).toBeTypeOf("function");
      const declared = (grammar?.(hljs).aliases ?? []).map((a) => a.toLowerCase());
      if (declared.length > 0) wanted[name] = declared;
    }
    const listed: Record<string, string[]> = {};
    for (const name of loadable) if (listedAliases(name).length > 0) listed[name] = listedAliases(name);
    expect(listed).toEqual(wanted);
    for (const name of loadable) expect(grammarName(name.toUpperCase())).toBe(name);
    for (const [name, aliases] of Object.entries(wanted)) {
      for (const alias of aliases) expect(grammarName(alias), alias).toBe(name);
    }
  });

  it("registers the common languages at once and leaves the others to load", () => {
    for (const name of Object.keys(EAGER_NAMES)) expect(highlighter.registered(name), name).toBe(true);
    for (const name of lazyGrammarNames()) expect(highlighter.registered(name), name).toBe(false);
    expect(lazyGrammarNames()).toContain("ruby");
    expect(lazyGrammarNames()).not.toContain("rust");
    expect(requestGrammar("rs")).toBeNull();
    expect(requestGrammar("no-such-language")).toBeNull();
  });

  it("loads a grammar named by an alias once, registers it and tells the views", async () => {
    expect(highlighter.registered("ruby")).toBe(false);
    const heard: string[] = [];
    const stop = onGrammarLoaded((name) => heard.push(name));
    const first = requestGrammar("RB");
    const second = requestGrammar("ruby");
    expect(first).not.toBeNull();
    expect(second).toBe(first);
    await expect(first).resolves.toBe(true);
    stop();
    expect(heard).toEqual(["ruby"]);
    expect(highlighter.registered("rb")).toBe(true);
    expect(requestGrammar("rb")).toBeNull();
  });

  it("reads the labels of fenced blocks", () => {
    const text = "a\n```rust\nfn x() {}\n```\n  ~~~ c++ extra\nx\n~~~\n````go{.x}\n````\n```\nplain\n```\n`inline`";
    expect(fencedLanguages(text)).toEqual(["rust", "c++", "go"]);
  });
});
