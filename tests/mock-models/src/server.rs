//! What every mock model server shares: its own thread and runtime (so synchronous tests, async
//! tests and the standalone binary all use it the same way), a port on 127.0.0.1, and a
//! graceful stop when it is dropped; and the script of replies with the requests received.

use crate::script::Reply;
use axum::Router;
use serde_json::Value;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// What the reply to a request with an empty script says.
pub const UNSCRIPTED: &str = "mock model: no scripted reply left";

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

/// What a test scripted and what the agent asked, shared between the test and the server's
/// handlers.
#[derive(Clone)]
pub(crate) struct Script(Arc<Mutex<ScriptState>>);

#[derive(Default)]
struct ScriptState {
    replies: VecDeque<Reply>,
    requests: Vec<Value>,
    side_requests: Vec<Value>,
}

impl Script {
    /// A script that answers with `replies`, in order.
    pub(crate) fn new(replies: Vec<Reply>) -> Script {
        Script(Arc::new(Mutex::new(ScriptState { replies: replies.into(), ..Default::default() })))
    }

    /// Records a model request and takes the next reply ([`UNSCRIPTED`] text once the script
    /// is used up, so a test that scripted too few replies sees it in the transcript rather than
    /// hanging), with the request's number counting from 1.
    pub(crate) fn next(&self, body: Value) -> (Reply, u64) {
        let mut s = self.lock();
        s.requests.push(body);
        let reply = s.replies.pop_front().unwrap_or_else(|| Reply::text(UNSCRIPTED));
        (reply, s.requests.len() as u64)
    }

    /// Records a side request, one that does not use up the script.
    pub(crate) fn record_side(&self, body: Value) {
        self.lock().side_requests.push(body);
    }

    /// Queues more replies after the ones already scripted.
    pub(crate) fn push(&self, reply: Reply) {
        self.lock().replies.push_back(reply);
    }

    /// Every model request body received so far.
    pub(crate) fn requests(&self) -> Vec<Value> {
        self.lock().requests.clone()
    }

    /// Every side request body received so far.
    pub(crate) fn side_requests(&self) -> Vec<Value> {
        self.lock().side_requests.clone()
    }

    /// How many scripted replies have not been used yet.
    pub(crate) fn remaining(&self) -> usize {
        self.lock().replies.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ScriptState> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
