// Types `toLeak` on Jest's `expect` (from `@jest/globals`, or the global one of `@types/jest`).
import 'expect';
import type { LeakMatchers } from 'leakrun/expect';

declare module 'expect' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
  interface Matchers<R extends void | Promise<void>, T = unknown> extends LeakMatchers<R> {}
}
