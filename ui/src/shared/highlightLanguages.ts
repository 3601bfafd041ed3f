// The grammars fenced code is coloured with, in one highlighter for the whole window. The
// languages agents write most come with the main chunk; the rest of lowlight's "common" set (the
// languages the window coloured before) are chunks of their own, fetched the first time a block
// names one (by its name or an alias). The set is the same as before on purpose: all ~190
// highlight.js grammars would add ~290 KB (brotli) to the package, 19 popular extras ~25 KB.
// `onGrammarLoaded` tells the markdown views to parse the messages that waited for one again.
import type { LanguageFn } from "highlight.js";
import bash from "highlight.js/lib/languages/bash";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import ini from "highlight.js/lib/languages/ini";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import plaintext from "highlight.js/lib/languages/plaintext";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import shell from "highlight.js/lib/languages/shell";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import { createLowlight } from "lowlight";

/** The grammars in the main chunk: what agents' answers label most often. */
const EAGER: Record<string, LanguageFn> = {
  bash,
  css,
  diff,
  ini,
  javascript,
  json,
  markdown,
  plaintext,
  python,
  rust,
  shell,
  typescript,
  xml,
  yaml,
};

/**
 * The window's one highlighter: the eager grammars, then each lazy one once loaded. One instance
 * for every message, so a grammar is registered and compiled once, not again for each parse.
 */
export const highlighter = createLowlight(EAGER);

/**
 * The grammars loaded on demand, one chunk each: lowlight's common set beyond `EAGER`. A name
 * added here needs its aliases in `DECLARED_ALIASES` (the test says which).
 */
const lazy = import.meta.glob<LanguageFn>(
  [
    "./{arduino,c,cpp,csharp,go,graphql,java,kotlin,less,lua,makefile,objectivec,perl,php,php-template}.js",
    "./{python-repl,r,ruby,scss,sql,swift,vbnet,wasm}.js",
  ],
  { base: "../../node_modules/highlight.js/es/languages", import: "default" },
);

/** A grammar's name from the path of its file. */
function nameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1, -".js".length);
}

const loaders = new Map<string, () => Promise<LanguageFn>>();
for (const [path, load] of Object.entries(lazy)) loaders.set(nameOf(path), load);

/**
 * The aliases each grammar above declares (highlight.js 11.11), by grammar name, so a block
 * labelled `rb` or `c++` finds its grammar before the grammar is loaded.
 * highlightLanguages.test.ts checks this against the grammars themselves.
 */
const DECLARED_ALIASES: Record<string, string> = {
  arduino: "ino", bash: "sh zsh", c: "h", cpp: "cc c++ h++ hpp hh hxx cxx", csharp: "cs c#",
  diff: "patch", go: "golang", graphql: "gql", ini: "toml", java: "jsp",
  javascript: "js jsx mjs cjs", json: "jsonc json5", kotlin: "kt kts", lua: "pluto",
  makefile: "mk mak make", markdown: "md mkdown mkd",
  objectivec: "mm objc obj-c obj-c++ objective-c++", perl: "pl pm", plaintext: "text txt",
  python: "py gyp ipython", "python-repl": "pycon", ruby: "rb gemspec podspec thor irb",
  rust: "rs", shell: "console shellsession", typescript: "ts tsx mts cts", vbnet: "vb",
  xml: "html xhtml rss atom xjb xsd xsl plist wsf svg", yaml: "yml",
};

/** Lower-case alias → grammar name, from `DECLARED_ALIASES`. */
const aliases = new Map<string, string>();
for (const [name, list] of Object.entries(DECLARED_ALIASES)) {
  for (const alias of list.split(" ")) aliases.set(alias, name);
}

/** The grammar a block's language label names (highlight.js ignores case), or null. */
export function grammarName(label: string): string | null {
  const lower = label.toLowerCase();
  if (loaders.has(lower) || Object.hasOwn(EAGER, lower)) return lower;
  return aliases.get(lower) ?? null;
}

/** The aliases `DECLARED_ALIASES` lists for `name` (for the test comparing them with the grammar). */
export function listedAliases(name: string): string[] {
  return DECLARED_ALIASES[name]?.split(" ") ?? [];
}

/** Names of every grammar that can be loaded later (for tests). */
export function lazyGrammarNames(): string[] {
  return [...loaders.keys()].filter((name) => !Object.hasOwn(EAGER, name));
}

const loading = new Map<string, Promise<boolean>>();
const listeners = new Set<(name: string) => void>();

/** Calls `listener` with a grammar's name each time one finishes loading; returns the unsubscribe. */
export function onGrammarLoaded(listener: (name: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Makes sure the grammar `label` names is registered: null when it already is or no grammar has
 * that name (nothing to wait for), otherwise the load, resolving to whether it succeeded. Loads
 * each grammar once however many blocks ask.
 */
export function requestGrammar(label: string): Promise<boolean> | null {
  const name = grammarName(label);
  if (name === null || highlighter.registered(name)) return null;
  const load = loaders.get(name);
  if (!load) return null;
  const pending = loading.get(name);
  if (pending) return pending;
  const started = load().then(
    (grammar) => {
      highlighter.register(name, grammar);
      for (const listener of listeners) listener(name);
      return true;
    },
    // A chunk that cannot be read leaves the block plain, as an unknown language is; the next
    // message naming it tries again.
    () => {
      loading.delete(name);
      return false;
    },
  );
  loading.set(name, started);
  return started;
}

/** The language labels of the fenced code blocks in markdown `text` (the info string's first word). */
export function fencedLanguages(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/^ {0,3}(?:`{3,}|~{3,})[ \t]*([^\s`{]+)/gm)) {
    if (match[1]) found.add(match[1]);
  }
  return [...found];
}
