//! `warden webhooks list | deliveries | redeliver | test` against a receiver on 127.0.0.1,
//! with the endpoint in the person's layer of the checks configuration (which needs no trust)
//! or in the project file (which does).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Requests (headers, body) received; every one is answered 200 (or `status`).
#[derive(Clone)]
pub(crate) struct Receiver {
    pub(crate) port: u16,
    got: Arc<Mutex<Vec<(Vec<(String, String)>, Vec<u8>)>>>,
}

impl Receiver {
    pub(crate) fn start(status: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let me = Self { port: listener.local_addr().unwrap().port(), got: Arc::default() };
        let got = me.got.clone();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let end = loop {
                    if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break p;
                    }
                    match stream.read(&mut chunk) {
                        Ok(0) | Err(_) => break usize::MAX,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                };
                if end == usize::MAX {
                    continue;
                }
                let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                let headers: Vec<(String, String)> =
                    head.split("\r\n").skip(1).filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned())).collect();
                let len: usize = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
                let mut body = buf[end + 4..].to_vec();
                while body.len() < len {
                    match stream.read(&mut chunk) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => body.extend_from_slice(&chunk[..n]),
                    }
                }
                got.lock().unwrap().push((headers, body));
                let _ = stream.write_all(format!("HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").as_bytes());
            }
        });
        me
    }

    pub(crate) fn received(&self) -> Vec<(Vec<(String, String)>, Vec<u8>)> {
        self.got.lock().unwrap().clone()
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

fn warden(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(args)
        .env("WARDEN_DATA_DIR", data)
        .env("WARDEN_TEST_HOOK_SECRET", SECRET)
        .env_remove("DISPLAY")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn hook_entry(port: u16) -> String {
    format!(
        "version = 1\n[[webhook]]\nid = \"local\"\nurl = \"http://127.0.0.1:{port}/hook\"\nevents = [\"task.finished\"]\n\
         secret = {{ env = \"WARDEN_TEST_HOOK_SECRET\" }}\nallow_private = true\ntimeout = \"5s\"\n\
         retry = {{ schedule = [\"10ms\"], jitter = \"none\" }}\n"
    )
}

pub(crate) fn personal_layer(data: &Path, project: &Path, text: &str) {
    let file = warden_gate::config::personal_file(data, &std::fs::canonicalize(project).unwrap());
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
}

#[test]
fn test_event_deliveries_and_redeliver_through_the_cli() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let rx = Receiver::start(200);
    personal_layer(data.path(), project.path(), &hook_entry(rx.port));
    let p = project.path().to_str().unwrap();

    let (code, out, err) = warden(data.path(), &["webhooks", "list", "--project", p, "--json"]);
    assert_eq!(code, 0, "{err}");
    let listed: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(listed["id"], "local");
    assert_eq!(listed["secret"], "env WARDEN_TEST_HOOK_SECRET");
    assert_eq!(listed["secretSet"], true);
    assert!(!out.contains("MfKQ9r8"), "the secret's value is never printed");

    let (code, out, err) = warden(data.path(), &["webhooks", "test", "local", "--project", p]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("HTTP 200") && out.contains("delivered"), "{out}");
    let got = rx.received();
    assert_eq!(got.len(), 1);
    let (headers, body) = &got[0];
    let id = header(headers, "webhook-id").unwrap();
    let ts: u64 = header(headers, "webhook-timestamp").unwrap().parse().unwrap();
    let key = warden_webhooks::Secret::parse(SECRET).unwrap();
    assert!(warden_webhooks::sign::verify_standard_webhooks(key.bytes(), id, ts, body, header(headers, "webhook-signature").unwrap()));
    let ping: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(ping["type"], "ping");

    let (code, out, err) = warden(data.path(), &["webhooks", "deliveries", "--endpoint", "local", "--json"]);
    assert_eq!(code, 0, "{err}");
    let delivery: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(delivery["eventId"], id);
    assert_eq!(delivery["status"], "delivered");
    assert_eq!(delivery["attemptLog"].as_array().unwrap().len(), 1);
    assert!(!out.contains("MfKQ9r8"), "the secret is not in the log");
    let delivery_id = delivery["id"].as_i64().unwrap().to_string();

    let (code, out, err) = warden(data.path(), &["webhooks", "redeliver", &delivery_id]);
    assert_eq!(code, 0, "{out}{err}");
    let got = rx.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].1, got[0].1, "redeliver sends the same bytes");
    assert_eq!(header(&got[1].0, "webhook-id"), Some(id));

    let (code, out, _) = warden(data.path(), &["webhooks", "deliveries"]);
    assert_eq!(code, 0);
    assert!(out.contains("delivered") && out.contains(" 2 tries") && out.contains("ping"), "{out}");
}

