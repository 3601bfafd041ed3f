// The rehype step that colours fenced code: each `<pre><code class="language-x">` whose grammar is
// registered gets highlight.js's spans (classes `hljs-…`, coloured by chat.css). It uses the
// window's one highlighter (highlightLanguages.ts) instead of building one per parse, and leaves a
// block whose grammar is not loaded yet, or unknown, as plain text.
import type { Element, ElementContent, Root, RootContent } from "hast";
import { grammarName, highlighter } from "./highlightLanguages";

/** The language a code element's classes name (`language-x` or `lang-x`), or null. */
function labelOf(code: Element): string | null {
  const classes = code.properties.className;
  if (!Array.isArray(classes)) return null;
  for (const name of classes) {
    if (typeof name !== "string") continue;
    if (name.startsWith("language-")) return name.slice("language-".length);
    if (name.startsWith("lang-")) return name.slice("lang-".length);
  }
  return null;
}

/** The text a node holds, as written (code keeps every space and line break). */
function textOf(node: ElementContent | RootContent): string {
  if (node.type === "text") return node.value;
  if (node.type === "element") return node.children.map(textOf).join("");
  return "";
}

/** Replaces the children of `code` with highlighted spans when its language is registered. */
function highlight(code: Element) {
  const label = labelOf(code);
  if (label === null) return;
  const name = grammarName(label);
  if (name === null || !highlighter.registered(name)) return;
  const result = highlighter.highlight(name, code.children.map(textOf).join(""), { prefix: "hljs-" });
  const classes = Array.isArray(code.properties.className) ? code.properties.className : [];
  code.properties.className = ["hljs", ...classes];
  if (result.children.length > 0) code.children = result.children as ElementContent[];
}

/** Walks the tree for `pre > code` pairs; the code inside one is not looked into again. */
function visit(node: Root | Element) {
  for (const child of node.children) {
    if (child.type !== "element") continue;
    if (child.tagName === "pre") {
      for (const code of child.children) {
        if (code.type === "element" && code.tagName === "code") highlight(code);
      }
    } else {
      visit(child);
    }
  }
}

/** The rehype plugin: `rehypePlugins={[highlightCode]}`. No detection of unlabelled blocks (it
 *  costs more than it gives). */
export function highlightCode() {
  return (tree: Root) => visit(tree);
}
