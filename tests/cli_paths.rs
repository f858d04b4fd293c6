//! Files are read only inside the engagement folder, or inside the brand folder for what
//! a brand names, whatever `..`, absolute paths or symbolic links are used.
//!
//! Paths written in TOML (`../../x.csv`, `/etc/passwd`, a logo outside the brand folder)
//! are fixture cases in `tests/fixtures/invalid/`. Symbolic links cannot live in the
//! fixtures portably, so they are made here, on Unix. Every refusal must name the place
//! and keep the rest of the workspace building; nothing from outside may reach an output.

#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use common::{Run, Workspace};

/// A workspace with the base engagement `case`, a good engagement `good` beside it, and
/// a folder outside the workspace holding files that must never be read.
struct Setup {
    ws: Workspace,
    _outside_dir: tempfile::TempDir,
    outside: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let ws = Workspace::new();
        ws.add_base("case");
        ws.add_base("good");
        let outside_dir = tempfile::tempdir().unwrap();
        let outside = outside_dir.path().canonicalize().unwrap();
        // Valid content, so that only the location can be the reason for a refusal.
        common::copy_dir(&common::fixtures().join("base"), &outside.join("secret"));
        Setup {
            ws,
            _outside_dir: outside_dir,
            outside,
        }
    }

    fn case(&self) -> PathBuf {
        self.ws.engagement("case")
    }

    /// Replaces `rel` of the `case` engagement by a link to `target`.
    fn link(&self, rel: &str, target: &Path) {
        let path = self.case().join(rel);
        if path.is_dir() && !path.is_symlink() {
            fs::remove_dir_all(&path).unwrap();
        } else if path.exists() || path.is_symlink() {
            fs::remove_file(&path).unwrap();
        }
        symlink(target, &path).unwrap();
    }

    /// Builds everything; the case must fail, the good engagement must be built, and no
    /// output of the case may exist.
    fn build_refused(&self) -> Run {
        let run = self.ws.levier(&["build"]);
        run.assert_code(1)
            .assert_stderr_has(&["Failed case:"])
            .assert_stderr_lacks("internal error");
        // Built now, or fresh from a build earlier in the same test.
        assert!(
            run.stderr.contains("Built good") || run.stderr.contains("Fresh good"),
            "{}",
            run.stderr
        );
        assert!(!self.ws.output("case").exists());
        assert_eq!(self.ws.leftovers(), Vec::<String>::new());
        run
    }
}

#[test]
fn symlinked_data_file_configured_in_engagement_toml() {
    let s = Setup::new();
    s.link("data/sales.csv", &s.outside.join("secret/data/sales.csv"));
    s.build_refused().assert_stderr_has(&[
        "engagements/case/engagement.toml:26:8",
        "error: cannot read the sales table `data/sales.csv`",
        "through a symbolic link",
    ]);
}

#[test]
fn symlinked_data_file_at_its_default_place() {
    let s = Setup::new();
    s.link("data/leads.csv", &s.outside.join("secret/data/leads.csv"));
    s.build_refused().assert_stderr_has(&[
        "error: cannot read the leads table",
        "--> engagements/case/data/leads.csv",
        "the path leads outside",
        "through a symbolic link",
    ]);
}

#[test]
fn symlinked_data_folder() {
    let s = Setup::new();
    s.link("data", &s.outside.join("secret/data"));
    s.build_refused().assert_stderr_has(&[
        "error: cannot read the sales table",
        "error: cannot read the clients table",
        "error: cannot read the leads table",
        "error: cannot read the activities table",
    ]);
}

#[test]
fn dangling_link_to_outside_is_refused_not_missing() {
    let s = Setup::new();
    s.link("data/clients.csv", &s.outside.join("gone.csv"));
    s.build_refused()
        .assert_stderr_has(&[
            "error: cannot read the clients table",
            "through a symbolic link",
        ])
        .assert_stderr_lacks("no such file");
}

#[test]
fn link_to_another_engagement_is_outside() {
    let s = Setup::new();
    s.link(
        "data/leads.csv",
        &s.ws.engagement("good").join("data/leads.csv"),
    );
    s.build_refused().assert_stderr_has(&[
        "error: cannot read the leads table",
        "through a symbolic link",
    ]);
}

#[test]
fn symlinked_note() {
    let s = Setup::new();
    s.link(
        "notes/05-positioning.md",
        &s.outside.join("secret/notes/03-market_analysis.md"),
    );
    s.build_refused().assert_stderr_has(&[
        "error: cannot read note: the path leads outside",
        "--> engagements/case/notes/05-positioning.md",
    ]);
}

