// Types `toLeak` on Vitest's `expect`.
import 'vitest';
import type { LeakMatchers } from 'leakrun/expect';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends LeakMatchers<T> {}
}
