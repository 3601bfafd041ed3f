//! Forgetting a session that should never have been kept: a best-of-N member started while
//! its group could not be completed (another member failed), so the group leaves nothing
//! behind. Not for a session the person worked with: those are history.

use super::{Store, StoreError};
use warden_core::session::SessionId;

impl Store {
    /// Removes the session `id` and its events. Only for a session whose actor has finished
    /// (else it would write again) and that nobody worked with (see the module's header).
    pub fn forget_session(&self, id: &SessionId) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM events WHERE session_id = ?1", [id.as_str()])?;
        tx.execute("DELETE FROM sessions WHERE id = ?1", [id.as_str()])?;
        tx.commit()?;
        Ok(())
    }
}
