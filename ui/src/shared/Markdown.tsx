// Assistant text as markdown. react-markdown builds React elements (no HTML strings, so nothing
// the model writes can run in the window), GFM adds tables and task lists, highlight.js colours
// fenced code by its language.
import { memo, type ReactElement } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";
import { openLink } from "../ipc";
import { linkTitle, openableLink } from "./links";

const remarkPlugins = [remarkGfm];
// `detect: false`: guessing the language of every unlabelled block costs more than it gives.
const rehypePlugins: [typeof rehypeHighlight, { detect: boolean; ignoreMissing: boolean }][] = [
  [rehypeHighlight, { detect: false, ignoreMissing: true }],
];

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

function parse(text: string): ReactElement {
  const hit = parsed.get(text);
  if (hit) {
    // Refresh its place: the map's order is least recently used first.
    parsed.delete(text);
    parsed.set(text, hit);
    return hit;
  }
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
  if (plainUnlessReady && !parsed.has(text)) return <div className="markdown plain">{text}</div>;
  return <div className="markdown">{parse(text)}</div>;
});
