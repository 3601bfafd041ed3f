//! The Warden desktop app: Tauri glue around `warden-engine` and `warden-core`.
//!
//! This crate only wires things together: it registers the typed commands and events, builds
//! the native menu, persists settings and turns engine results into IPC values. Logic lives in
//! the engine and core crates.

mod attention;
pub mod cli;
mod commands;
pub mod error;
pub mod events;
mod logging;
mod menu;
mod menu_actions;
mod project_watch;
mod publish;
mod recent_store;
pub mod remote_window;
pub mod session_channels;
pub mod state;
mod task_attention;
mod single_instance;
pub mod updates;
mod record_events;
mod webhook_worker;
mod webview_mode;

use cli::Launch;
use specta_typescript::Typescript;
use state::AppState;
use std::path::Path;
use tauri::{Manager, Runtime};
use tauri_specta::{collect_commands, collect_events};
use warden_core::Workspace;

/// The app identifier (as in tauri.conf.json); it names the app data folder.
pub const IDENTIFIER: &str = "dev.warden.app";

/// File name of the settings store inside the app data folder.
pub(crate) const STORE_FILE: &str = "warden.json";

/// The IPC contract: every command and event the window may use. Bindings are generated from it.
pub fn specta_builder<R: Runtime>() -> tauri_specta::Builder<R> {
    use commands::projects::*;
    // `::<tauri::Wry>` only picks a runtime for reading the signatures into the bindings (the
    // AppHandle argument is not part of them); the handler itself is generic over `R`.
    tauri_specta::Builder::<R>::new()
        .commands(collect_commands![
            workspace_snapshot,
            project_open::<tauri::Wry>,
            project_pick::<tauri::Wry>,
            project_activate::<tauri::Wry>,
            project_close::<tauri::Wry>,
            project_reveal::<tauri::Wry>,
            recent_forget::<tauri::Wry>,
            commands::links::link_open::<tauri::Wry>,
            notice_dismiss::<tauri::Wry>,
            commands::sessions::session_list,
            commands::sessions::session_events,
            commands::sessions::session_event,
            commands::sessions::session_subscribe,
            commands::sessions::session_unsubscribe,
            commands::sessions::session_start::<tauri::Wry>,
            commands::sessions::session_resume,
            commands::sessions::session_prompt,
            commands::sessions::session_interrupt,
            commands::prompt_content::files_find,
            commands::prompt_content::session_image,
            commands::sessions::session_stop,
            commands::permissions::permission_resolve,
            commands::permissions::permissions_waiting,
            commands::questions::question_answer,
            commands::permissions::session_set_mode,
            commands::steer::session_steer,
            commands::steer::session_set_model,
            commands::permissions::session_rules_set,
            commands::permissions::project_rules_get,
            commands::permissions::project_rules_set,
            commands::permissions::rule_parse,
            commands::permissions::permission_log,
            commands::claude_history::claude_history_list,
            commands::claude_history::claude_history_events,
            commands::claude_history::claude_history_output,
            commands::claude_history::claude_history_texts,
            commands::claude_history::claude_history_import,
            commands::files::files_log,
            commands::files::files_diff,
            commands::files::files_rollback,
            commands::files::files_redo,
            commands::files::files_rollback_plan,
            commands::files::files_redo_plan,
            commands::files::files_hunks,
            commands::files::files_hunk_revert_plan,
            commands::files::files_revert_hunks,
            commands::files::files_keep_hunk,
            commands::files::files_add_comment,
            commands::files::files_comments,
            commands::files::files_delete_comment,
            commands::files::files_mark_comments_sent,
            commands::terminal::terminal_open,
            commands::terminal::terminal_write,
            commands::terminal::terminal_resize,
            commands::terminal::terminal_close,
            commands::agents::agents_list::<tauri::Wry>,
            commands::agents::agent_install::<tauri::Wry>,
            commands::agents::agent_install_cancel::<tauri::Wry>,
            commands::agents::agent_login_open,
            commands::agents::custom_agent_save::<tauri::Wry>,
            commands::agents::custom_agent_remove::<tauri::Wry>,
            commands::checks::checks_overview,
            commands::checks::checks_trust,
            commands::checks::checks_log,
            commands::checks::task_feedback,
            commands::checks::task_rerun,
            commands::review::review_start,
            commands::review::review_agents::<tauri::Wry>,
            commands::review::review_false_positives,
            commands::review::review_mark_false_positive,
            commands::webhooks::webhooks_deliveries,
            commands::webhooks::webhooks_redeliver,
            commands::webhooks::webhooks_test,
            commands::webhooks::webhooks_disabled,
            commands::webhooks::webhooks_enable,
            commands::pipeline::pipeline_list,
            commands::pipeline::pipeline_start::<tauri::Wry>,
            commands::pipeline::pipeline_start_spec::<tauri::Wry>,
            commands::pipeline::pipeline_save,
            commands::pipeline::pipeline_decide,
            commands::pipeline::pipeline_stop,
            commands::pipeline::pipeline_runs,
            commands::best_of::best_of_start,
            commands::best_of::best_of_compare,
            commands::best_of::best_of_pick,
            commands::search::search_project,
            commands::search::search_session_outputs,
            commands::worktrees::worktree_options,
            commands::worktrees::worktree_list,
            commands::worktrees::worktree_state,
            commands::worktrees::worktree_changes,
            commands::worktrees::worktree_diff,
            commands::worktrees::worktree_commit,
            commands::worktrees::worktree_merge,
            commands::worktrees::worktree_pr,
            commands::worktrees::worktree_discard,
            commands::usage::usage_report,
            commands::usage::usage_csv,
            commands::usage::usage_export::<tauri::Wry>,
            commands::usage::usage_save_csv::<tauri::Wry>,
            commands::updates::update_check::<tauri::Wry>,
            commands::updates::update_install::<tauri::Wry>,
            commands::updates::update_restart::<tauri::Wry>,
            commands::updates::update_settings_get::<tauri::Wry>,
            commands::updates::update_settings_set::<tauri::Wry>,
            commands::remote::remote_open::<tauri::Wry>,
            commands::remote::remote_install,
            commands::remote::remote_call,
            commands::remote::remote_session_subscribe,
            commands::remote::remote_terminal_open,
            commands::remote::remote_close,
            commands::remote::remote_connections,
            commands::remote::remote_sessions,
            commands::remote::remote_recent::<tauri::Wry>,
            commands::remote::remote_recent_forget::<tauri::Wry>,
            commands::remote_host::remote_agent_install,
            commands::remote_host::remote_agent_login_open,
        ])
        .events(collect_events![
            events::WorkspaceChanged,
            events::PermissionsWaiting,
            events::PermissionFocus,
            events::SessionRecordChanged,
            events::ProjectFilesChanged,
            events::AgentsRefreshed,
            commands::pipeline::PipelineChanged,
            updates::UpdateProgress,
            updates::UpdateDialogRequested,
            commands::remote::RemoteConnectionChanged,
            commands::remote::RemoteDialogRequested
        ])
        // The ssh options a remote project may carry, and those refused with their reason: the
        // dialog checks as the person types with the lists `warden-remote` decides with.
        .constant("SSH_ALLOWED_OPTIONS", warden_remote::ssh_extra::ALLOWED_OPTIONS)
        .constant(
            "SSH_REFUSED_OPTIONS",
            warden_remote::ssh_extra::REFUSED_OPTIONS.iter().copied().collect::<std::collections::BTreeMap<_, _>>(),
        )
        // Our values never carry NaN, so one shape serves both directions.
        .disable_serde_phases()
        // Counters, sizes and millisecond times are u64 but stay far below 2^53, where a JS
        // number is still exact; BigInt would make every use awkward.
        .dangerously_cast_bigints_to_number()
}

