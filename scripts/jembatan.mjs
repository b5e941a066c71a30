#!/usr/bin/env node
// `jembatan` command: runs the TypeScript CLI through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../bots/cli/main.ts');
process.exitCode = await main(process.argv);
