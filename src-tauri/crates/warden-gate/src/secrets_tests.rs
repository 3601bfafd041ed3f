//! Resolving secrets: environment variables, keychain entries through keyring's mock store
//! (found, missing, a store that refuses, bytes that are not text), the errors' words (the
//! webhook and the entry, never the secret), and a real round trip through the platform's
//! keychain where this machine allows it.

use super::*;
use keyring::mock::MockCredential;
use std::collections::HashMap;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A keychain of mock entries: keyring's mock keeps a password only in the entry itself, so
/// each lookup builds a mock entry holding what `held` has for it, or failing with `fail`.
fn mock_keychain(held: HashMap<String, String>, fail: Option<fn() -> keyring::Error>) -> Secrets {
    Secrets::new(
        |_| None,
        move |entry| {
            let credential = keyring::mock::default_credential_builder().build(None, &entry.service, &entry.name)?;
            let built = keyring::Entry::new_with_credential(credential);
            if let Some(text) = held.get(&entry.to_string()) {
                built.set_password(text)?;
            }
            if let Some(fail) = fail {
                let mock: &MockCredential = built.get_credential().downcast_ref().expect("a mock credential");
                mock.set_error(fail());
            }
            Ok(built)
        },
    )
}

#[test]
fn entry_names_are_service_slash_name_or_a_name_of_warden() {
    assert_eq!(KeychainEntry::parse("ci/review"), Some(KeychainEntry { service: "ci".into(), name: "review".into() }));
    assert_eq!(KeychainEntry::parse("review"), Some(KeychainEntry { service: DEFAULT_SERVICE.into(), name: "review".into() }));
    assert_eq!(KeychainEntry::parse("a/b/c").unwrap().name, "b/c", "split at the first slash");
    for bad in ["", "/x", "x/", " / "] {
        assert_eq!(KeychainEntry::parse(bad), None, "{bad:?}");
    }
}

#[test]
fn a_secret_comes_from_the_environment_or_the_keychain() {
    let secrets = Secrets::new(
        |name| (name == "HOOK").then(|| SECRET.to_owned()),
        |entry| {
            let built = keyring::Entry::new_with_credential(keyring::mock::default_credential_builder().build(None, &entry.service, &entry.name)?);
            if entry.to_string() == "ci/review" {
                built.set_password("plain-github-secret")?;
            }
            Ok(built)
        },
    );
    let from_env = secrets.resolve("w", &SecretRef::Env("HOOK".into())).unwrap();
    assert_eq!(from_env, Secret::parse(SECRET).unwrap());
    let from_keychain = secrets.resolve("w", &SecretRef::Keychain("ci/review".into())).unwrap();
    assert_eq!(from_keychain, Secret::from_bytes("plain-github-secret"));

    let missing = secrets.resolve("review", &SecretRef::Keychain("ci/other".into())).unwrap_err();
    let text = missing.to_string();
    assert!(matches!(missing, SecretError::Keychain { problem: KeychainError::Missing(_), .. }), "{missing:?}");
    assert!(text.contains("`review`") && text.contains("ci/other") && text.contains("warden webhooks secret set ci/other"), "{text}");
    let unset = secrets.resolve("w", &SecretRef::Env("NOT_THERE".into())).unwrap_err();
    assert!(unset.to_string().contains("NOT_THERE") && unset.to_string().contains("not set"), "{unset}");
}

#[test]
fn keychain_failures_name_the_webhook_and_the_entry_never_the_secret() {
    let held = HashMap::from([("warden/hook".to_owned(), "whsec_not base64!".to_owned())]);
    let bad = mock_keychain(held.clone(), None).resolve("hook", &SecretRef::Keychain("hook".into())).unwrap_err();
    assert!(matches!(&bad, SecretError::Unusable { from, .. } if from == "the keychain entry warden/hook"), "{bad:?}");
    assert!(!bad.to_string().contains("not base64!"), "the secret is not repeated: {bad}");

    fn locked() -> keyring::Error {
        keyring::Error::NoStorageAccess("the keychain is locked".into())
    }
    let refused = mock_keychain(held.clone(), Some(locked)).resolve("hook", &SecretRef::Keychain("warden/hook".into())).unwrap_err();
    let text = refused.to_string();
    assert!(matches!(&refused, SecretError::Keychain { problem: KeychainError::Unavailable { .. }, .. }), "{refused:?}");
    assert!(text.contains("`hook`") && text.contains("warden/hook") && text.contains("locked"), "{text}");

    fn binary() -> keyring::Error {
        keyring::Error::BadEncoding(SECRET.as_bytes().to_vec())
    }
    let garbled = mock_keychain(held, Some(binary)).resolve("hook", &SecretRef::Keychain("warden/hook".into())).unwrap_err();
    assert!(garbled.to_string().contains("not UTF-8") && !format!("{garbled} {garbled:?}").contains("MfKQ9r8"), "{garbled:?}");

    let badly_named = Secrets::system().resolve("hook", &SecretRef::Keychain("svc/".into())).unwrap_err();
    assert!(matches!(badly_named, SecretError::BadEntryName { .. }));
}

/// The platform's own keychain (on Linux the Secret Service behind keyutils): store, read back,
/// resolve, remove. `make test` runs it a second time with `WARDEN_TEST_KEYCHAIN=1` inside a
/// private D-Bus session with a GNOME Keyring (src-tauri/scripts/with-keyring.sh): there the
/// round trip must work. Elsewhere a refusal (no Secret Service, a container refusing the
/// syscalls) must be reported as the keychain being unavailable, naming the entry and not the
/// secret, and the test says on its output that the round trip was not possible.
#[test]
fn a_real_keychain_round_trip_where_the_platform_allows_it() {
    let secrets = Secrets::system();
    let entry = KeychainEntry { service: "warden-test".into(), name: format!("round-trip-{}", std::process::id()) };
    match secrets.store(&entry, SECRET) {
        Ok(()) => {
            assert_eq!(secrets.keychain_text(&entry).unwrap(), SECRET);
            let resolved = secrets.resolve("w", &SecretRef::Keychain(entry.to_string())).unwrap();
            assert_eq!(resolved, Secret::parse(SECRET).unwrap());
            assert!(secrets.remove(&entry).unwrap());
            assert!(!secrets.remove(&entry).unwrap(), "already gone");
            assert_eq!(secrets.keychain_text(&entry), Err(KeychainError::Missing(entry.clone())));
            println!("real keychain round trip: done");
        }
        Err(refused) => {
            assert!(std::env::var_os("WARDEN_TEST_KEYCHAIN").is_none(), "a keychain was provided for this run and refused: {refused}");
            let text = refused.to_string();
            assert!(matches!(refused, KeychainError::Unavailable { .. }), "a refused store is not 'missing': {refused:?}");
            assert!(text.contains(&entry.to_string()) && !text.contains("MfKQ9r8"), "{text}");
            println!("real keychain round trip NOT POSSIBLE on this machine (the platform keychain refused: {text}); the mock-store tests cover the resolution");
        }
    }
}
