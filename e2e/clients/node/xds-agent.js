#!/usr/bin/env node
// A proxyless xDS client on grpc-js with @grpc/grpc-js-xds, for Vicinity's client conformance tests.
//
// Calls vicinity.e2e.Reviews/Version on an xds:/// target over and over and prints one line per call:
// "ok <version>" or "error <STATUS> <details>". The xDS bootstrap comes from GRPC_XDS_BOOTSTRAP.
// Runs until killed or until its stdin closes (the test that started it has ended); an exception inside grpc-js ends the process with its stack trace on stderr,
// which is what the tests look for. Messages are encoded by hand (no code generation): Empty is no
// bytes; StringValue is field 1, a length-delimited UTF-8 string.
'use strict';

const grpc = require('@grpc/grpc-js');
const grpcXds = require('@grpc/grpc-js-xds');

const METHOD = '/vicinity.e2e.Reviews/Version';

function option(name, fallback) {
  const index = process.argv.indexOf('--' + name);
  if (index >= 0 && index + 1 < process.argv.length) {
    return process.argv[index + 1];
  }
  if (fallback === undefined) {
    console.error(`usage: xds-agent.js --target xds:///host:port [--interval-ms 50] [--deadline-ms 1000]`);
    process.exit(2);
  }
  return fallback;
}

function decodeStringValue(bytes) {
  if (bytes.length === 0) {
    return '';
  }
  if (bytes[0] !== 0x0a) {
    throw new Error('not a StringValue');
  }
  let length = 0;
  let shift = 0;
  let position = 1;
  for (;;) {
    const byte = bytes[position++];
    length |= (byte & 0x7f) << shift;
    shift += 7;
    if ((byte & 0x80) === 0) {
      break;
    }
  }
  return bytes.subarray(position, position + length).toString('utf8');
}

const target = option('target');
const intervalMs = Number(option('interval-ms', '50'));
const deadlineMs = Number(option('deadline-ms', '1000'));

// The parent holds our stdin: when it ends, even killed, stop too instead of calling forever.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

grpcXds.register();
const client = new grpc.Client(target, grpc.credentials.createInsecure());
const grpcJsVersion = require('@grpc/grpc-js/package.json').version;
const grpcJsXdsVersion = require('@grpc/grpc-js-xds/package.json').version;
console.log(`started grpc-js ${grpcJsVersion} grpc-js-xds ${grpcJsXdsVersion}`);

function callOnce() {
  client.makeUnaryRequest(METHOD, () => Buffer.alloc(0), decodeStringValue, {}, new grpc.Metadata(),
    { deadline: Date.now() + deadlineMs }, (error, answer) => {
      if (error) {
        const details = String(error.details || '').replace(/\n/g, ' ');
        console.log(`error ${grpc.status[error.code]} ${details}`);
      } else {
        console.log(`ok ${answer}`);
      }
      setTimeout(callOnce, intervalMs);
    });
}

callOnce();
