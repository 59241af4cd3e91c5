/**
 * `--html FILE`: the run as one self-contained page to look at (docs/leaks.md): per layer, a plot
 * of the heap's change per iteration (warm-ups shaded, judged deltas marked, the verdict), the rows
 * that grew, the leaking tests and what holds the leaked objects. No script, no style sheet or
 * font from elsewhere: the plot is inline SVG, so the page opens from a CI artifact as it is.
 */
import { noLeakLine } from '../text/leak-sentences.ts';
import { writeFileSync } from 'node:fs';
import { version } from '../core/package.ts';
import type { IterationResult, LayerResult, Reporter, RetainerPath, RunOptions, RunResult } from '../types/index.ts';

/** Text for HTML: the five characters that could be markup, escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const WIDTH = 640;
const HEIGHT = 220;
const MARGIN = { top: 24, right: 16, bottom: 32, left: 56 };

/** One bar per iteration from the second: its `change=`, and the judged delta where it was judged. */
interface Point {
  readonly iteration: number;
  readonly change: number;
  readonly judged?: number | undefined;
  readonly warmup: boolean;
  readonly unjudged: boolean;
}

function points(layer: LayerResult): Point[] {
  const verdict = layer.verdict;
  const warmups = new Set(verdict ? Array.from({ length: verdict.warmups }, (_, i) => i + 2) : []);
  return layer.iterations
    .filter(
      (iteration): iteration is IterationResult & { heapDiff: NonNullable<IterationResult['heapDiff']> } =>
        iteration.heapDiff !== undefined,
    )
    .map((iteration) => {
      const at = verdict ? verdict.iterations.indexOf(iteration.iteration) : -1;
      return {
        iteration: iteration.iteration,
        change: iteration.heapDiff.change,
        judged: at === -1 ? undefined : verdict?.deltas[at],
        warmup: warmups.has(iteration.iteration),
        unjudged: verdict?.unjudged.includes(iteration.iteration) ?? false,
      };
    });
}

/** The SVG plot of a layer's changes: a bar per iteration, judged deltas as dots, warm-ups shaded. */
function plot(layer: LayerResult, data: readonly Point[]): string {
  const values = data.flatMap((point) => [point.change, point.judged ?? 0]);
  // Headroom above the tallest bar for the verdict's line.
  const top = Math.ceil(Math.max(1, ...values) * 1.25);
  const bottom = Math.min(0, ...values);
  const inner = { width: WIDTH - MARGIN.left - MARGIN.right, height: HEIGHT - MARGIN.top - MARGIN.bottom };
  const y = (value: number): number => MARGIN.top + ((top - value) / (top - bottom)) * inner.height;
  const slot = inner.width / data.length;
  const x = (index: number): number => MARGIN.left + index * slot;
  const bar = Math.max(4, slot * 0.5);
  let svg = '';
  data.forEach((point, index) => {
    if (point.warmup) {
      svg += `<rect class="warmup" x="${x(index)}" y="${MARGIN.top}" width="${slot}" height="${inner.height}"><title>iteration ${point.iteration}: warm-up, not judged</title></rect>`;
    }
  });
  svg += `<line class="axis" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0)}" y2="${y(0)}"/>`;
  svg += `<text class="tick" x="${MARGIN.left - 6}" y="${y(top) + 4}" text-anchor="end">${top}</text>`;
  svg += `<text class="tick" x="${MARGIN.left - 6}" y="${y(0) + 4}" text-anchor="end">0</text>`;
  if (bottom < 0) svg += `<text class="tick" x="${MARGIN.left - 6}" y="${y(bottom) + 4}" text-anchor="end">${bottom}</text>`;
  data.forEach((point, index) => {
    const centre = x(index) + slot / 2;
    const [from, to] = [y(Math.max(point.change, 0)), y(Math.min(point.change, 0))];
    const kind = point.change > 0 ? 'grew' : point.change < 0 ? 'shrank' : 'flat';
    const height = Math.max(to - from, 1.5);
    svg +=
      `<rect class="bar ${kind}${point.unjudged ? ' unjudged' : ''}" data-iteration="${point.iteration}" data-change="${point.change}" ` +
      `x="${centre - bar / 2}" y="${point.change === 0 ? y(0) - 0.75 : from}" width="${bar}" height="${height}">` +
      `<title>iteration ${point.iteration}: change=${point.change}${point.unjudged ? ', not judged (a test failed or its sample did)' : ''}</title></rect>`;
    if (point.judged !== undefined) {
      svg += `<circle class="judged" data-iteration="${point.iteration}" data-delta="${point.judged}" cx="${centre}" cy="${y(point.judged)}" r="4"><title>iteration ${point.iteration}: judged delta ${point.judged}</title></circle>`;
    }
    svg += `<text class="tick" x="${centre}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${point.iteration}</text>`;
  });
  svg += `<text class="label" x="${MARGIN.left + inner.width / 2}" y="${HEIGHT - 4}" text-anchor="middle">iteration</text>`;
  const verdict = layer.verdict;
  if (verdict)
    svg += `<text class="verdict ${verdict.outcome}" x="${WIDTH - MARGIN.right}" y="${MARGIN.top - 8}" text-anchor="end">${escapeHtml(verdictText(layer))}</text>`;
  return `<svg class="plot" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="change per iteration of ${escapeHtml(layer.name)}">${svg}</svg>`;
}

