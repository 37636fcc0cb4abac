//! Porte's entry point: the GUI by default (on the sample city, or a campaign file given as
//! argument), CLI subcommands otherwise (`porte --help`).

use clap::Parser;
use porte::cli::{Cli, Command};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => porte::ui::run_gui(cli.campaign),
        Some(Command::Gui { campaign }) => porte::ui::run_gui(campaign),
        Some(command) => {
            restore_default_sigpipe();
            porte::cli::run(command)
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// `porte … --json | head` ends quietly when `head` closes the pipe, like other command-line
/// tools, instead of panicking in `println!` (Rust ignores SIGPIPE by default).
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called once at startup, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
