// Assistant text as markdown. react-markdown builds React elements (no HTML strings, so nothing
// the model writes can run in the window), GFM adds tables and task lists, highlight.js colours
// fenced code by its language.
import { memo } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";

const remarkPlugins = [remarkGfm];
// `detect: false`: guessing the language of every unlabelled block costs more than it gives.
const rehypePlugins: [typeof rehypeHighlight, { detect: boolean; ignoreMissing: boolean }][] = [
  [rehypeHighlight, { detect: false, ignoreMissing: true }],
];

/** Links open nothing inside the window; their address shows on hover. */
const components: Components = {
  a: ({ href, children }) => (
    <a href={href} title={href} onClick={(e) => e.preventDefault()}>
      {children}
    </a>
  ),
};

/** Renders `text` as markdown; re-renders only when the text changes. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