#[test]
fn an_untrusted_project_file_sends_nothing_and_failures_exit_1() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let rx = Receiver::start(500);
    std::fs::create_dir_all(project.path().join(".warden")).unwrap();
    std::fs::write(project.path().join(".warden/checks.toml"), hook_entry(rx.port)).unwrap();
    let p = project.path().to_str().unwrap();

    let (code, out, _) = warden(data.path(), &["webhooks", "list", "--project", p]);
    assert_eq!(code, 0);
    assert!(out.contains("local") && out.contains("not trusted"), "{out}");
    let (code, _, err) = warden(data.path(), &["webhooks", "test", "local", "--project", p]);
    assert_eq!(code, 2);
    assert!(err.contains("not trusted"), "{err}");
    assert!(rx.received().is_empty());

    // The person's own entry needs no trust; the receiver answers 500: not delivered.
    personal_layer(data.path(), project.path(), &hook_entry(rx.port).replace("id = \"local\"", "id = \"mine\""));
    let (code, out, _) = warden(data.path(), &["webhooks", "test", "mine", "--project", p]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("HTTP 500"), "{out}");
    let (code, _, err) = warden(data.path(), &["webhooks", "redeliver", "999"]);
    assert_eq!(code, 2);
    assert!(err.contains("no webhook delivery 999"), "{err}");
}

/// The task kinds the session publishes, in the order a passing task produces them.
const TASK_EVENTS: [&str; 6] = ["task.started", "task.completed", "check.started", "check.completed", "gate.passed", "task.finished"];

#[test]
fn a_run_whose_check_passes_delivers_its_task_events_signed_and_in_order() {
    let s = crate::headless::Setup::new();
    let rx = Receiver::start(200);
    let project = s.project();
    let events: Vec<String> = TASK_EVENTS.iter().map(|e| format!("\"{e}\"")).collect();
    personal_layer(
        s.data.path(),
        &project,
        &format!(
            "version = 1\n[[check]]\nid = \"ok\"\nrun = [\"true\"]\n\
             [[webhook]]\nid = \"local\"\nurl = \"http://127.0.0.1:{}/hook\"\nevents = [{}]\n\
             secret = {{ env = \"WARDEN_TEST_HOOK_SECRET\" }}\nallow_private = true\ntimeout = \"5s\"\n\
             retry = {{ schedule = [\"10ms\"], jitter = \"none\" }}\n",
            rx.port,
            events.join(", ")
        ),
    );
    s.mock.push(warden_mock_models::Reply::text("Nothing to change."));
    let out = s
        .warden(&["run", "--project", project.to_str().unwrap(), "--approve", "deny", "Check the project"])
        .env("WARDEN_TEST_HOOK_SECRET", SECRET)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("still pending"), "drained before exit: {stderr}");

    // `warden run` waited for its deliveries: all of them are in when it has exited.
    let got = rx.received();
    let types: Vec<&str> = got.iter().map(|(h, _)| header(h, "x-warden-event").unwrap_or_default()).collect();
    assert_eq!(types, TASK_EVENTS, "one delivery per event, in order");
    let key = warden_webhooks::Secret::parse(SECRET).unwrap();
    for (headers, body) in &got {
        let id = header(headers, "webhook-id").unwrap();
        let ts: u64 = header(headers, "webhook-timestamp").unwrap().parse().unwrap();
        assert!(warden_webhooks::sign::verify_standard_webhooks(key.bytes(), id, ts, body, header(headers, "webhook-signature").unwrap()));
        let envelope: serde_json::Value = serde_json::from_slice(body).unwrap();
        assert_eq!(envelope["id"], id);
        assert_eq!(envelope["data"]["project"], project.to_str().unwrap());
        assert_eq!(envelope["data"]["agent"], "claude");
    }
    let data = |i: usize| serde_json::from_slice::<serde_json::Value>(&got[i].1).unwrap()["data"].clone();
    assert_eq!(data(3)["check"], "ok");
    assert_eq!(data(3)["outcome"]["status"], "passed");
    assert_eq!((data(5)["outcome"].as_str(), data(5)["rounds"].as_u64()), (Some("passed"), Some(1)));
    assert_eq!(data(0)["session"], data(5)["session"]);
}

#[test]
fn the_window_starts_the_delivery_worker_which_sends_what_an_earlier_run_left_pending() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let rx = Receiver::start(200);
    let unsigned = hook_entry(rx.port).replace("secret = { env = \"WARDEN_TEST_HOOK_SECRET\" }", "signature = \"none\"");
    personal_layer(data.path(), project.path(), &unsigned);
    let canonical = std::fs::canonicalize(project.path()).unwrap();
    {
        // Queued by an earlier process that stopped before sending it.
        let endpoints = warden_gate::endpoints::endpoints_for(&canonical, data.path()).unwrap();
        let (outbox, _) = warden_webhooks::Outbox::open(data.path()).unwrap();
        let hooks = warden_webhooks::Webhooks::new(Arc::new(outbox), Arc::new(warden_webhooks::StaticEndpoints::default())).unwrap();
        let event = warden_webhooks::Event::now(warden_webhooks::EventType::TaskFinished, serde_json::json!({"outcome": "passed"}));
        assert_eq!(hooks.enqueue(&canonical.to_string_lossy(), &endpoints, &event).unwrap().len(), 1);
    }
    assert!(rx.received().is_empty());
    let _app = crate::support::TestApp::start(data.path(), None);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while rx.received().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let got = rx.received();
    assert_eq!(got.len(), 1, "the window's worker resumed the outbox");
    assert_eq!(header(&got[0].0, "x-warden-event"), Some("task.finished"));
}
