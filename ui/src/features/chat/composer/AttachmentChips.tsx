// What the prompt in the box carries besides its text: a chip per mentioned file or folder and
// a thumbnail per image, each removable.
import { imageUrl, type ComposerAttachment } from "./composed";
import { formatBytes } from "./images";
import { Icon } from "../../../shared/icons";

interface Props {
  attachments: readonly ComposerAttachment[];
  onRemove: (attachment: ComposerAttachment) => void;
}

/** The chips and thumbnails above the box's text; nothing when there are none. */
export function AttachmentChips({ attachments, onRemove }: Props) {
  if (attachments.length === 0) return null;
  return (
    <ul className="composer-attachments" aria-label="Attached to the prompt">
      {attachments.map((a, i) =>
        a.type === "mention" ? (
          <li key={`m:${a.path}`} className="mention-chip" data-testid="mention-chip" data-path={a.path} title={a.path}>
            <Icon name={a.kind === "folder" ? "folder" : "files"} size={12} />
            <span className="chip-name">{baseName(a.path)}</span>
            <button type="button" className="chip-remove" aria-label={`Remove ${a.path}`} onClick={() => onRemove(a)}>
              ×
            </button>
          </li>
        ) : (
          <li key={`i:${i}`} className="image-thumb" data-testid="image-thumb" title={`${a.name ?? "Pasted image"} · ${formatBytes(a.bytes)}`}>
            <img src={imageUrl(a.mediaType, a.dataBase64)} alt={a.name ?? "Pasted image"} />
            <button type="button" className="chip-remove" aria-label={`Remove ${a.name ?? "the image"}`} data-testid="image-remove" onClick={() => onRemove(a)}>
              ×
            </button>
          </li>
        ),
      )}
    </ul>
  );
}

/** The last part of a path ("src/main.rs" → "main.rs"). */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1) || trimmed;
}
