//! The window's webhook commands against a receiver on 127.0.0.1: Send test event, the
//! project's delivery log with its attempts (headers and the response's first bytes), and
//! Redeliver; an endpoint of an untrusted project file is refused with the reason, and a
//! receiver's 500 comes back as not delivered.

use crate::support::TestApp;
use crate::webhooks::{personal_layer, Receiver};
use serde_json::{json, Value};

fn hook(id: &str, port: u16) -> String {
    format!(
        "version = 1\n[[webhook]]\nid = \"{id}\"\nurl = \"http://127.0.0.1:{port}/hook\"\nevents = [\"task.finished\"]\n\
         signature = \"none\"\nallow_private = true\ntimeout = \"5s\"\nretry = {{ schedule = [\"10ms\"], jitter = \"none\" }}\n"
    )
}

#[test]
fn test_event_shows_in_the_delivery_log_and_redeliver_sends_it_again() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let rx = Receiver::start(200);
    personal_layer(data.path(), project.path(), &hook("local", rx.port));
    let app = TestApp::start(data.path(), None);

    let sent: Value = app.call("webhooks_test", json!({ "project": project.path(), "endpoint": "local" }));
    assert_eq!(sent["delivered"], true, "{sent}");
    assert_eq!(sent["attempt"]["responseStatus"], 200);
    assert_eq!(sent["attempt"]["responseBody"], "ok");
    assert_eq!(rx.received().len(), 1);

    let log: Vec<Value> = app.call("webhooks_deliveries", json!({ "project": project.path(), "endpoint": "local", "limit": 50 }));
    assert_eq!(log.len(), 1, "{log:?}");
    let delivery = &log[0];
    assert_eq!(delivery["id"], sent["delivery"]);
    assert_eq!(delivery["eventType"], "ping");
    assert_eq!(delivery["status"], "delivered");
    let attempts = delivery["attemptLog"].as_array().unwrap();
    assert_eq!(attempts.len(), 1);
    let headers = attempts[0]["requestHeaders"].as_array().unwrap();
    let id_header = headers.iter().find(|h| h["name"] == "webhook-id").expect("the webhook-id header is logged");
    assert_eq!(id_header["value"], delivery["eventId"]);

    let again: Value = app.call("webhooks_redeliver", json!({ "deliveryId": delivery["id"] }));
    assert_eq!(again["delivered"], true, "{again}");
    assert_eq!(again["attempt"]["redelivery"], true);
    let got = rx.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].1, got[0].1, "redeliver sends the same bytes");

    let log: Vec<Value> = app.call("webhooks_deliveries", json!({ "project": project.path(), "endpoint": null, "limit": 50 }));
    assert_eq!(log[0]["attempts"], 2, "{log:?}");
    assert_eq!(log[0]["attemptLog"].as_array().unwrap().len(), 2);

    let other = tempfile::tempdir().unwrap();
    let none: Vec<Value> = app.call("webhooks_deliveries", json!({ "project": other.path(), "endpoint": null, "limit": 50 }));
    assert!(none.is_empty(), "another project's log is its own: {none:?}");
    let missing = app.invoke("webhooks_redeliver", json!({ "deliveryId": 999 })).unwrap_err();
    assert!(missing.to_string().contains("no webhook delivery 999"), "{missing}");
}

#[test]
fn an_untrusted_endpoint_is_refused_and_a_500_is_not_delivered() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let rx = Receiver::start(500);
    std::fs::create_dir_all(project.path().join(".warden")).unwrap();
    std::fs::write(project.path().join(".warden/checks.toml"), hook("shared", rx.port)).unwrap();
    personal_layer(data.path(), project.path(), &hook("mine", rx.port));
    let app = TestApp::start(data.path(), None);

    let refused = app.invoke("webhooks_test", json!({ "project": project.path(), "endpoint": "shared" })).unwrap_err();
    assert!(refused.to_string().contains("not trusted"), "{refused}");
    assert!(rx.received().is_empty());

    let sent: Value = app.call("webhooks_test", json!({ "project": project.path(), "endpoint": "mine" }));
    assert_eq!(sent["delivered"], false, "{sent}");
    assert_eq!(sent["attempt"]["responseStatus"], 500);
    let log: Vec<Value> = app.call("webhooks_deliveries", json!({ "project": project.path(), "endpoint": "mine", "limit": 10 }));
    assert_eq!(log.len(), 1);
    assert_ne!(log[0]["status"], "delivered");
}
