//! Messages between the audit worker and its part worker ([`crate::worker::part`]), typed and
//! serialised with bincode like every other message. A message crosses as a two-element array:
//! the bincode bytes, and beside them what must not be copied into them: the picked `File`
//! handle of a read, or a table's float columns as `Float64Array`s (their buffers
//! transferred). No string keys, no sentinel job numbers.

use mia_engine::ingest::split::{IngestedPart, PartPlan};
use mia_engine::reference_attack::{
    AttackTask, ReferencePart, ReferencePlan, ReferenceSettings, ReferenceTable, TaskResult,
};
use mia_engine::text::pairs::{PairFigures, PairRow};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// A part read's number, per audit worker.
pub type PartJobId = u32;

/// How to read a part: the audit's table or a reference-attack table, with the first part's
/// header and column roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ReadPlan {
    Audit(PartPlan),
    Reference(ReferencePlan),
}

/// A part read, of the kind its plan asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ReadPart {
    Audit(Box<IngestedPart>),
    Reference(Box<ReferencePart>),
}

impl ReadPart {
    /// The part's float columns, taken out to be transferred beside the message.
    pub fn take_float_columns(&mut self) -> Vec<Vec<f64>> {
        match self {
            ReadPart::Audit(p) => p.take_float_columns(),
            ReadPart::Reference(p) => p.take_float_columns(),
        }
    }

    /// Puts them back; `false` when they do not fit.
    pub fn put_float_columns(&mut self, columns: Vec<Vec<f64>>) -> bool {
        match self {
            ReadPart::Audit(p) => p.put_float_columns(columns),
            ReadPart::Reference(p) => p.put_float_columns(columns),
        }
    }
}

/// From the audit worker to its part worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToPartWorker {
    /// Read the attached file from `start` (a line start) to `end` with `plan`.
    Read {
        job: PartJobId,
        start: u64,
        end: u64,
        plan: ReadPlan,
    },
    /// Run reference-attack `tasks` (handed off by the audit worker's run) on `table`.
    Attack {
        job: PartJobId,
        table: AttackTable,
        settings: ReferenceSettings,
        tasks: Vec<AttackTask>,
    },
    /// The rows of a reference-attack table read before part `job` (the audit worker's own,
    /// without ids and row numbers), their float columns attached: sent as soon as they are read,
    /// while the part is still being read here, and kept with the part, so that an attack on the
    /// whole table ([`AttackTable::Joined`]) needs no copy of it sent afterwards.
    Rows {
        job: PartJobId,
        table: Box<ReferenceTable>,
    },
    /// Score `rows` (the second part of a text audit's pairs) with `span` as the extracted
    /// length.
    ScorePairs {
        job: PartJobId,
        rows: Vec<PairRow>,
        span: usize,
    },
    /// Stop part `job` (a read, an attack or a scoring).
    Cancel { job: PartJobId },
    /// Warm the reading code up on generated files, then wait for parts.
    WarmUp,
}

/// The table an attack's tasks run on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AttackTable {
    /// This one, its float columns attached (without ids and row numbers, which no task reads).
    Sent(Box<ReferenceTable>),
    /// The [rows](ToPartWorker::Rows) sent for part `read` followed by the part read here: both
    /// already in the part worker.
    Joined { read: PartJobId },
}

/// From the part worker to the audit worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromPartWorker {
    /// The part worker has loaded and listens: parts may be sent (a message sent before would
    /// be lost).
    Ready,
    /// Bytes of part `job` read so far.
    Progress { job: PartJobId, done: u64 },
    /// Part `job`, read; its float columns come attached.
    Part { job: PartJobId, part: ReadPart },
    /// The results of attack `job`'s tasks.
    Attacked {
        job: PartJobId,
        results: Vec<TaskResult>,
    },
    /// The figures of scoring `job`'s pairs, in order.
    Scored {
        job: PartJobId,
        pairs: Vec<PairFigures>,
    },
    /// The part worker failed (it panicked) and stops: it is replaced before the next part.
    Died { message: String },
    /// Part `job` could not be read or attack `job` run (`None`: a message the part worker
    /// could not read).
    Failed {
        job: Option<PartJobId>,
        message: String,
    },
}

/// The envelope: `[bytes, attachment]`, with the buffers to transfer.
pub fn encode<T: Serialize>(
    message: &T,
    attachment: &JsValue,
) -> Result<(js_sys::Array, js_sys::Array), String> {
    let bytes = bincode::serialize(message).map_err(|e| e.to_string())?;
    let bytes = js_sys::Uint8Array::from(bytes.as_slice());
    let transfer = js_sys::Array::of1(&bytes.buffer());
    Ok((js_sys::Array::of2(&bytes, attachment), transfer))
}

/// The message and its attachment (`undefined` when it has none), or why it cannot be read.
pub fn decode<T: DeserializeOwned>(data: &JsValue) -> Result<(T, JsValue), String> {
    let envelope: &js_sys::Array = data.dyn_ref().ok_or("a message that is not an envelope")?;
    let bytes: js_sys::Uint8Array = envelope
        .get(0)
        .dyn_into()
        .map_err(|_| "a message without its bytes")?;
    let message = bincode::deserialize(&bytes.to_vec()).map_err(|e| e.to_string())?;
    Ok((message, envelope.get(1)))
}

/// Float columns as `Float64Array`s to attach to a message (each copied once, out of the wasm
/// memory), and their buffers to transfer.
pub fn float_arrays<C: AsRef<[f64]>>(
    columns: impl IntoIterator<Item = C>,
) -> (js_sys::Array, js_sys::Array) {
    let (floats, buffers) = (js_sys::Array::new(), js_sys::Array::new());
    for column in columns {
        let array = js_sys::Float64Array::from(column.as_ref());
        buffers.push(&array.buffer());
        floats.push(&array);
    }
    (floats, buffers)
}

/// The float columns attached to a message by [`float_arrays`].
pub fn float_columns(attachment: &JsValue) -> Result<Vec<Vec<f64>>, String> {
    float_columns_with_room(attachment, &[])
}

/// [`float_columns`], column k with room for `room[k]` more values (none past `room`'s end):
/// what is appended to them later then needs no second copy.
pub fn float_columns_with_room(
    attachment: &JsValue,
    room: &[usize],
) -> Result<Vec<Vec<f64>>, String> {
    let floats: &js_sys::Array = attachment.dyn_ref().ok_or("the columns did not arrive")?;
    floats
        .iter()
        .enumerate()
        .map(|(k, a)| {
            a.dyn_into::<js_sys::Float64Array>().map(|a| {
                let mut column =
                    Vec::with_capacity(a.length() as usize + room.get(k).copied().unwrap_or(0));
                column.resize(a.length() as usize, 0.0);
                a.copy_to(&mut column);
                column
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| "the columns arrived damaged".to_string())
}
