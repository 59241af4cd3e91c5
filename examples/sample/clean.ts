/**
 * The counterpart of `leak.ts` (`--tests-pattern ^clean$ -N4 -r`): its test allocates plenty of
 * objects, arrays, strings, maps and closures but keeps none of them, so after the warm-up
 * iteration the heap counts do not change.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { TestCase } from 'leakrun';

interface Row {
  readonly id: number;
  readonly label: string;
  readonly tags: string[];
  readonly describe: () => string;
}

// The hot loops live in module-level functions. A closure created per run and called thousands of
// times gets optimized by V8, and the optimizing job briefly holds that closure (and what it
// captures) alive, which a heap snapshot taken at that moment would count as a change.
function buildRows(count: number): Row[] {
  const rows: Row[] = [];
  for (let id = 0; id < count; id++) {
    const tags = id % 2 === 0 ? ['even', 'row'] : ['odd', 'row'];
    const label = `row-${id}`;
    rows.push({ id, label, tags, describe: () => `${label} (${tags.join(', ')})` });
  }
  return rows;
}

function weight(rows: readonly Row[]): number {
  let total = 0;
  for (const row of rows) total += row.id * 0.5 + row.tags.length;
  return total;
}

function latestByTag(rows: readonly Row[], keep: number): Map<string, Row[]> {
  const byTag = new Map<string, Row[]>();
  for (const row of rows) {
    for (const tag of row.tags) byTag.set(tag, [...(byTag.get(tag) ?? []), row].slice(-keep));
  }
  return byTag;
}

/** One test that builds thousands of short-lived values and drops them all. */
export class TestAllocatesButKeepsNothing extends TestCase {
  testallocate(): void {
    const rows = buildRows(2000);
    const byTag = latestByTag(rows, 10);
    const text = JSON.stringify(rows.slice(0, 50));
    assert.equal(rows.length, 2000);
    assert.equal(byTag.get('row')?.length, 10);
    assert.equal(weight(rows), (1999 * 2000) / 4 + 2 * 2000);
    assert.equal((JSON.parse(text) as unknown[]).length, 50);
    assert.equal(rows[3]?.describe(), 'row-3 (odd, row)');
  }
}
