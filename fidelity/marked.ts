/**
 * marked@18. The clean test renders a small document with `marked.parse` and the default options.
 * The misuse calls `use(extension)` inside the function that renders, so every run installs the
 * same extension again on the site's long-lived `Marked` instance (the global `marked` behaves the
 * same; a separate instance keeps the clean test unaffected): each call replaces the shared
 * renderer's `link` method with a new wrapper that falls back to the previous one, and that wrapper
 * keeps the run's extension objects. The chain grows by one link per run, and a link the extension
 * declines walks all of it.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { Marked, marked } from 'marked';
import type { MarkedExtension, Tokens } from 'marked';
import { test } from 'leakrun';
import type { TestSpec } from 'leakrun';

const DOCUMENT = `# Release notes

- **fast** start-up
- fewer [links](https://example.com/a)

\`\`\`js
const x = 1;
\`\`\`
`;

function clean(): void {
  const html = marked.parse(DOCUMENT, { async: false });
  assert.match(html, /<h1>Release notes<\/h1>/);
  assert.match(html, /<li><strong>fast<\/strong> start-up<\/li>/);
  assert.match(html, /<a href="https:\/\/example\.com\/a">links<\/a>/);
  assert.match(html, /<code class="language-js">const x = 1;\n<\/code>/);
}

function externalLinks(): MarkedExtension {
  return {
    renderer: {
      link(token: Tokens.Link): string | false {
        if (!token.href.startsWith('https://')) return false;
        return `<a href="${token.href}" rel="noopener">${token.text}</a>`;
      },
    },
  };
}

/** The site's renderer, created once. */
const site = new Marked();

function renderWithLinks(markdown: string): string {
  // The misuse: configuring the shared instance on every call instead of once at start-up.
  site.use(externalLinks());
  return site.parse(markdown, { async: false });
}

function leaky(): void {
  const html = renderWithLinks(DOCUMENT);
  assert.match(html, /<a href="https:\/\/example\.com\/a" rel="noopener">links<\/a>/);
  assert.match(html, /<h1>Release notes<\/h1>/);
}

/** Both tests, in the unit-tests layer. */
export function testSuite(): TestSpec[] {
  return [test('clean', clean), test('leaky', leaky)];
}
