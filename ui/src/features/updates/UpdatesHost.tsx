// Where the update dialog lives in the window: it opens on Help › Check for Updates…, and at
// start when the person turned the start-up check on and a newer version is offered. A
// start-up check that fails stays quiet (the log has it): nobody asked at that moment.
import { useEffect, useState } from "react";
import { updates, type UpdateInfo } from "../../ipc";
import { UpdateDialog } from "./UpdateDialog";

/** The update dialog when open: `found` is the update the start-up check found, if any. */
type Open = { found: UpdateInfo | null } | null;

export function UpdatesHost() {
  const [open, setOpen] = useState<Open>(null);

  useEffect(() => {
    let current = true;
    const stop = updates.onDialogRequested(() => setOpen((was) => was ?? { found: null }));
    void (async () => {
      const settings = await updates.settings();
      if (!current || !settings.checkAtStart) return;
      const found = await updates.check();
      if (current && found.ok && found.value) {
        const info = found.value;
        setOpen((was) => was ?? { found: info });
      }
    })();
    return () => {
      current = false;
      void stop.then((unlisten) => unlisten());
    };
  }, []);

  return open ? <UpdateDialog found={open.found} onClose={() => setOpen(null)} /> : null;
}
