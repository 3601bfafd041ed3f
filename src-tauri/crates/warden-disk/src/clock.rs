//! The wall clock Warden stamps what it stores with.
//!
//! It lives with the data on disk, not in `warden-core`: the domain model takes the time as a
//! parameter (`Workspace::open(…, now_ms)`) so it stays free of clock reads and tests pin it.

/// Milliseconds since the Unix epoch (0 if the system clock is before it).
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
