// A static file server for the built bundle: node scripts/dev/serve.mjs DIR [PORT]
import path from 'node:path';
import { serve } from '../../tests/e2e/harness.mjs';

const dir = path.resolve(process.argv[2] || 'dist');
const port = Number(process.argv[3] || 8080);
const { url } = await serve(dir, port);
console.log(`mia-playground is served at ${url} (Ctrl-C to stop)`);
