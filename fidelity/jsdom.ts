/**
 * jsdom@29. The clean test builds `new JSDOM(html, { runScripts: 'dangerously' })` whose inline
 * script builds part of the page, checks the result and calls `dom.window.close()`. The misuse
 * builds a page whose script starts a `setInterval` (a widget that polls) and never closes the
 * window: the interval is a real Node timer, and its callback keeps the whole window (document,
 * its nodes and the window's own copy of the JavaScript built-ins) alive for as long as it runs.
 * Only `window.close()` stops a window's timers. The interval is hourly, so that it never fires
 * during a run: with a minute, its first tick in a run slowed past 60 s by a busy machine added
 * two objects to that iteration (docs/fidelity.md).
 *
 * jsdom ships no type declarations (and `@types/jsdom` is not installed), so the little of its API
 * used here is typed locally and the module is loaded with `createRequire`.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

interface MiniElement {
  readonly textContent: string | null;
  readonly children: { readonly length: number };
  getAttribute(name: string): string | null;
}

interface MiniWindow {
  readonly document: { querySelector(selector: string): MiniElement | null; readonly title: string };
  readonly widgetTicks?: number;
  close(): void;
}

interface MiniJSDOM {
  readonly window: MiniWindow;
  serialize(): string;
}

type JSDOMConstructor = new (html: string, options?: { runScripts?: 'dangerously' | 'outside-only'; url?: string }) => MiniJSDOM;

const require = createRequire(import.meta.url);
const { JSDOM } = require('jsdom') as { JSDOM: JSDOMConstructor };

const PAGE = `<!DOCTYPE html>
<html><head><title>Shop</title></head>
<body>
  <ul id="items"></ul>
  <script>
    const list = document.getElementById('items');
    for (const name of ['pen', 'ink', 'pad']) {
      const li = document.createElement('li');
      li.textContent = name;
      li.setAttribute('data-name', name);
      list.appendChild(li);
    }
    document.body.setAttribute('data-ready', String(list.children.length));
  </script>
</body></html>`;

const POLLING_PAGE = `<!DOCTYPE html>
<html><body>
  <div id="status">idle</div>
  <script>
    window.widgetTicks = 0;
    setInterval(() => { window.widgetTicks += 1; document.getElementById('status').textContent = 'tick'; }, 3600000);
  </script>
</body></html>`;

function clean(): void {
  const dom = new JSDOM(PAGE, { runScripts: 'dangerously', url: 'https://shop.example/' });
  try {
    const { document } = dom.window;
    assert.equal(document.title, 'Shop');
    assert.equal(document.querySelector('#items')?.children.length, 3);
    assert.equal(document.querySelector('li:last-child')?.getAttribute('data-name'), 'pad');
    assert.equal(document.querySelector('body')?.getAttribute('data-ready'), '3');
    assert.match(dom.serialize(), /<li data-name="ink">ink<\/li>/);
  } finally {
    dom.window.close();
  }
}

function leaky(): void {
  // The misuse: the window's script starts a timer and the window is never closed.
  const dom = new JSDOM(POLLING_PAGE, { runScripts: 'dangerously' });
  assert.equal(dom.window.widgetTicks, 0);
  assert.equal(dom.window.document.querySelector('#status')?.textContent, 'idle');
}

/** Both tests, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean), test('leaky', leaky)];
}
