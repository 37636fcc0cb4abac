//! The basemap drawn under the campaign layers (View › Basemap, saved in the UI prefs): none
//! ("campaign layers only", the default: the map never needs a network), a local raster
//! `.pmtiles` file, or online OpenStreetMap tiles (opt-in) cached on disk, which fall back
//! silently to the campaign layers when offline.
//!
//! Online tiles go through walkers' `HttpTiles` (reqwest + rustls). Walkers is built without its
//! default `rustls-aws-lc-rs` feature (aws-lc-sys needs cmake and a C toolchain); instead the
//! pure-Rust-and-asm `ring` provider is installed as the process default before the first client
//! is built ([`install_tls_provider`]). Vector `.pmtiles` would need walkers' `mvt` feature (and
//! egui-wgpu); they are refused with a clear note rather than drawn blank.

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::Context;
use serde::{Deserialize, Serialize};
use walkers::sources::{Attribution, TileSource};
use walkers::{
    HeaderValue, HttpOptions, HttpTiles, MaxParallelDownloads, PmTiles, Stats, Style, TileId,
    TilePiece, Tiles,
};

/// OpenStreetMap's standard tile layer.
pub const OSM_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
/// Shown on the map whenever OSM tiles are on (OSM tile usage policy).
pub const OSM_ATTRIBUTION: &str = "© OpenStreetMap contributors";
pub const OSM_COPYRIGHT_URL: &str = "https://www.openstreetmap.org/copyright";
/// Identifies the application to the tile servers, as the OSM tile usage policy asks (a
/// generic library agent such as walkers' own gets blocked).
pub const USER_AGENT: &str = concat!(
    "Porte/",
    env!("CARGO_PKG_VERSION"),
    " (desktop election-campaign planner; tiles cached on disk)"
);
/// The OSM policy asks for few parallel connections.
const OSM_PARALLEL_DOWNLOADS: usize = 2;
/// Walkers draws tiles of this many points at their zoom level (raster tiles are 256 px).
const RASTER_TILE_SIZE: u32 = 256;
/// With no tile served this long after the first request, the basemap counts as unavailable.
const UNAVAILABLE_AFTER: Duration = Duration::from_secs(5);

/// What is drawn under the campaign layers. Saved in the UI prefs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BasemapChoice {
    /// No tiles: the campaign's own layers (precincts, streets, doors) are the basemap.
    #[default]
    CampaignOnly,
    /// A local raster `.pmtiles` file.
    PmTiles(PathBuf),
    /// OpenStreetMap's tile servers (needs the network; cached on disk).
    OpenStreetMap,
}

/// Why a basemap choice could not be used (the campaign layers are still drawn).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BasemapError {
    /// The file could not be opened or read.
    Unreadable { file: String, reason: String },
    /// Not a PMTiles v3 archive.
    NotPmTiles { file: String },
    /// A vector (MVT) archive: Porte draws raster tiles only.
    VectorTiles { file: String },
    /// Raster tiles in a format walkers cannot decode (WebP, AVIF).
    UnsupportedTiles { file: String, format: &'static str },
}

/// The state of the basemap for the small note on the map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BasemapStatus {
    /// Campaign layers only, or tiles showing.
    Fine,
    /// Tiles asked for, none arrived yet.
    Loading,
    /// No tile arrived in time (offline, server unreachable, file without tiles here).
    Unavailable,
    Failed(BasemapError),
}

/// `$XDG_CACHE_HOME/porte/tiles`, else `$HOME/.cache/porte/tiles` (an empty or relative
/// `XDG_CACHE_HOME` is ignored, as the XDG spec says); `None` without either.
pub fn tile_cache_dir_from(
    xdg_cache_home: Option<OsString>,
    home: Option<OsString>,
) -> Option<PathBuf> {
    let xdg = xdg_cache_home
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let base = xdg.or_else(|| {
        home.map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .map(|h| h.join(".cache"))
    })?;
    Some(base.join("porte").join("tiles"))
}

/// The tile cache directory of this process's environment.
pub fn tile_cache_dir() -> Option<PathBuf> {
    tile_cache_dir_from(std::env::var_os("XDG_CACHE_HOME"), std::env::var_os("HOME"))
}