function verdictText(layer: LayerResult): string {
  const verdict = layer.verdict;
  if (!verdict) return '';
  const allowed = verdict.allowed ? ' (allowed)' : '';
  if (verdict.screened) return `${verdict.outcome}${allowed}: ${noLeakLine(verdict).slice(verdict.layer.length + 2)}`;
  return `${verdict.outcome}${allowed}: judged deltas [${verdict.deltas.join(', ')}]`;
}

function retainerPath(path: RetainerPath): string {
  const steps = path.steps
    .map(
      (step, index) =>
        `<li style="margin-left:${(index + 1) * 1.2}em">╰─ <code>${escapeHtml(step.edge)}</code> → ${escapeHtml(step.target)}${step.grows ? ' <b class="grows">◀ grows</b>' : ''}</li>`,
    )
    .join('');
  const counts = path.objects === undefined ? `${path.added} new` : `${path.added} new, ${path.objects} live`;
  return `<ul class="path"><li><b>${escapeHtml(path.root)}</b></li>${steps}<li class="counts" style="margin-left:${(path.steps.length + 1) * 1.2}em">(${counts})</li></ul>`;
}

/** `iteration 3`, `iterations 3 and 4`, `iterations 3 to 6`, `iterations 3, 5 and 6`. */
function iterationList(iterations: readonly number[]): string {
  if (iterations.length === 1) return `iteration ${iterations[0]}`;
  const first = iterations[0] as number;
  const last = iterations.at(-1) as number;
  if (iterations.length > 2 && last - first === iterations.length - 1) return `iterations ${first} to ${last}`;
  return `iterations ${iterations.slice(0, -1).join(', ')} and ${last}`;
}

/** A row that grew in every iteration looked at, by as little and as much as it grew. */
interface SteadyRow {
  readonly name: string;
  readonly insts: readonly [number, number];
  readonly refs: readonly [number, number];
  readonly known: boolean;
}

/**
 * Without a verdict, what grew all the same: the rows that grew in every sampled iteration from
 * the third on. Iterations in which a test failed are left out, as the verdict leaves them out (an
 * error keeps what it holds alive); so is the second, which compares with the warm-up, whose count
 * can still include one-time allocations, unless no later one was sampled.
 */
function steadyGrowth(layer: LayerResult): { looked: IterationResult[]; failed: number[]; rows: SteadyRow[] } | undefined {
  const sampled = layer.iterations.filter((iteration) => iteration.heapDiff !== undefined);
  const passed = sampled.filter((iteration) => iteration.failures + iteration.errors === 0);
  const later = passed.filter((iteration) => iteration.iteration >= 3);
  const looked = later.length > 0 ? later : passed;
  if (looked.length === 0) return undefined;
  let rows: Map<string, SteadyRow> | undefined;
  for (const { heapDiff } of looked) {
    const next = new Map<string, SteadyRow>();
    for (const row of heapDiff?.rows ?? []) {
      if (row.insts < 0 || row.refs < 0 || (row.insts === 0 && row.refs === 0)) continue;
      const before: Pick<SteadyRow, 'insts' | 'refs'> | undefined =
        rows === undefined ? { insts: [row.insts, row.insts], refs: [row.refs, row.refs] } : rows.get(row.name);
      if (before === undefined) continue;
      next.set(row.name, {
        name: row.name,
        insts: [Math.min(before.insts[0], row.insts), Math.max(before.insts[1], row.insts)],
        refs: [Math.min(before.refs[0], row.refs), Math.max(before.refs[1], row.refs)],
        known: row.known === true,
      });
    }
    rows = next;
  }
  const failed = sampled.filter((iteration) => !passed.includes(iteration)).map((iteration) => iteration.iteration);
  return { looked, failed, rows: [...(rows ?? new Map<string, SteadyRow>()).values()] };
}

