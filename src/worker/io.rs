//! A picked file read inside a worker, in slices, with a helper worker reading ahead.

pub mod blob_worker;
pub mod file_slices;
