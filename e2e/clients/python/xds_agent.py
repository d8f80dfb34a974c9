#!/usr/bin/python3
"""A proxyless xDS client on gRPC C-core (Python grpcio), for Vicinity's client conformance tests.

Calls vicinity.e2e.Reviews/Version on an xds:/// target over and over and prints one line per call:
"ok <version>" or "error <STATUS> <details>". The xDS bootstrap comes from GRPC_XDS_BOOTSTRAP.
Runs until killed or until its stdin closes (the test that started it has ended). Needs only grpcio (Debian: python3-grpcio): messages are encoded by hand, as
there is no code generation (Empty is no bytes; StringValue is field 1, a length-delimited string).
"""
import argparse
import os
import sys
import threading
import time

import grpc

METHOD = '/vicinity.e2e.Reviews/Version'


def encode_empty(_request):
    return b''


def decode_string_value(data):
    """google.protobuf.StringValue: tag 0x0a (field 1, length-delimited), varint length, UTF-8."""
    if not data:
        return ''
    if data[0] != 0x0a:
        raise ValueError('not a StringValue: %r' % data)
    length, shift, position = 0, 0, 1
    while True:
        byte = data[position]
        length |= (byte & 0x7f) << shift
        position += 1
        shift += 7
        if not byte & 0x80:
            break
    return data[position:position + length].decode('utf-8')


def exit_when_stdin_closes():
    """The parent holds our stdin: when it ends, even killed, stop too instead of calling forever."""
    sys.stdin.buffer.read()
    os._exit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--target', required=True, help='e.g. xds:///reviews.global:9080')
    parser.add_argument('--interval-ms', type=int, default=50, help='pause between calls')
    parser.add_argument('--deadline-ms', type=int, default=1000, help='deadline of each call')
    args = parser.parse_args()
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()

    with grpc.insecure_channel(args.target) as channel:
        version = channel.unary_unary(
            METHOD, request_serializer=encode_empty, response_deserializer=decode_string_value)
        print('started grpcio %s' % grpc.__version__, flush=True)
        while True:
            try:
                answer = version(None, timeout=args.deadline_ms / 1000)
                print('ok %s' % answer, flush=True)
            except grpc.RpcError as error:
                details = (error.details() or '').replace('\n', ' ')
                print('error %s %s' % (error.code().name, details), flush=True)
            time.sleep(args.interval_ms / 1000)


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
