/**
 * Two leaks of the kind long-lived services have: a cache that never evicts, and handlers
 * registered on every call and never removed. docs/leaks.md runs this module with `-r`.
 */
import { TestCase } from 'leakrun';

/** A page as a renderer would cache it. */
export class Page {
  constructor(readonly url: string) {}
}

/** Rendered pages by URL; nothing ever evicts one. */
const rendered = new Map<string, Page>();

/** Called when the site changes; nothing ever unsubscribes. */
const handlers = new Set<() => string>();

let visits = 0;

export class TestCache extends TestCase {
  testRender(): void {
    visits++;
    const url = `/pages/${visits}`;
    rendered.set(url, new Page(url));
  }

  testSubscribe(): void {
    const page = new Page('/home');
    handlers.add(() => page.url);
  }
}
