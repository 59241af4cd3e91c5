/**
 * The floors of src/ (docs/architecture.md), checked by `npm run deps` in `npm test`: a folder
 * imports only its own files and the floors below it, never one above or a neighbour on its own
 * floor; nothing imports the entry points at the top (index, cli, child); there are no circles,
 * type-only imports included.
 *
 * Lowest first. Folders on one floor are neighbours that do not know each other, except where
 * `NEIGHBOURS` says so.
 */
export const FLOORS = [
  ['types'], // the contracts: imports nothing of leakrun
  ['core'], // errors, clocks, the output sink, the package's own files, the TypeScript loader
  ['text'], // pure text: stacks, numbers, colours, retainer trees, the leak hunt's sentences
  ['sampler'], // heap snapshots and their counts
  ['leaks'], // the verdict, the bisection, resources, environment, tracing
  ['suites'], // other runners' test APIs (node:test, Mocha), collected for leakrun
  ['runner'], // options, discovery, selection, layers, the repeat loop, the result
  ['formatter', 'reports', 'processes', 'doctest', 'assert', 'expect'], // what consumes events, and the APIs
  ['compose'], // run(): puts the parts together
];

/** Neighbours that may import each other, one way: `leakrun/expect` is built on `leakrun/assert`. */
const NEIGHBOURS = [['expect', 'assert']];

const floorOf = new Map(FLOORS.flatMap((floor, level) => floor.map((folder) => [folder, level])));
const folders = [...floorOf.keys()];

const rules = folders.map((folder) => {
  const level = floorOf.get(folder);
  const allowed = new Set(NEIGHBOURS.filter(([from]) => from === folder).map(([, to]) => to));
  const above = folders.filter((other) => other !== folder && floorOf.get(other) >= level && !allowed.has(other));
  return {
    name: `floor-${folder}`,
    severity: 'error',
    comment: `src/${folder}/ may import only the floors below it (${FLOORS.slice(0, level).flat().join(', ') || 'none'})${allowed.size > 0 ? ` and ${[...allowed].join(', ')}` : ''}`,
    from: { path: `^src/${folder}/` },
    to: { path: `^src/(${above.join('|')})/` },
  };
});

export default {
  forbidden: [
    ...rules,
    {
      name: 'entry-points-imported-by-none',
      severity: 'error',
      comment: 'src/index.ts, src/cli.ts and src/child.ts are entry points: nothing imports them',
      from: { path: '^src/' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'an import circle, type-only imports included',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type circle is still a circle between two files' meanings.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
