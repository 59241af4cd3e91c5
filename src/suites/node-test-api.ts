/**
 * What an ES module gets for `import … from 'node:test'` when leakrun loads it: node:test's
 * functions, registering into the file's collector instead of starting node:test's harness.
 * leakrun's resolve hook (`node-test-hook.ts`) gives each file its own copy,
 * `…/node-test-api.js?file=<the file's URL>`; `mock` and `snapshot` are node:test's own. A
 * CommonJS file's `require('node:test')` gets the same functions from the hook's `require` path.
 */
import * as nodeTest from 'node:test';
import { collectorFor, nodeTestApi, type NodeTestApi, type WithForms } from './node-test.ts';

const api: NodeTestApi = nodeTestApi(collectorFor(new URL(import.meta.url).searchParams.get('file') ?? ''), nodeTest);

export const test: NodeTestApi = api;
export const it: WithForms = api.it;
export const describe: WithForms = api.describe;
export const suite: WithForms = api.suite;
export const before: NodeTestApi['before'] = api.before;
export const after: NodeTestApi['after'] = api.after;
export const beforeEach: NodeTestApi['beforeEach'] = api.beforeEach;
export const afterEach: NodeTestApi['afterEach'] = api.afterEach;
export const skip: WithForms['skip'] = api.skip;
export const todo: WithForms['todo'] = api.todo;
export const only: WithForms['only'] = api.only;
export const mock: typeof nodeTest.mock = nodeTest.mock;
export const snapshot: unknown = api.snapshot;
export default api;