/** `+1`, or `+1…+3` when it varied. */
function range([min, max]: readonly [number, number]): string {
  return min === max ? `+${min}` : `+${min}…+${max}`;
}

/**
 * Without a verdict, the rows that grew in every iteration looked at, saying which iterations
 * those were and which were left out, and what held the rows' new objects when paths were traced.
 */
function steadyGrowthSection(layer: LayerResult): string {
  const steady = steadyGrowth(layer);
  if (steady === undefined) return '';
  const numbers = steady.looked.map((iteration) => iteration.iteration);
  const looked = numbers.length === 1 ? `in ${iterationList(numbers)}` : `in every one of ${iterationList(numbers)}`;
  const notes: string[] = [];
  if (numbers[0] === 2) notes.push('iteration 2 compares with the warm-up, whose count can include one-time allocations');
  else notes.push('iteration 2, which compares with the warm-up, is left out');
  if (steady.failed.length > 0) notes.push(`${iterationList(steady.failed)}, in which a test failed, left out`);
  const why = `<p class="steady">No verdict was asked for (<code>--fail-on-leak</code>): these are the rows of the heap diff that grew ${looked} (${notes.join('; ')}).</p>`;
  if (steady.rows.length === 0) return `<p class="steady">No row grew ${looked} (${notes.join('; ')}).</p>`;
  const rows = steady.rows
    .map(
      (row) =>
        `<tr><td><code>${escapeHtml(row.name)}</code>${row.known ? ' <small>known bounded growth</small>' : ''}</td><td>${range(row.insts)}</td><td>${range(row.refs)}</td></tr>`,
    )
    .join('');
  let html = `<h3>Rows that grew ${looked}</h3>${why}<table><thead><tr><th>type/class</th><th>insts</th><th>refs</th></tr></thead><tbody>${rows}</tbody></table>`;
  const last = steady.looked.at(-1) as IterationResult;
  const names = new Set(steady.rows.map((row) => row.name));
  const held = (last.heap?.paths ?? []).filter((path) => names.has(path.name));
  if (held.length > 0) html += `<h3>What held the new objects after iteration ${last.iteration}</h3>${held.map(retainerPath).join('')}`;
  return html;
}

