//! The offline walk list for a phone: one self-contained HTML file per turf (no network, inline
//! CSS and JavaScript, template `assets/walklist.html`) listing the doors in walking order with
//! big tap targets per outcome, a contact-taken toggle and a note. Outcomes stay in the
//! browser's `localStorage` (key `porte-walklist:CAMPAIGN:TURF_ID`); "Export CSV" gives
//! `turf_id,order,address_fid,outcome,contact,note,recorded_at` for Porte to import back.

use serde_json::json;

use crate::model::export::phone::stop_address;
use crate::model::export::sheets::SheetLang;
use crate::model::routing::Route;

const TEMPLATE: &str = include_str!("../../../assets/walklist.html");

/// Outcome codes written in the exported CSV, in button order.
pub const OUTCOME_CODES: [&str; 6] = [
    "not_home",
    "opened",
    "refused",
    "come_back",
    "moved",
    "do_not_contact",
];

/// Header of the CSV the walk list exports.
pub const RESULTS_CSV_HEADER: &str = "turf_id,order,address_fid,outcome,contact,note,recorded_at";

/// What the page shows above the list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WalkListTexts {
    /// Identifies the campaign in the storage key (e.g. the file's stem).
    pub campaign: String,
    pub turf: String,
    /// "samedi 14 mars 2026 · Équipe José D. & François L.".
    pub subtitle: String,
    pub notice: String,
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The walk list of `route` as one HTML document.
pub fn walklist_html(route: &Route, texts: &WalkListTexts, lang: SheetLang) -> String {
    let fr = lang.french();
    let outcome_labels: [&str; 6] = if fr {
        [
            "Absent",
            "Ouvert",
            "Refus",
            "Repasser",
            "Déménagé",
            "Ne pas recontacter",
        ]
    } else {
        [
            "Not home",
            "Opened",
            "Refused",
            "Come back",
            "Moved",
            "Do not contact",
        ]
    };
    let side = |s: Option<&str>| match (s, fr) {
        (Some("left"), true) => "côté gauche",
        (Some("right"), true) => "côté droit",
        (Some("left"), false) => "left side",
        (Some("right"), false) => "right side",
        _ => "",
    };
    let data = json!({
        "campaign": texts.campaign,
        "turf_id": route.turf_id,
        "title": texts.turf,
        "subtitle": texts.subtitle,
        "notice": texts.notice,
        "csv_name": format!("porte-turf-{}-results.csv", route.turf_id),
        "outcomes": OUTCOME_CODES.iter().zip(outcome_labels).map(|(c, l)| json!({"code": c, "label": l})).collect::<Vec<_>>(),
        "labels": if fr {
            json!({
                "export_csv": "Exporter CSV",
                "reset": "Tout effacer",
                "reset_confirm": "Effacer tous les résultats de ce secteur sur ce téléphone ?",
                "contact": "Contact pris",
                "note": "Note",
                "doors": "portes",
                "recorded": "Noté à",
            })
        } else {
            json!({
                "export_csv": "Export CSV",
                "reset": "Clear all",
                "reset_confirm": "Clear every result of this turf on this phone?",
                "contact": "Contact taken",
                "note": "Note",
                "doors": "doors",
                "recorded": "Recorded at",
            })
        },
        "doors": route.stops.iter().map(|s| json!({
            "order": s.order,
            "address_fid": s.address_fid,
            "address": stop_address(s),
            "side": side(s.side.as_deref()),
        })).collect::<Vec<_>>(),
    });
    // Inside <script>, "</" must not appear: JSON allows "<" escaped as \u003c.
    let data = data.to_string().replace('<', "\\u003c");
    TEMPLATE
        .replace("{{LANG}}", if fr { "fr" } else { "en" })
        .replace("{{TITLE}}", &html_escape(&texts.turf))
        .replace("{{DATA}}", &data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::export::sheets::tests::sample_route;
    use crate::model::routing::RouteMethod;

    fn page() -> String {
        let mut route = sample_route(12, RouteMethod::StreetGraph);
        route.stops[0].street = "Rue </script><b>".into();
        walklist_html(
            &route,
            &WalkListTexts {
                campaign: "saint-aubin".into(),
                turf: "Centre · 3 <test>".into(),
                subtitle: "samedi 14 mars 2026".into(),
                notice: "Données : usage interne.".into(),
            },
            SheetLang::Fr,
        )
    }

    #[test]
    fn the_walk_list_is_self_contained_with_no_network_reference() {
        let html = page();
        let lower = html.to_lowercase();
        assert!(!lower.contains("http://") && !lower.contains("https://"));
        assert!(
            !lower.contains("<link") && !lower.contains(" src="),
            "no external resource"
        );
        assert!(!lower.contains("fetch(") && !lower.contains("xmlhttprequest"));
        assert!(html.contains("<style>") && html.contains("localStorage"));
        assert!(html.contains(RESULTS_CSV_HEADER));
        // The data sits in one JSON script that cannot be closed early by a street name.
        assert_eq!(html.matches("</script>").count(), 2);
        assert!(html.contains("<title>Centre · 3 &lt;test&gt;</title>"));
        let start = html.find("id=\"data\">").unwrap() + "id=\"data\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        let data: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
        assert_eq!(data["doors"].as_array().unwrap().len(), 12);
        assert_eq!(data["doors"][0]["address"], "1 Rue </script><b>");
        assert_eq!(data["outcomes"].as_array().unwrap().len(), 6);
        assert_eq!(data["turf_id"], 7);
        assert!(!html.contains("{{"), "every placeholder is filled");
    }
}
