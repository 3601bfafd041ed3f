// The feedback message with only the findings the person kept. Warden composes the message
// (one "## Check `id` failed" section per failing check — "## Review `reviewer codex` needs
// attention" per blocking review — one "- title (file:line)" line per
// finding with its explanation indented under it); leaving a finding out removes its lines,
// and a check whose findings are all left out loses its section.
import type { CheckFinding, Finding } from "../../ipc";

/** The line that names a finding in the message. */
export function findingLine(f: Finding): string {
  const location = f.file !== null ? (f.line !== null ? ` (${f.file}:${f.line})` : ` (${f.file})`) : "";
  return `- ${f.title}${location}`;
}

/** A stable key for a finding (checkbox state). */
export function findingKey(f: CheckFinding, index: number): string {
  return `${index}:${f.check}`;
}

/**
 * `proposed` without the findings not in `kept` (indexes into `findings`). With every finding
 * kept it is `proposed` unchanged.
 */
export function keepFindings(proposed: string, findings: readonly CheckFinding[], kept: ReadonlySet<number>): string {
  if (kept.size === findings.length) return proposed;
  const lines = proposed.split("\n");
  const out: string[] = [];
  let section: string | null = null;
  let sectionLines: string[] = [];
  let sectionKeeps = false;
  let skipping = false;
  // Findings of each check still to match, in order (two findings may read the same).
  const pending = new Map<string, { line: string; keep: boolean }[]>();
  findings.forEach((f, i) => {
    const list = pending.get(f.check) ?? [];
    list.push({ line: findingLine(f.finding), keep: kept.has(i) });
    pending.set(f.check, list);
  });
  const hadFindings = new Set(findings.map((f) => f.check));
  const flush = () => {
    // A check's section goes when it had findings and none of them is kept.
    if (section !== null && (sectionKeeps || !hadFindings.has(section))) out.push(...sectionLines);
    sectionLines = [];
  };
  for (const line of lines) {
    // A blocking review's section is named for its reviewer like a check's ("reviewer codex").
    const head = /^## (?:Check `(.+?)` failed|Review `(.+?)` needs attention)/.exec(line);
    if (head) {
      flush();
      section = head[1] ?? head[2] ?? null;
      sectionKeeps = false;
      skipping = false;
      sectionLines = [line];
      continue;
    }
    if (section === null) {
      out.push(line);
      continue;
    }
    if (line.startsWith("- ")) {
      const list = pending.get(section) ?? [];
      const at = list.findIndex((p) => p.line === line);
      if (at >= 0) {
        const [match] = list.splice(at, 1);
        skipping = !match?.keep;
        if (match?.keep) sectionKeeps = true;
      } else skipping = false;
      if (!skipping) sectionLines.push(line);
      continue;
    }
    if (skipping && line.startsWith("  ")) continue;
    skipping = false;
    sectionLines.push(line);
  }
  flush();
  return out.join("\n");
}
