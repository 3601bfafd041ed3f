//! The person's own deliveries: Redeliver and Send test event. The endpoint is looked up as
//! [`crate::endpoints`] decides (configured, switched on, trusted, secret at hand) so the
//! error says why it cannot be used; then one attempt is made, outside the retry schedule.
//! The one home of both for the command line (`warden webhooks redeliver | test`) and the
//! window's commands.

use crate::endpoints::{self, EndpointsError, Unusable};
use std::path::Path;
use warden_webhooks::{Attempt, Webhooks};

/// Why a manual delivery was not attempted.
#[derive(Debug, thiserror::Error)]
pub enum ManualError {
    /// The project's configuration cannot be read.
    #[error(transparent)]
    Endpoints(#[from] EndpointsError),
    /// The endpoint cannot be delivered to now.
    #[error(transparent)]
    Unusable(#[from] Unusable),
    /// The outbox failed, or there is no such delivery.
    #[error(transparent)]
    Webhooks(#[from] warden_webhooks::Error),
}

/// Sends delivery `delivery` again, once, to its endpoint as configured now; returns the
/// attempt (also in the delivery log).
pub async fn redeliver(service: &Webhooks, data_dir: &Path, delivery: i64) -> Result<Attempt, ManualError> {
    let row = service
        .outbox()
        .delivery(delivery)
        .map_err(warden_webhooks::Error::from)?
        .ok_or(warden_webhooks::Error::NoDelivery(delivery))?;
    let endpoint = endpoints::endpoint(Path::new(&row.project), data_dir, &row.endpoint)??;
    Ok(service.redeliver_to(delivery, &endpoint).await?)
}

/// Sends a test event to endpoint `id` of `project` (a resolved project folder) now, once;
/// returns the new delivery's id and its attempt.
pub async fn send_test(service: &Webhooks, project: &Path, data_dir: &Path, id: &str) -> Result<(i64, Attempt), ManualError> {
    let endpoint = endpoints::endpoint(project, data_dir, id)??;
    Ok(service.send_test(&project.to_string_lossy(), &endpoint).await?)
}
