// The chat texts a read-only Claude Code history sends after its events, read in pages of
// `seq`s as their rows come into view: each page asked for once while it loads, again only if it
// failed, and never one that holds no missing text.
import type { HistoryText, Outcome, OutputMatches } from "../ipc";

/** Events per page: a screenful of rows, and the rows around it, are one or two pages. */
export const TEXT_PAGE = 256;

/** Reads the texts of events `fromSeq..=toSeq`. */
export type PageReader = (fromSeq: number, toSeq: number) => Promise<Outcome<HistoryText[]>>;

/** The page that holds event `seq` (events are numbered from 1). */
export function pageOf(seq: number, size = TEXT_PAGE): number {
  return Math.floor((seq - 1) / size);
}

/** The events of page `page`, first and last. */
export function pageRange(page: number, size = TEXT_PAGE): [number, number] {
  return [page * size + 1, (page + 1) * size];
}

/** The pages a history's missing texts are in, and which of them were read or are being read. */
export class TextPages {
  /** Pages with at least one missing text, in order. */
  private readonly pages: number[];
  private readonly loading = new Set<number>();
  private readonly loaded = new Set<number>();
  /** The last page that could not be read, and why. */
  error: string | null = null;

  constructor(
    missing: number[],
    private readonly read: PageReader,
    private readonly onTexts: (texts: HistoryText[]) => void,
    private readonly size = TEXT_PAGE,
  ) {
    this.pages = [...new Set(missing.map((seq) => pageOf(seq, size)))].sort((a, b) => a - b);
  }

  /**
   * Reads the page holding `seq` unless it is read or being read, then the pages beside it (the
   * rows a scroll reaches next). Resolves when that page arrived, or could not be read.
   */
  async want(seq: number): Promise<void> {
    const page = pageOf(seq, this.size);
    await this.readPage(page);
    const at = this.pages.indexOf(page);
    for (const near of [this.pages[at - 1], this.pages[at + 1]]) {
      if (at !== -1 && near !== undefined) void this.readPage(near);
    }
  }

  /** Whether every page with a missing text was read. */
  get complete(): boolean {
    return this.pages.every((p) => this.loaded.has(p));
  }

  private async readPage(page: number): Promise<void> {
    if (this.loading.has(page) || this.loaded.has(page) || !this.pages.includes(page)) return;
    this.loading.add(page);
    const [from, to] = pageRange(page, this.size);
    try {
      const got = await this.read(from, to);
      if (!got.ok) {
        this.error = got.error.message;
        return;
      }
      this.loaded.add(page);
      // Only texts of this page: anything else was not asked for.
      this.onTexts(got.value.filter((t) => t.seq >= from && t.seq <= to));
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.loading.delete(page);
    }
  }
}

/** Outputs and texts one search of a history's transcript counts at most (the command's limit). */
export const MATCH_BATCH = 20_000;

/**
 * Counts matches in the texts and outputs `seqs` a history holds elsewhere, `MATCH_BATCH` at a
 * time (a long history leaves out more than one call may name), as one answer; the first
 * failure is the answer.
 */
export async function historyMatches(
  seqs: number[],
  count: (part: number[]) => Promise<Outcome<OutputMatches[]>>,
  batch = MATCH_BATCH,
): Promise<Outcome<OutputMatches[]>> {
  const found: OutputMatches[] = [];
  for (let at = 0; at < seqs.length; at += batch) {
    const part = await count(seqs.slice(at, at + batch));
    if (!part.ok) return part;
    found.push(...part.value);
  }
  return { ok: true, value: found };
}
