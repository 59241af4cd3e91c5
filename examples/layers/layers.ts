// Layers for docs/layers.md. Every hook writes to `calls`, so the guide can print the order the
// runner called them in instead of describing it.

/** Hook calls in order; per-test calls are indented by two spaces. */
export const calls: string[] = [];

/** A root layer: think of a server started once. */
export class Server {
  static layerName = 'app.Server';
  static setUp(): void { calls.push('Server.setUp'); }
  static tearDown(): void { calls.push('Server.tearDown'); }
  static testSetUp(): void { calls.push('  Server.testSetUp'); }
  static testTearDown(): void { calls.push('  Server.testTearDown'); }
}

/** Built on Server by `extends`: Server is set up first and torn down last. */
export class Api extends Server {
  static override layerName = 'app.Api';
  static override setUp(): void { calls.push('Api.setUp'); }
  static override tearDown(): void { calls.push('Api.tearDown'); }
  static override testSetUp(): void { calls.push('  Api.testSetUp'); }
  static override testTearDown(): void { calls.push('  Api.testTearDown'); }
}

/** Another root, with no per-test hooks. */
export class Cache {
  static layerName = 'app.Cache';
  static setUp(): void { calls.push('Cache.setUp'); }
  static tearDown(): void { calls.push('Cache.tearDown'); }
}
