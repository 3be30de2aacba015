#!/usr/bin/env node
// Plain-JS shim for `npm run mock -- ark|seed2|apiframe|xingchao|inference --port 8787`: registers
// tsx so the TypeScript mock runs without a build step, then hands over to it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../test/mocks/cli.ts');
await main(process.argv.slice(2));
