//! `levier ci github`: a ready GitHub Actions workflow for a repository of engagements.
//!
//! A firm keeps its engagements in git and wants the deliverables rebuilt when the data
//! changes. The workflow checks every engagement, builds them in a matrix of shards
//! (`levier build --shard k/n`, n from `[ci] shards` of levier.toml), keeps each shard's
//! outputs in the Actions cache so unchanged engagements stay fresh, merges the shards'
//! outputs with `levier index`, uploads the deliverables as an artifact and writes a job
//! summary. GitLab CI, with the same commands, is described in the README.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// Where the workflow goes, relative to the repository (the workspace).
pub const WORKFLOW: &str = ".github/workflows/levier.yml";

/// The first line of a workflow levier wrote: `ci github` replaces only those.
const HEADER: &str = "# Written by `levier ci github`";

/// Shards when levier.toml says nothing.
pub const DEFAULT_SHARDS: u32 = 2;

/// The workflow's text for `shards` parallel build jobs and outputs in `output`.
pub fn github_workflow(shards: u32, output: &str) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let matrix = (1..=shards)
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let install = "      - name: Restore levier from the cache
        id: levier-cache
        uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/levier
          key: levier-${{ runner.os }}-${{ env.LEVIER_VERSION }}
      # levier from crates.io; from a firm's own copy: cargo install --locked --git <url> levier
      - name: Install levier
        if: steps.levier-cache.outputs.cache-hit != 'true'
        run: cargo install --locked levier --version \"$LEVIER_VERSION\"
";
    format!(
        "{HEADER} (levier {version}).
# Rebuilds the deliverables when engagements, the brand, templates or levier.toml change.
# The number of parallel build jobs is `[ci] shards` in levier.toml; run `levier ci github`
# again after changing it. Delete this header line to keep your own edits from being replaced.
name: levier

on:
  push:
    paths:
      - 'engagements/**'
      - 'brand/**'
      - 'templates/**'
      - 'levier.toml'
      - '.github/workflows/levier.yml'
  pull_request:
    paths:
      - 'engagements/**'
      - 'brand/**'
      - 'templates/**'
      - 'levier.toml'
      - '.github/workflows/levier.yml'
  workflow_dispatch:

permissions:
  contents: read

concurrency:
  group: levier-${{{{ github.ref }}}}
  cancel-in-progress: true

env:
  LEVIER_VERSION: '{version}'
  OUTPUT: '{output}'

jobs:
  check:
    name: levier check
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
{install}      - name: Check every engagement
        run: levier check --message-format github

  build:
    name: levier build (shard ${{{{ matrix.shard }}}} of {shards})
    needs: check
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        shard: [{matrix}]
    steps:
      - uses: actions/checkout@v4
{install}      - name: Restore this shard's previous outputs (unchanged engagements stay fresh)
        uses: actions/cache@v4
        with:
          path: ${{{{ env.OUTPUT }}}}
          key: levier-output-${{{{ matrix.shard }}}}-of-{shards}-${{{{ github.sha }}}}
          restore-keys: levier-output-${{{{ matrix.shard }}}}-of-{shards}-
      - name: Build
        run: >-
          levier build --shard \"${{{{ matrix.shard }}}}/{shards}\"
          --message-format github --summary \"$GITHUB_STEP_SUMMARY\"
      - name: Upload this shard's deliverables
        if: ${{{{ !cancelled() }}}}
        uses: actions/upload-artifact@v4
        with:
          name: levier-shard-${{{{ matrix.shard }}}}
          path: ${{{{ env.OUTPUT }}}}
          include-hidden-files: true
          if-no-files-found: ignore

  deliverables:
    name: merge the deliverables
    needs: build
    if: ${{{{ !cancelled() }}}}
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
{install}      - name: Download every shard's deliverables
        uses: actions/download-artifact@v4
        with:
          pattern: levier-shard-*
          path: ${{{{ env.OUTPUT }}}}
          merge-multiple: true
      - name: Index every engagement
        run: levier index \"$OUTPUT\" --summary \"$GITHUB_STEP_SUMMARY\"
      - name: Upload the deliverables
        uses: actions/upload-artifact@v4
        with:
          name: deliverables
          path: ${{{{ env.OUTPUT }}}}
          include-hidden-files: true
"
    )
}

/// Writes the workflow into `workspace`. An existing workflow is replaced only when
/// levier wrote it (its first line says so) or when `force` says to.
pub fn write_github(
    workspace: &Path,
    shards: u32,
    output: &str,
    force: bool,
) -> Result<PathBuf, Diagnostic> {
    let path = workspace.join(WORKFLOW);
    if let Ok(existing) = std::fs::read_to_string(&path)
        && !existing.starts_with(HEADER)
        && !force
    {
        return Err(
            Diagnostic::error(format!("{WORKFLOW} exists and levier did not write it"))
                .in_file(&path)
                .help("rename it, or pass --force to replace it"),
        );
    }
    let text = github_workflow(shards, output);
    path.parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&path, text))
        .map_err(|e| Diagnostic::error(format!("cannot write {WORKFLOW}: {e}")).in_file(&path))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workflow_has_a_shard_matrix_and_the_merge_job() {
        let w = github_workflow(3, "output");
        assert!(w.starts_with(HEADER));
        assert!(w.contains("shard: [1, 2, 3]"), "{w}");
        assert!(
            w.contains("levier build --shard \"${{ matrix.shard }}/3\""),
            "{w}"
        );
        assert!(w.contains("levier index \"$OUTPUT\""), "{w}");
        assert!(w.contains("group: levier-${{ github.ref }}"), "{w}");
        assert!(
            !w.contains("{{{{") && !w.contains("}}}}"),
            "doubled braces:\n{w}"
        );
    }
}
