// The pipeline runs of a project in this window, kept current from the backend's
// `pipelineChanged` events.
import { useEffect, useState } from "react";
import { pipelines, type PipelineState } from "../../ipc";
import { mergeRun } from "./strip";

/** The project's runs, oldest first; a run started here appears with its first event. */
export function usePipelineRuns(project: string): PipelineState[] {
  const [runs, setRuns] = useState<PipelineState[]>([]);
  useEffect(() => {
    let live = true;
    let unlisten: (() => void) | null = null;
    void pipelines
      .onChange((state) => {
        if (live && state.project === project) setRuns((old) => mergeRun(old, state));
      })
      .then((stop) => {
        if (live) unlisten = stop;
        else stop();
      });
    // Listening first, then the runs as they are: a change in between arrives both ways and
    // the later state wins by run id.
    void pipelines.runs(project).then((got) => {
      if (live && got.ok) setRuns((old) => got.value.reduce((acc, state) => (acc.some((r) => r.runId === state.runId) ? acc : mergeRun(acc, state)), old));
    });
    return () => {
      live = false;
      unlisten?.();
    };
  }, [project]);
  return runs;
}
