//! What every mock model server shares: its own thread and runtime (so synchronous tests, async
//! tests and the standalone binary all use it the same way), a port on 127.0.0.1, and a
//! graceful stop when it is dropped.

use axum::Router;
use std::net::SocketAddr;
use tokio::sync::oneshot;

/// A running HTTP server on 127.0.0.1; it stops when dropped.
pub(crate) struct Server {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Serves `app` on `port` (0 picks a free one) from a thread named `name`.
    pub(crate) fn start(name: &str, port: u16, app: Router) -> anyhow::Result<Server> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (shutdown, stop) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new().name(name.to_owned()).spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("mock server runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stop.await;
                    })
                    .await;
            });
        })?;
        Ok(Server { addr, shutdown: Some(shutdown), thread: Some(thread) })
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        // Graceful shutdown waits for open streams; a test that abandoned a slow reply must not
        // hang on it, so the thread is only joined when it is already done.
        if let Some(thread) = self.thread.take() {
            if thread.is_finished() {
                let _ = thread.join();
            }
        }
    }
}
