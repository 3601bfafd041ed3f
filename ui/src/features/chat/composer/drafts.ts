// Each session's unsent draft, kept across restarts in the webview's localStorage.
//
// Why localStorage and not tauri-plugin-store: the window is granted no generic store access
// (capabilities/main-window.json says so on purpose), and a draft is the webview's own state.
// localStorage is synchronous, so the draft is in the box on the first render — no flash, and
// no late load overwriting what the person already typed — and every keystroke is saved at
// once, so a crash loses nothing. Images are not kept (they would fill the small quota);
// mentioned files are. Drafts of closed sessions are removed (`forgetDraft`), and drafts left
// untouched for `MAX_AGE_MS` are pruned when the window starts (`pruneDrafts`).
import type { ComposedPrompt, MentionChip } from "./composed";

const PREFIX = "warden.draft.";
/** Drafts untouched this long are dropped: the session is long gone or forgotten. */
export const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

interface Stored {
  text: string;
  mentions: MentionChip[];
  savedAt: number;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // A webview without storage (private mode, quota policy): drafts live as long as the box.
    return null;
  }
}

/** The draft kept for session `id`, or an empty one. */
export function loadDraft(id: string): ComposedPrompt {
  const raw = storage()?.getItem(PREFIX + id);
  if (!raw) return { text: "", attachments: [] };
  try {
    const stored = JSON.parse(raw) as Partial<Stored>;
    const mentions = Array.isArray(stored.mentions) ? stored.mentions.filter((m) => m && typeof m.path === "string") : [];
    return {
      text: typeof stored.text === "string" ? stored.text : "",
      attachments: mentions.map((m) => ({ type: "mention", path: m.path, kind: m.kind === "folder" ? "folder" : "file" })),
    };
  } catch {
    return { text: "", attachments: [] };
  }
}

/** Keeps `draft` for session `id` (an empty one removes it). */
export function saveDraft(id: string, draft: ComposedPrompt, now = Date.now()): void {
  const store = storage();
  if (!store) return;
  const mentions = draft.attachments.filter((a): a is MentionChip => a.type === "mention");
  if (draft.text.trim() === "" && mentions.length === 0) {
    store.removeItem(PREFIX + id);
    return;
  }
  try {
    store.setItem(PREFIX + id, JSON.stringify({ text: draft.text, mentions, savedAt: now } satisfies Stored));
  } catch {
    // Over the quota: the draft stays in the box, only not across a restart.
  }
}

/** Removes session `id`'s draft (its tab was closed for good). */
export function forgetDraft(id: string): void {
  storage()?.removeItem(PREFIX + id);
}

/** Removes drafts older than `maxAgeMs`; returns how many went. */
export function pruneDrafts(now = Date.now(), maxAgeMs = MAX_AGE_MS): number {
  const store = storage();
  if (!store) return 0;
  const stale: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (!key?.startsWith(PREFIX)) continue;
    try {
      const savedAt = (JSON.parse(store.getItem(key) ?? "") as Partial<Stored>).savedAt;
      if (typeof savedAt !== "number" || now - savedAt > maxAgeMs) stale.push(key);
    } catch {
      stale.push(key);
    }
  }
  for (const key of stale) store.removeItem(key);
  return stale.length;
}
