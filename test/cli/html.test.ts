/**
 * `--html FILE`: one self-contained page, checked as text and then opened in a real headless
 * Chromium (Debian's `chromium` package, driven by playwright-core; `.ci/run` installs it). On a
 * machine without that browser the browser test is skipped, and says why.
 * With UPDATE_SCREENSHOT=1 the browser test also writes docs/images/html-report.png.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { leakrun, repo } from '../helpers/cli.ts';

const CHROMIUM = '/usr/bin/chromium';
/** What the page's window offers that the checks below use (the type check knows no DOM). */
interface Browser {
  getComputedStyle(element: unknown): { fill: string };
}
const noBrowser = existsSync(CHROMIUM)
  ? false
  : `no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium), as .ci/run does`;

let made: { leak: string; clean: string; grew: string } | undefined;

/**
 * The page of the leaking example of docs/leaks.md, of a clean layer run with -r, and of the sample
 * leak run with -N6 -r and no verdict; made once.
 */
function pages(): { leak: string; clean: string; grew: string } {
  made ??= makePages();
  return made;
}

function makePages(): { leak: string; clean: string; grew: string } {
  const dir = mkdtempSync(join(tmpdir(), 'leakrun-html-'));
  const leak = join(dir, 'leak.html');
  const leaked = leakrun(['--path', 'examples/leaks', '--tests-pattern', '^cache$', '-r', '--fail-on-leak', '--html', leak]);
  assert.equal(leaked.status, 1, leaked.stderr);
  const clean = join(dir, 'clean.html');
  const passed = leakrun(['--path', 'examples/sample', '--layer', 'Layer11$', '-N4', '-r', '--html', clean]);
  assert.equal(passed.status, 0, passed.stderr);
  const grew = join(dir, 'grew.html');
  const counted = leakrun(['--path', 'examples/sample', '--tests-pattern', '^leak$', '-N6', '-r', '--html', grew]);
  assert.equal(counted.status, 0, counted.stderr);
  return { leak, clean, grew };
}

test('the page is self-contained: no script, nothing loaded from elsewhere, the run in it', () => {
  const { leak, clean } = pages();
  const html = readFileSync(leak, 'utf8');
  assert.doesNotMatch(html, /<script|<link|<img|@import|url\(/i);
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
  assert.match(html, /<title>leakrun: failed, 2 tests, 0 failures, 1 errors<\/title>/);
  assert.equal([...html.matchAll(/<rect class="bar grew"/g)].length, 4, 'a bar per iteration from the second');
  assert.equal([...html.matchAll(/<circle class="judged"/g)].length, 3, 'a dot per judged delta');
  assert.equal([...html.matchAll(/<rect class="warmup"/g)].length, 1, 'the warm-up shaded');
  assert.match(html, /leaked: judged deltas \[6, 6, 6\]/);
  assert.match(html, /<h4><code>cache\.Page<\/code><\/h4><ul class="path"><li><b>cache \(module\)<\/b><\/li>/);
  assert.match(html, /<code>testRender \(cache\.TestCache\)<\/code>: \+3 refs per run/);
  const plain = readFileSync(clean, 'utf8');
  assert.equal([...plain.matchAll(/<rect class="bar flat" data-iteration="\d" data-change="0"/g)].length, 3);
  assert.doesNotMatch(plain, /class="judged"|Verdict/, 'no verdict without --fail-on-leak');
});

test('without a verdict the page still names the rows that grew, and the iterations it looked at', () => {
  const { clean, grew } = pages();
  const html = readFileSync(grew, 'utf8');
  assert.doesNotMatch(html, /class="judged"|Verdict/, 'no verdict without --fail-on-leak');
  assert.match(html, /<h3>Rows that grew in every one of iterations 3 to 6<\/h3>/);
  assert.match(html, /\(iteration 2, which compares with the warm-up, is left out\)/);
  // The sample leak's rows, as the -v table of docs/leaks.md shows them: growth per iteration.
  for (const name of ['\\(heap number\\)', 'Array', 'leak\\.ClassicLeakable', 'leak\\.Leakable']) {
    assert.match(html, new RegExp(`<tr><td><code>${name}</code></td><td>\\+1</td><td>\\+1</td></tr>`));
  }
  assert.match(html, /<tr><td><code>\(string\)<\/code><\/td><td>\+0<\/td><td>\+2<\/td><\/tr>/);
  assert.equal([...html.matchAll(/<tr><td>/g)].length, 5, 'no other row');
  // A clean layer: nothing grew, and the page says where it looked.
  assert.match(readFileSync(clean, 'utf8'), /<p class="steady">No row grew in every one of iterations 3 and 4 \(iteration 2, /);
});

test('in headless Chromium the plot renders, with no console error', { skip: noBrowser }, async () => {
  const { leak, clean } = pages();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // What a root process in a closed network needs (the machine's notes): no sandbox, no GPU, no background traffic.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    for (const file of [leak, clean]) {
      const page = await browser.newPage({ viewport: { width: 820, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) problems.push(`requested ${request.url()}`);
      });
      await page.goto(pathToFileURL(file).href);
      const plot = page.locator('svg.plot');
      const box = await plot.boundingBox();
      assert.ok(box && box.width >= 600 && box.height >= 200, `the plot is drawn: ${JSON.stringify(box)}`);
      const bars = await page.locator('svg.plot rect.bar').evaluateAll((rects) =>
        rects.map((rect) => {
          const { width, height } = rect.getBoundingClientRect();
          return {
            change: Number(rect.getAttribute('data-change')),
            width,
            height,
            fill: (globalThis as unknown as Browser).getComputedStyle(rect).fill,
          };
        }),
      );
      assert.equal(bars.length, file === leak ? 4 : 3);
      for (const bar of bars) {
        assert.ok(bar.width > 0 && bar.height > 0, JSON.stringify(bar));
        // A growing bar is red, a flat one green: the style sheet applied.
        assert.equal(bar.fill, bar.change > 0 ? 'rgb(217, 83, 79)' : 'rgb(60, 154, 70)');
      }
      if (file === leak) {
        const bar = bars[1] as { height: number };
        assert.ok(bar.height > 100, `a change of 6 is most of the plot's height, got ${bar.height}`);
        assert.equal(await page.locator('svg.plot circle.judged').count(), 3);
        assert.equal(await page.locator('svg.plot text.verdict').textContent(), 'leaked: judged deltas [6, 6, 6]');
        if (process.env.UPDATE_SCREENSHOT === '1') {
          await page.screenshot({ path: join(repo, 'docs/images/html-report.png'), fullPage: true });
        }
      }
      assert.deepEqual(problems, []);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});
