//! The HTML deliverables, read with a real HTML parser: structure, figures against
//! metrics.json, self-containment, accessibility basics, hostile inputs.

mod common;

use std::path::Path;

use common::{Workspace, copy_dir};
use levier::i18n::Formatter;
use levier::vocab::Language;
use rust_decimal::Decimal;
use scraper::{Html, Selector};
use serde_json::Value;

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

fn read_html(path: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(path).expect("html file"))
}

fn text_of(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn decimal(v: &Value) -> Decimal {
    v.to_string().parse().expect("a number in metrics.json")
}

/// A workspace holding copies of the example engagements.
fn examples() -> Workspace {
    let ws = Workspace::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("engagements");
    for slug in ["vidal-equipements", "groupe-ferrand"] {
        copy_dir(&root.join(slug), &ws.engagement(slug));
    }
    ws
}

/// Grouping spaces and no-break spaces vary; compare figures on their visible shape.
fn norm(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
}

#[test]
fn example_reports_show_the_figures_of_metrics_json() {
    let ws = examples();
    ws.levier(&["build", "--format", "html,json"])
        .assert_code(0);
    for slug in ["vidal-equipements", "groupe-ferrand"] {
        let out = ws.output(slug);
        let metrics: Value =
            serde_json::from_slice(&std::fs::read(out.join("metrics.json")).unwrap()).unwrap();
        let doc = read_html(&out.join("report.html"));
        let fmt = Formatter::new(Language::Fr);

        assert_eq!(doc.root_element().value().attr("lang"), Some("fr"));
        // The PDF's Inter is embedded, subset to the page: one roman face for every
        // weight, as a data URI, and nothing fetched.
        let styles: String = text_of(&doc, "head style").concat();
        let faces = styles
            .matches("@font-face { font-family: \"Inter\"")
            .count();
        assert!((1..=2).contains(&faces), "{slug}: {faces} Inter faces");
        assert!(styles.contains("src: url(data:font/ttf;base64,"), "{slug}");
        assert!(
            !styles.contains("levier: built-in fonts"),
            "{slug}: marker left"
        );
        let h1 = text_of(&doc, "h1");
        assert_eq!(h1.len(), 1, "{slug}: one h1");

        // Sections follow the method.
        let h2: Vec<String> = text_of(&doc, "main h2");
        for expected in [
            "Synthèse",
            "Diagnostic commercial",
            "Points d'amélioration",
            "Plan d'action commerciale",
            "Mesure de la performance et ajustements",
            "Annexes",
        ] {
            assert!(
                h2.iter().any(|h| h.ends_with(expected)),
                "{slug}: no section {expected} in {h2:?}"
            );
        }
        if slug == "groupe-ferrand" {
            assert!(
                h2.iter().any(|h| h.ends_with("Croissance externe")),
                "{h2:?}"
            );
        }

        // Headings never skip a level.
        let mut last = 1;
        for h in doc.select(&sel("h1, h2, h3, h4, h5, h6")) {
            let level: u32 = h.value().name()[1..].parse().unwrap();
            assert!(
                level <= last + 1,
                "{slug}: heading {} after h{last}",
                h.value().name()
            );
            last = level;
        }

        // The 3 CA table shows the figures of metrics.json.
        let rows = doc
            .select(&sel("#table-three-ca tbody tr"))
            .collect::<Vec<_>>();
        assert_eq!(rows.len(), 4, "{slug}: 3 categories and a total");
        for (row, key) in rows
            .iter()
            .zip(["conquest", "retention", "reconquest", "total"])
        {
            let cells: Vec<String> = row
                .select(&sel("th, td"))
                .map(|c| norm(&c.text().collect::<String>()))
                .collect();
            let expected = norm(&fmt.money(decimal(&metrics["revenue"][key]), "EUR"));
            assert_eq!(cells[2], expected, "{slug}: revenue.{key}");
        }
        // The headline tile is the compact revenue.
        let tiles = text_of(&doc, ".kpi .kpi-value");
        assert_eq!(
            norm(&tiles[0]),
            norm(&fmt.money_compact(decimal(&metrics["revenue"]["total"]), "EUR"))
        );
        // Every finding of metrics.json is listed, in order.
        let findings = text_of(&doc, "#improvement .finding-title");
        let expected: Vec<String> = metrics["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                f["title"]
                    .as_str()
                    .unwrap()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(findings, expected, "{slug}: findings");

        // Tables and charts are accessible.
        for table in doc.select(&sel("main .table-wrap table")) {
            assert!(
                table.select(&sel("caption")).next().is_some(),
                "{slug}: table without caption"
            );
            for th in table.select(&sel("thead th")) {
                assert_eq!(th.value().attr("scope"), Some("col"));
            }
        }
        let charts = doc.select(&sel("figure.chart")).count();
        assert!(charts >= 8, "{slug}: only {charts} charts");
        for svg in doc.select(&sel("figure.chart svg")) {
            assert_eq!(svg.value().attr("role"), Some("img"));
            assert!(svg.select(&sel("title")).next().is_some());
            assert!(svg.select(&sel("desc")).next().is_some());
        }

        // Nothing amateur leaks through.
        let body: String = doc.select(&sel("body")).next().unwrap().text().collect();
        for bad in [
            "NaN",
            "None",
            "null",
            "inf €",
            "{{",
            "{%",
            "report.",
            "undefined",
        ] {
            assert!(!body.contains(bad), "{slug}: page shows {bad:?}");
        }

        // Self-contained: no external resource, no script.
        assert_eq!(doc.select(&sel("script")).count(), 0);
        assert_eq!(doc.select(&sel("link[rel=stylesheet]")).count(), 0);
        for img in doc.select(&sel("img")) {
            assert!(
                img.value()
                    .attr("src")
                    .unwrap_or("")
                    .starts_with("data:image/"),
                "{slug}: external image"
            );
            assert!(img.value().attr("alt").is_some());
        }

        // Scorecards exist for every salesperson and link back to the report.
        let links: Vec<String> = doc
            .select(&sel(".scorecard-links a"))
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect();
        assert!(!links.is_empty());
        for href in links {
            let card = read_html(&out.join(&href));
            assert_eq!(
                card.select(&sel(".toc-back a"))
                    .next()
                    .unwrap()
                    .value()
                    .attr("href"),
                Some("../report.html")
            );
        }
    }

    // The index lists both engagements with links that exist.
    let index = read_html(&ws.root().join("output/index.html"));
    assert_eq!(index.select(&sel(".engagement")).count(), 2);
    for a in index.select(&sel(".engagement a")) {
        let href = a.value().attr("href").unwrap();
        assert!(
            ws.root().join("output").join(href).exists(),
            "index links to missing {href}"
        );
    }
}

/// Issue 13: the dashboard section follows the synthesis, draws its bullet chart, and
/// its table holds metrics.json's figures as the report writes them.
#[test]
fn the_dashboard_shows_the_figures_of_metrics_json() {
    let ws = examples();
    ws.levier(&["build", "--format", "html,json"])
        .assert_code(0);
    for slug in ["vidal-equipements", "groupe-ferrand"] {
        let out = ws.output(slug);
        let metrics: Value =
            serde_json::from_slice(&std::fs::read(out.join("metrics.json")).unwrap()).unwrap();
        let doc = read_html(&out.join("report.html"));
        let ids: Vec<&str> = doc
            .select(&sel("main > section.level-1"))
            .filter_map(|s| s.value().attr("id"))
            .collect();
        assert_eq!(
            ids.iter().take(3).copied().collect::<Vec<_>>(),
            ["synthesis", "dashboard", "diagnostic"],
            "{slug}"
        );
        let svg = doc
            .select(&sel("#dashboard figure.chart svg"))
            .next()
            .expect("the bullet chart");
        let svg_text = norm(&svg.text().collect::<String>());
        let fmt = Formatter::new(Language::Fr);
        let elapsed = fmt.percent(decimal(&metrics["elapsed_share"]), 0);
        assert!(
            svg_text.contains(&norm(&format!("{elapsed} de l'exercice écoulé"))),
            "{slug}: {svg_text}"
        );
        // Every progress bar of the summary tiles marks the share of the year elapsed.
        let bars: Vec<_> = doc.select(&sel(".kpi-bar")).collect();
        assert!(!bars.is_empty(), "{slug}: progress bars");
        let share: f64 = metrics["elapsed_share"].as_f64().unwrap();
        for bar in bars {
            let mark = bar
                .select(&sel(".kpi-elapsed"))
                .next()
                .expect("an elapsed-year mark on every progress bar");
            let left = mark.value().attr("style").unwrap_or_default();
            assert_eq!(
                left,
                format!("left: {}%", (share * 1000.0).round() / 10.0),
                "{slug}"
            );
        }
        // On a phone, charts keep 540 of their 720 units' width (text ~11 px) and
        // scroll sideways, rather than shrink their labels to ~7 px.
        let style: String = doc.select(&sel("style")).flat_map(|s| s.text()).collect();
        assert!(
            style.contains("figure.chart svg { min-width: 540px; }"),
            "{slug}: charts keep a readable width on phones"
        );
        let cells = norm(&text_of(&doc, "#table-dashboard td, #table-dashboard th").join(" | "));
        for (what, figure) in common::dashboard_figures(&metrics, &fmt) {
            assert!(
                cells.contains(&norm(&figure)),
                "{slug} dashboard {what}: {figure} not in {cells}"
            );
        }
    }
}

#[test]
fn english_reports_are_english() {
    let ws = Workspace::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("engagements/vidal-equipements");
    let dir = ws.engagement("vidal-en");
    copy_dir(&root, &dir);
    let toml = std::fs::read_to_string(dir.join("engagement.toml")).unwrap();
    std::fs::write(
        dir.join("engagement.toml"),
        toml.replace("language = \"fr\"", "language = \"en\""),
    )
    .unwrap();
    ws.levier(&["build", "--format", "html,json"])
        .assert_code(0);
    let doc = read_html(&ws.output("vidal-en").join("report.html"));
    assert_eq!(doc.root_element().value().attr("lang"), Some("en"));
    let h2 = text_of(&doc, "main h2");
    assert!(h2.iter().any(|h| h.ends_with("Sales analysis")), "{h2:?}");
    // The title and the brand's footer come in the report's language (engagement.toml and
    // brand.toml give both), not in French.
    let all = text_of(&doc, "body").join(" ");
    assert!(all.contains("Sales review 2025"), "the English title");
    assert!(!all.contains("Diagnostic commercial"), "no French title");
    assert!(all.contains("Confidential"), "the English footer");
    assert!(!all.contains("Document confidentiel"), "no French footer");
    let tiles = text_of(&doc, ".kpi .kpi-value");
    assert!(tiles[0].starts_with('€'), "{tiles:?}");
    assert!(
        text_of(&doc, ".cover-facts li")
            .iter()
            .any(|t| t.contains("30 September 2025"))
    );
}

#[test]
fn hostile_inputs_come_out_as_inert_text() {
    let ws = Workspace::new();
    let dir = ws.add_base("hostile");
    let toml = std::fs::read_to_string(dir.join("engagement.toml")).unwrap();
    let client = r#"client = "<script>alert('x')</script> {{ 7*7 }} {% raw %} & Co""#;
    let toml = toml
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("client =") {
                client.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("engagement.toml"), toml).unwrap();
    std::fs::write(
        dir.join("notes/00-summary.md"),
        "Synthèse <script>alert(1)</script> <img src=x onerror=alert(1)> <iframe src=\"https://evil\"></iframe>\n\n[clic](javascript:alert(1)) \\{{ secret }} <b>gras</b>\n",
    )
    .unwrap();
    let clients = std::fs::read_to_string(dir.join("data/clients.csv")).unwrap();
    let mut lines: Vec<String> = clients.lines().map(String::from).collect();
    // Markup in a zone name reaches tables and chart labels.
    let header: Vec<&str> = lines[0].split(',').collect();
    let zone = header.iter().position(|h| *h == "zone").unwrap();
    let mut first: Vec<String> = lines[1].split(',').map(String::from).collect();
    first[zone] = "\"<svg onload=alert(1)>Zone</svg>\"".into();
    lines[1] = first.join(",");
    std::fs::write(dir.join("data/clients.csv"), lines.join("\n") + "\n").unwrap();

    ws.levier(&["build", "--format", "html"]).assert_code(0);
    let html = std::fs::read_to_string(ws.output("hostile").join("report.html")).unwrap();
    let doc = Html::parse_document(&html);
    assert_eq!(
        doc.select(&sel("script")).count(),
        0,
        "a script element was produced"
    );
    assert_eq!(doc.select(&sel("iframe")).count(), 0);
    for e in doc
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        for (name, value) in e.value().attrs() {
            assert!(!name.starts_with("on"), "event handler {name}={value}");
            assert!(!value.contains("javascript:"), "{name}={value}");
        }
    }
    // The client's name is shown as written, as text.
    let client = text_of(&doc, ".cover-client");
    assert_eq!(
        client[0],
        "<script>alert('x')</script> {{ 7*7 }} {% raw %} & Co"
    );
    // The zone label is text in tables and in the chart's SVG, not an element.
    assert!(html.contains("&lt;svg onload=alert(1)&gt;Zone&lt;/svg&gt;"));
    assert!(
        text_of(&doc, ".note")
            .iter()
            .any(|t| t.contains("{{ secret }}") && t.contains("gras"))
    );
}

#[test]
fn identical_inputs_give_identical_pages() {
    let ws = examples();
    ws.levier(&["build", "--format", "html"]).assert_code(0);
    let first = std::fs::read(ws.output("vidal-equipements").join("report.html")).unwrap();
    ws.levier(&["build", "--format", "html"]).assert_code(0);
    let second = std::fs::read(ws.output("vidal-equipements").join("report.html")).unwrap();
    assert!(first == second, "report.html differs between two builds");
}

#[test]
fn workspace_templates_override_the_built_in_ones() {
    let ws = Workspace::new();
    ws.add_base("acme");
    ws.write(
        "templates/html/style.css",
        "body { background: #FAFAF0; }\n",
    );
    ws.levier(&["build", "--format", "html"]).assert_code(0);
    let html = std::fs::read_to_string(ws.output("acme").join("report.html")).unwrap();
    assert!(html.contains("background: #FAFAF0"));
    assert!(
        !html.contains(".kpi-bar span"),
        "the built-in stylesheet was replaced"
    );

    // A broken override is reported with its path, and nothing is written.
    ws.write(
        "templates/html/block.html",
        "{% if block.type == \"paragraph\" %}<p>{{ block.text }</p>{% endif %}\n",
    );
    std::fs::remove_dir_all(ws.root().join("output")).unwrap();
    let run = ws.levier(&["build", "--format", "html"]);
    run.assert_code(1)
        .assert_stderr_has(&["templates/html/block.html"]);
    assert!(!ws.output("acme").exists());
}

#[test]
fn templates_eject_writes_the_built_in_templates() {
    let ws = Workspace::new();
    ws.levier(&["templates", "eject"]).assert_code(0);
    for path in [
        "templates/html/report.html",
        "templates/html/block.html",
        "templates/html/style.css",
        "templates/html/index.html",
    ] {
        assert!(ws.root().join(path).is_file(), "{path} not ejected");
    }
    // Ejected templates build the same report as the built-in ones.
    ws.add_base("acme");
    ws.levier(&["build", "--format", "html"]).assert_code(0);
}

#[test]
fn missing_tables_are_said_in_one_line() {
    let ws = Workspace::new();
    let dir = ws.add_base("sales-only");
    for f in [
        "data/clients.csv",
        "data/leads.csv",
        "data/activities.csv",
        "objectives.toml",
        "plan.toml",
    ] {
        std::fs::remove_file(dir.join(f)).unwrap();
    }
    std::fs::remove_dir_all(dir.join("notes")).unwrap();
    ws.levier(&["build", "--format", "html,json"])
        .assert_code(0);
    let doc = read_html(&ws.output("sales-only").join("report.html"));
    let lines = text_of(&doc, "p.unavailable");
    // Said in the client's words: what data is missing, never a file name of the format.
    for expected in [
        "Aucune donnée de leads",
        "Aucune donnée d'activité",
        "Aucun fichier clients",
        "Le plan d'action ne contient pas encore d'action",
    ] {
        assert!(
            lines.iter().any(|l| l.contains(expected)),
            "no line about {expected}: {lines:?}"
        );
    }
    for line in &lines {
        assert!(
            !line.contains(".csv") && !line.contains(".toml"),
            "a file name of the format in client text: {line}"
        );
    }
    // No empty table is shown for what is missing.
    for table in doc.select(&sel("main .table-wrap table")) {
        assert!(
            table.select(&sel("tbody tr")).next().is_some(),
            "an empty table is shown"
        );
    }
    // The rules left silent by the missing tables are named, with why, never as "nothing
    // to improve" (analyses.md, "Findings"); metrics.json lists the same.
    let page = norm(&doc.root_element().text().collect::<String>());
    assert!(
        page.contains("Vérifications non effectuées")
            && page.contains("Non évaluées faute de données de leads : le volume de leads face à l'objectif (R2) et le taux de transformation face à l'objectif (R9)."),
        "{page}"
    );
    let metrics: Value = serde_json::from_slice(
        &std::fs::read(ws.output("sales-only").join("metrics.json")).unwrap(),
    )
    .unwrap();
    let skipped: Vec<String> = metrics["rules_not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{}:{}",
                n["rule"].as_str().unwrap(),
                n["reason"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        skipped,
        [
            "R1:no_objectives",
            "R2:no_leads",
            "R3:disabled",
            "R5:no_activities",
            "R6:sales_history_too_short",
            "R7:sales_history_too_short",
            "R8:no_activities",
            "R9:no_leads",
            "R10:no_objectives"
        ]
    );
}

#[test]
fn synthesis_key_messages_point_at_their_findings_with_money_at_stake() {
    let ws = examples();
    ws.levier(&["build", "--format", "html,json"])
        .assert_code(0);
    let out = ws.output("vidal-equipements");
    let metrics: Value =
        serde_json::from_slice(&std::fs::read(out.join("metrics.json")).unwrap()).unwrap();
    let doc = read_html(&out.join("report.html"));
    let items: Vec<_> = doc.select(&sel(".key-messages li")).collect();
    assert_eq!(items.len(), 3);
    let findings = metrics["findings"].as_array().unwrap();
    let mut total = Decimal::ZERO;
    for item in items {
        let href = item
            .select(&sel("a"))
            .next()
            .and_then(|a| a.value().attr("href"))
            .unwrap();
        let id = href.trim_start_matches("#finding-");
        // The card it points at exists, once, in the full list.
        assert_eq!(
            doc.select(&sel(&format!("li[id='finding-{id}']"))).count(),
            1
        );
        let finding = findings.iter().find(|f| f["id"] == id).unwrap();
        let stake = decimal(&finding["at_stake"]);
        total += stake;
        let shown = norm(&item.text().collect::<String>());
        let euros = norm(&Formatter::new(Language::Fr).money(stake, "EUR"));
        assert!(shown.contains(&euros), "{shown} lacks {euros}");
    }
    let total_text = norm(&text_of(&doc, ".key-total").join(" "));
    let euros = norm(&Formatter::new(Language::Fr).money(total, "EUR"));
    assert!(total_text.contains(&euros), "{total_text} lacks {euros}");
}

#[test]
fn long_cut_tables_show_the_top_rows_and_one_others_row() {
    let ws = examples();
    let toml_path = ws.engagement("vidal-equipements").join("engagement.toml");
    let toml = std::fs::read_to_string(&toml_path).unwrap();
    std::fs::write(
        &toml_path,
        toml.replace(
            "dormancy_months = 12",
            "dormancy_months = 12\ncuts_top_n = 5",
        ),
    )
    .unwrap();
    ws.levier(&["build", "--format", "html,json"])
        .assert_code(0);
    let out = ws.output("vidal-equipements");
    let metrics: Value =
        serde_json::from_slice(&std::fs::read(out.join("metrics.json")).unwrap()).unwrap();
    let products = metrics["revenue"]["by_product"].as_object().unwrap();
    assert!(products.len() > 6, "metrics.json keeps every product");
    let doc = read_html(&out.join("report.html"));
    let rows = text_of(&doc, "#table-cut-product tbody tr th");
    assert_eq!(rows.len(), 6, "{rows:?}");
    assert_eq!(rows[5], format!("Autres ({})", products.len() - 5));
    // The others row sums the rest.
    let mut fy: Vec<Decimal> = products.values().map(|c| decimal(&c["fy"])).collect();
    fy.sort_by(|a, b| b.cmp(a));
    let rest: Decimal = fy[5..].iter().sum();
    let shown = norm(&text_of(&doc, "#table-cut-product tbody tr:last-child td")[0]);
    assert_eq!(
        shown,
        norm(&Formatter::new(Language::Fr).money(rest, "EUR"))
    );
}

/// Issue 13: the plan's actions table says a late action is late ("en retard", never "en
/// cours" in red), shows each action's budget when plan.toml gives one, and a
/// salesperson's scorecard does not repeat their name in a "Pilote" column.
#[test]
fn plan_actions_show_late_status_budget_and_no_owner_column_on_scorecards() {
    let ws = examples();
    let plan_path = ws.engagement("vidal-equipements").join("plan.toml");
    let plan = std::fs::read_to_string(&plan_path).unwrap();
    std::fs::write(
        &plan_path,
        plan.replacen("target = 20\n", "target = 20\nbudget = 8_000\n", 1),
    )
    .unwrap();
    ws.levier(&["build", "--format", "html,json"])
        .assert_code(0);
    let out = ws.output("vidal-equipements");
    let metrics: Value =
        serde_json::from_slice(&std::fs::read(out.join("metrics.json")).unwrap()).unwrap();
    let doc = read_html(&out.join("report.html"));
    let headers = text_of(&doc, "#table-actions thead th");
    assert!(headers.contains(&"Budget".to_string()), "{headers:?}");
    assert!(headers.contains(&"Pilote".to_string()), "{headers:?}");
    let status_at = headers.iter().position(|h| h == "Statut").unwrap();
    let budget_at = headers.iter().position(|h| h == "Budget").unwrap();
    for action in metrics["actions"].as_array().unwrap() {
        let id = action["id"].as_str().unwrap();
        let row: Vec<String> = doc
            .select(&sel("#table-actions tbody tr"))
            .find(|r| r.text().collect::<String>().trim_start().starts_with(id))
            .map(|r| {
                r.select(&sel("th, td"))
                    .map(|c| norm(c.text().collect::<String>().trim()))
                    .collect()
            })
            .unwrap_or_else(|| panic!("{id} has a row"));
        if action["overdue"] == true {
            assert_eq!(row[status_at], "en retard", "{id}: {row:?}");
        } else {
            assert_ne!(row[status_at], "en retard", "{id}: {row:?}");
        }
        // What the action answers sits under its title; its money at stake is the sum
        // of the answered findings' own (the impact expected of it).
        let answers: Vec<&str> = action["answers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        let detail = doc
            .select(&sel("#table-actions tbody tr"))
            .find(|r| r.text().collect::<String>().trim_start().starts_with(id))
            .and_then(|r| r.select(&sel(".cell-detail")).next())
            .map(|d| d.text().collect::<String>());
        assert_eq!(
            detail,
            (!answers.is_empty()).then(|| format!("Répond à {}", answers.join(", "))),
            "{id}"
        );
        let stake: f64 = metrics["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| answers.iter().any(|a| f["id"] == *a || f["rule"] == *a))
            .filter_map(|f| f["at_stake"].as_f64())
            .sum();
        let stake_cell = &row[headers.iter().position(|h| h == "En jeu").unwrap()];
        if stake > 0.0 {
            let shown: f64 = stake_cell
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap();
            assert!(
                (shown - stake).abs() <= 1.0,
                "{id}: {stake_cell} vs {stake}"
            );
        } else {
            assert_eq!(stake_cell, "", "{id}");
        }
        if id == "A2" {
            assert_eq!(action["budget"].as_f64(), Some(8000.0), "{action}");
            assert_eq!(row[budget_at], norm("8\u{202f}000\u{a0}€"), "{row:?}");
        } else {
            assert!(action.get("budget").is_none(), "{action}");
        }
    }
    assert!(
        metrics["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["overdue"] == true)
    );
    let card = read_html(&out.join("scorecards").join("mb.html"));
    let headers = text_of(&card, "table[id^='table-actions'] thead th");
    assert!(!headers.is_empty());
    assert!(!headers.contains(&"Pilote".to_string()), "{headers:?}");
}

/// Issue 13: a scorecard names the salesperson's own findings by the ids metrics.json
/// gives them, and lists their top accounts (largest first), their former clients to win
/// back (from the former-clients list) and their open deals: short lists of 5 at most.
#[test]
fn scorecards_show_own_findings_by_id_top_accounts_winback_and_open_deals() {
    let ws = examples();
    ws.levier(&["build", "--format", "html,json"])
        .assert_code(0);
    let out = ws.output("vidal-equipements");
    let metrics: Value =
        serde_json::from_slice(&std::fs::read(out.join("metrics.json")).unwrap()).unwrap();
    let card = read_html(&out.join("scorecards").join("sl.html"));
    let mut expected: Vec<String> = metrics["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["subject"]["kind"] == "rep" && f["subject"]["key"] == "SL")
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    let mut shown = text_of(&card, "#table-rep-findings tbody th");
    expected.sort();
    shown.sort();
    assert!(!shown.is_empty());
    assert_eq!(shown, expected);
    assert!(shown.contains(&"R8-SL-admin".to_string()), "{shown:?}");

    let money = |s: &str| -> i64 {
        s.chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap()
    };
    let top = text_of(&card, "#table-rep-top-accounts tbody td:last-child");
    assert!(!top.is_empty() && top.len() <= 5, "{top:?}");
    assert!(
        top.windows(2).all(|w| money(&w[0]) >= money(&w[1])),
        "{top:?}"
    );

    let former: Vec<&str> = metrics["former_clients"]["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c["name"]
                .as_str()
                .unwrap_or(c["client_id"].as_str().unwrap())
        })
        .collect();
    let winback = text_of(&card, "#table-rep-winback tbody th");
    assert!(!winback.is_empty() && winback.len() <= 5, "{winback:?}");
    for name in &winback {
        assert!(former.contains(&name.as_str()), "{name} is a former client");
    }

    let deals = text_of(&card, "#table-rep-open-deals tbody td:last-child");
    assert!(!deals.is_empty() && deals.len() <= 5, "{deals:?}");
    assert!(deals.iter().all(|d| money(d) > 0), "{deals:?}");
    // A prospect's deal is shown with where it came from and when it was opened, not
    // by its number alone.
    assert_eq!(
        text_of(&card, "#table-rep-open-deals thead th"),
        ["Affaire", "Source", "Ouverte le", "Étape", "Valeur"]
    );
    let sources = text_of(&card, "#table-rep-open-deals tbody td:nth-child(2)");
    assert!(
        sources.iter().all(|s| [
            "Action commerciale",
            "Marketing hors ligne",
            "Marketing en ligne",
            "Prescription",
            "Autres"
        ]
        .iter()
        .any(|known| s.starts_with(known))),
        "{sources:?}"
    );
    let opened = text_of(&card, "#table-rep-open-deals tbody td:nth-child(3)");
    assert!(
        opened
            .iter()
            .all(|d| d.ends_with(" 2024") || d.ends_with(" 2025")),
        "{opened:?}"
    );
}

/// On a phone a wide table scrolls inside its wrapper. Its first column must not take a
/// salesperson's name width for a finding id (which then broke at its hyphens), and a
/// sentence in a cell must keep a readable measure instead of one word per line.
#[test]
fn phone_tables_keep_ids_on_one_line_and_sentences_readable() {
    let ws = examples();
    ws.levier(&["build", "--format", "html"]).assert_code(0);
    let out = ws.output("vidal-equipements");
    let card = read_html(&out.join("scorecards").join("sl.html"));
    let ids = text_of(&card, "#table-rep-findings tbody th.key-short");
    assert!(ids.contains(&"R8-SL-admin".to_string()), "{ids:?}");
    let sentences = text_of(&card, "#table-rep-findings tbody td.prose");
    assert_eq!(
        sentences.len(),
        text_of(&card, "#table-rep-findings tbody tr").len(),
        "every finding's statement is a sentence: {sentences:?}"
    );
    // Short cells (a priority, an amount) keep their natural width.
    assert!(text_of(&card, "#table-rep-findings tbody td:last-child.prose").is_empty());

    let report = read_html(&out.join("report.html"));
    let names = text_of(&report, "#table-top-clients tbody td.prose");
    assert!(
        names.contains(&"Rhône Restauration Collective".to_string()),
        "{names:?}"
    );
    let style = std::fs::read_to_string(out.join("report.html")).unwrap();
    let phone = &style[style
        .find("@media (max-width: 600px)")
        .expect("phone rules")..];
    assert!(phone.contains("th.key-short { min-width: 0; white-space: nowrap; }"));
    assert!(phone.contains("td.prose { min-width: 10rem; }"));
}

/// Issue 17: the ejected `i18n/fr.toml` and `levers.toml` are real overrides. A
/// workspace rewords a section title, a finding's title and a lever's description, and
/// the report (and metrics.json, for the finding) says it their way; a key levier does
/// not know is a warning with its file and line, and the rest still builds.
#[test]
fn ejected_labels_and_lever_texts_are_real_overrides() {
    let ws = Workspace::new();
    ws.add_base("acme");
    ws.levier(&["build", "--format", "html,json"])
        .assert_code(0);
    let before = std::fs::read_to_string(ws.output("acme").join("report.html")).unwrap();
    let metrics: Value =
        serde_json::from_slice(&std::fs::read(ws.output("acme").join("metrics.json")).unwrap())
            .unwrap();
    let labels = levier::i18n::Labels::builtin(levier::vocab::Language::Fr);
    // A finding the base fixture has, and the label its title comes from.
    let (title_key, title) = metrics["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["title"].as_str())
        .find_map(|t| {
            labels
                .keys()
                .find(|k| k.starts_with("findings.") && k.ends_with(".title") && labels.get(k) == t)
                .map(|k| (k.to_string(), t.to_string()))
        })
        .expect("the base fixture has a finding with a plain title");
    // A lever the report describes.
    let (lever, description) = levier::levers::catalogue()
        .iter()
        .map(|(id, l)| (id.clone(), l.fr.description.clone()))
        .find(|(_, d)| before.contains(&html_escape(d)))
        .expect("the report describes a lever");

    ws.levier(&["templates", "eject"]).assert_code(0);
    let fr = ws.root().join("templates/i18n/fr.toml");
    let text = std::fs::read_to_string(&fr).unwrap();
    let text = text
        .replacen(
            "portfolio = \"Portefeuille clients\"",
            "portfolio = \"Nos clients\"",
            1,
        )
        .replacen(
            &format!("title = \"{title}\""),
            "title = \"Un client pèse trop\"",
            1,
        );
    std::fs::write(
        &fr,
        format!("{text}\n[report.sections]\nportefeuille = \"x\"\n"),
    )
    .unwrap();
    let levers_toml = ws.root().join("templates/levers.toml");
    let text = std::fs::read_to_string(&levers_toml).unwrap();
    assert!(
        text.contains(&description),
        "{lever} in the ejected catalogue"
    );
    std::fs::write(
        &levers_toml,
        text.replacen(
            &description,
            "Notre façon de faire, en deux phrases. Testée.",
            1,
        ),
    )
    .unwrap();

    let run = ws.levier(&["build", "--format", "html,json"]);
    // The stray key duplicates a table: invalid TOML, so the file names its line.
    run.assert_stderr_has(&["templates/i18n/fr.toml"]);
    // Without the stray table, the overrides apply and an unknown key is only warned.
    let text = std::fs::read_to_string(&fr).unwrap();
    let cut = text.rfind("\n[report.sections]\nportefeuille").unwrap();
    let text = text[..cut].replacen(
        "synthesis = \"Synthèse\"",
        "synthesis = \"Synthèse\"\nportefeuille = \"x\"",
        1,
    );
    std::fs::write(&fr, text).unwrap();
    let run = ws.levier(&["build", "--format", "html,json"]);
    run.assert_code(0).assert_stderr_has(&[
        "warning: unknown label `report.sections.portefeuille`",
        "templates/i18n/fr.toml:",
        "did you mean `report.sections.portfolio`?",
    ]);
    let html = std::fs::read_to_string(ws.output("acme").join("report.html")).unwrap();
    assert!(html.contains("Nos clients"), "section title");
    assert!(!html.contains("Portefeuille clients"), "old section title");
    assert!(
        html.contains("Un client pèse trop"),
        "finding title ({title_key})"
    );
    assert!(
        html.contains("Notre façon de faire, en deux phrases. Testée."),
        "lever description ({lever})"
    );
    let metrics = std::fs::read_to_string(ws.output("acme").join("metrics.json")).unwrap();
    assert!(
        metrics.contains("Un client pèse trop"),
        "finding title in metrics.json"
    );
}

/// How Tera escapes text, enough to find a description in a page.
fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

/// A broken override of the workspace is printed once, with its line, not once per
/// engagement; each engagement says it was not built because of it.
#[test]
fn a_broken_override_is_reported_once_for_the_workspace() {
    let ws = Workspace::new();
    ws.add_base("acme");
    ws.add_base("other");
    ws.write("templates/levers.toml", "[training.fr]\nlabel = 3\n");
    let run = ws.levier(&["build", "--format", "html"]);
    run.assert_code(1).assert_stderr_has(&[
        "error: `training.fr.label` must be text",
        "templates/levers.toml:2:9",
        "not built: the workspace's templates have errors (reported above)",
    ]);
    assert_eq!(
        run.stderr.matches("must be text").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(!ws.output("acme").exists() && !ws.output("other").exists());
}