/// Installs rustls' `ring` crypto provider as the process default (once; later calls and a
/// provider already installed by someone else are fine). reqwest's `rustls-no-provider` build,
/// which walkers uses, needs one before the first HTTPS client is built.
pub fn install_tls_provider() {
    // Err means a default is already installed: nothing to do.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The tile type of a PMTiles v3 archive, from its 127-byte header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PmTilesType {
    Png,
    Jpeg,
    Webp,
    Avif,
    /// Mapbox vector tiles.
    Mvt,
    Unknown,
}

/// Reads the header of a `.pmtiles` file and returns its tile type.
pub fn pmtiles_tile_type(path: &Path) -> Result<PmTilesType, BasemapError> {
    let file = path.display().to_string();
    let unreadable = |e: std::io::Error| BasemapError::Unreadable {
        file: file.clone(),
        reason: e.to_string(),
    };
    let mut header = [0u8; 127];
    let mut f = std::fs::File::open(path).map_err(unreadable)?;
    let mut read = 0;
    while read < header.len() {
        match f.read(&mut header[read..]).map_err(unreadable)? {
            0 => break,
            n => read += n,
        }
    }
    if read < header.len() || &header[..7] != b"PMTiles" || header[7] != 3 {
        return Err(BasemapError::NotPmTiles { file });
    }
    // Byte 99: tile type (PMTiles v3 spec).
    Ok(match header[99] {
        1 => PmTilesType::Mvt,
        2 => PmTilesType::Png,
        3 => PmTilesType::Jpeg,
        4 => PmTilesType::Webp,
        5 => PmTilesType::Avif,
        _ => PmTilesType::Unknown,
    })
}

/// A tile server given by a URL template with `{z}`, `{x}` and `{y}`, credited to OSM.
struct OsmSource {
    url_template: String,
}

impl TileSource for OsmSource {
    fn tile_url(&self, tile_id: TileId) -> String {
        self.url_template
            .replace("{z}", &tile_id.zoom.to_string())
            .replace("{x}", &tile_id.x.to_string())
            .replace("{y}", &tile_id.y.to_string())
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: OSM_ATTRIBUTION,
            url: OSM_COPYRIGHT_URL,
            logo_light: None,
            logo_dark: None,
        }
    }
}

/// Tiles from `url_template` (OSM's in the app), cached under `cache_dir` when given.
fn online_tiles(url_template: &str, cache_dir: Option<PathBuf>, ctx: &Context) -> HttpTiles {
    install_tls_provider();
    let options = HttpOptions {
        cache: cache_dir,
        user_agent: Some(HeaderValue::from_static(USER_AGENT)),
        max_parallel_downloads: MaxParallelDownloads::value_manually_confirmed_with_provider_limits(
            OSM_PARALLEL_DOWNLOADS,
        ),
        tls: None,
    };
    HttpTiles::with_options(
        OsmSource {
            url_template: url_template.to_owned(),
        },
        options,
        ctx.clone(),
    )
}

/// Tiles of a local raster `.pmtiles` file (checked first: vector and WebP archives refused).
fn pmtiles_tiles(path: &Path, ctx: &Context) -> Result<PmTiles, BasemapError> {
    let file = path.display().to_string();
    match pmtiles_tile_type(path)? {
        PmTilesType::Png | PmTilesType::Jpeg => Ok(PmTiles::with_style_and_tile_size(
            path,
            Style,
            RASTER_TILE_SIZE,
            ctx.clone(),
        )),
        PmTilesType::Mvt => Err(BasemapError::VectorTiles { file }),
        PmTilesType::Webp => Err(BasemapError::UnsupportedTiles {
            file,
            format: "WebP",
        }),
        PmTilesType::Avif => Err(BasemapError::UnsupportedTiles {
            file,
            format: "AVIF",
        }),
        PmTilesType::Unknown => Err(BasemapError::UnsupportedTiles { file, format: "?" }),
    }
}

/// A tile source that remembers whether it ever served a tile, to tell "offline" apart.
struct WatchedTiles {
    inner: Box<dyn Tiles>,
    first_request: Option<Instant>,
    served: bool,
}

impl Tiles for WatchedTiles {
    fn at(&mut self, tile_id: TileId) -> Option<TilePiece> {
        self.first_request.get_or_insert_with(Instant::now);
        let piece = self.inner.at(tile_id);
        self.served |= piece.is_some();
        piece
    }

