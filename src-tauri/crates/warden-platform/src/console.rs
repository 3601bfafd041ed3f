//! Windows: printing to the console a headless command was started from.
//!
//! The release build is a GUI-subsystem program (`windows_subsystem = "windows"` in
//! `src-tauri/src/main.rs`), so the window opens with no console behind it. The price: Windows
//! gives such a program no console and, unless the caller redirected them, no standard handles,
//! so `warden run`, `warden agents`, `--help` or a usage error would print nowhere. A headless
//! launch therefore attaches to the console of the process that started it (the shell) and
//! points every standard handle it was not given at that console. Handles the caller did give
//! (`warden run … > out.txt`, a pipe) are kept as they are.
//!
//! Since issue 22 Warden also ships a console-subsystem `warden.exe` (the headless executable,
//! src-tauri/src/bin/warden.rs), which is what a shell runs: there the prompt waits and
//! `%ERRORLEVEL%` is the command's. This attaching is for the GUI-subsystem `warden-window.exe`
//! when it is given a command anyway: an interactive `cmd.exe` or PowerShell does not wait for a
//! GUI-subsystem program, so the prompt comes back before the output ends and `%ERRORLEVEL%` is
//! not the command's. The debug build is a console program and needs none of this.
//!
//! The decision is a plain function tested everywhere; only [`attach_parent_console`]'s system
//! calls are Windows-only.

/// What the command line asks for, as far as the console matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Launch {
    /// The window: nothing in it is written for a console.
    Window,
    /// A headless subcommand, the help, the version or a usage error: text for the console.
    Headless,
}

impl Launch {
    /// From the command line: the window only when it parsed and named no subcommand. Help, the
    /// version and usage errors reach the program as parse errors, and are headless.
    pub fn from_command_line(parsed: bool, subcommand: bool) -> Launch {
        if parsed && !subcommand {
            Launch::Window
        } else {
            Launch::Headless
        }
    }
}

/// Which standard handles the process was given by whoever started it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StdHandles {
    /// Standard input.
    pub input: bool,
    /// Standard output.
    pub output: bool,
    /// Standard error.
    pub error: bool,
}

/// Whether to attach to the parent's console: only for a headless launch of a GUI-subsystem
/// build, and only when output or error has nowhere to go (both redirected: nothing to fix).
pub fn should_attach(launch: Launch, gui_subsystem: bool, given: StdHandles) -> bool {
    launch == Launch::Headless && gui_subsystem && !(given.output && given.error)
}

/// The standard handles to point at the console once attached: those the caller did not give.
pub fn handles_to_open(given: StdHandles) -> StdHandles {
    StdHandles { input: !given.input, output: !given.output, error: !given.error }
}

/// Attaches a headless launch of the GUI-subsystem build to its parent's console (see the module
/// documentation); whether it did. Does nothing for the window, in a console build, when there is
/// no parent console (started from Explorer), or on other systems.
pub fn attach_parent_console(launch: Launch, gui_subsystem: bool) -> bool {
    #[cfg(windows)]
    {
        let given = windows::given();
        should_attach(launch, gui_subsystem, given) && windows::attach(handles_to_open(given))
    }
    #[cfg(not(windows))]
    {
        let _ = (launch, gui_subsystem);
        false
    }
}

#[cfg(windows)]
mod windows {
    use super::StdHandles;
    use windows_sys::Win32::Foundation::{GENERIC_READ, GENERIC_WRITE, HANDLE, INVALID_HANDLE_VALUE};
    use windows_sys::Win32::Storage::FileSystem::{CreateFileW, FILE_SHARE_READ, FILE_SHARE_WRITE, OPEN_EXISTING};
    use windows_sys::Win32::System::Console::{
        AttachConsole, GetStdHandle, SetStdHandle, ATTACH_PARENT_PROCESS, STD_ERROR_HANDLE, STD_HANDLE, STD_INPUT_HANDLE,
        STD_OUTPUT_HANDLE,
    };

