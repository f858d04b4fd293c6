fn main() -> std::process::ExitCode {
    levier::cli::main()
}