#[test]
fn symlinked_notes_folder() {
    let s = Setup::new();
    s.link("notes", &s.outside.join("secret/notes"));
    s.build_refused()
        .assert_stderr_has(&["error: cannot read note: the path leads outside"]);
}

#[test]
fn symlinked_toml_files() {
    let s = Setup::new();
    s.link("objectives.toml", &s.outside.join("secret/objectives.toml"));
    s.link("plan.toml", &s.outside.join("secret/plan.toml"));
    s.build_refused().assert_stderr_has(&[
        "error: cannot read objectives.toml: the path leads outside",
        "error: cannot read plan.toml: the path leads outside",
    ]);
    s.link("engagement.toml", &s.outside.join("secret/engagement.toml"));
    s.build_refused()
        .assert_stderr_has(&["error: cannot read engagement.toml: the path leads outside"]);
}

#[test]
fn symlinked_brand_logo() {
    let s = Setup::new();
    s.link("brand/logo.svg", &s.outside.join("secret/brand/logo.svg"));
    s.build_refused().assert_stderr_has(&[
        "engagements/case/brand/brand.toml:2:8",
        "error: cannot use logo `logo.svg`",
        "through a symbolic link",
    ]);
}

#[test]
fn brand_logo_linked_elsewhere_in_the_engagement_is_still_outside_the_brand() {
    let s = Setup::new();
    fs::copy(
        s.case().join("brand/logo.svg"),
        s.case().join("data/logo.svg"),
    )
    .unwrap();
    s.link("brand/logo.svg", &s.case().join("data/logo.svg"));
    s.build_refused().assert_stderr_has(&[
        "error: cannot use logo `logo.svg`",
        "through a symbolic link",
    ]);
}

#[test]
fn symlinked_brand_folder() {
    let s = Setup::new();
    s.link("brand", &s.outside.join("secret/brand"));
    s.build_refused().assert_stderr_has(&[
        "error: cannot use the brand folder",
        "the path leads outside",
    ]);
}

#[test]
fn symlinked_logo_of_the_workspace_brand() {
    let s = Setup::new();
    fs::remove_dir_all(s.case().join("brand")).unwrap();
    s.ws.write(
        "brand/brand.toml",
        "name = \"Cabinet\"\nlogo = \"logo.svg\"\n",
    );
    symlink(
        s.outside.join("secret/brand/logo.svg"),
        s.ws.root().join("brand/logo.svg"),
    )
    .unwrap();
    let run = s.ws.levier(&["check", "engagements/case"]);
    run.assert_code(1).assert_stderr_has(&[
        "brand/brand.toml:2:8",
        "error: cannot use logo `logo.svg`",
        "through a symbolic link",
    ]);
}

#[test]
fn links_that_stay_inside_the_engagement_are_followed() {
    let s = Setup::new();
    fs::create_dir(s.case().join("exports")).unwrap();
    fs::rename(
        s.case().join("data/sales.csv"),
        s.case().join("exports/ventes.csv"),
    )
    .unwrap();
    // A relative link, as a consultant would make it.
    symlink("../exports/ventes.csv", s.case().join("data/sales.csv")).unwrap();
    s.ws.levier(&["build"])
        .assert_code(0)
        .assert_stderr_has(&["Built case", "Built good"]);
}

#[test]
fn a_linked_engagement_folder_keeps_its_name() {
    // engagements/acme -> a folder named otherwise on a shared drive: the engagement is
    // `acme` (its outputs go to output/acme/), and its own files are inside it.
    let s = Setup::new();
    symlink(s.outside.join("secret"), s.ws.engagement("acme")).unwrap();
    s.ws.levier(&["build", "engagements/acme"])
        .assert_code(0)
        .assert_stderr_has(&["Built acme -> output/acme"]);
    assert!(s.ws.output("acme").join("metrics.json").is_file());
    let metrics = fs::read_to_string(s.ws.output("acme").join("metrics.json")).unwrap();
    assert!(metrics.contains("\"engagement\": \"acme\""), "{metrics}");
}

#[test]
fn a_workspace_templates_folder_linked_outside_the_workspace_is_refused() {
    let s = Setup::new();
    let shared = s.outside.join("shared-templates/html");
    fs::create_dir_all(&shared).unwrap();
    fs::write(
        shared.join("style.css"),
        "body { background: url(secret.png); }",
    )
    .unwrap();
    symlink(
        s.outside.join("shared-templates"),
        s.ws.root().join("templates"),
    )
    .unwrap();
    s.ws.levier(&["build", "--format", "html"])
        .assert_code(1)
        .assert_stderr_has(&[
            "error: cannot use the templates folder",
            "through a symbolic link",
            "Failed case",
            "Failed good",
        ]);
    assert!(
        !s.ws.output("good").exists(),
        "nothing built with outside templates"
    );
}
