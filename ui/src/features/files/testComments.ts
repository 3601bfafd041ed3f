// Hunk comments for tests: two comments of the person on src/lib.rs.
import type { HunkComment } from "../../ipc";

export const comment = (id: number, text: string, startLine: number): HunkComment => ({
  id,
  sessionId: "s1",
  task: 1,
  path: "src/lib.rs",
  startLine,
  endLine: startLine + 1,
  quote: "@@ -3,1 +3,2 @@\n+let x = 1;\n+let y = 2;\n",
  text,
  createdMs: 0,
  sent: false,
});
export const first = comment(1, "Name these better", 3);
export const second = comment(2, "Why two lets?", 7);
