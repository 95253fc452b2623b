//! Product pictures: where a picture may come from (this site, or the shop's image origins).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Invalid, MAX_IMAGES, invalid, text};

/// A product picture; `alt` is what screen readers say instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "/images/products/classic-tee.svg", "alt": "White cotton T-shirt"}))]
pub struct Image {
    /// A path on this site starting with a single `/`, or an `https://` URL whose origin
    /// (`https://host[:port]`) is one of the shop's image origins: the `IMAGE_ORIGINS` setting,
    /// none by default. Any other host is refused. Printable ASCII without spaces, at most 2048
    /// characters.
    #[schema(
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(https://[!-~]{0,2040}|/([!-.0-~][!-~]{0,2046})?)[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub url: String,
    /// Text alternative for the picture.
    #[schema(
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]([^\x00-\x1f\x7f-\x9f]{0,298}[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub alt: String,
}

/// The hosts other than the shop's own that product pictures may come from, as
/// `https://host[:port]` origins. nginx widens the storefront's `img-src` by the same list, so an
/// image URL accepted here is one the browser will load.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageOrigins(Vec<String>);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "{0:?} is not an origin of the form https://host[:port]: a lower-case host name, an optional port from 1 to 65535, no path"
)]
pub struct NotAnImageOrigin(pub String);

const MAX_HOST_LEN: usize = 253;

/// The explicit default port names the same origin as none, which is how browsers write it.
fn without_default_port(authority: &str) -> &str {
    authority.strip_suffix(":443").unwrap_or(authority)
}

impl ImageOrigins {
    /// Comma-separated origins; blanks around them and empty entries are ignored. Anything beyond
    /// `https://host[:port]` is refused: nginx writes the same list into its CSP header.
    pub fn parse(list: &str) -> Result<Self, NotAnImageOrigin> {
        let mut origins = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let authority = entry
                .strip_prefix("https://")
                .filter(|authority| well_formed_authority(authority))
                .ok_or_else(|| NotAnImageOrigin(entry.to_owned()))?;
            let origin = format!("https://{}", without_default_port(authority));
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
        Ok(ImageOrigins(origins))
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// Whether `url` is an `https://` URL with a path on one of the origins. Anything unusual
    /// between the scheme and the path (user info, a backslash, a query) makes the authority
    /// differ from every listed origin, so it is refused rather than interpreted.
    pub fn allows(&self, url: &str) -> bool {
        let Some((authority, _path)) = url
            .strip_prefix("https://")
            .and_then(|rest| rest.split_once('/'))
        else {
            return false;
        };
        let authority = authority.to_ascii_lowercase();
        let origin = format!("https://{}", without_default_port(&authority));
        self.0.contains(&origin)
    }
}

/// A lower-case DNS name (or dotted IPv4 address) and an optional port without leading zeros.
fn well_formed_authority(authority: &str) -> bool {
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let host_ok = (1..=MAX_HOST_LEN).contains(&host.len())
        && host.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    let port_ok = port.is_none_or(|port| {
        !port.starts_with('0')
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u16>().is_ok()
    });
    host_ok && port_ok
}

/// Each picture must come from this site (a path) or from one of `origins`.
pub fn images(values: &[Image], origins: &ImageOrigins) -> Result<Vec<Image>, Invalid> {
    if values.len() > MAX_IMAGES {
        return Err(invalid("images", format!("at most {MAX_IMAGES} images")));
    }
    values
        .iter()
        .map(|image| {
            let url = image.url.trim();
            let local = url.starts_with('/') && !url.starts_with("//");
            let safe_url = (local || origins.allows(url))
                && url.len() <= 2048
                && url.bytes().all(|b| b.is_ascii_graphic());
            if !safe_url {
                let allowed = match origins.as_slice() {
                    [] => "no other origin is allowed".to_owned(),
                    listed => format!("allowed: {}", listed.join(", ")),
                };
                return Err(invalid(
                    "images",
                    format!(
                        "each url must be a path starting with a single / or an https:// URL on an allowed image origin ({allowed})"
                    ),
                ));
            }
            let alt = text("images", &image.alt, 300).map_err(|_| {
                invalid(
                    "images",
                    "each image needs an alt text of 1 to 300 characters",
                )
            })?;
            Ok(Image {
                url: url.to_owned(),
                alt,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_urls_must_be_local_or_on_a_listed_origin() {
        let image = |url: &str| Image {
            url: url.to_owned(),
            alt: "alt".to_owned(),
        };
        let none = ImageOrigins::default();
        let cdn = ImageOrigins::parse("https://cdn.example, https://img.example:8443").unwrap();
        assert!(images(&[image("/images/a.svg")], &none).is_ok());
        assert!(images(&[image("https://cdn.example/a.png")], &none).is_err());
        for good in [
            "/images/a.svg",
            "https://cdn.example/a.png",
            "https://CDN.example/a.png",
            "https://cdn.example:443/a.png",
            "https://img.example:8443/p/a.png?w=480",
        ] {
            assert!(images(&[image(good)], &cdn).is_ok(), "{good}");
        }
        for bad in [
            "http://cdn.example/a.png",
            "https://other.example/a.png",
            "https://cdn.example.evil/a.png",
            "https://cdn.example@evil.example/a.png",
            "https://evil.example\\@cdn.example/a.png",
            "https://cdn.example\\a.png",
            "https://img.example/a.png",
            "https://cdn.example",
            "//cdn.example/a.png",
            "javascript:alert(1)",
            "/a b.png",
        ] {
            let err = images(&[image(bad)], &cdn).unwrap_err();
            assert_eq!(err.field, "images", "{bad}");
            assert!(err.message.contains("https://cdn.example"), "{bad}: {err}");
        }
        let no_alt = Image {
            url: "/a.svg".to_owned(),
            alt: " ".to_owned(),
        };
        assert!(images(&[no_alt], &none).is_err());
    }

    #[test]
    fn image_origins_are_bare_https_origins() {
        assert_eq!(ImageOrigins::parse("").unwrap(), ImageOrigins::default());
        assert_eq!(
            ImageOrigins::parse(
                " https://a.example ,,https://b.example:8443,https://a.example:443"
            )
            .unwrap()
            .as_slice(),
            ["https://a.example", "https://b.example:8443"]
        );
        for bad in [
            "http://a.example",
            "https://a.example/",
            "https://a.example/images",
            "https://A.example",
            "https://*.example",
            "https://a.example:0",
            "https://a.example:08443",
            "https://a.example:65536",
            "https://a.example:",
            "https://user@a.example",
            "https://a..example",
            "https://-a.example",
            "https://a.example\";",
            "https://a.example https://b.example",
            "a.example",
            "https://",
        ] {
            assert_eq!(
                ImageOrigins::parse(bad),
                Err(NotAnImageOrigin(bad.trim().to_owned())),
                "{bad}"
            );
        }
    }
}
