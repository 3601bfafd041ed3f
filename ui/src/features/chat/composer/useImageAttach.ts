// Pasting and dropping images into the prompt box: read within what the agent takes, added to
// the prompt as it is when reading is done (what was typed meanwhile stays), and what was
// refused said in one message.
import { useRef, useState, type ClipboardEvent, type DragEvent } from "react";
import type { PromptAccepts } from "../../../ipc";
import type { ComposedPrompt } from "./composed";
import { carriesFiles, readImages } from "./images";

/** The handlers for the box and its drop zone, whether a drop hovers, and the last refusal. */
export function useImageAttach(prompt: ComposedPrompt, setPrompt: (next: ComposedPrompt) => void, accepts: PromptAccepts | null, agentName: string) {
  const [dropping, setDropping] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const latest = useRef(prompt);
  latest.current = prompt;

  const attach = async (files: File[]) => {
    const held = latest.current.attachments.filter((a) => a.type === "image").length;
    const read = await readImages(files, accepts, held, agentName);
    const now = latest.current;
    if (read.images.length > 0) setPrompt({ ...now, attachments: [...now.attachments, ...read.images] });
    setProblem(read.refused.length > 0 ? read.refused.join(" ") : null);
  };

  return {
    dropping,
    problem,
    setProblem,
    onPaste: (e: ClipboardEvent<HTMLTextAreaElement>) => {
      const files = Array.from(e.clipboardData?.files ?? []);
      if (files.length === 0) return;
      // A pasted file is an attachment, never its name as text.
      e.preventDefault();
      void attach(files);
    },
    onDragOver: (e: DragEvent<HTMLElement>) => {
      if (!carriesFiles(e.dataTransfer?.types)) return;
      e.preventDefault();
      // The drop zone lights up only where images are taken; a drop elsewhere says why not.
      setDropping(!!accepts?.images);
    },
    onDragLeave: () => setDropping(false),
    onDrop: (e: DragEvent<HTMLElement>) => {
      setDropping(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length === 0) return;
      e.preventDefault();
      void attach(files);
    },
  };
}
