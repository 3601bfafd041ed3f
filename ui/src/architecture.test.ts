/// <reference types="vite/client" />
// Which folder of the window may import which: the direction the source tree keeps.
//
//   app/         the window's frame; may import anything below it
//   features/X/  one screen or panel; may import model/, shared/, ipc/ and the screens it embeds,
//                never in a circle (if X imports Y, nothing in Y leads back to X)
//   model/       the state the screens read (transcripts, the session hub, the workspace): no screen
//   shared/      widgets and helpers several screens use (dialogs, diffs, formats): no screen, no state
//   ipc/         the backend's commands and events
//
// The test reads the sources as text, so it also counts imports used only for types, `vi.mock`
// paths and tests; a test that needs two screens lives with the one that embeds the other.
import { describe, expect, it } from "vitest";

const SOURCES = import.meta.glob(["./**/*.{ts,tsx}", "!./architecture.test.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

/** The folder a file's imports are judged by: `features/<name>`, `model`, `shared`, `app`, … */
export function layerOf(path: string): string {
  const parts = path.replace(/^\.\//, "").split("/");
  if (parts.length === 1) return ".";
  if (parts[0] === "features") return `features/${parts[1]}`;
  return parts[0] ?? ".";
}

/** Every relative module a source names: imports, re-exports, side-effect and dynamic imports, mocks. */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const pattern =
    /(?:\b(?:import|export)\b[^'";]*?\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bvi\.(?:mock|doMock|importActual)\s*(?:<[^>]*>)?\(\s*)(['"])(\.{1,2}\/[^'"]*)\1/g;
  for (const match of source.matchAll(pattern)) if (match[2]) found.push(match[2]);
  return found;
}

/** `spec` imported from `from`, as a path like the keys of `files` ("./model/hub.ts"). */
function resolve(from: string, spec: string, files: ReadonlySet<string>): string | null {
  const parts = from.split("/").slice(0, -1);
  for (const part of spec.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  const base = parts.join("/");
  const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`];
  return candidates.find((c) => files.has(c)) ?? (/\.(css|svg|png)$/.test(base) ? base : null);
}

/** One import from a file in one folder to a file in another. */
interface Edge {
  from: string;
  to: string;
  spec: string;
}

/** What breaks the direction in `sources` (path → text), one line per problem; empty when none. */
export function violations(sources: Readonly<Record<string, string>>): string[] {
  const files = new Set(Object.keys(sources));
  const problems: string[] = [];
  const edges: Edge[] = [];
  for (const [file, source] of Object.entries(sources)) {
    for (const spec of importsOf(source)) {
      const target = resolve(file, spec, files);
      if (target === null) {
        problems.push(`${file} imports ${spec}, which is no file here (the check would miss it)`);
        continue;
      }
      if (layerOf(file) !== layerOf(target)) edges.push({ from: file, to: target, spec });
    }
  }

  const below: Record<string, readonly string[]> = {
    model: ["features/", "app"],
    shared: ["features/", "app", "model"],
    ipc: ["features/", "app", "model", "shared"],
  };
  for (const edge of edges) {
    const forbidden = below[layerOf(edge.from)] ?? [];
    const to = layerOf(edge.to);
    if (forbidden.some((f) => to === f || (f.endsWith("/") && to.startsWith(f)))) {
      problems.push(`${edge.from} (${layerOf(edge.from)}) imports ${edge.spec}, in ${to}`);
    }
  }

  // Feature folders must form no circle: a depth-first search reports the first path back.
  const featureEdges = edges.filter((e) => layerOf(e.from).startsWith("features/") && layerOf(e.to).startsWith("features/"));
  const next = new Map<string, Edge[]>();
  for (const e of featureEdges) next.set(layerOf(e.from), [...(next.get(layerOf(e.from)) ?? []), e]);
  const done = new Set<string>();
  const reported = new Set<string>();
  const visit = (folder: string, path: Edge[]) => {
    const onPath = path.map((e) => layerOf(e.from));
    const start = onPath.indexOf(folder);
    if (start >= 0) {
      const loop = path.slice(start);
      const key = [...loop.map((e) => layerOf(e.from))].sort().join(" ");
      if (!reported.has(key)) {
        reported.add(key);
        problems.push(`feature folders import each other: ${loop.map((e) => `${e.from} imports ${e.spec}`).join(", ")}`);
      }
      return;
    }
    if (done.has(folder)) return;
    const seen = new Set<string>();
    for (const e of next.get(folder) ?? []) {
      const to = layerOf(e.to);
      if (seen.has(to)) continue;
      seen.add(to);
      visit(to, [...path, e]);
    }
    done.add(folder);
  };
  for (const folder of next.keys()) visit(folder, []);
  return problems;
}

describe("the direction of the UI folders", () => {
  it("reads the sources it judges", () => {
    // Guards the glob and the parser: a check that saw no imports would pass whatever the tree.
    const all = Object.entries(SOURCES).flatMap(([, s]) => importsOf(s));
    expect(Object.keys(SOURCES)).toContain("./model/transcript.ts");
    expect(Object.keys(SOURCES)).toContain("./shared/Dialog.tsx");
    expect(all.length).toBeGreaterThan(300);
  });

  it("holds in this tree", () => {
    expect(violations(SOURCES)).toEqual([]);
  });

  it("finds the model or a shared piece importing a screen", () => {
    const problems = violations({
      "./model/hub.ts": 'import { SessionView } from "../features/session/SessionView";',
      "./shared/Dialog.tsx": 'import type { Feed } from "../model/hub";\nimport "../app/app.css";',
      "./features/session/SessionView.tsx": "export const SessionView = 1;",
      "./app/app.css": "",
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/model\/hub\.ts \(model\) imports .*SessionView, in features\/session/);
  });

  it("finds feature folders that import each other, directly or round a longer circle", () => {
    expect(
      violations({
        "./features/a/A.tsx": 'import { B } from "../b/B";',
        "./features/b/B.tsx": 'vi.mock("../a/A");',
      }),
    ).toEqual(["feature folders import each other: ./features/a/A.tsx imports ../b/B, ./features/b/B.tsx imports ../a/A"]);
    expect(
      violations({
        "./features/a/A.tsx": 'import { B } from "../b/B";',
        "./features/b/B.tsx": 'import type { C } from "../c/sub/C";',
        "./features/c/sub/C.tsx": 'export { A } from "../../a/A";',
      }),
    ).toHaveLength(1);
    expect(
      violations({
        "./features/a/A.tsx": 'import { B } from "../b/B";\nimport { m } from "../../model/m";',
        "./features/b/B.tsx": 'import { m } from "../../model/m";',
        "./model/m.ts": "export const m = 1;",
      }),
    ).toEqual([]);
  });

  it("reports an import it cannot place instead of passing over it", () => {
    expect(violations({ "./model/m.ts": 'import { x } from "./gone";' })).toHaveLength(1);
  });
});
