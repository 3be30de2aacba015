// Loaded with `node --import` into a command under test: records every outgoing socket connection,
// datagram and DNS lookup to the file named by SHOTGRAPH_NET_LOG, so a test can require that a run
// made none. Recording only: the call then proceeds as usual, so a test sees what really happened.
import { appendFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const log = process.env.SHOTGRAPH_NET_LOG;

function summary(args) {
  // net.connect hands Socket#connect its arguments already normalised, as [options, callback].
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object') {
    const { host, hostname, port, path } = first;
    return { host: host ?? hostname, port, path: path ?? undefined };
  }
  return args.filter((a) => typeof a !== 'function').map(String);
}

function wrap(target, name) {
  const original = target?.[name];
  if (typeof original !== 'function') return;
  target[name] = function (...args) {
    const what = summary(args);
    // A Unix-domain socket (tsx talks to its parent through one) is not the network.
    if (!(name === 'connect' && what.path && what.port === undefined && what.host === undefined))
      appendFileSync(log, JSON.stringify({ pid: process.pid, call: name, args: what }) + '\n');
    return original.apply(this, args);
  };
}

if (log) {
  const net = require('node:net');
  const dns = require('node:dns');
  const dgram = require('node:dgram');
  const lookups = [
    'lookup',
    'lookupService',
    'resolve',
    'resolve4',
    'resolve6',
    'resolveAny',
    'resolveCname',
  ];
  wrap(net.Socket.prototype, 'connect');
  for (const name of lookups) {
    wrap(dns, name);
    wrap(dns.promises, name);
    wrap(dns.Resolver.prototype, name);
    wrap(dns.promises.Resolver.prototype, name);
  }
  wrap(dgram.Socket.prototype, 'send');
  wrap(dgram.Socket.prototype, 'connect');
  syncBuiltinESMExports();
}
