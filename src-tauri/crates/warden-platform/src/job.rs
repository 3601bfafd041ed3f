//! Windows: an agent, a check or a terminal runs in a Job Object, so ending the job ends every
//! process it started, and closing the last handle (Warden exiting, even by a crash) ends them
//! too (`JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE`). Processes started after the process joined the
//! job are in it as well; only what it started between its creation and joining (a moment after
//! spawn) could escape.
//!
//! This file is compiled on Windows only (checked with `cargo check --target
//! x86_64-pc-windows-gnu -p warden-platform`).

use std::os::windows::io::RawHandle;
use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
use windows_sys::Win32::System::JobObjects::{
    AssignProcessToJobObject, CreateJobObjectW, JobObjectExtendedLimitInformation, SetInformationJobObject,
    TerminateJobObject, JOBOBJECT_EXTENDED_LIMIT_INFORMATION, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
};

/// A Job Object holding one process and everything it starts; dropping it ends them all.
#[derive(Debug)]
pub struct Job(HANDLE);

// SAFETY: a job handle may be used and closed from any thread.
unsafe impl Send for Job {}
// SAFETY: the handle is only passed to thread-safe kernel calls.
unsafe impl Sync for Job {}

impl Job {
    /// A new job that kills its processes when closed, with `process` in it; `None` (logged)
    /// when Windows refuses, and then only the process itself is killed on stop.
    pub fn containing(process: RawHandle) -> Option<Job> {
        // SAFETY: null attributes and name create an anonymous job; the handle is checked.
        let job = Job(unsafe { CreateJobObjectW(std::ptr::null(), std::ptr::null()) });
        if job.0.is_null() {
            tracing::warn!("could not create a job object: {}", std::io::Error::last_os_error());
            return None;
        }
        // SAFETY: a zeroed limit structure is valid; only the flag below is set.
        let mut limits: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = unsafe { std::mem::zeroed() };
        limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        // SAFETY: the pointer and size describe `limits`, which outlives the call.
        let set = unsafe {
            SetInformationJobObject(
                job.0,
                JobObjectExtendedLimitInformation,
                (&limits as *const JOBOBJECT_EXTENDED_LIMIT_INFORMATION).cast(),
                std::mem::size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32,
            )
        };
        // SAFETY: both handles are valid: the job above, the process from the spawned child.
        if set == 0 || unsafe { AssignProcessToJobObject(job.0, process as HANDLE) } == 0 {
            tracing::warn!("could not put a process in a job object: {}", std::io::Error::last_os_error());
            return None;
        }
        Some(job)
    }

    /// Ends every process in the job.
    pub fn terminate(&self) {
        // SAFETY: the handle is valid until drop; a job with no processes left is no error.
        unsafe {
            TerminateJobObject(self.0, 1);
        }
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        // SAFETY: the handle is owned and closed once; closing kills what is left in the job.
        unsafe {
            CloseHandle(self.0);
        }
    }
}
