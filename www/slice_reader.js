// Reads a user's File for the worker that parses it, on a thread of its own, so that the parser
// never stops to wait for the browser to deliver bytes. The file is read as a stream straight
// into a few buffers of this reader's own ("bring your own buffer"), each transferred to the
// parser (not copied) as soon as it is full; the parser gives each buffer back once it has copied
// the bytes out, and it is filled again. Reading a 135 MB file so cost the browser about a third
// of the CPU that reading it in 8 MB slices with `arrayBuffer()` did (a new buffer per slice, and
// the browser's work per slice). A browser whose file streams take no such reader gets the slices
// read with `arrayBuffer()`, as many ahead as there are buffers. Nothing leaves the machine: the
// File never goes anywhere but here.
// Messages (src/protocol/slices.rs): in, [file, start, end, size, count] (read the file from
// `start` to `end` into `count` buffers of `size` bytes), then each buffer given back (an
// ArrayBuffer); out, [start, bytes] (a Uint8Array: a full buffer, the last bytes, or the bytes read
// before the file ended early; never empty, which the parser would take for the end) or a string
// saying why it stopped.
let file = null;
let reader = null;
let next = 0;
let end = 0;
let size = 0;
const free = [];
let reading = false;
let stopped = false;

onmessage = (e) => {
  const m = e.data;
  if (Array.isArray(m)) {
    let count;
    [file, next, end, size, count] = m;
    try {
      reader = file.slice(next, end).stream().getReader({ mode: 'byob' });
    } catch (err) {
      reader = null;
    }
    for (let k = 0; k < count; k++) free.push(new ArrayBuffer(size));
  } else if (m instanceof ArrayBuffer) {
    free.push(m);
  }
  pump();
};

function stopWith(why) {
  stopped = true;
  postMessage(why);
}

async function pump() {
  if (reading || stopped || !file) return;
  reading = true;
  try {
    while (free.length && next < end) {
      let buf = free.pop();
      let filled = 0;
      let ended = false;
      if (reader) {
        while (filled < buf.byteLength && next + filled < end) {
          const want = Math.min(buf.byteLength - filled, end - next - filled);
          const { value, done } = await reader.read(new Uint8Array(buf, filled, want));
          if (value) buf = value.buffer;
          if (done) {
            ended = true;
            break;
          }
          filled += value.byteLength;
        }
      } else {
        buf = await file.slice(next, Math.min(end, next + size)).arrayBuffer();
        filled = buf.byteLength;
        ended = filled === 0;
      }
      if (filled > 0) postMessage([next, new Uint8Array(buf, 0, filled)], [buf]);
      next += filled;
      if (ended && next < end) {
        stopWith('the file ended before its size (was it changed?)');
        break;
      }
    }
  } catch (err) {
    stopWith(String(err));
  }
  reading = false;
}
