//! The levier binary: the command line is a thin shell over the library (`levier::cli`),
//! so that tests and benchmarks drive the same code.

fn main() -> std::process::ExitCode {
    levier::cli::main()
}
