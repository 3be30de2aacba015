#!/usr/bin/env node
// The `shotgraph` command. TypeScript runs through tsx, so `npm install` is all the set-up.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli.ts');
