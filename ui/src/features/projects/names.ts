// How projects are labelled in the sidebar and lists.

/** A project as far as naming is concerned. */
export interface Named {
  name: string;
  path: string;
}

function parents(path: string): string[] {
  // Works for / and \ separated paths; empty parts (leading /, doubled separators) are dropped.
  return path.split(/[\\/]+/).filter(Boolean).slice(0, -1).reverse();
}

/**
 * A label per path: the folder name, and where two open projects share a name, as many parent
 * folders as it takes to tell them apart (`app · work` and `app · personal`), as editors do for
 * tabs with the same file name.
 */
export function displayNames(items: Named[]): Map<string, string> {
  const labels = new Map<string, string>();
  const byName = new Map<string, Named[]>();
  for (const item of items) {
    const group = byName.get(item.name) ?? [];
    group.push(item);
    byName.set(item.name, group);
  }
  for (const [name, group] of byName) {
    if (group.length === 1) {
      labels.set(group[0]!.path, name);
      continue;
    }
    const chains = group.map((g) => parents(g.path));
    const longest = Math.max(...chains.map((c) => c.length));
    let depth = 1;
    while (depth < longest) {
      const suffixes = chains.map((c) => c.slice(0, depth).join("/"));
      if (new Set(suffixes).size === suffixes.length) break;
      depth += 1;
    }
    group.forEach((g, i) => {
      const suffix = chains[i]!.slice(0, depth).reverse().join("/");
      labels.set(g.path, suffix ? `${name} · ${suffix}` : name);
    });
  }
  return labels;
}

/** "just now", "5 minutes ago", "yesterday", "3 days ago", or a date for older times. */
export function relativeTime(thenMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return minutes === 1 ? "a minute ago" : `${minutes} minutes ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return hours === 1 ? "an hour ago" : `${hours} hours ago`;
  const days = Math.round(hours / 24);
  if (days === 1) return "yesterday";
  if (days < 30) return `${days} days ago`;
  return new Date(thenMs).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}