function layerSection(layer: LayerResult, index: number): string {
  const last = layer.iterations.at(-1);
  const counts = last
    ? `${last.tests} tests, ${last.failures} failures, ${last.errors} errors per iteration; ${layer.iterations.length} iterations`
    : 'not run';
  let html = `<section class="layer" id="layer-${index}"><h2>${escapeHtml(layer.name)}</h2><p class="counts">${escapeHtml(counts)}</p>`;
  const data = points(layer);
  if (data.length > 0) {
    html += plot(layer, data);
    html +=
      '<p class="legend"><span class="key grew"></span> change= of the iteration <span class="key judged"></span> judged delta ' +
      '(known growth and --leak-ignore rows left out) <span class="key warmup"></span> warm-up</p>';
  } else if (layer.verdict?.screened) {
    html +=
      '<p>Screened: the verdict counted the live objects twice and needed no heap snapshot; <code>-r</code> samples every iteration.</p>';
  } else {
    html += '<p>No heap samples: run with <code>-N 2</code> or more and <code>-r</code> (or <code>--fail-on-leak</code>).</p>';
  }
  const verdict = layer.verdict;
  if (verdict) html += `<p class="verdict ${verdict.outcome}">Verdict: ${escapeHtml(verdictText(layer))}</p>`;
  else html += steadyGrowthSection(layer);
  if (verdict && verdict.grown.length > 0) {
    const rows = verdict.grown
      .map((row) => `<tr><td><code>${escapeHtml(row.name)}</code></td><td>${range(row.insts)}</td><td>${range(row.refs)}</td></tr>`)
      .join('');
    html += `<h3>Rows that grew in every judged iteration</h3><table><thead><tr><th>type/class</th><th>insts</th><th>refs</th></tr></thead><tbody>${rows}</tbody></table>`;
    const held = verdict.grown.filter((row) => (row.paths ?? []).length > 0);
    if (held.length > 0) {
      html += '<h3>What holds the new objects</h3>';
      for (const row of held) html += `<h4><code>${escapeHtml(row.name)}</code></h4>${(row.paths ?? []).map(retainerPath).join('')}`;
    }
  }
  for (const resource of verdict?.resources ?? []) {
    html += `<p class="resource">Active <code>${escapeHtml(resource.type)}</code> grew [${resource.deltas.join(', ')}]: ${escapeHtml(resource.hint)}</p>`;
  }
  const leaking = layer.attribution?.leaking ?? [];
  if (leaking.length > 0) {
    const items = leaking
      .map(({ tests, refs }) => `<li>${tests.map((test) => `<code>${escapeHtml(test)}</code>`).join(' + ')}: +${refs} refs per run</li>`)
      .join('');
    html += `<h3>Leaking tests</h3><ul class="leaking">${items}</ul>`;
  }
  return `${html}</section>`;
}

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 760px; color: #1b1b1b; background: #fff; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; } h4 { margin: 0.8em 0 0.2em; font-weight: normal; }
code { font: 0.92em ui-monospace, monospace; }
.summary.failed { color: #b00020; } .summary.passed { color: #1b6e20; }
svg.plot { display: block; margin: 0.5em 0; background: #fafafa; border: 1px solid #e4e4e4; }
.warmup { fill: #e8e8e8; } .axis { stroke: #888; stroke-width: 1; }
.bar.grew { fill: #d9534f; } .bar.shrank { fill: #4a78c2; } .bar.flat { fill: #3c9a46; } .bar.unjudged { fill-opacity: 0.35; }
.judged { fill: #1b1b1b; stroke: #fff; stroke-width: 1.5; }
.tick, .label { font-size: 11px; fill: #555; } text.verdict { font-size: 13px; font-weight: 600; }
text.verdict.leaked, p.verdict.leaked { fill: #b00020; color: #b00020; } text.verdict.clean, p.verdict.clean { fill: #1b6e20; color: #1b6e20; }
.legend { font-size: 0.85em; color: #555; } .key { display: inline-block; width: 0.9em; height: 0.9em; vertical-align: -0.1em; margin: 0 0.2em 0 0.8em; }
.key.grew { background: #d9534f; } .key.judged { background: #1b1b1b; border-radius: 50%; } .key.warmup { background: #e8e8e8; border: 1px solid #ccc; }
table { border-collapse: collapse; } td, th { padding: 0.2em 0.8em; border-bottom: 1px solid #eee; text-align: left; }
ul.path { list-style: none; padding-left: 0; font-size: 0.92em; } .grows { color: #b00020; }
`;

/** The page for a finished run. */
export function htmlReport(result: RunResult, options: RunOptions, versions: { leakrun: string; node: string }): string {
  const title = `leakrun: ${result.failed ? 'failed' : 'passed'}, ${result.tests} tests, ${result.failures} failures, ${result.errors} errors`;
  // With a screen, -r was not given: the verdict turned counting on.
  const given = options.reportRefcounts && options.leakScreen !== true;
  const run = `-N ${options.repeat}${given ? ' -r' : ''}${options.failOnLeak ? ' --fail-on-leak' : ''}`;
  const sections = result.layers.map(layerSection).join('');
  const problems = result.problems.length
    ? `<h2>Problems</h2><ul>${result.problems.map((problem) => `<li>${problem.kind === 'failure' ? 'Failure' : 'Error'} in <code>${escapeHtml(problem.test)}</code>: ${escapeHtml(problem.error.message.split('\n')[0] ?? '')}</li>`).join('')}</ul>`
    : '';
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
    `<body><h1>leakrun report</h1><p class="summary ${result.failed ? 'failed' : 'passed'}">${escapeHtml(title.slice('leakrun: '.length))}; exit code ${result.exitCode}</p>` +
    `<p class="meta">${escapeHtml(`${run}; leakrun ${versions.leakrun}, Node ${versions.node}`)}</p>` +
    `${sections}${problems}</body></html>\n`
  );
}

/** Writes the page to `file`; throws what the file system threw. */
export function writeHtml(file: string, html: string): void {
  writeFileSync(file, html);
}

/** `--html FILE` as a reporter: at the run's end it writes the page of the result. */
export function createHtmlReporter(options: RunOptions, file: string): Reporter {
  return {
    name: 'HTML report',
    write: () => '',
    end: (result) => writeHtml(file, htmlReport(result, options, { leakrun: version(), node: process.version })),
  };
}
