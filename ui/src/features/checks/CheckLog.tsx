// A check's stored output, read from its log file a page at a time (a test run can print
// megabytes; only what the person asks for is read and drawn).
import { useCallback, useEffect, useState } from "react";
import { checks } from "../../ipc";
import { AnsiText } from "../../shared/AnsiText";

interface Props {
  path: string;
  /** Changes when the check runs again (its log is another file then, or has grown). */
  version: number;
}

export function CheckLog({ path, version }: Props) {
  const [text, setText] = useState("");
  const [next, setNext] = useState(0);
  const [size, setSize] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (offset: number, replace: boolean) => {
      setLoading(true);
      const page = await checks.log(path, offset);
      setLoading(false);
      if (!page.ok) {
        setError(page.error.message);
        return;
      }
      setError(null);
      setText((was) => (replace ? page.value.text : was + page.value.text));
      setNext(page.value.nextOffset);
      setSize(page.value.size);
    },
    [path],
  );

  useEffect(() => {
    void load(0, true);
  }, [load, version]);

  const more = size !== null && next < size;
  return (
    <div className="check-log-wrap">
      <div className="check-log-head">
        <span className="muted">Output{size !== null ? ` · ${formatBytes(size)}` : ""}</span>
        {more && (
          <button type="button" className="small" onClick={() => void load(next, false)} disabled={loading} data-testid="check-log-more">
            Show more ({formatBytes(size - next)} left)
          </button>
        )}
      </div>
      {error ? (
        <div className="inline-error" role="alert">
          Could not read the log: {error}
        </div>
      ) : (
        <div className="check-log" data-testid="check-log">
          {text ? <AnsiText text={text} /> : <span className="muted">{loading ? "Reading…" : "No output."}</span>}
        </div>
      )}
    </div>
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