/// Writes the TypeScript bindings for the IPC contract to `path`.
pub fn export_bindings(path: &Path) -> anyhow::Result<()> {
    specta_builder::<tauri::Wry>().export(Typescript::default(), path)?;
    Ok(())
}

/// Adds Warden's plugins, commands, menu and start-up to a Tauri builder. Generic over the
/// runtime so tests can use `tauri::test::mock_builder()`.
pub fn build_app<R: Runtime>(builder: tauri::Builder<R>, launch: Launch) -> tauri::Builder<R> {
    let specta = specta_builder::<R>();
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        // Endpoints and public key from `plugins.updater` in tauri.conf.json.
        .plugin(tauri_plugin_updater::Builder::new().build())
        .invoke_handler(specta.invoke_handler())
        .on_menu_event(|app, event| menu_actions::handle(app, event))
        .setup(move |app| {
            init(app.handle(), &launch)?;
            Ok(())
        })
}

/// Start-up: typed events, logging, the stored workspace, the menu, and the project from the
/// command line. `build_app` runs it from Tauri's setup hook; tests on the mock runtime, where
/// that hook does not run, call it themselves.
pub fn init<R: Runtime>(app: &tauri::AppHandle<R>, launch: &Launch) -> anyhow::Result<()> {
    specta_builder::<R>().mount_events(app);
    let (data_dir, log_dir) = match &launch.data_dir {
        Some(dir) => (dir.clone(), dir.join("logs")),
        None => (app.path().app_data_dir()?, app.path().app_log_dir()?),
    };
    // The data folder holds every prompt, copies of project files and agents' API keys: 0700,
    // files 0600 (what an older version left wider is tightened); the log folder the same.
    warden_engine::store::private::secure_data_dir(&data_dir)?;
    if let Err(e) = warden_engine::store::private::secure_data_dir(&log_dir) {
        eprintln!("warden: cannot make the log folder {} private: {e}", log_dir.display());
    }
    if let Some(guard) = logging::init(&log_dir) {
        app.manage(guard);
    }
    tracing::info!(version = %app.package_info().version, data = %data_dir.display(), "starting Warden");
    let store_path = data_dir.join(STORE_FILE);
    let loaded = recent_store::load(app, &store_path);
    // The settings plugin rewrites the file in place, keeping its mode: created private here
    // (after a damaged one was set aside) so the custom agents an earlier version kept there,
    // environment values included, never sit in a file others can read.
    if let Err(e) = warden_engine::store::private::ensure_file(&store_path, b"{}") {
        tracing::warn!(file = %store_path.display(), "cannot create the settings file private: {e}");
    }
    let mut workspace = Workspace::with_recent(loaded.recent);
    if let Some(notice) = loaded.notice {
        workspace.notify(notice);
    }
    let (engine, engine_notice) = warden_engine::Engine::open(&data_dir)?;
    if let Some(notice) = engine_notice {
        workspace.notify(notice);
    }
    // The window starts sessions and rollbacks: rollbacks a crash interrupted are settled now.
    if let Some(notice) = engine.files().recover_rollbacks() {
        workspace.notify(notice);
    }
    // Custom agents an earlier version kept in the settings move to the engine's file; a
    // malformed entry is reported and left untouched.
    if let Some(notice) = engine.migrate_custom_agents() {
        workspace.notify(notice);
    }
    // One webhook delivery worker for every project's outbox, on Tauri's runtime; it resumes
    // what an earlier run left pending.
    let worker = {
        let runtime = tauri::async_runtime::handle();
        let _entered = runtime.inner().enter();
        webhook_worker::WebhookWorker::start(engine.webhooks())
    };
    match worker {
        Ok(worker) => drop(app.manage(worker)),
        Err(e) => drop(workspace.notify(format!("Webhooks are not delivered: the outbox cannot be opened ({e})."))),
    }
    if let Some(notice) = engine.webhooks().take_notice() {
        workspace.notify(notice);
    }
    app.manage(warden_engine::agents::Installs::default());
    app.manage(warden_engine::agents::VersionRefresh::default());
    app.manage(commands::terminal::WindowTerminals::default());
    app.manage(commands::checks::ChecksData(data_dir.clone()));
    app.manage(commands::prompt_content::FinderState::default());
    app.manage(commands::pipeline::PipelineRuns::default());
    app.manage(updates::Pending::default());
    updates::set_source(app, updates::UpdateSource::for_run(app));
    app.manage(AppState::new(workspace, store_path, log_dir, std::sync::Arc::new(engine)));
    attention::install(app);
    commands::remote::install(app);
    task_attention::install(app);
    record_events::install(app);
    project_watch::install(app);
    let view = app.state::<AppState>().workspace().view(warden_engine::folder_exists);
    menu::install(app, &view)?;
    match &launch.open {
        // A failure is shown as a notice in the window.
        Some(path) => drop(publish::open_or_notify(app, path)),
        None => drop(publish::publish(app)),
    }
    // Paths a second `warden PATH` handed over during start-up are opened now.
    single_instance::ready(app);
    Ok(())
}

