#!/usr/bin/env node
/** The `insignia` command line. */
import { Command } from 'commander';
import { addNodeCommands } from './node.js';
import { runServe, serveParts, type ServeFlags } from './serve.js';

const program = new Command();
program.name('insignia').description('Kubernetes ServiceAccounts, tokens and identity as a standalone control plane');

const collect = (v: string, prev: string[]) => [...prev, v];

const serve = program
  .command('serve')
  .description('run the API server (HTTPS, embedded SQLite)')
  .option('--data-dir <dir>', 'directory for the database, PKI and admin kubeconfig', './.insignia')
  .option('--secure-port <port>', 'HTTPS port (0 picks a free one)', '6443')
  .option('--bind-address <address>', 'address to listen on', '127.0.0.1')
  .option('--client-ca-file <file>', 'CA bundle that signs client certificates (default: the cluster CA)')
  .option('--tls-sans <name>', 'extra subject alternative name for the serving certificate (repeatable)', collect, [])
  .option('--min-request-timeout <seconds>', 'minimum watch timeout, like kube-apiserver', '1800')
  .option('--default-watch-cache-size <events>', 'events kept per resource for watches that start in the past', '10000')
  .option('--v <level>', 'log verbosity (0-10), like klog', '0')
  .option('--anonymous-auth [bool]', 'treat requests without credentials as system:anonymous', parseBoolFlag, true);
for (const part of serveParts) part.addFlags(serve);
serve.action(async (flags: ServeFlags) => {
  await runServe(flags);
});
addNodeCommands(program);

/** Go-style boolean flag values: `--flag`, `--flag=true`, `--flag=false`. */
export function parseBoolFlag(v: string | undefined): boolean {
  if (v === undefined || v === '' || v === 'true' || v === '1' || v === 't' || v === 'T' || v === 'TRUE' || v === 'True') return true;
  if (v === 'false' || v === '0' || v === 'f' || v === 'F' || v === 'FALSE' || v === 'False') return false;
  throw new Error(`invalid boolean value ${JSON.stringify(v)}`);
}

program.parseAsync(process.argv).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
