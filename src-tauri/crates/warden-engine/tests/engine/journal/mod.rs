//! The file journal through the engine: what its data folder holds is private, and what it
//! tells about a rollback a crash interrupted. The journal's own tests (recording, rollback,
//! redo, the random-sequence property, crash injection) are in `warden-journal/tests/`; the
//! fixture and the crashing child are shared with them by path.

#[path = "../../../../warden-journal/tests/journal/crashing.rs"]
mod crashing;
#[path = "../../../../warden-journal/tests/journal/fixture.rs"]
mod fixture;
mod modes;
mod recovery;

use fixture::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use warden_journal::DEFAULT_CAP;
