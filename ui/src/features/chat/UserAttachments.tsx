// What a prompt in the chat carried: a chip per mentioned file or folder, a thumbnail per image
// (read back from the session's store once, then kept while the window runs, so a row scrolled
// out of view and back does not read it again).
import { useEffect, useState } from "react";
import { sessions, type Attachment } from "../../ipc";
import { baseName } from "./composer/AttachmentChips";
import { imageUrl } from "./composer/composed";
import { Icon } from "../../shared/icons";

interface Props {
  attachments: readonly Attachment[];
  /** The session whose store holds the images (null: a history not in Warden's store). */
  sessionId: string | null;
}

/** The chips and thumbnails under a prompt; nothing when it carried none. */
export function UserAttachments({ attachments, sessionId }: Props) {
  if (attachments.length === 0) return null;
  return (
    <ul className="user-attachments" data-testid="user-attachments" aria-label="Attached">
      {attachments.map((a, i) =>
        a.type === "mention" ? (
          <li key={`m:${a.path}`} className="mention-chip" data-testid="chat-mention-chip" data-path={a.path} title={a.path}>
            <Icon name={a.kind === "folder" ? "folder" : "files"} size={12} />
            <span className="chip-name">{baseName(a.path)}</span>
          </li>
        ) : (
          <li key={`i:${i}`} className="image-thumb" title={a.name ?? "Image"}>
            <StoredImage sessionId={sessionId} file={a.file} name={a.name ?? "Image"} />
          </li>
        ),
      )}
    </ul>
  );
}

/** Loaded thumbnails by session and file. */
const loaded = new Map<string, string>();

function StoredImage({ sessionId, file, name }: { sessionId: string | null; file: string; name: string }) {
  const key = `${sessionId}\u0000${file}`;
  const [url, setUrl] = useState<string | null>(() => loaded.get(key) ?? null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (url || !sessionId) return;
    let current = true;
    void sessions.image(sessionId, file).then((got) => {
      if (!current) return;
      if (!got.ok) return setFailed(got.error.message);
      const made = imageUrl(got.value.mediaType, got.value.dataBase64);
      loaded.set(key, made);
      setUrl(made);
    });
    return () => {
      current = false;
    };
  }, [key, url, sessionId, file]);
  if (url) return <img src={url} alt={name} data-testid="chat-image" />;
  return (
    <span className="muted" data-testid="chat-image-missing" title={failed ?? undefined}>
      {failed ? "Image not available" : sessionId ? "…" : "Image"}
    </span>
  );
}
