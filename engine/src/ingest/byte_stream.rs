//! The one concrete input the page's workers parse: a file's first bytes, then the rest behind
//! `dyn Read` (the browser's file slices).
//!
//! The readers ([`IngestProgress`](crate::IngestProgress),
//! [`ReferenceRead`](crate::reference_attack::ReferenceRead),
//! [`QueryLogRead`](crate::monitor::QueryLogRead)) are generic over their input. A generic is
//! compiled by the crate that names its type, with that crate's settings, and the page's crate is
//! compiled for size: with the page's own input type, the parsing loops ran in its size-tuned
//! copy. Each reader's `step_stream` takes this type and is compiled here, at the engine's full
//! optimisation, so the page parses with the same code as the CLI (in the page, reading a
//! reference-attack table of 100k × 64 was about 1.2× faster so). The input itself is read a
//! megabyte at a time, so the `dyn` call costs nothing measurable.

use std::io::{Chain, Cursor, Read};

/// A file's head (already read, for the header and the delimiter) followed by the rest.
pub type ByteStream = Chain<Cursor<Vec<u8>>, Box<dyn Read>>;

/// `head`, then `rest`, as one [`ByteStream`].
///
/// # Examples
/// ```
/// use std::io::Read;
/// let mut s = mia_engine::ingest::byte_stream::byte_stream(b"ab".to_vec(), Box::new(&b"cd"[..]));
/// let mut all = String::new();
/// s.read_to_string(&mut all).unwrap();
/// assert_eq!(all, "abcd");
/// ```
pub fn byte_stream(head: Vec<u8>, rest: Box<dyn Read>) -> ByteStream {
    Cursor::new(head).chain(rest)
}
