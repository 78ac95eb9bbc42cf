//! A fingerprint of the audited input (SHA-256, FIPS 180-4), so a review report names exactly
//! which file it judged.

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes` as 64 lower-case hex digits.
///
/// # Examples
/// ```
/// assert_eq!(
///     mia_engine::fingerprint::sha256_hex(b"abc"),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