    fn valid(handle: HANDLE) -> bool {
        !handle.is_null() && handle != INVALID_HANDLE_VALUE
    }

    /// The standard handles the caller gave (a GUI-subsystem program started from a console
    /// without redirection has none).
    pub(super) fn given() -> StdHandles {
        // SAFETY: GetStdHandle only reads the process's handle table.
        let has = |which: STD_HANDLE| valid(unsafe { GetStdHandle(which) });
        StdHandles { input: has(STD_INPUT_HANDLE), output: has(STD_OUTPUT_HANDLE), error: has(STD_ERROR_HANDLE) }
    }

    /// Attaches to the parent's console and opens the handles in `open` on it.
    pub(super) fn attach(open: StdHandles) -> bool {
        // SAFETY: a plain call; it fails (0) when the parent has no console.
        if unsafe { AttachConsole(ATTACH_PARENT_PROCESS) } == 0 {
            return false;
        }
        // Rust's standard streams ask Windows for the handle on every write, so handles set
        // now are used by everything printed from here on.
        if open.input {
            set(STD_INPUT_HANDLE, "CONIN$");
        }
        if open.output {
            set(STD_OUTPUT_HANDLE, "CONOUT$");
        }
        if open.error {
            set(STD_ERROR_HANDLE, "CONOUT$");
        }
        true
    }

    /// Opens the console device `name` and makes it the standard handle `which`.
    fn set(which: STD_HANDLE, name: &str) {
        let wide: Vec<u16> = name.encode_utf16().chain(std::iter::once(0)).collect();
        // SAFETY: `wide` is a NUL-terminated UTF-16 string that outlives the call; null security
        // attributes and template are allowed. The handle stays open for the process's life, as
        // a standard handle must.
        let handle = unsafe {
            CreateFileW(
                wide.as_ptr(),
                GENERIC_READ | GENERIC_WRITE,
                FILE_SHARE_READ | FILE_SHARE_WRITE,
                std::ptr::null(),
                OPEN_EXISTING,
                0,
                std::ptr::null_mut(),
            )
        };
        if valid(handle) {
            // SAFETY: `handle` is a valid console handle owned by the process from now on.
            unsafe {
                SetStdHandle(which, handle);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: StdHandles = StdHandles { input: false, output: false, error: false };
    const ALL: StdHandles = StdHandles { input: true, output: true, error: true };

    #[test]
    fn a_headless_command_of_the_gui_build_attaches_when_it_has_nowhere_to_print() {
        assert!(should_attach(Launch::Headless, true, NONE));
        // Output redirected to a file, errors still to be shown.
        assert!(should_attach(Launch::Headless, true, StdHandles { input: false, output: true, error: false }));
    }

    #[test]
    fn the_window_a_console_build_and_fully_redirected_output_never_attach() {
        assert!(!should_attach(Launch::Window, true, NONE));
        assert!(!should_attach(Launch::Headless, false, NONE));
        assert!(!should_attach(Launch::Headless, true, ALL));
        // Input missing does not matter when both outputs have a place to go.
        assert!(!should_attach(Launch::Headless, true, StdHandles { input: false, output: true, error: true }));
    }

    #[test]
    fn only_a_command_line_without_a_subcommand_opens_the_window() {
        assert_eq!(Launch::from_command_line(true, false), Launch::Window);
        assert_eq!(Launch::from_command_line(true, true), Launch::Headless);
        // `warden --help`, `warden --version`, `warden --bogus`.
        assert_eq!(Launch::from_command_line(false, false), Launch::Headless);
    }

    #[test]
    fn only_the_handles_not_given_are_pointed_at_the_console() {
        let given = StdHandles { input: true, output: true, error: false };
        assert_eq!(handles_to_open(given), StdHandles { input: false, output: false, error: true });
        assert_eq!(handles_to_open(NONE), ALL);
    }

    #[test]
    fn attaching_is_a_no_op_off_windows() {
        if !cfg!(windows) {
            assert!(!attach_parent_console(Launch::Headless, true));
        }
    }
}