/// Runs the desktop app until the window closes.
pub fn run(launch: Launch) -> anyhow::Result<()> {
    webview_mode::prefer_drawing_without_compositing();
    let mut builder = tauri::Builder::default().manage(single_instance::Forwarded::default());
    // First of the plugins: a second launch hands its path over before anything else starts.
    if let Some(plugin) = single_instance::plugin(&launch) {
        builder = builder.plugin(plugin);
    }
    let app = build_app(builder, launch).build(tauri::generate_context!())?;
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            on_exit(handle);
        }
    });
    Ok(())
}

/// Quitting: every agent session is stopped (its open permission questions answered
/// "cancelled", its process group killed after a bounded wait) before the process ends, so no
/// agent outlives the app and nothing is allowed by default. Every terminal's process group is
/// killed too.
pub fn on_exit<R: Runtime>(app: &tauri::AppHandle<R>) {
    if let Some(terminals) = app.try_state::<commands::terminal::WindowTerminals>() {
        terminals.0.shutdown();
    }
    if let Some(state) = app.try_state::<AppState>() {
        let engine = state.engine.clone();
        tauri::async_runtime::block_on(async move { engine.sessions().shutdown().await });
        tracing::info!("all sessions stopped; exiting");
    }
    // After the sessions: their last events are queued by then (and delivered at the next start).
    if let Some(worker) = app.try_state::<webhook_worker::WebhookWorker>() {
        tauri::async_runtime::block_on(worker.stop());
    }
}
