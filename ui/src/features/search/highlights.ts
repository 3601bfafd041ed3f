// Marks the searched words in the chat rows on screen through the CSS Custom Highlight API:
// ranges over the page's text, so React's DOM is never rewritten (rows come and go as the
// virtualised list scrolls; a mutation observer paints again). Where the webview lacks the
// API, nothing is marked but the current row's outline (`search-current`, chat.css).
import { useEffect } from "react";

/** The highlight names the styles use (`::highlight(search-match)`). */
export const MATCH_HIGHLIGHT = "search-match";
export const CURRENT_HIGHLIGHT = "search-current";

interface HighlightRegistry {
  set(name: string, highlight: unknown): void;
  delete(name: string): void;
}

type HighlightCtor = new (...ranges: Range[]) => unknown;

function api(): { registry: HighlightRegistry; Highlight: HighlightCtor } | null {
  const registry = (globalThis.CSS as unknown as { highlights?: HighlightRegistry } | undefined)?.highlights;
  const Highlight = (globalThis as unknown as { Highlight?: HighlightCtor }).Highlight;
  return registry && Highlight ? { registry, Highlight } : null;
}

/** Ranges of every occurrence of each needle (lower case) in the text under `root`. */
export function rangesIn(root: Node, needles: string[]): Range[] {
  const ranges: Range[] = [];
  const wanted = needles.filter(Boolean);
  if (wanted.length === 0) return ranges;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.nodeValue ?? "").toLowerCase();
    for (const needle of wanted) {
      for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + needle.length);
        ranges.push(range);
      }
    }
  }
  return ranges;
}

/**
 * Keeps `needles` marked under `root` while mounted; in the row marked `search-current`, the
 * `nth` occurrence (or its last, when the row shows fewer) is marked as the current one.
 */
export function useHighlights(root: HTMLElement | null, needles: string[], nth: number | null) {
  const key = needles.join("\u0000");
  useEffect(() => {
    const highlights = api();
    if (!root || !highlights || !key) return;
    const wanted = key.split("\u0000");
    let frame = 0;
    const paint = () => {
      frame = 0;
      const rows = root.querySelector(".chat-rows") ?? root;
      const all = rangesIn(rows, wanted);
      const currentRow = root.querySelector(".search-current");
      const inRow = currentRow ? all.filter((r) => currentRow.contains(r.startContainer)) : [];
      const current = nth === null || inRow.length === 0 ? [] : [inRow[Math.min(nth, inRow.length - 1)] as Range];
      highlights.registry.set(MATCH_HIGHLIGHT, new highlights.Highlight(...all));
      highlights.registry.set(CURRENT_HIGHLIGHT, new highlights.Highlight(...current));
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(paint);
    };
    const observer = new MutationObserver(schedule);
    observer.observe(root, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["class"] });
    schedule();
    return () => {
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
      highlights.registry.delete(MATCH_HIGHLIGHT);
      highlights.registry.delete(CURRENT_HIGHLIGHT);
    };
  }, [root, key, nth]);
}