    fn attribution(&self) -> Attribution {
        self.inner.attribution()
    }

    fn tile_size(&self) -> u32 {
        self.inner.tile_size()
    }

    fn stats(&self) -> Stats {
        self.inner.stats()
    }
}

/// The live basemap of the map view: the choice it was built for and its tile source.
pub struct Basemap {
    choice: BasemapChoice,
    tiles: Option<WatchedTiles>,
    error: Option<BasemapError>,
    /// Where online tiles are cached (`None`: no disk cache).
    cache_dir: Option<PathBuf>,
    /// The online tile URL template (OSM's; a local server in tests).
    url_template: String,
}

impl Default for Basemap {
    fn default() -> Self {
        Basemap::new(tile_cache_dir(), OSM_TILE_URL)
    }
}

impl Basemap {
    /// No tiles yet; online tiles will come from `url_template`, cached under `cache_dir`.
    pub fn new(cache_dir: Option<PathBuf>, url_template: &str) -> Basemap {
        Basemap {
            choice: BasemapChoice::CampaignOnly,
            tiles: None,
            error: None,
            cache_dir,
            url_template: url_template.to_owned(),
        }
    }

    pub fn choice(&self) -> &BasemapChoice {
        &self.choice
    }

    pub fn cache_dir(&self) -> Option<&Path> {
        self.cache_dir.as_deref()
    }

    /// Switches to `choice` (nothing happens when it is the current one). Never fails: a bad
    /// file leaves the campaign layers alone and a [`BasemapStatus::Failed`] note.
    pub fn set(&mut self, choice: &BasemapChoice, ctx: &Context) {
        if *choice == self.choice {
            return;
        }
        self.choice = choice.clone();
        self.error = None;
        let inner: Option<Box<dyn Tiles>> = match choice {
            BasemapChoice::CampaignOnly => None,
            BasemapChoice::OpenStreetMap => Some(Box::new(online_tiles(
                &self.url_template,
                self.cache_dir.clone(),
                ctx,
            ))),
            BasemapChoice::PmTiles(path) => match pmtiles_tiles(path, ctx) {
                Ok(tiles) => Some(Box::new(tiles)),
                Err(e) => {
                    self.error = Some(e);
                    None
                }
            },
        };
        self.tiles = inner.map(|inner| WatchedTiles {
            inner,
            first_request: None,
            served: false,
        });
    }

    /// The tile source to hand to walkers, when there is one.
    pub fn tiles_mut(&mut self) -> Option<&mut dyn Tiles> {
        self.tiles.as_mut().map(|t| t as &mut dyn Tiles)
    }

    /// Whether tiles are drawn under the campaign layers (fills are then more transparent).
    pub fn has_tiles(&self) -> bool {
        self.tiles.is_some()
    }

    /// Whether at least one tile was drawn.
    pub fn tiles_served(&self) -> bool {
        self.tiles.as_ref().is_some_and(|t| t.served)
    }

    /// The attribution to show on the map while tiles are on.
    pub fn attribution(&self) -> Option<Attribution> {
        self.tiles.as_ref().map(|t| t.attribution())
    }

