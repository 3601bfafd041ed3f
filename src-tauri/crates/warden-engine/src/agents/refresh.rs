//! The agents list answered at once from the kept versions, then checked in the background:
//! every agent asked for its version again, and the fresh list handed on only when it differs
//! from the one shown (an update behind an unchanged wrapper script, a login made meanwhile).

use super::detect::detect_all_with;
use super::env::DetectEnv;
use crate::discovery::Versions;
use crate::version_cache::VersionCache;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use warden_core::agent::{AgentView, CustomAgent};

/// Every preset and custom agent with every version asked again (and kept in `cache` for
/// next time).
pub async fn detect_all_fresh(custom: &[CustomAgent], env: &DetectEnv, cache: Option<&'static VersionCache>) -> Vec<AgentView> {
    detect_all_with(custom, env, Versions::Asked, cache).await
}

/// The background refreshes of one window: one at a time, and not again within
/// [`VersionRefresh::QUIET`] of the last, so opening the New Session dialog twice does not
/// start every agent twice.
#[derive(Debug, Clone)]
pub struct VersionRefresh {
    state: Arc<Mutex<RefreshState>>,
    cache: Option<&'static VersionCache>,
}

impl Default for VersionRefresh {
    /// Refreshes into the versions of this process's data folder (the one the engine opened,
    /// looked up when a refresh starts).
    fn default() -> Self {
        Self::with_cache(None)
    }
}

#[derive(Debug, Default)]
struct RefreshState {
    running: bool,
    last_finished: Option<Instant>,
}

impl VersionRefresh {
    /// How long after a refresh the next one is skipped.
    pub const QUIET: Duration = Duration::from_secs(60);

    /// Refreshes that keep what they hear in `cache` (`None`: this process's data folder's).
    pub fn with_cache(cache: Option<&'static VersionCache>) -> Self {
        Self { state: Arc::default(), cache }
    }

    /// Starts a refresh in the background unless one runs or one finished within
    /// [`Self::QUIET`]; `on_changed` gets the fresh list when it differs from `shown`.
    /// Returns whether a refresh started.
    pub fn start<F>(&self, shown: Vec<AgentView>, custom: Vec<CustomAgent>, env: DetectEnv, on_changed: F) -> bool
    where
        F: FnOnce(Vec<AgentView>) + Send + 'static,
    {
        {
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            if state.running || state.last_finished.is_some_and(|t| t.elapsed() < Self::QUIET) {
                return false;
            }
            state.running = true;
        }
        let (state, cache) = (self.state.clone(), self.cache.or_else(crate::version_cache::shared));
        tokio::spawn(async move {
            let fresh = detect_all_fresh(&custom, &env, cache).await;
            {
                let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
                state.running = false;
                state.last_finished = Some(Instant::now());
            }
            if fresh != shown {
                on_changed(fresh);
            }
        });
        true
    }

    /// Forgets the last refresh, so the next [`Self::start`] runs (after an install, which
    /// changes what is there).
    pub fn forget(&self) {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).last_finished = None;
    }
}
