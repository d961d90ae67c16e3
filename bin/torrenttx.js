#!/usr/bin/env node
// Entry point of the `torrenttx` command: runs the TypeScript CLI through tsx's loader, so the CLI and the
// node share the very same core sources.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
