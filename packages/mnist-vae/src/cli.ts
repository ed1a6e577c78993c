#!/usr/bin/env node
// The `vae` command. Everything lives in runCli (command.ts), which tests call directly.
import { runCli } from './command.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`vae: ${error.message}\n`);
    process.exitCode = 1;
  },
);
