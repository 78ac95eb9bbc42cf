// Reads a user's File in slices for the audit worker, on a thread of its own, so that the
// audit worker's parser never stops to wait for the browser to deliver bytes: each slice is
// transferred (not copied) as soon as it is read, at most `window` slices ahead of what the
// parser has taken. Nothing leaves the machine: the File never goes anywhere but here.
let file = null;
let next = 0;
let end = 0;
let slice = 0;
let credit = 0;
let reading = false;

onmessage = (e) => {
  const m = e.data;
  if (m.file) {
    ({ file, start: next, end, slice, window: credit } = m);
  } else if (m.taken) {
    credit += m.taken;
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
      postMessage({ start, buf }, [buf]);
    }
  } catch (err) {
    postMessage({ error: String(err) });
    next = end;
  }
  reading = false;
}
