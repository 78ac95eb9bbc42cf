// Reads a user's File in slices for the audit worker, on a thread of its own, so that the
// audit worker's parser never stops to wait for the browser to deliver bytes: each slice is
// transferred (not copied) as soon as it is read, at most `window` slices ahead of what the
// parser has taken. Nothing leaves the machine: the File never goes anywhere but here.
// Messages (src/protocol/slices.rs): in, [file, start, end, slice, window] then a number of
// slices taken; out, [start, buffer] or a string saying why it stopped.
let file = null;
let next = 0;
let end = 0;
let slice = 0;
let credit = 0;
let reading = false;

onmessage = (e) => {
  const m = e.data;
  if (Array.isArray(m)) {
    [file, next, end, slice, credit] = m;
  } else if (typeof m === 'number') {
    credit += m;
  }
  pump();
};

async function pump() {
  if (reading || !file) return;
  reading = true;
  try {
    while (credit > 0 && next < end) {
      const start = next;
      const stop = Math.min(end, start + slice);
      next = stop;
      credit -= 1;
      const buf = await file.slice(start, stop).arrayBuffer();
      postMessage([start, buf], [buf]);
    }
  } catch (err) {
    postMessage(String(err));
    next = end;
  }
  reading = false;
}
