/**
 * A test that leaks on purpose, for the leak-hunting walk-through (`--tests-pattern ^leak$ -N4 -r`).
 * Every run of `testleak` keeps exactly four more objects alive through the module-level `leaked`
 * array: one `ClassicLeakable`, one `Leakable`, one heap number and the array holding the three.
 *
 * @packageDocumentation
 */
import { TestCase } from 'leakrun';

/** What a `ClassicLeakable` instance looks like. */
export interface ClassicLeakableInstance {
  x: string;
}

/**
 * A pre-class (ES5) constructor: a plain function whose prototype gives the instances their class.
 * A function declaration, not `const X = function X`, so that transpilers keep its name as is.
 */
export function ClassicLeakable(this: ClassicLeakableInstance): void {
  this.x = 'x';
}

// TypeScript only lets classes be called with `new`; the function works with `new` all the same.
const NewClassicLeakable = ClassicLeakable as unknown as new () => ClassicLeakableInstance;

/** The same thing written as an ES class. */
export class Leakable {
  x: string;
  constructor() {
    this.x = 'x';
  }
}

/** Grows by one `[ClassicLeakable, Leakable, number]` tuple per run and is never cleared. */
export const leaked: [ClassicLeakableInstance, Leakable, number][] = [];

/** One test; each run of it adds one tuple to `leaked`. */
export class TestSomething extends TestCase {
  testleak(): void {
    // Math.random() is a fraction, so V8 boxes it as a heap number (a small integer would be stored inline).
    leaked.push([new NewClassicLeakable(), new Leakable(), Math.random()]);
  }
}
