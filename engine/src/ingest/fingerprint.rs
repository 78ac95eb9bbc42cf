//! A fingerprint of the audited input (SHA-256, FIPS 180-4), so a review report names exactly
//! which file it judged.

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes` as 64 lower-case hex digits.
///
/// # Examples
/// ```
/// assert_eq!(
///     mia_engine::ingest::fingerprint::sha256_hex(b"abc"),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut s = Sha256Stream::default();
    s.update(bytes);
    s.finish_hex()
}

/// SHA-256 of a stream fed piece by piece ([`update`](Self::update)), for files read in slices.
///
/// # Examples
/// ```
/// use mia_engine::ingest::fingerprint::{sha256_hex, Sha256Stream};
/// let mut s = Sha256Stream::default();
/// s.update(b"a");
/// s.update(b"bc");
/// assert_eq!(s.finish_hex(), sha256_hex(b"abc"));
/// ```
#[derive(Default, Clone)]
pub struct Sha256Stream(Sha256);

impl Sha256Stream {
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The digest as 64 lower-case hex digits.
    pub fn finish_hex(self) -> String {
        self.0
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}
