//! OpenStreetMap files (.osm XML, plain or gzipped, and .osm.pbf) read as one stream of nodes,
//! ways and relations with their tags, so every OSM importer (doors, streets) shares one reader.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use geo_types::Coord;
use serde::Serialize;

use crate::model::error::{ImportError, ModelError, ModelResult};
use crate::model::import::Issue;
use crate::model::progress::Progress;

/// The two OSM encodings Porte reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum OsmFormat {
    /// OSM XML (`<osm><node/><way/>…</osm>`), plain or `.gz`.
    #[serde(rename = "osm-xml")]
    Xml,
    /// The OSM protocol-buffer format (`.osm.pbf`).
    #[serde(rename = "osm-pbf")]
    Pbf,
}

/// `(key, value)` pairs of one OSM object.
pub type Tags<'a> = [(&'a str, &'a str)];

/// The value of `key` among `tags`.
pub fn tag<'a>(tags: &Tags<'a>, key: &str) -> Option<&'a str> {
    tags.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// One OSM object as the reader hands it over (borrowed for the callback only).
#[derive(Debug)]
pub enum OsmElement<'a> {
    Node {
        id: i64,
        pos_wgs84: Coord<f64>,
        tags: &'a Tags<'a>,
    },
    Way {
        id: i64,
        node_ids: &'a [i64],
        tags: &'a Tags<'a>,
    },
    Relation {
        id: i64,
        /// Ids of the member ways, in order (node and relation members are left out).
        way_ids: &'a [i64],
        tags: &'a Tags<'a>,
    },
}

/// What a read saw besides the objects: damaged objects skipped (first 100 listed).
#[derive(Debug, Default)]
pub struct OsmReadSummary {
    pub format: Option<OsmFormat>,
    pub objects: usize,
    pub damaged: usize,
    pub issues: Vec<Issue>,
}

const MAX_LISTED_ISSUES: usize = 100;

impl OsmReadSummary {
    fn damaged(&mut self, location: String, message: String) {
        self.damaged += 1;
        if self.issues.len() < MAX_LISTED_ISSUES {
            self.issues.push(Issue {
                location,
                message,
                action: "skipped".into(),
            });
        }
    }
}

/// The format of `path`: `.pbf` by name, XML when the content starts with `<` (after an optional
/// BOM and blanks, or gzip), PBF when its first block is an `OSMHeader`; else a clear error.
pub fn detect_format(path: &Path) -> ModelResult<OsmFormat> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".pbf") {
        return Ok(OsmFormat::Pbf);
    }
    let mut head = Vec::with_capacity(64);
    open_maybe_gz(path)?
        .take(64)
        .read_to_end(&mut head)
        .map_err(|e| ImportError::io(path, e))?;
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    if text
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<')
    {
        return Ok(OsmFormat::Xml);
    }
    if head.windows(9).any(|w| w == b"OSMHeader") {
        return Ok(OsmFormat::Pbf);
    }
    Err(ImportError::format(
        path,
        "",
        "not an OpenStreetMap file: expected OSM XML (.osm) or PBF (.osm.pbf)",
    )
    .into())
}

fn open_maybe_gz(path: &Path) -> ModelResult<Box<dyn BufRead>> {
    let file = std::fs::File::open(path).map_err(|e| ImportError::io(path, e))?;
    let gz = path.to_string_lossy().to_ascii_lowercase().ends_with(".gz");
    Ok(if gz {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(file)))
    } else {
        Box::new(BufReader::with_capacity(1 << 16, file))
    })
}

