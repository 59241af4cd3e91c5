/**
 * `npm run bench:verdict`: what `--fail-on-leak` costs (docs/ci.md), measured side by side in one
 * run, each command in a process of its own, round-robin so that drift on a shared machine falls
 * on all of them alike:
 * 1. A clean layer: `-N6 -r` against `-N6 --fail-on-leak`. The verdict takes no heap sample of its
 *    own, so the ratio should stay near 1 (goal: at most 1.05).
 *    The same layer with `--trace-leaks` too: what noting every async resource's creation stack
 *    costs (no goal; the option is off by default because of it).
 * 2. One leaking test among n = 16, 64, 256 trivial ones: the heap samples the search took for it
 *    (goal: at most 2·⌈log2 n⌉ + 4) and its time, beside the layer's own `-N6 -r` time.
 *
 *   npm run build && node --import tsx bench/verdict.ts     (BENCH_ROUNDS, default 10)
 */
import { median, measure, type Timing } from './spawn.ts';

const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 10) || 10);

const layer = (tests: number, leaker: number): Record<string, string> => ({
  LEAKRUN_BISECT_TESTS: String(tests),
  LEAKRUN_BISECT_LEAKER: String(leaker),
});
const fixture = ['--path', 'test/fixtures/bisect', '-N6'];

console.log(`leakrun verdict bench: node ${process.version}, ${rounds} rounds after a warm-up, medians of whole processes\n`);

console.log('1. A clean layer of 64 trivial tests');
const clean = measure(rounds, [
  { label: '-N6 -r', args: [...fixture, '-r'], env: layer(64, -1), status: 0 },
  { label: '-N6 --fail-on-leak', args: [...fixture, '--fail-on-leak'], env: layer(64, -1), status: 0 },
  { label: '-N6 --fail-on-leak --trace-leaks', args: [...fixture, '--fail-on-leak', '--trace-leaks'], env: layer(64, -1), status: 0 },
]);
const [plain, judged, traced] = clean.map((timing) => median(timing.seconds)) as [number, number, number];
console.log(`| command | median s |\n| --- | --- |`);
for (const timing of clean) console.log(`| ${timing.command.label} | ${median(timing.seconds).toFixed(3)} |`);
console.log(`\n--fail-on-leak / -r on a clean layer: ${(judged / plain).toFixed(3)}x (goal: at most 1.05x)`);
console.log(`--trace-leaks / --fail-on-leak on the same layer: ${(traced / judged).toFixed(3)}x\n`);

console.log('2. One leaking test among n trivial tests: the search for it');
console.log('| n | heap samples | goal 2*ceil(log2 n)+4 | -N6 -r s | -N6 --fail-on-leak s | search s (difference) |');
console.log('| --- | --- | --- | --- | --- | --- |');
let over = false;
for (const n of [16, 64, 256]) {
  const leaker = Math.floor((n * 2) / 3);
  const [base, search] = measure(rounds, [
    { label: `n=${n} -N6 -r`, args: [...fixture, '-r'], env: layer(n, leaker), status: 0 },
    { label: `n=${n} --fail-on-leak`, args: [...fixture, '--fail-on-leak', '-v'], env: layer(n, leaker), status: 1 },
  ]) as [Timing, Timing];
  const goal = 2 * Math.ceil(Math.log2(n)) + 4;
  if (search.samples === undefined || search.samples > goal) over = true;
  const [baseSeconds, searchSeconds] = [median(base.seconds), median(search.seconds)];
  console.log(
    `| ${n} | ${search.samples ?? 'not found'} | ${goal} | ${baseSeconds.toFixed(3)} | ${searchSeconds.toFixed(3)} | ${(searchSeconds - baseSeconds).toFixed(3)} |`,
  );
}
if (over) {
  console.log('\nA search took more heap samples than its goal, or did not find the leaking test.');
  process.exitCode = 1;
}
