import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as protobuf from 'protobufjs';

/**
 * Finds the repository's `proto/` folder (the one source of every wire contract) from wherever
 * this code runs: TypeScript sources in tests, `dist/` locally, or `/app` in a container.
 */
export function protoDirectory(): string {
  const configured = process.env.PROTO_DIR;
  if (configured) return configured;
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'proto');
    if (existsSync(join(candidate, 'billing_service.proto'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the proto/ folder; set PROTO_DIR');
    dir = parent;
  }
}

export function protoPath(file: string): string {
  return join(protoDirectory(), file);
}

const roots = new Map<string, protobuf.Root>();

/** Loads a message type from a .proto file once; field names stay exactly as in the file. */
export function messageType(file: string, typeName: string): protobuf.Type {
  let root = roots.get(file);
  if (!root) {
    root = new protobuf.Root();
    root.loadSync(protoPath(file), { keepCase: true });
    roots.set(file, root);
  }
  return root.lookupType(typeName);
}