/// Calls `f` on every node, way and relation of an OSM file, in file order (nodes first in
/// well-formed files). Damaged objects (a node without coordinates, a bad id) are skipped and
/// counted; a file that is not OSM at all is an error naming it.
pub fn for_each_element(
    path: &Path,
    progress: &dyn Progress,
    f: impl FnMut(OsmElement<'_>),
) -> ModelResult<OsmReadSummary> {
    if !path.exists() {
        return Err(ImportError::io(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        )
        .into());
    }
    let format = detect_format(path)?;
    let mut summary = match format {
        OsmFormat::Pbf => read_pbf(path, progress, f)?,
        OsmFormat::Xml => read_xml(path, progress, f)?,
    };
    summary.format = Some(format);
    if progress.is_cancelled() {
        return Err(ModelError::Cancelled);
    }
    Ok(summary)
}

fn read_pbf(
    path: &Path,
    progress: &dyn Progress,
    mut f: impl FnMut(OsmElement<'_>),
) -> ModelResult<OsmReadSummary> {
    use osmpbf::{Element, ElementReader};
    let bad = |e: osmpbf::Error| {
        ImportError::format(path, "", format!("not a readable OSM PBF file ({e})"))
    };
    let mut summary = OsmReadSummary::default();
    let mut ids: Vec<i64> = Vec::new();
    let mut cancelled = false;
    ElementReader::from_path(path)
        .map_err(bad)?
        .for_each(|el| {
            if cancelled {
                return;
            }
            summary.objects += 1;
            if summary.objects.is_multiple_of(200_000) {
                cancelled = progress.is_cancelled();
                progress.set(0.3, "reading OpenStreetMap objects");
            }
            // Tags borrow from this element only; most nodes have none (no allocation then).
            let mut tags: Vec<(&str, &str)> = Vec::new();
            match &el {
                Element::Node(n) => {
                    tags.extend(n.tags());
                    f(OsmElement::Node {
                        id: n.id(),
                        pos_wgs84: Coord {
                            x: n.lon(),
                            y: n.lat(),
                        },
                        tags: &tags,
                    });
                }
                Element::DenseNode(n) => {
                    tags.extend(n.tags());
                    f(OsmElement::Node {
                        id: n.id(),
                        pos_wgs84: Coord {
                            x: n.lon(),
                            y: n.lat(),
                        },
                        tags: &tags,
                    });
                }
                Element::Way(w) => {
                    tags.extend(w.tags());
                    ids.clear();
                    ids.extend(w.refs());
                    f(OsmElement::Way {
                        id: w.id(),
                        node_ids: &ids,
                        tags: &tags,
                    });
                }
                Element::Relation(r) => {
                    tags.extend(r.tags());
                    ids.clear();
                    ids.extend(
                        r.members()
                            .filter(|m| m.member_type == osmpbf::RelMemberType::Way)
                            .map(|m| m.member_id),
                    );
                    f(OsmElement::Relation {
                        id: r.id(),
                        way_ids: &ids,
                        tags: &tags,
                    });
                }
            }
        })
        .map_err(bad)?;
    Ok(summary)
}

/// The object being read between its start and end tags.
#[derive(Default)]
struct XmlObject {
    kind: XmlKind,
    id: Option<i64>,
    pos: Option<Coord<f64>>,
    tags: Vec<(String, String)>,
    ids: Vec<i64>,
    /// Why the object cannot be used (bad attribute), with its byte offset.
    damage: Option<String>,
    offset: u64,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum XmlKind {
    #[default]
    None,
    Node,
    Way,
    Relation,
}

fn read_xml(
    path: &Path,
    progress: &dyn Progress,
    mut f: impl FnMut(OsmElement<'_>),
) -> ModelResult<OsmReadSummary> {
    use quick_xml::events::Event;
    let total = std::fs::metadata(path).map(|m| m.len()).unwrap_or(1).max(1);
    let mut reader = quick_xml::Reader::from_reader(open_maybe_gz(path)?);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let mut summary = OsmReadSummary::default();
    let mut saw_root = false;
    let mut obj = XmlObject::default();
    loop {
        let offset = reader.buffer_position();
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            ImportError::format(
                path,
                format!("byte {}", reader.error_position()),
                format!("not a readable OSM XML file ({e})"),
            )
        })?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = e.local_name();
            let name = name.as_ref();
            if !saw_root {
                if name != b"osm" && name != b"osmChange" {
                    return Err(ImportError::format(
                        path,
                        "",
                        format!(
                            "not an OpenStreetMap XML file (the root element is <{}>, expected <osm>)",
                            String::from_utf8_lossy(name)
                        ),
                    )
                    .into());
                }
                saw_root = true;
            } else {
                let kind = match name {
                    b"node" => XmlKind::Node,
                    b"way" => XmlKind::Way,
                    b"relation" => XmlKind::Relation,
                    _ => XmlKind::None,
                };
                if kind != XmlKind::None {
                    obj = XmlObject {
                        kind,
                        offset,
                        ..XmlObject::default()
                    };
                    summary.objects += 1;
                    if summary.objects.is_multiple_of(50_000) {
                        if progress.is_cancelled() {
                            return Err(ModelError::Cancelled);
                        }
                        progress.set(
                            0.5 * (offset as f32 / total as f32).min(1.0),
                            "reading OpenStreetMap objects",
                        );
                    }
                }
                read_attributes(e, kind, name, &mut obj);
                if empty && kind != XmlKind::None {
                    finish(&mut obj, &mut summary, &mut f);
                }
            }
        }
        match &event {
            Event::End(e) => {
                let kind = match e.local_name().as_ref() {
                    b"node" => XmlKind::Node,
                    b"way" => XmlKind::Way,
                    b"relation" => XmlKind::Relation,
                    _ => XmlKind::None,
                };
                if kind != XmlKind::None && kind == obj.kind {
                    finish(&mut obj, &mut summary, &mut f);
                }
            }
            Event::Eof => break,
            Event::Text(t) if !saw_root && !t.is_empty() => {
                return Err(ImportError::format(
                    path,
                    "",
                    "not an OpenStreetMap XML file (text before the <osm> element)",
                )
                .into());
            }
            _ => {}
        }
        buf.clear();
    }
    if !saw_root {
        return Err(ImportError::format(
            path,
            "",
            "not an OpenStreetMap XML file (no <osm> element)",
        )
        .into());
    }
    Ok(summary)
}

/// Reads the attributes of `<node>`, `<way>`, `<relation>`, `<tag>`, `<nd>` and `<member>` into
/// the current object.
fn read_attributes(
    e: &quick_xml::events::BytesStart<'_>,
    kind: XmlKind,
    name: &[u8],
    obj: &mut XmlObject,
) {
    let get = |key: &[u8]| -> Option<String> {
        let a = e.try_get_attribute(key).ok().flatten()?;
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    };
    let damage = |obj: &mut XmlObject, what: String| {
        obj.damage.get_or_insert(what);
    };
    match (kind, name) {
        (XmlKind::None, b"tag") => {
            if obj.kind != XmlKind::None
                && let (Some(k), Some(v)) = (get(b"k"), get(b"v"))
            {
                obj.tags.push((k, v));
            }
        }
        (XmlKind::None, b"nd") => match get(b"ref").and_then(|r| r.trim().parse().ok()) {
            Some(r) => obj.ids.push(r),
            None => damage(obj, "a <nd> without a valid ref".into()),
        },
        (XmlKind::None, b"member") => {
            if get(b"type").as_deref() == Some("way")
                && let Some(r) = get(b"ref").and_then(|r| r.trim().parse().ok())
            {
                obj.ids.push(r);
            }
        }
        (XmlKind::None, _) => {}
        (_, _) => {
            obj.id = get(b"id").and_then(|v| v.trim().parse().ok());
            if obj.id.is_none() {
                damage(obj, "missing or invalid id".into());
            }
            if kind == XmlKind::Node {
                let lat = get(b"lat").and_then(|v| v.trim().parse::<f64>().ok());
                let lon = get(b"lon").and_then(|v| v.trim().parse::<f64>().ok());
                match (lon, lat) {
                    (Some(x), Some(y)) if x.abs() <= 180.0 && y.abs() <= 90.0 => {
                        obj.pos = Some(Coord { x, y })
                    }
                    _ => damage(obj, "missing or invalid lat/lon".into()),
                }
            }
        }
    }
}

/// Hands the finished object to `f`, or counts it as damaged.
fn finish(obj: &mut XmlObject, summary: &mut OsmReadSummary, f: &mut impl FnMut(OsmElement<'_>)) {
    let obj = std::mem::take(obj);
    let what = match obj.kind {
        XmlKind::Node => "node",
        XmlKind::Way => "way",
        XmlKind::Relation => "relation",
        XmlKind::None => return,
    };
    let location = match obj.id {
        Some(id) => format!("{what}/{id} (byte {})", obj.offset),
        None => format!("{what} at byte {}", obj.offset),
    };
    if let Some(why) = obj.damage {
        summary.damaged(location, why);
        return;
    }
    let Some(id) = obj.id else { return };
    let tags: Vec<(&str, &str)> = obj
        .tags
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    match obj.kind {
        XmlKind::Node => {
            if let Some(pos_wgs84) = obj.pos {
                f(OsmElement::Node {
                    id,
                    pos_wgs84,
                    tags: &tags,
                });
            }
        }
        XmlKind::Way => f(OsmElement::Way {
            id,
            node_ids: &obj.ids,
            tags: &tags,
        }),
        XmlKind::Relation => f(OsmElement::Relation {
            id,
            way_ids: &obj.ids,
            tags: &tags,
        }),
        XmlKind::None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NoProgress;

    fn read_str(text: &str) -> ModelResult<(Vec<String>, OsmReadSummary)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.osm");
        std::fs::write(&path, text).unwrap();
        let mut seen = Vec::new();
        let summary = for_each_element(&path, &NoProgress, |e| {
            seen.push(match e {
                OsmElement::Node {
                    id,
                    pos_wgs84,
                    tags,
                } => {
                    format!("n{id} {} {} {tags:?}", pos_wgs84.x, pos_wgs84.y)
                }
                OsmElement::Way { id, node_ids, tags } => format!("w{id} {node_ids:?} {tags:?}"),
                OsmElement::Relation { id, way_ids, tags } => {
                    format!("r{id} {way_ids:?} {tags:?}")
                }
            })
        })?;
        Ok((seen, summary))
    }

    #[test]
    fn xml_nodes_ways_relations_and_tags_are_read_in_order() {
        let (seen, summary) = read_str(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <bounds minlat="0" minlon="0" maxlat="1" maxlon="1"/>
  <node id="1" lat="48.5" lon="2.25"/>
  <node id="2" lat="48.6" lon="2.35"><tag k="name" v="Caf&#233; &amp; Co"/></node>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/></way>
  <relation id="5"><member type="way" ref="10" role="outer"/><member type="node" ref="1" role=""/></relation>
</osm>"#,
        )
        .unwrap();
        assert_eq!(
            seen,
            vec![
                "n1 2.25 48.5 []",
                r#"n2 2.35 48.6 [("name", "Café & Co")]"#,
                r#"w10 [1, 2] [("highway", "residential")]"#,
                "r5 [10] []",
            ]
        );
        assert_eq!(summary.objects, 4);
        assert_eq!(summary.format, Some(OsmFormat::Xml));
        assert_eq!(summary.damaged, 0);
    }

    #[test]
    fn damaged_objects_are_skipped_and_listed() {
        let (seen, summary) = read_str(
            r#"<osm><node id="1" lat="north" lon="2"/><node id="2" lat="1" lon="2"/>
               <way id="3"><nd ref="x"/></way></osm>"#,
        )
        .unwrap();
        assert_eq!(seen, vec!["n2 2 1 []"]);
        assert_eq!(summary.damaged, 2);
        assert!(
            summary.issues[0].location.starts_with("node/1"),
            "{:?}",
            summary.issues
        );
        assert!(summary.issues[1].message.contains("<nd>"));
    }

    #[test]
    fn garbage_files_are_errors_that_name_the_file() {
        for text in [
            "just some text",
            "<html><body>hello</body></html>",
            "<osm><node id='1' lat='1' lon='2'></way></osm>",
            "",
        ] {
            let e = read_str(text).unwrap_err().to_string();
            assert!(e.contains("t.osm"), "{text}: {e}");
            assert!(
                e.contains("OpenStreetMap") || e.contains("OSM"),
                "{text}: {e}"
            );
        }
    }
}
