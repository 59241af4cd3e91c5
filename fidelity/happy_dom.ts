/**
 * happy-dom@21. The clean test creates a `Window`, sets `document.body.innerHTML`, queries it and
 * `await window.happyDOM.close()`s the window. The misuse mounts a component that starts a polling
 * `window.setInterval` (as a clock or an auto-refreshing list does) and never closes the window:
 * happy-dom's timers are real Node timers, so the interval's callback keeps the component, its
 * document and the whole window (with its own copies of the DOM classes) alive. Only closing the
 * window (`happyDOM.close()` or `happyDOM.abort()`) clears its timers.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { Window } from 'happy-dom';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

const MARKUP = `
  <nav><a href="/cart" class="active">Cart</a><a href="/shop">Shop</a></nav>
  <ul id="items"><li data-sku="pen">Pen</li><li data-sku="ink">Ink</li></ul>
`;

async function clean(): Promise<void> {
  const window = new Window({ url: 'https://shop.example/' });
  try {
    const { document } = window;
    document.body.innerHTML = MARKUP;
    assert.equal(document.querySelector('a.active')?.textContent, 'Cart');
    assert.equal(document.querySelectorAll('#items li').length, 2);
    assert.equal(document.querySelector('li:last-child')?.getAttribute('data-sku'), 'ink');
    assert.equal(window.location.hostname, 'shop.example');
  } finally {
    await window.happyDOM.close();
  }
}

interface Clock {
  ticks: number;
  readonly element: { textContent: string | null };
}

function tickClock(clock: Clock): void {
  clock.ticks += 1;
  clock.element.textContent = `tick ${clock.ticks}`;
}

/** A component that refreshes itself every hour: never during a run, however slow (see jsdom.ts). */
function mountClock(window: Window): Clock {
  window.document.body.innerHTML = '<div id="clock">starting</div>';
  const element = window.document.querySelector('#clock');
  assert.ok(element);
  const clock: Clock = { ticks: 0, element };
  window.setInterval(tickClock, 3_600_000, clock);
  return clock;
}

function leaky(): void {
  // The misuse: the component's interval runs on, and the window is never closed.
  const window = new Window();
  const clock = mountClock(window);
  assert.equal(clock.ticks, 0);
  assert.equal(window.document.querySelector('#clock')?.textContent, 'starting');
}

/** Both tests, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean), test('leaky', leaky)];
}
