//! `levier-gen` command line.
//!
//! ```text
//! levier-gen examples <dir>                     write the example engagements under <dir>
//! levier-gen synthetic <dir> --lines N [--seed S]   write a benchmark engagement in <dir>
//! levier-gen stats                              print the examples' key figures and story checks
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:
  levier-gen examples <dir>
  levier-gen synthetic <dir> --lines N [--seed S]
  levier-gen stats";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("levier-gen: {msg}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    match args.first().map(String::as_str) {
        Some("examples") => {
            let dir = PathBuf::from(args.get(1).ok_or("missing <dir>")?);
            let all = levier_gen::write_examples(&dir).map_err(|e| e.to_string())?;
            let mut ok = true;
            for ex in &all {
                let failed = ex.checks.iter().filter(|c| !c.ok).count();
                ok &= failed == 0;
                eprintln!(
                    "wrote {} ({} files, {} sales lines, {} story checks failed)",
                    dir.join(ex.slug).display(),
                    ex.files.len(),
                    ex.data.sales.len(),
                    failed
                );
            }
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some("synthetic") => {
            let dir = PathBuf::from(args.get(1).ok_or("missing <dir>")?);
            let mut lines = None;
            let mut seed = 1u64;
            let mut rest = args[2..].iter();
            while let Some(flag) = rest.next() {
                let value = rest.next().ok_or(format!("missing value for {flag}"))?;
                let n: u64 = value.parse().map_err(|_| format!("bad number {value}"))?;
                match flag.as_str() {
                    "--lines" => lines = Some(n as usize),
                    "--seed" => seed = n,
                    _ => return Err(format!("unknown option {flag}")),
                }
            }
            let lines = lines.ok_or("missing --lines N")?;
            levier_gen::write_synthetic(&dir, lines, seed).map_err(|e| e.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
        Some("stats") => {
            let mut ok = true;
            for ex in levier_gen::examples() {
                println!("== {}\n{}", ex.slug, ex.stats.render());
                for c in &ex.checks {
                    ok &= c.ok;
                    println!(
                        "[{}] {:<66} {}",
                        if c.ok { "ok" } else { "KO" },
                        c.what,
                        c.value
                    );
                }
                println!();
            }
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        _ => Err("missing or unknown command".into()),
    }
}
