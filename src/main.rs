//! The levier binary: the command line is a thin shell over the library (`levier::cli`),
//! so that tests and benchmarks drive the same code.

// See Cargo.toml: measured faster and leaner than the system allocator for a build.
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    levier::cli::main()
}