    pub fn status(&self) -> BasemapStatus {
        if let Some(e) = &self.error {
            return BasemapStatus::Failed(e.clone());
        }
        match &self.tiles {
            None => BasemapStatus::Fine,
            Some(t) if t.served => BasemapStatus::Fine,
            Some(t) => match t.first_request {
                Some(at) if at.elapsed() >= UNAVAILABLE_AFTER => BasemapStatus::Unavailable,
                _ => BasemapStatus::Loading,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_dir_follows_xdg_then_home() {
        assert_eq!(
            tile_cache_dir_from(Some("/x/cache".into()), Some("/home/u".into())),
            Some(PathBuf::from("/x/cache/porte/tiles"))
        );
        assert_eq!(
            tile_cache_dir_from(None, Some("/home/u".into())),
            Some(PathBuf::from("/home/u/.cache/porte/tiles"))
        );
        // Empty or relative XDG_CACHE_HOME is invalid per the XDG spec.
        assert_eq!(
            tile_cache_dir_from(Some("".into()), Some("/home/u".into())),
            Some(PathBuf::from("/home/u/.cache/porte/tiles"))
        );
        assert_eq!(
            tile_cache_dir_from(Some("rel".into()), Some("/home/u".into())),
            Some(PathBuf::from("/home/u/.cache/porte/tiles"))
        );
        assert_eq!(tile_cache_dir_from(None, None), None);
    }

    #[test]
    fn the_default_choice_needs_no_network_and_round_trips() {
        assert_eq!(BasemapChoice::default(), BasemapChoice::CampaignOnly);
        for choice in [
            BasemapChoice::CampaignOnly,
            BasemapChoice::PmTiles(PathBuf::from("/maps/paris.pmtiles")),
            BasemapChoice::OpenStreetMap,
        ] {
            let json = serde_json::to_string(&choice).unwrap();
            assert_eq!(
                serde_json::from_str::<BasemapChoice>(&json).unwrap(),
                choice
            );
        }
        let mut basemap = Basemap::new(None, OSM_TILE_URL);
        basemap.set(&BasemapChoice::CampaignOnly, &Context::default());
        assert!(!basemap.has_tiles());
        assert_eq!(basemap.status(), BasemapStatus::Fine);
    }

    #[test]
    fn the_user_agent_names_porte_and_its_version() {
        assert!(USER_AGENT.starts_with(&format!("Porte/{}", env!("CARGO_PKG_VERSION"))));
        assert!(HeaderValue::from_str(USER_AGENT).is_ok());
        let source = OsmSource {
            url_template: OSM_TILE_URL.to_owned(),
        };
        let url = source.tile_url(TileId {
            x: 3,
            y: 5,
            zoom: 4,
        });
        assert_eq!(url, "https://tile.openstreetmap.org/4/3/5.png");
        assert_eq!(source.attribution().text, "© OpenStreetMap contributors");
    }

    #[test]
    fn a_missing_or_foreign_file_is_a_note_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Context::default();
        let mut basemap = Basemap::new(None, OSM_TILE_URL);
        basemap.set(
            &BasemapChoice::PmTiles(dir.path().join("missing.pmtiles")),
            &ctx,
        );
        assert!(!basemap.has_tiles());
        assert!(matches!(
            basemap.status(),
            BasemapStatus::Failed(BasemapError::Unreadable { .. })
        ));
        let foreign = dir.path().join("foreign.pmtiles");
        std::fs::write(&foreign, b"not a pmtiles archive at all").unwrap();
        basemap.set(&BasemapChoice::PmTiles(foreign), &ctx);
        assert!(matches!(
            basemap.status(),
            BasemapStatus::Failed(BasemapError::NotPmTiles { .. })
        ));
        // Back to the campaign layers: the note goes.
        basemap.set(&BasemapChoice::CampaignOnly, &ctx);
        assert_eq!(basemap.status(), BasemapStatus::Fine);
    }

    #[test]
    fn a_vector_archive_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vector.pmtiles");
        let mut header = vec![0u8; 127];
        header[..7].copy_from_slice(b"PMTiles");
        header[7] = 3;
        header[99] = 1; // MVT
        std::fs::write(&path, &header).unwrap();
        let mut basemap = Basemap::new(None, OSM_TILE_URL);
        basemap.set(&BasemapChoice::PmTiles(path), &Context::default());
        assert!(!basemap.has_tiles());
        assert!(matches!(
            basemap.status(),
            BasemapStatus::Failed(BasemapError::VectorTiles { .. })
        ));
    }

    /// Steps `tiles` like frames would, for up to `limit`.
    fn poll_tile(basemap: &mut Basemap, id: TileId, limit: Duration) -> Option<TilePiece> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(piece) = basemap.tiles_mut().and_then(|t| t.at(id)) {
                return Some(piece);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    #[test]
    fn offline_online_tiles_fail_silently() {
        let ctx = Context::default();
        let id = TileId {
            x: 0,
            y: 0,
            zoom: 0,
        };
        // Connection refused (nothing listens on port 1), then a name that never resolves.
        for url in [
            "http://127.0.0.1:1/{z}/{x}/{y}.png",
            "https://tiles.porte.invalid/{z}/{x}/{y}.png",
        ] {
            let mut basemap = Basemap::new(None, url);
            basemap.set(&BasemapChoice::OpenStreetMap, &ctx);
            assert!(basemap.has_tiles());
            assert_eq!(basemap.attribution().unwrap().text, OSM_ATTRIBUTION);
            assert!(poll_tile(&mut basemap, id, Duration::from_millis(600)).is_none());
            assert_eq!(basemap.status(), BasemapStatus::Loading);
            assert!(!basemap.tiles_served());
        }
    }

    #[test]
    fn the_real_osm_client_builds_with_the_ring_provider() {
        // Building the HTTPS client must not panic for want of a crypto provider. No tile is
        // asked for: tests do not load OSM's servers.
        let mut basemap = Basemap::new(None, OSM_TILE_URL);
        basemap.set(&BasemapChoice::OpenStreetMap, &Context::default());
        assert!(basemap.has_tiles());
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }

    /// A one-request-at-a-time HTTP server answering every GET with `png` (cacheable for a day).
    fn serve_png(png: Vec<u8>) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        use std::io::Write;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = std::sync::Arc::new(AtomicUsize::new(0));
        let counter = std::sync::Arc::clone(&hits);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                counter.fetch_add(1, Ordering::SeqCst);
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\n\
                     Cache-Control: public, max-age=86400\r\nConnection: close\r\n\r\n",
                    png.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&png);
            }
        });
        (
            format!("http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"),
            hits,
        )
    }

    /// A 1×1 red PNG.
    const RED_PIXEL_PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90,
        0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xf8,
        0xcf, 0xc0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0xf7, 0x03, 0x41, 0x43, 0x00, 0x00, 0x00,
        0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn online_tiles_are_cached_in_the_cache_dir() {
        let (url, hits) = serve_png(RED_PIXEL_PNG.to_vec());
        let dir = tempfile::tempdir().unwrap();
        let cache = tile_cache_dir_from(Some(dir.path().into()), None).unwrap();
        let ctx = Context::default();
        let id = TileId {
            x: 0,
            y: 0,
            zoom: 0,
        };
        let mut basemap = Basemap::new(Some(cache.clone()), &url);
        basemap.set(&BasemapChoice::OpenStreetMap, &ctx);
        assert_eq!(basemap.cache_dir(), Some(cache.as_path()));
        assert!(poll_tile(&mut basemap, id, Duration::from_secs(10)).is_some());
        assert!(basemap.tiles_served());
        assert_eq!(basemap.status(), BasemapStatus::Fine);
        let files = walk_count(&cache);
        assert!(files > 0, "nothing cached under {}", cache.display());
        // A new client (a new session) gets the tile from the disk cache, not the server.
        let before = hits.load(std::sync::atomic::Ordering::SeqCst);
        let mut again = Basemap::new(Some(cache.clone()), &url);
        again.set(&BasemapChoice::OpenStreetMap, &ctx);
        assert!(poll_tile(&mut again, id, Duration::from_secs(10)).is_some());
        assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), before);
    }

    fn walk_count(dir: &Path) -> usize {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| {
                        let p = e.path();
                        if p.is_dir() { walk_count(&p) } else { 1 }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }

    /// tests/fixtures/raster_z0_z1.pmtiles: PMTiles v3, uncompressed root directory, 256 px PNG
    /// tiles: zoom 0 one red tile, zoom 1 four blue tiles sharing one blob (a run of 4).
    #[test]
    fn the_raster_fixture_serves_a_tile() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/raster_z0_z1.pmtiles");
        assert_eq!(pmtiles_tile_type(&path), Ok(PmTilesType::Png));
        let mut basemap = Basemap::new(None, OSM_TILE_URL);
        basemap.set(&BasemapChoice::PmTiles(path), &Context::default());
        assert!(basemap.has_tiles());
        // Zoom 1 first: once zoom 0 is cached, walkers would stretch it over a missing child.
        for id in [
            TileId {
                x: 1,
                y: 0,
                zoom: 1,
            },
            TileId {
                x: 0,
                y: 0,
                zoom: 0,
            },
        ] {
            let piece = poll_tile(&mut basemap, id, Duration::from_secs(10));
            let piece = piece.unwrap_or_else(|| panic!("{id:?} not served"));
            // The tile itself, not a stretched part of its parent.
            assert_eq!(
                piece.uv,
                egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0))
            );
        }
        assert!(basemap.tiles_served());
    }
}
