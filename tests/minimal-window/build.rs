//! Generates the Tauri context (the embedded page and the configuration).

fn main() {
    tauri_build::build();
}
