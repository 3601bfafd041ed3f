// Assistant text as markdown. react-markdown builds React elements (no HTML strings, so nothing
// the model writes can run in the window), GFM adds tables and task lists, highlight.js colours
// fenced code by its language (highlightCode.ts).
import { memo, useSyncExternalStore, type ReactElement } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { openLink } from "../ipc";
import { highlightCode } from "./highlightCode";
import { fencedLanguages, grammarName, onGrammarLoaded, requestGrammar } from "./highlightLanguages";
import { linkTitle, openableLink } from "./links";

const remarkPlugins = [remarkGfm];
// Fenced code in the common languages is coloured at once; a rarer language's block shows plain
// until its grammar has loaded (highlightLanguages.ts), then the message is parsed again.
const rehypePlugins = [highlightCode];

/**
 * Links never navigate the window: web links open in the system browser, mail links in the mail
 * program with the address only (see `links.ts`). Any other link is shown as text, not opened.
 */
const components: Components = {
  a: ({ href, children }) => {
    const target = openableLink(href);
    if (target === null) {
      return (
        <span className="link-refused" title={linkTitle(href)} data-testid="link-refused">
          {children}
        </span>
      );
    }
    return (
      <a
        href={target}
        title={linkTitle(href)}
        onClick={(e) => {
          e.preventDefault();
          void openLink(target);
        }}
      >
        {children}
      </a>
    );
  },
};

/**
 * Parsed messages by text. The virtual list mounts a row again each time it scrolls back into
 * view; parsing and highlighting are most of that cost, and the element tree can be reused.
 */
const parsed = new Map<string, ReactElement>();
const PARSED_KEPT = 400;

/** Texts parsed while a grammar they name was still loading, by grammar name. */
const waitingFor = new Map<string, Set<string>>();
/** Counts loaded grammars; the views read it so they render again when one arrives. */
let grammarsLoaded = 0;
const renderAgain = new Set<() => void>();

onGrammarLoaded((name) => {
  // Those texts are parsed again with the grammar; every other cached tree stays as it is.
  for (const text of waitingFor.get(name) ?? []) parsed.delete(text);
  waitingFor.delete(name);
  grammarsLoaded += 1;
  for (const notify of renderAgain) notify();
});

function subscribeToGrammars(notify: () => void): () => void {
  renderAgain.add(notify);
  return () => renderAgain.delete(notify);
}

function grammarsVersion(): number {
  return grammarsLoaded;
}

/** Starts loading the grammars `text`'s code blocks name that are not registered yet. */
function requestGrammarsOf(text: string) {
  if (!text.includes("```") && !text.includes("~~~")) return;
  for (const label of fencedLanguages(text)) {
    const loading = requestGrammar(label);
    const name = grammarName(label);
    if (loading === null || name === null) continue;
    const texts = waitingFor.get(name) ?? new Set<string>();
    texts.add(text);
    waitingFor.set(name, texts);
    // A grammar that failed to load keeps nothing waiting; the next parse naming it asks again.
    void loading.then((loaded) => {
      if (!loaded) waitingFor.delete(name);
    });
  }
}

function parse(text: string): ReactElement {
  const hit = parsed.get(text);
  if (hit) {
    // Refresh its place: the map's order is least recently used first.
    parsed.delete(text);
    parsed.set(text, hit);
    return hit;
  }
  requestGrammarsOf(text);
  // react-markdown's default export is a plain synchronous function (no hooks): calling it
  // yields the finished element tree, which is what is worth keeping.
  const element = ReactMarkdown({ remarkPlugins, rehypePlugins, components, children: text });
  parsed.set(text, element);
  if (parsed.size > PARSED_KEPT) parsed.delete(parsed.keys().next().value as string);
  return element;
}

interface Props {
  text: string;
  /**
   * The list is flying past (a scroll bar dragged): show text not parsed yet as plain text,
   * so each frame stays cheap; it becomes markdown when the scrolling stops.
   */
  plainUnlessReady?: boolean;
}

/** Renders `text` as markdown; re-renders only when the text changes. */
export const Markdown = memo(function Markdown({ text, plainUnlessReady = false }: Props) {
  // A grammar arriving drops the cached trees that waited for it; rendering again re-parses them.
  useSyncExternalStore(subscribeToGrammars, grammarsVersion);
  if (plainUnlessReady && !parsed.has(text)) return <div className="markdown plain">{text}</div>;
  return <div className="markdown">{parse(text)}</div>;
});
